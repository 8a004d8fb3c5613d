package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/neo4j"
	"github.com/cdpgraph/cdpgraph/resolvers"
)

// dataOf is an answer's data as JSON.
func dataOf(resp *client.Response) string {
	b, _ := json.Marshal(resp.Data)
	return string(b)
}

// seedHub loads a hub customer H followed by n others (F0...), each following only H.
func seedHub(t *testing.T, a *api, n int) string {
	t.Helper()
	customers := []map[string]any{{"sourceId": "H", "givenName": "Hub", "email": "hub@example.com"}}
	var ties []map[string]any
	for i := 0; i < n; i++ {
		customers = append(customers, map[string]any{"sourceId": fmt.Sprintf("F%d", i), "givenName": "Fan", "email": fmt.Sprintf("fan%d@example.com", i)})
		ties = append(ties, map[string]any{"fromSourceId": fmt.Sprintf("F%d", i), "toSourceId": "H", "type": "follows"})
	}
	for _, m := range []struct {
		name, input string
		records     any
	}{
		{"ingestCustomers", "CustomerRecordInput", customers}, {"ingestSocialTies", "SocialTieRecordInput", ties},
	} {
		var resp map[string]struct{ Rejected int }
		post(t, a.c, `mutation($r: [`+m.input+`!]!) { r: `+m.name+`(source: "crm", records: $r) { rejected } }`, &resp, withVar("r", m.records))
		if resp["r"].Rejected != 0 {
			t.Fatalf("%s rejected %d records", m.name, resp["r"].Rejected)
		}
	}
	var hub struct{ CustomerByIdentifier struct{ ID string } }
	post(t, a.c, `{ customerByIdentifier(type: EMAIL, value: "hub@example.com") { id } }`, &hub)
	return hub.CustomerByIdentifier.ID
}

// The review's attack: three nested levels of socialTies around a hub with ~1,000 ties
// were priced as 20 ties a level and answered 51 MB. Each level is now bounded by its
// `first` and priced so: the default nesting is refused, a small one answers within its bound.
func TestNestedSocialTiesAreBounded(t *testing.T) {
	a := newAPI(t, options())
	hub := seedHub(t, a, 1000)

	const attack = `query($id: ID!) { customer(id: $id) { socialTies { customer { socialTies { customer { socialTies { type } } } } } } }`
	resp, err := a.c.RawPost(attack, withVar("id", hub))
	if err != nil {
		t.Fatal(err)
	}
	ties := strings.Count(dataOf(resp), `"type"`) // the innermost level's
	if !strings.Contains(string(resp.Errors), "COMPLEXITY_LIMIT_EXCEEDED") && ties > 20*20*20 {
		t.Fatalf("the nested query answered %d ties (%d bytes), more than its bound", ties, len(dataOf(resp)))
	}

	const small = `query($id: ID!) { customer(id: $id) { socialTieCount socialTies(first: 5) { type customer {
	  socialTieCount socialTies(first: 5) { type customer { socialTies(first: 5) { type customer { customerId } } } } } } } }`
	resp, err = a.c.RawPost(small, withVar("id", hub))
	if err != nil || len(resp.Errors) > 0 {
		t.Fatalf("small nesting: %v %s", err, resp.Errors)
	}
	if ties := strings.Count(dataOf(resp), `"type"`); ties > 5+5*5+5*5*5 || ties == 0 {
		t.Fatalf("answered %d ties for at most 5 a level", ties)
	}
	var got struct {
		Customer struct {
			SocialTieCount int
			SocialTies     []struct{ Customer struct{ SocialTieCount int } }
		}
	}
	if err := json.Unmarshal([]byte(dataOf(resp)), &got); err != nil {
		t.Fatal(err)
	}
	if got.Customer.SocialTieCount != 1000 || len(got.Customer.SocialTies) != 5 || got.Customer.SocialTies[0].Customer.SocialTieCount != 1 {
		t.Fatalf("counts: %+v", got.Customer)
	}

	// Over the maximum: refused, naming the argument.
	resp, err = a.c.RawPost(`query($id: ID!) { customer(id: $id) { socialTies(first: 101) { type } } }`, withVar("id", hub))
	if err != nil {
		t.Fatal(err)
	}
	if e := string(resp.Errors); !strings.Contains(e, "BAD_USER_INPUT") || !strings.Contains(e, `"field":"first"`) {
		t.Fatalf("first: 101 gave %s", e)
	}
}

