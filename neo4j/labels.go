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

func (i *IdentityStore) reviewLabels(ctx context.Context) ([]match.LabelledPair, error) {
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

// FittedModel is the matcher the last full resolve fitted, with what the analysts' labels
// changed in it; nil before the first (for `cdpgraph eval identity`).
func (i *IdentityStore) FittedModel(ctx context.Context) (*match.Model, error) {
	recs, err := i.s.db.read(ctx, loadModel, nil)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return storedMatchModel(recs[0])
}
