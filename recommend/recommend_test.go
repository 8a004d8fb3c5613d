package recommend_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/cdpgraph/cdpgraph/recommend"
)

var asOf = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

func buy(customer, sku string, at time.Time) recommend.Interaction {
	return recommend.Interaction{Customer: customer, SKU: sku, At: at, Kind: recommend.Purchase, Quantity: 1}
}

func view(customer, sku string, at time.Time) recommend.Interaction {
	return recommend.Interaction{Customer: customer, SKU: sku, At: at, Kind: recommend.View}
}

func skus(recs []recommend.Recommendation) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.SKU
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestRecommendNeverNamesWhatTheCustomerBought(t *testing.T) {
	xs := []recommend.Interaction{
		buy("x", "A", asOf), view("x", "C", asOf),
		buy("u1", "A", asOf), buy("u1", "B", asOf),
		buy("u2", "A", asOf), buy("u2", "B", asOf), buy("u2", "C", asOf),
		buy("u3", "D", asOf), buy("u3", "D", asOf), buy("u4", "D", asOf),
	}
	m := recommend.Train(xs, recommend.Config{})
	recs := m.Recommend("x", 10)
	// A was bought: never. B goes with A (two co-buyers); C goes with A and was only viewed,
	// so it may come back. D has no tie to x's history and fills as a best seller.
	if got, want := skus(recs), []string{"B", "C", "D"}; !slices.Equal(got, want) {
		t.Fatalf("recommended %v, want %v", got, want)
	}
	if r := recs[0]; r.Basis != recommend.BasisBought || r.Because != "A" || r.Reason != "bought together with A" {
		t.Errorf("B's reason: %+v", r)
	}
	if r := recs[2]; r.Basis != recommend.BasisPopular || r.Because != "" || r.Reason != "popular" {
		t.Errorf("D's reason: %+v", r)
	}
	for _, r := range m.Popular("x", 10) {
		if r.SKU == "A" {
			t.Errorf("best sellers for x include A, which x bought")
		}
	}
}

// x bought P a year ago and Q today. P goes with R and Q with S equally strongly, so
// without decay R and S tie (and R wins on SKU); with a 180-day half-life P's weight is
// 2^-2 and S comes first.
func TestRecencyWeightingChangesTheOrder(t *testing.T) {
	xs := []recommend.Interaction{
		buy("x", "P", asOf.Add(-360*day)), buy("x", "Q", asOf),
		buy("u1", "P", asOf), buy("u1", "R", asOf),
		buy("u2", "Q", asOf), buy("u2", "S", asOf),
	}
	// Vectors over (u1, u2, x), no decay: P=(1,0,1) R=(1,0,0) Q=(0,1,1) S=(0,1,0);
	// cos(P,R) = cos(Q,S) = 1/√2 and x's weights are 1 and 1.
	flat := recommend.Train(xs, recommend.Config{HalfLife: -1, Shrinkage: -1}).Recommend("x", 2)
	if got := skus(flat); !slices.Equal(got, []string{"R", "S"}) || !near(flat[0].Score, 1/math.Sqrt2) || flat[0].Score != flat[1].Score {
		t.Fatalf("without decay: %+v; want R, S tied at 1/√2", flat)
	}
	// Decay: P=(1,0,¼), so cos(P,R) = 1/√(1+1/16) and x's weight of P is ¼: R scores
	// ¼/√(17/16) = 1/√17; S still 1/√2.
	decayed := recommend.Train(xs, recommend.Config{Shrinkage: -1}).Recommend("x", 2)
	if got := skus(decayed); !slices.Equal(got, []string{"S", "R"}) {
		t.Fatalf("with decay: %v; want S, R", got)
	}
	if !near(decayed[0].Score, 1/math.Sqrt2) || !near(decayed[1].Score, 1/math.Sqrt(17)) {
		t.Errorf("scores %v, %v; want 1/√2, 1/√17", decayed[0].Score, decayed[1].Score)
	}
	if decayed[0].Because != "Q" || decayed[1].Because != "P" {
		t.Errorf("because %s, %s; want Q, P", decayed[0].Because, decayed[1].Because)
	}
	// Shrinkage λ=10 with one co-buyer per pair multiplies both by 1/11.
	shrunk := recommend.Train(xs, recommend.Config{}).Recommend("x", 2)
	if !near(shrunk[0].Score, 1/math.Sqrt2/11) {
		t.Errorf("shrunk score %v, want %v", shrunk[0].Score, 1/math.Sqrt2/11)
	}
}

