package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"sort"
	"time"

	"github.com/cdpgraph/cdpgraph/segment"
)

// benchDefinitions are segment definitions of each kind, as a segment builder sends them.
var benchDefinitions = []struct{ name, json string }{
	{"churn band", `{"churnBands":["high","critical"]}`},
	{"RFM segment and CLV", `{"and":[{"rfmSegments":["Champions","Loyal"]},{"score":{"field":"clv","min":500}}]}`},
	{"bought category ≥ 2 times in 365 days", `{"purchased":{"category":"beauty","minTimes":2,"withinDays":365}}`},
	{"no login for 30 days", `{"event":{"type":"login","withinDays":30,"absent":true}}`},
	{"email consent and country", `{"and":[{"consent":{"purpose":"email_marketing","granted":true}},{"profile":{"field":"country","op":"eq","values":["CN"]}}]}`},
	{"within 2 hops of a detractor", `{"nearDetractor":{"hops":2}}`},
	{"referred by a top-100 influencer", `{"referredByInfluencer":{"topRank":100}}`},
	{"household has a high-value member", `{"householdHighValue":{"minClv":2000}}`},
	{"mixed AND / OR / NOT", `{"and":[{"or":[{"churnBands":["high"]},{"event":{"type":"view","minCount":5,"withinDays":30}}]},{"not":{"identifier":{"type":"phone","present":true}}}]}`},
}

// runBenchSegments times previewSegment (count and a 10-customer sample) for each kind
// of definition on the data already loaded.
func runBenchSegments(ctx context.Context, args []string) error {
	var a app
	fs := newFlags("bench segments", &a.cfg)
	runs := fs.Int("runs", 20, "previews per definition")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return flag.ErrHelp
	}
	defer a.close()
	if err := a.open(ctx); err != nil {
		return err
	}
	// The hops to a detractor are precomputed after ingest and scoring; time what a
	// server serves, not the fallback used while they are out of date.
	if err := a.segments.RefreshDerived(ctx); err != nil {
		return err
	}
	fmt.Println("| definition | customers | p50 ms | p90 ms | max ms |\n|---|---:|---:|---:|---:|")
	for _, b := range benchDefinitions {
		var d segment.Definition
		if err := json.Unmarshal([]byte(b.json), &d); err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
		times := make([]time.Duration, 0, *runs)
		count := 0
		for i := 0; i < *runs; i++ {
			start := time.Now()
			n, _, err := a.segments.Preview(ctx, d, 10)
			if err != nil {
				return fmt.Errorf("%s: %w", b.name, err)
			}
			times = append(times, time.Since(start))
			count = n
		}
		sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		fmt.Printf("| %s | %d | %.1f | %.1f | %.1f |\n", b.name, count, ms(times[len(times)/2]), ms(times[len(times)*9/10]), ms(times[len(times)-1]))
	}
	return nil
}
