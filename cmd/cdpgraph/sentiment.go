package main

import (
	"context"
	"fmt"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/ingest"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

// runSentiment rescores every stored feedback text with the embedded model: feedback is
// scored as it arrives, so this is for data loaded before a model change.
func runSentiment(ctx context.Context, args []string) error {
	var a app
	fs := newFlags("sentiment", &a.cfg)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	defer a.close()
	if err := a.open(ctx); err != nil {
		return err
	}
	store := neo4j.NewIngestStore(a.db, identity.DefaultRules())
	start, n := time.Now(), 0
	for after := ""; ; {
		page, err := store.FeedbackTexts(ctx, after, 2000)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		scores := make(map[string]*cdp.Sentiment, len(page))
		for _, f := range page {
			scores[f.Key] = ingest.AnalyzeText(f.Text)
		}
		if err := store.WriteFeedbackSentiment(ctx, scores); err != nil {
			return err
		}
		n += len(page)
		after = page[len(page)-1].Key
	}
	fmt.Printf("rescored the sentiment of %d feedback texts in %s; 'cdpgraph score' refreshes customers' averages\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
