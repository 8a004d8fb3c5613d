package neo4j

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/identity/match"
)

// Probabilistic matching links records that share no trusted identifier but agree closely
// on name, birth date, address... The matcher (identity/match) fits Fellegi-Sunter weights
// on the data itself; pairs above the merge probability become MATCHED links, which
// clustering treats like any other link (below manual decisions and shared identifiers),
// and pairs in the review band become REVIEW links for an analyst.

// matchedIdentifiers are what the matcher reads of a record's identifiers: external ids,
// compared with typos allowed; social handles, which may spell a name; and the untrusted
// identifiers (devices, cookies) that are evidence but not proof, unless blocked or held
// by more records than their type allows. External ids and handles are compared their
// own way even when the rules do not trust them, and are not counted twice.
const matchedIdentifiers = `
RETURN r.key, properties(r),
  [(r)-[:HAS_IDENTIFIER]->(i) WHERE i.type = 'external_id' | i.value] AS externalIds,
  [(r)-[:HAS_IDENTIFIER]->(i) WHERE NOT i.type IN $trusted AND NOT i.type IN ['external_id', 'social_handle']
    AND NOT coalesce(i.blocked, false) AND COUNT { (i)<-[:HAS_IDENTIFIER]-() } <= $maxRecords[i.type] | i.key] AS weakIds,
  [(r)-[:HAS_IDENTIFIER]->(i) WHERE i.type = 'social_handle' | i.value] AS handles`

const matchRecordsQuery = `
MATCH (r:SourceRecord) WHERE NOT coalesce(r.placeholder, false)` + matchedIdentifiers

const matchRecordsByKeys = `
UNWIND $keys AS k
MATCH (r:SourceRecord {key: k}) WHERE NOT coalesce(r.placeholder, false)` + matchedIdentifiers

// matchRecords reads every resolved record as the matcher sees it, with the fingerprint
// of the blocking keys stored for it.
func (i *IdentityStore) matchRecords(ctx context.Context) ([]match.Record, []string, error) {
	recs, err := i.s.db.read(ctx, matchRecordsQuery, i.s.linkParams())
	if err != nil {
		return nil, nil, err
	}
	out := make([]match.Record, 0, len(recs))
	hashes := make([]string, 0, len(recs))
	for _, r := range recs {
		out = append(out, matchRecordFromRow(r.Values))
		h, _ := r.Values[1].(map[string]any)["blockKeysHash"].(string)
		hashes = append(hashes, h)
	}
	return out, hashes, nil
}

// blockRow is a writeBlockKeys row: the record's keys and their fingerprint.
func blockRow(key string, blocks []string) map[string]any {
	sum := sha256.Sum256([]byte(strings.Join(blocks, "\n")))
	return map[string]any{"key": key, "blocks": toAny(blocks), "hash": hex.EncodeToString(sum[:8])}
}

// refreshBlockKeys rewrites the blocking keys of the records whose keys changed since
// they were written: after an upgrade that adds keys (or reads names differently) a full
// resolve brings every record up to date, and otherwise it writes nothing.
func (i *IdentityStore) refreshBlockKeys(ctx context.Context, records []match.Record, stored []string) (int, error) {
	var rows []any
	for k := range records {
		row := blockRow(records[k].ID, match.Keys(&records[k]))
		if row["hash"] != stored[k] {
			rows = append(rows, row)
		}
	}
	for start := 0; start < len(rows); start += 2000 {
		batch := rows[start:min(start+2000, len(rows))]
		if err := i.s.db.write(ctx, func(t *tx) error {
			_, err := t.run(writeBlockKeys, map[string]any{"rows": batch})
			return err
		}); err != nil {
			return 0, err
		}
	}
	return len(rows), nil
}

func matchRecordFromRow(v []any) match.Record {
	rec := recordFromProps(v[1].(map[string]any))
	rec.Identifiers = nil
	for _, id := range toStrings(v[2]) {
		rec.Identifiers = append(rec.Identifiers, cdp.Identifier{Type: cdp.IdentifierExternalID, Value: id})
	}
	m := matchRecord(rec, nil)
	m.ID = v[0].(string)
	m.WeakIDs = toStrings(v[3])
	m.Handles = toStrings(v[4])
	return m
}

