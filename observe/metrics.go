// Package observe holds cdpgraph's Prometheus metrics, its OpenTelemetry tracing setup and
// the log handler that stamps trace ids on log lines. The packages that do the work
// report to it through small hooks (neo4j.Observer, ingest.Service.OnBatch,
// loaders.Sources.OnBatch, every.WithObserver); spans they start through the OpenTelemetry
// API, which costs next to nothing while tracing is off.
//
// Label values never carry personal data and their number is bounded: routes, statement
// and job names come from the code, GraphQL operation names and source systems from
// callers are kept to the first MaxOperations / MaxSources seen (the rest count as
// "other"), error codes to the shape of a code.
package observe

import (
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Bounds on the label values that callers choose.
const (
	MaxOperations = 200 // distinct GraphQL operation names
	MaxSources    = 50  // distinct ingest source systems
	MaxCodes      = 64  // distinct error codes
	Other         = "other"
	Anonymous     = "anonymous" // an operation without a name
)

// Metrics are the server's Prometheus metrics on their own registry. A nil *Metrics
// records nothing, so code paths need not check.
type Metrics struct {
	reg *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	refused      *prometheus.CounterVec
	rateLimited  *prometheus.CounterVec

	operations *prometheus.HistogramVec
	opErrors   *prometheus.CounterVec
	rootFields *prometheus.HistogramVec
	gqlErrors  *prometheus.CounterVec

	statements   *prometheus.HistogramVec
	stmtErrors   *prometheus.CounterVec
	transactions *prometheus.HistogramVec
	txErrors     *prometheus.CounterVec

	loaderBatches *prometheus.HistogramVec

	jobRuns        *prometheus.CounterVec
	jobDuration    *prometheus.HistogramVec
	jobLastRun     *prometheus.GaugeVec
	jobLastSuccess *prometheus.GaugeVec

	ingestRecords *prometheus.CounterVec

	opNames *bounded
	sources *bounded
	codes   *bounded
}

// Latency buckets, in seconds: from a cached lookup (under a millisecond) to the request
// timeout (30 s).
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// Job durations run from seconds (incremental scoring) to many minutes (a full retrain).
var jobBuckets = []float64{.1, .5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600}

// NewMetrics returns the metrics, registered with the Go runtime and process collectors.
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	f := factory{reg}
	m := &Metrics{
		reg: reg,
		httpRequests: f.counter("cdpgraph_http_requests_total",
			"HTTP requests answered, by route, method and status code.", "route", "method", "code"),
		httpDuration: f.histogram("cdpgraph_http_request_duration_seconds",
			"Time to answer an HTTP request, by route (websocket subscriptions excluded).", latencyBuckets, "route"),
		refused: f.counter("cdpgraph_http_refused_total",
			"Requests refused before GraphQL ran (authentication, rate limits, body size), by error code.", "code"),
		rateLimited: f.counter("cdpgraph_rate_limited_total",
			"Requests refused by a rate limit: limiter is caller (per key or token subject), failed_auth (per client address) or websocket.", "limiter", "role"),
		operations: f.histogram("cdpgraph_graphql_operation_duration_seconds",
			"Time from reading a GraphQL operation to its response, by operation name and type; its _count is the operation count.", latencyBuckets, "operation", "type"),
		opErrors: f.counter("cdpgraph_graphql_operation_errors_total",
			"GraphQL operations whose response carried errors, by operation name and type.", "operation", "type"),
		rootFields: f.histogram("cdpgraph_graphql_root_field_duration_seconds",
			"Time to resolve a root field (Query.customer, Mutation.ingestOrders...), children included.", latencyBuckets, "field"),
		gqlErrors: f.counter("cdpgraph_graphql_errors_total",
			"Errors in GraphQL responses (HTTP status 200 included), by extensions.code.", "code"),
		statements: f.histogram("cdpgraph_cypher_statement_duration_seconds",
			"Time to run one Cypher statement and read its rows, by statement name (the Go function that sends it).", latencyBuckets, "statement"),
		stmtErrors: f.counter("cdpgraph_cypher_statement_errors_total",
			"Cypher statements that failed, by statement name.", "statement"),
		transactions: f.histogram("cdpgraph_cypher_transaction_duration_seconds",
			"Time of one Neo4j transaction, retries included, by transaction name and access mode (read or write).", latencyBuckets, "transaction", "mode"),
		txErrors: f.counter("cdpgraph_cypher_transaction_errors_total",
			"Neo4j transactions that failed after the driver's retries, by transaction name and mode.", "transaction", "mode"),
		loaderBatches: f.histogram("cdpgraph_loader_batch_size",
			"Keys per loader batch (one statement or a few per batch), by loader.", []float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}, "loader"),
		jobRuns: f.counter("cdpgraph_job_runs_total",
			"Runs of background jobs, by job and outcome (ok or error).", "job", "outcome"),
		jobDuration: f.histogram("cdpgraph_job_duration_seconds",
			"Time of one run of a background job.", jobBuckets, "job"),
		jobLastRun: f.gauge("cdpgraph_job_last_run_timestamp_seconds",
			"When a background job last finished a run, in Unix seconds.", "job"),
		jobLastSuccess: f.gauge("cdpgraph_job_last_success_timestamp_seconds",
			"When a background job last finished a run without error, in Unix seconds.", "job"),
		ingestRecords: f.counter("cdpgraph_ingest_records_total",
			"Records received by ingest, by source system, kind and outcome: accepted or rejected; accepted ones also as created, updated, unchanged or duplicate (superseded within the batch).", "source", "kind", "outcome"),
		opNames: newBounded(MaxOperations),
		sources: newBounded(MaxSources),
		codes:   newBounded(MaxCodes),
	}
	return m
}

