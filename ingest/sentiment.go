package ingest

import (
	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/sentiment"
)

// AnalyzeText scores a feedback text with the embedded sentiment model. Feedback is scored
// as it arrives, so every text in the graph carries its sentiment; a new model rescored
// with `cdpgraph sentiment` replaces it.
func AnalyzeText(text string) *cdp.Sentiment {
	r := sentiment.Analyze(text)
	out := &cdp.Sentiment{Score: r.Score, Label: r.Label, Language: r.Language, Complaint: r.Complaint}
	for _, a := range r.Aspects {
		out.Aspects = append(out.Aspects, cdp.AspectSentiment{Aspect: a.Aspect, Score: a.Score, Label: a.Label})
	}
	return out
}
