package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/actions"
	"github.com/cdpgraph/cdpgraph/analytics"
	"github.com/cdpgraph/cdpgraph/auth"
	"github.com/cdpgraph/cdpgraph/events"
	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/ingest"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
	"github.com/cdpgraph/cdpgraph/privacy"
	"github.com/cdpgraph/cdpgraph/recommend"
	"github.com/cdpgraph/cdpgraph/resolvers"
	"github.com/cdpgraph/cdpgraph/segment"
)

// post runs a query that must succeed and decodes its data, ignoring fields out does not name.
func post(t testing.TB, c *client.Client, query string, out any, opts ...client.Option) {
	t.Helper()
	resp, err := c.RawPost(query, opts...)
	if err != nil {
		t.Fatalf("query failed: %v", err)
	}
	if len(resp.Errors) > 0 {
		t.Fatalf("query errors: %s", resp.Errors)
	}
	b, _ := json.Marshal(resp.Data)
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// options are the test server's settings. Callers authenticate with memAdminKey against an
// in-memory key store; newAPI swaps in keys and an audit log kept in Neo4j.
func options() cdphttp.Options {
	return cdphttp.Options{MaxBodyBytes: 1 << 20, GraphiQL: true, GraphQL: cdphttp.GraphQLOptions{
		Introspection: true, ComplexityLimit: 20000, TokenLimit: 5000, QueryCacheSize: 100},
		Access: memAccess()}
}

type api struct {
	r       *resolvers.Resolver
	db      *neo4j.DB
	store   *neo4j.IngestStore
	handler nethttp.Handler
	c       *client.Client // authenticated as admin
	keys    *auth.Keys
	key     string // the admin key's secret
}

func newAPI(t testing.TB, opts cdphttp.Options) *api {
	db := neo4jtest.DB(t)
	store := neo4j.NewIngestStore(db, identity.DefaultRules())
	svc := ingest.NewService(store, ingest.Options{DefaultRegion: "CN"})
	scorer := analytics.NewScorer(neo4j.NewAnalyticsStore(db), analytics.Settings{}, quiet)
	broker := events.NewBroker()
	scorer.OnBandChange = broker.PublishChurnBands
	segments := segment.NewService(neo4j.NewSavedSegments(db), neo4j.NewSegmentStore(db), quiet)
	segments.OnChange = broker.PublishMembership
	segments.Actions = actions.DefaultPlaybook().Actions()
	r := &resolvers.Resolver{CustomerReader: neo4j.NewCustomerStore(db), Identity: identity.NewService(neo4j.NewIdentityStore(store), identity.DefaultRules()), Ingest: svc, Analytics: scorer,
		Social: neo4j.NewInfluenceStore(db), SegmentService: segments, Events: broker,
		Actions:     actions.NewService(actions.DefaultPlaybook(), neo4j.NewActionStore(db), neo4j.NewCustomerStore(db)),
		Recommender: recommend.NewService(neo4j.NewRecommendStore(db), quiet),
		Privacy:     privacy.NewService(neo4j.NewCustomerStore(db), neo4j.NewErasureStore(db))}
	keys := auth.NewKeys(neo4j.NewAccessStore(db), testPartners)
	opts.Access = cdphttp.Access{Auth: &auth.Authenticator{Keys: keys, JWT: opts.Access.Auth.JWT}, Partners: testPartners,
		Pseudo: auth.NewPseudonymizer("test"), Audit: neo4j.NewAccessStore(db)}
	r.Keys, r.Audit = keys, opts.Access.Audit
	h := cdphttp.NewHandler(r, db, opts, quiet)
	a := &api{db: db, store: store, handler: h, r: r, keys: keys}
	a.key = a.newKey(t, auth.KeySpec{Name: "test admin", Role: cdp.RoleAdmin})
	a.c = a.client(a.key)
	return a
}

// seed loads n customers through the GraphQL mutations, each with two orders, events,
// feedback, consents, and a follow of the previous customer.
func (a *api) seed(t testing.TB, n int) {
	t.Helper()
	var customers, orders, events, feedback, ties, consents []string
	for i := 0; i < n; i++ {
		customers = append(customers, fmt.Sprintf(`{sourceId: "C%d", givenName: "given", familyName: "%s", email: "P%d@Example.com", phone: "+86 138 0000 %04d", city: "Shanghai", country: "cn"}`, i, family(i), i, i))
		for j := 0; j < 2; j++ {
			orders = append(orders, fmt.Sprintf(`{sourceId: "O%d-%d", customerSourceId: "C%d", orderedAt: "2026-0%d-01T10:00:00+08:00", currency: "CNY", items: [{sku: "SKU-%d", name: "Item", category: "home", quantity: "1", unitPrice: "9.90"}]}`, i, j, i, j+1, j))
		}
		events = append(events, fmt.Sprintf(`{sourceId: "E%d", customerSourceId: "C%d", type: "view", occurredAt: "2026-02-01T10:00:00Z", sku: "SKU-1"}`, i, i))
		feedback = append(feedback, fmt.Sprintf(`{sourceId: "F%d", customerSourceId: "C%d", kind: "review", createdAt: "2026-02-02T10:00:00Z", rating: "5", text: "很好"}`, i, i))
		consents = append(consents, fmt.Sprintf(`{sourceId: "K%d", customerSourceId: "C%d", purpose: "email_marketing", granted: "yes", occurredAt: "2026-01-01T00:00:00Z"}`, i, i))
		if i > 0 {
			ties = append(ties, fmt.Sprintf(`{fromSourceId: "C%d", toSourceId: "C%d", type: "follows"}`, i, i-1))
		}
	}
	for _, m := range []struct{ name, input string }{
		{"ingestCustomers", strings.Join(customers, ",")}, {"ingestOrders", strings.Join(orders, ",")},
		{"ingestEvents", strings.Join(events, ",")}, {"ingestFeedback", strings.Join(feedback, ",")},
		{"ingestSocialTies", strings.Join(ties, ",")}, {"ingestConsents", strings.Join(consents, ",")},
	} {
		var resp map[string]struct{ Accepted, Rejected int }
		post(t, a.c, `mutation { r: `+m.name+`(source: "crm", records: [`+m.input+`]) { accepted rejected } }`, &resp)
		if resp["r"].Rejected != 0 {
			t.Fatalf("%s rejected %d records", m.name, resp["r"].Rejected)
		}
	}
}

// family is a sortable letters-only family name: Famaa, Famab...
func family(i int) string { return "Fam" + string(rune('a'+i/26)) + string(rune('a'+i%26)) }

const customer360 = `
fragment C360 on Customer {
  id customerId sources
  profile { fullName givenName familyName email phone city country }
  provenance { field source sourceId }
  identifiers { type value }
  sourceRecords { id source sourceId placeholder identifiers { type value } }
  orders(first: 5) { totalCount pageInfo { hasNextPage endCursor } nodes { id orderedAt total { amount currency } items { quantity unitPrice { amount } product { sku name category } } } }
  events(first: 5) { totalCount nodes { type occurredAt sku } }
  feedback(first: 5) { totalCount nodes { kind rating text } }
  socialTies { type direction customer { customerId profile { fullName } } }
  consents { purpose granted }
  consentHistory { purpose granted occurredAt }
}`

func TestCustomer360(t *testing.T) {
	a := newAPI(t, options())
	a.seed(t, 3)
	var resp struct {
		ByIdentifier struct {
			ID            string
			CustomerID    string `json:"customerId"`
			Sources       []string
			Profile       map[string]*string
			Provenance    []struct{ Field, Source, SourceID string }
			Identifiers   []struct{ Type, Value string }
			SourceRecords []struct{ ID, Source, SourceID string }
			Orders        struct {
				TotalCount int
				PageInfo   struct{ HasNextPage bool }
				Nodes      []struct {
					ID    string
					Total struct{ Amount, Currency string }
					Items []struct {
						Quantity int
						Product  struct{ SKU string }
					}
				}
			}
			Events   struct{ TotalCount int }
			Feedback struct {
				TotalCount int
				Nodes      []struct{ Text string }
			}
			SocialTies []struct {
				Type, Direction string
				Customer        struct {
					CustomerID string `json:"customerId"`
				}
			}
			Consents []struct {
				Purpose string
				Granted bool
			}
		}
	}
	// Any phone format finds the customer: the lookup normalizes like ingest does.
	post(t, a.c, `query($v: String!) { byIdentifier: customerByIdentifier(type: PHONE, value: $v) { ...C360 } }`+customer360, &resp,
		client.Var("v", "138-0000-0001"))
	c := resp.ByIdentifier
	if c.CustomerID == "" || *c.Profile["fullName"] != "Given Famab" || *c.Profile["email"] != "p1@example.com" || *c.Profile["country"] != "CN" {
		t.Fatalf("profile = %+v", c)
	}
	if len(c.Provenance) == 0 || c.Provenance[0].Source != "crm" || c.Provenance[0].SourceID != "C1" {
		t.Fatalf("provenance = %+v", c.Provenance)
	}
	if len(c.Identifiers) != 2 || len(c.SourceRecords) != 1 || c.SourceRecords[0].SourceID != "C1" {
		t.Fatalf("identifiers %+v records %+v", c.Identifiers, c.SourceRecords)
	}
	if c.Orders.TotalCount != 2 || len(c.Orders.Nodes) != 2 || c.Orders.Nodes[0].Total.Amount != "9.90" || c.Orders.Nodes[0].Items[0].Product.SKU != "SKU-1" {
		t.Fatalf("orders = %+v (want newest first)", c.Orders)
	}
	if c.Events.TotalCount != 1 || c.Feedback.Nodes[0].Text != "很好" || len(c.Consents) != 1 || !c.Consents[0].Granted {
		t.Fatalf("events %+v feedback %+v consents %+v", c.Events, c.Feedback, c.Consents)
	}
	// Customer 1 follows 0 and is followed by 2.
	if len(c.SocialTies) != 2 {
		t.Fatalf("ties = %+v", c.SocialTies)
	}

	// The same customer by global id, by plain id, and through node().
	for _, q := range []string{`customer(id: $id)`, `node(id: $id)`} {
		var r map[string]struct {
			CustomerID string `json:"customerId"`
		}
		post(t, a.c, `query($id: ID!) { x: `+q+` { ... on Customer { customerId } } }`, &r, client.Var("id", c.ID))
		if r["x"].CustomerID != c.CustomerID {
			t.Fatalf("%s gave %+v", q, r)
		}
	}
	var plain map[string]struct{ ID string }
	post(t, a.c, `query($id: ID!) { x: customer(id: $id) { id } }`, &plain, client.Var("id", c.CustomerID))
	if plain["x"].ID != c.ID {
		t.Fatalf("plain id lookup = %+v", plain)
	}
	var order map[string]struct{ SourceID string }
	post(t, a.c, `query($id: ID!) { x: node(id: $id) { ... on Order { sourceId } } }`, &order, client.Var("id", c.Orders.Nodes[0].ID))
	if order["x"].SourceID != "O1-1" {
		t.Fatalf("order node = %+v", order)
	}
}

func TestCustomersPagination(t *testing.T) {
	a := newAPI(t, options())
	a.seed(t, 5)
	type page struct {
		Customers struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage, HasPreviousPage bool
				EndCursor                    *string
			}
			Nodes []struct{ Profile struct{ FamilyName string } }
		}
	}
	var seen []string
	var after *string
	for i := 0; i < 3; i++ {
		var p page
		post(t, a.c, `query($after: String) { customers(first: 2, after: $after, orderBy: {field: FAMILY_NAME, direction: DESC}) {
			totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { profile { familyName } } } }`, &p, client.Var("after", after))
		if p.Customers.TotalCount != 5 {
			t.Fatalf("totalCount = %d", p.Customers.TotalCount)
		}
		for _, n := range p.Customers.Nodes {
			seen = append(seen, n.Profile.FamilyName)
		}
		if p.Customers.PageInfo.HasNextPage != (i < 2) || p.Customers.PageInfo.HasPreviousPage != (i > 0) {
			t.Fatalf("page %d pageInfo = %+v", i, p.Customers.PageInfo)
		}
		after = p.Customers.PageInfo.EndCursor
	}
	want := []string{"Famae", "Famad", "Famac", "Famab", "Famaa"}
	if strings.Join(seen, ",") != strings.Join(want, ",") {
		t.Fatalf("pages gave %v, want %v", seen, want)
	}

	var filtered page
	post(t, a.c, `{ customers(filter: {search: "fama"}, first: 10) { totalCount nodes { profile { familyName } } } }`, &filtered)
	if filtered.Customers.TotalCount != 5 {
		t.Fatalf("search by name prefix found %d", filtered.Customers.TotalCount)
	}
	post(t, a.c, `{ customers(filter: {search: "p3@example.com"}, first: 10) { totalCount nodes { profile { familyName } } } }`, &filtered)
	if filtered.Customers.TotalCount != 1 || filtered.Customers.Nodes[0].Profile.FamilyName != "Famad" {
		t.Fatalf("search by email = %+v", filtered.Customers)
	}
}

