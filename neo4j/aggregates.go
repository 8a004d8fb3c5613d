package neo4j

import (
	"context"
	"sync"
	"time"
)

// Aggregates over all customers (the RFM grid, the churn and CLV distributions, the
// latest scoring model with its cohorts) are served from a cache in the analytics
// service, keyed by a version of the values they aggregate. The version lives in the
// graph, (:DerivedState {name: 'aggregates', epoch, version}), and every write that
// changes an aggregated value bumps it in its own transaction: scores written
// (WriteMetrics), a scoring model saved (SaveModel, MarkIncremental), a merge that deletes
// a scored customer (resolve). Erasures keep scores (analytics still add up), unmerges
// and new customers add only unscored ones, ingest changes no score until the next
// scoring: none of them change an aggregate. Deleting all data deletes the version too;
// the epoch (random, set when the node is created) keeps a rebuilt graph from reusing an
// old version.
//
// Reading the version costs a statement, so AggregatesVersion reads it again only after
// this process committed a bumping write (read-your-writes) or when the version read last
// is older than the staleness the caller allows (writes by other processes).

// bumpAggregates is run by writes that change aggregated values, as late in their
// transaction as they can: the version is one node, locked until the commit.
const bumpAggregates = `
MERGE (s:DerivedState {name: 'aggregates'})
  ON CREATE SET s.epoch = randomUUID(), s.version = 0
SET s.version = s.version + 1`

// aggregatesChanged bumps the aggregates' version in t.
func (t *tx) bumpAggregates() error {
	if _, err := t.run(bumpAggregates, nil); err != nil {
		return err
	}
	t.aggregatesChanged = true
	return nil
}

// aggregateClock is the version last read from the graph.
type aggregateClock struct {
	mu        sync.Mutex
	version   string
	checkedAt time.Time
	writes    int64 // DB.aggregateWrites before that read
}

// DefaultAggregateStaleness is how long a version read from the graph is trusted when
// this process has not changed it: how late another process's writes may show.
const DefaultAggregateStaleness = time.Second

// AggregatesVersion returns a key that changes whenever a value aggregated over all
// customers may have changed: at once for this process's writes, within staleness for
// other processes' (0 or less: read the graph every time).
func (db *DB) AggregatesVersion(ctx context.Context, staleness time.Duration) (string, error) {
	c := &db.aggregates
	c.mu.Lock() // one reader refreshes; the others wait for its answer
	defer c.mu.Unlock()
	writes := db.aggregateWrites.Load()
	now := db.Now()
	if c.version != "" && writes == c.writes && staleness > 0 && now.Sub(c.checkedAt) < staleness {
		return c.version, nil
	}
	recs, err := db.read(ctx, `
OPTIONAL MATCH (s:DerivedState {name: 'aggregates'})
RETURN coalesce(s.epoch + ':' + toString(s.version), 'none')`, nil)
	if err != nil {
		return "", err
	}
	c.version, c.checkedAt, c.writes = str(recs[0].Values[0]), now, writes
	return c.version, nil
}