// Bounded lists say how much they left out, and their defaults keep small lists whole.
func TestBoundedListsCountWhatTheyCut(t *testing.T) {
	a := newAPI(t, options())
	var idents, consents []string
	for i := 0; i < 25; i++ {
		idents = append(idents, fmt.Sprintf(`{type: "device_id", value: "dev-%02d"}`, i))
		consents = append(consents, fmt.Sprintf(`{sourceId: "K%d", customerSourceId: "C", purpose: "email_marketing", granted: "%v", occurredAt: "2026-01-%02dT00:00:00Z"}`, i, i%2 == 0, i+1))
	}
	var res map[string]struct{ Rejected int }
	post(t, a.c, `mutation { r: ingestCustomers(source: "crm", records: [{sourceId: "C", email: "c@example.com", identifiers: [`+strings.Join(idents, ",")+`]}]) { rejected } }`, &res)
	post(t, a.c, `mutation { r: ingestConsents(source: "crm", records: [`+strings.Join(consents, ",")+`]) { rejected } }`, &res)
	var got struct {
		Customer struct {
			IdentifierCount     int
			Identifiers         []struct{ Value string }
			All                 []struct{ Value string }
			RecordCount         int
			SourceRecords       []struct{ Identifiers []struct{ Value string } }
			ConsentHistoryCount int
			ConsentHistory      []struct{ OccurredAt string }
			Consents            []struct {
				Purpose string
				Granted bool
			}
		}
	}
	post(t, a.c, `{ customer: customerByIdentifier(type: EMAIL, value: "c@example.com") {
	  identifierCount identifiers { value } all: identifiers(first: 100) { value }
	  recordCount sourceRecords { identifiers(first: 3) { value } }
	  consentHistoryCount consentHistory { occurredAt } consents { purpose granted } } }`, &got)
	c := got.Customer
	if c.IdentifierCount != 26 || len(c.Identifiers) != 20 || len(c.All) != 26 {
		t.Errorf("identifiers: count %d, default %d, all %d", c.IdentifierCount, len(c.Identifiers), len(c.All))
	}
	if c.RecordCount != 1 || len(c.SourceRecords) != 1 || len(c.SourceRecords[0].Identifiers) != 3 {
		t.Errorf("records: %+v", c.SourceRecords)
	}
	if c.ConsentHistoryCount != 25 || len(c.ConsentHistory) != 20 || !strings.HasPrefix(c.ConsentHistory[0].OccurredAt, "2026-01-25") {
		t.Errorf("consent history: count %d, %d items, newest %+v", c.ConsentHistoryCount, len(c.ConsentHistory), c.ConsentHistory[:1])
	}
	// The decision in force is the newest (K24, granted), whatever the length of the history.
	if len(c.Consents) != 1 || !c.Consents[0].Granted {
		t.Errorf("consents in force: %+v", c.Consents)
	}
}

// countingReader counts the reads made after the root customer read, which holds until the
// request's deadline has passed and then answers (as a statement finishing late would).
type countingReader struct {
	cdp.CustomerReader
	rootDone atomic.Bool
	after    atomic.Int64
}

func (r *countingReader) CustomersWith(ctx context.Context, ids []string, rel cdp.Related) (map[string]*cdp.CustomerWith, error) {
	if r.rootDone.Swap(true) {
		r.after.Add(1)
		return r.CustomerReader.CustomersWith(ctx, ids, rel)
	}
	<-ctx.Done()
	return r.CustomerReader.CustomersWith(context.WithoutCancel(ctx), ids, rel)
}

