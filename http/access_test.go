package http_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/golang-jwt/jwt/v5"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
	cdphttp "github.com/cdpgraph/cdpgraph/http"
)

// errorCodes runs a query and returns the extension codes of its errors and its data.
func errorCodes(t *testing.T, c *client.Client, query string, opts ...client.Option) ([]string, json.RawMessage) {
	t.Helper()
	resp, err := c.RawPost(query, opts...)
	if err != nil {
		t.Fatal(err)
	}
	var errs []struct {
		Message    string
		Extensions struct{ Code string }
	}
	if len(resp.Errors) > 0 {
		if err := json.Unmarshal(resp.Errors, &errs); err != nil {
			t.Fatalf("errors %s: %v", resp.Errors, err)
		}
	}
	codes := make([]string, len(errs))
	for i, e := range errs {
		codes[i] = e.Extensions.Code
	}
	data, _ := json.Marshal(resp.Data)
	return codes, data
}

func wantCode(t *testing.T, what string, codes []string, code string) {
	t.Helper()
	if len(codes) == 0 || codes[0] != code {
		t.Errorf("%s: error codes %v, want %s", what, codes, code)
	}
}

func TestWithoutCredentialsOnlyHealthAndGraphiQLAnswer(t *testing.T) {
	a := newAPI(t, options())
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	for _, tc := range []struct {
		method, path, auth string
		want               int
	}{
		{"POST", "/graphql", "", 401},
		{"GET", "/graphql?query=%7B__typename%7D", "", 401},
		{"POST", "/graphql", "Bearer cdp_not-a-key", 401},
		{"POST", "/graphql", "Bearer not.a.jwt", 401},
		{"POST", "/graphql", "Basic YWRtaW46YWRtaW4=", 401},
		{"GET", "/segments/seg_x/members.csv", "", 401},
		{"GET", "/healthz", "", 200},
		{"GET", "/readyz", "", 200},
		{"GET", "/", "", 200},
		{"POST", "/graphql", "Bearer " + a.key, 200},
	} {
		req, _ := nethttp.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(`{"query":"{ __typename }"}`))
		req.Header.Set("Content-Type", "application/json")
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		res, err := nethttp.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.want {
			t.Errorf("%s %s (%q) = %d %s, want %d", tc.method, tc.path, tc.auth, res.StatusCode, body, tc.want)
		}
		if tc.want == 401 && (!strings.Contains(string(body), "UNAUTHENTICATED") || res.Header.Get("WWW-Authenticate") == "") {
			t.Errorf("%s %s: 401 without a GraphQL error or WWW-Authenticate: %s", tc.method, tc.path, body)
		}
	}
}

// accessFixture: four customers from the CRM with different partner-sharing consents, and
// one known to the web shop.
type accessFixture struct {
	a   *api
	ids map[string]string // C0.. and W0 -> customer id
}

func newAccessFixture(t testing.TB, opts cdphttp.Options) *accessFixture {
	a := newAPI(t, opts)
	a.seed(t, 4)
	var r map[string]struct{ Accepted, Rejected int }
	post(t, a.c, `mutation {
  consents: ingestConsents(source: "crm", records: [
    {sourceId: "S0", customerSourceId: "C0", purpose: "partner_sharing", granted: "yes", occurredAt: "2026-01-02T00:00:00Z"},
    {sourceId: "S1", customerSourceId: "C1", purpose: "partner_sharing", granted: "yes", occurredAt: "2026-01-02T00:00:00Z"},
    {sourceId: "S1a", customerSourceId: "C1", purpose: "partner_sharing:acme", granted: "no", occurredAt: "2026-01-03T00:00:00Z"},
    {sourceId: "S2", customerSourceId: "C2", purpose: "partner_sharing:acme", granted: "yes", occurredAt: "2026-01-02T00:00:00Z"}]) { accepted rejected }
  web: ingestCustomers(source: "web", records: [{sourceId: "W0", givenName: "Wen", familyName: "Web", email: "wen@example.com"}]) { accepted rejected }
}`, &r)
	if r["consents"].Accepted != 4 || r["web"].Accepted != 1 {
		t.Fatalf("fixture: %+v", r)
	}
	f := &accessFixture{a: a, ids: map[string]string{}}
	for name, email := range map[string]string{"C0": "p0@example.com", "C1": "p1@example.com", "C2": "p2@example.com", "C3": "p3@example.com", "W0": "wen@example.com"} {
		var c struct{ CustomerByIdentifier struct{ CustomerID string } }
		post(t, a.c, `query($v: String!) { customerByIdentifier(type: EMAIL, value: $v) { customerId } }`, &c, client.Var("v", email))
		f.ids[name] = c.CustomerByIdentifier.CustomerID
	}
	return f
}

