// Package console serves the analyst console, a single-page app built from this folder
// (npm run build) into dist/ and embedded in the binary. The page itself holds no data:
// every figure comes from the GraphQL API with the user's key, which enforces the roles.
package console

import (
	"embed"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// Prefix is where the console is mounted.
const Prefix = "/console/"

// contentSecurityPolicy allows only the console's own origin: no CDN, no inline script or
// style (ECharts tooltips render in canvas and Cytoscape's injected style is pre-empted, see
// index.html), no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; " +
	"base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// Handler serves the embedded build under /console/.
func Handler() http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic("console: " + err.Error()) // the embed pattern guarantees dist exists
	}
	return newHandler(sub)
}

// newHandler serves files from root (the contents of dist/); tests pass an fstest.MapFS.
func newHandler(root fs.FS) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if r.URL.Path == strings.TrimSuffix(Prefix, "/") {
			http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "the console answers GET and HEAD only", http.StatusMethodNotAllowed)
			return
		}
		rel, ok := strings.CutPrefix(r.URL.Path, Prefix)
		if !ok {
			http.NotFound(w, r)
			return
		}
		rel = strings.TrimPrefix(path.Clean("/"+rel), "/")
		if strings.HasPrefix(rel, "assets/") {
			// Hashed names: a file never changes, and a missing chunk is a 404, not the app
			// page (which the browser would fail to run as a script).
			if !serveFile(w, r, root, rel, "public, max-age=31536000, immutable") {
				http.NotFound(w, r)
			}
			return
		}
		if rel != "" && rel != "index.html" && !isHidden(rel) && serveFile(w, r, root, rel, "no-cache") {
			return
		}
		// Every other path is a client route: the app page decides what it shows.
		if !serveFile(w, r, root, "index.html", "no-cache") {
			notBuilt(w)
		}
	})
}

// serveFile writes root's file name if it is a regular file, and reports whether it did.
func serveFile(w http.ResponseWriter, r *http.Request, root fs.FS, name, cacheControl string) bool {
	f, err := root.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.IsDir() {
		return false
	}
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		return false
	}
	w.Header().Set("Cache-Control", cacheControl)
	http.ServeContent(w, r, name, info.ModTime(), rs)
	return true
}

// isHidden keeps dotfiles (dist/.gitkeep) out of the served files.
func isHidden(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cdpgraph console: not built</title></head>
<body>
<h1>The console is not built</h1>
<p>This binary was compiled before the console's front end was built, so there is nothing to show here.</p>
<p>Run <code>make run</code>, or <code>cd console &amp;&amp; npm ci &amp;&amp; npm run build</code> and rebuild the binary
(<code>make build</code>).</p>
<p>The GraphQL API at <a href="/graphql">/graphql</a> works without it.</p>
</body></html>
`

func notBuilt(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusServiceUnavailable)
	io.WriteString(w, notBuiltPage)
}
