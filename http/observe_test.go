package http_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/ingest"
	"github.com/cdpgraph/cdpgraph/neo4j"
	"github.com/cdpgraph/cdpgraph/observe"
)

// syncBuffer collects log output written from the request goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) lines(t *testing.T) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s.b.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// observed is a test server with metrics, a JSON log and an in-memory span exporter.
type observed struct {
	*api
	metrics *observe.Metrics
	spans   *tracetest.InMemoryExporter
	log     *syncBuffer
}

// testSpans receives the spans of every test: the global tracer provider's tracers are
// bound to the first provider set, so it is set once.
var (
	testSpans      = tracetest.NewInMemoryExporter()
	tracingForTest = sync.OnceFunc(func() {
		otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSyncer(testSpans)))
		otel.SetTextMapPropagator(propagation.TraceContext{})
	})
)

func newObserved(t *testing.T, opts cdphttp.Options) *observed {
	tracingForTest()
	spans := testSpans
	spans.Reset()

	a := newAPI(t, opts)
	m := observe.NewMetrics()
	a.db.SetObserver(m)
	t.Cleanup(func() { a.db.SetObserver(nil) })
	m.WatchPool(a.db)
	m.WatchSubscriptions(a.r.Events)
	a.r.Ingest.OnBatch = func(source string, r *ingest.Result) {
		m.IngestBatch(source, string(r.Kind), r.Accepted, r.Rejected, r.Duplicates, r.Created, r.Updated, r.Unchanged)
	}
	logs := &syncBuffer{}
	log := slog.New(observe.TraceIDs(slog.NewJSONHandler(logs, nil)))
	opts.Metrics, opts.MetricsOnMain = m, true
	opts.Access = cdphttp.Access{Auth: &auth.Authenticator{Keys: a.keys}, Partners: testPartners,
		Pseudo: auth.NewPseudonymizer("test"), Audit: neo4j.NewAccessStore(a.db)}
	a.handler = cdphttp.NewHandler(a.r, a.db, opts, log)
	a.c = a.client(a.key)
	return &observed{api: a, metrics: m, spans: spans, log: logs}
}

