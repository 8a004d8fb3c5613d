package clv

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mathext"
)

var cdnowParams = BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}

func TestProbabilityAlive(t *testing.T) {
	m := cdnowParams
	for _, T := range []float64{0, 1, 38.86, 500} {
		if p := m.ProbabilityAlive(0, 0, T); p != 1 {
			t.Errorf("P(alive | x=0, T=%v) = %v, want 1", T, p)
		}
	}
	// Worked by hand: 1/(1 + a/(b+x−1)·((α+T)/(α+tx))^(r+x)).
	want := 1 / (1 + 0.793/(2.426+1)*math.Pow((4.414+38.86)/(4.414+30.43), 2.243))
	if got := m.ProbabilityAlive(2, 30.43, 38.86); math.Abs(got-want) > 1e-12 {
		t.Errorf("P(alive | 2, 30.43, 38.86) = %v, want %v", got, want)
	}
	// A recent last purchase means more likely alive; a long silence less;
	// at tx = T the customer has just bought and more purchases make that
	// even more telling.
	for _, x := range []float64{1, 2, 5, 20} {
		prev := -1.0
		for tx := 0.0; tx <= 30; tx += 5 {
			p := m.ProbabilityAlive(x, tx, 30)
			if !(p > 0 && p <= 1) || p <= prev {
				t.Errorf("P(alive | x=%v, tx=%v, T=30) = %v, want in (0, 1] and increasing in tx (previous %v)", x, tx, p, prev)
			}
			prev = p
		}
		prev = 2
		for T := 10.0; T <= 100; T += 10 {
			p := m.ProbabilityAlive(x, 10, T)
			if p >= prev {
				t.Errorf("P(alive | x=%v, tx=10, T=%v) = %v, want decreasing in T (previous %v)", x, T, p, prev)
			}
			prev = p
		}
	}
	if p5, p1 := m.ProbabilityAlive(5, 30, 30), m.ProbabilityAlive(1, 30, 30); p5 <= p1 {
		t.Errorf("P(alive) at tx = T: x=5 gives %v, x=1 gives %v; want more purchases to mean more alive", p5, p1)
	}
	// Histories far out in the tail must not overflow.
	if p := m.ProbabilityAlive(500, 1, 1000); !(p >= 0 && p < 1e-100) {
		t.Errorf("P(alive | 500, 1, 1000) = %v, want a tiny non-negative number", p)
	}
	for _, c := range [][3]float64{{-1, 0, 1}, {1.5, 1, 2}, {1, 3, 2}, {math.NaN(), 0, 1}, {1, 0, math.Inf(1)}} {
		if p := m.ProbabilityAlive(c[0], c[1], c[2]); !math.IsNaN(p) {
			t.Errorf("P(alive | %v) = %v, want NaN for an invalid history", c, p)
		}
	}
	if p := (BGNBD{R: 1, Alpha: -1, A: 1, B: 1}).ProbabilityAlive(1, 1, 2); !math.IsNaN(p) {
		t.Errorf("P(alive) with α < 0 = %v, want NaN", p)
	}
}

// expectedPurchasesByQuadrature computes E[X(t)] = E_p[(1 − (α/(α+pt))^r)/p]
// (the BG/NBD mean given p, averaged over the gamma-distributed λ) by
// integrating over p ~ Beta(a, b) with the substitution u = p^a, which
// removes the p^(a−1) singularity when a < 1. Needs b ≥ 1 for a smooth
// integrand.
func expectedPurchasesByQuadrature(m BGNBD, t float64) float64 {
	mean := func(p float64) float64 { // E[X(t) | p]
		if p == 0 {
			return m.R * t / m.Alpha
		}
		return -math.Expm1(-m.R*math.Log1p(p*t/m.Alpha)) / p
	}
	if m.A < 1 {
		f := func(u float64) float64 {
			p := math.Pow(u, 1/m.A)
			return mean(p) * math.Pow(1-p, m.B-1)
		}
		return quad.Fixed(f, 0, 1, 2000, nil, 0) / (m.A * math.Exp(mathext.Lbeta(m.A, m.B)))
	}
	f := func(p float64) float64 { return mean(p) * math.Pow(p, m.A-1) * math.Pow(1-p, m.B-1) }
	return quad.Fixed(f, 0, 1, 2000, nil, 0) / math.Exp(mathext.Lbeta(m.A, m.B))
}

