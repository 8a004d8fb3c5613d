package http_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/observe"
	"github.com/cdpgraph/cdpgraph/resolvers"
)

// memReader serves customers from memory: what the handler costs in Go, without the
// driver and the database (BenchmarkAccessByRole measures it with them).
type memReader struct {
	cdp.CustomerReader // the reads the benchmark does not make panic
	customers          []*cdp.Customer
	byID               map[string]*cdp.Customer
}

func newMemReader(n int) *memReader {
	m := &memReader{byID: map[string]*cdp.Customer{}}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := range n {
		c := &cdp.Customer{ID: fmt.Sprintf("cus_%04d", i), Sources: []string{"crm"}, CreatedAt: at, UpdatedAt: at,
			Profile: cdp.Profile{GivenName: "Given", FamilyName: fmt.Sprint("Family", i), FullName: fmt.Sprint("Given Family", i),
				Email: fmt.Sprintf("p%d@example.com", i), Phone: fmt.Sprintf("+8613800%06d", i), City: "Shanghai", Country: "CN"}}
		m.customers = append(m.customers, c)
		m.byID[c.ID] = c
	}
	return m
}

func (m *memReader) FindCustomers(_ context.Context, _ cdp.CustomerFilter, _ cdp.CustomerOrder, page cdp.PageArgs) (*cdp.Page[*cdp.Customer], error) {
	items := m.customers[:min(page.First, len(m.customers))]
	cursors := make([]string, len(items))
	for i, c := range items {
		cursors[i] = c.ID
	}
	return &cdp.Page[*cdp.Customer]{Items: items, Cursors: cursors, TotalCount: len(m.customers), HasNextPage: len(items) < len(m.customers)}, nil
}

func (m *memReader) CustomersByIDs(_ context.Context, ids []string) (map[string]*cdp.Customer, error) {
	out := map[string]*cdp.Customer{}
	for _, id := range ids {
		if c := m.byID[id]; c != nil {
			out[id] = c
		}
	}
	return out, nil
}

func (m *memReader) FirstIdentifiers(_ context.Context, ids []string, first int) (map[string]*cdp.Page[cdp.Identifier], error) {
	out := map[string]*cdp.Page[cdp.Identifier]{}
	for _, id := range ids {
		c := m.byID[id]
		all := []cdp.Identifier{{Type: cdp.IdentifierEmail, Value: c.Profile.Email}, {Type: cdp.IdentifierPhone, Value: c.Profile.Phone},
			{Type: cdp.IdentifierLoyaltyID, Value: "L" + c.ID}}
		out[id] = &cdp.Page[cdp.Identifier]{Items: all[:min(first, len(all))], TotalCount: len(all)}
	}
	return out, nil
}

func (m *memReader) OrdersByCustomerIDs(_ context.Context, ids []string, page cdp.PageArgs) (map[string]*cdp.Page[*cdp.Order], error) {
	out := map[string]*cdp.Page[*cdp.Order]{}
	for _, id := range ids {
		out[id] = &cdp.Page[*cdp.Order]{TotalCount: 3}
	}
	return out, nil
}

func (m *memReader) CurrentConsentsByCustomerIDs(_ context.Context, ids []string) (map[string][]cdp.Consent, error) {
	out := map[string][]cdp.Consent{}
	for _, id := range ids {
		out[id] = []cdp.Consent{{Source: "crm", SourceID: "K" + id, Purpose: "email_marketing", Granted: true}}
	}
	return out, nil
}

// What the handler costs in Go per request: authentication, parsing (cached), limits and
// pricing, the policy on every field, pseudonyms for analysts, the loaders and JSON, over
// an in-memory reader. go test -run X -bench HandlerGoSide -benchtime 2000x ./http
func BenchmarkHandlerGoSide(b *testing.B) {
	opts := options()
	opts.GraphQL.ComplexityLimit = 200000
	access := memAccess()
	opts.Access = access
	r := &resolvers.Resolver{CustomerReader: newMemReader(60)}
	h := cdphttp.NewHandler(r, nil, opts, quiet)
	store := access.Auth.Keys
	analyst, _, err := store.Create(context.Background(), auth.KeySpec{Name: "analyst", Role: cdp.RoleAnalyst}, "bench")
	if err != nil {
		b.Fatal(err)
	}
	keys := map[string]string{"admin": memAdminKey, "analyst": analyst}
	const one = `query($id: ID!) { customer(id: $id) { customerId createdAt profile { givenName familyName fullName email phone city country }
  identifiers { type value } orders(first: 0) { totalCount } consents { purpose granted } } }`
	const page = `{ customers(first: 50) { nodes { customerId profile { fullName email phone city } identifiers { type value } orders(first: 0) { totalCount } } } }`
	for _, role := range []string{"admin", "analyst"} {
		c := client.New(h, client.Path("/graphql"), client.AddHeader("Authorization", "Bearer "+keys[role]))
		for name, q := range map[string]string{"customer": one, "page50": page} {
			b.Run(name+"/"+role, func(b *testing.B) {
				b.ReportAllocs()
				defer reportCPU(b)()
				for b.Loop() {
					var out map[string]any
					if err := c.Post(q, &out, client.Var("id", "cus_0001")); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// What metrics and tracing add to BenchmarkHandlerGoSide's requests (admin): "off" has no
// metrics and the no-op tracer (the request log and no-op spans run in every case),
// "metrics" fills the Prometheus metrics, "traced" also records every span with the SDK
// (all sampled, exported to memory). Run it alone, after no test, since the global tracer
// provider stays set once a test or "traced" set it:
// go test -run X -bench HandlerObserved -benchtime 2000x ./http
func BenchmarkHandlerObserved(b *testing.B) {
	access := memAccess()
	r := &resolvers.Resolver{CustomerReader: newMemReader(60)}
	const one = `query One($id: ID!) { customer(id: $id) { customerId createdAt profile { givenName familyName fullName email phone city country }
  identifiers { type value } orders(first: 0) { totalCount } consents { purpose granted } } }`
	const page = `query Page { customers(first: 50) { nodes { customerId profile { fullName email phone city } identifiers { type value } orders(first: 0) { totalCount } } } }`
	for _, mode := range []string{"off", "metrics", "traced"} {
		opts := options()
		opts.GraphQL.ComplexityLimit = 200000
		opts.Access = access
		if mode != "off" {
			opts.Metrics, opts.MetricsOnMain = observe.NewMetrics(), true
		}
		if mode == "traced" {
			tracingForTest()
		}
		h := cdphttp.NewHandler(r, nil, opts, quiet)
		c := client.New(h, client.Path("/graphql"), client.AddHeader("Authorization", "Bearer "+memAdminKey))
		for _, q := range []struct{ name, query string }{{"customer", one}, {"page50", page}} {
			b.Run(mode+"/"+q.name, func(b *testing.B) {
				b.ReportAllocs()
				defer reportCPU(b)()
				for b.Loop() {
					var out map[string]any
					if err := c.Post(q.query, &out, client.Var("id", "cus_0001")); err != nil {
						b.Fatal(err)
					}
				}
				testSpans.Reset()
			})
		}
	}
}