const profileQuery = `query($id: ID!) { customer(id: $id) { customerId profile { givenName familyName email phone city } identifiers { type value } } }`

type profileResult struct {
	Customer *struct {
		CustomerID string
		Profile    struct {
			GivenName, FamilyName, Email, Phone, City *string
		}
		Identifiers []struct{ Type, Value string }
	}
}

func (f *accessFixture) profile(t *testing.T, c *client.Client, name string) (profileResult, []string) {
	t.Helper()
	codes, data := errorCodes(t, c, profileQuery, client.Var("id", f.ids[name]))
	var out profileResult
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	return out, codes
}

func TestAnalystSeesPseudonymsUnlessGranted(t *testing.T) {
	f := newAccessFixture(t, options())
	analyst := f.a.client(f.a.newKey(t, auth.KeySpec{Name: "analyst", Role: cdp.RoleAnalyst}))
	p, codes := f.profile(t, analyst, "C0")
	if len(codes) > 0 {
		t.Fatalf("analyst profile: %v", codes)
	}
	pr := p.Customer.Profile
	if !strings.HasPrefix(*pr.Email, "anon_") || !strings.HasPrefix(*pr.GivenName, "anon_") || !strings.HasPrefix(*pr.Phone, "anon_") || *pr.City != "Shanghai" {
		t.Fatalf("analyst profile %+v %s %s", pr, *pr.Email, *pr.City)
	}
	// Identifiers are pseudonymized too (under their own kind, so not as the profile email:
	// TestAnalystPseudonymsAreSeparatedByKindAndFreeTextsWithheld).
	for _, id := range p.Customer.Identifiers {
		if !strings.HasPrefix(id.Value, "anon_") || strings.Contains(id.Value, "@") || strings.Contains(id.Value, "+86") {
			t.Errorf("raw identifier %s for an analyst", id.Value)
		}
	}
	// Lists and connections are masked alike; scores are not personal.
	var list struct {
		Customers struct {
			Nodes []struct{ Profile struct{ Email *string } }
		}
	}
	post(t, analyst, `{ customers(first: 10) { nodes { profile { email } } } }`, &list)
	for _, n := range list.Customers.Nodes {
		if n.Profile.Email != nil && !strings.HasPrefix(*n.Profile.Email, "anon_") {
			t.Errorf("raw email %s in a connection", *n.Profile.Email)
		}
	}
	// Administrative fields are refused with FORBIDDEN.
	for _, q := range []string{`mutation { runScoring { version } }`, `{ exportCustomer(id: "` + f.ids["C0"] + `") }`,
		`mutation { eraseCustomer(id: "` + f.ids["C0"] + `") { customerId } }`, `{ apiKeys { id } }`,
		`mutation { ingestEvents(source: "web", records: []) { accepted } }`,
		// Lookups by personal data would tie a pseudonym to a person.
		`{ customerByIdentifier(type: EMAIL, value: "p0@example.com") { customerId } }`,
		`{ customers(filter: {search: "p0@example.com"}) { totalCount } }`} {
		codes, _ := errorCodes(t, analyst, q)
		wantCode(t, q, codes, "FORBIDDEN")
	}
	// A segment export pseudonymizes the same columns.
	var seg struct{ CreateSegment struct{ ID string } }
	post(t, f.a.c, `mutation { createSegment(name: "all", definition: {profile: {field: "country", op: "eq", values: ["CN"]}}) { id } }`, &seg)
	req := httptest.NewRequest("GET", "/segments/"+seg.CreateSegment.ID+"/members.csv", nil)
	analystKey := f.a.newKey(t, auth.KeySpec{Name: "analyst 2", Role: cdp.RoleAnalyst})
	req.Header.Set("Authorization", "Bearer "+analystKey)
	rec := httptest.NewRecorder()
	f.a.handler.ServeHTTP(rec, req)
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || rec.Code != 200 || len(rows) < 5 {
		t.Fatalf("analyst export: %d %d rows %v", rec.Code, len(rows), err)
	}
	for _, row := range rows[1:] {
		if !strings.HasPrefix(row[2], "anon_") || strings.Contains(strings.Join(row, ","), "@") {
			t.Errorf("export row for an analyst: %v", row)
		}
	}
	// With the personal-data grant the analyst reads raw values.
	granted := f.a.client(f.a.newKey(t, auth.KeySpec{Name: "granted", Role: cdp.RoleAnalyst, PII: true}))
	if p, _ := f.profile(t, granted, "C0"); *p.Customer.Profile.Email != "p0@example.com" {
		t.Errorf("granted analyst email %s", *p.Customer.Profile.Email)
	}
	var hits struct{ Customers struct{ TotalCount int } }
	post(t, granted, `{ customers(filter: {search: "p0@example.com"}) { totalCount } }`, &hits)
	if hits.Customers.TotalCount != 1 {
		t.Errorf("granted analyst search found %d", hits.Customers.TotalCount)
	}
	post(t, analyst, `{ customers(filter: {city: "Shanghai", search: ""}) { totalCount } }`, &hits)
	if hits.Customers.TotalCount < 4 {
		t.Errorf("analyst filter by city found %d", hits.Customers.TotalCount)
	}
}

