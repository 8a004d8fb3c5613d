package http_test

import (
	"io"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"

	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/resolvers"
)

// countingBody is a request body of n bytes that counts what the server reads of it.
type countingBody struct {
	n, read int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	if b.read >= b.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), b.n-b.read)
	for i := range p[:k] {
		p[i] = 'x'
	}
	b.read += k
	return int(k), nil
}

// Bodies are read only for callers with valid credentials: an unauthenticated 15 MiB POST
// gets 401 with nothing of its body read, known size or chunked.
func TestUnauthenticatedBodiesAreNotRead(t *testing.T) {
	opts := options()
	opts.MaxBodyBytes = 16 << 20
	h := cdphttp.NewHandler(&resolvers.Resolver{CustomerReader: failingReader{}}, downDB{}, opts, quiet)
	send := func(auth string, size int64, chunked bool) (int, int64) {
		body := &countingBody{n: size}
		req := httptest.NewRequest("POST", "/graphql", body)
		req.Header.Set("Content-Type", "application/json")
		req.ContentLength = size
		if chunked {
			req.ContentLength = -1
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, body.read
	}
	for _, auth := range []string{"", "Bearer cdp_not-a-key", "Bearer not.a.jwt"} {
		for _, chunked := range []bool{false, true} {
			if code, read := send(auth, 15<<20, chunked); code != nethttp.StatusUnauthorized || read != 0 {
				t.Errorf("auth %q chunked %v: %d after reading %d bytes, want 401 after none", auth, chunked, code, read)
			}
		}
	}
	// With credentials the body limit still holds, for a stated or an unstated length.
	if code, read := send("Bearer "+memAdminKey, 17<<20, false); code != nethttp.StatusRequestEntityTooLarge || read != 0 {
		t.Errorf("oversized stated body: %d after %d bytes", code, read)
	}
	if code, read := send("Bearer "+memAdminKey, 17<<20, true); code != nethttp.StatusRequestEntityTooLarge || read > 16<<20+64<<10 {
		t.Errorf("oversized chunked body: %d after %d bytes", code, read)
	}
	// And a small body is read and answered.
	req := httptest.NewRequest("POST", "/graphql", strings.NewReader(`{"query":"{ viewer { role } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+memAdminKey)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"role":"ADMIN"`) {
		t.Errorf("small body: %d %s", rec.Code, rec.Body)
	}
}