// A page of 50 customers with every 360 field must cost a fixed number of Cypher round
// trips, whatever the page size: one per field, through the loaders.
func TestLoadersBatchThe360Page(t *testing.T) {
	// A long bound on the batching wait so that a slow test machine cannot split batches
	// (batches go when all else waits; the bound matters only under load).
	opts := options()
	opts.LoaderWait = 50 * time.Millisecond
	// Every list of the 360 view priced by its bound: 50 customers cost about 133,000.
	opts.GraphQL.ComplexityLimit = 200000
	a := newAPI(t, opts)
	a.seed(t, 60)
	roundTrips := func(first int) int64 {
		before := a.db.QueryCount()
		var resp struct {
			Customers struct {
				Nodes []struct {
					CustomerID string `json:"customerId"`
				}
			}
		}
		post(t, a.c, fmt.Sprintf(`{ customers(first: %d) { nodes { ...C360 } } }`, first)+customer360, &resp)
		if len(resp.Customers.Nodes) != first {
			t.Fatalf("got %d customers, want %d", len(resp.Customers.Nodes), first)
		}
		return a.db.QueryCount() - before
	}
	small, large := roundTrips(5), roundTrips(50)
	// customers + identifiers + records + orders + events + feedback + ties + consents in
	// force + consent history + tie customers
	const budget = 10
	if large > budget || large != small {
		t.Fatalf("round trips: %d for 5 customers, %d for 50; want the same, at most %d", small, large, budget)
	}
}