func TestNewCustomerGetsRecentBestSellers(t *testing.T) {
	xs := []recommend.Interaction{
		buy("u1", "OLD", asOf.Add(-360*day)), buy("u2", "OLD", asOf.Add(-360*day)), // 2 × ¼ = ½
		buy("u3", "NEW", asOf),                                    // 1
		buy("u4", "C", asOf.Add(-180*day)), view("u5", "C", asOf), // ½, viewed
		buy("u6", "B", asOf.Add(-180*day)), // ½
		view("u7", "ONLYVIEWED", asOf), view("u8", "ONLYVIEWED", asOf),
	}
	m := recommend.Train(xs, recommend.Config{})
	recs := m.Recommend("stranger", 10)
	// NEW sells most recently; OLD, B and C tie on weighted sales at ½; C's view puts it
	// first, then B before OLD by SKU; the product nobody bought comes last.
	if got, want := skus(recs), []string{"NEW", "C", "B", "OLD", "ONLYVIEWED"}; !slices.Equal(got, want) {
		t.Fatalf("new customer got %v, want %v", got, want)
	}
	for _, r := range recs {
		if r.Basis != recommend.BasisPopular || r.Reason != "popular" {
			t.Errorf("%s: %+v; want popular", r.SKU, r)
		}
	}
	if !near(recs[0].Score, 1) || !near(recs[3].Score, 0.5) {
		t.Errorf("scores %v", recs)
	}
	if got := m.Recommend("stranger", 2); !slices.Equal(skus(got), []string{"NEW", "C"}) {
		t.Errorf("top 2: %v", skus(got))
	}
	if m.Recommend("stranger", 0) != nil {
		t.Error("n = 0 returned recommendations")
	}
}

func TestShortListsAreFilledWithBestSellers(t *testing.T) {
	xs := []recommend.Interaction{
		buy("x", "A", asOf),
		buy("u1", "A", asOf), buy("u1", "B", asOf),
		buy("u2", "Z", asOf), buy("u3", "Z", asOf), buy("u4", "A", asOf),
	}
	recs := recommend.Train(xs, recommend.Config{}).Recommend("x", 5)
	// B from A; then best sellers without A (bought) and B (already listed): Z. Nothing else exists.
	if got := skus(recs); !slices.Equal(got, []string{"B", "Z"}) {
		t.Fatalf("got %v, want B then Z", got)
	}
	if recs[1].Basis != recommend.BasisPopular {
		t.Errorf("Z: %+v", recs[1])
	}
}

func TestTiesGoToTheSmallerSKUWhateverTheInputOrder(t *testing.T) {
	var xs []recommend.Interaction
	xs = append(xs, buy("x", "A", asOf))
	for _, s := range []string{"E", "C", "D", "B"} { // four products each bought with A once
		xs = append(xs, buy("u"+s, "A", asOf), buy("u"+s, s, asOf))
	}
	m := recommend.Train(xs, recommend.Config{})
	want := m.Recommend("x", 4)
	if got := skus(want); !slices.Equal(got, []string{"B", "C", "D", "E"}) {
		t.Fatalf("tied products in order %v, want by SKU", got)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		r.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
		if got := recommend.Train(xs, recommend.Config{}).Recommend("x", 4); !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffled input gave %+v, want %+v", got, want)
		}
	}

	// Not only ties: on a shop's worth of repeated, decayed purchases and views, every
	// score and every list is the same whatever the input order.
	xs = catalogue{Customers: 300, Products: 60, Categories: 6, Orders: 1200, Views: 3000, Seed: 9}.interactions()
	m = recommend.Train(xs, recommend.Config{})
	lists := func(m *recommend.Model) [][]recommend.Recommendation {
		out := [][]recommend.Recommendation{m.Popular("stranger", 60)}
		for c := range 300 {
			out = append(out, m.Recommend(fmt.Sprintf("c%07d", c), 10))
		}
		return out
	}
	want2 := lists(m)
	for range 3 {
		r.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
		if got := lists(recommend.Train(xs, recommend.Config{})); !reflect.DeepEqual(got, want2) {
			t.Fatal("shuffling the interactions changed the recommendations")
		}
	}
}

