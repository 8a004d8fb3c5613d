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

// The handler reads customers with their related lists in one call (cdp.Related); the
// in-memory reader answers that call the way the store does.
func (m *memReader) FindCustomersWith(_ context.Context, _ cdp.CustomerFilter, _ cdp.CustomerOrder, page cdp.PageArgs, rel cdp.Related) (*cdp.Page[*cdp.CustomerWith], error) {
	items := m.customers[:min(page.First, len(m.customers))]
	out := &cdp.Page[*cdp.CustomerWith]{TotalCount: len(m.customers), HasNextPage: len(items) < len(m.customers)}
	for _, c := range items {
		out.Items = append(out.Items, m.with(c, rel))
		out.Cursors = append(out.Cursors, c.ID)
	}
	return out, nil
}

func (m *memReader) CustomersWith(_ context.Context, ids []string, rel cdp.Related) (map[string]*cdp.CustomerWith, error) {
	out := map[string]*cdp.CustomerWith{}
	for _, id := range ids {
		if c := m.byID[id]; c != nil {
			out[id] = m.with(c, rel)
		}
	}
	return out, nil
}

func (m *memReader) with(c *cdp.Customer, rel cdp.Related) *cdp.CustomerWith {
	w := &cdp.CustomerWith{Customer: c}
	if a := rel.Identifiers; a != nil {
		all := []cdp.Identifier{{Type: cdp.IdentifierEmail, Value: c.Profile.Email}, {Type: cdp.IdentifierPhone, Value: c.Profile.Phone},
			{Type: cdp.IdentifierLoyaltyID, Value: "L" + c.ID}}
		w.Identifiers = &cdp.Page[cdp.Identifier]{Items: all[:min(a.First, len(all))], TotalCount: len(all)}
	}
	if rel.Orders != nil {
		w.Orders = &cdp.Page[*cdp.Order]{TotalCount: 3}
	}
	if rel.CurrentConsents {
		w.CurrentConsents = []cdp.Consent{{Source: "crm", SourceID: "K" + c.ID, Purpose: "email_marketing", Granted: true}}
	}
	return w
}

// The requests of the handler benchmarks: one customer's 360 and a page of 50.
const (
	benchCustomer = `query One($id: ID!) { customer(id: $id) { customerId createdAt profile { givenName familyName fullName email phone city country }
  identifiers { type value } orders(first: 0) { totalCount } consents { purpose granted } } }`
	benchPage = `query Page { customers(first: 50) { nodes { customerId profile { fullName email phone city } identifiers { type value } orders(first: 0) { totalCount } } } }`
)

type benchIdentifier struct {
	Type  string
	Value string
}

// The benchmarks' in-memory reader serves the handler's reads: a read the handler makes
// that it does not answer fails here, not only when someone runs the benchmarks.
func TestInMemoryReaderServesTheBenchmarks(t *testing.T) {
	opts := options()
	opts.GraphQL.ComplexityLimit = 200000
	opts.Access = memAccess()
	h := cdphttp.NewHandler(&resolvers.Resolver{CustomerReader: newMemReader(60)}, nil, opts, quiet)
	c := client.New(h, client.Path("/graphql"), client.AddHeader("Authorization", "Bearer "+memAdminKey))
	var one struct {
		Customer struct {
			CustomerID, CreatedAt string
			Profile               map[string]any
			Identifiers           []benchIdentifier
			Orders                struct{ TotalCount int }
			Consents              []struct {
				Purpose string
				Granted bool
			}
		}
	}
	c.MustPost(benchCustomer, &one, client.Var("id", "cus_0001"))
	if one.Customer.CustomerID != "cus_0001" || len(one.Customer.Identifiers) != 3 || one.Customer.Orders.TotalCount != 3 || len(one.Customer.Consents) != 1 {
		t.Errorf("customer: %+v", one.Customer)
	}
	var page struct {
		Customers struct {
			Nodes []struct {
				CustomerID  string
				Profile     map[string]any
				Identifiers []benchIdentifier
				Orders      struct{ TotalCount int }
			}
		}
	}
	c.MustPost(benchPage, &page)
	if len(page.Customers.Nodes) != 50 || len(page.Customers.Nodes[49].Identifiers) != 3 {
		t.Errorf("page: %d customers", len(page.Customers.Nodes))
	}
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
	for _, role := range []string{"admin", "analyst"} {
		c := client.New(h, client.Path("/graphql"), client.AddHeader("Authorization", "Bearer "+keys[role]))
		for name, q := range map[string]string{"customer": benchCustomer, "page50": benchPage} {
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
		for _, q := range []struct{ name, query string }{{"customer", benchCustomer}, {"page50", benchPage}} {
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
