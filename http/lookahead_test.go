package http_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
)

// The lists of a customer 360 as the benchmark's W1 asks them.
const lists360 = `identifiers { type value } identifierCount
  orders(first: 10) { totalCount nodes { source sourceId orderedAt status total { amount currency }
    items { quantity unitPrice { amount currency } product { sku name category } } } pageInfo { hasNextPage } }
  events(first: 20, types: ["View", "view"]) { totalCount nodes { source sourceId type occurredAt sku } pageInfo { hasNextPage } }
  feedback(first: 1) { nodes { source sourceId kind createdAt rating text } pageInfo { hasNextPage } }
  consents { purpose granted occurredAt source sourceId }
  consentHistory(first: 5) { purpose granted occurredAt } consentHistoryCount`

// statements runs query as c and returns its data and the Cypher statements it cost.
func (a *api) statements(t *testing.T, c *client.Client, query string, opts ...client.Option) (map[string]json.RawMessage, int64) {
	t.Helper()
	before := a.db.QueryCount()
	var out map[string]json.RawMessage
	post(t, c, query, &out, opts...)
	return out, a.db.QueryCount() - before
}

// A root field reads the lists its selection asks for in its own statement, and they
// answer exactly as the per-field loaders do (the nested customer below reads through them).
func TestLookaheadAnswersAsTheLoaders(t *testing.T) {
	a := newAPI(t, options())
	a.seed(t, 3)
	var page struct {
		Customers struct{ Nodes []struct{ CustomerID string } }
	}
	post(t, a.c, `{ customers(first: 3) { nodes { customerId } } }`, &page)
	for _, n := range page.Customers.Nodes {
		id := client.Var("id", n.CustomerID)
		ahead, count := a.statements(t, a.c, `query($id: ID!) { customer(id: $id) { customerId `+lists360+` } }`, id)
		if count != 1 {
			t.Errorf("customer 360: %d statements, want 1", count)
		}
		nested, _ := a.statements(t, a.c, `query($id: ID!) { customer(id: $id) { sourceRecords(first: 1) { customer { customerId `+lists360+` } } } }`, id)
		var via struct {
			SourceRecords []struct{ Customer json.RawMessage }
		}
		json.Unmarshal(nested["customer"], &via)
		var got, want any
		json.Unmarshal(ahead["customer"], &got)
		json.Unmarshal(via.SourceRecords[0].Customer, &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("read ahead:\n%s\nthrough the loaders:\n%s", ahead["customer"], via.SourceRecords[0].Customer)
		}
	}

	// Aliases with other arguments, a cursor, and a count asked without the list.
	first := page.Customers.Nodes[0].CustomerID
	out, _ := a.statements(t, a.c, `query($id: ID!) { customer(id: $id) {
  one: orders(first: 1) { nodes { sourceId } pageInfo { endCursor hasNextPage } }
  two: orders(first: 2) { totalCount nodes { sourceId } }
  none: orders(first: 0) { totalCount pageInfo { hasNextPage } } } }`, client.Var("id", first))
	var c struct {
		One struct {
			Nodes    []struct{ SourceID string }
			PageInfo struct {
				EndCursor   string
				HasNextPage bool
			}
		}
		Two struct {
			TotalCount int
			Nodes      []struct{ SourceID string }
		}
		None struct {
			TotalCount int
			PageInfo   struct{ HasNextPage bool }
		}
	}
	json.Unmarshal(out["customer"], &c)
	if len(c.One.Nodes) != 1 || !c.One.PageInfo.HasNextPage || len(c.Two.Nodes) != 2 || c.Two.TotalCount != 2 ||
		c.None.TotalCount != 2 || !c.None.PageInfo.HasNextPage || c.One.Nodes[0] != c.Two.Nodes[0] {
		t.Errorf("aliased orders: %s", out["customer"])
	}
	// A list asked with first 0 and its count share the loaders' key: each answers its own.
	out, _ = a.statements(t, a.c, `query($id: ID!) { customer(id: $id) {
  a: identifiers(first: 5) { value } b: identifiers(first: 0) { value } identifierCount
  c: consentHistory(first: 0) { purpose } consentHistoryCount
  sourceRecords(first: 1) { customer { identifierCount consentHistoryCount } } } }`, client.Var("id", first))
	var z struct {
		A, B                                 []struct{ Value string }
		C                                    []struct{ Purpose string }
		IdentifierCount, ConsentHistoryCount int
		SourceRecords                        []struct {
			Customer struct{ IdentifierCount, ConsentHistoryCount int }
		}
	}
	json.Unmarshal(out["customer"], &z)
	if len(z.A) != 2 || len(z.B) != 0 || len(z.C) != 0 || z.IdentifierCount != 2 || z.ConsentHistoryCount != 1 ||
		z.SourceRecords[0].Customer.IdentifierCount != 2 || z.SourceRecords[0].Customer.ConsentHistoryCount != 1 {
		t.Errorf("first 0 and counts: %s", out["customer"])
	}
	out, _ = a.statements(t, a.c, `query($id: ID!, $after: String) { customer(id: $id) { orders(first: 1, after: $after) { nodes { sourceId } } } }`,
		client.Var("id", first), client.Var("after", c.One.PageInfo.EndCursor))
	var next struct {
		Orders struct{ Nodes []struct{ SourceID string } }
	}
	json.Unmarshal(out["customer"], &next)
	if len(next.Orders.Nodes) != 1 || next.Orders.Nodes[0] != c.Two.Nodes[1] {
		t.Errorf("second page: %s, want %v", out["customer"], c.Two.Nodes[1])
	}
}

