package clv

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// BGNBD holds the parameters of the BG/NBD model. While active, a customer
// buys as a Poisson process with rate λ ~ Gamma(shape R, rate Alpha); after
// each purchase she becomes inactive with probability p ~ Beta(A, B).
// Alpha is in periods; the others are unitless.
//
// The methods take a customer's history as x (repeat purchases), tx (time
// of the last purchase) and T (time since the first purchase), in periods,
// as in Summary. They return NaN for invalid parameters or histories
// (negative or non-finite values, x not a whole number, tx > T).
type BGNBD struct {
	R, Alpha, A, B float64
}

// BGNBDFit is a maximum-likelihood fit of the BG/NBD model. Its
// LogLikelihood field hides the embedded model's method of that name; use
// fit.BGNBD.LogLikelihood for a single customer.
type BGNBDFit struct {
	BGNBD
	// StdErr holds the standard error of each parameter, from the inverse
	// of the observed information.
	StdErr        BGNBD
	LogLikelihood float64 // at the estimate, summed over customers
	Customers     int
	Iterations    int // optimizer iterations
}

func (m BGNBD) valid() bool {
	return positive(m.R) && positive(m.Alpha) && positive(m.A) && positive(m.B)
}

func positive(v float64) bool { return v > 0 && !math.IsInf(v, 1) }

func validHistory(x, tx, T float64) bool {
	return x >= 0 && x == math.Trunc(x) && !math.IsInf(x, 1) &&
		tx >= 0 && T >= tx && !math.IsInf(T, 1)
}

// LogLikelihood returns the log-likelihood of one customer's history
// (equation 6 of the paper, evaluated in log space).
func (m BGNBD) LogLikelihood(x, tx, T float64) float64 {
	if !m.valid() || !validHistory(x, tx, T) {
		return math.NaN()
	}
	r, alpha, a, b := m.R, m.Alpha, m.A, m.B
	c := lgamma(r+x) - lgamma(r) + r*math.Log(alpha) +
		lgamma(a+b) + lgamma(b+x) - lgamma(b) - lgamma(a+b+x)
	a3 := -(r + x) * math.Log(alpha+T)
	if x == 0 {
		return c + a3
	}
	a4 := math.Log(a) - math.Log(b+x-1) - (r+x)*math.Log(alpha+tx)
	return c + logAddExp(a3, a4)
}

// TotalLogLikelihood sums LogLikelihood over the summaries.
func (m BGNBD) TotalLogLikelihood(s []Summary) float64 {
	var ll float64
	for i := range s {
		ll += m.LogLikelihood(s[i].Frequency, s[i].Recency, s[i].T)
	}
	return ll
}

// ProbabilityAlive returns the probability that a customer with history
// (x, tx, T) is still active at T:
//
//	1 / (1 + [x>0]·a/(b+x−1)·((α+T)/(α+tx))^(r+x))
//
// It is 1 when x = 0, since in the BG/NBD model customers can only drop out
// right after a purchase.
func (m BGNBD) ProbabilityAlive(x, tx, T float64) float64 {
	if !m.valid() || !validHistory(x, tx, T) {
		return math.NaN()
	}
	if x == 0 {
		return 1
	}
	d := math.Log(m.A) - math.Log(m.B+x-1) +
		(m.R+x)*(math.Log(m.Alpha+T)-math.Log(m.Alpha+tx))
	return 1 / (1 + math.Exp(d))
}

// ExpectedPurchases returns E[X(t)], the expected number of purchases in
// (0, t] of a customer who is new at time 0 (equation 7 of the paper).
func (m BGNBD) ExpectedPurchases(t float64) float64 {
	return m.ConditionalExpectedPurchases(t, 0, 0, 0)
}

// ConditionalExpectedPurchases returns E[Y(t) | x, tx, T], the expected
// number of purchases in (T, T+t] of a customer with history (x, tx, T)
// (equation 10 of the paper):
//
//	(a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z)]
//	/ (1 + [x>0]·a/(b+x−1)·((α+T)/(α+tx))^(r+x)),   z = t/(α+T+t).
//
// The bracket is evaluated after Euler's transformation
// 2F1(r+x, b+x; c; z) = (1−z)^(a−1−r−x)·2F1(c−r−x, a−1; c; z): the large
// factors (1−z)^±(r+x) cancel analytically, the series converges faster as
// x grows, and the division by a−1 is done term by term, so a = 1 is no
// singularity.
func (m BGNBD) ConditionalExpectedPurchases(t, x, tx, T float64) float64 {
	if !m.valid() || !validHistory(x, tx, T) || !(t >= 0) || math.IsInf(t, 1) {
		return math.NaN()
	}
	if t == 0 {
		return 0
	}
	r, alpha, a, b := m.R, m.Alpha, m.A, m.B
	c := a + b + x - 1
	z := t / (alpha + T + t)
	logOneMinusZ := -math.Log1p(t / (alpha + T))
	e := c * pendingFactor(a+b-1-r, c, a-1, z, logOneMinusZ)
	if x == 0 {
		return e
	}
	d := math.Log(a) - math.Log(b+x-1) + (r+x)*(math.Log(alpha+T)-math.Log(alpha+tx))
	return e / (1 + math.Exp(d))
}

