package segment

import "context"

// Tie is a social tie between two customers (between records of theirs), either way.
type Tie struct{ A, B string }

// DetractorHops returns, for every customer within MaxHops ties of a detractor other than
// themselves, that number of ties: what NearDetractor asks, for all customers at once.
// Customers further away are absent. A chain of ties may pass through any customer,
// the customer itself included, as the live pattern allows.
//
// It is a breadth-first search from all detractors at once in which each customer keeps
// the two nearest distinct detractors (a customer is reached at most twice): a
// detractor's own entry is at distance 0, so the second entry is the nearest other one.
func DetractorHops(ties []Tie, detractors []string) map[string]int {
	adj := map[string][]string{}
	for _, t := range ties {
		if t.A == t.B {
			continue // a tie between two records of one customer leads nowhere new
		}
		adj[t.A] = append(adj[t.A], t.B)
		adj[t.B] = append(adj[t.B], t.A)
	}
	type entry struct {
		source string
		dist   int
	}
	reached := map[string][]entry{}
	accept := func(node, source string, dist int) bool {
		es := reached[node]
		if len(es) == 2 {
			return false
		}
		for _, e := range es {
			if e.source == source {
				return false
			}
		}
		reached[node] = append(es, entry{source, dist})
		return true
	}
	type item struct {
		node, source string
		dist         int
	}
	var queue []item
	for _, d := range detractors {
		if accept(d, d, 0) {
			queue = append(queue, item{d, d, 0})
		}
	}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		if it.dist == MaxHops {
			continue
		}
		for _, n := range adj[it.node] {
			if accept(n, it.source, it.dist+1) {
				queue = append(queue, item{n, it.source, it.dist + 1})
			}
		}
	}
	out := map[string]int{}
	for node, es := range reached {
		for _, e := range es { // nearest first
			if e.source != node {
				out[node] = e.dist
				break
			}
		}
	}
	return out
}

// DerivedStore keeps the precomputed hops to a detractor (DetractorHopsProperty).
type DerivedStore interface {
	// RefreshDetractorHops recomputes the hops with compute unless they are current, and
	// reports whether it did.
	RefreshDetractorHops(ctx context.Context, compute func(ties []Tie, detractors []string) map[string]int) (bool, error)
}
