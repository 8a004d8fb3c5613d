package influence

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// checkScores compares scores with a networkx reference, node by node.
func checkScores(t *testing.T, g *Graph, r *Ranking, ref map[string]float64) {
	t.Helper()
	if len(ref) != g.Len() {
		t.Fatalf("reference has %d nodes, graph %d", len(ref), g.Len())
	}
	worst, sum := 0.0, 0.0
	for id, want := range ref {
		got := r.Scores[node(t, g, id)]
		worst = max(worst, math.Abs(got-want))
		sum += got
	}
	t.Logf("max |difference| from networkx: %.3g after %d iterations", worst, r.Iterations)
	if worst > 1e-6 {
		t.Errorf("max difference from networkx %g > 1e-6", worst)
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("scores sum to %v", sum)
	}
}

func TestPageRankKarate(t *testing.T) {
	g := mustBuild(t, karateEdges(t))
	r, err := g.PageRank(RankOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkScores(t, g, r, readScores(t, "karate_pagerank.txt"))
	// The instructor (0) and the administrator (33) lead; 17 and 21 are structurally
	// identical (both know only 0 and 1), so they tie and rank by id.
	if top := ids(g, r.Order[:2]); top[0] != "33" || top[1] != "0" {
		t.Errorf("top two %v, want [33 0]", top)
	}
	a, b := node(t, g, "17"), node(t, g, "21")
	if r.Scores[a] != r.Scores[b] || r.Rank[b] != r.Rank[a]+1 {
		t.Errorf("17 and 21: scores %v %v ranks %d %d, want equal scores and consecutive ranks by id",
			r.Scores[a], r.Scores[b], r.Rank[a], r.Rank[b])
	}
	for i, u := range r.Order {
		if r.Rank[u] != i+1 {
			t.Fatalf("rank of %s is %d at position %d", g.ID(u), r.Rank[u], i)
		}
	}
}

// TestPageRankWeightedTies checks the whole path from stored ties (types, counts,
// parallel ties, self-ties, dangling customers) to networkx's weighted PageRank of the
// attention graph, translated independently in testdata/reference.py.
func TestPageRankWeightedTies(t *testing.T) {
	g := mustBuild(t, tiesEdges(t))
	r, err := g.PageRank(RankOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkScores(t, g, r, readScores(t, "ties_pagerank.txt"))
	// fay is referred to by nobody and pays attention to nobody, but cat and gus pay
	// attention to her; she is the most influential.
	if g.ID(r.Order[0]) != "fay" {
		t.Errorf("top %s, want fay", g.ID(r.Order[0]))
	}
}

func TestPageRankNotConverged(t *testing.T) {
	g := mustBuild(t, karateEdges(t))
	r, err := g.PageRank(RankOptions{MaxIter: 3})
	if !errors.Is(err, ErrNotConverged) || r == nil || r.Iterations != 3 {
		t.Fatalf("got %v, %v; want the third iterate and ErrNotConverged", r, err)
	}
	if _, err := g.PageRank(RankOptions{Damping: 1}); err == nil {
		t.Error("damping 1 accepted")
	}
}

// TestArticleRank compares ArticleRank with the fixed point of its defining equation,
// solved directly: x = (1-d)/N + d Σ_u x_u w(u,v) / (W_u + mean W).
func TestArticleRank(t *testing.T) {
	g := mustBuild(t, tiesEdges(t))
	r, err := g.ArticleRank(RankOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n, d := g.Len(), 0.85
	// Attention arcs u -> v with weights, written out from the influence arcs.
	w := mat.NewDense(n, n, nil)
	out := make([]float64, n)
	total := 0.0
	for v := range n {
		to, ws := g.influences(v)
		for k, u := range to {
			w.Set(int(u), v, ws[k])
			out[u] += ws[k]
			total += ws[k]
		}
	}
	mean := total / float64(n)
	a := mat.NewDense(n, n, nil) // I - d M^T
	b := mat.NewVecDense(n, nil)
	for v := range n {
		b.SetVec(v, (1-d)/float64(n))
		a.Set(v, v, 1)
		for u := range n {
			a.Set(v, u, a.At(v, u)-d*w.At(u, v)/(out[u]+mean))
		}
	}
	var x mat.VecDense
	if err := x.SolveVec(a, b); err != nil {
		t.Fatal(err)
	}
	sum := mat.Sum(&x)
	for v := range n {
		if diff := math.Abs(r.Scores[v] - x.AtVec(v)/sum); diff > 1e-9 {
			t.Errorf("%s: %v, direct solve %v", g.ID(v), r.Scores[v], x.AtVec(v)/sum)
		}
	}
}
