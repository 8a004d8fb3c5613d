package influence

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

const (
	benchNodes = 200_000
	benchEdges = 1_000_000
)

var bench struct {
	once  sync.Once
	edges []Edge
	g     *Graph
}

// benchEdgesList is a seeded synthetic social graph: each new customer makes five ties
// to earlier customers, 70% of the time to one picked in proportion to its ties so far
// (preferential attachment, giving hubs) and otherwise uniformly. Types are mostly
// follows, then shares, mentions and a few referrals.
func benchGraph(b *testing.B) ([]Edge, *Graph) {
	bench.once.Do(func() {
		r := rand.New(rand.NewPCG(1, 2))
		ids := make([]string, benchNodes)
		for i := range ids {
			ids[i] = fmt.Sprintf("c%06d", i)
		}
		edges := make([]Edge, 0, benchEdges)
		ends := make([]int32, 0, 2*benchEdges) // every tie's endpoints: degree-weighted picks
		add := func(u, v int) {
			var typ string
			count := 0
			switch x := r.Float64(); {
			case x < 0.60:
				typ = Follows
			case x < 0.80:
				typ, count = Shared, 1+r.IntN(5)
			case x < 0.95:
				typ, count = Mentioned, 1+r.IntN(3)
			default:
				typ = Referred
			}
			edges = append(edges, Edge{From: ids[u], To: ids[v], Type: typ, Count: count})
			ends = append(ends, int32(u), int32(v))
		}
		for u := 1; u < benchNodes; u++ {
			for range 5 {
				v := r.IntN(u)
				if len(ends) > 0 && r.Float64() < 0.7 {
					v = int(ends[r.IntN(len(ends))])
				}
				if v != u {
					add(u, v)
				}
			}
		}
		for len(edges) < benchEdges {
			if u, v := r.IntN(benchNodes), r.IntN(benchNodes); u != v {
				add(u, v)
			}
		}
		bench.edges = edges
		g, err := Build(edges, DefaultWeights())
		if err != nil {
			panic(err)
		}
		bench.g = g
	})
	return bench.edges, bench.g
}

func BenchmarkBuild(b *testing.B) {
	edges, _ := benchGraph(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(edges, DefaultWeights()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPageRank(b *testing.B) {
	_, g := benchGraph(b)
	var r *Ranking
	for b.Loop() {
		var err error
		if r, err = g.PageRank(RankOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(r.Iterations), "iterations")
	b.Logf("%d nodes, %d influence arcs: %d iterations", g.Len(), len(g.inflTo), r.Iterations)
}

func BenchmarkLouvain(b *testing.B) {
	_, g := benchGraph(b)
	var c *Communities
	for b.Loop() {
		var err error
		if c, err = g.Louvain(CommunityOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(c.Modularity, "modularity")
	b.ReportMetric(float64(len(c.Sizes)), "communities")
}

func BenchmarkReachAll(b *testing.B) {
	_, g := benchGraph(b)
	for b.Loop() {
		g.ReachAll(3, 10_000)
	}
}

func BenchmarkCascades(b *testing.B) {
	_, g := benchGraph(b)
	revenue := make(map[string]float64, g.Len())
	for i := range g.Len() {
		revenue[g.ID(i)] = float64(i % 97)
	}
	for b.Loop() {
		g.Cascades(revenue)
	}
}
