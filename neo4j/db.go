// Package neo4j implements cdpgraph's stores on Neo4j through the official Go driver.
//
// One DB (one driver) serves the whole process. Reads run in read-routed transactions so a
// cluster spreads them over its readers; writes run as idempotent work functions inside
// ExecuteWrite, which the driver retries on transient errors. Every statement is a constant
// string with parameters: nothing from a caller is ever spliced into Cypher.
//
// When the database goes away, calls fail fast with cdp.EUNAVAILABLE instead of sitting in
// the driver's retries: a call that fails to reach it, or is still running after a second,
// makes the DB probe the database (at most once a second); if the probe cannot connect the
// DB counts as down, calls in flight end at once, and new calls fail at once until a probe
// (made by the next call at most once a second, or by Ping) gets through again. The same DB
// then serves again by itself. Every transaction also carries a server-side Cypher timeout
// (Config.TxTimeout); a statement over it fails with an error matching
// context.DeadlineExceeded.
package neo4j

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"go.opentelemetry.io/otel/trace"

	"github.com/cdpgraph/cdpgraph/observe"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Config says which Neo4j to use. An empty User connects without authentication (the
// embedded development database).
type Config struct {
	URI      string
	User     string
	Password string
	Database string // empty: the server's default database
	// RetryTime is the longest the driver retries a transaction that failed on a transient
	// error (a deadlock, a leader switch, a lost connection); 0 is DefaultRetryTime.
	RetryTime time.Duration
	// TxTimeout is the server-side timeout of every transaction (the Cypher timeout); 0
	// leaves the server's own setting (db.transaction.timeout, unlimited by default).
	TxTimeout time.Duration
}

// DefaultRetryTime bounds transaction retries unless Config.RetryTime says otherwise (the
// driver's own default is 30s).
const DefaultRetryTime = 5 * time.Second

const (
	probeInterval = time.Second     // at most one connectivity probe a second
	probeTimeout  = 2 * time.Second // a probe that takes longer has failed
	slowCall      = time.Second     // a call running this long makes the DB probe
)

// errGone is the cause with which calls in flight are cancelled when the database is
// found unreachable.
var errGone = errors.New("neo4j: the database became unreachable")

// DB is a connection pool to one Neo4j database.
type DB struct {
	driver    neo4j.DriverWithContext
	database  string
	txTimeout time.Duration
	log       *slog.Logger
	queries   atomic.Int64
	inFlight  atomic.Int64 // driver calls running, each holding a pooled connection
	observer  Observer

	// Health: down is set while probes cannot reach the database. gone is cancelled (with
	// errGone) when it goes down, ending the calls in flight; it is replaced when it is up.
	down      atomic.Bool
	mu        sync.Mutex
	gone      context.Context
	markGone  context.CancelCauseFunc
	probing   bool
	nextProbe time.Time

	// Aggregates: commits by this process that changed aggregated values (see
	// aggregates.go), and the version last read from the graph.
	aggregateWrites atomic.Int64
	aggregates      aggregateClock

	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// Open creates the driver and checks that the database answers.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*DB, error) {
	if log == nil {
		log = slog.Default()
	}
	auth := neo4j.NoAuth()
	if cfg.User != "" {
		auth = neo4j.BasicAuth(cfg.User, cfg.Password, "")
	}
	if cfg.RetryTime <= 0 {
		cfg.RetryTime = DefaultRetryTime
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		c.MaxConnectionPoolSize = poolSize
		c.ConnectionAcquisitionTimeout = 10 * time.Second
		c.SocketConnectTimeout = 5 * time.Second
		c.MaxTransactionRetryTime = cfg.RetryTime
	})
	if err != nil {
		return nil, fmt.Errorf("neo4j: driver for %s: %w", cfg.URI, err)
	}
	db := &DB{driver: driver, database: cfg.Database, txTimeout: max(cfg.TxTimeout, 0), log: log, observer: noObserver{}, Now: time.Now}
	db.gone, db.markGone = context.WithCancelCause(context.Background())
	if err := db.Ping(ctx); err != nil {
		driver.Close(ctx)
		return nil, err
	}
	return db, nil
}

// Close closes the driver and its connections.
func (db *DB) Close(ctx context.Context) error {
	db.mu.Lock()
	db.markGone(errors.New("neo4j: closed"))
	db.mu.Unlock()
	return db.driver.Close(ctx)
}

// Ping checks that the database can be reached; /readyz asks it. It always asks the
// database, and its answer also starts or ends the fast failing of other calls.
func (db *DB) Ping(ctx context.Context) error {
	err := db.driver.VerifyConnectivity(ctx)
	switch {
	case err == nil:
		db.markUp()
		return nil
	case ctx.Err() == nil && isConnectivity(err):
		db.markDown(err)
		return errUnavailable()
	}
	return db.fail(ctx, err)
}

