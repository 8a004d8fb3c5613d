package main

import (
	"context"
	"fmt"
)

// runInfluence ranks customers by social influence, finds communities and referral
// cascades, and stores the results on the customers.
func runInfluence(ctx context.Context, args []string) error {
	var a app
	fs := newFlags("influence", &a.cfg)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	defer a.close()
	if err := a.open(ctx); err != nil {
		return err
	}
	rep, err := a.social.Run(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("influence: %d customers, %d ties, %d communities (modularity %.4f), PageRank in %d iterations\n",
		rep.Customers, rep.Ties, rep.Communities, rep.Modularity, rep.Iterations)
	if rep.BrokenCycles > 0 {
		fmt.Printf("%d referral cycles broken (a customer credited with referring their own referrer)\n", rep.BrokenCycles)
	}
	fmt.Printf("read %s, compute %s, write %s\n", rep.ReadTime.Round(1e6), rep.ComputeTime.Round(1e6), rep.WriteTime.Round(1e6))
	return nil
}
