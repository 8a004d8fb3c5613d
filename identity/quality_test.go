package identity

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
)

func matchLink(a, b string, p float64) Link { return Link{A: a, B: b, Kind: LinkMatch, Score: p} }

func TestClusterQualityOfAChain(t *testing.T) {
	// a -0.99- b -0.96- c, and c = d by a shared email: b and c hold it together.
	q := ClusterQuality([]string{"a", "b", "c", "d"}, []Link{
		matchLink("a", "b", 0.99), matchLink("c", "b", 0.96), {A: "c", B: "d", Kind: LinkIdentifier, Via: "email:x"},
		matchLink("b", "a", 0.99), // the same match read from its other end
	})
	if q.Records != 4 || q.Links != 3 {
		t.Fatalf("records %d links %d, want 4 and 3", q.Records, q.Links)
	}
	if q.WeakestLink == nil || q.WeakestLink.Score != 0.96 || q.WeakestProbability() != 0.96 {
		t.Fatalf("weakest link %+v, want b-c at 0.96", q.WeakestLink)
	}
	if !reflect.DeepEqual(q.Articulation, []string{"b", "c"}) {
		t.Fatalf("articulation %v, want [b c]", q.Articulation)
	}
	if len(q.Bridges) != 3 || q.Bridges[0].Score != 0.96 || q.Bridges[2].Kind != LinkIdentifier {
		t.Fatalf("bridges %+v, want all three, weakest first", q.Bridges)
	}
}

func TestClusterQualityOfACycle(t *testing.T) {
	// A triangle: no record or link splits it; the weakest link that holds it is 0.97, the
	// 0.951 link only closes the cycle.
	q := ClusterQuality([]string{"a", "b", "c"}, []Link{
		matchLink("a", "b", 0.99), matchLink("b", "c", 0.97), matchLink("a", "c", 0.951), matchLink("a", "b", 0.98),
	})
	if q.Links != 3 {
		t.Fatalf("links %d, want 3 distinct pairs", q.Links)
	}
	if q.WeakestProbability() != 0.97 {
		t.Fatalf("weakest %v, want 0.97", q.WeakestProbability())
	}
	if len(q.Articulation) != 0 || len(q.Bridges) != 0 {
		t.Fatalf("articulation %v bridges %v, want none in a cycle", q.Articulation, q.Bridges)
	}
}

func TestClusterQualityOfOneRecord(t *testing.T) {
	q := ClusterQuality([]string{"a"}, []Link{matchLink("a", "z", 0.99)}) // z is not in the cluster
	if q.Records != 1 || q.Links != 0 || q.WeakestLink != nil || q.WeakestProbability() != 1 || q.Articulation != nil || q.Bridges != nil {
		t.Fatalf("single record quality %+v", q)
	}
}

// Reference: a record (link) splits the cluster when removing it leaves more components
// among the remaining records than before.
func components(records []string, links []Link, skipRecord string, skipLink int) int {
	uf := NewUnionFind()
	for _, r := range records {
		if r != skipRecord {
			uf.Add(r)
		}
	}
	for i, l := range links {
		if i == skipLink || l.A == skipRecord || l.B == skipRecord || l.A == l.B {
			continue
		}
		uf.Union(l.A, l.B)
	}
	return len(uf.Groups())
}

func TestClusterQualityMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 4))
	for trial := range 300 {
		n := 1 + rng.IntN(12)
		var records []string
		for i := range n {
			records = append(records, fmt.Sprintf("r%02d", i))
		}
		var links []Link
		for range rng.IntN(2 * n) {
			a, b := records[rng.IntN(n)], records[rng.IntN(n)]
			links = append(links, matchLink(a, b, 0.5+rng.Float64()/2))
		}
		q := ClusterQuality(records, links)
		base := components(records, links, "", -1)
		var wantArt []string
		for _, r := range records {
			if components(records, links, r, -1) > base {
				wantArt = append(wantArt, r)
			}
		}
		if !reflect.DeepEqual(q.Articulation, wantArt) {
			t.Fatalf("trial %d: articulation %v, want %v (links %v)", trial, q.Articulation, wantArt, links)
		}
		wantBridges := map[[2]string]bool{}
		for i, l := range links {
			if components(records, links, "", i) > base {
				wantBridges[[2]string{min(l.A, l.B), max(l.A, l.B)}] = true
			}
		}
		got := map[[2]string]bool{}
		for _, l := range q.Bridges {
			got[[2]string{l.A, l.B}] = true
		}
		if !reflect.DeepEqual(got, wantBridges) && !(len(got) == 0 && len(wantBridges) == 0) {
			t.Fatalf("trial %d: bridges %v, want %v", trial, got, wantBridges)
		}
		// The weakest link that holds: the largest p such that links >= p alone leave the
		// components as they are.
		if q.WeakestLink != nil {
			p := q.WeakestProbability()
			var strong, weaker []Link
			for _, l := range links {
				if l.Score >= p {
					strong = append(strong, l)
				}
				if l.Score > p {
					weaker = append(weaker, l)
				}
			}
			if components(records, strong, "", -1) != base || components(records, weaker, "", -1) == base {
				t.Fatalf("trial %d: weakest %v does not hold the cluster at its bottleneck", trial, p)
			}
		}
		if !sort.SliceIsSorted(q.Bridges, func(i, j int) bool { return q.Bridges[i].Score < q.Bridges[j].Score }) {
			t.Fatalf("trial %d: bridges not weakest first: %v", trial, q.Bridges)
		}
	}
}
