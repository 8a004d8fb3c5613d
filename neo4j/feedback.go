package neo4j

import (
	"context"

	cdp "github.com/cdpgraph/cdpgraph"
)

// FeedbackText is a stored feedback text, for rescoring its sentiment.
type FeedbackText struct {
	Key  string
	Text string
}

// FeedbackTexts pages through every feedback item with a text, in key order.
func (s *IngestStore) FeedbackTexts(ctx context.Context, after string, limit int) ([]FeedbackText, error) {
	recs, err := s.db.read(ctx, `
MATCH (f:Feedback) WHERE f.key > $after AND f.text IS NOT NULL
RETURN f.key, f.text ORDER BY f.key LIMIT $limit`, map[string]any{"after": after, "limit": int64(limit)})
	if err != nil {
		return nil, err
	}
	out := make([]FeedbackText, len(recs))
	for i, r := range recs {
		out[i] = FeedbackText{Key: r.Values[0].(string), Text: str(r.Values[1])}
	}
	return out, nil
}

// WriteFeedbackSentiment replaces the sentiment of feedback items, by key.
func (s *IngestStore) WriteFeedbackSentiment(ctx context.Context, scores map[string]*cdp.Sentiment) error {
	rows := make([]any, 0, len(scores))
	for key, sen := range scores {
		p := feedbackProps(&cdp.Feedback{Sentiment: sen})
		props := map[string]any{}
		for _, k := range []string{"sentiment", "sentimentLabel", "language", "complaint", "aspects", "aspectScores"} {
			props[k] = p[k]
		}
		rows = append(rows, map[string]any{"key": key, "props": props})
	}
	return s.db.write(ctx, func(tx *tx) error {
		_, err := tx.run(`
UNWIND $rows AS row
MATCH (f:Feedback {key: row.key})
SET f += row.props`, map[string]any{"rows": rows})
		return err
	})
}
