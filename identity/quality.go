package identity

import (
	"sort"
)

// Quality is how firmly a cluster of records holds together, for analysts who review the
// shakiest customers first.
type Quality struct {
	Records int // records in the cluster
	Links   int // distinct linked record pairs within it
	// WeakestLink is the link with the lowest probability among those that hold the
	// cluster together: of the spanning tree built strongest link first (as Cluster
	// builds it), the weakest. Were links of this probability not accepted, the cluster
	// would split. Shared identifiers and analysts' links count as probability 1. Nil for
	// a single record.
	WeakestLink *Link
	// Articulation are the records whose removal would split the cluster, sorted.
	Articulation []string
	// Bridges are the links whose removal would split the cluster, weakest first.
	Bridges []Link
}

// WeakestProbability is WeakestLink's probability; 1 without links.
func (q Quality) WeakestProbability() float64 {
	if q.WeakestLink == nil {
		return 1
	}
	return LinkProbability(*q.WeakestLink)
}

// LinkProbability is a link's probability of being right: the match probability of a
// probabilistic link; 1 for rules and analysts.
func LinkProbability(l Link) float64 {
	if l.Kind == LinkMatch {
		return l.Score
	}
	return 1
}

// stronger orders links as Cluster applies them: manual, shared identifiers, then matches
// by falling score; then by records, for a stable order.
func stronger(a, b Link) bool {
	if sa, sb := linkStrength[a.Kind], linkStrength[b.Kind]; sa != sb {
		return sa < sb
	}
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if a.A != b.A {
		return a.A < b.A
	}
	if a.B != b.B {
		return a.B < b.B
	}
	return a.Via < b.Via
}

// ClusterQuality measures one cluster from its records and every link between two of them
// (not only the links Cluster applied: a link that closes a cycle is what makes a record
// redundant). Links to records outside the cluster and self-links are ignored. Articulation
// records and bridge links are found with Tarjan's low-link depth-first search, in time
// linear in records and links.
func ClusterQuality(records []string, links []Link) Quality {
	q := Quality{Records: len(records)}
	index := make(map[string]int, len(records))
	sorted := append([]string(nil), records...)
	sort.Strings(sorted)
	for i, r := range sorted {
		index[r] = i
	}
	// Every distinct link is an edge: two links between one pair (a shared email and a
	// match) make neither a bridge; one link listed from both ends counts once.
	pairs := map[[2]int]bool{}
	seen := map[Link]bool{}
	var edges []Link
	for _, l := range links {
		a, okA := index[l.A]
		b, okB := index[l.B]
		if !okA || !okB || a == b {
			continue
		}
		if b < a {
			a, b = b, a
			l.A, l.B = l.B, l.A
		}
		if seen[l] {
			continue
		}
		seen[l] = true
		pairs[[2]int{a, b}] = true
		edges = append(edges, l)
	}
	sort.SliceStable(edges, func(i, j int) bool { return stronger(edges[i], edges[j]) })
	q.Links = len(pairs)

	// Spanning tree, strongest first: its last edge is the weakest that holds.
	uf := NewUnionFind()
	for _, l := range edges {
		if uf.Find(l.A) != uf.Find(l.B) {
			uf.Union(l.A, l.B)
			w := l
			q.WeakestLink = &w
		}
	}

	// Tarjan on the undirected graph, iteratively (a cluster may be a long chain).
	n := len(sorted)
	type arc struct{ to, edge int }
	adj := make([][]arc, n)
	for e, l := range edges {
		a, b := index[l.A], index[l.B]
		adj[a] = append(adj[a], arc{b, e})
		adj[b] = append(adj[b], arc{a, e})
	}
	disc := make([]int, n)
	low := make([]int, n)
	for i := range disc {
		disc[i] = -1
	}
	articulation := make([]bool, n)
	var bridges []Link
	type frame struct{ v, parentEdge, next, children int }
	clock := 0
	for root := range n {
		if disc[root] >= 0 {
			continue
		}
		disc[root], low[root] = clock, clock
		clock++
		stack := []frame{{v: root, parentEdge: -1}}
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next < len(adj[top.v]) {
				a := adj[top.v][top.next]
				top.next++
				if a.edge == top.parentEdge {
					continue
				}
				if disc[a.to] >= 0 {
					low[top.v] = min(low[top.v], disc[a.to])
					continue
				}
				disc[a.to], low[a.to] = clock, clock
				clock++
				top.children++
				stack = append(stack, frame{v: a.to, parentEdge: a.edge})
				continue
			}
			done := *top
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				if done.children > 1 { // a root with two subtrees holds them together
					articulation[done.v] = true
				}
				continue
			}
			parent := &stack[len(stack)-1]
			low[parent.v] = min(low[parent.v], low[done.v])
			if low[done.v] > disc[parent.v] {
				bridges = append(bridges, edges[done.parentEdge])
			}
			if len(stack) > 1 && low[done.v] >= disc[parent.v] { // parent is not the root
				articulation[parent.v] = true
			}
		}
	}
	for i, is := range articulation {
		if is {
			q.Articulation = append(q.Articulation, sorted[i])
		}
	}
	sort.Slice(bridges, func(i, j int) bool { return stronger(bridges[j], bridges[i]) })
	q.Bridges = bridges
	return q
}