func (o *observed) scrape(t *testing.T, h nethttp.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("/metrics: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// After a few requests /metrics holds every family the operations guide names, passes
// promtool's checks, and carries no personal value.
func TestMetricsAfterRequests(t *testing.T) {
	opts := options()
	opts.Limits.Rates = map[cdp.Role]cdphttp.Rate{cdp.RoleAnalyst: {PerSecond: 0.001, Burst: 1}}
	o := newObserved(t, opts)
	o.seed(t, 3)
	var page struct {
		Customers struct{ Nodes []struct{ ID string } }
	}
	post(t, o.c, `query FirstCustomers { customers(first: 3) { nodes { id orders(first: 2) { totalCount } sourceRecords(first: 2) { id } } } }`, &page)
	if len(page.Customers.Nodes) == 0 {
		t.Fatal("no customers")
	}
	var one map[string]any
	post(t, o.c, `query Customer360($id: ID!) { customer(id: $id) { customerId profile { email } events(first: 2) { totalCount } } }`, &one,
		client.Var("id", page.Customers.Nodes[0].ID))
	if _, err := o.c.RawPost(`query Missing { customer(id: "no-such-customer") { customerId } }`); err != nil {
		t.Fatal(err)
	}
	o.c.RawPost(`query Broken { customer(id: "x") { noSuchField } }`)
	// Refused before GraphQL: no credential, and an analyst over its rate.
	anon := client.New(o.handler, client.Path("/graphql"))
	anon.RawPost(`{ viewer { role } }`)
	analyst := o.client(o.newKey(t, auth.KeySpec{Name: "analyst", Role: cdp.RoleAnalyst}))
	analyst.RawPost(`query Me { viewer { role } }`)
	analyst.RawPost(`query Me { viewer { role } }`)

	body := o.scrape(t, o.handler)
	for _, series := range []string{
		`cdpgraph_http_requests_total{code="200",method="POST",route="/graphql"}`,
		`cdpgraph_http_requests_total{code="401",method="POST",route="/graphql"}`,
		`cdpgraph_http_requests_total{code="429",method="POST",route="/graphql"}`,
		`cdpgraph_http_request_duration_seconds_bucket{route="/graphql",le="+Inf"}`,
		`cdpgraph_http_refused_total{code="UNAUTHENTICATED"}`,
		`cdpgraph_http_refused_total{code="RATE_LIMITED"}`,
		`cdpgraph_rate_limited_total{limiter="caller",role="analyst"}`,
		`cdpgraph_graphql_operation_duration_seconds_count{operation="FirstCustomers",type="query"}`,
		`cdpgraph_graphql_operation_duration_seconds_count{operation="Customer360",type="query"}`,
		`cdpgraph_graphql_operation_duration_seconds_count{operation="anonymous",type="mutation"}`,
		`cdpgraph_graphql_operation_errors_total{operation="Missing",type="query"}`,
		`cdpgraph_graphql_root_field_duration_seconds_count{field="Query.customers"}`,
		`cdpgraph_graphql_root_field_duration_seconds_count{field="Mutation.ingestOrders"}`,
		`cdpgraph_graphql_errors_total{code="BAD_USER_INPUT"}`,
		`cdpgraph_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}`,
		`cdpgraph_cypher_statement_duration_seconds_count{statement="CustomerStore.FindCustomersWith"}`,
		`cdpgraph_cypher_transaction_duration_seconds_count{mode="write",transaction="IngestStore.`,
		`cdpgraph_cypher_transaction_duration_seconds_count{mode="read",transaction="CustomerStore.`,
		`cdpgraph_loader_batch_size_count{loader="sourceRecords"}`,
		`cdpgraph_ingest_records_total{kind="customers",outcome="accepted",source="crm"}`,
		`cdpgraph_ingest_records_total{kind="orders",outcome="created",source="crm"}`,
		`cdpgraph_neo4j_pool_max_connections 50`,
		`cdpgraph_neo4j_calls_in_flight`,
		`cdpgraph_neo4j_available 1`,
		`cdpgraph_neo4j_statements_total`,
		`cdpgraph_subscriptions_open 0`,
		`cdpgraph_subscription_events_dropped_total 0`,
		`go_goroutines`,
		`go_gc_duration_seconds`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(body, series) {
			t.Errorf("/metrics lacks %s", series)
		}
	}
	// The seeded people's data never becomes a label.
	for _, personal := range []string{"p0@example.com", "Famaa", "Shanghai", "no-such-customer", page.Customers.Nodes[0].ID} {
		if strings.Contains(strings.ToLower(body), strings.ToLower(personal)) {
			t.Errorf("/metrics holds %q", personal)
		}
	}
	promtool(t, body)
	docsNameOnlyExistingMetrics(t, o.metrics)
}

// The Grafana dashboard and the alerting rules in docs/ use only metrics the server
// exports (process_ and go_ ones included), and promtool accepts the rules.
func docsNameOnlyExistingMetrics(t *testing.T, m *observe.Metrics) {
	t.Helper()
	// Every registered family, observed yet or not (a vector without series is not scraped).
	families := map[string]bool{}
	descs := make(chan *prometheus.Desc)
	go func() { m.Registry().Describe(descs); close(descs) }()
	fqName := regexp.MustCompile(`fqName: "([^"]+)"`)
	for d := range descs {
		if f := fqName.FindStringSubmatch(d.String()); f != nil {
			families[f[1]] = true
		}
	}
	metric := regexp.MustCompile(`\b(?:cdpgraph|go|process)_[a-z0-9_]+`)
	for _, file := range []string{"../docs/grafana-dashboard.json", "../docs/prometheus-alerts.yml"} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		names := metric.FindAllString(string(b), -1)
		if len(names) < 10 {
			t.Fatalf("%s names only %d metrics", file, len(names))
		}
		for _, name := range names {
			family := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_count"), "_sum")
			if !families[family] && !families[name] {
				t.Errorf("%s uses %s, which /metrics does not export", file, name)
			}
		}
	}
	if bin, err := exec.LookPath("promtool"); err == nil {
		if out, err := exec.Command(bin, "check", "rules", "../docs/prometheus-alerts.yml").CombinedOutput(); err != nil {
			t.Errorf("promtool check rules: %v\n%s", err, out)
		}
	}
}

// promtool lints the exposition as Prometheus would scrape it (Debian's prometheus
// package has it; scripts/test.sh installs it).
func promtool(t *testing.T, body string) {
	t.Helper()
	bin, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("promtool is missing: apt-get install prometheus (scripts/test.sh does)")
		}
		t.Skip("promtool is missing: apt-get install prometheus (scripts/test.sh does)")
	}
	f := filepath.Join(t.TempDir(), "metrics.txt")
	if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	in, _ := os.Open(f)
	defer in.Close()
	cmd := exec.Command(bin, "check", "metrics")
	cmd.Stdin = in
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
}