// matchRecord is a source record as the matcher sees it; with rules, its untrusted
// identifiers that are not blocked become WeakIDs.
func matchRecord(r *cdp.SourceRecord, rules *identity.Rules) match.Record {
	p := r.Profile
	m := match.Record{
		ID: r.Key(), Source: r.Source, GivenName: p.GivenName, FamilyName: p.FamilyName, FullName: p.FullName,
		BirthDate: p.BirthDate, Gender: p.Gender, AddressLine1: p.AddressLine1, AddressLine2: p.AddressLine2,
		City: p.City, Region: p.Region, Postcode: p.Postcode, Country: p.Country, Email: p.Email, Phone: p.Phone,
	}
	// "12 Main St" carries the street number the matcher compares on its own.
	if num, rest, ok := strings.Cut(m.AddressLine1, " "); ok && num != "" && strings.Trim(num, "0123456789") == "" {
		m.StreetNumber, m.AddressLine1 = num, rest
	}
	for _, id := range r.Identifiers {
		switch {
		case id.Type == cdp.IdentifierExternalID:
			if m.NationalID == "" || id.Value < m.NationalID { // the same one in any order
				m.NationalID = id.Value
			}
		case id.Type == cdp.IdentifierSocialHandle:
			m.Handles = append(m.Handles, id.Value)
		case rules != nil && rules.Identifiers[id.Type] != nil && !rules.Trusts(id.Type) && !rules.Blocked(id):
			m.WeakIDs = append(m.WeakIDs, id.Key())
		}
	}
	return m
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

const blockCandidates = `
UNWIND $keys AS k
MATCH (r:SourceRecord {key: k})-[:IN_BLOCK]->(b)<-[:IN_BLOCK]-(o)
WHERE o <> r AND COUNT { (b)<-[:IN_BLOCK]-() } <= $maxBlock
RETURN k, collect(DISTINCT o.key)`

const clearRecordMatches = `
UNWIND $keys AS k
MATCH (:SourceRecord {key: k})-[m:MATCHED|REVIEW]-()
DELETE m`

const loadModel = `MATCH (m:MatchModel {name: 'person'}) RETURN m.report, m.fittedAt`

// storedMatchModel decodes a loadModel row.
func storedMatchModel(rec *neo4j.Record) (*match.Model, error) {
	var m match.Model
	if err := json.Unmarshal([]byte(str(rec.Values[0])), &m); err != nil {
		return nil, fmt.Errorf("stored match model: %w", err)
	}
	return &m, nil
}

// MatchModel reads the matcher the last full resolve fitted, for analysts; nil before one.
func (i *IdentityStore) MatchModel(ctx context.Context) (*cdp.MatchModel, error) {
	recs, err := i.s.db.read(ctx, loadModel, nil)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	m, err := storedMatchModel(recs[0])
	if err != nil {
		return nil, err
	}
	out := &cdp.MatchModel{CandidatePairs: m.Candidates, PriorAcross: m.Lambda, PriorWithin: m.LambdaSameSource,
		MatchProbability: m.Options.MatchProbability, ReviewProbability: m.Options.ReviewProbability, BlockingKeys: m.Blocking}
	if out.PriorWithin == 0 {
		out.PriorWithin = out.PriorAcross // a model fitted before sources were told apart
	}
	out.FittedAt, _ = recs[0].Values[1].(time.Time)
	for _, f := range m.Fields {
		if !f.Active {
			continue
		}
		mf := cdp.MatchField{Field: f.Field, Method: f.Method}
		for _, l := range f.Levels {
			mf.Levels = append(mf.Levels, cdp.MatchLevel{Level: l.Level, M: l.M, U: l.U, Weight: l.Weight, Pairs: l.Pairs})
		}
		out.Fields = append(out.Fields, mf)
	}
	return out, nil
}

// matchIncrementally scores the changed records against their blocking candidates with the
// model the last full resolve fitted, and replaces their MATCHED and REVIEW links. Without
// a fitted model it only keeps the blocking keys current.
func (s *IngestStore) matchIncrementally(t *tx, changed []*cdp.SourceRecord) error {
	rows := make([]any, 0, len(changed))
	keys := make([]string, 0, len(changed))
	for _, r := range changed {
		m := matchRecord(r, &s.rules)
		rows = append(rows, blockRow(r.Key(), match.Keys(&m)))
		keys = append(keys, r.Key())
	}
	if _, err := t.run(writeBlockKeys, map[string]any{"rows": rows}); err != nil {
		return err
	}
	recs, err := t.run(loadModel, nil)
	if err != nil || len(recs) == 0 {
		return err
	}
	model, err := storedMatchModel(recs[0])
	if err != nil || model.Version != match.ModelVersion {
		return nil // an unreadable or outdated model is as good as none; the next resolve refits it
	}
	opts := s.rules.Matching
	maxBlock := opts.MaxBlockSize
	if maxBlock <= 0 {
		maxBlock = match.DefaultMaxBlockSize
	}
	cands, err := t.run(blockCandidates, map[string]any{"keys": toAny(keys), "maxBlock": int64(maxBlock)})
	if err != nil {
		return err
	}
	pairs := map[string][]string{}
	need := map[string]bool{}
	for _, c := range cands {
		k := c.Values[0].(string)
		pairs[k] = toStrings(c.Values[1])
		need[k] = true
		for _, o := range pairs[k] {
			need[o] = true
		}
	}
	if _, err := t.run(clearRecordMatches, map[string]any{"keys": toAny(keys)}); err != nil {
		return err
	}
	if len(pairs) == 0 {
		return nil
	}
	params := s.linkParams()
	params["keys"] = toAny(sortedKeys(need))
	loaded, err := t.run(matchRecordsByKeys, params)
	if err != nil {
		return err
	}
	records := make([]match.Record, 0, len(loaded))
	index := map[string]int{}
	for _, r := range loaded {
		m := matchRecordFromRow(r.Values)
		index[m.ID] = len(records)
		records = append(records, m)
	}
	matchAt, reviewAt := opts.MatchProbability, opts.ReviewProbability
	if matchAt <= 0 {
		matchAt = match.DefaultMatchProbability
	}
	if reviewAt <= 0 {
		reviewAt = match.DefaultReviewProbability
	}
	var todo [][2]int
	seen := map[[2]string]bool{}
	for _, k := range sortedKeys(pairs) {
		a, okA := index[k]
		for _, o := range pairs[k] {
			b, okB := index[o]
			id := [2]string{min(k, o), max(k, o)}
			if !okA || !okB || seen[id] {
				continue
			}
			seen[id] = true
			todo = append(todo, [2]int{a, b})
		}
	}
	var matched, review []any
	for _, p := range model.ScorePairs(records, todo, reviewAt) {
		switch {
		case p.Probability >= matchAt:
			matched = append(matched, pairRow(p))
		case p.Probability >= reviewAt:
			review = append(review, pairRow(p))
		}
	}
	now := s.db.Now().UTC()
	if len(matched) > 0 {
		if _, err := t.run(writeMatched, map[string]any{"pairs": matched, "now": now}); err != nil {
			return err
		}
	}
	if len(review) > 0 {
		if _, err := t.run(writeReview, map[string]any{"pairs": review, "now": now}); err != nil {
			return err
		}
	}
	return nil
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

// relink fits the matcher on every record, with analysts' review decisions as labelled
// pairs, and replaces all MATCHED and REVIEW links.
func (i *IdentityStore) relink(ctx context.Context) (*match.Result, error) {
	records, stored, err := i.matchRecords(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := i.refreshBlockKeys(ctx, records, stored); err != nil {
		return nil, err
	}
	if len(records) < 2 {
		return nil, nil
	}
	labels, err := i.reviewLabels(ctx)
	if err != nil {
		return nil, err
	}
	res, err := match.LinkLabelled(records, i.s.rules.Matching, labels)
	if errors.Is(err, match.ErrNoCandidates) {
		res, err = &match.Result{}, nil // nobody to compare: no matches, but old ones still go
	}
	if err != nil {
		return nil, err
	}
	if _, err := i.s.db.exec(ctx, clearMatches, nil); err != nil {
		return nil, err
	}
	now := i.s.db.Now().UTC()
	for _, set := range []struct {
		query string
		pairs []match.Pair
	}{{writeMatched, res.Matches}, {writeReview, res.Review}} {
		for start := 0; start < len(set.pairs); start += 5000 {
			end := min(start+5000, len(set.pairs))
			rows := make([]any, 0, end-start)
			for _, p := range set.pairs[start:end] {
				rows = append(rows, pairRow(p))
			}
			if err := i.s.db.write(ctx, func(t *tx) error {
				_, err := t.run(set.query, map[string]any{"pairs": rows, "now": now})
				return err
			}); err != nil {
				return nil, err
			}
		}
	}
	if res.Model == nil {
		return res, nil
	}
	report, _ := json.Marshal(res.Model)
	_, err = i.s.db.exec(ctx, saveModel, map[string]any{"report": string(report), "now": now,
		"candidates": int64(res.Candidates), "matches": int64(len(res.Matches)), "review": int64(len(res.Review))})
	return res, err
}

func pairRow(p match.Pair) map[string]any {
	comparisons, _ := json.Marshal(p.Comparisons)
	return map[string]any{"a": p.A, "b": p.B, "probability": p.Probability, "weight": p.Weight, "comparisons": string(comparisons)}
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

// DecideReview settles a review pair: the same person (a manual link) or not (an apart
// fact); either way the pair leaves the queue and the component is recomputed.
func (i *IdentityStore) DecideReview(ctx context.Context, a, b string, same bool, reason string) error {
	return i.s.db.write(ctx, func(t *tx) error {
		if err := checkRecords(t, []string{a, b}); err != nil {
			return err
		}
		now := i.s.db.Now().UTC()
		if _, err := t.run(`MATCH (a:SourceRecord {key: $a})-[x:REVIEW]-(b:SourceRecord {key: $b}) DELETE x`, map[string]any{"a": a, "b": b}); err != nil {
			return err
		}
		var err error
		if same {
			_, err = t.run(markSame, map[string]any{"pairs": pairsParam([][2]string{{a, b}}), "reason": nonEmpty(reason, "review: same person"), "now": now})
		} else {
			_, err = t.run(markApart, map[string]any{"a": a, "b": b, "reason": nonEmpty(reason, "review: not the same person"), "now": now})
		}
		if err != nil {
			return err
		}
		if _, err := t.run(markReviewDecision, map[string]any{"a": a, "b": b}); err != nil {
			return err
		}
		_, _, _, err = i.s.recompute(t, []string{a, b}, nonEmpty(reason, "review decision"))
		return err
	})
}
