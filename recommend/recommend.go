// Package recommend makes personalized product recommendations by item-based
// collaborative filtering over what customers bought and viewed.
//
// Every (customer, product) pair gets one preference weight: the sum over the customer's
// purchases and views of that product, each weighed by its kind (a purchase says more than
// a view) and by its age (exponential decay with a half-life, so last month's taste counts
// more than the taste of two years ago). Two products are similar when the same customers
// weigh them both: the cosine of their weight vectors, shrunk towards zero when few
// customers support it (a pair seen once is not evidence). Each product keeps only its top
// K neighbours, which bounds memory at K links per product whatever the catalogue size.
//
// A customer's recommendations are the neighbours of their history, each scored by the
// sum of (history weight × similarity), minus what they already bought; new customers and
// short lists are filled from recency-weighted best sellers. Every recommendation names the
// history product that contributed most, so an API can say why.
//
// Training is in memory and needs no database: the neo4j package reads the interactions.
// A Model is immutable once trained and safe for concurrent use.
package recommend

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Kind is what a customer did with a product.
type Kind uint8

// Interaction kinds.
const (
	Purchase Kind = iota + 1
	View
)

func (k Kind) String() string {
	switch k {
	case Purchase:
		return "purchase"
	case View:
		return "view"
	}
	return "unknown"
}

// Interaction is one purchase of a product (one order line) or one view of it.
type Interaction struct {
	Customer string
	SKU      string
	At       time.Time
	Kind     Kind
	Quantity int // units bought; below 1 counts as 1; ignored for views
}

// Defaults of Config.
const (
	DefaultHalfLife       = 180 * 24 * time.Hour
	DefaultPurchaseWeight = 1.0
	DefaultViewWeight     = 0.2
	DefaultNeighbours     = 50
	DefaultShrinkage      = 10.0
	DefaultMaxHistory     = 500
)

// Config tunes training. Zero fields take the defaults above.
type Config struct {
	// HalfLife is the age at which an interaction weighs half as much as one made at
	// AsOf. Negative turns decay off.
	HalfLife time.Duration
	// PurchaseWeight and ViewWeight weigh one purchase and one view. A purchase of q
	// units weighs PurchaseWeight × (1 + ln q): three pairs of socks say more than one
	// pair, not three times more. A negative ViewWeight leaves views out.
	PurchaseWeight float64
	ViewWeight     float64
	// Neighbours is how many most similar products each product keeps (top K).
	Neighbours int
	// Shrinkage λ multiplies a similarity by n/(n+λ), n the number of customers who
	// interacted with both products, so that pairs few customers share rank below
	// well-supported ones of the same cosine. Negative turns shrinkage off.
	Shrinkage float64
	// MaxHistory bounds how many of a customer's products (the heaviest) count towards
	// similarities. The cost of training is the sum over customers of their history
	// squared; this keeps a crawler or a wholesale account from dominating it. Their full
	// history still drives their own recommendations and exclusions.
	MaxHistory int
	// AsOf is the time ages are measured from; interactions after it are ignored. Zero
	// means the latest interaction.
	AsOf time.Time
}

func (c Config) withDefaults() Config {
	if c.HalfLife == 0 {
		c.HalfLife = DefaultHalfLife
	}
	if c.PurchaseWeight <= 0 {
		c.PurchaseWeight = DefaultPurchaseWeight
	}
	if c.ViewWeight == 0 {
		c.ViewWeight = DefaultViewWeight
	}
	if c.Neighbours <= 0 {
		c.Neighbours = DefaultNeighbours
	}
	if c.Shrinkage == 0 {
		c.Shrinkage = DefaultShrinkage
	}
	if c.MaxHistory <= 0 {
		c.MaxHistory = DefaultMaxHistory
	}
	return c
}

// weight is what one interaction adds to its (customer, product) preference; 0 drops it.
func (c *Config) weight(x *Interaction) float64 {
	var w float64
	switch x.Kind {
	case Purchase:
		w = c.PurchaseWeight
		if x.Quantity > 1 {
			w *= 1 + math.Log(float64(x.Quantity))
		}
	case View:
		w = max(c.ViewWeight, 0)
	}
	if w == 0 || x.At.After(c.AsOf) {
		return 0
	}
	if c.HalfLife > 0 {
		w *= math.Exp2(-float64(c.AsOf.Sub(x.At)) / float64(c.HalfLife))
	}
	return w
}

// Basis is what a recommendation rests on.
type Basis uint8