// One request is one trace: the HTTP span, the operation, its root field, the loader
// batch and the Cypher statements under it, named and without values; the request log
// line carries the trace id, the request id, the operation, the caller and the codes of
// the errors a 200 answer holds.
func TestTraceAndLogOfARequest(t *testing.T) {
	o := newObserved(t, options())
	o.seed(t, 2)
	o.spans.Reset()
	req := httptest.NewRequest("POST", "/graphql", strings.NewReader(`{"query":"query Page { customers(first: 2) { nodes { customerId orders(first: 1) { totalCount } sourceRecords(first: 1) { id } } } nope: customer(id: \"missing\") { customerId } }","operationName":"Page"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+o.key)
	req.Header.Set("X-Request-Id", "req-42.abc")
	rec := httptest.NewRecorder()
	o.handler.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "BAD_USER_INPUT") {
		t.Fatalf("answer %d %s", rec.Code, rec.Body)
	}
	if got := rec.Header().Get("X-Request-Id"); got != "req-42.abc" {
		t.Errorf("X-Request-Id = %q, want the caller's", got)
	}

	spans := o.spans.GetSpans()
	byName := map[string]tracetest.SpanStub{}
	for _, s := range spans {
		byName[s.Name] = s
	}
	root, ok := byName["POST /graphql Page"]
	if !ok {
		t.Fatalf("no HTTP span; spans: %v", names(spans))
	}
	for _, want := range []string{"graphql.query Page", "graphql.field Query.customers", "graphql.field Query.customer", "loader sourceRecords",
		"cypher CustomerStore.FindCustomersWith"} {
		s, ok := byName[want]
		if !ok {
			t.Errorf("no span %q; spans: %v", want, names(spans))
			continue
		}
		if s.SpanContext.TraceID() != root.SpanContext.TraceID() {
			t.Errorf("span %q is in another trace", want)
		}
	}
	// Every span of the request descends from the HTTP span.
	parent := map[string]string{}
	for _, s := range spans {
		parent[s.SpanContext.SpanID().String()] = s.Parent.SpanID().String()
	}
	for _, s := range spans {
		if s.SpanContext.TraceID() != root.SpanContext.TraceID() {
			t.Errorf("span %q is not in the request's trace", s.Name)
			continue
		}
		id := s.SpanContext.SpanID().String()
		for hops := 0; id != root.SpanContext.SpanID().String(); hops++ {
			if id = parent[id]; id == "" || hops > 20 {
				t.Errorf("span %q does not descend from the HTTP span", s.Name)
				break
			}
		}
		if strings.HasPrefix(s.Name, "cypher ") {
			for _, kv := range s.Attributes {
				if strings.Contains(kv.Value.Emit(), "MATCH") || strings.Contains(kv.Value.Emit(), "missing") {
					t.Errorf("span %q carries Cypher text or a value: %s=%s", s.Name, kv.Key, kv.Value.Emit())
				}
			}
		}
	}

	var line map[string]any
	for _, l := range o.log.lines(t) {
		if l["msg"] == "http" && l["request_id"] == "req-42.abc" {
			line = l
		}
	}
	if line == nil {
		t.Fatalf("no request log line with the request id; log:\n%s", o.log.b.String())
	}
	for k, want := range map[string]any{"operation": "Page", "operation_type": "query", "role": "admin", "status": float64(200),
		"trace_id": root.SpanContext.TraceID().String()} {
		if line[k] != want {
			t.Errorf("log %s = %v, want %v", k, line[k], want)
		}
	}
	if key, _ := line["key"].(string); !strings.HasPrefix(key, "key_") {
		t.Errorf("log key = %v, want the caller's key id", line["key"])
	}
	if codes, _ := line["errors"].([]any); !slices.Contains(codes, any("BAD_USER_INPUT")) {
		t.Errorf("log errors = %v, want BAD_USER_INPUT", line["errors"])
	}
	if _, ok := line["duration_ms"].(float64); !ok {
		t.Errorf("log duration_ms = %v", line["duration_ms"])
	}
}

func names(spans tracetest.SpanStubs) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name)
	}
	return out
}

// pprof and /metrics live on the admin handler; pprof is never on the main one.
func TestAdminHandler(t *testing.T) {
	o := newObserved(t, options())
	admin := cdphttp.AdminHandler(o.metrics, o.db, quiet)
	for path, want := range map[string]int{"/debug/pprof/": 200, "/metrics": 200, "/healthz": 200} {
		rec := httptest.NewRecorder()
		admin.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != want {
			t.Errorf("admin %s: %d, want %d", path, rec.Code, want)
		}
	}
	rec := httptest.NewRecorder()
	o.handler.ServeHTTP(rec, httptest.NewRequest("GET", "/debug/pprof/", nil))
	if body, _ := io.ReadAll(rec.Body); rec.Code == 200 && strings.Contains(string(body), "goroutine") {
		t.Error("pprof is served on the main listener")
	}
	promtool(t, o.scrape(t, admin))
}
