package neo4j

import (
	"context"
	"encoding/json"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/identity/match"
)

// The matcher's storage: blocking keys as BlockKey nodes, matches as MATCHED and review
// pairs as REVIEW links between records, the fitted model as a MatchModel node. What is
// matched and how is identity's to decide (identity/matching.go).

// matchedRecord is an identity.MatchRow of record r.
const matchedRecord = `
RETURN r.key, properties(r), [(r)-[:HAS_IDENTIFIER]->(i) | ` + heldIdentifier + `] AS identifiers`

const matchRecordsQuery = `
MATCH (r:SourceRecord) WHERE NOT coalesce(r.placeholder, false)` + matchedRecord

const matchRecordsByKeys = `
UNWIND $keys AS k
MATCH (r:SourceRecord {key: k}) WHERE NOT coalesce(r.placeholder, false)` + matchedRecord

func matchRows(recs []*neo4j.Record) []identity.MatchRow {
	out := make([]identity.MatchRow, 0, len(recs))
	for _, r := range recs {
		props := r.Values[1].(map[string]any)
		hash, _ := props["blockKeysHash"].(string)
		out = append(out, identity.MatchRow{Key: r.Values[0].(string), Record: recordFromProps(props),
			Identifiers: heldIdentifiers(r.Values[2]), BlockKeysHash: hash})
	}
	return out
}

// AllMatchRecords reads every resolved record as the matcher reads it.
func (i *IdentityStore) AllMatchRecords(ctx context.Context) ([]identity.MatchRow, error) {
	recs, err := i.s.db.read(ctx, matchRecordsQuery, nil)
	if err != nil {
		return nil, err
	}
	return matchRows(recs), nil
}

// MatchRecords reads the given resolved records as the matcher reads them.
func (g graph) MatchRecords(keys []string) ([]identity.MatchRow, error) {
	recs, err := g.t.run(matchRecordsByKeys, map[string]any{"keys": toAny(keys)})
	if err != nil {
		return nil, err
	}
	return matchRows(recs), nil
}

// Blocking keys are nodes, so that a new record finds its candidates among all records
// with one indexed hop instead of a scan.
const writeBlockKeys = `
UNWIND $rows AS row
MATCH (r:SourceRecord {key: row.key})
CALL (r, row) {
  MATCH (r)-[old:IN_BLOCK]->(b)
  WHERE NOT b.key IN row.blocks
  DELETE old
}
SET r.blockKeysHash = row.hash
WITH r, row
UNWIND row.blocks AS bk
MERGE (b:BlockKey {key: bk})
MERGE (r)-[:IN_BLOCK]->(b)`

// WriteBlockKeys replaces the blocking keys of records.
func (g graph) WriteBlockKeys(rows []identity.BlockKeys) error {
	if len(rows) == 0 {
		return nil
	}
	params := make([]any, len(rows))
	for i, r := range rows {
		params[i] = map[string]any{"key": r.Key, "blocks": toAny(r.Keys), "hash": r.Hash}
	}
	_, err := g.t.run(writeBlockKeys, map[string]any{"rows": params})
	return err
}

const blockCandidates = `
UNWIND $keys AS k
MATCH (r:SourceRecord {key: k})-[:IN_BLOCK]->(b)<-[:IN_BLOCK]-(o)
WHERE o <> r AND COUNT { (b)<-[:IN_BLOCK]-() } <= $maxBlock
RETURN k, collect(DISTINCT o.key)`

// BlockCandidates returns each record's candidates: records in a block with it.
func (g graph) BlockCandidates(keys []string, maxBlock int) (map[string][]string, error) {
	recs, err := g.t.run(blockCandidates, map[string]any{"keys": toAny(keys), "maxBlock": int64(maxBlock)})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]string, len(recs))
	for _, c := range recs {
		out[c.Values[0].(string)] = toStrings(c.Values[1])
	}
	return out, nil
}

const clearRecordMatches = `
UNWIND $keys AS k
MATCH (:SourceRecord {key: k})-[m:MATCHED|REVIEW]-()
DELETE m`

// ClearRecordMatches removes the MATCHED and REVIEW links of the records.
func (g graph) ClearRecordMatches(keys []string) error {
	_, err := g.t.run(clearRecordMatches, map[string]any{"keys": toAny(keys)})
	return err
}

const loadModel = `MATCH (m:MatchModel {name: 'person'}) RETURN m.report, m.fittedAt`

func storedModel(recs []*neo4j.Record) *identity.StoredModel {
	if len(recs) == 0 {
		return nil
	}
	st := &identity.StoredModel{Report: str(recs[0].Values[0])}
	st.FittedAt, _ = recs[0].Values[1].(time.Time)
	return st
}

// MatchModel is the stored matcher, nil before the first full resolve.
func (g graph) MatchModel() (*identity.StoredModel, error) {
	recs, err := g.t.run(loadModel, nil)
	if err != nil {
		return nil, err
	}
	return storedModel(recs), nil
}

// StoredModel is the stored matcher, nil before the first full resolve.
func (i *IdentityStore) StoredModel(ctx context.Context) (*identity.StoredModel, error) {
	recs, err := i.s.db.read(ctx, loadModel, nil)
	if err != nil {
		return nil, err
	}
	return storedModel(recs), nil
}