// Bases of recommendations.
const (
	// BasisBought: similar to a product the customer bought.
	BasisBought Basis = iota + 1
	// BasisViewed: similar to a product the customer viewed but did not buy.
	BasisViewed
	// BasisPopular: a recency-weighted best seller, for customers without (enough) history.
	BasisPopular
)

func (b Basis) String() string {
	switch b {
	case BasisBought:
		return "bought"
	case BasisViewed:
		return "viewed"
	case BasisPopular:
		return "popular"
	}
	return "unknown"
}

// Recommendation is one recommended product.
type Recommendation struct {
	SKU string
	// Score orders recommendations of the same Basis: the summed similarity to the
	// customer's weighted history, or the product's weighted sales for BasisPopular.
	Score float64
	Basis Basis
	// Because is the history product that contributed most to Score; empty for
	// BasisPopular.
	Because string
	// Reason says why in a few words, e.g. "bought together with SKU-0042".
	Reason string
}

// Neighbour is a similar product.
type Neighbour struct {
	SKU        string
	Similarity float64
}

// Stats describe a trained model.
type Stats struct {
	Customers    int // with at least one interaction used
	Products     int
	Interactions int // used: known kind, non-zero weight, not after AsOf
	Pairs        int // distinct (customer, product) preferences
	Links        int // neighbour links kept, at most Products × Neighbours
	AsOf         time.Time
}

// Model is a trained recommender. Products are numbered in SKU order, so ties between
// products broken by number are broken by SKU.
type Model struct {
	cfg   Config
	stats Stats

	skus     []string
	itemOf   map[string]int32
	customer map[string]int32

	// Each customer's history, customer c's entries at [histStart[c], histStart[c+1]):
	// the MaxHistory heaviest by product, then any others by product.
	histStart  []int32
	histItem   []int32
	histWeight []float32
	histBought []bool

	// Product i's neighbours at [nbrStart[i], nbrStart[i+1]), most similar first.
	nbrStart []int32
	nbrItem  []int32
	nbrSim   []float32

	// Products by recency-weighted sales, then views, then SKU; popSales is per product.
	popular  []int32
	popSales []float64
}

// entry is one interaction, or after merging one (customer, product) preference: w is
// its whole weight, sales the part of it that purchases make (so > 0 means bought).
type entry struct {
	cust, item int32
	w, sales   float32
}

// Train builds a model from interactions. Interactions of an unknown kind, with an empty
// customer or SKU, or after cfg.AsOf are ignored. The result does not depend on the order
// of interactions.
func Train(interactions []Interaction, cfg Config) *Model {
	return train(interactions, cfg, nil)
}

// train is Train leaving out the interactions for which skip (if not nil) says so; Evaluate
// holds interactions out this way rather than copying the rest.
func train(interactions []Interaction, cfg Config, skip func(*Interaction) bool) *Model {
	cfg = cfg.withDefaults()
	if cfg.AsOf.IsZero() {
		for i := range interactions {
			x := &interactions[i]
			if x.At.After(cfg.AsOf) && x.Kind >= Purchase && x.Kind <= View && (skip == nil || !skip(x)) {
				cfg.AsOf = x.At
			}
		}
	}
	m := &Model{cfg: cfg, itemOf: map[string]int32{}, customer: map[string]int32{}}
	m.stats.AsOf = cfg.AsOf

	// Number customers and products in first-seen order, then renumber both in sorted
	// order so that nothing downstream (float sums, ties) depends on the input order.
	entries := make([]entry, 0, len(interactions))
	var custNames []string
	for i := range interactions {
		x := &interactions[i]
		if x.Customer == "" || x.SKU == "" || skip != nil && skip(x) {
			continue
		}
		w := cfg.weight(x)
		if w == 0 {
			continue
		}
		c, ok := m.customer[x.Customer]
		if !ok {
			c = int32(len(custNames))
			m.customer[x.Customer] = c
			custNames = append(custNames, x.Customer)
		}
		it, ok := m.itemOf[x.SKU]
		if !ok {
			it = int32(len(m.skus))
			m.itemOf[x.SKU] = it
			m.skus = append(m.skus, x.SKU)
		}
		e := entry{cust: c, item: it, w: float32(w)}
		if x.Kind == Purchase {
			// A purchase decayed beyond float32 still marks the product bought.
			e.w = max(e.w, math.SmallestNonzeroFloat32)
			e.sales = e.w
		}
		entries = append(entries, e)
	}
	m.stats.Interactions = len(entries)
	custRemap := renumber(custNames, m.customer)
	itemRemap := renumber(m.skus, m.itemOf)
	for i := range entries {
		entries[i].cust, entries[i].item = custRemap[entries[i].cust], itemRemap[entries[i].item]
	}
	nCust, nItem := len(custNames), len(m.skus)

	keptEnd := m.buildHistories(entries, nCust, nItem)
	m.buildNeighbours(nItem, keptEnd)
	m.stats.Customers, m.stats.Products, m.stats.Pairs, m.stats.Links = nCust, nItem, len(m.histItem), len(m.nbrItem)
	return m
}

