package neo4j

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Read runs one read statement, for tests (package neo4j_test) that need a statement no
// store has: counting relationships, a deliberately slow query.
func (db *DB) Read(ctx context.Context, query string, params map[string]any) ([]*neo4j.Record, error) {
	return db.read(ctx, query, params)
}

// Write runs one statement in a write transaction, for tests.
func (db *DB) Write(ctx context.Context, query string, params map[string]any) error {
	return db.write(ctx, func(t *tx) error {
		_, err := t.run(query, params)
		return err
	})
}

// CustomerListQuery is customerListQuery, for tests that append clauses to the prefix as
// the look-ahead reads do.
func CustomerListQuery(f cdp.CustomerFilter, order cdp.CustomerOrder, page cdp.PageArgs) (string, map[string]any, error) {
	return customerListQuery(f, order, page)
}
