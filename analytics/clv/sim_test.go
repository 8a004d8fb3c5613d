package clv

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// simulate draws n customers from the BG/NBD and Gamma-Gamma models, each
// observed for a T uniform on (0, maxT] periods, with continuous purchase
// times (the worst case for pooling identical histories).
func simulate(seed uint64, bg BGNBD, gg GammaGamma, n int, maxT float64) []Summary {
	src := rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	rng := rand.New(src)
	lambda := distuv.Gamma{Alpha: bg.R, Beta: bg.Alpha, Src: src}
	drop := distuv.Beta{Alpha: bg.A, Beta: bg.B, Src: src}
	nu := distuv.Gamma{Alpha: gg.Q, Beta: gg.Gamma, Src: src}
	out := make([]Summary, n)
	for i := range out {
		T := maxT * (1 - rng.Float64())
		l, p, v := lambda.Rand(), drop.Rand(), nu.Rand()
		spend := distuv.Gamma{Alpha: gg.P, Beta: v, Src: src}
		var x, tx, total float64
		for t := 0.0; ; {
			t += rng.ExpFloat64() / l
			if t > T {
				break
			}
			x, tx = x+1, t
			total += spend.Rand()
			if rng.Float64() < p {
				break
			}
		}
		s := Summary{Customer: fmt.Sprintf("c%06d", i), Frequency: x, Recency: tx, T: T}
		if x > 0 {
			s.MonetaryValue = total / x
		}
		out[i] = s
	}
	return out
}

var (
	simBG = BGNBD{R: 0.25, Alpha: 4.0, A: 0.8, B: 2.5}
	simGG = GammaGamma{P: 6, Q: 4, Gamma: 15}
)

func TestFitRecoversSimulatedParameters(t *testing.T) {
	s := simulate(1, simBG, simGG, 20000, 52)
	bg, err := FitBGNBD(s)
	if err != nil {
		t.Fatal(err)
	}
	gg, err := FitGammaGamma(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("BG/NBD %+v ± %+v", bg.BGNBD, bg.StdErr)
	t.Logf("Gamma-Gamma %+v ± %+v (%d customers)", gg.GammaGamma, gg.StdErr, gg.Customers)
	check := func(name string, got, se, want float64) {
		t.Helper()
		if !(se > 0) || math.Abs(got-want) > 4*se {
			t.Errorf("%s = %.4f ± %.4f, true value %.4f is more than 4 standard errors away", name, got, se, want)
		}
	}
	check("r", bg.R, bg.StdErr.R, simBG.R)
	check("alpha", bg.Alpha, bg.StdErr.Alpha, simBG.Alpha)
	check("a", bg.A, bg.StdErr.A, simBG.A)
	check("b", bg.B, bg.StdErr.B, simBG.B)
	check("p", gg.P, gg.StdErr.P, simGG.P)
	check("q", gg.Q, gg.StdErr.Q, simGG.Q)
	check("gamma", gg.Gamma, gg.StdErr.Gamma, simGG.Gamma)
}

// score computes what a nightly scoring job would: P(alive), expected
// purchases over a year and a one-year monthly CLV at 1% a month.
func score(bg BGNBD, gg GammaGamma, s []Summary, alive, purchases, value []float64) {
	for i := range s {
		x, tx, T := s[i].Frequency, s[i].Recency, s[i].T
		alive[i] = bg.ProbabilityAlive(x, tx, T)
		purchases[i] = bg.ConditionalExpectedPurchases(52, x, tx, T)
		value[i] = CLV(bg, gg, s[i], 52, 52.0/12, 0.01)
	}
}

func BenchmarkFitAndScore100k(b *testing.B) {
	s := simulate(2, simBG, simGG, 100000, 52)
	alive, purchases, value := make([]float64, len(s)), make([]float64, len(s)), make([]float64, len(s))
	b.ResetTimer()
	for b.Loop() {
		bg, err := FitBGNBD(s)
		if err != nil {
			b.Fatal(err)
		}
		gg, err := FitGammaGamma(s)
		if err != nil {
			b.Fatal(err)
		}
		score(bg.BGNBD, gg.GammaGamma, s, alive, purchases, value)
	}
}

func BenchmarkFitBGNBD100k(b *testing.B) {
	s := simulate(2, simBG, simGG, 100000, 52)
	b.ResetTimer()
	for b.Loop() {
		if _, err := FitBGNBD(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScore100k(b *testing.B) {
	s := simulate(2, simBG, simGG, 100000, 52)
	alive, purchases, value := make([]float64, len(s)), make([]float64, len(s)), make([]float64, len(s))
	b.ResetTimer()
	for b.Loop() {
		score(simBG, simGG, s, alive, purchases, value)
	}
}