// Available reports whether calls go through to the database: false from a failure to
// reach it until a probe reaches it again.
func (db *DB) Available() bool { return !db.down.Load() }

// errUnavailable is what a call returns when the database cannot be reached.
func errUnavailable() error {
	return &cdp.Error{Code: cdp.EUNAVAILABLE, Message: "the database is unavailable; try again shortly"}
}

// markDown makes new calls fail fast and ends those in flight.
func (db *DB) markDown(cause error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.down.Load() {
		return
	}
	db.log.Warn("neo4j unreachable; failing fast until it answers again", "err", cause)
	db.down.Store(true)
	db.markGone(errGone)
}

func (db *DB) markUp() {
	db.mu.Lock()
	defer db.mu.Unlock()
	if !db.down.Load() {
		return
	}
	db.log.Info("neo4j reachable again")
	db.gone, db.markGone = context.WithCancelCause(context.Background())
	db.down.Store(false)
}

// probe asks the database whether it answers, at most once per probeInterval and one
// probe at a time; ran is false when it did not ask. A probe that connects marks the
// database up; one that cannot connect marks it down. A probe that merely runs out of time
// (every pooled connection busy) decides nothing.
func (db *DB) probe(ctx context.Context) (ran bool, err error) {
	db.mu.Lock()
	now := time.Now()
	if db.probing || now.Before(db.nextProbe) {
		db.mu.Unlock()
		return false, nil
	}
	db.probing, db.nextProbe = true, now.Add(probeInterval)
	db.mu.Unlock()
	defer func() {
		db.mu.Lock()
		db.probing = false
		db.mu.Unlock()
	}()
	// The probe decides for every caller: the caller giving up does not cut it short.
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), probeTimeout)
	defer cancel()
	err = db.driver.VerifyConnectivity(pctx)
	switch {
	case err == nil:
		db.markUp()
	case isConnectivity(err):
		db.markDown(err)
	default:
		db.log.Debug("neo4j probe inconclusive", "err", err)
	}
	return true, err
}

// call runs one driver call (a transaction function or a query) under the health check:
// it fails at once while the database is down (unless this call's probe finds it back),
// probes the database if the call runs long, and ends when the database is found gone.
func (db *DB) call(ctx context.Context, run func(ctx context.Context) error) error {
	if err := ctx.Err(); err != nil { // the caller is gone or past its deadline: send nothing
		return err
	}
	if db.down.Load() {
		if ran, err := db.probe(ctx); !ran || err != nil {
			return errUnavailable()
		}
	}
	db.mu.Lock()
	gone := db.gone
	db.mu.Unlock()
	cctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stop := context.AfterFunc(gone, func() { cancel(context.Cause(gone)) })
	defer stop()
	slow := time.AfterFunc(slowCall, func() { db.probe(context.Background()) })
	defer slow.Stop()
	db.inFlight.Add(1)
	defer db.inFlight.Add(-1)

	err := run(cctx)
	if err == nil {
		return nil
	}
	if ctx.Err() == nil && errors.Is(context.Cause(cctx), errGone) {
		return errUnavailable()
	}
	return db.fail(ctx, err)
}

// QueryCount returns how many Cypher statements this DB has sent; tests use it to prove
// that loaders batch.
func (db *DB) QueryCount() int64 { return db.queries.Load() }

// read runs one read statement on a reader and returns its records. The statement (and
// its transaction) is named after the function that calls read (see statementName).
//
//go:noinline
func (db *DB) read(ctx context.Context, query string, params map[string]any) ([]*neo4j.Record, error) {
	name := statementName(2)
	ctx, span := tracer.Start(ctx, "cypher "+name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(db.spanAttrs(name, "read")...))
	start := time.Now()
	recs, err := db.readNamed(ctx, query, params)
	d := time.Since(start)
	db.observer.Statement(name, d, err)
	db.observer.Transaction(name, false, d, err)
	observe.EndSpan(span, err)
	return recs, err
}

func (db *DB) readNamed(ctx context.Context, query string, params map[string]any) ([]*neo4j.Record, error) {
	var recs []*neo4j.Record
	err := db.call(ctx, func(ctx context.Context) error {
		db.queries.Add(1)
		res, err := neo4j.ExecuteQuery(ctx, db.driver, query, params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(db.database), neo4j.ExecuteQueryWithReadersRouting(),
			neo4j.ExecuteQueryWithTransactionConfig(db.txConfig(ctx)...))
		if err != nil {
			return err
		}
		recs = res.Records
		return nil
	})
	return recs, err
}