// pendingFactor returns [1 − (1−z)^ε·2F1(A, ε; C; z)]/ε for z in [0, 1),
// the bracket of E[Y(t)] after Euler's transformation (ε = a−1, A = a+b−1−r,
// C = a+b+x−1). Writing 2F1(A, ε; C; z) = 1 + ε·G with
//
//	G = Σ_{j≥1} (A)_j (1+ε)_{j−1} z^j / ((C)_j j!)
//
// gives [1 − (1−z)^ε]/ε − (1−z)^ε·G, with no cancellation in ε. The series
// for G has ratio (A+j)(ε+j)z/((C+j)(j+1)) → z, so it converges for z < 1;
// when z is so close to 1 that it needs too many terms, it falls back on
// gonum's Cephes-based 2F1, which transforms z → 1−z.
func pendingFactor(A, C, eps, z, logOneMinusZ float64) float64 {
	first := -logOneMinusZ // the limit ε → 0
	if eps != 0 {
		first = -math.Expm1(eps*logOneMinusZ) / eps
	}
	g, ok := pendingSeries(A, C, eps, z, 20000)
	if !ok {
		if math.Abs(eps) > 1e-4 {
			g = (mathext.Hypergeo(A, eps, C, z) - 1) / eps
		} else {
			// The fallback would divide by ~0; sum the (slow) series out.
			g, _ = pendingSeries(A, C, eps, z, 5000000)
		}
	}
	return first - math.Exp(eps*logOneMinusZ)*g
}

// pendingSeries sums G (see pendingFactor) with at most maxTerms terms and
// reports whether it converged.
func pendingSeries(A, C, eps, z float64, maxTerms int) (float64, bool) {
	term := A * z / C
	sum := term
	for j := 1.0; j < float64(maxTerms); j++ {
		ratio := (A + j) * (eps + j) * z / ((C + j) * (j + 1))
		term *= ratio
		sum += term
		// Once the ratio is below 1 and falling toward z, the tail is at
		// most term·ratio/(1−ratio).
		if ratio >= 0 && ratio < 1 && math.Abs(term)*ratio <= 1e-16*(1-ratio)*math.Abs(sum) {
			return sum, true
		}
		if term == 0 {
			return sum, true
		}
	}
	return sum, false
}

// FitBGNBD fits the BG/NBD model to the summaries by maximum likelihood.
// Customers with identical (x, tx, T) are pooled, so the cost per
// iteration grows with the number of distinct histories.
//
// It returns an error, and no fit, when there are no summaries, when any
// summary is invalid (non-finite or negative values, a fractional
// frequency, recency beyond T), when no customer made a repeat purchase
// (the dropout process is then not identified), or when the optimizer
// finds no interior maximum (the error then wraps ErrNoMaximum): parameters
// running off to 0 or ∞, or a singular information matrix (typically tiny
// samples, or data in which nobody seems to drop out).
func FitBGNBD(s []Summary) (BGNBDFit, error) {
	d, err := newBGData(s)
	if err != nil {
		return BGNBDFit{}, err
	}
	// Start with r = 1 and the rate matching the mean repeat rate, a = b = 1;
	// scaling α to the data makes the start independent of the period.
	var sx, sT float64
	for i := range s {
		sx += s[i].Frequency
		sT += s[i].T
	}
	alpha0 := sT / sx
	if !positive(alpha0) {
		alpha0 = 1
	}
	res, err := maximizeLikelihood(d.negLogLik, []float64{1, alpha0, 1, 1}, d.n)
	if err != nil {
		return BGNBDFit{}, fmt.Errorf("clv: BG/NBD fit: %w", err)
	}
	return BGNBDFit{
		BGNBD:         BGNBD{res.theta[0], res.theta[1], res.theta[2], res.theta[3]},
		StdErr:        BGNBD{res.stdErr[0], res.stdErr[1], res.stdErr[2], res.stdErr[3]},
		LogLikelihood: res.logLik,
		Customers:     len(s),
		Iterations:    res.iterations,
	}, nil
}

// bgData is the fitting data: distinct histories sorted by x, with weights.
type bgData struct {
	tx, T, w []float64
	groups   []freqGroup
	n        float64 // number of customers
}

// freqGroup is the run of rows [lo, hi) with frequency x and total weight w.
// Terms that depend only on x (the gamma functions) are computed once per
// group and iteration.
type freqGroup struct {
	x, w   float64
	lo, hi int
}