const (
	clearMatches = `MATCH ()-[m:MATCHED|REVIEW]->() CALL (m) { DELETE m } IN TRANSACTIONS OF 10000 ROWS`
	writeMatched = `
UNWIND $pairs AS p
MATCH (a:SourceRecord {key: p.a})
MATCH (b:SourceRecord {key: p.b})
MERGE (a)-[m:MATCHED]->(b)
SET m.probability = p.probability, m.weight = p.weight, m.comparisons = p.comparisons, m.at = $now`
	writeReview = `
UNWIND $pairs AS p
MATCH (a:SourceRecord {key: p.a})
MATCH (b:SourceRecord {key: p.b})
WHERE NOT EXISTS { (a)-[:SAME_PERSON|NOT_SAME_PERSON]-(b) }
MERGE (a)-[m:REVIEW]->(b)
SET m.probability = p.probability, m.weight = p.weight, m.comparisons = p.comparisons, m.at = $now`
	saveModel = `
MERGE (m:MatchModel {name: 'person'})
SET m.report = $report, m.fittedAt = $now, m.candidates = $candidates, m.matches = $matches, m.review = $review`
)

// WriteMatches stores probabilistic matches and review pairs.
func (g graph) WriteMatches(matched, review []match.Pair, now time.Time) error {
	for _, set := range []struct {
		query string
		pairs []match.Pair
	}{{writeMatched, matched}, {writeReview, review}} {
		if len(set.pairs) == 0 {
			continue
		}
		if _, err := g.t.run(set.query, map[string]any{"pairs": pairRows(set.pairs), "now": now}); err != nil {
			return err
		}
	}
	return nil
}

// ReplaceAllMatches deletes every MATCHED and REVIEW link, then writes the new ones in batches.
func (i *IdentityStore) ReplaceAllMatches(ctx context.Context, matched, review []match.Pair, now time.Time) error {
	if _, err := i.s.db.exec(ctx, clearMatches, nil); err != nil {
		return err
	}
	for _, set := range []struct {
		query string
		pairs []match.Pair
	}{{writeMatched, matched}, {writeReview, review}} {
		for start := 0; start < len(set.pairs); start += 5000 {
			rows := pairRows(set.pairs[start:min(start+5000, len(set.pairs))])
			if err := i.s.db.write(ctx, func(t *tx) error {
				_, err := t.run(set.query, map[string]any{"pairs": rows, "now": now})
				return err
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

// SaveModel stores the fitted matcher's report.
func (i *IdentityStore) SaveModel(ctx context.Context, report string, stats identity.ModelStats, now time.Time) error {
	_, err := i.s.db.exec(ctx, saveModel, map[string]any{"report": report, "now": now,
		"candidates": int64(stats.Candidates), "matches": int64(stats.Matches), "review": int64(stats.Review)})
	return err
}

func pairRows(pairs []match.Pair) []any {
	rows := make([]any, len(pairs))
	for i, p := range pairs {
		comparisons, _ := json.Marshal(p.Comparisons)
		rows[i] = map[string]any{"a": p.A, "b": p.B, "probability": p.Probability, "weight": p.Weight, "comparisons": string(comparisons)}
	}
	return rows
}

// undecidedReview matches the review pairs still in two customers: a pair that shared
// identifiers or other matches have since put in one customer has nothing left to decide
// (on the demo data more than half the matcher's review pairs are such).
const undecidedReview = `MATCH (a)-[x:REVIEW]->(b)
  WHERE NOT EXISTS { (a)-[:RESOLVES_TO]->()<-[:RESOLVES_TO]-(b) }`

const reviewQueue = `
CALL () { ` + undecidedReview + ` RETURN count(x) AS total }
OPTIONAL CALL () {
  ` + undecidedReview + `
  WITH a, b, x, toString(1.0 - x.probability) + '|' + a.key + '|' + b.key AS sortKey
  WHERE $after IS NULL OR sortKey > $after
  RETURN a.key AS a, b.key AS b, x.probability AS probability, x.comparisons AS comparisons, sortKey
  ORDER BY sortKey LIMIT $limit
}
RETURN total, a, b, probability, comparisons, sortKey`

// ReviewQueue lists undecided pairs, most probable first, with the matcher's evidence:
// the matcher's review pairs whose records are still in two customers.
func (i *IdentityStore) ReviewQueue(ctx context.Context, page cdp.PageArgs) (*cdp.Page[*cdp.ReviewPair], error) {
	after, err := afterKey(page.After)
	if err != nil {
		return nil, err
	}
	recs, err := i.s.db.read(ctx, reviewQueue, map[string]any{"after": after, "limit": int64(page.First + 1)})
	if err != nil {
		return nil, err
	}
	out := &cdp.Page[*cdp.ReviewPair]{HasPreviousPage: page.After != "", TotalCount: totalAt(recs, 0)}
	return firstPage(out, recs, page.First, nilAt(1), func(r *neo4j.Record) (*cdp.ReviewPair, string) {
		p := &cdp.ReviewPair{RecordA: str(r.Values[1]), RecordB: str(r.Values[2])}
		p.Probability, _ = r.Values[3].(float64)
		var comps []match.Comparison
		json.Unmarshal([]byte(str(r.Values[4])), &comps)
		for _, cmp := range comps {
			p.Evidence = append(p.Evidence, cdp.FieldEvidence{Field: cmp.Field, Level: cmp.Level, Similarity: cmp.Similarity, Weight: cmp.Weight})
		}
		return p, encodeCursor("", str(r.Values[5]))
	}), nil
}
