package influence

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
)

// CommunityOptions tunes Louvain. The zero value is the default.
type CommunityOptions struct {
	// Resolution is γ in the modularity; above 1 it favours smaller communities. 0 means 1.
	Resolution float64
	// Seed shuffles the order in which nodes are visited. Louvain's result depends on
	// that order; the same graph and seed always give the same communities.
	Seed uint64
}

// Communities is a partition of the nodes.
type Communities struct {
	Of         []int // community per node; 0 is the largest, equal sizes by smallest id
	Sizes      []int // members per community
	Modularity float64
}

// minGain is the modularity a pass of local moves must add to be worth another pass,
// as in the reference Louvain implementation; it stops passes that only shuffle nodes
// between communities of equal quality.
const minGain = 1e-7

// Louvain finds communities by multi-level modularity optimisation (Blondel et al.
// 2008) on the undirected version of the influence graph, where the weight between two
// customers is the sum of the influence weights in both directions: a pair that follow
// each other are tied twice as strongly as a one-way follow. Customers with no weighted
// ties stay alone in their own communities. Modularity, reported at the chosen
// resolution, is computed on that undirected weighted graph.
func (g *Graph) Louvain(opt CommunityOptions) (*Communities, error) {
	gamma := opt.Resolution
	if gamma == 0 {
		gamma = 1
	}
	if !(gamma > 0) {
		return nil, fmt.Errorf("influence: resolution %v not positive", gamma)
	}
	n := g.Len()
	base := g.symmetric()

	r := &louvainRun{
		gamma:    gamma,
		rng:      rand.New(rand.NewPCG(opt.Seed, 0x1f0e2d3c4b5a6978)),
		tot:      make([]float64, n),
		weightTo: make([]float64, n),
		seen:     make([]bool, n),
		order:    make([]int32, n),
	}
	// Plain Louvain never revisits a node once it is merged into a coarser node, and
	// strands some in the wrong community. Two cheap fixes: unfold refines every level
	// on the way back down, and the whole hierarchy is then rebuilt starting from the
	// result, while that improves modularity. On the karate club, plain Louvain gave 0.415
	// with seed 0 and 0.394 at worst over seeds 0-19; with both fixes 39 of seeds 0-39
	// reach the optimum 0.4198 and the other 0.398.
	var of []int32
	q := 0.0
	for {
		next, changed := r.unfold(base, of)
		if !changed {
			break
		}
		nq := base.modularity(next, gamma)
		if of != nil && nq < q+minGain {
			break
		}
		of, q = next, nq
	}
	if of == nil { // nothing to merge
		of = make([]int32, n)
		for i := range of {
			of[i] = int32(i)
		}
	}

	c := &Communities{Modularity: base.modularity(of, gamma)}
	c.Of, c.Sizes = numberBySize(of)
	return c, nil
}

// unfold runs multi-level Louvain from a partition of l's nodes (nil: every node on its
// own) and returns the community of each node of l, and whether any node moved. On the way back down from the coarsest level, each level's nodes
// get another round of local moves (multi-level refinement, Rotta and Noack 2011), so
// whole groups merged early can still change community.
func (r *louvainRun) unfold(l *level, init []int32) (of []int32, changed bool) {
	hier := []*level{l}
	var up [][]int32 // up[i][x]: the node of level i+1 that node x of level i became
	for lv := l; lv.m2 > 0; {
		comm, moved := r.localMoves(lv, init)
		if !moved && init == nil {
			break
		}
		changed = changed || moved
		init = nil
		next, renum := r.aggregate(lv, comm)
		for i, c := range comm {
			comm[i] = renum[c]
		}
		hier, up = append(hier, next), append(up, comm)
		lv = next
	}
	// The coarsest level's nodes are the communities; refine on the way down.
	top := hier[len(hier)-1]
	part := make([]int32, top.len())
	for i := range part {
		part[i] = int32(i)
	}
	for i := len(up) - 1; i >= 0; i-- {
		p := up[i]
		for x, c := range p {
			p[x] = part[c]
		}
		var moved bool
		part, moved = r.localMoves(hier[i], p)
		changed = changed || moved
	}
	return part, changed
}

