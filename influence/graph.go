package influence

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Tie types, spelt as the platform stores them.
const (
	Follows   = "follows"   // From follows To
	Referred  = "referred"  // From referred To, who became a customer
	Shared    = "shared"    // From shared content with To
	Mentioned = "mentioned" // From mentioned To
)

// tieTypes indexes the types; a type's index is its bit in the tie masks.
var tieTypes = [numTypes]string{Follows, Referred, Shared, Mentioned}

const numTypes = 4

// againstTie reports, per type, whether influence runs from To to From (see the package
// documentation).
var againstTie = [numTypes]bool{true, false, false, true}

func typeIndex(t string) (int, bool) {
	for i, s := range tieTypes {
		if s == t {
			return i, true
		}
	}
	return 0, false
}

// Edge is one tie as stored: From did Type to To, Count times.
type Edge struct {
	From, To string
	Type     string
	// Count is the number of interactions; 0 counts as 1, because ties recorded without
	// a count (a follow, a referral) happened once.
	Count int
}

// Weights is the influence weight of one interaction of each tie type. All four types
// must be present; a weight of 0 switches a type's influence off.
type Weights map[string]float64

// DefaultWeights ranks the tie types by how much effort and trust each one shows:
//
//	referred  3    a customer acted on the recommendation and bought; the strongest,
//	               rarest evidence of influence
//	shared    2    content pushed to one chosen person, often acted on
//	mentioned 1.5  public attention to a person, more deliberate than a follow
//	follows   1    passive and one-off; the baseline
func DefaultWeights() Weights {
	return Weights{Referred: 3, Shared: 2, Mentioned: 1.5, Follows: 1}
}

// Validate reports an unknown tie type, a missing type, or a weight that is negative or
// not finite, naming the type.
func (w Weights) Validate() error {
	_, err := w.resolve()
	return err
}

func (w Weights) resolve() ([numTypes]float64, error) {
	var out [numTypes]float64
	for t, v := range w {
		i, ok := typeIndex(t)
		if !ok {
			return out, fmt.Errorf("influence: unknown tie type %q in weights", t)
		}
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return out, fmt.Errorf("influence: weight %v for tie type %q is not a finite non-negative number", v, t)
		}
		out[i] = v
	}
	for _, t := range tieTypes {
		if _, ok := w[t]; !ok {
			return out, fmt.Errorf("influence: no weight for tie type %q", t)
		}
	}
	return out, nil
}

// Graph is an immutable, compact influence graph: adjacency in compressed sparse row
// form (offsets plus flat neighbour and weight arrays), so a million ties cost tens of
// megabytes rather than the gigabytes of per-node maps.
type Graph struct {
	ids   []string // node -> id, ascending
	index map[string]int32

	// Influence arcs: u -> inflTo[k] for k in [inflOff[u], inflOff[u+1]), with the summed
	// positive weight of every tie that makes u influence that node.
	inflOff []int32
	inflTo  []int32
	inflW   []float64

	// Social adjacency, undirected: every pair with at least one tie, neighbours sorted.
	// socTie bits 0-3 are the types of ties from the node to socTo (bit = index in
	// tieTypes), bits 4-7 the types of ties from socTo to the node.
	socOff []int32
	socTo  []int32
	socTie []uint8

	// Referrals, referrer -> referred, one per pair with the summed count, sorted by
	// referred then referrer.
	refs []referral
}

type referral struct {
	from, to int32
	count    int
}