func TestExpectedPurchasesMatchesQuadrature(t *testing.T) {
	for _, m := range []BGNBD{cdnowParams, {R: 2, Alpha: 10, A: 3, B: 5}, {R: 0.5, Alpha: 1, A: 1, B: 1.5}, {R: 1, Alpha: 30, A: 0.3, B: 1}} {
		for _, tt := range []float64{0.01, 1, 10, 39, 78, 300} {
			got, want := m.ExpectedPurchases(tt), expectedPurchasesByQuadrature(m, tt)
			if math.Abs(got-want) > 1e-7*math.Max(1, want) {
				t.Errorf("%+v: E[X(%v)] = %.10g, quadrature %.10g", m, tt, got, want)
			}
		}
	}
	// a = 1 is a removable singularity of equation (7).
	m := cdnowParams
	m.A = 1
	e1 := m.ExpectedPurchases(39)
	m.A = 1 + 1e-7
	e2 := m.ExpectedPurchases(39)
	if math.Abs(e1-e2) > 1e-6 {
		t.Errorf("E[X(39)] jumps at a = 1: %v vs %v", e1, e2)
	}
	if got := cdnowParams.ExpectedPurchases(0); got != 0 {
		t.Errorf("E[X(0)] = %v, want 0", got)
	}
	// As b → ∞ the dropout probability p → 0 and E[X(t)] tends to the NBD
	// mean r·t/α.
	nbd := BGNBD{R: 1.5, Alpha: 3, A: 2, B: 1e8}
	if got, want := nbd.ExpectedPurchases(12), 1.5*12/3.0; math.Abs(got-want) > 1e-6 {
		t.Errorf("no-dropout E[X(12)] = %v, want the NBD mean %v", got, want)
	}
}

// conditionalByDefinition evaluates equation (10) of the paper as printed,
// with the hypergeometric function summed naively.
func conditionalByDefinition(m BGNBD, t, x, tx, T float64) float64 {
	r, alpha, a, b := m.R, m.Alpha, m.A, m.B
	z := t / (alpha + T + t)
	c := a + b + x - 1
	term, f := 1.0, 1.0
	for j := 0.0; j < 100000; j++ {
		term *= (r + x + j) * (b + x + j) / ((c + j) * (j + 1)) * z
		f += term
		if math.Abs(term) < 1e-17*f {
			break
		}
	}
	num := c / (a - 1) * (1 - math.Pow((alpha+T)/(alpha+T+t), r+x)*f)
	den := 1.0
	if x > 0 {
		den += a / (b + x - 1) * math.Pow((alpha+T)/(alpha+tx), r+x)
	}
	return num / den
}

func TestConditionalExpectedPurchases(t *testing.T) {
	for _, m := range []BGNBD{cdnowParams, {R: 2, Alpha: 10, A: 3, B: 5}, {R: 0.5, Alpha: 1, A: 1.3, B: 0.7}} {
		for _, h := range [][3]float64{{0, 0, 10}, {1, 5, 10}, {2, 30.43, 38.86}, {7, 20, 38}, {15, 38, 39}} {
			for _, tt := range []float64{0.5, 13, 39, 52} {
				got := m.ConditionalExpectedPurchases(tt, h[0], h[1], h[2])
				want := conditionalByDefinition(m, tt, h[0], h[1], h[2])
				if math.Abs(got-want) > 1e-9*math.Max(1, want) {
					t.Errorf("%+v: E[Y(%v) | %v] = %.12g, equation (10) gives %.12g", m, tt, h, got, want)
				}
			}
		}
	}
	m := cdnowParams
	// A new customer's conditional expectation is the unconditional one.
	if a, b := m.ConditionalExpectedPurchases(20, 0, 0, 0), m.ExpectedPurchases(20); a != b {
		t.Errorf("E[Y(20) | 0, 0, 0] = %v, E[X(20)] = %v", a, b)
	}
	// More purchases, recent ones, and a longer horizon all mean more.
	if lo, hi := m.ConditionalExpectedPurchases(39, 2, 30, 38), m.ConditionalExpectedPurchases(39, 6, 30, 38); hi <= lo {
		t.Errorf("E[Y] for x=6 (%v) not above x=2 (%v)", hi, lo)
	}
	if lo, hi := m.ConditionalExpectedPurchases(39, 2, 10, 38), m.ConditionalExpectedPurchases(39, 2, 35, 38); hi <= lo {
		t.Errorf("E[Y] for tx=35 (%v) not above tx=10 (%v)", hi, lo)
	}
	prev := 0.0
	for tt := 1.0; tt <= 200; tt *= 2 {
		e := m.ConditionalExpectedPurchases(tt, 3, 20, 30)
		if e <= prev {
			t.Errorf("E[Y(%v)] = %v not above E[Y(%v)] = %v", tt, e, tt/2, prev)
		}
		prev = e
	}
	// A heavy buyer who has just bought keeps buying (~9 a week, rarely
	// dropping out); one silent for a week, at that rate, is likely gone.
	// Equation (10) as printed would multiply (1−z)^(r+x) ≈ 1e-137 by a
	// 2F1 of the opposite size here.
	if e := m.ConditionalExpectedPurchases(52, 400, 39, 39); !(e > 100 && e < 1000) {
		t.Errorf("E[Y(52) | x=400, tx=T] = %v, want a finite number in the hundreds", e)
	}
	if e, pa := m.ConditionalExpectedPurchases(52, 400, 38, 39), m.ProbabilityAlive(400, 38, 39); !(pa < 0.1 && e < 40) {
		t.Errorf("x=400, a week silent: P(alive) = %v, E[Y(52)] = %v, want both small", pa, e)
	}
	for _, bad := range []float64{-1, math.NaN(), math.Inf(1)} {
		if e := m.ConditionalExpectedPurchases(bad, 1, 1, 2); !math.IsNaN(e) {
			t.Errorf("E[Y(%v)] = %v, want NaN", bad, e)
		}
	}
}