// renumber sorts names and rewrites index to the sorted positions; it returns the map
// from old to new numbers.
func renumber(names []string, index map[string]int32) []int32 {
	slices.Sort(names)
	remap := make([]int32, len(names))
	for n, name := range names {
		remap[index[name]] = int32(n)
		index[name] = int32(n)
	}
	return remap
}

// buildHistories merges entries into one preference per (customer, product), grouped by
// customer (a counting sort: linear in the number of interactions), ranks best sellers,
// and returns for each customer the end of the entries that count towards similarities:
// each customer's history is stored with the MaxHistory heaviest products first.
func (m *Model) buildHistories(entries []entry, nCust, nItem int) []int32 {
	start := make([]int32, nCust+1)
	for _, e := range entries {
		start[e.cust+1]++
	}
	for c := range nCust {
		start[c+1] += start[c]
	}
	byCust := make([]entry, len(entries))
	next := slices.Clone(start[:nCust])
	for _, e := range entries {
		byCust[next[e.cust]] = e
		next[e.cust]++
	}

	m.histStart = make([]int32, nCust+1)
	keptEnd := make([]int32, nCust)
	out := byCust[:0] // merged entries never outrun the ones being read
	for c := range nCust {
		es := byCust[start[c]:start[c+1]]
		// Sorting by weight too fixes the order of the float sums whatever the input order.
		slices.SortFunc(es, func(a, b entry) int {
			if d := cmp.Compare(a.item, b.item); d != 0 {
				return d
			}
			if d := cmp.Compare(a.w, b.w); d != 0 {
				return d
			}
			return cmp.Compare(a.sales, b.sales)
		})
		first := len(out)
		for _, e := range es {
			if n := len(out); n > first && out[n-1].item == e.item {
				out[n-1].w += e.w
				out[n-1].sales += e.sales
				continue
			}
			out = append(out, e)
		}
		hist := out[first:]
		if len(hist) > m.cfg.MaxHistory {
			slices.SortStableFunc(hist, func(a, b entry) int { return cmp.Compare(b.w, a.w) })
			slices.SortFunc(hist[:m.cfg.MaxHistory], func(a, b entry) int { return cmp.Compare(a.item, b.item) })
			slices.SortFunc(hist[m.cfg.MaxHistory:], func(a, b entry) int { return cmp.Compare(a.item, b.item) })
		}
		m.histStart[c+1] = int32(len(out))
		keptEnd[c] = int32(first + min(len(hist), m.cfg.MaxHistory))
	}
	m.histItem = make([]int32, len(out))
	m.histWeight = make([]float32, len(out))
	m.histBought = make([]bool, len(out))
	for k, e := range out {
		m.histItem[k], m.histWeight[k], m.histBought[k] = e.item, e.w, e.sales > 0
	}
	m.rankPopular(out, nItem)
	return keptEnd
}