func (r *countingReader) CustomersByIDs(ctx context.Context, ids []string) (map[string]*cdp.Customer, error) {
	r.after.Add(1)
	return r.CustomerReader.CustomersByIDs(ctx, ids)
}

func (r *countingReader) FirstTies(ctx context.Context, ids []string, first int) (map[string]*cdp.Page[cdp.CustomerTie], error) {
	r.after.Add(1)
	return r.CustomerReader.FirstTies(ctx, ids, first)
}

func (r *countingReader) FirstIdentifiers(ctx context.Context, ids []string, first int) (map[string]*cdp.Page[cdp.Identifier], error) {
	r.after.Add(1)
	return r.CustomerReader.FirstIdentifiers(ctx, ids, first)
}

func (r *countingReader) OrdersByCustomerIDs(ctx context.Context, ids []string, p cdp.PageArgs) (map[string]*cdp.Page[*cdp.Order], error) {
	r.after.Add(1)
	return r.CustomerReader.OrdersByCustomerIDs(ctx, ids, p)
}

// After CDP_REQUEST_TIMEOUT nothing more runs: no resolver asks a loader, no statement goes
// to Neo4j, and the answer is one TIMEOUT error rather than whatever was resolved.
func TestDeadlineStopsWork(t *testing.T) {
	a := newAPI(t, options())
	hub := seedHub(t, a, 30)
	reader := &countingReader{CustomerReader: neo4j.NewCustomerStore(a.db)}
	opts := options()
	opts.Limits.RequestTimeout = 200 * time.Millisecond
	h := cdphttp.NewHandler(&resolvers.Resolver{CustomerReader: reader}, a.db, opts, quiet)
	c := client.New(h, client.Path("/graphql"), client.AddHeader("Authorization", "Bearer "+memAdminKey))

	before := a.db.QueryCount()
	resp, err := c.RawPost(`query($id: ID!) { customer(id: $id) { customerId identifiers { value } orders { totalCount }
	  socialTies { type customer { customerId socialTies { customer { customerId } } } } } }`, withVar("id", hub))
	if err != nil {
		t.Fatal(err)
	}
	if n := reader.after.Load(); n != 0 {
		t.Errorf("%d reads after the deadline", n)
	}
	if n := a.db.QueryCount() - before; n != 1 {
		t.Errorf("%d statements sent, want only the one running at the deadline", n)
	}
	if e := string(resp.Errors); !strings.Contains(e, "TIMEOUT") || strings.Count(e, `"message"`) != 1 || dataOf(resp) != "null" {
		t.Errorf("answer after the deadline: data %s, errors %s", resp.Data, e)
	}
}

// An answer that would resolve more fields than CDP_MAX_RESPONSE_FIELDS stops there, with one error.
func TestResponseFieldBudget(t *testing.T) {
	opts := options()
	opts.GraphQL.MaxResponseFields = 200
	a := newAPI(t, opts)
	a.seed(t, 30)
	resp, err := a.c.RawPost(`{ customers(first: 30) { nodes { customerId profile { fullName email phone city country } } } }`)
	if err != nil {
		t.Fatal(err)
	}
	if e := string(resp.Errors); !strings.Contains(e, "RESPONSE_TOO_LARGE") || strings.Count(e, `"message"`) != 1 || dataOf(resp) != "null" {
		t.Fatalf("over the budget: data %.200s, errors %s", resp.Data, e)
	}
	var small struct {
		Customers struct{ Nodes []struct{ CustomerID string } }
	}
	post(t, a.c, `{ customers(first: 30) { nodes { customerId } } }`, &small)
	if len(small.Customers.Nodes) != 30 {
		t.Fatalf("%d customers under the budget", len(small.Customers.Nodes))
	}
}
