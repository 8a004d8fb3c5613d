package http_test

import (
	"context"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
	cdphttp "github.com/cdpgraph/cdpgraph/http"
)

// testPartners: acme may receive given names and emails of the customers who consented.
var testPartners = auth.Partners{"acme": {ID: "acme", Name: "Acme Insurance", Fields: []string{"Profile.givenName", "Profile.email"}}}

// memAdminKey is the admin secret of memAccess, for handlers built without a database.
const memAdminKey = "cdp_test-admin-key"

// memKeys is an in-memory key store.
type memKeys struct{ byHash map[string]*cdp.APIKey }

func (m *memKeys) CreateAPIKey(_ context.Context, k *cdp.APIKey, hash string) error {
	m.byHash[hash] = k
	return nil
}
func (m *memKeys) APIKeyByHash(_ context.Context, hash string) (*cdp.APIKey, error) {
	return m.byHash[hash], nil
}
func (m *memKeys) RevokeAPIKey(context.Context, string, time.Time) (*cdp.APIKey, error) {
	return nil, cdp.Errorf(cdp.ENOTFOUND, "not supported")
}
func (m *memKeys) APIKeys(context.Context) ([]*cdp.APIKey, error) { return nil, nil }

func memAccess() cdphttp.Access {
	store := &memKeys{byHash: map[string]*cdp.APIKey{auth.HashKey(memAdminKey): {ID: "key_mem", Role: cdp.RoleAdmin}}}
	return cdphttp.Access{Auth: &auth.Authenticator{Keys: auth.NewKeys(store, testPartners)}, Partners: testPartners, Pseudo: auth.NewPseudonymizer("test")}
}

// newKey creates a key in the test database and returns its secret.
func (a *api) newKey(t testing.TB, spec auth.KeySpec) string {
	t.Helper()
	secret, _, err := a.keys.Create(context.Background(), spec, "test")
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// client returns a GraphQL client that sends secret.
func (a *api) client(secret string) *client.Client {
	return client.New(a.handler, client.Path("/graphql"), client.AddHeader("Authorization", "Bearer "+secret))
}
