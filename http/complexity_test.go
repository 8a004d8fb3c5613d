package http

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/graph"
)

// Every list field of the schema is priced by its bound: an argument (first, sample,
// maxNodes, maxTies) or a declared fixed size. A list added without either fails here (and
// the server refuses to start).
func TestEveryListIsPriced(t *testing.T) {
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	var c graph.ComplexityRoot
	if unpriced := priceLists(s, &c); len(unpriced) > 0 {
		t.Fatalf("list fields without a bound: %s", strings.Join(unpriced, ", "))
	}
	for coord := range fixedSizeLists {
		typ, field, _ := strings.Cut(coord, ".")
		if d := s.Types[typ]; d == nil || d.Fields.ForName(field) == nil || d.Fields.ForName(field).Type.Elem == nil {
			t.Errorf("fixedSizeLists names %s, which is not a list field", coord)
		}
	}
	// The prices multiply: a tie costs what its selection costs, 20 times by default.
	if got := c.Customer.SocialTies(10, 20); got != 1+20*10 {
		t.Errorf("socialTies(first: 20) of 10 = %d", got)
	}
	if got := c.Household.Members(10, 20); got != 1+20*10 {
		t.Errorf("members(first: 20) of 10 = %d", got)
	}
	if got := c.Query.InfluencePath(10, "a", "b", 4); got != 1+5*10 {
		t.Errorf("influencePath(maxTies: 4) of 10 = %d", got)
	}
	if got := c.Customer.Provenance(3); got != 1+13*3 {
		t.Errorf("provenance of 3 = %d", got)
	}
	if got := c.Customer.SocialTies(1<<30, 100); got <= 0 {
		t.Errorf("a nested price overflowed to %d", got)
	}
}

// A growing list without a bound is caught.
func TestUnboundedListIsCaught(t *testing.T) {
	s := gqlparser.MustLoadSchema(&ast.Source{Input: `
type Query { customer: Customer }
type Customer { friends: [Customer!]! socialTies(first: Int! = 20): [Customer!]! }`})
	var c graph.ComplexityRoot
	got := priceLists(s, &c)
	if len(got) != 1 || got[0] != "Customer.friends" {
		t.Fatalf("unpriced = %v, want Customer.friends", got)
	}
}

// An ingest mutation's errors cost by the records it sends: the README's two-record
// example with every result field stays far under the limit, a full batch costs what it
// did.
func TestIngestErrorsPricedByRecords(t *testing.T) {
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	var c graph.ComplexityRoot
	priceLists(s, &c)
	errorsOf4 := c.IngestResult.Errors(4) // errors { index sourceId field message }
	scalars := 5                          // accepted rejected created updated unchanged
	two := make([]*cdp.CustomerRecord, 2)
	if got, want := c.Mutation.IngestCustomers(scalars+errorsOf4, "crm", two), 1+scalars+1+2*4; got != want {
		t.Errorf("ingestCustomers of 2 records = %d, want %d", got, want)
	}
	full := make([]*cdp.CustomerRecord, 5000)
	if got, want := c.Mutation.IngestCustomers(scalars+errorsOf4, "crm", full), 1+scalars+errorsOf4; got != want {
		t.Errorf("ingestCustomers of 5000 records = %d, want %d", got, want)
	}
	if got := c.Mutation.IngestCustomers(scalars, "crm", two); got != 1+scalars {
		t.Errorf("ingestCustomers without errors = %d, want %d", got, 1+scalars)
	}
}
