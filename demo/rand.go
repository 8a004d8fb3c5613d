package demo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"
)

// rng is a seeded random source. Every phase of the generator draws from its own stream
// (seed, phase), so that changing one phase leaves the draws of the others alone.
type rng struct{ r *rand.Rand }

func newRNG(seed, stream uint64) *rng {
	return &rng{rand.New(rand.NewPCG(seed, stream*0x9E3779B97F4A7C15+0x632BE59BD9B4E019))}
}

func (g *rng) f() float64                   { return g.r.Float64() }
func (g *rng) n(k int) int                  { return g.r.IntN(k) }
func (g *rng) chance(p float64) bool        { return g.r.Float64() < p }
func (g *rng) between(a, b int) int         { return a + g.r.IntN(b-a+1) }
func (g *rng) norm() float64                { return g.r.NormFloat64() }
func (g *rng) exp() float64                 { return g.r.ExpFloat64() }
func (g *rng) uniform(a, b float64) float64 { return a + (b-a)*g.r.Float64() }

// gamma draws from Gamma(shape, scale) (Marsaglia and Tsang).
func (g *rng) gamma(shape, scale float64) float64 {
	if shape < 1 {
		return g.gamma(shape+1, scale) * math.Pow(g.f(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := g.norm()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := g.f()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v * scale
		}
	}
}

func (g *rng) beta(a, b float64) float64 {
	x := g.gamma(a, 1)
	y := g.gamma(b, 1)
	return x / (x + y)
}

func (g *rng) poisson(mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean > 30 {
		v := int(math.Round(mean + math.Sqrt(mean)*g.norm()))
		return max(v, 0)
	}
	l := math.Exp(-mean)
	k, p := 0, 1.0
	for {
		p *= g.f()
		if p <= l {
			return k
		}
		k++
	}
}

// timeIn draws an instant uniformly in [a, b); a when the interval is empty.
func (g *rng) timeIn(a, b time.Time) time.Time {
	if !b.After(a) {
		return a
	}
	return a.Add(time.Duration(g.f() * float64(b.Sub(a)))).Truncate(time.Second)
}

// days returns a duration of between lo and hi days.
func (g *rng) days(lo, hi float64) time.Duration {
	return time.Duration(g.uniform(lo, hi) * 24 * float64(time.Hour)).Truncate(time.Second)
}

func (g *rng) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.n(16)]
	}
	return string(b)
}

func (g *rng) alnum(n int) string {
	const digits = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.n(len(digits))]
	}
	return string(b)
}

func (g *rng) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.n(10))
	}
	return string(b)
}

func pick[T any](g *rng, xs []T) T { return xs[g.n(len(xs))] }

// weighted picks an index with probability proportional to its weight.
type weighted struct{ cum []float64 }

func newWeighted(ws []float64) *weighted {
	cum := make([]float64, len(ws))
	s := 0.0
	for i, w := range ws {
		s += max(w, 0)
		cum[i] = s
	}
	return &weighted{cum}
}

func (w *weighted) pick(g *rng) int {
	x := g.f() * w.cum[len(w.cum)-1]
	i := sort.Search(len(w.cum), func(i int) bool { return w.cum[i] > x })
	return min(i, len(w.cum)-1)
}

// sortByTime sorts xs by the time at gives, keeping the present order among equal
// times, so that the result never depends on the sort algorithm.
func sortByTime[T any](xs []T, at func(T) time.Time) {
	type key struct {
		t int64
		i int
	}
	keys := make([]key, len(xs))
	for i, x := range xs {
		keys[i] = key{at(x).UnixNano(), i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := cmp.Compare(a.t, b.t); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	out := make([]T, len(xs))
	for j, k := range keys {
		out[j] = xs[k.i]
	}
	copy(xs, out)
}
