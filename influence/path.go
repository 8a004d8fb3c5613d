package influence

import "slices"

// Step is the link between two consecutive customers of a Path.
type Step struct {
	Forward  []string // types of ties from the earlier customer to the later one
	Backward []string // types of ties from the later customer to the earlier one
}

// Path is a chain of customers.
type Path struct {
	Nodes []int  // from the start to the end, both included
	Steps []Step // Steps[i] links Nodes[i] and Nodes[i+1]
}

// ShortestPath finds a path with the fewest ties between from and to, ignoring the
// direction and weight of ties: "how do these two customers know each other". Every tie
// counts, including types weighted 0. It reports false if they are not connected.
// Among equally short paths it returns the one breadth-first search meets first,
// visiting neighbours in id order, so the answer is deterministic.
func (g *Graph) ShortestPath(from, to int) (Path, bool) {
	if from == to {
		return Path{Nodes: []int{from}}, true
	}
	prev := make([]int32, g.Len())
	for i := range prev {
		prev[i] = -1
	}
	prev[from] = int32(from)
	queue := []int32{int32(from)}
	for head := 0; head < len(queue) && prev[to] < 0; head++ {
		u := queue[head]
		nb, _ := g.neighbours(int(u))
		for _, v := range nb {
			if prev[v] < 0 {
				prev[v] = u
				queue = append(queue, v)
			}
		}
	}
	if prev[to] < 0 {
		return Path{}, false
	}
	var nodes []int
	for v := int32(to); v != int32(from); v = prev[v] {
		nodes = append(nodes, int(v))
	}
	nodes = append(nodes, from)
	for i, j := 0, len(nodes)-1; i < j; i, j = i+1, j-1 {
		nodes[i], nodes[j] = nodes[j], nodes[i]
	}
	p := Path{Nodes: nodes, Steps: make([]Step, len(nodes)-1)}
	for i := range p.Steps {
		m := g.tieMask(nodes[i], nodes[i+1])
		p.Steps[i] = Step{Forward: typesOf(m), Backward: typesOf(m >> numTypes)}
	}
	return p, true
}

// tieMask is the social tie mask from u to its neighbour v.
func (g *Graph) tieMask(u, v int) uint8 {
	nb, masks := g.neighbours(u)
	if k, ok := slices.BinarySearch(nb, int32(v)); ok {
		return masks[k]
	}
	return 0
}

// Tie is one stored tie: From did Type to To.
type Tie struct {
	From, To int
	Type     string
}

// Neighbourhood is a customer's surroundings, ready to draw.
type Neighbourhood struct {
	Nodes     []int // the centre first, then by distance, each layer in discovery order
	Hops      []int // distance from the centre, per entry of Nodes
	Ties      []Tie // every tie between two of Nodes, in either direction
	Truncated bool  // more customers lay within the hops than maxNodes allowed
}

// Neighbourhood collects the customers within hops ties of centre, ignoring direction,
// and all ties among them. At most maxNodes customers are kept (maxNodes <= 0: no cap):
// the search runs breadth-first, visiting neighbours in id order, and stops at the
// first customer that does not fit, so nearer customers are always kept before farther
// ones and only the outermost layer is cut, keeping the customers reached first.
func (g *Graph) Neighbourhood(centre, hops, maxNodes int) Neighbourhood {
	if maxNodes <= 0 {
		maxNodes = g.Len()
	}
	nh := Neighbourhood{Nodes: []int{centre}, Hops: []int{0}}
	pos := map[int32]int{int32(centre): 0} // node -> index in Nodes
collect:
	for head := 0; head < len(nh.Nodes); head++ {
		u, d := nh.Nodes[head], nh.Hops[head]
		if d >= hops {
			break
		}
		nb, _ := g.neighbours(u)
		for _, v := range nb {
			if _, ok := pos[v]; ok {
				continue
			}
			if len(nh.Nodes) == maxNodes {
				nh.Truncated = true
				break collect
			}
			pos[v] = len(nh.Nodes)
			nh.Nodes = append(nh.Nodes, int(v))
			nh.Hops = append(nh.Hops, d+1)
		}
	}
	for _, u := range nh.Nodes {
		nb, masks := g.neighbours(u)
		for k, v := range nb {
			if int(v) <= u {
				continue // each pair once, from its smaller node
			}
			if _, ok := pos[v]; !ok {
				continue
			}
			for _, t := range typesOf(masks[k]) {
				nh.Ties = append(nh.Ties, Tie{From: u, To: int(v), Type: t})
			}
			for _, t := range typesOf(masks[k] >> numTypes) {
				nh.Ties = append(nh.Ties, Tie{From: int(v), To: u, Type: t})
			}
		}
	}
	return nh
}
