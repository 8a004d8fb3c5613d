package influence

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestWeightsValidate(t *testing.T) {
	if err := DefaultWeights().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		mutate func(Weights)
		want   string
	}{
		{func(w Weights) { w["likes"] = 1 }, `"likes"`},
		{func(w Weights) { w[Shared] = -1 }, `"shared"`},
		{func(w Weights) { w[Mentioned] = math.NaN() }, `"mentioned"`},
		{func(w Weights) { delete(w, Follows) }, `"follows"`},
	} {
		w := DefaultWeights()
		c.mutate(w)
		err := w.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error naming %s", err, c.want)
		}
		if _, err := Build(nil, w); err == nil {
			t.Errorf("Build accepted weights with %s", c.want)
		}
	}
}

func TestBuildRejects(t *testing.T) {
	for _, c := range []struct {
		e    Edge
		want string
	}{
		{tie("a", "b", "likes", 1), `"likes"`},
		{tie("a", "b", Follows, -2), "negative count"},
		{tie("", "b", Follows, 1), "empty node id"},
	} {
		_, err := Build([]Edge{tie("x", "y", Follows, 0), c.e}, DefaultWeights())
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "edge 1") {
			t.Errorf("%+v: got %v, want an error on edge 1 mentioning %s", c.e, err, c.want)
		}
	}
}

func TestBuild(t *testing.T) {
	w := DefaultWeights()
	w[Shared] = 0 // shares carry no influence but still connect
	g, err := Build([]Edge{
		tie("b", "a", Follows, 0),    // a -> b, weight 1
		tie("b", "a", Mentioned, 2),  // a -> b, weight 3: summed with the follow
		tie("a", "c", Referred, 1),   // a -> c, weight 3
		tie("a", "c", Referred, 1),   // a -> c again: parallel ties add up
		tie("c", "d", Shared, 5),     // weight 0: no influence arc
		tie("d", "d", Follows, 1),    // self-tie: dropped, d stays a node
		tie("z", "z", Mentioned, 1),  // only a self-tie: an isolated node
		tie("a", "b", Shared, 1),     // weight 0
		tie("b", "a", Follows, 0),    // duplicate follow
		tie("c", "a", Mentioned, 0),  // a -> c, weight 1.5
		tie("d", "c", Follows, 1),    // c -> d, weight 1
		tie("a", "b", Referred, 0),   // a -> b, weight 3
		tie("e", "d", Mentioned, 10), // d -> e, weight 15
	}, w)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(g, []int{0, 1, 2, 3, 4, 5}); !slices.Equal(got, []string{"a", "b", "c", "d", "e", "z"}) || g.Len() != 6 {
		t.Fatalf("nodes %v, want ids in order", got)
	}
	type arc struct {
		to string
		w  float64
	}
	want := map[string][]arc{
		"a": {{"b", 1 + 3 + 1 + 3}, {"c", 3 + 3 + 1.5}},
		"c": {{"d", 1}},
		"d": {{"e", 15}},
	}
	for u := range g.Len() {
		to, ws := g.influences(u)
		var got []arc
		for k, v := range to {
			got = append(got, arc{g.ID(int(v)), ws[k]})
		}
		if !slices.Equal(got, want[g.ID(u)]) {
			t.Errorf("%s influences %v, want %v", g.ID(u), got, want[g.ID(u)])
		}
	}
	// The social graph keeps the zero-weight share between c and d.
	if m := g.tieMask(node(t, g, "c"), node(t, g, "d")); !slices.Equal(typesOf(m), []string{Shared}) ||
		!slices.Equal(typesOf(m>>numTypes), []string{Follows}) {
		t.Errorf("c-d ties %v / %v", typesOf(m), typesOf(m>>numTypes))
	}
	if id, ok := g.Index("zz"); ok {
		t.Errorf("Index(zz) = %d", id)
	}
}
