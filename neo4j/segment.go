package neo4j

import (
	"context"
	"errors"
	"maps"
	"strings"

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
// id order, in one statement. The predicate runs twice: once streaming into the count,
// once for the sample, where ORDER BY c.id LIMIT walks the id index in order and stops
// at the sample's size. That costs less than collecting every member's id to cut a
// sample from, which would hold the whole segment in the transaction's memory.
func (s *SegmentStore) Preview(ctx context.Context, q segment.Query, sample int) (count int, sampleIDs []string, err error) {
	if err = checkCompiled(q); err != nil {
		return 0, nil, err
	}
	params := make(map[string]any, len(q.Params)+1)
	maps.Copy(params, q.Params)
	params["sample"] = int64(max(sample, 0)) // compiled parameters are named p0, p1, ...
	recs, err := s.db.read(ctx, `
CALL () {
  MATCH (c:Customer) WHERE `+q.Where+`
  RETURN count(c) AS total
}
CALL () {
  MATCH (c:Customer) WHERE `+q.Where+`
  WITH c ORDER BY c.id LIMIT $sample
  RETURN collect(c.id) AS ids
}
RETURN total, ids`, params)
	if err != nil {
		return 0, nil, err
	}
	if len(recs) == 0 {
		return 0, nil, nil
	}
	return intProp(recs[0].Values[0]), toStrings(recs[0].Values[1]), nil
}

// MemberIDs returns the ids of every customer q selects, sorted.
func (s *SegmentStore) MemberIDs(ctx context.Context, q segment.Query) ([]string, error) {
	if err := checkCompiled(q); err != nil {
		return nil, err
	}
	recs, err := s.db.read(ctx, `
MATCH (c:Customer) WHERE `+q.Where+`
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
	if strings.TrimSpace(q.Where) == "" {
		return errors.New("neo4j: segment query has no condition; build it with segment.Compile")
	}
	return nil
}
