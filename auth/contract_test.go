package auth

import (
	"context"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	cdp "github.com/cdpgraph/cdpgraph"
)

// A partner caller needs a contract however it authenticates: API keys are checked when
// created, tokens and keys whose contract went away when used.
func TestPartnerCallersNeedAContract(t *testing.T) {
	ctx := context.Background()
	j, err := NewJWT(JWTConfig{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	store := &memKeys{byHash: map[string]*cdp.APIKey{}}
	partners := Partners{"acme": {ID: "acme"}, "globex": {ID: "globex"}}
	keys := NewKeys(store, partners)
	a := &Authenticator{Keys: keys, JWT: j}
	token := func(partner string) string {
		return sign(t, jwt.SigningMethodHS256, []byte(secret), "", jwt.MapClaims{"sub": "portal", "role": "partner", "partner": partner, "exp": future()})
	}
	if p, err := a.Authenticate(ctx, token("acme")); err != nil || p.Partner != "acme" {
		t.Fatalf("partner with a contract: %+v %v", p, err)
	}
	_, err = a.Authenticate(ctx, token("nobody"))
	if cdp.ErrorCode(err) != cdp.EUNAUTHORIZED || !strings.Contains(cdp.ErrorMessage(err), `partner claim "nobody" names no partner contract`) {
		t.Fatalf("token for a partner without contract: %v", err)
	}
	secretKey, _, err := keys.Create(ctx, KeySpec{Name: "globex", Role: cdp.RolePartner, Partner: "globex"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Authenticate(ctx, secretKey); err != nil {
		t.Fatal(err)
	}
	delete(partners, "globex") // the contract is removed from the configuration
	if _, err := a.Authenticate(ctx, secretKey); cdp.ErrorCode(err) != cdp.EUNAUTHORIZED || !strings.Contains(cdp.ErrorMessage(err), "no partner contract") {
		t.Fatalf("key of a partner whose contract was removed: %v", err)
	}
}
