// Package baseline is the database side of `cdpgraph bench compare` (bench/compare): the
// raw baseline's hand-written Cypher (one statement per request, returning exactly what a
// workload asks for) and the separate counting statements the answers of every system are
// checked against. It lives under neo4j/ with the rest of the project's Cypher; nothing in
// the product uses it.
//
// Like the product's stores, every statement is a constant with parameters.
package baseline

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// DB is a driver with a pool large enough for concurrency 50.
type DB struct {
	driver neo4j.DriverWithContext
}

// Open connects to uri (no auth when user is empty) and checks that it answers.
func Open(ctx context.Context, uri, user, password string) (*DB, error) {
	auth := neo4j.NoAuth()
	if user != "" {
		auth = neo4j.BasicAuth(user, password, "")
	}
	d, err := neo4j.NewDriverWithContext(uri, auth, func(c *config.Config) {
		c.MaxConnectionPoolSize = 100
		c.ConnectionAcquisitionTimeout = 10 * time.Second
	})
	if err != nil {
		return nil, err
	}
	if err := d.VerifyConnectivity(ctx); err != nil {
		d.Close(ctx)
		return nil, fmt.Errorf("neo4j at %s: %w", uri, err)
	}
	return &DB{driver: d}, nil
}

// Close closes the driver.
func (db *DB) Close(ctx context.Context) error { return db.driver.Close(ctx) }

// Rows runs one read statement in one read transaction and returns its rows as JSON-ready
// maps (temporal values as RFC 3339 strings). No bookmark manager: the baseline is the
// least a request can cost.
func (db *DB) Rows(ctx context.Context, query string, params map[string]any) ([]map[string]any, error) {
	res, err := neo4j.ExecuteQuery(ctx, db.driver, query, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithReadersRouting(), neo4j.ExecuteQueryWithoutBookmarkManager())
	if err != nil {
		return nil, err
	}
	rows := make([]map[string]any, len(res.Records))
	for i, rec := range res.Records {
		m := make(map[string]any, len(rec.Keys))
		for j, k := range rec.Keys {
			m[k] = Plain(rec.Values[j])
		}
		rows[i] = m
	}
	return rows, nil
}

// Version is the Neo4j server's name and version, for the report.
func (db *DB) Version(ctx context.Context) string {
	rows, err := db.Rows(ctx, `CALL dbms.components() YIELD name, versions, edition RETURN name + ' ' + versions[0] + ' ' + edition AS v`, nil)
	if err != nil || len(rows) == 0 {
		return "unknown"
	}
	s, _ := rows[0]["v"].(string)
	return s
}

// Plain turns driver values into JSON-friendly ones (temporal values as RFC 3339).
func Plain(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case dbtype.LocalDateTime:
		return x.Time().Format("2006-01-02T15:04:05.999999999")
	case dbtype.Date:
		return x.Time().Format("2006-01-02")
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Plain(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = Plain(e)
		}
		return out
	}
	return v
}
