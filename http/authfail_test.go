package http_test

import (
	nethttp "net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cdpgraph/cdpgraph/auth"
)

// Failed authentications are limited per client address: past the budget an address is
// answered 429 with a Retry-After of at least a second, before any key lookup; other
// addresses, and requests without credentials, are not affected.
func TestFailedAuthenticationsAreLimitedPerAddress(t *testing.T) {
	const secret = "a-test-signing-secret-of-32-bytes!!"
	j, err := auth.NewJWT(auth.JWTConfig{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	opts := options()
	opts.Access.Auth.JWT = j
	opts.Limits.FailedAuthPerMinute = 3
	a := newAPI(t, opts)
	badJWT, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "x", "role": "admin", "exp": time.Now().Add(time.Hour).Unix()}).
		SignedString([]byte("another-secret-of-at-least-32-bytes"))
	send := func(addr, credential string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/graphql", strings.NewReader(`{"query":"{ viewer { role } }"}`))
		req.RemoteAddr = addr + ":4711"
		req.Header.Set("Content-Type", "application/json")
		if credential != "" {
			req.Header.Set("Authorization", "Bearer "+credential)
		}
		w := httptest.NewRecorder()
		a.handler.ServeHTTP(w, req)
		return w
	}
	const attacker, other = "198.51.100.7", "203.0.113.9"
	for i, cred := range []string{"cdp_guess-1", badJWT, "cdp_guess-2"} {
		if w := send(attacker, cred); w.Code != nethttp.StatusUnauthorized {
			t.Fatalf("failure %d: %d %s", i+1, w.Code, w.Body)
		}
	}
	before := a.db.QueryCount()
	for _, cred := range []string{"cdp_guess-3", a.key} {
		w := send(attacker, cred)
		secs, _ := strconv.Atoi(w.Header().Get("Retry-After"))
		if w.Code != nethttp.StatusTooManyRequests || secs < 1 || !strings.Contains(w.Body.String(), "RATE_LIMITED") {
			t.Errorf("past the failure budget: %d, Retry-After %q, %s", w.Code, w.Header().Get("Retry-After"), w.Body)
		}
	}
	if n := a.db.QueryCount() - before; n != 0 {
		t.Errorf("refused attempts looked up %d keys", n)
	}
	if w := send(other, a.key); w.Code != nethttp.StatusOK {
		t.Errorf("another address: %d %s", w.Code, w.Body)
	}
	for i := 0; i < 5; i++ {
		if w := send(other, ""); w.Code != nethttp.StatusUnauthorized {
			t.Fatalf("no credentials %d: %d (they are not counted as failures)", i, w.Code)
		}
	}
	// A token naming a partner without a contract is refused, saying so.
	noContract, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "portal", "role": "partner", "partner": "nobody",
		"exp": time.Now().Add(time.Hour).Unix()}).SignedString([]byte(secret))
	if w := send("192.0.2.55", noContract); w.Code != nethttp.StatusUnauthorized || !strings.Contains(w.Body.String(), `partner claim \"nobody\" names no partner contract`) {
		t.Errorf("partner token without contract: %d %s", w.Code, w.Body)
	}
	// An IPv6 client is one /64: hopping through its addresses does not reset the budget.
	for i, addr := range []string{"[2001:db8:1:2::1]", "[2001:db8:1:2::2]", "[2001:db8:1:2:ffff::3]"} {
		send(addr, "cdp_guess-v6-"+strconv.Itoa(i))
	}
	if w := send("[2001:db8:1:2::99]", "cdp_guess-v6-x"); w.Code != nethttp.StatusTooManyRequests {
		t.Errorf("IPv6 /64: %d", w.Code)
	}
}
