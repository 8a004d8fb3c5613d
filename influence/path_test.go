package influence

import (
	"reflect"
	"slices"
	"testing"
)

// pathGraph: a - b - c - d in a chain with mixed directions and types, a shortcut
// a - e - d that is just as short, and an island y - z.
func pathGraph(t *testing.T) *Graph {
	return mustBuild(t, []Edge{
		tie("a", "b", Follows, 0),
		tie("b", "a", Mentioned, 3),
		tie("c", "b", Referred, 0),
		tie("c", "d", Shared, 1),
		tie("a", "e", Follows, 0),
		tie("e", "f", Follows, 0),
		tie("f", "d", Follows, 0),
		tie("y", "z", Follows, 0),
	})
}

func TestShortestPath(t *testing.T) {
	g := pathGraph(t)
	p, ok := g.ShortestPath(node(t, g, "a"), node(t, g, "d"))
	if !ok {
		t.Fatal("no path a-d")
	}
	if got := ids(g, p.Nodes); !slices.Equal(got, []string{"a", "b", "c", "d"}) {
		t.Fatalf("path %v, want [a b c d] (a-e-f-d is as short; b comes first by id)", got)
	}
	want := []Step{
		{Forward: []string{Follows}, Backward: []string{Mentioned}},
		{Backward: []string{Referred}},
		{Forward: []string{Shared}},
	}
	if !reflect.DeepEqual(p.Steps, want) {
		t.Errorf("steps %+v, want %+v", p.Steps, want)
	}
	if p, ok := g.ShortestPath(node(t, g, "d"), node(t, g, "e")); !ok || !slices.Equal(ids(g, p.Nodes), []string{"d", "f", "e"}) {
		t.Errorf("d-e: %v %v", ids(g, p.Nodes), ok)
	}
	if p, ok := g.ShortestPath(node(t, g, "a"), node(t, g, "z")); ok || p.Nodes != nil {
		t.Errorf("a-z: found %v across islands", p.Nodes)
	}
	if p, ok := g.ShortestPath(node(t, g, "c"), node(t, g, "c")); !ok || len(p.Nodes) != 1 || len(p.Steps) != 0 {
		t.Errorf("c-c: %+v %v", p, ok)
	}
}

func TestNeighbourhood(t *testing.T) {
	g := pathGraph(t)
	a := node(t, g, "a")
	nh := g.Neighbourhood(a, 2, 0)
	if got := ids(g, nh.Nodes); !slices.Equal(got, []string{"a", "b", "e", "c", "f"}) || nh.Truncated {
		t.Errorf("2 hops: %v truncated %v", got, nh.Truncated)
	}
	if !slices.Equal(nh.Hops, []int{0, 1, 1, 2, 2}) {
		t.Errorf("hops %v", nh.Hops)
	}
	var ties []string
	for _, x := range nh.Ties {
		ties = append(ties, g.ID(x.From)+" "+x.Type+" "+g.ID(x.To))
	}
	slices.Sort(ties)
	want := []string{"a follows b", "a follows e", "b mentioned a", "c referred b", "e follows f"}
	if !slices.Equal(ties, want) {
		t.Errorf("ties %v, want %v", ties, want)
	}

	// A cap of 4 cuts the outer layer after its first customer.
	nh = g.Neighbourhood(a, 2, 4)
	if got := ids(g, nh.Nodes); !slices.Equal(got, []string{"a", "b", "e", "c"}) || !nh.Truncated {
		t.Errorf("capped at 4: %v truncated %v", got, nh.Truncated)
	}
	for _, x := range nh.Ties {
		if g.ID(x.From) == "f" || g.ID(x.To) == "f" {
			t.Errorf("tie %+v leaves the kept nodes", x)
		}
	}
	// Exactly filling the cap is not truncation.
	if nh := g.Neighbourhood(a, 2, 5); nh.Truncated || len(nh.Nodes) != 5 {
		t.Errorf("cap 5: %d nodes truncated %v", len(nh.Nodes), nh.Truncated)
	}
	if nh := g.Neighbourhood(node(t, g, "y"), 3, 10); !slices.Equal(ids(g, nh.Nodes), []string{"y", "z"}) || len(nh.Ties) != 1 {
		t.Errorf("island: %v %v", ids(g, nh.Nodes), nh.Ties)
	}
}