func newBGData(s []Summary) (*bgData, error) {
	if len(s) == 0 {
		return nil, ErrNoCustomers
	}
	type hist struct{ x, tx, T float64 }
	h := make([]hist, len(s))
	repeat := false
	for i := range s {
		x, tx, T := s[i].Frequency, s[i].Recency, s[i].T
		if !validHistory(x, tx, T) {
			return nil, fmt.Errorf("clv: customer %q: invalid history x=%v, t_x=%v, T=%v (want a whole x ≥ 0 and 0 ≤ t_x ≤ T, finite)", s[i].Customer, x, tx, T)
		}
		repeat = repeat || x > 0
		h[i] = hist{x, tx, T}
	}
	if !repeat {
		return nil, errors.New("clv: BG/NBD fit: no customer made a repeat purchase")
	}
	slices.SortFunc(h, func(p, q hist) int {
		return cmp.Or(cmp.Compare(p.x, q.x), cmp.Compare(p.tx, q.tx), cmp.Compare(p.T, q.T))
	})
	d := &bgData{n: float64(len(s))}
	for i, v := range h {
		if i > 0 && v == h[i-1] {
			d.w[len(d.w)-1]++
			d.groups[len(d.groups)-1].w++
			continue
		}
		if len(d.groups) == 0 || d.groups[len(d.groups)-1].x != v.x {
			d.groups = append(d.groups, freqGroup{x: v.x, lo: len(d.w)})
		}
		d.tx = append(d.tx, v.tx)
		d.T = append(d.T, v.T)
		d.w = append(d.w, 1)
		g := &d.groups[len(d.groups)-1]
		g.hi = len(d.w)
		g.w++
	}
	return d, nil
}

// negLogLik is the mean negative log-likelihood and its gradient in
// u = log(r, α, a, b). Per customer it needs two logarithms and an
// exponential; everything that depends only on x is hoisted to the group.
func (d *bgData) negLogLik(u, grad []float64) float64 {
	r, alpha, a, b := math.Exp(u[0]), math.Exp(u[1]), math.Exp(u[2]), math.Exp(u[3])
	logAlpha, logA := math.Log(alpha), math.Log(a)
	var psiR, psiB, psiAB float64
	if grad != nil {
		psiR, psiB, psiAB = mathext.Digamma(r), mathext.Digamma(b), mathext.Digamma(a+b)
	}
	lgR, lgB, lgAB := lgamma(r), lgamma(b), lgamma(a+b)

	var ll, dr, dalpha, da, db float64
	for _, g := range d.groups {
		x := g.x
		ll += g.w * (lgamma(r+x) - lgR + r*logAlpha + lgAB + lgamma(b+x) - lgB - lgamma(a+b+x))
		if grad != nil {
			psiABX := mathext.Digamma(a + b + x)
			dr += g.w * (mathext.Digamma(r+x) - psiR + logAlpha)
			dalpha += g.w * r / alpha
			da += g.w * (psiAB - psiABX)
			db += g.w * (psiAB + mathext.Digamma(b+x) - psiB - psiABX)
		}
		rx := r + x
		tx, T, w := d.tx[g.lo:g.hi], d.T[g.lo:g.hi], d.w[g.lo:g.hi]
		if x == 0 {
			// Only the "still alive at T" term: −(r+x)·log(α+T).
			for i := range T {
				lT := math.Log(alpha + T[i])
				ll -= w[i] * rx * lT
				if grad != nil {
					dr -= w[i] * lT
					dalpha -= w[i] * rx / (alpha + T[i])
				}
			}
			continue
		}
		k := logA - math.Log(b+x-1)
		var sw4 float64 // Σ w·w4, the weight of the "dropped out" term
		for i := range T {
			lT, lt := math.Log(alpha+T[i]), math.Log(alpha+tx[i])
			a3, a4 := -rx*lT, k-rx*lt
			// log(e^a3 + e^a4) and w4 = e^a4/(e^a3 + e^a4), overflow-free.
			var w4 float64
			if a4 > a3 {
				e := math.Exp(a3 - a4)
				ll += w[i] * (a4 + math.Log1p(e))
				w4 = 1 / (1 + e)
			} else {
				e := math.Exp(a4 - a3)
				ll += w[i] * (a3 + math.Log1p(e))
				w4 = e / (1 + e)
			}
			if grad != nil {
				dr -= w[i] * ((1-w4)*lT + w4*lt)
				dalpha -= w[i] * rx * ((1-w4)/(alpha+T[i]) + w4/(alpha+tx[i]))
				sw4 += w[i] * w4
			}
		}
		da += sw4 / a
		db -= sw4 / (b + x - 1)
	}
	if grad != nil {
		// d/du = θ·d/dθ, negated and averaged.
		grad[0] = -r * dr / d.n
		grad[1] = -alpha * dalpha / d.n
		grad[2] = -a * da / d.n
		grad[3] = -b * db / d.n
	}
	return -ll / d.n
}

func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// logAddExp returns log(e^a + e^b) without overflow.
func logAddExp(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(a, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}