func TestErrorsCarryCodes(t *testing.T) {
	a := newAPI(t, options())
	cases := []struct{ query, code string }{
		{`{ customer(id: "bm90IGFuIGlk") { id } }`, "BAD_USER_INPUT"},
		{`{ customers(first: 1000) { totalCount } }`, "BAD_USER_INPUT"},
		{`{ customers(first: 1, after: "garbage") { totalCount } }`, "BAD_USER_INPUT"},
		{`{ customerByIdentifier(type: EMAIL, value: "not an email") { id } }`, "BAD_USER_INPUT"},
		{`{ customers { nodez } }`, "GRAPHQL_VALIDATION_FAILED"},
		{`mutation { ingestCustomers(source: "Bad Source!", records: []) { accepted } }`, "BAD_USER_INPUT"},
	}
	for _, tc := range cases {
		// The client returns validation failures (HTTP 422) as an error with the body.
		var body string
		if resp, err := a.c.RawPost(tc.query); err != nil {
			body = err.Error()
		} else {
			body = string(resp.Errors)
		}
		if !strings.Contains(body, `"code":"`+tc.code+`"`) {
			t.Errorf("%s: errors %s, want code %s", tc.query, body, tc.code)
		}
		if strings.Contains(body, "Did you mean") {
			t.Errorf("%s: suggestions leak the schema: %s", tc.query, body)
		}
	}
	var missing map[string]*struct{ ID string }
	post(t, a.c, `{ x: customer(id: "cus_0000000000000000") { id } }`, &missing)
	if missing["x"] != nil {
		t.Fatalf("unknown customer = %+v, want null", missing["x"])
	}
}

