package recommend

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// HoldoutGap is how long before a hidden purchase an evaluated customer's own interactions
// are also withheld. A view seconds before checkout is the purchase itself seen by the
// shop's web tracking; a recommender that "predicts" it measures the checkout funnel, not
// taste. A day keeps that session out and everything before it in.
const HoldoutGap = 24 * time.Hour

// Evaluation is the result of a leave-last-out test: how often the top n would have named
// what customers went on to buy, for the model and for the best-seller baseline.
type Evaluation struct {
	N int
	// Customers evaluated: at least two purchases at different times and, in the last,
	// a product they had not bought before.
	Customers int
	// RepeatOnly customers had at least two purchases but only re-bought in the last
	// one; Recommend never names bought products, so they are not evaluated.
	RepeatOnly int
	// Hidden products over the evaluated customers.
	Hidden int
	// HitRate is the share of evaluated customers with at least one hidden product in
	// their top n; Recall the share of hidden products that were in it.
	HitRate, Recall float64
	// The same for Model.Popular: recency-weighted best sellers minus what each bought.
	PopularHitRate, PopularRecall float64
	// Coverage is the share of the trained products recommended to at least one
	// evaluated customer: a recommender that only ever names best sellers covers little.
	Coverage, PopularCoverage float64
	// Train describes the model trained on what was not held out, TrainTime how long
	// training it took.
	Train     Stats
	TrainTime time.Duration
}

// Evaluate measures recommendations of size n by leave-last-out holdout.
//
// For each customer whose purchases span at least two different times, the last purchase
// (every product bought at that exact time: one order) is hidden; products in it that the
// customer had bought before are not targets, as Recommend never names bought products.
// One model is trained on everything else: each evaluated customer's interactions up to
// HoldoutGap before their own hidden purchase, and all of everyone else's (cfg.AsOf is
// ignored: ages are measured from the latest training interaction). So other customers'
// interactions may be later than a customer's hidden purchase, as in any leave-one-out
// test with one shared model; the baseline sees exactly the same data, so the comparison
// is fair. A hidden product nobody else bought cannot be found and counts as a miss.
func Evaluate(interactions []Interaction, n int, cfg Config) Evaluation {
	ev := Evaluation{N: n}
	type span struct{ first, last time.Time }
	spans := map[string]*span{}
	for i := range interactions {
		x := &interactions[i]
		if x.Kind != Purchase || x.Customer == "" || x.SKU == "" {
			continue
		}
		if s := spans[x.Customer]; s == nil {
			spans[x.Customer] = &span{x.At, x.At}
		} else if x.At.Before(s.first) {
			s.first = x.At
		} else if x.At.After(s.last) {
			s.last = x.At
		}
	}
	type holdout struct {
		at             time.Time
		hidden, before map[string]bool
	}
	held := map[string]*holdout{}
	for c, s := range spans {
		if s.last.After(s.first) {
			held[c] = &holdout{at: s.last, hidden: map[string]bool{}, before: map[string]bool{}}
		}
	}
	for i := range interactions {
		x := &interactions[i]
		if h := held[x.Customer]; h != nil && x.Kind == Purchase && x.SKU != "" {
			if x.At.Equal(h.at) {
				h.hidden[x.SKU] = true
			} else {
				h.before[x.SKU] = true
			}
		}
	}
	type target struct {
		customer string
		skus     []string
	}
	var targets []target
	for c, h := range held {
		var skus []string
		for sku := range h.hidden {
			if !h.before[sku] {
				skus = append(skus, sku)
			}
		}
		if len(skus) == 0 {
			ev.RepeatOnly++
			delete(held, c) // nothing to find: their data trains like anyone's
			continue
		}
		targets = append(targets, target{c, skus})
		ev.Hidden += len(skus)
	}
	slices.SortFunc(targets, func(a, b target) int { return cmp.Compare(a.customer, b.customer) })
	ev.Customers = len(targets)

	cfg.AsOf = time.Time{}
	start := time.Now()
	m := train(interactions, cfg, func(x *Interaction) bool {
		h := held[x.Customer]
		return h != nil && !x.At.Before(h.at.Add(-HoldoutGap))
	})
	ev.TrainTime, ev.Train = time.Since(start), m.Stats()
	if len(targets) == 0 || n <= 0 {
		return ev
	}

	// Customers are independent and the model is read-only: score them on every core.
	var cfHits, cfFound, popHits, popFound atomic.Int64
	cfSeen := make([]atomic.Bool, len(m.skus))
	popSeen := make([]atomic.Bool, len(m.skus))
	count := func(recs []Recommendation, want []string, hits, found *atomic.Int64, seen []atomic.Bool) {
		k := 0
		for _, r := range recs {
			seen[m.itemOf[r.SKU]].Store(true)
			if slices.Contains(want, r.SKU) {
				k++
			}
		}
		found.Add(int64(k))
		if k > 0 {
			hits.Add(1)
		}
	}
	var cursor atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				t := int(cursor.Add(1) - 1)
				if t >= len(targets) {
					return
				}
				c, want := targets[t].customer, targets[t].skus
				count(m.Recommend(c, n), want, &cfHits, &cfFound, cfSeen)
				count(m.Popular(c, n), want, &popHits, &popFound, popSeen)
			}
		})
	}
	wg.Wait()
	nc, nh := float64(ev.Customers), float64(ev.Hidden)
	ev.HitRate, ev.Recall = float64(cfHits.Load())/nc, float64(cfFound.Load())/nh
	ev.PopularHitRate, ev.PopularRecall = float64(popHits.Load())/nc, float64(popFound.Load())/nh
	ev.Coverage, ev.PopularCoverage = share(cfSeen), share(popSeen)
	return ev
}

func share(seen []atomic.Bool) float64 {
	if len(seen) == 0 {
		return 0
	}
	k := 0
	for i := range seen {
		if seen[i].Load() {
			k++
		}
	}
	return float64(k) / float64(len(seen))
}