// symmetric is level 0: the undirected graph with A_uv = A_vu = w(u->v) + w(v->u),
// merged row by row from the influence arcs and their transpose so that no arc list
// twice the size of the graph is ever materialised.
func (g *Graph) symmetric() *level {
	n := g.Len()
	inOff := make([]int32, n+1)
	for _, v := range g.inflTo {
		inOff[v+1]++
	}
	for i := 1; i <= n; i++ {
		inOff[i] += inOff[i-1]
	}
	inFrom := make([]int32, len(g.inflTo))
	inW := make([]float64, len(g.inflTo))
	pos := slices.Clone(inOff[:n])
	for u := range n { // ascending u, so every transposed row comes out sorted
		to, w := g.influences(u)
		for k, v := range to {
			inFrom[pos[v]], inW[pos[v]] = int32(u), w[k]
			pos[v]++
		}
	}
	// merge walks row u of both, sorted, calling emit once per distinct neighbour.
	merge := func(u int, emit func(v int32, w float64)) {
		a, wa := g.influences(u)
		b, wb := inFrom[inOff[u]:inOff[u+1]], inW[inOff[u]:inOff[u+1]]
		i, j := 0, 0
		for i < len(a) || j < len(b) {
			switch {
			case j == len(b) || i < len(a) && a[i] < b[j]:
				emit(a[i], wa[i])
				i++
			case i == len(a) || b[j] < a[i]:
				emit(b[j], wb[j])
				j++
			default:
				emit(a[i], wa[i]+wb[j])
				i, j = i+1, j+1
			}
		}
	}
	l := &level{off: make([]int32, n+1), loop: make([]float64, n)}
	for u := range n {
		merge(u, func(int32, float64) { l.off[u+1]++ })
		l.off[u+1] += l.off[u]
	}
	l.to = make([]int32, 0, l.off[n])
	l.w = make([]float64, 0, l.off[n])
	for u := range n {
		merge(u, func(v int32, w float64) { l.to, l.w = append(l.to, v), append(l.w, w) })
	}
	l.degrees()
	return l
}

// louvainRun is one Louvain run's settings and scratch space, sized for level 0 and
// reused by every level. weightTo and seen are all zero between uses.
type louvainRun struct {
	gamma    float64
	rng      *rand.Rand
	tot      []float64 // total degree per community
	weightTo []float64 // weight from the node being moved to each community
	seen     []bool
	order    []int32
	touched  []int32
}

// level is one level of the Louvain hierarchy: an undirected weighted graph in CSR form
// whose self-loop weights are kept apart from the adjacency.
type level struct {
	off  []int32
	to   []int32
	w    []float64
	loop []float64 // A_ii: twice the weight inside the aggregated community
	k    []float64 // weighted degree, loop included
	m2   float64   // sum of degrees, 2m
}

func (l *level) len() int { return len(l.loop) }

func (l *level) degrees() {
	n := l.len()
	l.k = make([]float64, n)
	l.m2 = 0
	for i := range n {
		s := l.loop[i]
		for _, w := range l.w[l.off[i]:l.off[i+1]] {
			s += w
		}
		l.k[i] = s
		l.m2 += s
	}
}

// localMoves starts from the partition init (nil: every node on its own; labels must be
// node numbers) and moves nodes, one at a time in a seeded random order, to the
// neighbouring community with the best modularity gain, until a whole pass gains less
// than minGain. It reports whether any node changed community.
func (r *louvainRun) localMoves(l *level, init []int32) (comm []int32, moved bool) {
	n := l.len()
	comm = make([]int32, n)
	tot, weightTo, seen, order := r.tot[:n], r.weightTo[:n], r.seen[:n], r.order[:n]
	clear(tot)
	for i := range n {
		comm[i] = int32(i)
		if init != nil {
			comm[i] = init[i]
		}
		tot[comm[i]] += l.k[i]
	}
	for i := range order {
		order[i] = int32(i)
	}
	r.rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	gamma, touched := r.gamma, r.touched[:0]
	defer func() { r.touched = touched }()
	for {
		gain := 0.0
		for _, i := range order {
			ki := l.k[i]
			if ki == 0 {
				continue
			}
			ci := comm[i]
			touched = touched[:0]
			for e := l.off[i]; e < l.off[i+1]; e++ {
				c := comm[l.to[e]]
				if !seen[c] {
					seen[c] = true
					touched = append(touched, c)
				}
				weightTo[c] += l.w[e]
			}
			tot[ci] -= ki
			// Gain of joining c, up to the factor 2/m2 and terms that do not depend on c.
			score := func(c int32) float64 { return weightTo[c] - gamma*tot[c]*ki/l.m2 }
			best, bestScore := ci, score(ci)
			stay := bestScore
			for _, c := range touched {
				if s := score(c); s > bestScore {
					best, bestScore = c, s
				}
			}
			tot[best] += ki
			if best != ci {
				comm[i] = best
				moved = true
				gain += 2 * (bestScore - stay) / l.m2
			}
			for _, c := range touched {
				seen[c], weightTo[c] = false, 0
			}
			weightTo[ci] = 0
		}
		if gain < minGain {
			return comm, moved
		}
	}
}