// Handler serves the metrics in the Prometheus text format (or OpenMetrics, when asked).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{EnableOpenMetrics: true})
}

// Registry is where the metrics are registered.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// PoolStats is what the Neo4j connection pool gauges read (neo4j.DB).
type PoolStats interface {
	InFlight() int64      // driver calls running now, each holding a connection
	MaxConnections() int  // the pool's size
	Available() bool      // false while the database cannot be reached
	QueryCount() int64    // statements sent since start
}

// WatchPool exports the Neo4j pool's use, read at each scrape.
func (m *Metrics) WatchPool(p PoolStats) {
	if m == nil {
		return
	}
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "cdpgraph_neo4j_calls_in_flight",
			Help: "Neo4j transactions and queries running now; each holds a pooled connection."},
			func() float64 { return float64(p.InFlight()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "cdpgraph_neo4j_pool_max_connections",
			Help: "The Neo4j driver's connection pool size."},
			func() float64 { return float64(p.MaxConnections()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "cdpgraph_neo4j_available",
			Help: "1 while Neo4j answers; 0 while calls fail fast because it cannot be reached."},
			func() float64 { return bool01(p.Available()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "cdpgraph_neo4j_statements_total",
			Help: "Cypher statements sent since the server started."},
			func() float64 { return float64(p.QueryCount()) }),
	)
}

// SubscriptionStats is what the subscription gauges read (events.Broker).
type SubscriptionStats interface {
	Subscribers() int // open subscriptions
	Dropped() int64   // events missed by subscribers that fell behind
}

// WatchSubscriptions exports open subscriptions and dropped events, read at each scrape.
func (m *Metrics) WatchSubscriptions(s SubscriptionStats) {
	if m == nil {
		return
	}
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "cdpgraph_subscriptions_open",
			Help: "GraphQL subscriptions open now."}, func() float64 { return float64(s.Subscribers()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "cdpgraph_subscription_events_dropped_total",
			Help: "Subscription events missed because the subscriber fell behind (its buffer was full)."},
			func() float64 { return float64(s.Dropped()) }),
	)
}

// HTTPRequest records one answered request.
func (m *Metrics) HTTPRequest(route, method string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.httpRequests.WithLabelValues(route, methodLabel(method), statusLabel(status)).Inc()
	if status != http.StatusSwitchingProtocols {
		m.httpDuration.WithLabelValues(route).Observe(d.Seconds())
	}
}

// Refused records a request refused before GraphQL ran.
func (m *Metrics) Refused(code string) {
	if m == nil {
		return
	}
	m.refused.WithLabelValues(m.Code(code)).Inc()
}

// RateLimited records a request refused by a rate limiter; role is "" when unknown.
func (m *Metrics) RateLimited(limiter, role string) {
	if m == nil {
		return
	}
	if role == "" {
		role = "unknown"
	}
	m.rateLimited.WithLabelValues(limiter, role).Inc()
}

// Operation records one GraphQL response: operation is the label from OperationName.
func (m *Metrics) Operation(operation, typ string, d time.Duration, failed bool) {
	if m == nil {
		return
	}
	m.operations.WithLabelValues(operation, typ).Observe(d.Seconds())
	if failed {
		m.opErrors.WithLabelValues(operation, typ).Inc()
	}
}

