package http_test

import (
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"

	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/resolvers"
)

// The console is mounted beside GraphiQL, needs no key (the API it calls does) and carries
// its CSP; GraphiQL keeps "/".
func TestConsoleMountedWithoutAuthentication(t *testing.T) {
	h := cdphttp.NewHandler(&resolvers.Resolver{CustomerReader: failingReader{}}, downDB{}, options(), quiet)
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(nethttp.MethodGet, path, nil))
		return rec
	}
	rec := get("/console/customers/1")
	// 200 with a built front end, 503 "not built" without: never 401, never GraphiQL.
	if rec.Code != nethttp.StatusOK && rec.Code != nethttp.StatusServiceUnavailable {
		t.Fatalf("/console/customers/1 = %d", rec.Code)
	}
	if strings.Contains(strings.ToLower(rec.Body.String()), "graphiql") {
		t.Fatal("/console/ answered GraphiQL")
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Fatalf("console CSP = %q", csp)
	}
	if rec := get("/console"); rec.Code != nethttp.StatusMovedPermanently || rec.Header().Get("Location") != "/console/" {
		t.Fatalf("/console = %d %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := get("/"); !strings.Contains(rec.Body.String(), "graphiql") {
		t.Fatal("GraphiQL no longer at /")
	}
}