// rankPopular orders products by recency-weighted sales; the weight of views breaks ties
// (and ranks products nobody bought), then the SKU.
func (m *Model) rankPopular(prefs []entry, nItem int) {
	m.popSales = make([]float64, nItem)
	views := make([]float64, nItem)
	for _, e := range prefs {
		m.popSales[e.item] += float64(e.sales)
		views[e.item] += float64(e.w - e.sales)
	}
	m.popular = make([]int32, nItem)
	for i := range m.popular {
		m.popular[i] = int32(i)
	}
	slices.SortFunc(m.popular, func(a, b int32) int {
		if c := cmp.Compare(m.popSales[b], m.popSales[a]); c != 0 {
			return c
		}
		if c := cmp.Compare(views[b], views[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
}

// buildNeighbours computes each product's top-K neighbours. For product i it walks the
// customers of i and their histories, accumulating dot products in a dense row: the cost is
// the sum over customers of their (capped) history squared, the memory one row per worker
// plus the kept links. Products are shared among GOMAXPROCS workers.
func (m *Model) buildNeighbours(nItem int, keptEnd []int32) {
	// The inverted index: product → (customer, weight), over the kept entries only.
	idxStart := make([]int32, nItem+1)
	for c, end := range keptEnd {
		for k := m.histStart[c]; k < end; k++ {
			idxStart[m.histItem[k]+1]++
		}
	}
	for i := range nItem {
		idxStart[i+1] += idxStart[i]
	}
	idxCust := make([]int32, idxStart[nItem])
	idxWeight := make([]float32, idxStart[nItem])
	norm := make([]float64, nItem)
	next := slices.Clone(idxStart[:nItem])
	for c, end := range keptEnd {
		for k := m.histStart[c]; k < end; k++ {
			i, w := m.histItem[k], m.histWeight[k]
			idxCust[next[i]], idxWeight[next[i]] = int32(c), w
			next[i]++
			norm[i] += float64(w) * float64(w)
		}
	}
	for i := range norm {
		norm[i] = math.Sqrt(norm[i])
	}

	k := m.cfg.Neighbours
	lists := make([][]scored, nItem)
	var cursor atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), nItem)) {
		wg.Go(func() {
			dot := make([]float64, nItem)
			support := make([]int32, nItem)
			var touched []int32
			var top topK
			for {
				i := int32(cursor.Add(1) - 1)
				if int(i) >= nItem {
					return
				}
				for p := idxStart[i]; p < idxStart[i+1]; p++ {
					c, wi := idxCust[p], float64(idxWeight[p])
					for q := m.histStart[c]; q < keptEnd[c]; q++ {
						j := m.histItem[q]
						if j == i {
							continue
						}
						if support[j] == 0 {
							touched = append(touched, j)
						}
						dot[j] += wi * float64(m.histWeight[q])
						support[j]++
					}
				}
				top.reset(k)
				for _, j := range touched {
					s := dot[j] / (norm[i] * norm[j])
					if m.cfg.Shrinkage > 0 {
						n := float64(support[j])
						s *= n / (n + m.cfg.Shrinkage)
					}
					top.offer(scored{j, s})
					dot[j], support[j] = 0, 0
				}
				touched = touched[:0]
				lists[i] = top.sorted()
			}
		})
	}
	wg.Wait()

	m.nbrStart = make([]int32, nItem+1)
	for i, l := range lists {
		m.nbrStart[i+1] = m.nbrStart[i] + int32(len(l))
	}
	m.nbrItem = make([]int32, m.nbrStart[nItem])
	m.nbrSim = make([]float32, m.nbrStart[nItem])
	for i, l := range lists {
		for n, s := range l {
			m.nbrItem[int(m.nbrStart[i])+n], m.nbrSim[int(m.nbrStart[i])+n] = s.item, float32(s.score)
		}
	}
}

// scored is a product with a score; better orders by score, then by SKU (product number).
type scored struct {
	item  int32
	score float64
}

func better(a, b scored) bool {
	return a.score > b.score || a.score == b.score && a.item < b.item
}

func byBetter(a, b scored) int {
	switch {
	case better(a, b):
		return -1
	case better(b, a):
		return 1
	}
	return 0
}

// topK keeps the k best of what it is offered in a min-heap (the worst kept on top), so
// choosing neighbours costs O(candidates × log k) rather than a sort of every candidate.
type topK struct {
	k    int
	heap []scored
}

func (t *topK) reset(k int) { t.k, t.heap = k, t.heap[:0] }

func (t *topK) offer(s scored) {
	if s.score <= 0 {
		return
	}
	h := t.heap
	if len(h) < t.k {
		h = append(h, s)
		for n := len(h) - 1; n > 0; { // sift up
			p := (n - 1) / 2
			if !better(h[p], h[n]) {
				break
			}
			h[p], h[n] = h[n], h[p]
			n = p
		}
		t.heap = h
		return
	}
	if !better(s, h[0]) {
		return
	}
	h[0] = s
	for n := 0; ; { // sift down
		worst, l, r := n, 2*n+1, 2*n+2
		if l < len(h) && better(h[worst], h[l]) {
			worst = l
		}
		if r < len(h) && better(h[worst], h[r]) {
			worst = r
		}
		if worst == n {
			break
		}
		h[n], h[worst] = h[worst], h[n]
		n = worst
	}
}

// sorted returns a copy of the kept scores, best first.
func (t *topK) sorted() []scored {
	out := slices.Clone(t.heap)
	slices.SortFunc(out, byBetter)
	return out
}

// Stats describes the model.
func (m *Model) Stats() Stats { return m.stats }

// Config returns the configuration the model was trained with, defaults filled in.
func (m *Model) Config() Config { return m.cfg }

// Recommend returns up to n products for the customer, best first: the neighbours of their
// history scored by Σ history weight × similarity, then best sellers to fill up to n (all
// best sellers for a customer the model does not know). Products the customer bought are
// never recommended; products they only viewed may be. Ties go to the smaller SKU.
func (m *Model) Recommend(customer string, n int) []Recommendation {
	if n <= 0 {
		return nil
	}
	c, ok := m.customer[customer]
	if !ok {
		return m.fill(nil, nil, n)
	}
	lo, hi := m.histStart[c], m.histStart[c+1]
	bought := make(map[int32]bool, hi-lo)
	for k := lo; k < hi; k++ {
		if m.histBought[k] {
			bought[m.histItem[k]] = true
		}
	}
	type candidate struct {
		score float64
		best  scored // the history product contributing most, and how much
	}
	cands := map[int32]*candidate{}
	for k := lo; k < hi; k++ {
		h, w := m.histItem[k], float64(m.histWeight[k])
		for p := m.nbrStart[h]; p < m.nbrStart[h+1]; p++ {
			j := m.nbrItem[p]
			if bought[j] {
				continue
			}
			contrib := scored{h, w * float64(m.nbrSim[p])}
			cd := cands[j]
			if cd == nil {
				cd = &candidate{best: contrib}
				cands[j] = cd
			} else if better(contrib, cd.best) {
				cd.best = contrib
			}
			cd.score += contrib.score
		}
	}
	ranked := make([]scored, 0, len(cands))
	for j, cd := range cands {
		ranked = append(ranked, scored{j, cd.score})
	}
	slices.SortFunc(ranked, byBetter)
	out := make([]Recommendation, 0, n)
	for _, r := range ranked[:min(n, len(ranked))] {
		because := cands[r.item].best.item
		rec := Recommendation{SKU: m.skus[r.item], Score: r.score, Basis: BasisViewed, Because: m.skus[because],
			Reason: "similar to " + m.skus[because] + ", which you viewed"}
		if bought[because] {
			rec.Basis, rec.Reason = BasisBought, "bought together with "+m.skus[because]
		}
		out = append(out, rec)
	}
	if len(out) < n {
		out = m.fill(out, bought, n)
	}
	return out
}

// Popular returns up to n best sellers that the customer has not bought: the fallback of
// Recommend on its own, and the baseline Evaluate compares against.
func (m *Model) Popular(customer string, n int) []Recommendation {
	if n <= 0 {
		return nil
	}
	var bought map[int32]bool
	if c, ok := m.customer[customer]; ok {
		bought = map[int32]bool{}
		for k := m.histStart[c]; k < m.histStart[c+1]; k++ {
			if m.histBought[k] {
				bought[m.histItem[k]] = true
			}
		}
	}
	return m.fill(make([]Recommendation, 0, n), bought, n)
}

// fill appends best sellers to out, skipping bought products and those already in out,
// until it holds n.
func (m *Model) fill(out []Recommendation, bought map[int32]bool, n int) []Recommendation {
	for _, i := range m.popular {
		if len(out) >= n {
			break
		}
		if bought[i] || slices.ContainsFunc(out, func(r Recommendation) bool { return r.SKU == m.skus[i] }) {
			continue
		}
		out = append(out, Recommendation{SKU: m.skus[i], Score: m.popSales[i], Basis: BasisPopular, Reason: "popular"})
	}
	return out
}

// Similar returns up to n products most similar to sku, most similar first: "customers
// who bought or viewed this also chose". Nil for an unknown SKU.
func (m *Model) Similar(sku string, n int) []Neighbour {
	i, ok := m.itemOf[sku]
	if !ok || n <= 0 {
		return nil
	}
	lo, hi := m.nbrStart[i], m.nbrStart[i+1]
	hi = min(hi, lo+int32(n))
	out := make([]Neighbour, 0, hi-lo)
	for p := lo; p < hi; p++ {
		out = append(out, Neighbour{SKU: m.skus[m.nbrItem[p]], Similarity: float64(m.nbrSim[p])})
	}
	return out
}