// RootField records the time of one root field.
func (m *Metrics) RootField(field string, d time.Duration) {
	if m == nil {
		return
	}
	m.rootFields.WithLabelValues(field).Observe(d.Seconds())
}

// GraphQLError counts one error of a GraphQL response by its code.
func (m *Metrics) GraphQLError(code string) {
	if m == nil {
		return
	}
	m.gqlErrors.WithLabelValues(m.Code(code)).Inc()
}

// Statement records one Cypher statement (neo4j.Observer).
func (m *Metrics) Statement(name string, d time.Duration, err error) {
	if m == nil {
		return
	}
	m.statements.WithLabelValues(name).Observe(d.Seconds())
	if err != nil {
		m.stmtErrors.WithLabelValues(name).Inc()
	}
}

// Transaction records one Neo4j transaction (neo4j.Observer).
func (m *Metrics) Transaction(name string, write bool, d time.Duration, err error) {
	if m == nil {
		return
	}
	mode := "read"
	if write {
		mode = "write"
	}
	m.transactions.WithLabelValues(name, mode).Observe(d.Seconds())
	if err != nil {
		m.txErrors.WithLabelValues(name, mode).Inc()
	}
}

// LoaderBatch records the size of one loader batch (loaders.Sources.OnBatch).
func (m *Metrics) LoaderBatch(loader string, keys int) {
	if m == nil {
		return
	}
	m.loaderBatches.WithLabelValues(loader).Observe(float64(keys))
}

// JobRun records one finished run of a background job.
func (m *Metrics) JobRun(job string, d time.Duration, err error) {
	if m == nil {
		return
	}
	now := float64(time.Now().UnixNano()) / 1e9
	outcome := "ok"
	if err != nil {
		outcome = "error"
	} else {
		m.jobLastSuccess.WithLabelValues(job).Set(now)
	}
	m.jobRuns.WithLabelValues(job, outcome).Inc()
	m.jobDuration.WithLabelValues(job).Observe(d.Seconds())
	m.jobLastRun.WithLabelValues(job).Set(now)
}

// IngestBatch records what became of one ingest batch's records (ingest.Service.OnBatch).
func (m *Metrics) IngestBatch(source, kind string, accepted, rejected, duplicates, created, updated, unchanged int) {
	if m == nil {
		return
	}
	source = m.sources.get(source)
	for _, c := range []struct {
		outcome string
		n       int
	}{{"accepted", accepted}, {"rejected", rejected}, {"duplicate", duplicates}, {"created", created}, {"updated", updated}, {"unchanged", unchanged}} {
		if c.n > 0 {
			m.ingestRecords.WithLabelValues(source, kind, c.outcome).Add(float64(c.n))
		}
	}
}

// OperationName is the label for a caller's operation name: the name itself while fewer
// than MaxOperations distinct names were seen, else Other; Anonymous for none.
func (m *Metrics) OperationName(name string) string {
	if name == "" {
		return Anonymous
	}
	if m == nil || !graphQLName.MatchString(name) {
		return Other
	}
	return m.opNames.get(name)
}

// Code is the label for an error code: codes look like BAD_USER_INPUT; anything else,
// or a code past the first MaxCodes, is Other.
func (m *Metrics) Code(code string) string {
	if !errorCode.MatchString(code) {
		return Other
	}
	if m == nil {
		return code
	}
	return m.codes.get(code)
}

var (
	graphQLName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,63}$`)
	errorCode   = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,39}$`)
)

// bounded keeps the first max distinct values; later ones become Other.
type bounded struct {
	max  int
	mu   sync.RWMutex
	seen map[string]bool
}

func newBounded(max int) *bounded { return &bounded{max: max, seen: map[string]bool{}} }

func (b *bounded) get(v string) string {
	b.mu.RLock()
	ok, full := b.seen[v], len(b.seen) >= b.max
	b.mu.RUnlock()
	if ok {
		return v
	}
	if full {
		return Other
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.seen) >= b.max && !b.seen[v] {
		return Other
	}
	b.seen[v] = true
	return v
}

func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodHead, http.MethodOptions:
		return m
	}
	return Other
}

func statusLabel(code int) string {
	if code < 100 || code > 599 {
		return "0"
	}
	return strconv.Itoa(code)
}

func bool01(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

type factory struct{ reg *prometheus.Registry }

func (f factory) counter(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	f.reg.MustRegister(c)
	return c
}

func (f factory) gauge(name, help string, labels ...string) *prometheus.GaugeVec {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
	f.reg.MustRegister(g)
	return g
}

func (f factory) histogram(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, labels)
	f.reg.MustRegister(h)
	return h
}
