package recommend_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/cdpgraph/cdpgraph/recommend"
)

// catalogue is a synthetic shop: customers with latent taste for a few categories buy and
// browse mostly there, each category's products by a Zipf popularity, over two years.
type catalogue struct {
	Customers, Products, Categories int
	Orders, Views                   int // totals, spread over customers unevenly
	Seed                            uint64
}

func (c catalogue) interactions() []recommend.Interaction {
	r := rand.New(rand.NewPCG(c.Seed, 7))
	skus := make([]string, c.Products)
	for i := range skus {
		skus[i] = fmt.Sprintf("SKU-%05d", i)
	}
	perCat := c.Products / c.Categories
	// Cumulative Zipf weights of a category's products (the same shape in every category;
	// which products are the hits differs by the permutation below).
	zipf := make([]float64, perCat)
	for k := range zipf {
		zipf[k] = 1 / math.Pow(float64(k)+2, 1.1)
		if k > 0 {
			zipf[k] += zipf[k-1]
		}
	}
	perm := r.Perm(c.Products)
	pick := func(cat int) string {
		x := r.Float64() * zipf[perCat-1]
		k := 0
		for zipf[k] < x {
			k++
		}
		return skus[perm[cat*perCat+k]]
	}
	ids := make([]string, c.Customers)
	for i := range ids {
		ids[i] = fmt.Sprintf("c%07d", i)
	}
	// Activity per customer is heavy-tailed (exponential weights), like real shoppers.
	act := make([]float64, c.Customers)
	var sum float64
	for i := range act {
		act[i] = r.ExpFloat64()
		sum += act[i]
	}
	span := 2 * 365 * 24 * time.Hour
	start := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	out := make([]recommend.Interaction, 0, c.Orders*2+c.Views)
	for i, id := range ids {
		favs := []int{r.IntN(c.Categories), r.IntN(c.Categories)}
		cat := func() int {
			if r.Float64() < 0.85 {
				return favs[r.IntN(2)]
			}
			return r.IntN(c.Categories)
		}
		share := act[i] / sum
		orders := poisson(r, share*float64(c.Orders))
		for range orders {
			at := start.Add(time.Duration(r.Int64N(int64(span))))
			for range 1 + r.IntN(3) {
				out = append(out, recommend.Interaction{Customer: id, SKU: pick(cat()), At: at, Kind: recommend.Purchase, Quantity: 1 + r.IntN(2)})
			}
		}
		for range poisson(r, share*float64(c.Views)) {
			out = append(out, recommend.Interaction{Customer: id, SKU: pick(cat()),
				At: start.Add(time.Duration(r.Int64N(int64(span)))), Kind: recommend.View})
		}
	}
	return out
}

func poisson(r *rand.Rand, mean float64) int {
	if mean > 30 { // normal approximation; exactness does not matter here
		return max(0, int(math.Round(mean+math.Sqrt(mean)*r.NormFloat64())))
	}
	n, p, l := 0, 1.0, math.Exp(-mean)
	for {
		p *= r.Float64()
		if p < l {
			return n
		}
		n++
	}
}

// Customers keep to their categories, which best sellers cannot know: the recommender must
// clearly beat them.
func TestEvaluateBeatsBestSellersOnLatentTastes(t *testing.T) {
	xs := catalogue{Customers: 5000, Products: 400, Categories: 20, Orders: 25000, Views: 75000, Seed: 3}.interactions()
	ev := recommend.Evaluate(xs, 10, recommend.Config{})
	t.Logf("%d customers, %d hidden: CF hit rate %.3f recall %.3f coverage %.2f; best sellers %.3f %.3f %.2f",
		ev.Customers, ev.Hidden, ev.HitRate, ev.Recall, ev.Coverage, ev.PopularHitRate, ev.PopularRecall, ev.PopularCoverage)
	if ev.Customers < 2000 || ev.Hidden < ev.Customers {
		t.Fatalf("evaluated %d customers, %d hidden", ev.Customers, ev.Hidden)
	}
	if ev.HitRate < 2*ev.PopularHitRate || ev.Recall < 2*ev.PopularRecall {
		t.Errorf("CF hit rate %.3f recall %.3f; best sellers %.3f %.3f: want at least twice",
			ev.HitRate, ev.Recall, ev.PopularHitRate, ev.PopularRecall)
	}
	if ev.Coverage <= ev.PopularCoverage {
		t.Errorf("CF covers %.2f of the catalogue, best sellers %.2f", ev.Coverage, ev.PopularCoverage)
	}
}

