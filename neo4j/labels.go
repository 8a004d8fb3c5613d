package neo4j

import (
	"context"

	"github.com/cdpgraph/cdpgraph/identity/match"
)

// Analysts' review decisions are labelled pairs for the next fit (identity/match/labels.go):
// the decision's fact is marked as coming from the review queue, where the pairs were
// chosen by their probability alone, which is what keeps the labelled fit unbiased.

const markReviewDecision = `
MATCH (:SourceRecord {key: $a})-[x:SAME_PERSON|NOT_SAME_PERSON]-(:SourceRecord {key: $b})
SET x.origin = 'review'`

// reviewLabels reads every decided review pair, each once.
const reviewLabels = `
MATCH (a:SourceRecord)-[x:SAME_PERSON|NOT_SAME_PERSON]->(b:SourceRecord)
WHERE x.origin = 'review'
RETURN a.key, b.key, type(x) = 'SAME_PERSON'`

// MarkReviewed marks the decision between two records as settled from the review queue.
func (g graph) MarkReviewed(a, b string) error {
	_, err := g.t.run(markReviewDecision, map[string]any{"a": a, "b": b})
	return err
}

// ReviewLabels reads every decided review pair, each once.
func (i *IdentityStore) ReviewLabels(ctx context.Context) ([]match.LabelledPair, error) {
	recs, err := i.s.db.read(ctx, reviewLabels, nil)
	if err != nil {
		return nil, err
	}
	out := make([]match.LabelledPair, 0, len(recs))
	for _, r := range recs {
		same, _ := r.Values[2].(bool)
		out = append(out, match.LabelledPair{A: str(r.Values[0]), B: str(r.Values[1]), Same: same})
	}
	return out, nil
}
