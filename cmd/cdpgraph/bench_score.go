package main

import (
	"context"
	"fmt"
	"os"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/analytics/simulate"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

// runBenchScore loads a simulated company of --customers customers and times full and
// incremental scoring against Neo4j: read, fit, score and write back.
func runBenchScore(ctx context.Context, args []string) error {
	var a app
	fs := newFlags("bench scoring", &a.cfg)
	reset := fs.Bool("reset", false, "delete ALL data in the database first (required unless it is empty)")
	customers := fs.Int("customers", 100000, "customers in the simulated company")
	skipLoad := fs.Bool("skip-load", false, "score the data already loaded")
	runs := fs.Int("runs", 2, "full scoring runs to time")
	day := fs.String("as-of", "2026-06-30", "score as of this day; a new day writes new snapshots, the same day replaces them")
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
	history := time.Date(2026, 6, 30, 23, 59, 59, 0, time.UTC) // the simulated company's last day
	asOf, err := time.Parse(time.DateOnly, *day)
	if err != nil {
		return fmt.Errorf("--as-of: want YYYY-MM-DD")
	}
	asOf = asOf.Add(24*time.Hour - time.Second)
	store := neo4j.NewIngestStore(a.db, identity.DefaultRules())
	if !*skipLoad {
		if err := a.emptyDatabase(ctx, "bench scoring", *reset); err != nil {
			return err
		}
		acts := simulate.Company(*customers, 42, history)
		for i := range acts {
			// One browsing event in three: the load, not the scoring, is what many events cost.
			ev := acts[i].Events[:0]
			for j, e := range acts[i].Events {
				if j%3 == 0 {
					ev = append(ev, e)
				}
			}
			acts[i].Events = ev
		}
		recs := simulate.AsRecords("sim", acts)
		start := time.Now()
		if err := writeBatches(ctx, recs.Customers, store.WriteCustomers); err != nil {
			return err
		}
		if err := writeBatches(ctx, recs.Orders, store.WriteOrders); err != nil {
			return err
		}
		if err := writeBatches(ctx, recs.Events, store.WriteEvents); err != nil {
			return err
		}
		if err := writeBatches(ctx, recs.Feedback, store.WriteFeedback); err != nil {
			return err
		}
		if err := writeBatches(ctx, recs.Ties, store.WriteSocialTies); err != nil {
			return err
		}
		fmt.Printf("loaded %d customers, %d orders, %d events, %d feedback, %d ties in %s\n\n", len(recs.Customers),
			len(recs.Orders), len(recs.Events), len(recs.Feedback), len(recs.Ties), time.Since(start).Round(time.Second))
	}
	fmt.Println("| run | customers | read s | fit + score s | write s | total s |\n|---|---:|---:|---:|---:|---:|")
	for i := 1; i <= *runs; i++ {
		start := time.Now()
		m, st, err := a.scorer.Run(ctx, asOf)
		if err != nil {
			return err
		}
		fmt.Printf("| full %d | %d | %.1f | %.1f | %.1f | %.1f |\n", i, st.Customers, st.ReadTime.Seconds(), st.FitTime.Seconds(),
			st.WriteTime.Seconds(), time.Since(start).Seconds())
		if i == *runs {
			fmt.Println()
			printModel(os.Stdout, m)
		}
	}
	// Incremental: 1,000 customers get a new order, then only they are rescored.
	var late []cdp.Order
	for i := 1; i < *customers && len(late) < 1000; i += max(1, *customers/1000) {
		late = append(late, cdp.Order{Source: "sim", SourceID: fmt.Sprintf("late-%d", i), CustomerSourceID: fmt.Sprintf("cus_%07d", i),
			OrderedAt: asOf.Add(-time.Hour), Total: cdp.Money{Amount: "99.00", Minor: 9900, Currency: "CNY"}, Status: "completed"})
	}
	if _, err := store.WriteOrders(ctx, late); err != nil {
		return err
	}
	start := time.Now()
	n, err := a.scorer.ScoreChanged(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("\nincremental: %d customers with a new order rescored in %.2fs\n", n, time.Since(start).Seconds())
	return nil
}

// writeBatches writes records 2,000 at a time, as imports do.
func writeBatches[T any](ctx context.Context, recs []T, write func(context.Context, []T) (cdp.WriteStats, error)) error {
	for i := 0; i < len(recs); i += 2000 {
		if _, err := write(ctx, recs[i:min(i+2000, len(recs))]); err != nil {
			return err
		}
	}
	return nil
}