func TestPartnerSeesConsentingCustomersAndContractFieldsOnly(t *testing.T) {
	f := newAccessFixture(t, options())
	partner := f.a.client(f.a.newKey(t, auth.KeySpec{Name: "acme", Role: cdp.RolePartner, Partner: "acme"}))
	// C0 shares with every partner, C2 with acme alone; C1 withdrew for acme; C3 never agreed.
	for name, visible := range map[string]bool{"C0": true, "C1": false, "C2": true, "C3": false} {
		p, codes := f.profile(t, partner, name)
		if !visible {
			// Exactly like a customer that does not exist, so probing reveals nothing.
			if p.Customer != nil || len(codes) != 0 {
				t.Errorf("%s: got %+v %v, want null and no error", name, p.Customer, codes)
			}
			continue
		}
		if len(codes) > 0 || p.Customer == nil {
			t.Fatalf("%s: %v", name, codes)
		}
		pr := p.Customer.Profile
		// The contract lists given name and email; family name and phone are withheld.
		if pr.Email == nil || !strings.HasSuffix(*pr.Email, "@example.com") || pr.GivenName == nil || pr.FamilyName != nil || pr.Phone != nil {
			t.Errorf("%s partner profile %+v", name, pr)
		}
		for _, id := range p.Customer.Identifiers {
			if id.Value != cdphttp.Masked {
				t.Errorf("%s: identifier %s not masked", name, id.Value)
			}
		}
	}
	// Fields the role may not read, and listings, are refused.
	var seg struct{ CreateSegment struct{ MemberCount int } }
	post(t, f.a.c, `mutation { createSegment(name: "cn", definition: {profile: {field: "country", op: "eq", values: ["CN"]}}) { memberCount } }`, &seg)
	var names struct {
		Customer struct{ Segments []struct{ Name string } }
	}
	post(t, partner, `query($id: ID!) { customer(id: $id) { segments { name } } }`, &names, client.Var("id", f.ids["C0"]))
	if len(names.Customer.Segments) != 1 || names.Customer.Segments[0].Name != "cn" {
		t.Fatalf("partner segment names %+v (segment has %d members)", names, seg.CreateSegment.MemberCount)
	}
	for _, q := range []string{`{ customers { totalCount } }`, `query($id: ID!) { customer(id: $id) { orders { totalCount } } }`,
		`query($id: ID!) { customer(id: $id) { socialTies { type } } }`, `{ scoringModel { version } }`,
		`query($id: ID!) { customer(id: $id) { segments { members { totalCount } } } }`} {
		codes, _ := errorCodes(t, partner, q, client.Var("id", f.ids["C0"]))
		wantCode(t, q, codes, "FORBIDDEN")
	}
	// Every read of personal data is in the audit log: who, which customers, which fields.
	var log struct {
		AuditLog struct {
			Nodes []struct {
				Actor, Role, Partner, Action, Detail string
				Customers                            []string
			}
		}
	}
	post(t, f.a.c, `{ auditLog(filter: {action: "partner.read"}) { nodes { actor role partner action customers detail } } }`, &log)
	seen := map[string]bool{}
	for _, e := range log.AuditLog.Nodes {
		if e.Role != "PARTNER" || e.Partner != "acme" || !strings.Contains(e.Detail, "Profile.email") {
			t.Errorf("audit entry %+v", e)
		}
		for _, c := range e.Customers {
			seen[c] = true
		}
	}
	if len(log.AuditLog.Nodes) != 2 || !seen[f.ids["C0"]] || !seen[f.ids["C2"]] || seen[f.ids["C1"]] || seen[f.ids["C3"]] {
		t.Errorf("partner reads audited: %+v", log.AuditLog.Nodes)
	}
}