// profile runs one read statement under PROFILE and returns the database hits of its
// plan, for benchmarks.
func (db *DB) profile(ctx context.Context, query string, params map[string]any) (int64, error) {
	var hits int64
	err := db.call(ctx, func(ctx context.Context) error {
		db.queries.Add(1)
		res, err := neo4j.ExecuteQuery(ctx, db.driver, "PROFILE "+query, params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(db.database), neo4j.ExecuteQueryWithReadersRouting(),
			neo4j.ExecuteQueryWithTransactionConfig(db.txConfig(ctx)...))
		if err != nil {
			return err
		}
		if p := res.Summary.Profile(); p != nil {
			hits = planHits(p)
		}
		return nil
	})
	return hits, err
}

func planHits(p neo4j.ProfiledPlan) int64 {
	n := p.DbHits()
	for _, c := range p.Children() {
		n += planHits(c)
	}
	return n
}

// txConfig applies the Cypher timeout: the context's (WithTxTimeout) if it carries one,
// else the configured one.
func (db *DB) txConfig(ctx context.Context) []func(*neo4j.TransactionConfig) {
	d := db.txTimeout
	if v, ok := ctx.Value(txTimeoutKey{}).(time.Duration); ok {
		d = v
	}
	if d <= 0 {
		return nil // the server's own setting
	}
	return []func(*neo4j.TransactionConfig){neo4j.WithTxTimeout(d)}
}

type txTimeoutKey struct{}

// WithTxTimeout returns a context whose transactions get Cypher timeout d instead of the
// configured one; d <= 0 leaves the server's own setting. It is for batch work whose
// transactions may rightly run long (a full resolve of a large graph).
func WithTxTimeout(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, txTimeoutKey{}, d)
}

// write runs work in one write transaction. work must be idempotent: the driver retries it
// on transient failures such as deadlocks or a leader switch. The transaction is named
// after the function that calls write.
//
//go:noinline
func (db *DB) write(ctx context.Context, work func(tx *tx) error) error {
	return db.transactNamed(ctx, statementName(2), neo4j.AccessModeWrite, work)
}

// transactNamed is transact measured and traced as the transaction name.
func (db *DB) transactNamed(ctx context.Context, name string, mode neo4j.AccessMode, work func(tx *tx) error) error {
	modeName := "write"
	if mode == neo4j.AccessModeRead {
		modeName = "read"
	}
	ctx, span := tracer.Start(ctx, "neo4j.transaction "+name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(db.spanAttrs(name, modeName)...))
	start := time.Now()
	err := db.transact(ctx, mode, work)
	db.observer.Transaction(name, mode == neo4j.AccessModeWrite, time.Since(start), err)
	observe.EndSpan(span, err)
	return err
}

// transact runs work in one managed transaction of the given access mode.
func (db *DB) transact(ctx context.Context, mode neo4j.AccessMode, work func(tx *tx) error) error {
	return db.call(ctx, func(ctx context.Context) error {
		session := db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.database, AccessMode: mode})
		defer session.Close(ctx)
		run := session.ExecuteWrite
		if mode == neo4j.AccessModeRead {
			run = session.ExecuteRead
		}
		var last *tx
		_, err := run(ctx, func(t neo4j.ManagedTransaction) (any, error) {
			last = &tx{ctx: ctx, t: t, db: db}
			return nil, work(last)
		}, db.txConfig(ctx)...)
		if err == nil && last.aggregatesChanged {
			db.aggregateWrites.Add(1) // after the commit: a reader that sees it sees the write
		}
		return err
	})
}

// tx is a managed transaction (read or write) that counts the statements it sends.
type tx struct {
	ctx context.Context
	t   neo4j.ManagedTransaction
	db  *DB
	// aggregatesChanged is set when the transaction bumped the aggregates' version.
	aggregatesChanged bool
}

// run sends one statement in the transaction, named after the function that calls run.
//
//go:noinline
func (t *tx) run(query string, params map[string]any) ([]*neo4j.Record, error) {
	name := statementName(2)
	t.db.queries.Add(1)
	ctx, span := tracer.Start(t.ctx, "cypher "+name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(t.db.spanAttrs(name, "")...))
	start := time.Now()
	recs, err := t.collect(ctx, query, params)
	d := time.Since(start)
	t.db.observer.Statement(name, d, err)
	observe.EndSpan(span, err)
	t.db.log.DebugContext(ctx, "cypher", "statement", name, "query", firstLine(query), "rows", len(recs), "ms", d.Milliseconds())
	return recs, err
}