// TestPendingFactorFallback exercises z so close to 1 that the series is cut
// off and the Cephes 2F1 takes over, against the series summed to the end.
func TestPendingFactorFallback(t *testing.T) {
	for _, c := range []struct{ A, C, eps, z float64 }{
		{2.0, 2.2, -0.207, 0.99995}, {1.5, 5, 2, 0.99999}, {0.3, 1.7, 0.5, 0.9998},
	} {
		if _, ok := pendingSeries(c.A, c.C, c.eps, c.z, 20000); ok {
			t.Fatalf("%+v: series converged in 20000 terms; pick z closer to 1", c)
		}
		got := pendingFactor(c.A, c.C, c.eps, c.z, math.Log1p(-c.z))
		g, ok := pendingSeries(c.A, c.C, c.eps, c.z, 50000000)
		if !ok {
			t.Fatalf("%+v: long series did not converge", c)
		}
		want := -math.Expm1(c.eps*math.Log1p(-c.z))/c.eps - math.Pow(1-c.z, c.eps)*g
		if math.Abs(got-want) > 1e-8*math.Abs(want) {
			t.Errorf("%+v: fallback %.12g, series %.12g", c, got, want)
		}
	}
	// Far horizons stay finite and increase.
	m := cdnowParams
	if a, b := m.ExpectedPurchases(1e5), m.ExpectedPurchases(1e6); !(a > 0 && b > a) || math.IsInf(b, 0) {
		t.Errorf("E[X(1e5)] = %v, E[X(1e6)] = %v; want finite and increasing", a, b)
	}
}

