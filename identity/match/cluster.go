package match

import "sort"

// Clusters turns match pairs into clusters: the connected components of the records
// under the matches. Every record gets an entry; a cluster's id is the smallest record
// ID in it, so the result does not depend on the order of records or matches.
func Clusters(records []Record, matches []Pair) map[string]string {
	parent := make(map[string]string, len(records))
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok {
			parent[x] = x
			return x
		}
		if p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	for i := range records {
		find(records[i].ID)
	}
	for _, m := range matches {
		ra, rb := find(m.A), find(m.B)
		if ra == rb {
			continue
		}
		// the smaller id becomes the root, so the root is the cluster's smallest id
		if rb < ra {
			ra, rb = rb, ra
		}
		parent[rb] = ra
	}
	out := make(map[string]string, len(parent))
	for id := range parent {
		out[id] = find(id)
	}
	return out
}

// Counts are the pair counts behind a pairwise evaluation.
type Counts struct{ TP, FP, FN int }

// Evaluate returns the pairwise precision, recall and F1 of predicted clusters against
// true clusters (both record ID -> cluster id). A pair of records is predicted positive
// when in the same predicted cluster and truly positive when in the same true cluster.
// Records absent from one map are singletons there. Pairs are counted per cluster, not
// enumerated. With no predicted pairs precision is 1; with no true pairs recall is 1.
func Evaluate(predicted, truth map[string]string) (precision, recall, f1 float64, counts struct{ TP, FP, FN int }) {
	ids := make([]string, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	for id := range predicted {
		if _, ok := truth[id]; !ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	type cell struct{ p, t string }
	pred := map[string]int{}
	tru := map[string]int{}
	both := map[cell]int{}
	for _, id := range ids {
		p, ok := predicted[id]
		if !ok {
			p = "\x00" + id
		} else {
			p = "p" + p
		}
		t, ok := truth[id]
		if !ok {
			t = "\x00" + id
		} else {
			t = "t" + t
		}
		pred[p]++
		tru[t]++
		both[cell{p, t}]++
	}
	pairs := func(n int) int { return n * (n - 1) / 2 }
	var predPairs, truePairs, tp int
	for _, n := range pred {
		predPairs += pairs(n)
	}
	for _, n := range tru {
		truePairs += pairs(n)
	}
	for _, n := range both {
		tp += pairs(n)
	}
	counts.TP, counts.FP, counts.FN = tp, predPairs-tp, truePairs-tp
	precision, recall = 1, 1
	if predPairs > 0 {
		precision = float64(tp) / float64(predPairs)
	}
	if truePairs > 0 {
		recall = float64(tp) / float64(truePairs)
	}
	if precision+recall > 0 {
		f1 = 2 * precision * recall / (precision + recall)
	}
	return precision, recall, f1, counts
}