func TestComplexityLimit(t *testing.T) {
	opts := options()
	opts.GraphQL.ComplexityLimit = 500
	a := newAPI(t, opts)
	resp, err := a.c.RawPost(`{ customers(first: 100) { nodes { orders(first: 100) { nodes { items { quantity } } } } } }`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(resp.Errors), "COMPLEXITY_LIMIT_EXCEEDED") {
		t.Fatalf("errors = %s", resp.Errors)
	}
}

// failingReader breaks the way a database can: with a message that must not reach clients.
type failingReader struct{ cdp.CustomerReader }

func (failingReader) FindCustomersWith(context.Context, cdp.CustomerFilter, cdp.CustomerOrder, cdp.PageArgs, cdp.Related) (*cdp.Page[*cdp.CustomerWith], error) {
	return nil, fmt.Errorf("neo4j: Neo.ClientError.Security.Unauthorized: secret-password rejected for bolt://10.0.0.5")
}

type downDB struct{}

func (downDB) Ping(context.Context) error { return fmt.Errorf("connection refused") }

func TestInternalErrorsDoNotLeak(t *testing.T) {
	r := &resolvers.Resolver{CustomerReader: failingReader{}}
	h := cdphttp.NewHandler(r, downDB{}, options(), quiet)
	resp, err := client.New(h, client.Path("/graphql"), client.AddHeader("Authorization", "Bearer "+memAdminKey)).RawPost(`{ customers { totalCount } }`)
	if err != nil {
		t.Fatal(err)
	}
	body := string(resp.Errors)
	if strings.Contains(body, "secret") || strings.Contains(body, "neo4j") || !strings.Contains(body, `"code":"INTERNAL"`) {
		t.Fatalf("errors = %s", body)
	}
}

