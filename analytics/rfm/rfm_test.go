package rfm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

func counts(scores []int) [6]int {
	var c [6]int
	for _, s := range scores {
		c[s]++
	}
	return c
}

func TestQuintilesSizes(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 4, 5, 7, 10, 11, 1000, 1003} {
		vals := make([]float64, n)
		for i := range vals {
			vals[i] = float64(i)
		}
		c := counts(Quintiles(vals))
		if c[0] != 0 {
			t.Errorf("n=%d: %d unscored", n, c[0])
		}
		lo, hi := n/5, (n+4)/5
		if n >= 5 {
			for q := 1; q <= 5; q++ {
				if c[q] < lo || c[q] > hi {
					t.Errorf("n=%d: quintile %d has %d, want %d..%d (%v)", n, q, c[q], lo, hi, c)
				}
			}
		}
	}
	want := map[int][]int{
		0: {},
		1: {3},
		2: {2, 4},
		3: {1, 3, 5},
		4: {1, 2, 4, 5},
		5: {1, 2, 3, 4, 5},
		7: {1, 2, 2, 3, 4, 4, 5},
	}
	for n, w := range want {
		vals := make([]float64, n)
		for i := range vals {
			vals[i] = float64(i * 10)
		}
		if got := Quintiles(vals); !reflect.DeepEqual(got, w) {
			t.Errorf("n=%d: got %v, want %v", n, got, w)
		}
	}
	if c := counts(Quintiles(make([]float64, 1000))); c[3] != 1000 {
		t.Errorf("1000 equal values: %v, want all 3", c)
	}
}

func TestQuintilesTies(t *testing.T) {
	// Ten values; positions 0..9. Without ties each pair of positions is one quintile.
	// The block of 7s takes positions 1..4 (average 2.5), so all four score
	// ⌊5·(2.5+0.5)/10⌋+1 = 2, although positions 1 and 4 alone would score 1 and 3.
	vals := []float64{1, 7, 7, 7, 7, 8, 9, 10, 11, 12}
	got := Quintiles(vals)
	want := []int{1, 2, 2, 2, 2, 3, 4, 4, 5, 5}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	// A tie at the top: positions 7..9, average 8 → ⌊5·8.5/10⌋+1 = 5.
	got = Quintiles([]float64{0, 1, 2, 3, 4, 5, 6, 9, 9, 9})
	if want := []int{1, 1, 2, 2, 3, 3, 4, 5, 5, 5}; !reflect.DeepEqual(got, want) {
		t.Fatalf("top tie: got %v, want %v", got, want)
	}
	// A block whose average falls exactly on a boundary goes up: positions 1..2 of 5,
	// average 1.5 → ⌊5·2/5⌋+1 = 3.
	got = Quintiles([]float64{0, 5, 5, 6, 7})
	if want := []int{1, 3, 3, 4, 5}; !reflect.DeepEqual(got, want) {
		t.Fatalf("boundary tie: got %v, want %v", got, want)
	}
	// NaN is not ranked.
	got = Quintiles([]float64{math.NaN(), 1, 2, 3, 4, 5})
	if want := []int{0, 1, 2, 3, 4, 5}; !reflect.DeepEqual(got, want) {
		t.Fatalf("NaN: got %v, want %v", got, want)
	}
}

func TestQuintilesTiesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(60)
		vals := make([]float64, n)
		for i := range vals {
			vals[i] = float64(rng.IntN(8))
		}
		got := Quintiles(vals)
		byVal := map[float64]int{}
		for i, v := range vals {
			if s, ok := byVal[v]; ok && s != got[i] {
				t.Fatalf("equal values %v scored %d and %d", v, s, got[i])
			}
			byVal[v] = got[i]
			// Expected: score of the average position of v's block.
			below, equal := 0, 0
			for _, w := range vals {
				if w < v {
					below++
				} else if w == v {
					equal++
				}
			}
			avg := float64(below) + float64(equal-1)/2
			want := int(math.Floor(5*(avg+0.5)/float64(n))) + 1
			if got[i] != want {
				t.Fatalf("%v in %v: got %d, want %d", v, vals, got[i], want)
			}
		}
	}
}

func TestQuintilesMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	vals := make([]float64, 500)
	for i := range vals {
		vals[i] = math.Round(rng.ExpFloat64()*100) / 10
	}
	got := Quintiles(vals)
	for i := range vals {
		for j := range vals {
			if vals[i] < vals[j] && got[i] > got[j] {
				t.Fatalf("%v < %v but scores %d > %d", vals[i], vals[j], got[i], got[j])
			}
		}
	}
}

func randomCustomers(rng *rand.Rand, n int) []Customer {
	cs := make([]Customer, n)
	for i := range cs {
		cs[i] = Customer{
			ID:        fmt.Sprintf("c%04d", i),
			Recency:   float64(rng.IntN(400)),
			Frequency: rng.IntN(12),
			Monetary:  math.Round(rng.ExpFloat64()*5000) / 100,
		}
	}
	return cs
}

func TestScoreAllOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	cs := randomCustomers(rng, 1000)
	base, err := ScoreAll(cs, DefaultSegmentMap())
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Score{}
	for i, s := range base {
		if s.ID != cs[i].ID {
			t.Fatalf("result %d is %q, want input order (%q)", i, s.ID, cs[i].ID)
		}
		byID[s.ID] = s
	}
	for trial := 0; trial < 5; trial++ {
		sh := append([]Customer(nil), cs...)
		rng.Shuffle(len(sh), func(i, j int) { sh[i], sh[j] = sh[j], sh[i] })
		got, err := ScoreAll(sh, DefaultSegmentMap())
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range got {
			if s.ID != sh[i].ID || s != byID[s.ID] {
				t.Fatalf("shuffled: %+v, unshuffled %+v", s, byID[s.ID])
			}
		}
	}
}

func TestScoreAllDirections(t *testing.T) {
	cs := []Customer{
		{ID: "recent-rare-cheap", Recency: 1, Frequency: 1, Monetary: 10},
		{ID: "b", Recency: 50, Frequency: 2, Monetary: 20},
		{ID: "c", Recency: 100, Frequency: 3, Monetary: 30},
		{ID: "d", Recency: 200, Frequency: 4, Monetary: 40},
		{ID: "old-often-rich", Recency: 300, Frequency: 5, Monetary: 50},
		{ID: "never", Recency: 0, Frequency: 0, Monetary: 0},
	}
	got, err := ScoreAll(cs, DefaultSegmentMap())
	if err != nil {
		t.Fatal(err)
	}
	if s := got[0]; s.R != 5 || s.F != 1 || s.M != 1 || s.Segment != New || s.Code() != "511" {
		t.Errorf("most recent: %+v", s)
	}
	if s := got[4]; s.R != 1 || s.F != 5 || s.M != 5 || s.Segment != CantLoseThem {
		t.Errorf("oldest: %+v", s)
	}
	if s := got[5]; s.Scored() || s.Segment != "" || s.ID != "never" || s.Code() != "000" {
		t.Errorf("no purchases: %+v", s)
	}
}

func TestScoreAllUnscoredDoNotShift(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	cs := randomCustomers(rng, 300)
	var buyers []Customer
	for _, c := range cs {
		if c.Frequency > 0 {
			buyers = append(buyers, c)
		}
	}
	all, _ := ScoreAll(cs, DefaultSegmentMap())
	only, _ := ScoreAll(buyers, DefaultSegmentMap())
	k := 0
	for _, s := range all {
		if s.Scored() {
			if s != only[k] {
				t.Fatalf("%+v vs %+v", s, only[k])
			}
			k++
		}
	}
	if k != len(buyers) {
		t.Fatalf("%d scored, want %d", k, len(buyers))
	}
}

