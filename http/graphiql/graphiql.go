// Package graphiql serves the GraphiQL IDE (graphiql 3, React 18) entirely from the Go
// binary: the page and every script and stylesheet it loads are embedded with go:embed,
// so the IDE works on machines without internet access. No CDN is ever referenced.
//
// The vendored files live in assets/; assets/README.md says how to refresh them and
// assets/LICENSES.md lists their packages, versions and licences.
package graphiql

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"
)

// AssetPrefix is the path, relative to where the Handler is mounted, under which the
// embedded assets are served.
const AssetPrefix = "/graphiql/assets/"

//go:embed assets/*.js assets/*.css assets/LICENSES.md
var assetFS embed.FS

// asset is one embedded file, ready to serve.
type asset struct {
	name        string
	data        []byte
	contentType string
	version     string // short content hash, used as ?v= cache buster and in the ETag
}

// assets maps a file name (without directory) to its embedded content.
var assets = loadAssets()

func loadAssets() map[string]*asset {
	entries, err := fs.ReadDir(assetFS, "assets")
	if err != nil {
		panic("graphiql: reading embedded assets: " + err.Error())
	}
	m := make(map[string]*asset, len(entries))
	for _, e := range entries {
		data, err := assetFS.ReadFile("assets/" + e.Name())
		if err != nil {
			panic("graphiql: reading embedded asset " + e.Name() + ": " + err.Error())
		}
		sum := sha256.Sum256(data)
		m[e.Name()] = &asset{
			name:        e.Name(),
			data:        data,
			contentType: contentTypeFor(e.Name()),
			version:     hex.EncodeToString(sum[:6]),
		}
	}
	return m
}

func contentTypeFor(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".md":
		return "text/plain; charset=utf-8"
	default:
		return "application/octet-stream"
	}
}

// assetURL is the URL the page uses for an embedded asset. It is relative (no leading
// slash), so the page also works when the Handler is mounted under a prefix with
// http.StripPrefix, and carries the content hash so that the immutable caching of
// assets never serves a stale file after an upgrade.
func assetURL(name string) (string, error) {
	a, ok := assets[name]
	if !ok {
		return "", &missingAssetError{name}
	}
	return strings.TrimPrefix(AssetPrefix, "/") + a.name + "?v=" + a.version, nil
}

type missingAssetError struct{ name string }

func (e *missingAssetError) Error() string { return "graphiql: no embedded asset " + e.name }

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{"asset": assetURL}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}}</title>
<link rel="stylesheet" href="{{asset "graphiql.min.css"}}">
<link rel="stylesheet" href="{{asset "page.css"}}">
</head>
<body>
<div id="graphiql" data-endpoint="{{.Endpoint}}" data-tabs="{{.Tabs}}"><div class="graphiql-loading">Loading GraphiQL…</div></div>
<noscript>GraphiQL needs JavaScript enabled.</noscript>
<script src="{{asset "react.production.min.js"}}"></script>
<script src="{{asset "react-dom.production.min.js"}}"></script>
<script src="{{asset "graphiql.min.js"}}"></script>
<script src="{{asset "init.js"}}"></script>
</body>
</html>
`))

// Content-Security-Policy of the page. Scripts come only from 'self' (the bootstrap is
// the embedded init.js, not an inline script) and nothing needs 'unsafe-eval'. Styles
// need 'unsafe-inline': the GraphiQL bundle injects <style> elements (react-remove-scroll
// in its dialogs) and CodeMirror builds some widgets from HTML with style attributes.
// The bundled fonts and a few images are data: URLs inside graphiql.min.css.
const cspBase = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"font-src 'self' data:; img-src 'self' data:; base-uri 'none'; form-action 'none'; " +
	"frame-ancestors 'self'; connect-src 'self'"

// A conservative shape for a CSP host source; anything else is left out of connect-src.
var cspHost = regexp.MustCompile(`^[A-Za-z0-9.\-]+(:[0-9]+)?$`)

// contentSecurityPolicy allows the page to reach endpoint: 'self' covers a relative
// endpoint; an absolute one on another origin is added to connect-src.
func contentSecurityPolicy(endpoint string) string {
	csp := cspBase
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" && cspHost.MatchString(u.Host) {
		switch u.Scheme {
		case "http", "https":
			csp += " " + u.Scheme + "://" + u.Host
		case "":
			csp += " " + u.Host // protocol-relative: same scheme as the page
		}
	}
	return csp
}

// Handler serves the GraphiQL page at "/" (exactly; other paths 404 except the assets)
// and the assets under "/graphiql/assets/...", with the page posting queries to endpoint
// (e.g. "/graphql"). title is the HTML <title>; tabs, if any, open as ready-made tabs
// after the welcome tab (until the browser session has tabs of its own).
//
// endpoint may be relative ("/graphql", resolved in the browser against the page's own
// URL, so it works behind any host) or absolute; empty means "/graphql". An empty title
// means "GraphiQL". To serve the IDE under a prefix, mount it with a trailing slash:
// mux.Handle("/ide/", http.StripPrefix("/ide", graphiql.Handler(...))).
//
// Assets requested with the ?v= content hash the page uses are cached for a year as
// immutable; without it they are served with Cache-Control: no-cache (and an ETag).
func Handler(title, endpoint string, tabs ...Tab) http.Handler {
	if title == "" {
		title = "GraphiQL"
	}
	if endpoint == "" {
		endpoint = "/graphql"
	}
	if tabs == nil {
		tabs = []Tab{}
	}
	tabsJSON, err := json.Marshal(tabs)
	if err != nil {
		panic("graphiql: encoding tabs: " + err.Error()) // strings only: cannot fail
	}
	var page bytes.Buffer
	if err := pageTemplate.Execute(&page, struct{ Title, Endpoint, Tabs string }{title, endpoint, string(tabsJSON)}); err != nil {
		panic("graphiql: rendering page: " + err.Error()) // only a missing embedded asset can cause this
	}
	return &handler{page: page.Bytes(), csp: contentSecurityPolicy(endpoint)}
}

type handler struct {
	page []byte
	csp  string
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/":
		if !allowRead(w, r) {
			return
		}
		hd := w.Header()
		hd.Set("Content-Type", "text/html; charset=utf-8")
		hd.Set("Cache-Control", "no-cache")
		hd.Set("Content-Security-Policy", h.csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(h.page)
		}
	case strings.HasPrefix(p, AssetPrefix):
		a, ok := assets[strings.TrimPrefix(p, AssetPrefix)]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if !allowRead(w, r) {
			return
		}
		hd := w.Header()
		hd.Set("Content-Type", a.contentType)
		hd.Set("ETag", `"`+a.version+`"`)
		hd.Set("X-Content-Type-Options", "nosniff")
		if r.URL.Query().Get("v") == a.version {
			hd.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			hd.Set("Cache-Control", "no-cache")
		}
		http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(a.data))
	default:
		http.NotFound(w, r)
	}
}

// allowRead answers 405 to anything but GET and HEAD.
func allowRead(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
	return false
}