func TestFrontendSeesItsOwnSourcesCustomers(t *testing.T) {
	f := newAccessFixture(t, options())
	web := f.a.client(f.a.newKey(t, auth.KeySpec{Name: "web shop", Role: cdp.RoleFrontend, Sources: []string{"web"}}))
	p, codes := f.profile(t, web, "W0")
	if len(codes) > 0 || *p.Customer.Profile.Email != "wen@example.com" {
		t.Fatalf("frontend own customer: %+v %v", p.Customer, codes)
	}
	if p, codes := f.profile(t, web, "C0"); p.Customer != nil || len(codes) != 0 {
		t.Errorf("frontend read a CRM-only customer: %+v %v", p.Customer, codes)
	}
	var ok struct{ IngestEvents struct{ Accepted int } }
	post(t, web, `mutation { ingestEvents(source: "web", records: [{sourceId: "WE1", customerSourceId: "W0", type: "view", occurredAt: "2026-02-01T10:00:00Z"}]) { accepted } }`, &ok)
	if ok.IngestEvents.Accepted != 1 {
		t.Errorf("frontend event: %+v", ok)
	}
	codes, _ = errorCodes(t, web, `mutation { ingestEvents(source: "crm", records: []) { accepted } }`)
	wantCode(t, "events as another source", codes, "FORBIDDEN")
	codes, _ = errorCodes(t, web, `{ customers { totalCount } }`)
	wantCode(t, "frontend listing", codes, "FORBIDDEN")
}