// The statements each request shape of the read-path benchmark costs (docs/benchmarks.md):
// one per root field, whatever the page size; a scoped caller's lookup reads its lists
// only once the customer is known to be in scope.
func TestStatementsPerRequest(t *testing.T) {
	f := newAccessFixture(t, options())
	a := f.a
	partner := a.client(a.newKey(t, auth.KeySpec{Name: "acme", Role: cdp.RolePartner, Partner: "acme"}))
	web := a.client(a.newKey(t, auth.KeySpec{Name: "web shop", Role: cdp.RoleFrontend, Sources: []string{"crm"}}))
	post(t, partner, `{ viewer { role } }`, &struct{}{}) // keys are read once, then cached
	post(t, web, `{ viewer { role } }`, &struct{}{})
	for _, tc := range []struct {
		name  string
		c     *client.Client
		query string
		opt   client.Option
		want  int64
	}{
		{"W1 customer 360", a.c, `query($id: ID!) { customer(id: $id) { customerId profile { fullName email } createdAt ` + lists360 + ` } }`, client.Var("id", f.ids["C0"]), 1},
		{"W2 first customers by createdAt", a.c, `{ customers(first: 50, orderBy: {field: CREATED_AT, direction: ASC}) {
  nodes { customerId profile { fullName city } identifiers { type value } orders(first: 0) { totalCount } } } }`, nil, 1},
		{"W3 customers in a city", a.c, `{ customers(filter: {city: "Shanghai"}, first: 20, orderBy: {field: CREATED_AT, direction: DESC}) {
  totalCount nodes { customerId profile { fullName city } } } }`, nil, 1},
		{"by identifier with consents", a.c, `{ customerByIdentifier(type: EMAIL, value: "P1@example.com") { customerId consents { purpose granted } identifiers { value } } }`, nil, 1},
		// A scoped lookup: the bare lookup's statements (for a partner: the customer, then its
		// consents), one for all the lists once in scope, and for a partner reading personal
		// data the audit entry.
		{"frontend lookup, bare", web, `{ customerByIdentifier(type: EMAIL, value: "P1@example.com") { customerId } }`, nil, 1},
		{"frontend lookup", web, `{ customerByIdentifier(type: EMAIL, value: "P1@example.com") { customerId profile { email } consents { purpose granted } orders(first: 5) { nodes { sourceId } } } }`, nil, 2},
		{"partner lookup, bare", partner, `query($id: ID!) { customer(id: $id) { customerId } }`, client.Var("id", f.ids["C0"]), 2},
		{"partner lookup", partner, `query($id: ID!) { customer(id: $id) { customerId profile { email } consents { purpose granted } identifiers { value } } }`, client.Var("id", f.ids["C0"]), 4},
	} {
		opts := []client.Option{}
		if tc.opt != nil {
			opts = append(opts, tc.opt)
		}
		data, n := a.statements(t, tc.c, tc.query, opts...)
		if n != tc.want {
			t.Errorf("%s: %d statements, want %d", tc.name, n, tc.want)
		}
		for k, v := range data {
			if string(v) == "null" {
				t.Errorf("%s: %s is null", tc.name, k)
			}
		}
	}
}
