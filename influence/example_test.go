package influence_test

import (
	"fmt"

	"github.com/cdpgraph/cdpgraph/influence"
)

// Ana is followed and mentioned by Bea and Cai, and referred Bea, who referred Dev:
// Ana ranks first and her influence reaches everyone; Bea and Dev, whom her referrals
// brought in, spent 200.
func Example() {
	g, err := influence.Build([]influence.Edge{
		{From: "bea", To: "ana", Type: influence.Follows},
		{From: "cai", To: "ana", Type: influence.Follows},
		{From: "ana", To: "bea", Type: influence.Referred},
		{From: "bea", To: "dev", Type: influence.Referred},
		{From: "cai", To: "ana", Type: influence.Mentioned, Count: 2},
	}, influence.DefaultWeights())
	if err != nil {
		panic(err)
	}
	pr, _ := g.PageRank(influence.RankOptions{})
	for _, u := range pr.Order {
		fmt.Printf("%d %s %.3f reach %d\n", pr.Rank[u], g.ID(u), pr.Scores[u], g.Reach(u, 3))
	}
	cs := g.Cascades(map[string]float64{"bea": 120, "dev": 80})
	ana, _ := g.Index("ana")
	fmt.Printf("ana brought in %d customers worth %.0f\n", cs.Nodes[ana].Downstream, cs.Nodes[ana].DownstreamRevenue)
	// Output:
	// 1 ana 0.471 reach 3
	// 2 bea 0.254 reach 1
	// 3 cai 0.138 reach 0
	// 4 dev 0.138 reach 0
	// ana brought in 2 customers worth 200
}