func TestAPIKeysThroughGraphQLAndTheAuditLog(t *testing.T) {
	a := newAPI(t, options())
	var created struct {
		CreateAPIKey struct {
			Secret string
			Key    struct{ ID, Role string }
		}
	}
	post(t, a.c, `mutation { createApiKey(input: {name: "bi tool", role: ANALYST}) { secret key { id role } } }`, &created)
	if !strings.HasPrefix(created.CreateAPIKey.Secret, "cdp_") || created.CreateAPIKey.Key.Role != "ANALYST" {
		t.Fatalf("created %+v", created)
	}
	analyst := a.client(created.CreateAPIKey.Secret)
	var v struct {
		Viewer struct{ Role, Subject string }
	}
	post(t, analyst, `{ viewer { role subject } }`, &v)
	if v.Viewer.Role != "ANALYST" || v.Viewer.Subject != created.CreateAPIKey.Key.ID {
		t.Fatalf("viewer %+v", v)
	}
	codes, _ := errorCodes(t, a.c, `mutation { createApiKey(input: {name: "x", role: PARTNER, partner: "nobody"}) { secret } }`)
	wantCode(t, "partner without contract", codes, "BAD_USER_INPUT")
	var revoked struct {
		RevokeAPIKey struct{ RevokedAt *time.Time }
	}
	post(t, a.c, `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, &revoked, client.Var("id", created.CreateAPIKey.Key.ID))
	if revoked.RevokeAPIKey.RevokedAt == nil {
		t.Fatal("not revoked")
	}
	if _, err := analyst.RawPost(`{ viewer { role } }`); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("revoked key still answers: %v", err)
	}
	var log struct {
		AuditLog struct {
			TotalCount int
			Nodes      []struct{ Action, Actor, Detail string }
		}
	}
	post(t, a.c, `{ auditLog(first: 10) { totalCount nodes { action actor detail } } }`, &log)
	actions := []string{}
	for _, e := range log.AuditLog.Nodes {
		actions = append(actions, e.Action+" "+e.Detail)
	}
	got := strings.Join(actions, " | ")
	if !strings.Contains(got, "revokeApiKey id="+created.CreateAPIKey.Key.ID+" ok") || !strings.Contains(got, "createApiKey") ||
		!strings.Contains(got, "failed BAD_USER_INPUT") {
		t.Errorf("audit log: %s", got)
	}
}

func TestJWTCallers(t *testing.T) {
	const secret = "a-test-signing-secret-of-32-bytes!!"
	j, err := auth.NewJWT(auth.JWTConfig{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	opts := options()
	opts.Access.Auth.JWT = j
	f := newAccessFixture(t, opts)
	sign := func(claims jwt.MapClaims) string {
		s, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
		return s
	}
	partner := f.a.client(sign(jwt.MapClaims{"sub": "acme-portal", "role": "partner", "partner": "acme", "exp": time.Now().Add(time.Hour).Unix()}))
	if p, codes := f.profile(t, partner, "C2"); len(codes) > 0 || p.Customer == nil || p.Customer.Profile.Phone != nil {
		t.Fatalf("JWT partner: %+v %v", p.Customer, codes)
	}
	expired := f.a.client(sign(jwt.MapClaims{"sub": "x", "role": "admin", "exp": time.Now().Add(-time.Hour).Unix()}))
	if _, err := expired.RawPost(`{ viewer { role } }`); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("expired token: %v", err)
	}
}

func TestShapeAndRateLimits(t *testing.T) {
	opts := options()
	opts.GraphQL.MaxDepth, opts.GraphQL.MaxAliases, opts.GraphQL.MaxRootFields = 6, 3, 2
	opts.Limits = cdphttp.Limits{RatePerSecond: 0.001, Burst: 6}
	a := newAPI(t, opts)
	for q, code := range map[string]string{
		`{ customers { nodes { sourceRecords { customer { sourceRecords { customer { customerId } } } } } } }`: "QUERY_TOO_DEEP",
		`{ a: viewer { role } b: viewer { role } c: viewer { role } d: viewer { role } }`:                      "TOO_MANY_ALIASES",
		`{ viewer { role } scoringModel { version } rfmGrid { r } }`:                                           "TOO_MANY_ROOT_FIELDS",
	} {
		codes, _ := errorCodes(t, a.c, q)
		wantCode(t, q, codes, code)
	}
	// Three requests above (and newAPI's none): the burst of 6 allows three more, then 429.
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	statuses := []int{}
	for i := 0; i < 4; i++ {
		req, _ := nethttp.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(`{"query":"{ viewer { role } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+a.key)
		res, err := nethttp.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		statuses = append(statuses, res.StatusCode)
		if res.StatusCode == 429 && res.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if fmt.Sprint(statuses) != "[200 200 200 429]" {
		t.Errorf("statuses %v, want three answers then 429", statuses)
	}
}

func TestSchemaDeclaresAccessForEveryRootField(t *testing.T) {
	a := newAPI(t, options())
	var schema struct {
		Schema struct {
			Types []struct {
				Name   string
				Fields []struct{ Name, Description string }
			}
		} `json:"__schema"`
	}
	post(t, a.c, `{ __schema { types { name fields { name description } } } }`, &schema)
	checked := 0
	for _, ty := range schema.Schema.Types {
		for _, f := range ty.Fields {
			root := ty.Name == "Query" || ty.Name == "Mutation" || ty.Name == "Subscription"
			if root && !strings.Contains(f.Description, "Roles: ") {
				t.Errorf("%s.%s does not say which roles may call it", ty.Name, f.Name)
			}
			if (ty.Name == "Profile" && f.Name == "email") || (ty.Name == "Identifier" && f.Name == "value") || (ty.Name == "Feedback" && f.Name == "text") {
				checked++
				if !strings.Contains(f.Description, "Personal data") {
					t.Errorf("%s.%s: masking is not documented: %q", ty.Name, f.Name, f.Description)
				}
			}
		}
	}
	if checked != 3 {
		t.Errorf("checked %d personal fields", checked)
	}
}

// Subscriptions authenticate in connection_init (browsers cannot set websocket headers)
// and are masked like any other answer.
func TestSubscriptionsAuthenticateAndAreMasked(t *testing.T) {
	f := newAccessFixture(t, options())
	analystKey := f.a.newKey(t, auth.KeySpec{Name: "analyst", Role: cdp.RoleAnalyst})
	anonymous := client.New(f.a.handler, client.Path("/graphql"))
	sub := anonymous.WebsocketWithPayload(`subscription { segmentMembershipChanged { kind customer { profile { email } } } }`,
		map[string]any{"Authorization": "Bearer " + analystKey})
	defer sub.Close()
	var seg struct{ CreateSegment struct{ ID string } }
	post(t, f.a.c, `mutation { createSegment(name: "cn", definition: {profile: {field: "country", op: "eq", values: ["CN"]}}) { id } }`, &seg)
	var msg struct {
		SegmentMembershipChanged struct {
			Kind     string
			Customer struct{ Profile struct{ Email *string } }
		}
	}
	if err := sub.Next(&msg); err != nil {
		t.Fatalf("subscription: %v", err)
	}
	if e := msg.SegmentMembershipChanged.Customer.Profile.Email; e == nil || !strings.HasPrefix(*e, "anon_") {
		t.Fatalf("subscription payload %+v", msg)
	}
	// Without credentials the connection is refused.
	refused := anonymous.Websocket(`subscription { churnBandChanged { to } }`)
	defer refused.Close()
	var band map[string]any
	if err := refused.Next(&band); err == nil {
		t.Fatalf("an anonymous subscription was served: %v", band)
	}
}
