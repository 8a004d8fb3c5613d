package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

// runBenchInfluence adds --ties social ties among the customers of `bench scoring`'s
// simulated company (preferential attachment: popular customers attract more ties) and
// times an influence run against Neo4j: read, compute, write.
func runBenchInfluence(ctx context.Context, args []string) error {
	var a app
	fs := newFlags("bench influence", &a.cfg)
	customers := fs.Int("customers", 100000, "customers of the simulated company already loaded by 'bench scoring'")
	ties := fs.Int("ties", 1000000, "ties to add (none with --skip-load)")
	skipLoad := fs.Bool("skip-load", false, "time the ties already loaded")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	defer a.close()
	if err := a.open(ctx); err != nil {
		return err
	}
	if !*skipLoad {
		r := rand.New(rand.NewPCG(42, 1))
		types := []string{"follows", "follows", "follows", "follows", "shared", "mentioned", "referred"}
		ends := []int{0}
		batch := make([]cdp.SocialTie, 0, 2000)
		store := neo4j.NewIngestStore(a.db, identity.DefaultRules())
		start := time.Now()
		for i := 0; i < *ties; i++ {
			from := r.IntN(*customers)
			to := ends[r.IntN(len(ends))] // preferential attachment
			if r.IntN(4) == 0 {
				to = r.IntN(*customers)
			}
			ends = append(ends, to, from)
			batch = append(batch, cdp.SocialTie{Source: "sim", FromSourceID: fmt.Sprintf("cus_%07d", from), ToSourceID: fmt.Sprintf("cus_%07d", to),
				Type: types[r.IntN(len(types))], Count: 1 + r.IntN(3), OccurredAt: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
			if len(batch) == cap(batch) || i == *ties-1 {
				if _, err := store.WriteSocialTies(ctx, batch); err != nil {
					return err
				}
				batch = batch[:0]
			}
		}
		fmt.Printf("wrote %d ties in %s\n", *ties, time.Since(start).Round(time.Second))
	}
	rep, err := a.social.Run(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("influence: %d customers, %d ties (between distinct customers), %d communities, modularity %.4f, PageRank %d iterations\n",
		rep.Customers, rep.Ties, rep.Communities, rep.Modularity, rep.Iterations)
	fmt.Printf("read %.1fs, compute %.1fs, write %.1fs, total %.1fs\n", rep.ReadTime.Seconds(), rep.ComputeTime.Seconds(),
		rep.WriteTime.Seconds(), (rep.ReadTime + rep.ComputeTime + rep.WriteTime).Seconds())
	return nil
}
