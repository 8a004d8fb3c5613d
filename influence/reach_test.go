package influence

import "testing"

// reachGraph: influencer i is followed by f1, f2, f3; f1 shares with s1; s1 refers r1;
// r1 mentions i (so i influences r1 too: no new node); x follows f3 (f3 -> x).
// A follow to nobody's benefit in reverse: f2 follows r1 (r1 -> f2).
func reachGraph(t *testing.T) *Graph {
	return mustBuild(t, []Edge{
		tie("f1", "i", Follows, 0),
		tie("f2", "i", Follows, 0),
		tie("f3", "i", Follows, 0),
		tie("f1", "s1", Shared, 2),
		tie("s1", "r1", Referred, 1),
		tie("r1", "i", Mentioned, 1),
		tie("x", "f3", Follows, 0),
		tie("f2", "r1", Follows, 0),
	})
}

func TestReach(t *testing.T) {
	g := reachGraph(t)
	// Influence arcs: i -> f1 f2 f3 r1; f1 -> s1; s1 -> r1; f3 -> x; r1 -> f2.
	want := map[string][3]int{
		"i":  {4, 6, 6}, // f1 f2 f3 r1; then s1, x
		"f1": {1, 2, 3}, // s1; r1; f2
		"s1": {1, 2, 2}, // r1; f2
		"r1": {1, 1, 1}, // f2
		"f3": {1, 1, 1}, // x
		"f2": {0, 0, 0}, // influences nobody
		"x":  {0, 0, 0},
	}
	table := g.ReachAll(3, 0)
	for id, w := range want {
		u := node(t, g, id)
		for h := 1; h <= 3; h++ {
			if got := g.Reach(u, h); got != w[h-1] {
				t.Errorf("Reach(%s, %d) = %d, want %d", id, h, got, w[h-1])
			}
			if got := table.Within(u, h); got != w[h-1] {
				t.Errorf("ReachAll: %s within %d = %d, want %d", id, h, got, w[h-1])
			}
		}
	}
	// A limit caps counts and the search.
	capped := g.ReachAll(3, 5)
	if got := [3]int{capped.Within(node(t, g, "i"), 1), capped.Within(node(t, g, "i"), 2), capped.Within(node(t, g, "i"), 3)}; got != [3]int{4, 5, 5} {
		t.Errorf("i with limit 5: %v, want [4 5 5]", got)
	}
	if got := capped.Within(node(t, g, "f1"), 3); got != 3 {
		t.Errorf("f1 with limit 5: %d, want 3", got)
	}
	if g.Reach(node(t, g, "i"), 0) != 0 {
		t.Error("reach within 0 hops is not 0")
	}
}

// TestReachZeroWeight: a type weighted 0 carries no influence.
func TestReachZeroWeight(t *testing.T) {
	w := DefaultWeights()
	w[Follows] = 0
	g, err := Build([]Edge{tie("f", "i", Follows, 0), tie("i", "s", Shared, 1)}, w)
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Reach(node(t, g, "i"), 3); got != 1 {
		t.Errorf("reach %d, want 1 (only the share)", got)
	}
}