func TestViewsAndQuantitiesWeigh(t *testing.T) {
	xs := []recommend.Interaction{
		view("x", "A", asOf), view("u1", "A", asOf), buy("u1", "B", asOf),
		{Customer: "u2", SKU: "C", At: asOf, Kind: recommend.Purchase, Quantity: 3},
		{Customer: "u3", SKU: "", At: asOf, Kind: recommend.Purchase},       // ignored
		{Customer: "u4", SKU: "D", At: asOf, Kind: recommend.Kind(9)},       // ignored
		{Customer: "u5", SKU: "E", At: asOf.Add(day), Kind: recommend.View}, // after AsOf
	}
	m := recommend.Train(xs, recommend.Config{AsOf: asOf})
	recs := m.Recommend("x", 3)
	// B was bought by the only other viewer of A; x only viewed A, so A may be named.
	if recs[0].SKU != "B" || recs[0].Basis != recommend.BasisViewed || recs[0].Because != "A" {
		t.Fatalf("first: %+v; want B because x viewed A", recs[0])
	}
	pop := m.Popular("nobody", 1)
	if pop[0].SKU != "C" || !near(pop[0].Score, 1+math.Log(3)) {
		t.Errorf("best seller %+v; want C weighing 1 + ln 3", pop[0])
	}
	if st := m.Stats(); st.Interactions != 4 || st.Products != 3 || st.Customers != 3 {
		t.Errorf("stats %+v; want 4 interactions, 3 products, 3 customers", st)
	}
	noViews := recommend.Train(xs, recommend.Config{AsOf: asOf, ViewWeight: -1})
	if st := noViews.Stats(); st.Interactions != 2 {
		t.Errorf("with views left out, %d interactions used; want 2", st.Interactions)
	}
}

func TestSimilar(t *testing.T) {
	xs := []recommend.Interaction{
		buy("u1", "A", asOf), buy("u1", "B", asOf),
		buy("u2", "A", asOf), buy("u2", "B", asOf), buy("u2", "C", asOf),
	}
	got := recommend.Train(xs, recommend.Config{Shrinkage: -1}).Similar("A", 5)
	// A=(1,1) B=(1,1) C=(0,1): cos(A,B) = 1, cos(A,C) = 1/√2.
	if len(got) != 2 || got[0].SKU != "B" || !near(got[0].Similarity, 1) || got[1].SKU != "C" || !near(got[1].Similarity, 1/math.Sqrt2) {
		t.Fatalf("similar to A: %+v", got)
	}
	if recommend.Train(xs, recommend.Config{}).Similar("nope", 3) != nil {
		t.Error("unknown SKU has neighbours")
	}
}

func TestNeighboursAreCappedAtK(t *testing.T) {
	var xs []recommend.Interaction
	for i := range 30 {
		c := string(rune('a' + i%26))
		xs = append(xs, buy(c+"x", "HUB", asOf), buy(c+"x", "P"+string(rune('A'+i%26))+string(rune('0'+i/26)), asOf))
	}
	m := recommend.Train(xs, recommend.Config{Neighbours: 5})
	if n := len(m.Similar("HUB", 100)); n != 5 {
		t.Fatalf("HUB keeps %d neighbours, want 5", n)
	}
	if st := m.Stats(); st.Links > st.Products*5 {
		t.Errorf("%d links for %d products at K=5", st.Links, st.Products)
	}
}

// MaxHistory caps what a customer adds to similarities, not what drives their own list.
func TestMaxHistoryBoundsSimilaritiesOnly(t *testing.T) {
	xs := []recommend.Interaction{
		buy("bulk", "A", asOf), buy("bulk", "B", asOf), view("bulk", "C", asOf), // C is the lightest
		view("u1", "C", asOf), buy("u1", "D", asOf),
	}
	m := recommend.Train(xs, recommend.Config{MaxHistory: 2})
	if got := m.Similar("C", 5); len(got) != 1 || got[0].SKU != "D" {
		t.Errorf("similar to C: %+v; want only D (bulk's view of C is over the cap)", got)
	}
	if got := m.Similar("A", 5); len(got) != 1 || got[0].SKU != "B" {
		t.Errorf("similar to A: %+v; want only B", got)
	}
	recs := m.Recommend("bulk", 2)
	if len(recs) != 2 || recs[0].SKU != "D" || recs[0].Because != "C" || recs[0].Basis != recommend.BasisViewed || recs[1].SKU != "C" {
		t.Errorf("bulk got %+v; want D because of the viewed C, then C as a best seller", recs)
	}
	full := recommend.Train(xs, recommend.Config{})
	if got := full.Similar("A", 5); len(got) != 2 {
		t.Errorf("uncapped, A has neighbours %+v; want B and C", got)
	}
}
