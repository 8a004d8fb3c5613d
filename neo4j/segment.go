package neo4j

import (
	"context"
	"errors"
	"maps"
	"strings"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/segment"
)

// SegmentStore evaluates segment definitions compiled by segment.Compile.
//
// A compiled Where is spliced into the statements below. That is the one exception to
// "statements are constant strings", and it is safe for the same reason constant strings
// are: segment.Compile builds Where from its own constant fragments only, and every value
// of a definition travels in the query's parameters.
type SegmentStore struct{ db *DB }

// NewSegmentStore returns the segment store of db.
func NewSegmentStore(db *DB) *SegmentStore { return &SegmentStore{db: db} }

// Preview counts the customers q selects and returns the first sample of their ids in
// id order, in one statement. The sets the population form needs are computed once; the
// predicate then runs twice: once streaming into the count, once for the sample, where
// ORDER BY c.id LIMIT walks the id index in order and stops at the sample's size. That
// costs less than collecting every member's id to cut a sample from, which would hold
// the whole segment in the transaction's memory.
func (s *SegmentStore) Preview(ctx context.Context, q segment.Query, sample int) (count int, sampleIDs []string, err error) {
	if err = checkCompiled(q); err != nil {
		return 0, nil, err
	}
	stmt, params := previewStatement(q, sample)
	recs, err := s.db.read(ctx, stmt, params)
	if err != nil {
		return 0, nil, err
	}
	if len(recs) == 0 {
		return 0, nil, nil
	}
	return intProp(recs[0].Values[0]), toStrings(recs[0].Values[1]), nil
}

// PreviewDBHits runs Preview's statement under PROFILE and returns the database hits it
// cost; the segment benchmark reports them next to the time.
func (s *SegmentStore) PreviewDBHits(ctx context.Context, q segment.Query, sample int) (int64, error) {
	if err := checkCompiled(q); err != nil {
		return 0, err
	}
	stmt, params := previewStatement(q, sample)
	return s.db.profile(ctx, stmt, params)
}

func previewStatement(q segment.Query, sample int) (string, map[string]any) {
	params := make(map[string]any, len(q.Params)+1)
	maps.Copy(params, q.Params)
	params["sample"] = int64(max(sample, 0)) // compiled parameters are named p0, p1, ...
	return q.Prelude() + `
CALL (` + q.Scope() + `) {
  MATCH (c:Customer) WHERE ` + q.Population + `
  RETURN count(c) AS total
}
CALL (` + q.Scope() + `) {
  MATCH (c:Customer) WHERE ` + q.Population + `
  WITH c ORDER BY c.id LIMIT $sample
  RETURN collect(c.id) AS ids
}
RETURN total, ids`, params
}

// MemberIDs returns the ids of every customer q selects, sorted.
func (s *SegmentStore) MemberIDs(ctx context.Context, q segment.Query) ([]string, error) {
	if err := checkCompiled(q); err != nil {
		return nil, err
	}
	recs, err := s.db.read(ctx, q.Prelude()+`
MATCH (c:Customer) WHERE `+q.Population+`
RETURN c.id ORDER BY c.id`, q.Params)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.Values[0].(string)
	}
	return ids, nil
}

// checkCompiled rejects the zero Query, a programming error: it would otherwise reach
// the database as a syntax error.
func checkCompiled(q segment.Query) error {
	if strings.TrimSpace(q.Where) == "" || strings.TrimSpace(q.Population) == "" {
		return errors.New("neo4j: segment query has no condition; build it with segment.Compile")
	}
	return nil
}

var _ segment.VocabularyReader = (*SegmentStore)(nil)

// DataVocabulary reads what the data holds in one statement: categories and sources from
// their indexes (distinct values), and which of the known event types and consent
// purposes occur, one index seek each.
func (st *SegmentStore) DataVocabulary(ctx context.Context) (categories, eventTypes, sources, consentPurposes []string, err error) {
	recs, err := st.db.read(ctx, `
CALL () { MATCH (p:Product) WHERE p.category IS NOT NULL RETURN collect(DISTINCT p.category) AS categories }
CALL () { MATCH (r:SourceRecord) WHERE r.source IS NOT NULL RETURN collect(DISTINCT r.source) AS sources }
CALL () {
  UNWIND $eventTypes AS t
  CALL (t) { MATCH (e:Event {type: t}) RETURN true AS held LIMIT 1 }
  RETURN collect(t) AS eventTypes
}
CALL () {
  UNWIND $purposes AS p
  CALL (p) { MATCH (k:Consent {purpose: p}) RETURN true AS held LIMIT 1 }
  RETURN collect(p) AS purposes
}
RETURN categories, eventTypes, sources, purposes`, map[string]any{"eventTypes": toAny(cdp.EventTypes), "purposes": toAny(cdp.ConsentPurposes)})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	v := recs[0].Values
	return toStrings(v[0]), toStrings(v[1]), toStrings(v[2]), toStrings(v[3]), nil
}