// Build validates the weights and edges and builds the graph. Every id that appears in
// an edge becomes a node, even if its only tie is a dropped self-tie.
func Build(edges []Edge, w Weights) (*Graph, error) {
	tw, err := w.resolve()
	if err != nil {
		return nil, err
	}
	if 2*len(edges) > math.MaxInt32 {
		return nil, errors.New("influence: too many edges")
	}
	// Intern ids in order of appearance, then renumber in id order.
	index := make(map[string]int32)
	var ids []string
	intern := func(id string) int32 {
		if i, ok := index[id]; ok {
			return i
		}
		i := int32(len(ids))
		index[id] = i
		ids = append(ids, id)
		return i
	}
	src := make([]int32, len(edges))
	dst := make([]int32, len(edges))
	typ := make([]uint8, len(edges))
	for k, e := range edges {
		t, ok := typeIndex(e.Type)
		switch {
		case !ok:
			return nil, fmt.Errorf("influence: edge %d (%s -> %s): unknown tie type %q", k, e.From, e.To, e.Type)
		case e.From == "" || e.To == "":
			return nil, fmt.Errorf("influence: edge %d (%q -> %q): empty node id", k, e.From, e.To)
		case e.Count < 0:
			return nil, fmt.Errorf("influence: edge %d (%s -> %s): negative count %d", k, e.From, e.To, e.Count)
		}
		src[k], dst[k], typ[k] = intern(e.From), intern(e.To), uint8(t)
	}
	n := len(ids)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(ids[a], ids[b]) })
	renum := make([]int32, n)
	sorted := make([]string, n)
	for newID, old := range order {
		renum[old] = int32(newID)
		sorted[newID] = ids[old]
		index[ids[old]] = int32(newID)
	}
	g := &Graph{ids: sorted, index: index}

	// Influence arcs, social pairs (both directions) and referrals.
	infFrom := make([]int32, 0, len(edges))
	infTo := make([]int32, 0, len(edges))
	infW := make([]float64, 0, len(edges))
	socFrom := make([]int32, 0, 2*len(edges))
	socTo := make([]int32, 0, 2*len(edges))
	socMask := make([]uint8, 0, 2*len(edges))
	for k := range edges {
		u, v, t := renum[src[k]], renum[dst[k]], typ[k]
		if u == v {
			continue
		}
		count := max(edges[k].Count, 1)
		if wt := tw[t] * float64(count); wt > 0 {
			from, to := u, v
			if againstTie[t] {
				from, to = v, u
			}
			infFrom, infTo, infW = append(infFrom, from), append(infTo, to), append(infW, wt)
		}
		socFrom, socTo = append(socFrom, u, v), append(socTo, v, u)
		socMask = append(socMask, 1<<t, 1<<(t+numTypes))
		if tieTypes[t] == Referred {
			g.refs = append(g.refs, referral{u, v, count})
		}
	}
	g.inflOff, g.inflTo, g.inflW = buildCSR(n, infFrom, infTo, infW, func(a *float64, b float64) { *a += b })
	g.socOff, g.socTo, g.socTie = buildCSR(n, socFrom, socTo, socMask, func(a *uint8, b uint8) { *a |= b })
	slices.SortFunc(g.refs, func(a, b referral) int {
		if a.to != b.to {
			return int(a.to - b.to)
		}
		return int(a.from - b.from)
	})
	merged := g.refs[:0]
	for _, r := range g.refs {
		if m := len(merged); m > 0 && merged[m-1].from == r.from && merged[m-1].to == r.to {
			merged[m-1].count += r.count
			continue
		}
		merged = append(merged, r)
	}
	g.refs = slices.Clip(merged)
	return g, nil
}

// buildCSR groups arcs by source with neighbours in ascending order, merging parallel
// arcs with merge. Two stable counting sorts (by target, then by source) do it in linear
// time without comparisons.
func buildCSR[V any](n int, src, dst []int32, val []V, merge func(*V, V)) (off, to []int32, vals []V) {
	m := len(src)
	// Pass 1: order arcs by target.
	cnt := make([]int32, n+1)
	for _, d := range dst {
		cnt[d+1]++
	}
	for i := 1; i <= n; i++ {
		cnt[i] += cnt[i-1]
	}
	byDst := make([]int32, m)
	for k, d := range dst {
		byDst[cnt[d]] = int32(k)
		cnt[d]++
	}
	// Pass 2: stable by source.
	off = make([]int32, n+1)
	for _, s := range src {
		off[s+1]++
	}
	for i := 1; i <= n; i++ {
		off[i] += off[i-1]
	}
	pos := cnt[:n]
	copy(pos, off[:n])
	to = make([]int32, m)
	vals = make([]V, m)
	for _, k := range byDst {
		s := src[k]
		to[pos[s]] = dst[k]
		vals[pos[s]] = val[k]
		pos[s]++
	}
	// Merge parallel arcs in place, row by row.
	w := int32(0)
	for u := 0; u < n; u++ {
		start, end := off[u], off[u+1]
		off[u] = w
		for k := start; k < end; k++ {
			if k > start && to[k] == to[w-1] {
				merge(&vals[w-1], vals[k])
				continue
			}
			to[w], vals[w] = to[k], vals[k]
			w++
		}
	}
	off[n] = w
	return off, slices.Clip(to[:w]), slices.Clip(vals[:w])
}

// Len is the number of nodes.
func (g *Graph) Len() int { return len(g.ids) }

// ID is node i's id.
func (g *Graph) ID(i int) string { return g.ids[i] }

// Index is the node of an id, and whether the id is in the graph.
func (g *Graph) Index(id string) (int, bool) {
	i, ok := g.index[id]
	return int(i), ok
}

// influences returns the nodes u influences and the arc weights.
func (g *Graph) influences(u int) ([]int32, []float64) {
	a, b := g.inflOff[u], g.inflOff[u+1]
	return g.inflTo[a:b], g.inflW[a:b]
}

// neighbours returns u's social neighbours and the tie masks.
func (g *Graph) neighbours(u int) ([]int32, []uint8) {
	a, b := g.socOff[u], g.socOff[u+1]
	return g.socTo[a:b], g.socTie[a:b]
}

// typesOf lists the tie types in the low four bits of mask, in tieTypes order.
func typesOf(mask uint8) []string {
	var out []string
	for t := range numTypes {
		if mask&(1<<t) != 0 {
			out = append(out, tieTypes[t])
		}
	}
	return out
}
