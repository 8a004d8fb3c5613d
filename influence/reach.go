package influence

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// Reach is the number of distinct customers u can influence within hops hops along
// influence arcs (u itself excluded): its direct audience at 1 hop, their audiences at
// 2, and so on. Ties of a type weighted 0 do not carry influence and are not followed.
func (g *Graph) Reach(u, hops int) int {
	if hops <= 0 {
		return 0
	}
	b := newBFS(g.Len())
	counts := make([]int32, hops)
	b.reach(g, u, counts, math.MaxInt32)
	return int(counts[hops-1])
}

// ReachTable holds every node's reach within 1..MaxHops hops.
type ReachTable struct {
	MaxHops int
	// Limit caps the counts: a count equal to Limit means Limit or more. The search from
	// a node stops there, which bounds the cost of the whole table at about
	// Len()*Limit steps even in a graph with hubs whose 3-hop reach is most of it.
	Limit  int
	counts []int32
}

// Within is node u's reach within hops hops, 1 <= hops <= MaxHops, capped at Limit.
func (t *ReachTable) Within(u, hops int) int {
	return int(t.counts[u*t.MaxHops+hops-1])
}

// ReachAll computes every node's reach within 1..maxHops hops, by one bounded
// breadth-first search per node spread over all CPUs. limit <= 0 means no cap: exact,
// but each search may then cover most of the graph when hubs are within reach, so the
// worst case is quadratic in Len().
func (g *Graph) ReachAll(maxHops, limit int) *ReachTable {
	maxHops = max(maxHops, 1)
	if limit <= 0 || limit > math.MaxInt32 {
		limit = math.MaxInt32
	}
	n := g.Len()
	t := &ReachTable{MaxHops: maxHops, Limit: limit, counts: make([]int32, n*maxHops)}
	const chunk = 256
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			b := newBFS(n)
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= n {
					return
				}
				for u := lo; u < min(lo+chunk, n); u++ {
					b.reach(g, u, t.counts[u*maxHops:(u+1)*maxHops], int32(limit))
				}
			}
		})
	}
	wg.Wait()
	return t
}

// bfs is reusable breadth-first search state. mark[v] == stamp means v is visited in the
// current search, so starting a new search costs nothing.
type bfs struct {
	mark  []int32
	stamp int32
	queue []int32
}

func newBFS(n int) *bfs { return &bfs{mark: make([]int32, n)} }

func (b *bfs) start(u int) {
	b.stamp++
	if b.stamp == math.MaxInt32 { // wrap around: clear the marks once
		clear(b.mark)
		b.stamp = 1
	}
	b.mark[u] = b.stamp
	b.queue = append(b.queue[:0], int32(u))
}

// reach fills counts[h-1] with the number of nodes within h hops of u along influence
// arcs, for h = 1..len(counts), stopping at limit.
func (b *bfs) reach(g *Graph, u int, counts []int32, limit int32) {
	b.start(u)
	count := int32(0)
	head := 0
	for h := range counts {
		end := len(b.queue)
		for ; head < end; head++ {
			to, _ := g.influences(int(b.queue[head]))
			for _, v := range to {
				if b.mark[v] == b.stamp {
					continue
				}
				b.mark[v] = b.stamp
				b.queue = append(b.queue, v)
				if count++; count >= limit {
					for k := h; k < len(counts); k++ {
						counts[k] = limit
					}
					return
				}
			}
		}
		counts[h] = count
	}
}
