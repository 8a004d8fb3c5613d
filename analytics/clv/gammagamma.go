package clv

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// GammaGamma holds the parameters of the Gamma-Gamma spend model: the
// amount of each transaction is Gamma(shape P, rate ν), and ν varies across
// customers as Gamma(shape Q, rate Gamma). Gamma is in money units. The
// population mean spend per transaction is P·Gamma/(Q−1) (for Q > 1).
type GammaGamma struct {
	P, Q, Gamma float64
}

// GammaGammaFit is a maximum-likelihood fit of the Gamma-Gamma model. Its
// LogLikelihood field hides the embedded model's method of that name; use
// fit.GammaGamma.LogLikelihood for a single customer.
type GammaGammaFit struct {
	GammaGamma
	// StdErr holds the standard error of each parameter, from the inverse
	// of the observed information.
	StdErr        GammaGamma
	LogLikelihood float64 // at the estimate, summed over the customers used
	Customers     int     // customers used: Frequency ≥ 1 and MonetaryValue > 0
	Iterations    int     // optimizer iterations
}

func (m GammaGamma) valid() bool {
	return positive(m.P) && positive(m.Q) && positive(m.Gamma)
}

// LogLikelihood returns the log-density of a customer's mean spend mx over
// x transactions (x ≥ 1, mx > 0):
//
//	log[ Γ(px+q)/(Γ(px)Γ(q)) · γ^q · mx^(px−1) · x^(px) / (γ+x·mx)^(px+q) ]
//
// It returns NaN for invalid parameters or arguments.
func (m GammaGamma) LogLikelihood(x, mx float64) float64 {
	if !m.valid() || !(x >= 1) || !positive(mx) || math.IsInf(x, 1) {
		return math.NaN()
	}
	p, q, g := m.P, m.Q, m.Gamma
	return lgamma(p*x+q) - lgamma(p*x) - lgamma(q) + q*math.Log(g) +
		(p*x-1)*math.Log(mx) + p*x*math.Log(x) - (p*x+q)*math.Log(g+x*mx)
}

// ConditionalExpectedSpend returns E[M | x, mx], the expected spend per
// future transaction of a customer whose x past transactions averaged mx:
//
//	p·(γ + x·mx)/(p·x + q − 1),
//
// a weighted average of the population mean p·γ/(q−1) and mx. With x = 0 it
// is the population mean. It returns NaN for invalid parameters or
// arguments, or when p·x + q ≤ 1 (the mean is infinite).
func (m GammaGamma) ConditionalExpectedSpend(x, mx float64) float64 {
	if !m.valid() || !(x >= 0) || math.IsInf(x, 1) || math.IsNaN(mx) || math.IsInf(mx, 0) {
		return math.NaN()
	}
	den := m.P*x + m.Q - 1
	if den <= 0 {
		return math.NaN()
	}
	if x == 0 {
		mx = 0
	}
	return m.P * (m.Gamma + x*mx) / den
}

// FitGammaGamma fits the Gamma-Gamma model by maximum likelihood to the
// customers with at least one repeat purchase, using their mean repeat
// spend (Summary.MonetaryValue). Customers with Frequency < 1 or a
// non-positive MonetaryValue (all refunds or free items: the model needs
// positive spend) are skipped; a NaN or infinite MonetaryValue is an error.
// It is also an error if fewer than two customers remain or the optimizer
// finds no interior maximum (wrapping ErrNoMaximum; for instance when every
// customer has the same mean spend).
func FitGammaGamma(s []Summary) (GammaGammaFit, error) {
	if len(s) == 0 {
		return GammaGammaFit{}, ErrNoCustomers
	}
	d, err := newGGData(s)
	if err != nil {
		return GammaGammaFit{}, err
	}
	// Start at p = 1, q = 2, with γ making the population mean p·γ/(q−1)
	// equal to the mean spend: the money unit then drops out of the start.
	var sm float64
	for i := range d.lm {
		sm += d.w[i] * math.Exp(d.lm[i])
	}
	res, err := maximizeLikelihood(d.negLogLik, []float64{1, 2, sm / d.n}, d.n)
	if err != nil {
		return GammaGammaFit{}, fmt.Errorf("clv: Gamma-Gamma fit: %w", err)
	}
	return GammaGammaFit{
		GammaGamma:    GammaGamma{res.theta[0], res.theta[1], res.theta[2]},
		StdErr:        GammaGamma{res.stdErr[0], res.stdErr[1], res.stdErr[2]},
		LogLikelihood: res.logLik,
		Customers:     int(d.n),
		Iterations:    res.iterations,
	}, nil
}

