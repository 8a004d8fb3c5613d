package influence

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// ErrNotConverged is returned, wrapped, when a power iteration stops at MaxIter.
var ErrNotConverged = errors.New("influence: power iteration did not converge")

// RankOptions tunes PageRank and ArticleRank. The zero value is the default.
type RankOptions struct {
	// Damping is the probability of following a tie rather than jumping to a random
	// customer; 0 means 0.85, the value networkx and Neo4j use.
	Damping float64
	// Tolerance stops the iteration once the L1 change of the scores is below
	// Len()*Tolerance, networkx's test. 0 means 1e-12, much tighter than networkx's 1e-6,
	// so that scores are accurate to well below 1e-6 rather than just ranked right.
	Tolerance float64
	// MaxIter bounds the iterations; 0 means 1000.
	MaxIter int
}

func (o RankOptions) withDefaults() (RankOptions, error) {
	if o.Damping == 0 {
		o.Damping = 0.85
	}
	if o.Tolerance == 0 {
		o.Tolerance = 1e-12
	}
	if o.MaxIter == 0 {
		o.MaxIter = 1000
	}
	if !(o.Damping > 0 && o.Damping < 1) {
		return o, fmt.Errorf("influence: damping %v outside (0, 1)", o.Damping)
	}
	if !(o.Tolerance > 0) || o.MaxIter < 0 {
		return o, fmt.Errorf("influence: tolerance %v or max iterations %d not positive", o.Tolerance, o.MaxIter)
	}
	return o, nil
}

// Ranking is a score per node with the ranks it implies.
type Ranking struct {
	Scores     []float64 // per node; they sum to 1
	Rank       []int     // per node: 1 is the highest score, equal scores rank by id
	Order      []int     // nodes from rank 1 down, for top-k lists
	Iterations int
}

// PageRank is the weighted PageRank of the attention graph (see the package
// documentation), computed exactly as networkx.pagerank with no personalisation: a
// customer's score is split among the customers it pays attention to in proportion to
// the arc weights, and the score of a customer who pays attention to no one (a dangling
// node) is spread evenly over everyone.
//
// On non-convergence it returns the last iterate together with an error wrapping
// ErrNotConverged.
func (g *Graph) PageRank(opt RankOptions) (*Ranking, error) {
	return g.powerIterate(opt, false)
}

// ArticleRank is the ArticleRank variant of PageRank (Li and Willett 2009, also offered
// by Neo4j GDS): a customer's score is divided by its attention out-weight plus the mean
// out-weight of all customers instead of by its out-weight alone, so attention from a
// customer who listens to only one or two others no longer counts as much as attention
// from a well-connected one. Score leaving dangling customers is not redistributed, so
// ArticleRank's raw scores do not sum to 1; they are normalised to, which leaves ranks
// unchanged.
func (g *Graph) ArticleRank(opt RankOptions) (*Ranking, error) {
	return g.powerIterate(opt, true)
}

func (g *Graph) powerIterate(opt RankOptions, article bool) (*Ranking, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	n := g.Len()
	if n == 0 {
		return &Ranking{}, nil
	}
	// A node's attention out-weight is the influence weight into it.
	outW := make([]float64, n)
	total := 0.0
	for k, v := range g.inflTo {
		outW[v] += g.inflW[k]
		total += g.inflW[k]
	}
	// inv[u] is what one unit of u's score sends per unit of arc weight.
	inv := make([]float64, n)
	var dangling []int32
	for u, w := range outW {
		switch {
		case article:
			inv[u] = 1 / (w + total/float64(n))
		case w > 0:
			inv[u] = 1 / w
		default:
			dangling = append(dangling, int32(u))
		}
	}
	d := opt.Damping
	nf := float64(n)
	x := make([]float64, n)
	next := make([]float64, n)
	share := make([]float64, n)
	for i := range x {
		x[i] = 1 / nf
	}
	r := &Ranking{}
	converged := false
	for r.Iterations < opt.MaxIter {
		r.Iterations++
		danglingSum := 0.0
		for _, u := range dangling {
			danglingSum += x[u]
		}
		for u, s := range x {
			share[u] = s * inv[u]
		}
		base := (1 - d) / nf
		if !article {
			base += d * danglingSum / nf
		}
		err := 0.0
		for v := range n {
			to, w := g.influences(v) // v influences u: u pays attention to v
			s := 0.0
			for k, u := range to {
				s += share[u] * w[k]
			}
			next[v] = base + d*s
			err += math.Abs(next[v] - x[v])
		}
		x, next = next, x
		if err < nf*opt.Tolerance {
			converged = true
			break
		}
	}
	sum := 0.0
	for _, s := range x {
		sum += s
	}
	for i := range x {
		x[i] /= sum
	}
	r.Scores = x
	r.Order, r.Rank = g.rankBy(x)
	if !converged {
		return r, fmt.Errorf("%w after %d iterations", ErrNotConverged, r.Iterations)
	}
	return r, nil
}

// rankBy orders nodes by descending score, equal scores by id, and returns the order
// and each node's 1-based rank.
func (g *Graph) rankBy(score []float64) (order, rank []int) {
	order = make([]int, len(score))
	for i := range order {
		order[i] = i
	}
	// Node numbers follow id order, so comparing numbers compares ids.
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(score[b], score[a]); c != 0 {
			return c
		}
		return a - b
	})
	rank = make([]int, len(score))
	for r, u := range order {
		rank[u] = r + 1
	}
	return order, rank
}
