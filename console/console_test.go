package console

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

var built = fstest.MapFS{
	"index.html":          {Data: []byte(`<!doctype html><div id="root"></div>`)},
	"assets/index-abc.js": {Data: []byte(`console.log(1)`)},
	"robots.txt":          {Data: []byte("User-agent: *\nDisallow: /\n")},
	".gitkeep":            {Data: nil},
}

func get(t *testing.T, h http.Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func TestConsoleSecurityHeadersOnEveryResponse(t *testing.T) {
	h := newHandler(built)
	for _, target := range []string{"/console/", "/console/customers/42", "/console/assets/index-abc.js", "/console/assets/missing.js", "/console"} {
		rec := get(t, h, http.MethodGet, target)
		csp := rec.Header().Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self';", "connect-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", target, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP %q allows inline code", target, csp)
		}
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options = %q", target, got)
		}
		if got := rec.Header().Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("%s: Referrer-Policy = %q", target, got)
		}
	}
}

func TestConsoleClientRoutesAnswerTheAppPage(t *testing.T) {
	h := newHandler(built)
	for _, target := range []string{"/console/", "/console/index.html", "/console/customers/42", "/console/signin?next=%2Faudit", "/console/.gitkeep", "/console/../console/segments"} {
		rec := get(t, h, http.MethodGet, target)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="root"`) {
			t.Errorf("%s: %d %q, want the app page", target, rec.Code, rec.Body.String())
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
			t.Errorf("%s: Cache-Control = %q, want no-cache (a new build must show at once)", target, got)
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s: Content-Type = %q", target, ct)
		}
	}
	if rec := get(t, h, http.MethodGet, "/console/robots.txt"); !strings.Contains(rec.Body.String(), "Disallow") {
		t.Errorf("a file at the top of dist is served as itself, got %q", rec.Body.String())
	}
}

func TestConsoleAssetsAreCachedForeverAndMissingOnesAre404(t *testing.T) {
	h := newHandler(built)
	rec := get(t, h, http.MethodGet, "/console/assets/index-abc.js")
	if rec.Code != http.StatusOK || rec.Body.String() != "console.log(1)" {
		t.Fatalf("asset: %d %q", rec.Code, rec.Body.String())
	}
	if got := rec.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("asset Cache-Control = %q", got)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("asset Content-Type = %q", ct)
	}
	if rec := get(t, h, http.MethodGet, "/console/assets/gone-123.js"); rec.Code != http.StatusNotFound {
		t.Errorf("missing asset: %d, want 404 rather than the app page", rec.Code)
	}
}

func TestConsoleRedirectsBarePathAndRefusesWrites(t *testing.T) {
	h := newHandler(built)
	rec := get(t, h, http.MethodGet, "/console")
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/console/" {
		t.Errorf("/console: %d Location %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := get(t, h, http.MethodPost, "/console/"); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", rec.Code)
	}
	if rec := get(t, h, http.MethodHead, "/console/customers"); rec.Code != http.StatusOK {
		t.Errorf("HEAD: %d", rec.Code)
	}
}

func TestConsoleNotBuiltSaysHowToBuild(t *testing.T) {
	h := newHandler(fstest.MapFS{".gitkeep": {Data: nil}})
	rec := get(t, h, http.MethodGet, "/console/customers")
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{"not built", "make run", "npm run build"} {
		if !strings.Contains(body, want) {
			t.Errorf("not-built page lacks %q: %s", want, body)
		}
	}
	if rec.Header().Get("Content-Security-Policy") == "" {
		t.Error("not-built page has no CSP")
	}
}

func TestConsoleEmbeddedBuildCompilesOnACleanClone(t *testing.T) {
	// dist/ holds at least .gitkeep; whether or not the front end is built, the handler answers.
	rec := get(t, Handler(), http.MethodGet, "/console/")
	if rec.Code != http.StatusOK && rec.Code != http.StatusServiceUnavailable {
		t.Errorf("embedded console: status %d", rec.Code)
	}
}
