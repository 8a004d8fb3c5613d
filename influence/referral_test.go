package influence

import (
	"math"
	"slices"
	"testing"
)

func TestCascades(t *testing.T) {
	// a referred b and c; b referred d and e; d referred f. g was referred by both c
	// (count 1) and e (count 2): credited to e. Separately, a cycle p -> q -> r -> p
	// with s hanging off r; and a follow that is not a referral.
	g := mustBuild(t, []Edge{
		tie("a", "b", Referred, 0),
		tie("a", "c", Referred, 0),
		tie("b", "d", Referred, 0),
		tie("b", "e", Referred, 0),
		tie("d", "f", Referred, 0),
		tie("c", "g", Referred, 1),
		tie("e", "g", Referred, 2),
		tie("q", "r", Referred, 0),
		tie("p", "q", Referred, 0),
		tie("r", "p", Referred, 0),
		tie("r", "s", Referred, 0),
		tie("a", "x", Follows, 0),
	})
	revenue := map[string]float64{"b": 10, "c": 20, "d": 40, "e": 80, "f": 160, "g": 320, "q": 1, "r": 2, "s": 4, "p": 8, "nobody": 1e9}
	cs := g.Cascades(revenue)

	type want struct {
		referrer                 string
		direct, down, depth, gen int
		directRev, downstreamRev float64
	}
	wants := map[string]want{
		"a": {"", 2, 6, 3, 0, 30, 630},
		"b": {"a", 2, 4, 2, 1, 120, 600},
		"c": {"a", 0, 0, 0, 1, 0, 0},
		"d": {"b", 1, 1, 1, 2, 160, 160},
		"e": {"b", 1, 1, 1, 2, 320, 320},
		"f": {"d", 0, 0, 0, 3, 0, 0},
		"g": {"e", 0, 0, 0, 3, 0, 0},
		// The cycle is cut at p, its smallest id: p -> q -> r -> s.
		"p": {"", 1, 3, 3, 0, 1, 7},
		"q": {"p", 1, 2, 2, 1, 2, 6},
		"r": {"q", 1, 1, 1, 2, 4, 4},
		"s": {"r", 0, 0, 0, 3, 0, 0},
		"x": {"", 0, 0, 0, 0, 0, 0},
	}
	for id, w := range wants {
		c := cs.Nodes[node(t, g, id)]
		referrer := ""
		if c.Referrer >= 0 {
			referrer = g.ID(c.Referrer)
		}
		got := want{referrer, c.Direct, c.Downstream, c.Depth, c.Generation, c.DirectRevenue, c.DownstreamRevenue}
		if got != w {
			t.Errorf("%s: %+v, want %+v", id, got, w)
		}
	}
	if got := ids(g, cs.BrokenCycles); !slices.Equal(got, []string{"p"}) {
		t.Errorf("broken cycles %v, want [p]", got)
	}
	// Revenue is credited once: the roots' downstream revenue is everyone else's.
	total := 0.0
	for _, c := range cs.Nodes {
		if c.Referrer < 0 {
			total += c.DownstreamRevenue
		}
	}
	if math.Abs(total-(10+20+40+80+160+320+1+2+4)) > 1e-9 {
		t.Errorf("roots' downstream revenue %v", total)
	}
}

func TestCascadesTwoCycle(t *testing.T) {
	// Two accounts referring each other: the link into a, the smaller id, is dropped.
	g := mustBuild(t, []Edge{tie("a", "b", Referred, 0), tie("b", "a", Referred, 0)})
	cs := g.Cascades(nil)
	a, b := cs.Nodes[node(t, g, "a")], cs.Nodes[node(t, g, "b")]
	if a.Referrer != -1 || b.Referrer != node(t, g, "a") || a.Downstream != 1 || len(cs.BrokenCycles) != 1 {
		t.Errorf("a %+v b %+v broken %v", a, b, cs.BrokenCycles)
	}
}