func TestHTTPEndpoints(t *testing.T) {
	a := newAPI(t, options())
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	get := func(h nethttp.Handler, path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code, rec.Body.String()
	}
	if code, _ := get(a.handler, "/healthz"); code != 200 {
		t.Fatalf("/healthz = %d", code)
	}
	if code, _ := get(a.handler, "/readyz"); code != 200 {
		t.Fatalf("/readyz = %d with Neo4j up", code)
	}
	down := cdphttp.NewHandler(&resolvers.Resolver{CustomerReader: failingReader{}}, downDB{}, options(), quiet)
	if code, _ := get(down, "/readyz"); code != 503 {
		t.Fatalf("/readyz = %d with Neo4j down, want 503", code)
	}
	if code, body := get(a.handler, "/"); code != 200 || !strings.Contains(body, "graphiql") {
		t.Fatalf("GraphiQL page = %d", code)
	}
	// A body over the limit is refused before parsing.
	big := `{"query":"{ customers { totalCount } }","variables":{"pad":"` + strings.Repeat("x", 2<<20) + `"}}`
	req, _ := nethttp.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(big))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.key)
	res, err := nethttp.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != nethttp.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body = %d, want 413", res.StatusCode)
	}
	// GET queries work (for caching proxies); mutations over GET do not.
	req, _ = nethttp.NewRequest("GET", srv.URL+"/graphql?query=%7Bcustomers%7BtotalCount%7D%7D", nil)
	req.Header.Set("Authorization", "Bearer "+a.key)
	res, err = nethttp.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"totalCount":0`) {
		t.Fatalf("GET query = %d %s", res.StatusCode, body)
	}
}

func TestIntrospectionSwitch(t *testing.T) {
	opts := options()
	opts.GraphQL.Introspection = false
	a := newAPI(t, opts)
	resp, err := a.c.RawPost(`{ __schema { types { name } } }`)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Errors) == 0 {
		t.Fatal("introspection answered while switched off")
	}
}
