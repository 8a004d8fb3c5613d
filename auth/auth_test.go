package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	cdp "github.com/cdpgraph/cdpgraph"
)

const secret = "0123456789abcdef0123456789abcdef"

func sign(t *testing.T, method jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func future() int64 { return time.Now().Add(time.Hour).Unix() }

func TestJWTHS256(t *testing.T) {
	j, err := NewJWT(JWTConfig{Secret: secret, Issuer: "idp", Audience: "cdpgraph"})
	if err != nil {
		t.Fatal(err)
	}
	ok := jwt.MapClaims{"sub": "u1", "role": "partner", "partner": "acme", "exp": future(), "iss": "idp", "aud": "cdpgraph"}
	p, err := j.Authenticate(sign(t, jwt.SigningMethodHS256, []byte(secret), "", ok))
	if err != nil {
		t.Fatal(err)
	}
	if p.Role != cdp.RolePartner || p.Partner != "acme" || p.Subject != "jwt:u1" || p.Via != "jwt" {
		t.Fatalf("principal %+v", p)
	}
	with := func(k string, v any) jwt.MapClaims {
		c := jwt.MapClaims{}
		for a, b := range ok {
			c[a] = b
		}
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	bad := map[string]string{
		"expired":          sign(t, jwt.SigningMethodHS256, []byte(secret), "", with("exp", time.Now().Add(-time.Hour).Unix())),
		"no expiry":        sign(t, jwt.SigningMethodHS256, []byte(secret), "", with("exp", nil)),
		"wrong secret":     sign(t, jwt.SigningMethodHS256, []byte(strings.Repeat("x", 32)), "", ok),
		"wrong issuer":     sign(t, jwt.SigningMethodHS256, []byte(secret), "", with("iss", "evil")),
		"wrong audience":   sign(t, jwt.SigningMethodHS256, []byte(secret), "", with("aud", "other")),
		"unknown role":     sign(t, jwt.SigningMethodHS256, []byte(secret), "", with("role", "root")),
		"partner missing":  sign(t, jwt.SigningMethodHS256, []byte(secret), "", with("partner", nil)),
		"no subject":       sign(t, jwt.SigningMethodHS256, []byte(secret), "", with("sub", nil)),
		"HS512 not listed": sign(t, jwt.SigningMethodHS512, []byte(secret), "", ok),
		"alg none":         sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, "", ok),
		"garbage":          "a.b.c",
	}
	for name, tok := range bad {
		if p, err := j.Authenticate(tok); err == nil || cdp.ErrorCode(err) != cdp.EUNAUTHORIZED {
			t.Errorf("%s: got %+v, %v; want unauthorized", name, p, err)
		} else if strings.Contains(err.Error(), tok) {
			t.Errorf("%s: the error echoes the token", name)
		}
	}
}

func TestJWTRS256FromJWKS(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	jwks, _ := json.Marshal(map[string]any{"keys": []map[string]string{{"kty": "RSA", "kid": "k1", "use": "sig",
		"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()), "e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes())}}})
	path := filepath.Join(t.TempDir(), "jwks.json")
	os.WriteFile(path, jwks, 0o600)
	j, err := NewJWT(JWTConfig{JWKSFile: path})
	if err != nil {
		t.Fatal(err)
	}
	claims := jwt.MapClaims{"sub": "app", "role": "frontend", "sources": []string{"web"}, "exp": future()}
	p, err := j.Authenticate(sign(t, jwt.SigningMethodRS256, key, "k1", claims))
	if err != nil || p.Role != cdp.RoleFrontend || len(p.Sources) != 1 || p.Sources[0] != "web" {
		t.Fatalf("got %+v, %v", p, err)
	}
	if _, err := j.Authenticate(sign(t, jwt.SigningMethodRS256, other, "k1", claims)); err == nil {
		t.Fatal("a token signed by another key was accepted")
	}
	if _, err := j.Authenticate(sign(t, jwt.SigningMethodRS256, key, "k2", claims)); err == nil {
		t.Fatal("an unknown key id was accepted")
	}
	// RS256-only verifiers must not accept HS256 tokens keyed with the public key (alg confusion).
	if _, err := j.Authenticate(sign(t, jwt.SigningMethodHS256, key.N.Bytes(), "k1", claims)); err == nil {
		t.Fatal("HS256 accepted by an RS256 verifier")
	}
}

