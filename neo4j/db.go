// Package neo4j implements cdpgraph's stores on Neo4j through the official Go driver.
//
// One DB (one driver) serves the whole process. Reads run in read-routed transactions so a
// cluster spreads them over its readers; writes run as idempotent work functions inside
// ExecuteWrite, which the driver retries on transient errors. Every statement is a constant
// string with parameters: nothing from a caller is ever spliced into Cypher.
package neo4j

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Config says which Neo4j to use. An empty User connects without authentication (the
// embedded development database).
type Config struct {
	URI      string
	User     string
	Password string
	Database string // empty: the server's default database
}

// DB is a connection pool to one Neo4j database.
type DB struct {
	driver   neo4j.DriverWithContext
	database string
	log      *slog.Logger
	queries  atomic.Int64

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
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		c.MaxConnectionPoolSize = 50
		c.ConnectionAcquisitionTimeout = 10 * time.Second
		c.SocketConnectTimeout = 5 * time.Second
	})
	if err != nil {
		return nil, fmt.Errorf("neo4j: driver for %s: %w", cfg.URI, err)
	}
	db := &DB{driver: driver, database: cfg.Database, log: log, Now: time.Now}
	if err := db.Ping(ctx); err != nil {
		driver.Close(ctx)
		return nil, err
	}
	return db, nil
}

// Close closes the driver and its connections.
func (db *DB) Close(ctx context.Context) error { return db.driver.Close(ctx) }

// Ping checks that the database can be reached.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.driver.VerifyConnectivity(ctx); err != nil {
		return db.wrap(err)
	}
	return nil
}

// QueryCount returns how many Cypher statements this DB has sent; tests use it to prove
// that loaders batch.
func (db *DB) QueryCount() int64 { return db.queries.Load() }

// read runs one read statement on a reader and returns its records.
func (db *DB) read(ctx context.Context, query string, params map[string]any) ([]*neo4j.Record, error) {
	db.queries.Add(1)
	res, err := neo4j.ExecuteQuery(ctx, db.driver, query, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(db.database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, db.wrap(err)
	}
	return res.Records, nil
}

// write runs work in one write transaction. work must be idempotent: the driver retries it
// on transient failures such as deadlocks or a leader switch.
func (db *DB) write(ctx context.Context, work func(tx *tx) error) error {
	return db.transact(ctx, neo4j.AccessModeWrite, work)
}

// transact runs work in one managed transaction of the given access mode.
func (db *DB) transact(ctx context.Context, mode neo4j.AccessMode, work func(tx *tx) error) error {
	session := db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.database, AccessMode: mode})
	defer session.Close(ctx)
	run := session.ExecuteWrite
	if mode == neo4j.AccessModeRead {
		run = session.ExecuteRead
	}
	_, err := run(ctx, func(t neo4j.ManagedTransaction) (any, error) {
		return nil, work(&tx{ctx: ctx, t: t, db: db})
	})
	if err != nil {
		return db.wrap(err)
	}
	return nil
}

// tx is a managed transaction (read or write) that counts the statements it sends.
type tx struct {
	ctx context.Context
	t   neo4j.ManagedTransaction
	db  *DB
}

func (t *tx) run(query string, params map[string]any) ([]*neo4j.Record, error) {
	t.db.queries.Add(1)
	start := time.Now()
	res, err := t.t.Run(t.ctx, query, params)
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(t.ctx)
	t.db.log.Debug("cypher", "query", firstLine(query), "rows", len(recs), "ms", time.Since(start).Milliseconds())
	return recs, err
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

// wrap turns driver errors into application errors: an unreachable database is
// "unavailable"; anything else is internal and its text stays in the logs.
func (db *DB) wrap(err error) error {
	var appErr *cdp.Error
	if err == nil || errors.As(err, &appErr) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var connErr *neo4j.ConnectivityError
	if errors.As(err, &connErr) || neo4j.IsConnectivityError(err) || neo4j.IsRetryable(err) {
		db.log.Warn("neo4j unavailable", "err", err)
		return &cdp.Error{Code: cdp.EUNAVAILABLE, Message: "the database is unavailable; try again shortly"}
	}
	return fmt.Errorf("neo4j: %w", err)
}

func sessionConfigWrite(database string) neo4j.SessionConfig {
	return neo4j.SessionConfig{DatabaseName: database, AccessMode: neo4j.AccessModeWrite}
}

// readTx runs work in one read transaction routed to a reader, for reads that take several
// statements (explaining a match walks a component).
func (db *DB) readTx(ctx context.Context, work func(tx *tx) error) error {
	return db.transact(ctx, neo4j.AccessModeRead, work)
}