func TestLogLikelihood(t *testing.T) {
	m := cdnowParams
	// Equation (6) of the paper with beta and gamma functions in linear space.
	direct := func(x, tx, T float64) float64 {
		r, al, a, b := m.R, m.Alpha, m.A, m.B
		beta := func(p, q float64) float64 { return math.Exp(mathext.Lbeta(p, q)) }
		g := math.Gamma(r+x) * math.Pow(al, r) / math.Gamma(r)
		l := beta(a, b+x) / beta(a, b) * g / math.Pow(al+T, r+x)
		if x > 0 {
			l += beta(a+1, b+x-1) / beta(a, b) * g / math.Pow(al+tx, r+x)
		}
		return math.Log(l)
	}
	for _, h := range [][3]float64{{0, 0, 38.86}, {0, 0, 0}, {1, 2, 30}, {2, 30.43, 38.86}, {10, 35, 39}} {
		if got, want := m.LogLikelihood(h[0], h[1], h[2]), direct(h[0], h[1], h[2]); math.Abs(got-want) > 1e-10 {
			t.Errorf("LL(%v) = %.12g, equation (6) gives %.12g", h, got, want)
		}
	}
	if ll := m.LogLikelihood(1000, 10, 39); math.IsInf(ll, 0) || math.IsNaN(ll) {
		t.Errorf("LL(x=1000) = %v, want finite", ll)
	}
	gg := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	// Fader & Hardie's density with gamma functions in linear space.
	x, mx := 3.0, 40.0
	p, q, g := gg.P, gg.Q, gg.Gamma
	want := math.Log(math.Gamma(p*x+q) / (math.Gamma(p*x) * math.Gamma(q)) * math.Pow(g, q) *
		math.Pow(mx, p*x-1) * math.Pow(x, p*x) / math.Pow(g+mx*x, p*x+q))
	if got := gg.LogLikelihood(x, mx); math.Abs(got-want) > 1e-10 {
		t.Errorf("Gamma-Gamma LL(3, 40) = %.12g, want %.12g", got, want)
	}
	for _, c := range [][2]float64{{0, 10}, {2, 0}, {2, -1}, {math.NaN(), 1}} {
		if ll := gg.LogLikelihood(c[0], c[1]); !math.IsNaN(ll) {
			t.Errorf("Gamma-Gamma LL(%v) = %v, want NaN", c, ll)
		}
	}
}

// TestGradients checks the analytic gradients of both likelihoods against
// central differences.
func TestGradients(t *testing.T) {
	s := simulate(3, simBG, simGG, 500, 52)
	bd, err := newBGData(s)
	if err != nil {
		t.Fatal(err)
	}
	gd, err := newGGData(s)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, f negLogLik, u []float64) {
		g := make([]float64, len(u))
		f(u, g)
		for i := range u {
			const h = 1e-6
			up, um := append([]float64(nil), u...), append([]float64(nil), u...)
			up[i] += h
			um[i] -= h
			num := (f(up, nil) - f(um, nil)) / (2 * h)
			if math.Abs(num-g[i]) > 1e-7*math.Max(1, math.Abs(num)) {
				t.Errorf("%s: ∂/∂u%d = %.10g, finite difference %.10g", name, i, g[i], num)
			}
		}
	}
	check("BG/NBD", bd.negLogLik, []float64{math.Log(0.3), math.Log(5), math.Log(0.7), math.Log(2)})
	check("BG/NBD", bd.negLogLik, []float64{math.Log(2), math.Log(0.5), math.Log(3), math.Log(0.4)})
	check("Gamma-Gamma", gd.negLogLik, []float64{math.Log(5), math.Log(3), math.Log(20)})
	check("Gamma-Gamma", gd.negLogLik, []float64{math.Log(0.5), math.Log(1.2), math.Log(2)})
}

// TestStandardErrorsMatchFunctionHessian recomputes the CDNOW standard
// errors from a Hessian of likelihood values (not gradients) in the original
// parameter space.
func TestStandardErrorsMatchFunctionHessian(t *testing.T) {
	s := cdnowSummaries(t)
	fit, err := FitBGNBD(s)
	if err != nil {
		t.Fatal(err)
	}
	theta := []float64{fit.R, fit.Alpha, fit.A, fit.B}
	ll := func(th []float64) float64 { return BGNBD{th[0], th[1], th[2], th[3]}.TotalLogLikelihood(s) }
	n := len(theta)
	info := make([]float64, n*n)
	for i := range n {
		for j := range n {
			hi, hj := 1e-3*theta[i], 1e-3*theta[j]
			at := func(di, dj float64) float64 {
				th := append([]float64(nil), theta...)
				th[i] += di
				th[j] += dj
				return ll(th)
			}
			info[i*n+j] = -(at(hi, hj) - at(hi, -hj) - at(-hi, hj) + at(-hi, -hj)) / (4 * hi * hj)
		}
	}
	cov := invert(t, info, n)
	got := []float64{fit.StdErr.R, fit.StdErr.Alpha, fit.StdErr.A, fit.StdErr.B}
	for i := range n {
		if want := math.Sqrt(cov[i*n+i]); math.Abs(got[i]-want) > 1e-3*want {
			t.Errorf("standard error %d = %.6g, function Hessian gives %.6g", i, got[i], want)
		}
	}
}