type memKeys struct{ byHash map[string]*cdp.APIKey }

func (m *memKeys) CreateAPIKey(_ context.Context, k *cdp.APIKey, hash string) error {
	m.byHash[hash] = k
	return nil
}
func (m *memKeys) APIKeyByHash(_ context.Context, hash string) (*cdp.APIKey, error) {
	return m.byHash[hash], nil
}
func (m *memKeys) RevokeAPIKey(_ context.Context, id string, at time.Time) (*cdp.APIKey, error) {
	for _, k := range m.byHash {
		if k.ID == id {
			k.RevokedAt = &at
			return k, nil
		}
	}
	return nil, cdp.Errorf(cdp.ENOTFOUND, "no key %s", id)
}
func (m *memKeys) APIKeys(context.Context) ([]*cdp.APIKey, error) { return nil, nil }

func TestKeys(t *testing.T) {
	ctx := context.Background()
	store := &memKeys{byHash: map[string]*cdp.APIKey{}}
	keys := NewKeys(store, Partners{"acme": {ID: "acme", Fields: []string{"Profile.email"}}})
	a := &Authenticator{Keys: keys}
	secret, key, err := keys.Create(ctx, KeySpec{Name: "web app", Role: cdp.RoleFrontend, Sources: []string{" Web ", "app", "web"}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "cdp_") || len(secret) < 40 || strings.Join(key.Sources, ",") != "app,web" {
		t.Fatalf("secret %q key %+v", secret, key)
	}
	for h := range store.byHash {
		if h == secret || strings.Contains(h, secret) {
			t.Fatal("the secret itself was stored")
		}
	}
	p, err := a.Authenticate(ctx, secret)
	if err != nil || p.Role != cdp.RoleFrontend || p.Subject != key.ID {
		t.Fatalf("got %+v, %v", p, err)
	}
	if _, err := keys.Revoke(ctx, key.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Authenticate(ctx, secret); cdp.ErrorCode(err) != cdp.EUNAUTHORIZED {
		t.Fatalf("revoked key: %v", err)
	}
	if _, err := a.Authenticate(ctx, "cdp_unknown"); cdp.ErrorCode(err) != cdp.EUNAUTHORIZED {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err := a.Authenticate(ctx, ""); err != ErrNoCredentials {
		t.Fatalf("no credential: %v", err)
	}
	invalid := map[string]KeySpec{
		"role":     {Name: "x", Role: "root"},
		"partner":  {Name: "x", Role: cdp.RolePartner, Partner: "unknown"},
		"sources":  {Name: "x", Role: cdp.RoleFrontend},
		"pii":      {Name: "x", Role: cdp.RolePartner, Partner: "acme", PII: true},
		"name":     {Role: cdp.RoleAdmin},
		"partner2": {Name: "x", Role: cdp.RoleAnalyst, Partner: "acme"},
	}
	for field, spec := range invalid {
		_, _, err := keys.Create(ctx, spec, "test")
		var e *cdp.Error
		if !asError(err, &e) || e.Code != cdp.EINVALID || !strings.HasPrefix(field, e.Field) {
			t.Errorf("%s: got %v", field, err)
		}
	}
}

func asError(err error, e **cdp.Error) bool {
	x, ok := err.(*cdp.Error)
	*e = x
	return ok
}

func TestPartnersAndPseudonyms(t *testing.T) {
	valid := func(c string) error {
		if c != "Profile.email" {
			return cdp.Errorf(cdp.EINVALID, "not a personal-data field")
		}
		return nil
	}
	p, err := LoadPartners(strings.NewReader(`{"partners":[{"id":"acme","name":"Acme","fields":["Profile.email"]}]}`), valid)
	if err != nil || !p.Allows("acme", "Profile.email") || p.Allows("acme", "Profile.phone") || p.Allows("other", "Profile.email") {
		t.Fatalf("%v %v", p, err)
	}
	for _, doc := range []string{`{"partners":[{"id":"Acme!"}]}`, `{"partners":[{"id":"a","fields":["Profile.phon"]}]}`,
		`{"partners":[{"id":"a"},{"id":"a"}]}`, `{"partner":[]}`} {
		if _, err := LoadPartners(strings.NewReader(doc), valid); err == nil {
			t.Errorf("%s accepted", doc)
		}
	}
	ps := NewPseudonymizer("k")
	a, b := ps.Pseudonym("EMAIL", "ann@example.com"), ps.Pseudonym("EMAIL", "ann@example.com")
	if a != b || !strings.HasPrefix(a, "anon_") || strings.Contains(a, "ann") || a == NewPseudonymizer("other").Pseudonym("EMAIL", "ann@example.com") {
		t.Fatalf("pseudonyms %s %s", a, b)
	}
	// Fields of different kinds do not share pseudonyms (issue 14 #11), and the separator
	// keeps kind and value apart.
	if a == ps.Pseudonym("FREE_TEXT", "ann@example.com") || ps.Pseudonym("NAME", "Xa") == ps.Pseudonym("NAMEX", "a") {
		t.Fatal("pseudonyms are not separated by kind")
	}
}

func TestSharesWith(t *testing.T) {
	c := func(p string, g bool) cdp.Consent { return cdp.Consent{Purpose: p, Granted: g} }
	cases := []struct {
		consents []cdp.Consent
		want     bool
	}{
		{nil, false},
		{[]cdp.Consent{c("partner_sharing", true)}, true},
		{[]cdp.Consent{c("partner_sharing", true), c("partner_sharing:acme", false)}, false},
		{[]cdp.Consent{c("partner_sharing", false), c("partner_sharing:acme", true)}, true},
		{[]cdp.Consent{c("partner_sharing:other", true)}, false},
	}
	for i, tc := range cases {
		if got := cdp.SharesWith(tc.consents, "acme"); got != tc.want {
			t.Errorf("case %d: %v", i, got)
		}
	}
}

// Source names in tokens and keys compare as ingest writes them: "WEB " is web.
func TestSourceNamesAreNormalized(t *testing.T) {
	j, err := NewJWT(JWTConfig{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	p, err := j.Authenticate(sign(t, jwt.SigningMethodHS256, []byte(secret), "", jwt.MapClaims{"sub": "app", "role": "frontend", "sources": []string{"WEB ", "App"}, "exp": future()}))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(p.Sources, ",") != "web,app" {
		t.Errorf("token sources %q", p.Sources)
	}
	if got := sourceNames([]string{" Web", "", "POS"}); strings.Join(got, ",") != "web,pos" {
		t.Errorf("key sources %q", got)
	}
}

// Pseudonyms stay what they were: analysts keep exports and joins across releases.
func TestPseudonymsAreStable(t *testing.T) {
	p := NewPseudonymizer("k")
	for _, c := range []struct{ kind, value, want string }{
		{"EMAIL", "ann@example.com", "anon_f621bbc6255c3e03"},
		{"NAME", "安娜", "anon_303bfadd407172a4"},
		{"PHONE", "", "anon_adc55c2f7766a0a3"},
	} {
		for range 2 { // the second time from a reused HMAC
			if got := p.Pseudonym(c.kind, c.value); got != c.want {
				t.Errorf("Pseudonym(%q, %q) = %s, want %s", c.kind, c.value, got, c.want)
			}
		}
	}
}

// What one pseudonym costs: analysts' pages compute hundreds per request.
func BenchmarkPseudonym(b *testing.B) {
	p := NewPseudonymizer("bench")
	b.ReportAllocs()
	for b.Loop() {
		p.Pseudonym("EMAIL", "someone@example.com")
	}
}
