package http_test

import (
	"context"
	"encoding/json"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/ingest"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
	"github.com/cdpgraph/cdpgraph/resolvers"
)

// faultResponse is what one request through the handler answered.
type faultResponse struct {
	status int
	codes  []string // extensions.code of each GraphQL error
	body   string
	took   time.Duration
}

// do sends one request and fails the test if the handler takes longer than 20s: a request
// while Neo4j is gone must fail, not hang for the driver's default 30s of retries.
func do(t *testing.T, h nethttp.Handler, method, path, body, key, accept string) faultResponse {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	start := time.Now()
	go func() { h.ServeHTTP(rec, req); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s %s hung for 20s", method, path)
	}
	out := faultResponse{status: rec.Code, body: rec.Body.String(), took: time.Since(start)}
	var resp struct {
		Errors []struct {
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if json.Unmarshal(rec.Body.Bytes(), &resp) == nil {
		for _, e := range resp.Errors {
			c, _ := e.Extensions["code"].(string)
			out.codes = append(out.codes, c)
		}
	}
	return out
}

func query(q string) string {
	b, _ := json.Marshal(map[string]string{"query": q})
	return string(b)
}

// TestFaultNeo4jGoneAndBack builds the API over a DB that reaches Neo4j through a fault
// proxy, API keys included (as in production, where keys live in Neo4j): while Neo4j is
// gone, requests fail fast with UNAVAILABLE and /readyz says 503; once it is back the same
// handler serves again, with no restart.
func TestFaultNeo4jGoneAndBack(t *testing.T) {
	neo4jtest.DB(t)
	p, db := neo4jtest.Proxied(t, neo4j.Config{}) // the defaults, as the server's
	ctx := context.Background()
	keys := auth.NewKeys(neo4j.NewAccessStore(db), testPartners)
	used, err := keysCreate(ctx, keys, "used while up")
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := keysCreate(ctx, keys, "first used while down")
	if err != nil {
		t.Fatal(err)
	}
	r := &resolvers.Resolver{CustomerReader: neo4j.NewCustomerStore(db),
		Ingest: ingest.NewService(neo4j.NewIngestStore(db, identity.DefaultRules()), ingest.Options{DefaultRegion: "CN"})}
	opts := options()
	opts.Access = cdphttp.Access{Auth: &auth.Authenticator{Keys: keys}, Partners: testPartners, Pseudo: auth.NewPseudonymizer("test")}
	h := cdphttp.NewHandler(r, db, opts, quiet)

	read := query(`{ customers(first: 1) { totalCount } }`)
	write := query(`mutation { ingestCustomers(source: "crm", records: [{sourceId: "C1", givenName: "Ann", email: "ann@example.com"}]) { accepted } }`)
	ok := func(what string, res faultResponse) {
		t.Helper()
		if res.status != 200 || len(res.codes) > 0 {
			t.Fatalf("%s: %d %s", what, res.status, res.body)
		}
	}
	unavailable := func(what string, res faultResponse) {
		t.Helper()
		if len(res.codes) == 0 || res.codes[0] != "UNAVAILABLE" || strings.Contains(res.body, "neo4j") {
			t.Fatalf("%s while Neo4j is gone: %d %s; want a GraphQL error with code UNAVAILABLE and no driver text", what, res.status, res.body)
		}
		if res.status != 200 && res.status != 503 {
			t.Fatalf("%s while Neo4j is gone: HTTP %d, want 200 or 503", what, res.status)
		}
		t.Logf("%s while Neo4j is gone: HTTP %d, codes %v, after %s", what, res.status, res.codes, res.took.Round(time.Millisecond))
	}

	ok("a read", do(t, h, "POST", "/graphql", read, used, "")) // also caches the key
	if res := do(t, h, "GET", "/readyz", "", "", ""); res.status != 200 {
		t.Fatalf("/readyz = %d with Neo4j up", res.status)
	}

	p.Cut()
	unavailable("a read", do(t, h, "POST", "/graphql", read, used, ""))
	unavailable("a write", do(t, h, "POST", "/graphql", write, used, ""))
	unavailable("a read asking for application/graphql-response+json",
		do(t, h, "POST", "/graphql", read, used, "application/graphql-response+json"))
	unavailable("a request with a key not yet cached", do(t, h, "POST", "/graphql", read, fresh, ""))
	if res := do(t, h, "GET", "/readyz", "", "", ""); res.status != 503 {
		t.Fatalf("/readyz = %d while Neo4j is gone, want 503", res.status)
	}
	if res := do(t, h, "GET", "/healthz", "", "", ""); res.status != 200 {
		t.Fatalf("/healthz = %d while Neo4j is gone; liveness must not depend on Neo4j", res.status)
	}

	p.Restore()
	// Readiness asks Neo4j every time: it is ready again at once, and that also ends the
	// fast failing of requests.
	if res := do(t, h, "GET", "/readyz", "", "", ""); res.status != 200 {
		t.Fatalf("/readyz = %d after Neo4j came back, want 200", res.status)
	}
	ok("a read after Neo4j came back", do(t, h, "POST", "/graphql", read, used, ""))
	ok("a write after Neo4j came back", do(t, h, "POST", "/graphql", write, fresh, ""))
	if n, err := neo4j.NewCustomerStore(db).CustomerIDByIdentifier(ctx, cdp.Identifier{Type: cdp.IdentifierEmail, Value: "ann@example.com"}); err != nil || n == "" {
		t.Fatalf("the write after recovery did not land: %q %v", n, err)
	}
}

func keysCreate(ctx context.Context, keys *auth.Keys, name string) (string, error) {
	secret, _, err := keys.Create(ctx, auth.KeySpec{Name: name, Role: cdp.RoleAdmin}, "test")
	return secret, err
}