// aggregate builds the next level, one node per community, and returns it with the
// community -> new node numbering.
func (r *louvainRun) aggregate(l *level, comm []int32) (*level, []int32) {
	n := l.len()
	renum := make([]int32, n)
	for i := range renum {
		renum[i] = -1
	}
	c := int32(0)
	for _, x := range comm {
		if renum[x] < 0 {
			renum[x] = c
			c++
		}
	}
	// Members of each new node, by counting sort.
	start := make([]int32, c+1)
	for _, x := range comm {
		start[renum[x]+1]++
	}
	for i := int32(1); i <= c; i++ {
		start[i] += start[i-1]
	}
	members := make([]int32, n)
	pos := slices.Clone(start[:c])
	for i, x := range comm {
		members[pos[renum[x]]] = int32(i)
		pos[renum[x]]++
	}
	next := &level{off: make([]int32, c+1), loop: make([]float64, c)}
	acc, seen, touched := r.weightTo[:c], r.seen[:c], r.touched[:0]
	defer func() { r.touched = touched }()
	for C := range c {
		touched = touched[:0]
		for _, i := range members[start[C]:start[C+1]] {
			next.loop[C] += l.loop[i]
			for e := l.off[i]; e < l.off[i+1]; e++ {
				D := renum[comm[l.to[e]]]
				if D == C {
					next.loop[C] += l.w[e]
					continue
				}
				if !seen[D] {
					seen[D] = true
					touched = append(touched, D)
				}
				acc[D] += l.w[e]
			}
		}
		slices.Sort(touched)
		for _, D := range touched {
			next.to = append(next.to, D)
			next.w = append(next.w, acc[D])
			seen[D], acc[D] = false, 0
		}
		next.off[C+1] = int32(len(next.to))
	}
	next.degrees()
	return next, renum
}

// modularity of a partition of this level: (1/2m) Σ_C [in_C − γ tot_C²/2m].
func (l *level) modularity(of []int32, gamma float64) float64 {
	if l.m2 == 0 {
		return 0
	}
	in := make([]float64, l.len()) // labels are node numbers
	tot := make([]float64, l.len())
	for i := range l.len() {
		c := of[i]
		tot[c] += l.k[i]
		in[c] += l.loop[i]
		for e := l.off[i]; e < l.off[i+1]; e++ {
			if of[l.to[e]] == c {
				in[c] += l.w[e]
			}
		}
	}
	q := 0.0
	for c := range in {
		q += in[c]/l.m2 - gamma*(tot[c]/l.m2)*(tot[c]/l.m2)
	}
	return q
}

// numberBySize renumbers labels (node numbers) so that community 0 is the largest,
// equal sizes ordered by their smallest node, and returns the new label per node and
// the sizes.
func numberBySize(labels []int32) (of []int, sizes []int) {
	size := make([]int, len(labels))
	first := make([]int32, len(labels))
	var used []int32
	for i, l := range labels {
		if size[l] == 0 {
			first[l] = int32(i)
			used = append(used, l)
		}
		size[l]++
	}
	slices.SortFunc(used, func(a, b int32) int {
		if c := cmp.Compare(size[b], size[a]); c != 0 {
			return c
		}
		return cmp.Compare(first[a], first[b])
	})
	newLabel := first // reused: first[l] is no longer needed once sorted
	sizes = make([]int, len(used))
	for k, l := range used {
		newLabel[l] = int32(k)
		sizes[k] = size[l]
	}
	of = make([]int, len(labels))
	for i, l := range labels {
		of[i] = int(newLabel[l])
	}
	return of, sizes
}