func TestScoreAllErrors(t *testing.T) {
	for _, tc := range []struct {
		c    Customer
		want string
	}{
		{Customer{ID: "x", Recency: math.NaN(), Frequency: 1}, `customer 1 ("x"): recency is NaN`},
		{Customer{ID: "x", Recency: -2, Frequency: 1}, `customer 1 ("x"): recency -2 is negative`},
		{Customer{ID: "x", Recency: 2, Frequency: 1, Monetary: math.Inf(1)}, `customer 1 ("x"): monetary is +Inf`},
	} {
		_, err := ScoreAll([]Customer{{ID: "ok", Recency: 1, Frequency: 1}, tc.c}, DefaultSegmentMap())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
	if _, err := ScoreAll(nil, SegmentMap{}); err == nil {
		t.Error("empty map accepted")
	}
	if got, err := ScoreAll(nil, DefaultSegmentMap()); err != nil || len(got) != 0 {
		t.Errorf("no customers: %v, %v", got, err)
	}
}

func TestRecencyDays(t *testing.T) {
	asOf := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	if d := RecencyDays(asOf, asOf.Add(-36*time.Hour)); d != 1.5 {
		t.Errorf("got %v", d)
	}
}

func TestDefaultMapCoversEverySegment(t *testing.T) {
	m := DefaultSegmentMap()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	cells := map[string]int{}
	for r := 1; r <= 5; r++ {
		for f := 1; f <= 5; f++ {
			seg := m.Segment(r, f, 1)
			for mo := 2; mo <= 5; mo++ {
				if m.Segment(r, f, mo) != seg {
					t.Errorf("default map depends on M at R=%d F=%d", r, f)
				}
			}
			cells[seg]++
		}
	}
	names := []string{Champions, Loyal, PotentialLoyalist, New, Promising, NeedAttention,
		AboutToSleep, AtRisk, CantLoseThem, Hibernating, Lost}
	if len(cells) != len(names) {
		t.Errorf("segments %v", cells)
	}
	for _, n := range names {
		if cells[n] == 0 {
			t.Errorf("%s unreachable", n)
		}
	}
	if got := m.Names(); len(got) != 11 {
		t.Errorf("Names() = %v", got)
	}
	// The grid documented in the doc comment and README.md.
	grid := map[[2]int]string{
		{5, 1}: New, {5, 2}: PotentialLoyalist, {5, 3}: PotentialLoyalist, {5, 4}: Champions, {5, 5}: Champions,
		{4, 1}: Promising, {4, 2}: PotentialLoyalist, {4, 3}: PotentialLoyalist, {4, 4}: Loyal, {4, 5}: Loyal,
		{3, 1}: AboutToSleep, {3, 2}: AboutToSleep, {3, 3}: NeedAttention, {3, 4}: Loyal, {3, 5}: Loyal,
		{2, 1}: Hibernating, {2, 2}: Hibernating, {2, 3}: AtRisk, {2, 4}: AtRisk, {2, 5}: CantLoseThem,
		{1, 1}: Lost, {1, 2}: Lost, {1, 3}: AtRisk, {1, 4}: AtRisk, {1, 5}: CantLoseThem,
	}
	for c, want := range grid {
		if got := m.Segment(c[0], c[1], 3); got != want {
			t.Errorf("R=%d F=%d: %q, want %q", c[0], c[1], got, want)
		}
	}
	if m.Segment(0, 0, 0) != "" || m.Segment(6, 1, 1) != "" {
		t.Error("out-of-range scores got a segment")
	}
}

func TestSegmentMapFirstMatchAndM(t *testing.T) {
	m := SegmentMap{Rules: []Rule{
		{Name: "Whales", R: Range{1, 5}, F: Range{1, 5}, M: &Range{5, 5}},
		{Name: "Everyone", R: Range{1, 5}, F: Range{1, 5}},
		{Name: "Never", R: Range{1, 5}, F: Range{1, 5}},
	}}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if m.Segment(1, 1, 5) != "Whales" || m.Segment(5, 5, 4) != "Everyone" {
		t.Error("first match does not win")
	}
}

func TestLoadSegmentMapRoundTrip(t *testing.T) {
	for _, m := range []SegmentMap{DefaultSegmentMap(), {Rules: []Rule{
		{Name: "Whales", R: Range{1, 5}, F: Range{1, 5}, M: &Range{4, 5}},
		{Name: "Rest", R: Range{1, 5}, F: Range{1, 5}},
	}}} {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := LoadSegmentMap(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, m)
		}
	}
}

func TestLoadSegmentMapErrors(t *testing.T) {
	all := `{"name":"All","r":{"min":1,"max":5},"f":{"min":1,"max":5}}`
	for _, tc := range []struct{ json, want string }{
		{`{"rules":[{"name":"A","r":{"min":1,"max":5},"f":{"min":1,"max":5},"fm":{"min":1,"max":5}}]}`, `rule 0 ("A"): json: unknown field "fm"`},
		{`{"rules":[` + all + `,{"name":"B","r":{"min":1,"max":5},"f":{"min":1,"mx":5}}]}`, `rule 1 ("B"): json: unknown field "mx"`},
		{`{"rules":[{"name":" ","r":{"min":1,"max":5},"f":{"min":1,"max":5}}]}`, `rule 0 (" "): name is empty`},
		{`{"rules":[{"r":{"min":1,"max":5},"f":{"min":1,"max":5}}]}`, `rule 0: name is empty`},
		{`{"rules":[{"name":"A","r":{"min":0,"max":5},"f":{"min":1,"max":5}}]}`, `rule 0 ("A"): r.min 0 is outside 1–5`},
		{`{"rules":[{"name":"A","r":{"min":1,"max":5},"f":{"min":1,"max":6}}]}`, `rule 0 ("A"): f.max 6 is outside 1–5`},
		{`{"rules":[{"name":"A","r":{"min":1,"max":5},"f":{"min":1,"max":5},"m":{"min":4,"max":2}}]}`, `rule 0 ("A"): m.min 4 is above m.max 2`},
		{`{"rules":[{"name":"A","r":{"min":1,"max":5}}]}`, `rule 0 ("A"): f is missing`},
		{`{"rules":[{"name":"A","r":{"min":1,"max":5},"f":{"min":1,"max":5},"m":{"min":1,"max":4}}]}`, `cell R=1 F=1 M=5 matches no rule`},
		{`{"rules":[{"name":"A","r":{"min":2,"max":5},"f":{"min":1,"max":5}}]}`, `cell R=1 F=1 M=1 matches no rule`},
		{`{"rules":[]}`, `no rules`},
		{`{"rulez":[]}`, `unknown field "rulez"`},
		{`{"rules":[` + all + `]} x`, `unexpected data`},
		{`{"rules":[{"name":"A","r":"1-5"}]}`, `rule 0 ("A"): json: cannot unmarshal`},
	} {
		_, err := LoadSegmentMap(strings.NewReader(tc.json))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n got %v\nwant %q", tc.json, err, tc.want)
		}
	}
}