func (t *tx) collect(ctx context.Context, query string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := t.t.Run(ctx, query, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// firstLine names a statement in logs without its parameters (which may hold personal data).
func firstLine(q string) string {
	for _, line := range strings.Split(strings.TrimSpace(q), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "UNWIND") {
			return line
		}
	}
	return q
}

// wrap is fail for calls whose context is not at hand.
func (db *DB) wrap(err error) error { return db.fail(context.Background(), err) }

// fail turns driver errors into application errors: an unreachable database is
// "unavailable" (and makes the DB probe it), a statement over the Cypher timeout is a
// TimeoutError, the caller's own cancellation stays what it is; anything else is internal
// and its text stays in the logs. ctx is the call's context.
func (db *DB) fail(ctx context.Context, err error) error {
	var appErr *cdp.Error
	if err == nil || errors.As(err, &appErr) {
		return err
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// The caller gave up (a closed connection follows from it): not the database's fault.
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			return fmt.Errorf("neo4j: %w (%v)", ctxErr, err)
		}
		return err
	}
	switch {
	case isTimeout(err):
		db.log.Warn("neo4j transaction timed out", "err", err)
		return &TimeoutError{err: err}
	case isConnectivity(err):
		db.log.Warn("neo4j unavailable", "err", err)
		// A lost connection may be one stale connection or the server gone: ask.
		db.probe(ctx)
		return errUnavailable()
	case isRetryable(err):
		// Deadlocks, a busy pool, a leader switch... still failing after the retries.
		db.log.Warn("neo4j transient failure", "err", err)
		return errUnavailable()
	}
	return fmt.Errorf("neo4j: %w", err)
}

// TimeoutError is a transaction that ran longer than the Cypher timeout. It matches
// context.DeadlineExceeded (errors.Is), so callers and the GraphQL layer treat it like
// any other timeout; its message names no query or data.
type TimeoutError struct{ err error }

func (e *TimeoutError) Error() string {
	return "neo4j: the query ran longer than the Cypher timeout allows"
}

// Is makes errors.Is(err, context.DeadlineExceeded) true.
func (e *TimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// Unwrap returns the driver's error, for logs.
func (e *TimeoutError) Unwrap() error { return e.err }

// isTimeout reports whether Neo4j ended the transaction for running past its timeout.
func isTimeout(err error) bool {
	var n4j *neo4j.Neo4jError
	if !errors.As(err, &n4j) {
		return false
	}
	switch n4j.Code {
	case "Neo.ClientError.Transaction.TransactionTimedOut",
		"Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration":
		return true
	}
	return false
}

// causes lists err and, for a retry limit, the failures it gave up after, last first: the
// driver's TransactionExecutionLimit does not unwrap them, and holds them as they came
// (a raw net.Error or io.EOF rather than a ConnectivityError).
func causes(err error) []error {
	var limit *neo4j.TransactionExecutionLimit
	if !errors.As(err, &limit) {
		return []error{err}
	}
	out := []error{err}
	for i := len(limit.Errors) - 1; i >= 0; i-- {
		out = append(out, limit.Errors[i])
	}
	return out
}

// isConnectivity reports whether err means the database could not be reached: no
// connection, a connection lost, or a database that says it is unavailable. A pool whose
// connections are all busy is not that.
func isConnectivity(err error) bool {
	for _, e := range causes(err) {
		if isPoolBusy(e) {
			return false
		}
		var connErr *neo4j.ConnectivityError
		var netErr net.Error
		var n4j *neo4j.Neo4jError
		switch {
		case errors.As(e, &connErr), errors.As(e, &netErr),
			errors.Is(e, io.EOF), errors.Is(e, io.ErrUnexpectedEOF), errors.Is(e, net.ErrClosed):
			return true
		case errors.As(e, &n4j) && n4j.Code == "Neo.TransientError.General.DatabaseUnavailable":
			return true
		}
	}
	return false
}

// isPoolBusy recognizes the driver's pool errors (its types are internal; the messages
// are those of neo4j-go-driver v5).
func isPoolBusy(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Timeout while waiting for connection") || strings.Contains(msg, "No idle connections on any of")
}

// isRetryable reports whether err is a transient failure the driver gave up retrying.
func isRetryable(err error) bool {
	for _, e := range causes(err) {
		if neo4j.IsRetryable(e) || neo4j.IsTransactionExecutionLimit(e) {
			return true
		}
	}
	return false
}

func sessionConfigWrite(database string) neo4j.SessionConfig {
	return neo4j.SessionConfig{DatabaseName: database, AccessMode: neo4j.AccessModeWrite}
}

// readTx runs work in one read transaction routed to a reader, for reads that take several
// statements (explaining a match walks a component). It is named after its caller.
//
//go:noinline
func (db *DB) readTx(ctx context.Context, work func(tx *tx) error) error {
	return db.transactNamed(ctx, statementName(2), neo4j.AccessModeRead, work)
}
