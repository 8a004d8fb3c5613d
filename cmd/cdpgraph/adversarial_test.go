package main

// The adversarial suite: the attacks of the security review (issue 14) and the ones that
// held, replayed against the real server (serve, exactly as the binary runs it) on real
// Neo4j, so what was fixed stays fixed. docs/privacy.md lists what the server promises.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
)

// target is a running server with a seeded company and a key per role.
type target struct {
	url  string
	keys map[string]string // role name -> secret
	ids  map[string]string // source id -> customer id
	dir  string
}

// startTarget seeds the database through the API, creates keys with the CLI and serves.
func startTarget(t *testing.T, env map[string]string) *target {
	t.Helper()
	neo4jtest.DB(t)
	dir := t.TempDir()
	partners := filepath.Join(dir, "partners.json")
	if err := os.WriteFile(partners, []byte(`{"partners": [{"id": "acme", "name": "Acme", "fields": ["Profile.givenName", "Profile.email"]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NEO4J_URI", neo4jtest.URI())
	t.Setenv("CDP_PARTNERS", partners)
	t.Setenv("CDP_PSEUDONYM_KEY", "adversarial-suite-pseudonym-key")
	t.Setenv("CDP_JWT_SECRET", jwtSecret)
	t.Setenv("CDP_LOG_LEVEL", "error")
	t.Setenv("CDP_WS_INIT_TIMEOUT", "1s")
	for k, v := range env {
		t.Setenv(k, v)
	}
	tg := &target{keys: map[string]string{}, ids: map[string]string{}, dir: dir}
	for _, k := range []struct {
		name string
		args []string
	}{
		{"admin", []string{"--role", "admin"}},
		{"analyst", []string{"--role", "analyst"}},
		{"analyst-pii", []string{"--role", "analyst", "--pii"}},
		{"frontend", []string{"--role", "frontend", "--sources", "web"}},
		{"partner", []string{"--role", "partner", "--partner", "acme"}},
	} {
		out := captureStdout(t, func() {
			if err := runKeys(context.Background(), append([]string{"create", "--name", k.name}, k.args...)); err != nil {
				t.Fatal(err)
			}
		})
		tg.keys[k.name] = strings.TrimSpace(out)
	}
	stop := tg.serve(t)
	tg.seed(t)
	// Served again on the seeded graph, as after a restart: the recommender trains at start.
	stop()
	t.Cleanup(tg.serve(t))
	return tg
}

// serve starts the server as the binary does and returns what stops it.
func (tg *target) serve(t *testing.T) func() {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, []string{"--http-addr", "127.0.0.1:0", "--score-interval", "0", "--influence-interval", "0", "--segment-interval", "0"},
			func(url string) { ready <- url })
	}()
	select {
	case tg.url = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("serve: %v", err)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("the server did not start")
	}
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}
}

const jwtSecret = "adversarial-suite-hs256-secret-of-32-bytes-or-more"

// seed loads a small company: customers in crm and web, consents, orders, events,
// feedback and a hub with many social ties.
func (tg *target) seed(t *testing.T) {
	t.Helper()
	var customers, orders, consents []string
	for i := 0; i < 8; i++ {
		customers = append(customers, fmt.Sprintf(`{sourceId: "C%d", givenName: "Given%c", familyName: "Sanchez%c", email: "p%d@example.com", phone: "+86 138 0000 %04d", city: "Shanghai", country: "CN"}`, i, 'a'+i, 'a'+i, i, i))
		orders = append(orders, fmt.Sprintf(`{sourceId: "O%d", customerSourceId: "C%d", orderedAt: "2026-03-01T10:00:00Z", currency: "CNY", items: [{sku: "SKU-%d", name: "Item", category: "home", quantity: "1", unitPrice: "9.90"}, {sku: "SKU-%d", name: "Other", category: "home", quantity: "1", unitPrice: "5.00"}]}`, i, i, i%3, (i+1)%3))
	}
	consents = append(consents, `{sourceId: "K0", customerSourceId: "C0", purpose: "partner_sharing", granted: "yes", occurredAt: "2026-01-01T00:00:00Z"}`)
	tg.mustIngest(t, "crm", "ingestCustomers", customers)
	tg.mustIngest(t, "crm", "ingestOrders", orders)
	tg.mustIngest(t, "crm", "ingestConsents", consents)
	tg.mustIngest(t, "web", "ingestCustomers", []string{`{sourceId: "W0", givenName: "Wen", familyName: "Web", email: "wen@example.com"}`})
	var ids struct {
		Customers struct {
			Nodes []struct {
				CustomerID    string
				SourceRecords []struct{ SourceID string }
			}
		}
	}
	tg.mustQuery(t, "admin", `{ customers(first: 100) { nodes { customerId sourceRecords { sourceId } } } }`, nil, &ids)
	for _, n := range ids.Customers.Nodes {
		for _, r := range n.SourceRecords {
			tg.ids[r.SourceID] = n.CustomerID
		}
	}
	if len(tg.ids) != 9 {
		t.Fatalf("seeded %d customers: %v", len(tg.ids), tg.ids)
	}
}

func (tg *target) mustIngest(t *testing.T, source, mutation string, records []string) {
	t.Helper()
	var r map[string]struct {
		Accepted, Rejected int
		Errors             []struct {
			Index          int
			Field, Message string
		}
	}
	tg.mustQuery(t, "admin", fmt.Sprintf(`mutation { r: %s(source: %q, records: [%s]) { accepted rejected errors { index field message } } }`, mutation, source, strings.Join(records, ",")), nil, &r)
	if r["r"].Rejected != 0 || r["r"].Accepted != len(records) {
		t.Fatalf("%s: %+v", mutation, r["r"])
	}
}

// response is a GraphQL answer as a client sees it.
type response struct {
	Status int
	Header http.Header
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Extensions struct{ Code, Field string }
	}
	Body []byte
}

func (r *response) codes() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Extensions.Code)
	}
	return out
}

// post sends one GraphQL request as role ("" sends no credentials).
func (tg *target) post(t *testing.T, role, query string, vars map[string]any) *response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, tg.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if role != "" {
		secret := tg.keys[role]
		if secret == "" {
			secret = role // a raw credential
		}
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	return tg.do(t, req)
}

func (tg *target) do(t *testing.T, req *http.Request) *response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := &response{Status: resp.StatusCode, Header: resp.Header, Body: b}
	if strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: %v: %s", req.URL.Path, err, b)
		}
	}
	return out
}

// mustQuery runs a query that must succeed and decodes its data into out.
func (tg *target) mustQuery(t *testing.T, role, query string, vars map[string]any, out any) {
	t.Helper()
	r := tg.post(t, role, query, vars)
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("%s: %d %s", query, r.Status, r.Body)
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			t.Fatalf("decode %s: %v", r.Data, err)
		}
	}
}

// wantRefused checks that a request was refused with code.
func wantRefused(t *testing.T, what string, r *response, code string) {
	t.Helper()
	for _, c := range r.codes() {
		if c == code {
			return
		}
	}
	t.Errorf("%s: status %d, codes %v, want %s: %.300s", what, r.Status, r.codes(), code, r.Body)
}

func TestAdversarial(t *testing.T) {
	tg := startTarget(t, nil)

	// What held in the review and must keep holding.
	t.Run("held/credentials", func(t *testing.T) {
		for name, cred := range map[string]string{"none": "", "unknown key": "cdp_" + strings.Repeat("0", 64), "garbage": "x.y.z",
			"alg none": jwtNone(), "expired": signJWT(map[string]any{"sub": "u", "role": "admin", "exp": time.Now().Add(-time.Hour).Unix()})} {
			r := tg.post(t, cred, `{ viewer { role } }`, nil)
			if r.Status != http.StatusUnauthorized || r.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s: status %d %s", name, r.Status, r.Body)
			}
		}
		var v struct{ Viewer struct{ Role string } }
		tg.mustQuery(t, signJWT(map[string]any{"sub": "u1", "role": "analyst", "exp": time.Now().Add(time.Hour).Unix()}), `{ viewer { role } }`, nil, &v)
		if v.Viewer.Role != "ANALYST" {
			t.Errorf("a valid JWT: %+v", v)
		}
	})
	t.Run("held/role matrix", func(t *testing.T) {
		id := tg.ids["C0"]
		for _, c := range []struct{ role, query string }{
			{"analyst", `mutation { eraseCustomer(id: "` + id + `") { customerId } }`},
			{"analyst", `{ exportCustomer(id: "` + id + `") }`},
			{"analyst", `{ auditLog(first: 1) { totalCount } }`},
			{"frontend", `{ customers(first: 1) { totalCount } }`},
			{"frontend", `mutation { createApiKey(input: {role: ADMIN, name: "x"}) { secret } }`},
			{"partner", `{ customers(first: 1) { totalCount } }`},
			{"partner", `{ customer(id: "` + id + `") { orders(first: 1) { totalCount } } }`},
			{"partner", `mutation { ingestCustomers(source: "crm", records: []) { accepted } }`},
		} {
			wantRefused(t, c.role+" "+c.query, tg.post(t, c.role, c.query, nil), "FORBIDDEN")
		}
	})
	t.Run("held/analyst masking through aliases, fragments and node", func(t *testing.T) {
		q := `query($id: ID!) { a: customer(id: $id) { p: profile { e: email } ...F } n: node(id: $id) { ... on Customer { profile { email } } } }
fragment F on Customer { identifiers { value } profile { familyName } }`
		var gid struct{ Customer struct{ ID string } }
		tg.mustQuery(t, "admin", `query($id: ID!) { customer(id: $id) { id } }`, map[string]any{"id": tg.ids["C0"]}, &gid)
		r := tg.post(t, "analyst", q, map[string]any{"id": gid.Customer.ID})
		if len(r.Errors) > 0 || strings.Contains(string(r.Data), "example.com") || strings.Contains(string(r.Data), "Sanchez") || !strings.Contains(string(r.Data), "anon_") {
			t.Errorf("analyst read: %s", r.Body)
		}
	})
	t.Run("held/injection", func(t *testing.T) {
		for _, v := range []string{`Shanghai' OR 1=1 //`, `"}) MATCH (n) DETACH DELETE n //`, "\\u0027 RETURN 1", "`x`"} {
			var got struct{ Customers struct{ TotalCount int } }
			tg.mustQuery(t, "admin", `query($c: String) { customers(filter: {city: $c}) { totalCount } }`, map[string]any{"c": v}, &got)
			if got.Customers.TotalCount != 0 {
				t.Errorf("city %q matched %d", v, got.Customers.TotalCount)
			}
		}
		var all struct{ Customers struct{ TotalCount int } }
		tg.mustQuery(t, "admin", `{ customers { totalCount } }`, nil, &all)
		if all.Customers.TotalCount != 9 {
			t.Errorf("after injection attempts %d customers", all.Customers.TotalCount)
		}
	})
	t.Run("held/limits", func(t *testing.T) {
		deep := "{ customers(first: 1) { nodes { sourceRecords(first: 1) { customer { sourceRecords(first: 1) { customer { sourceRecords(first: 1) { customer { sourceRecords(first: 1) { customer { sourceRecords(first: 1) { customer { id } } } } } } } } } } } } }"
		wantRefused(t, "depth", tg.post(t, "admin", deep, nil), "QUERY_TOO_DEEP")
		var aliases strings.Builder
		for i := 0; i < 40; i++ {
			fmt.Fprintf(&aliases, "a%d: viewer { role } ", i)
		}
		wantRefused(t, "aliases", tg.post(t, "admin", "{ "+aliases.String()+"}", nil), "TOO_MANY_ALIASES")
		wantRefused(t, "complexity", tg.post(t, "admin", `{ customers(first: 100) { nodes { orders(first: 100) { nodes { items { quantity } } } events(first: 100) { nodes { type } } } } }`, nil), "COMPLEXITY_LIMIT_EXCEEDED")
		wantRefused(t, "tokens", tg.post(t, "admin", "{ "+strings.Repeat("__typename ", 16000)+"}", nil), "GRAPHQL_PARSE_FAILED")
	})

	t.Run("held/partner and frontend scope", func(t *testing.T) {
		q := `query($id: ID!) { customer(id: $id) { customerId profile { givenName email phone } } }`
		var in struct {
			Customer *struct {
				CustomerID string
				Profile    struct{ GivenName, Email, Phone *string }
			}
		}
		tg.mustQuery(t, "partner", q, map[string]any{"id": tg.ids["C0"]}, &in) // C0 consented to partner sharing
		if in.Customer == nil || in.Customer.Profile.Email == nil || in.Customer.Profile.Phone != nil {
			t.Errorf("partner, consented customer: %+v", in.Customer)
		}
		for _, id := range []string{tg.ids["C1"], "cus_0000000000000000"} { // no consent; missing
			r := tg.post(t, "partner", q, map[string]any{"id": id})
			if len(r.Errors) > 0 || string(r.Data) != `{"customer":null}` {
				t.Errorf("partner, %s: %s", id, r.Body)
			}
			r = tg.post(t, "frontend", q, map[string]any{"id": id}) // frontend of "web": crm customers are out of scope
			if len(r.Errors) > 0 || string(r.Data) != `{"customer":null}` {
				t.Errorf("frontend, %s: %s", id, r.Body)
			}
		}
		r := tg.post(t, "partner", `query($v: String!) { customerByIdentifier(type: EMAIL, value: $v) { customerId } }`, map[string]any{"v": "p1@example.com"})
		if len(r.Errors) > 0 || string(r.Data) != `{"customerByIdentifier":null}` {
			t.Errorf("partner probing an email: %s", r.Body)
		}
	})
	t.Run("found in review: a withdrawal of partner sharing ends it", func(t *testing.T) {
		q := `query($id: ID!) { customer(id: $id) { customerId } }`
		tg.mustIngest(t, "crm", "ingestConsents", []string{`{sourceId: "K2", customerSourceId: "C2", purpose: "partner_sharing", granted: "yes", occurredAt: "2026-01-01T00:00:00Z"}`})
		if r := tg.post(t, "partner", q, map[string]any{"id": tg.ids["C2"]}); !strings.Contains(string(r.Data), tg.ids["C2"]) {
			t.Fatalf("partner, granted: %s", r.Body)
		}
		tg.mustIngest(t, "crm", "ingestConsents", []string{`{sourceId: "K2b", customerSourceId: "C2", purpose: "partner_sharing", granted: "no", occurredAt: "2026-02-01T00:00:00Z"}`})
		if r := tg.post(t, "partner", q, map[string]any{"id": tg.ids["C2"]}); string(r.Data) != `{"customer":null}` {
			t.Errorf("partner, after the withdrawal: %s", r.Body)
		}
	})
	t.Run("held/erasure refuses replays", func(t *testing.T) {
		id := tg.ids["C7"]
		tg.mustQuery(t, "admin", `mutation($id: ID!) { eraseCustomer(id: $id) { customerId } }`, map[string]any{"id": id}, nil)
		r := tg.post(t, "admin", `mutation { ingestCustomers(source: "crm", records: [{sourceId: "C7", givenName: "Back", familyName: "Again", email: "p7@example.com"}]) { accepted rejected errors { message } } }`, nil)
		if !strings.Contains(string(r.Data), `"accepted":0`) || !strings.Contains(string(r.Data), "erased") {
			t.Errorf("replay of an erased record: %s", r.Body)
		}
		var found struct{ CustomerByIdentifier *struct{ CustomerID string } }
		tg.mustQuery(t, "admin", `{ customerByIdentifier(type: EMAIL, value: "p7@example.com") { customerId } }`, nil, &found)
		if found.CustomerByIdentifier != nil {
			t.Errorf("the erased email still finds %+v", found.CustomerByIdentifier)
		}
	})

	// The review's findings.
	t.Run("finding 1/cursors are opaque and unforgeable", func(t *testing.T) {
		var page struct {
			Customers struct{ Edges []struct{ Cursor string } }
		}
		tg.mustQuery(t, "analyst-pii", `{ customers(first: 3, orderBy: {field: FAMILY_NAME}) { edges { cursor } } }`, nil, &page)
		for _, e := range page.Customers.Edges {
			raw, _ := base64.RawURLEncoding.DecodeString(e.Cursor)
			if bytes.Contains(raw, []byte("Sanchez")) || strings.Contains(e.Cursor, "Sanchez") {
				t.Errorf("cursor carries a family name: %q", raw)
			}
		}
		forged := base64.RawURLEncoding.EncodeToString([]byte(`{"v":"Sanchez","k":"cus_"}`))
		wantRefused(t, "forged cursor", tg.post(t, "analyst-pii", `query($a: String) { customers(first: 5, after: $a, orderBy: {field: FAMILY_NAME}) { nodes { customerId } } }`,
			map[string]any{"a": forged}), "BAD_USER_INPUT")
		wantRefused(t, "analyst sorting by family name", tg.post(t, "analyst", `{ customers(first: 5, orderBy: {field: FAMILY_NAME}) { nodes { customerId } } }`, nil), "FORBIDDEN")
	})
	tg.findings(t)
}

// signJWT signs claims with the suite's HS256 secret.
func signJWT(claims map[string]any) string {
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims(claims)).SignedString([]byte(jwtSecret))
	if err != nil {
		panic(err)
	}
	return s
}

// jwtNone is an unsigned admin token ("alg": "none").
func jwtNone() string {
	s, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": "x", "role": "admin", "exp": time.Now().Add(time.Hour).Unix()}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	return s
}
