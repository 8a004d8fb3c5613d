package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

// runResolve recomputes identity resolution over every record: after a change of rules
// (CDP_IDENTITY_RULES), or to check that incremental resolution agrees with a full pass.
func runResolve(ctx context.Context, args []string) error {
	var a app
	if err := parseFlags(newFlags("resolve", &a.cfg), args); err != nil {
		return err
	}
	defer a.close()
	if err := a.open(ctx); err != nil {
		return err
	}
	start := time.Now()
	stats, err := a.identity.Recompute(ctx)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(os.Stderr, "resolve: %d records resolved to %d customers (%d probabilistic matches, %d pairs for review) in %.1fs (%.0f records/s)\n",
		stats.Records, stats.Customers, stats.Matches, stats.Review, elapsed.Seconds(), float64(stats.Records)/max(elapsed.Seconds(), 1e-9))
	return nil
}