// Hand-checked holdout: a's last order (Y) is hidden, along with their view of Y the minute
// before; d only re-bought; everyone else trains.
func TestEvaluateHoldsOutTheLastPurchase(t *testing.T) {
	t1, t2 := asOf.Add(-30*day), asOf
	xs := []recommend.Interaction{
		buy("a", "X", t1), view("a", "Y", t2.Add(-time.Minute)), buy("a", "Y", t2),
		buy("b", "X", t1), buy("b", "Y", t1),
		buy("c", "X", t1), buy("c", "Y", t1),
		buy("d", "X", t1), buy("d", "X", t2),
		buy("e", "W", t1), buy("f", "W", t1), buy("g", "W", t1), buy("h", "W", t1),
	}
	ev := recommend.Evaluate(xs, 1, recommend.Config{})
	if ev.Customers != 1 || ev.RepeatOnly != 1 || ev.Hidden != 1 {
		t.Fatalf("evaluated %d (repeat-only %d), hidden %d; want 1, 1, 1", ev.Customers, ev.RepeatOnly, ev.Hidden)
	}
	if ev.Train.Interactions != len(xs)-2 {
		t.Errorf("trained on %d interactions, want all but a's last two (%d)", ev.Train.Interactions, len(xs)-2)
	}
	// CF finds Y through X; the best seller a has not bought is W.
	if ev.HitRate != 1 || ev.Recall != 1 || ev.PopularHitRate != 0 || ev.PopularRecall != 0 {
		t.Errorf("CF %v/%v, best sellers %v/%v; want 1/1 and 0/0", ev.HitRate, ev.Recall, ev.PopularHitRate, ev.PopularRecall)
	}
}

// BenchmarkTrain trains on the target scale: 100,000 customers, 500,000 orders of one to
// three lines, 2,000 products and 1.5 million views (about 2.5 million interactions).
// model-MB is the heap the trained model keeps; peak-MB the heap in use at its highest
// during training, sampled, above the input.
func BenchmarkTrain(b *testing.B) {
	xs := catalogue{Customers: 100000, Products: 2000, Categories: 40, Orders: 500000, Views: 1500000, Seed: 1}.interactions()
	var m *recommend.Model
	var peak uint64
	runtime.GC()
	base := heapAlloc()
	b.ResetTimer()
	for range b.N {
		done := make(chan struct{})
		go func() {
			for {
				select {
				case <-done:
					return
				case <-time.After(20 * time.Millisecond):
					peak = max(peak, heapAlloc())
				}
			}
		}()
		m = recommend.Train(xs, recommend.Config{})
		close(done)
	}
	b.StopTimer()
	runtime.GC()
	b.ReportMetric(float64(heapAlloc()-base)/(1<<20), "model-MB")
	b.ReportMetric(float64(peak-base)/(1<<20), "peak-MB")
	b.ReportMetric(float64(m.Stats().Interactions), "interactions")
	runtime.KeepAlive(m)
	runtime.KeepAlive(xs) // the input is part of base, not of the model
}

func BenchmarkRecommend(b *testing.B) {
	xs := catalogue{Customers: 100000, Products: 2000, Categories: 40, Orders: 500000, Views: 1500000, Seed: 1}.interactions()
	m := recommend.Train(xs, recommend.Config{})
	b.ResetTimer()
	for i := range b.N {
		m.Recommend(fmt.Sprintf("c%07d", i%100000), 10)
	}
}

func heapAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
