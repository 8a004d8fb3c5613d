package influence

import "slices"

// Cascade is one customer's place in the referral forest.
type Cascade struct {
	Referrer   int // the customer credited with referring this one; -1 for a root
	Direct     int // customers credited to this customer's own referrals
	Downstream int // everyone below it: its referrals, theirs, and so on
	Depth      int // the longest chain of referrals below it; 0 if it referred nobody
	Generation int // referral hops from the root of its tree; 0 for a root

	DirectRevenue     float64 // revenue of the Direct customers
	DownstreamRevenue float64 // revenue of the Downstream customers (Direct included)
}

// Cascades is the referral forest of the graph.
type Cascades struct {
	Nodes []Cascade // per node
	// BrokenCycles lists, in node order, the customers whose referrer link was dropped
	// because it closed a referral cycle (data errors, or two accounts of one person
	// referring each other).
	BrokenCycles []int
}

// Cascades builds the referral forest from the "referred" ties (referrer -> referred),
// whatever their weight, and credits each customer's referrals with their revenue.
//
// Revenue is credited once, so it adds up: every customer has at most one referrer.
// A customer referred by several customers is credited to the one with the highest
// referral count, equal counts to the smallest id. A referral cycle (A referred B, B
// referred A) is broken by dropping the referrer link of its smallest-id member, which
// becomes a root. Revenue maps customer ids to revenue; ids not in the graph are ignored
// and missing ids count as 0, so nil is fine for the structure alone.
func (g *Graph) Cascades(revenue map[string]float64) *Cascades {
	n := g.Len()
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = -1
	}
	// refs are sorted by referred then referrer: keep the first highest count.
	best := make([]int, n)
	for _, r := range g.refs {
		if parent[r.to] < 0 || r.count > best[r.to] {
			parent[r.to], best[r.to] = r.from, r.count
		}
	}

	out := &Cascades{Nodes: make([]Cascade, n)}
	// Break cycles. Each node has at most one parent, so following parents from any
	// node either ends at a root or enters exactly one cycle.
	const (
		unvisited = iota
		onPath
		done
	)
	state := make([]uint8, n)
	var path []int32
	for s := range n {
		path = path[:0]
		u := int32(s)
		for u >= 0 && state[u] == unvisited {
			state[u] = onPath
			path = append(path, u)
			u = parent[u]
		}
		if u >= 0 && state[u] == onPath { // u closes a cycle along path
			cut := u
			for k := len(path) - 1; path[k] != u; k-- {
				cut = min(cut, path[k])
			}
			parent[cut] = -1
			out.BrokenCycles = append(out.BrokenCycles, int(cut))
		}
		for _, v := range path {
			state[v] = done
		}
	}
	slices.Sort(out.BrokenCycles)

	// Children in CSR form, then a breadth-first order from the roots: parents come
	// before children, so walking it backwards sums subtrees bottom-up.
	off := make([]int32, n+1)
	for _, p := range parent {
		if p >= 0 {
			off[p+1]++
		}
	}
	for i := 1; i <= n; i++ {
		off[i] += off[i-1]
	}
	kids := make([]int32, off[n])
	pos := make([]int32, n)
	copy(pos, off[:n])
	for v, p := range parent {
		if p >= 0 {
			kids[pos[p]] = int32(v)
			pos[p]++
		}
	}
	order := make([]int32, 0, n)
	for v, p := range parent {
		if p < 0 {
			order = append(order, int32(v))
		}
	}
	for k := 0; k < len(order); k++ {
		u := order[k]
		for _, v := range kids[off[u]:off[u+1]] {
			out.Nodes[v].Generation = out.Nodes[u].Generation + 1
			order = append(order, v)
		}
	}
	rev := make([]float64, n)
	for id, r := range revenue {
		if i, ok := g.index[id]; ok {
			rev[i] = r
		}
	}
	for k := len(order) - 1; k >= 0; k-- {
		v := order[k]
		c := &out.Nodes[v]
		c.Referrer = int(parent[v])
		if p := parent[v]; p >= 0 {
			pc := &out.Nodes[p]
			pc.Direct++
			pc.Downstream += 1 + c.Downstream
			pc.Depth = max(pc.Depth, c.Depth+1)
			pc.DirectRevenue += rev[v]
			pc.DownstreamRevenue += rev[v] + c.DownstreamRevenue
		}
	}
	return out
}
