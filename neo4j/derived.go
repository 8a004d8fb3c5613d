package neo4j

import (
	"context"

	"github.com/cdpgraph/cdpgraph/segment"
)

// Derived values are precomputed from the graph and kept honest by two kinds of nodes:
// (:DerivedState {name, computedAt}) says a value has been computed, and every write that
// may change its inputs adds a (:DerivedChange {name, at}) in the same transaction.
// A value is current while its state exists and no change does; readers fall back to the
// live computation otherwise (segment.DetractorHopsCurrent). A refresh reads the changes
// before the inputs and deletes only those, so a write that lands during a refresh leaves
// its change behind. Change nodes lock nothing shared, but the refresh sets the value on
// many customers in one write transaction, so a score write or a merge of those customers
// may wait for it (or, rarely, be retried by the driver after a deadlock).

// detractorHopsName names the hops to a detractor (segment.DetractorHopsProperty).
const detractorHopsName = "detractorHops"

// markDetractorHopsChange records, in the writer's transaction, that the hops to a
// detractor may have changed.
const markDetractorHopsChange = `CREATE (:DerivedChange {name: 'detractorHops', at: $now})`

// markIf runs markDetractorHopsChange when changed.
func markIf(t *tx, changed bool) error {
	if !changed {
		return nil
	}
	_, err := t.run(markDetractorHopsChange, map[string]any{"now": t.db.Now().UTC()})
	return err
}

// tieTypes are the social ties the hops follow.
const tieTypes = "FOLLOWS|REFERRED|SHARED|MENTIONED"

// DetractorHopsCurrent reports whether the precomputed hops to a detractor describe the
// graph as it is now (segment.DetractorHopsCurrent), so nearDetractor reads them.
func (s *SegmentStore) DetractorHopsCurrent(ctx context.Context) (bool, error) {
	recs, err := s.db.read(ctx, "RETURN "+segment.DetractorHopsCurrent, nil)
	if err != nil {
		return false, err
	}
	current, _ := recs[0].Values[0].(bool)
	return current, nil
}

// RefreshDetractorHops recomputes every customer's hops to a detractor unless they are
// current, in one write transaction: the DerivedState is locked first, so two servers
// refreshing at once take turns, and the second finds the hops current.
func (s *SegmentStore) RefreshDetractorHops(ctx context.Context, compute func(ties []segment.Tie, detractors []string) map[string]int) (bool, error) {
	// Most ticks find nothing to do: a read says so without taking the write lock.
	if current, err := s.DetractorHopsCurrent(ctx); err != nil || current {
		return false, err
	}
	refreshed := false
	err := s.db.write(ctx, func(t *tx) error {
		refreshed = false
		params := map[string]any{"name": detractorHopsName, "now": s.db.Now().UTC()}
		// Locks the state (a write to a MERGEd node) and reads the changes it will account
		// for; the state has no computedAt before the first refresh commits.
		recs, err := t.run(`
MERGE (s:DerivedState {name: $name})
SET s.lockedAt = $now
WITH s
OPTIONAL MATCH (x:DerivedChange {name: $name})
RETURN s.computedAt IS NULL, collect(elementId(x))`, params)
		if err != nil {
			return err
		}
		first, _ := recs[0].Values[0].(bool)
		changes := recs[0].Values[1].([]any)
		if !first && len(changes) == 0 {
			return nil
		}
		ties, detractors, current, err := s.detractorInputs(t)
		if err != nil {
			return err
		}
		hops := compute(ties, detractors)
		var rows []any
		for id, h := range hops {
			if current[id] != h {
				rows = append(rows, map[string]any{"id": id, "hops": int64(h)})
			}
		}
		for id := range current {
			if _, ok := hops[id]; !ok {
				rows = append(rows, map[string]any{"id": id, "hops": nil})
			}
		}
		if len(rows) > 0 {
			if _, err := t.run(`
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})
SET c.detractorHops = row.hops`, map[string]any{"rows": rows}); err != nil {
				return err
			}
		}
		params["changes"] = changes
		if _, err := t.run(`
MATCH (s:DerivedState {name: $name})
SET s.computedAt = $now
WITH s
UNWIND $changes AS id
MATCH (x:DerivedChange) WHERE elementId(x) = id
DELETE x`, params); err != nil {
			return err
		}
		refreshed = true
		return nil
	})
	return refreshed, err
}

// detractorInputs reads the ties between customers (through their records), the
// detractors, and the hops stored now. Records on ties are mapped to their customers
// once each: a record's relationships are read once, not once per tie.
func (s *SegmentStore) detractorInputs(t *tx) ([]segment.Tie, []string, map[string]int, error) {
	recs, err := t.run(`
MATCH (r)-[:`+tieTypes+`]-()
WITH DISTINCT r
MATCH (r)-[:RESOLVES_TO]->(c)
RETURN elementId(r), c.id`, nil)
	if err != nil {
		return nil, nil, nil, err
	}
	owner := make(map[string]string, len(recs))
	for _, r := range recs {
		owner[r.Values[0].(string)] = r.Values[1].(string)
	}
	recs, err = t.run(`
MATCH (a)-[:`+tieTypes+`]->(b)
RETURN elementId(a), elementId(b)`, nil)
	if err != nil {
		return nil, nil, nil, err
	}
	ties := make([]segment.Tie, 0, len(recs))
	for _, r := range recs {
		a, okA := owner[r.Values[0].(string)]
		b, okB := owner[r.Values[1].(string)]
		if okA && okB { // an end not resolved yet (a placeholder) ties no customer
			ties = append(ties, segment.Tie{A: a, B: b})
		}
	}
	recs, err = t.run(`
MATCH (c:Customer) WHERE c.sentimentAvg <= $threshold OR c.detractorHops IS NOT NULL
RETURN c.id, c.sentimentAvg <= $threshold, c.detractorHops`, map[string]any{"threshold": segment.DetractorSentiment})
	if err != nil {
		return nil, nil, nil, err
	}
	var detractors []string
	current := map[string]int{}
	for _, r := range recs {
		id := r.Values[0].(string)
		if d, _ := r.Values[1].(bool); d {
			detractors = append(detractors, id)
		}
		if h, ok := r.Values[2].(int64); ok {
			current[id] = int(h)
		}
	}
	return ties, detractors, current, nil
}