// invert inverts a small matrix by Gauss-Jordan elimination (kept separate
// from the gonum path under test).
func invert(t *testing.T, a []float64, n int) []float64 {
	t.Helper()
	m := append([]float64(nil), a...)
	inv := make([]float64, n*n)
	for i := range n {
		inv[i*n+i] = 1
	}
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r*n+c]) > math.Abs(m[p*n+c]) {
				p = r
			}
		}
		if m[p*n+c] == 0 {
			t.Fatal("singular matrix")
		}
		for k := range n {
			m[c*n+k], m[p*n+k] = m[p*n+k], m[c*n+k]
			inv[c*n+k], inv[p*n+k] = inv[p*n+k], inv[c*n+k]
		}
		d := m[c*n+c]
		for k := range n {
			m[c*n+k] /= d
			inv[c*n+k] /= d
		}
		for r := range n {
			if r == c {
				continue
			}
			f := m[r*n+c]
			for k := range n {
				m[r*n+k] -= f * m[c*n+k]
				inv[r*n+k] -= f * inv[c*n+k]
			}
		}
	}
	return inv
}

func TestConditionalExpectedSpend(t *testing.T) {
	gg := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	pop := 6.25 * 15.44 / 2.74
	if got := gg.ConditionalExpectedSpend(0, 123); math.Abs(got-pop) > 1e-12 {
		t.Errorf("E[M | x=0] = %v, want the population mean %v", got, pop)
	}
	// A weighted average of the population mean and the customer's mean.
	x, mx := 4.0, 80.0
	w := 6.25 * x / (6.25*x + 3.74 - 1)
	if got, want := gg.ConditionalExpectedSpend(x, mx), (1-w)*pop+w*mx; math.Abs(got-want) > 1e-12 {
		t.Errorf("E[M | 4, 80] = %v, want %v", got, want)
	}
	if got := (GammaGamma{P: 1, Q: 0.5, Gamma: 1}).ConditionalExpectedSpend(0, 0); !math.IsNaN(got) {
		t.Errorf("E[M] with q < 1 = %v, want NaN (infinite mean)", got)
	}
}

