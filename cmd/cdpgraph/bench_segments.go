package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/cdpgraph/cdpgraph/segment"
)

// benchDefinitions are segment definitions of every predicate kind (and each operator or
// variant that compiles differently), as a segment builder sends them, with values that
// select a fair share of the demo company.
var benchDefinitions = []struct{ name, json string }{
	{"profile: country eq", `{"profile":{"field":"country","op":"eq","values":["CN"]}}`},
	{"profile: city in", `{"profile":{"field":"city","op":"in","values":["Shanghai","Beijing"]}}`},
	{"profile: city notIn", `{"profile":{"field":"city","op":"notIn","values":["Shanghai"]}}`},
	{"profile: postcode prefix", `{"profile":{"field":"postcode","op":"prefix","values":["20"]}}`},
	{"profile: source in", `{"profile":{"field":"source","op":"in","values":["wechat","pos"]}}`},
	{"age 30 to 45", `{"age":{"min":30,"max":45}}`},
	{"has an email", `{"identifier":{"type":"email","present":true}}`},
	{"has no phone", `{"identifier":{"type":"phone","present":false}}`},
	{"email consent in force", `{"consent":{"purpose":"email_marketing","granted":true}}`},
	{"no sms consent", `{"consent":{"purpose":"sms_marketing","granted":false}}`},
	{"score: CLV ≥ 500", `{"score":{"field":"clv","min":500}}`},
	{"score: sentiment ≤ −0.3", `{"score":{"field":"sentimentAvg","max":-0.3}}`},
	{"RFM segment", `{"rfmSegments":["Champions","Loyal"]}`},
	{"churn band", `{"churnBands":["high","critical"]}`},
	{"bought anything", `{"purchased":{}}`},
	{"bought category ≥ 2 times in 365 days", `{"purchased":{"category":"beauty","minTimes":2,"withinDays":365}}`},
	{"bought a category ever", `{"purchased":{"category":"beauty"}}`},
	{"bought a SKU", `{"purchased":{"sku":"SKU-0179"}}`},
	{"≥ 3 orders in 365 days", `{"purchased":{"minTimes":3,"withinDays":365}}`},
	{"logged in within 365 days", `{"event":{"type":"login","withinDays":365}}`},
	{"≥ 5 views in 365 days", `{"event":{"type":"view","minCount":5,"withinDays":365}}`},
	{"no login for 200 days", `{"event":{"type":"login","withinDays":200,"absent":true}}`},
	{"next to a detractor", `{"nearDetractor":{"hops":1}}`},
	{"within 2 hops of a detractor", `{"nearDetractor":{"hops":2}}`},
	{"within 3 hops of a detractor", `{"nearDetractor":{"hops":3}}`},
	{"referred by a top-100 influencer", `{"referredByInfluencer":{"topRank":100}}`},
	{"in a community", `{"inCommunity":{"id":"c1"}}`},
	{"household has a high-value member", `{"householdHighValue":{"minClv":2000}}`},
	{"email consent and country", `{"and":[{"consent":{"purpose":"email_marketing","granted":true}},{"profile":{"field":"country","op":"eq","values":["CN"]}}]}`},
	{"mixed AND / OR / NOT", `{"and":[{"or":[{"churnBands":["high"]},{"event":{"type":"view","minCount":5,"withinDays":365}}]},{"not":{"identifier":{"type":"phone","present":true}}}]}`},
}

// runBenchSegments times previewSegment (count and a 10-customer sample) for each kind
// of definition on the data already loaded.
func runBenchSegments(ctx context.Context, args []string) error {
	var a app
	fs := newFlags("bench segments", &a.cfg)
	runs := fs.Int("runs", 20, "previews per definition")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf(fs, "unexpected argument %q: this command takes only flags", fs.Arg(0))
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
	fmt.Println("| definition | customers | p50 ms | p90 ms | max ms | db hits |\n|---|---:|---:|---:|---:|---:|")
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
		q, err := segment.Compile(d, time.Now())
		if err != nil {
			return err
		}
		hits, err := a.segmentStore.PreviewDBHits(ctx, q, 10)
		if err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		fmt.Printf("| %s | %d | %.1f | %.1f | %.1f | %d |\n", b.name, count, ms(times[len(times)/2]), ms(times[len(times)*9/10]), ms(times[len(times)-1]), hits)
	}
	return nil
}
