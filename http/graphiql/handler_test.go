package graphiql

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
)

func get(t *testing.T, h http.Handler, method, target string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

var refAttr = regexp.MustCompile(`(?:src|href)="([^"]*)"`)

// references returns the src and href URLs in the page, resolved against base.
func references(t *testing.T, page, base string) []*url.URL {
	t.Helper()
	b, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	var refs []*url.URL
	for _, m := range refAttr.FindAllStringSubmatch(page, -1) {
		u, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
		if err != nil {
			t.Fatalf("bad reference %q: %v", m[1], err)
		}
		refs = append(refs, b.ResolveReference(u))
	}
	return refs
}

func TestPage(t *testing.T) {
	h := Handler("cdpgraph GraphiQL", "/graphql")
	rec := get(t, h, http.MethodGet, "/", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET / = %d, want 200", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control = %q, want no-cache", cc)
	}
	csp := rec.Header().Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self';", "connect-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP %q allows unsafe-eval", csp)
	}
	body := rec.Body.String()
	for _, want := range []string{
		"<title>cdpgraph GraphiQL</title>",
		`data-endpoint="/graphql"`,
		`id="graphiql"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// No CDN: nothing on the page points outside the server.
	if strings.Contains(body, "http://") || strings.Contains(body, "https://") || strings.Contains(body, `="//`) {
		t.Errorf("page references an external URL:\n%s", body)
	}
	// No inline script: the bootstrap must be the external init.js so that script-src 'self' holds.
	if regexp.MustCompile(`<script>|<script\s+[^>]*>[^<]`).MatchString(body) {
		t.Errorf("page has an inline script:\n%s", body)
	}
	// HEAD gives the headers without a body.
	if rec := get(t, h, http.MethodHead, "/", nil); rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("HEAD / = %d with %d bytes", rec.Code, rec.Body.Len())
	}
}

func TestPageAssetsServed(t *testing.T) {
	h := Handler("GraphiQL", "/graphql")
	page := get(t, h, http.MethodGet, "/", nil).Body.String()
	refs := references(t, page, "http://example.test/")
	seen := map[string]bool{}
	for _, u := range refs {
		if u.Host != "example.test" {
			t.Errorf("reference %s leaves the server", u)
			continue
		}
		if !strings.HasPrefix(u.Path, "/graphiql/assets/") {
			t.Errorf("reference %s is not under /graphiql/assets/", u)
			continue
		}
		name := path.Base(u.Path)
		seen[name] = true
		rec := get(t, h, http.MethodGet, u.RequestURI(), nil)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", u.RequestURI(), rec.Code)
			continue
		}
		want := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}[path.Ext(name)]
		if ct := rec.Header().Get("Content-Type"); ct != want {
			t.Errorf("GET %s: Content-Type = %q, want %q", u.RequestURI(), ct, want)
		}
		if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("GET %s: Cache-Control = %q, want a long immutable one", u.RequestURI(), cc)
		}
		embedded, err := assetFS.ReadFile("assets/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if len(embedded) == 0 || !bytes.Equal(rec.Body.Bytes(), embedded) {
			t.Errorf("GET %s: body (%d bytes) differs from the embedded file (%d bytes)", u.RequestURI(), rec.Body.Len(), len(embedded))
		}
	}
	for _, name := range []string{
		"react.production.min.js", "react-dom.production.min.js",
		"graphiql.min.js", "graphiql.min.css", "init.js", "page.css",
	} {
		if !seen[name] {
			t.Errorf("page does not reference %s", name)
		}
	}
}

func TestAssetCaching(t *testing.T) {
	h := Handler("", "")
	a := assets["graphiql.min.js"]
	rec := get(t, h, http.MethodGet, "/graphiql/assets/graphiql.min.js", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("unversioned asset = %d", rec.Code)
	}
	// Without the content hash the URL is not immutable: it must be revalidated.
	if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("unversioned asset Cache-Control = %q, want no-cache", cc)
	}
	etag := rec.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	rec = get(t, h, http.MethodGet, "/graphiql/assets/graphiql.min.js?v="+a.version, http.Header{"If-None-Match": {etag}})
	if rec.Code != http.StatusNotModified {
		t.Errorf("conditional GET = %d, want 304", rec.Code)
	}
	rec = get(t, h, http.MethodHead, "/graphiql/assets/graphiql.min.js?v="+a.version, nil)
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("HEAD asset = %d with %d bytes", rec.Code, rec.Body.Len())
	}
}

