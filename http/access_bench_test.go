package http_test

import (
	"testing"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
)

// What access control costs per request: the same reads as admin (no masking), analyst
// (every personal value pseudonymized) and partner (consent scope checked, contract fields
// returned, the read written to the audit log). Figures in docs/benchmarks.md.
func BenchmarkAccessByRole(b *testing.B) {
	f := newAccessFixture(b, options())
	f.a.seed(b, 60) // more customers for the page; C0..C3 keep their consents
	keys := map[string]string{
		"admin":   f.a.key,
		"analyst": f.a.newKey(b, auth.KeySpec{Name: "analyst", Role: cdp.RoleAnalyst}),
		"partner": f.a.newKey(b, auth.KeySpec{Name: "acme", Role: cdp.RolePartner, Partner: "acme"}),
	}
	const one = `query($id: ID!) { customer(id: $id) { customerId profile { givenName familyName email phone city } identifiers { type value } consents { purpose granted } } }`
	const page = `{ customers(first: 50) { nodes { customerId profile { givenName familyName email phone city } identifiers { type value } } } }`
	for _, role := range []string{"admin", "analyst", "partner"} {
		c := f.a.client(keys[role])
		b.Run("customer/"+role, func(b *testing.B) {
			for b.Loop() {
				var out map[string]any
				if err := c.Post(one, &out, client.Var("id", f.ids["C0"])); err != nil {
					b.Fatal(err)
				}
			}
		})
		if role == "partner" {
			continue // partners may not list customers
		}
		b.Run("page50/"+role, func(b *testing.B) {
			for b.Loop() {
				var out map[string]any
				if err := c.Post(page, &out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