func TestFitErrors(t *testing.T) {
	if _, err := FitBGNBD(nil); !errors.Is(err, ErrNoCustomers) {
		t.Errorf("FitBGNBD(nil) error = %v, want ErrNoCustomers", err)
	}
	if _, err := FitGammaGamma([]Summary{}); !errors.Is(err, ErrNoCustomers) {
		t.Errorf("FitGammaGamma(empty) error = %v, want ErrNoCustomers", err)
	}
	noRepeat := []Summary{{Customer: "a", T: 10}, {Customer: "b", T: 20}}
	if _, err := FitBGNBD(noRepeat); err == nil {
		t.Error("FitBGNBD without repeat buyers: no error")
	}
	if _, err := FitGammaGamma(noRepeat); err == nil {
		t.Error("FitGammaGamma without repeat buyers: no error")
	}
	for _, bad := range []Summary{
		{Customer: "late", Frequency: 1, Recency: 12, T: 10},
		{Customer: "nan", Frequency: math.NaN(), T: 10},
		{Customer: "frac", Frequency: 1.5, Recency: 1, T: 10},
		{Customer: "neg", Frequency: 1, Recency: -1, T: 10},
		{Customer: "inf", Frequency: 1, Recency: 1, T: math.Inf(1)},
	} {
		if _, err := FitBGNBD(append([]Summary{{Frequency: 1, Recency: 2, T: 5}}, bad)); err == nil {
			t.Errorf("FitBGNBD accepted %+v", bad)
		}
	}
	if _, err := FitGammaGamma([]Summary{{Frequency: 1, MonetaryValue: 10}, {Frequency: 2, MonetaryValue: math.NaN()}}); err == nil {
		t.Error("FitGammaGamma accepted a NaN monetary value")
	}
	// Degenerate data without an interior maximum: an error, not a panic
	// or absurd estimates.
	for name, s := range map[string][]Summary{
		"one customer":   {{Frequency: 1, Recency: 2, T: 5}},
		"never drop out": {{Frequency: 3, Recency: 10, T: 10}, {Frequency: 5, Recency: 10, T: 10}, {Frequency: 1, Recency: 10, T: 10}},
	} {
		if fit, err := FitBGNBD(s); !errors.Is(err, ErrNoMaximum) {
			t.Errorf("%s: fit %+v, error %v; want ErrNoMaximum", name, fit, err)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	same := []Summary{{Frequency: 2, MonetaryValue: 10}, {Frequency: 3, MonetaryValue: 10}, {Frequency: 1, MonetaryValue: 10}}
	if fit, err := FitGammaGamma(same); !errors.Is(err, ErrNoMaximum) {
		t.Errorf("FitGammaGamma with identical spend gave %+v, error %v; want ErrNoMaximum", fit, err)
	} else {
		t.Logf("identical spend: %v", err)
	}
	// Skipped customers: x = 0 and non-positive spend.
	gg, err := FitGammaGamma(append(cdnowSummaries(t), Summary{Frequency: 2, MonetaryValue: -5}, Summary{Frequency: 0, MonetaryValue: 0}))
	if err != nil {
		t.Fatal(err)
	}
	if gg.Customers != 946 {
		t.Errorf("FitGammaGamma used %d customers, want 946 (refund-only and x = 0 customers skipped)", gg.Customers)
	}
}

// TestFitPoolsIdenticalHistories checks that duplicated customers give the
// same estimates as weights would.
func TestFitPoolsIdenticalHistories(t *testing.T) {
	s := cdnowSummaries(t)
	one, err := FitBGNBD(s)
	if err != nil {
		t.Fatal(err)
	}
	two, err := FitBGNBD(append(append([]Summary(nil), s...), s...))
	if err != nil {
		t.Fatal(err)
	}
	assertRel(t, "r", two.R, one.R, 1e-6)
	assertRel(t, "b", two.B, one.B, 1e-6)
	assertRel(t, "log-likelihood", two.LogLikelihood, 2*one.LogLikelihood, 1e-9)
	// Twice the data, standard errors shrink by √2.
	assertRel(t, "se(r)", two.StdErr.R, one.StdErr.R/math.Sqrt2, 1e-3)
}

func TestCLV(t *testing.T) {
	bg := cdnowParams
	gg := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	s := Summary{Frequency: 2, Recency: 30.43, T: 38.86, MonetaryValue: 30}
	spend := gg.ConditionalExpectedSpend(2, 30)
	// Without discounting the sum telescopes to E[M]·E[Y(horizon)].
	want := spend * bg.ConditionalExpectedPurchases(52, 2, 30.43, 38.86)
	for _, step := range []float64{1, 52.0 / 12, 5, 52, 100} {
		if got := CLV(bg, gg, s, 52, step, 0); math.Abs(got-want) > 1e-9*want {
			t.Errorf("undiscounted CLV with step %v = %v, want %v", step, got, want)
		}
	}
	// Two steps by hand.
	e1, e2 := bg.ConditionalExpectedPurchases(26, 2, 30.43, 38.86), bg.ConditionalExpectedPurchases(52, 2, 30.43, 38.86)
	if got, want := CLV(bg, gg, s, 52, 26, 0.1), spend*(e1/1.1+(e2-e1)/1.21); math.Abs(got-want) > 1e-12*want {
		t.Errorf("CLV in two half-year steps at 10%% = %v, want %v", got, want)
	}
	// A partial last step is discounted by its fractional length.
	e3 := bg.ConditionalExpectedPurchases(60, 2, 30.43, 38.86)
	if got, want := CLV(bg, gg, s, 60, 26, 0.1), spend*(e1/1.1+(e2-e1)/1.21+(e3-e2)/math.Pow(1.1, 60.0/26)); math.Abs(got-want) > 1e-12*want {
		t.Errorf("CLV with a partial step = %v, want %v", got, want)
	}
	if lo, hi := CLV(bg, gg, s, 52, 4, 0.05), CLV(bg, gg, s, 52, 4, 0.01); !(lo < hi && hi < want) {
		t.Errorf("CLV at 5%% (%v), 1%% (%v), 0%% (%v) not decreasing in the discount rate", lo, hi, want)
	}
	if v := CLV(bg, gg, s, 0, 4, 0.01); v != 0 {
		t.Errorf("CLV over no time = %v, want 0", v)
	}
	for _, c := range [][3]float64{{-1, 4, 0}, {52, 0, 0}, {52, 4, -1}, {math.NaN(), 4, 0}, {1e9, 1, 0}} {
		if v := CLV(bg, gg, s, c[0], c[1], c[2]); !math.IsNaN(v) {
			t.Errorf("CLV(horizon %v, step %v, discount %v) = %v, want NaN", c[0], c[1], c[2], v)
		}
	}
}