func TestNotFound(t *testing.T) {
	h := Handler("GraphiQL", "/graphql")
	for _, p := range []string{
		"/x", "/index.html", "/graphql", "/graphiql", "/graphiql/", "/graphiql/assets/",
		"/graphiql/assets/nope.js", "/graphiql/assets/README.md", "/graphiql/assets/../graphiql.go",
		"/graphiql/assets/sub/init.js", "/assets/init.js", "//",
	} {
		if rec := get(t, h, http.MethodGet, p, nil); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, rec.Code)
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	h := Handler("GraphiQL", "/graphql")
	for _, p := range []string{"/", "/graphiql/assets/init.js"} {
		rec := get(t, h, http.MethodPost, p, nil)
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("POST %s = %d (Allow %q), want 405", p, rec.Code, rec.Header().Get("Allow"))
		}
	}
}

func TestEscaping(t *testing.T) {
	h := Handler(`</title><script>alert(1)</script>`, `/g"ql?a=1&b=<2>`)
	body := get(t, h, http.MethodGet, "/", nil).Body.String()
	if strings.Contains(body, "<script>alert") || strings.Contains(body, `/g"ql`) || strings.Contains(body, "b=<2>") {
		t.Errorf("title or endpoint not escaped:\n%s", body)
	}
	if !strings.Contains(body, "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("escaped title missing:\n%s", body)
	}
	if !strings.Contains(body, `data-endpoint="/g&#34;ql?a=1&amp;b=&lt;2&gt;"`) {
		t.Errorf("escaped endpoint missing:\n%s", body)
	}
}

func TestDefaults(t *testing.T) {
	body := get(t, Handler("", ""), http.MethodGet, "/", nil).Body.String()
	if !strings.Contains(body, "<title>GraphiQL</title>") || !strings.Contains(body, `data-endpoint="/graphql"`) {
		t.Errorf("defaults not applied:\n%s", body)
	}
}

func TestCSPAbsoluteEndpoint(t *testing.T) {
	for endpoint, want := range map[string]string{
		"/graphql":                         "connect-src 'self'",
		"https://api.example.com:8443/gql": "connect-src 'self' https://api.example.com:8443",
		"//api.example.com/gql":            "connect-src 'self' api.example.com",
		"javascript:alert(1)":              "connect-src 'self'",
		"http://bad host;script-src */gql": "connect-src 'self'",
	} {
		csp := get(t, Handler("", endpoint), http.MethodGet, "/", nil).Header().Get("Content-Security-Policy")
		if !strings.HasSuffix(csp, want) {
			t.Errorf("endpoint %q: CSP %q, want it to end with %q", endpoint, csp, want)
		}
	}
}

// Mounted under a prefix with StripPrefix, the page's relative asset URLs still resolve.
func TestUnderPrefix(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/ide/", http.StripPrefix("/ide", Handler("GraphiQL", "/graphql")))
	rec := get(t, mux, http.MethodGet, "/ide/", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /ide/ = %d", rec.Code)
	}
	for _, u := range references(t, rec.Body.String(), "http://example.test/ide/") {
		if r := get(t, mux, http.MethodGet, u.RequestURI(), nil); r.Code != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", u.RequestURI(), r.Code)
		}
	}
}

// The page carries its tabs as JSON in data-tabs, and the README's tour yields one tab per
// GraphQL block, titled by the bold words before it.
func TestPageCarriesTheTourAsTabs(t *testing.T) {
	tabs := TourTabs(cdp.README)
	if len(tabs) < 7 || tabs[0].Title != "Find customers" || !strings.Contains(tabs[0].Query, "query FindCustomers") {
		t.Fatalf("tour tabs %+v", tabs)
	}
	rec := get(t, Handler("cdpgraph", "/graphql", tabs...), http.MethodGet, "/", nil)
	m := regexp.MustCompile(`data-tabs="([^"]*)"`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatal("the page has no data-tabs")
	}
	var got []Tab
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &got); err != nil || len(got) != len(tabs) || got[1] != tabs[1] {
		t.Fatalf("data-tabs decodes to %d tabs (%v), want %d", len(got), err, len(tabs))
	}
	init := assets["init.js"].data
	for _, want := range []string{"sessionStorage", "#key=", "history.replaceState", "onEditHeaders", "createFetcher", "Authorization"} {
		if !bytes.Contains(init, []byte(want)) {
			t.Errorf("init.js lacks %q", want)
		}
	}
}