// ggData is the fitting data: distinct (x, log mx) sorted by x, weighted.
type ggData struct {
	m, lm, w []float64 // mean spend, its log, and weight
	groups   []freqGroup
	n        float64
}

func newGGData(s []Summary) (*ggData, error) {
	type obs struct{ x, m float64 }
	var o []obs
	for i := range s {
		x, mx := s[i].Frequency, s[i].MonetaryValue
		if math.IsNaN(mx) || math.IsInf(mx, 0) || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("clv: customer %q: frequency %v and monetary value %v must be finite", s[i].Customer, x, mx)
		}
		if x >= 1 && mx > 0 {
			o = append(o, obs{x, mx})
		}
	}
	if len(o) < 2 {
		return nil, errors.New("clv: Gamma-Gamma fit: need at least two customers with a repeat purchase and positive spend")
	}
	slices.SortFunc(o, func(a, b obs) int {
		return cmp.Or(cmp.Compare(a.x, b.x), cmp.Compare(a.m, b.m))
	})
	d := &ggData{n: float64(len(o))}
	for i, v := range o {
		if i > 0 && v == o[i-1] {
			d.w[len(d.w)-1]++
			d.groups[len(d.groups)-1].w++
			continue
		}
		if len(d.groups) == 0 || d.groups[len(d.groups)-1].x != v.x {
			d.groups = append(d.groups, freqGroup{x: v.x, lo: len(d.w)})
		}
		d.m = append(d.m, v.m)
		d.lm = append(d.lm, math.Log(v.m))
		d.w = append(d.w, 1)
		g := &d.groups[len(d.groups)-1]
		g.hi = len(d.w)
		g.w++
	}
	return d, nil
}

// negLogLik is the mean negative log-likelihood and its gradient in
// u = log(p, q, γ); one logarithm per distinct customer.
func (d *ggData) negLogLik(u, grad []float64) float64 {
	p, q, gam := math.Exp(u[0]), math.Exp(u[1]), math.Exp(u[2])
	logGam := math.Log(gam)
	lgQ := lgamma(q)
	var psiQ float64
	if grad != nil {
		psiQ = mathext.Digamma(q)
	}
	var ll, dp, dq, dg float64
	for _, g := range d.groups {
		x := g.x
		px := p * x
		lx := math.Log(x)
		ll += g.w * (lgamma(px+q) - lgamma(px) - lgQ + q*logGam + px*lx)
		if grad != nil {
			psiPXQ := mathext.Digamma(px + q)
			dp += g.w * x * (psiPXQ - mathext.Digamma(px) + lx)
			dq += g.w * (psiPXQ - psiQ + logGam)
			dg += g.w * q / gam
		}
		m, lm, w := d.m[g.lo:g.hi], d.lm[g.lo:g.hi], d.w[g.lo:g.hi]
		for i := range m {
			s := gam + x*m[i]
			ls := math.Log(s)
			ll += w[i] * ((px-1)*lm[i] - (px+q)*ls)
			if grad != nil {
				dp += w[i] * x * (lm[i] - ls)
				dq -= w[i] * ls
				dg -= w[i] * (px + q) / s
			}
		}
	}
	if grad != nil {
		grad[0] = -p * dp / d.n
		grad[1] = -q * dq / d.n
		grad[2] = -gam * dg / d.n
	}
	return -ll / d.n
}
