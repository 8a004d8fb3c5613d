package clv

import "math"

// maxCLVSteps bounds the work of one CLV call.
const maxCLVSteps = 100000

// CLV returns the expected discounted spend of customer s over the next
// horizon periods, in steps of step periods, with discount rate d =
// discountPerStep per step:
//
//	CLV = E[M | x, m_x] · Σ_{k=1..K} (E[Y(t_k)] − E[Y(t_{k−1})]) / (1+d)^(t_k/step)
//
// where t_k = min(k·step, horizon), t_0 = 0, K = ⌈horizon/step⌉,
// E[Y(t)] = bg.ConditionalExpectedPurchases(t, x, t_x, T) and
// E[M | x, m_x] = gg.ConditionalExpectedSpend(x, m_x), with x, t_x, T and m_x
// taken from s. Each step's purchases are discounted from the end of the
// step. For example, with weekly periods, a year in monthly steps at 1% a
// month is CLV(bg, gg, s, 52, 52.0/12, 0.01) (lifetimes'
// customer_lifetime_value with freq="W", time=12, discount_rate=0.01 uses
// steps of 4.345 weeks instead).
//
// It returns NaN for invalid models or summaries, horizon < 0, step ≤ 0,
// discountPerStep ≤ −1, or more than 100,000 steps.
func CLV(bg BGNBD, gg GammaGamma, s Summary, horizon, step, discountPerStep float64) float64 {
	if !(horizon >= 0) || !(step > 0) || !(discountPerStep > -1) || math.IsInf(horizon, 1) || math.IsInf(discountPerStep, 1) {
		return math.NaN()
	}
	steps := math.Ceil(horizon / step)
	if steps > maxCLVSteps {
		return math.NaN()
	}
	spend := gg.ConditionalExpectedSpend(s.Frequency, s.MonetaryValue)
	x, tx, T := s.Frequency, s.Recency, s.T
	logDiscount := math.Log1p(discountPerStep)
	var sum, prev float64
	for k := 1.0; k <= steps; k++ {
		t := math.Min(k*step, horizon)
		e := bg.ConditionalExpectedPurchases(t, x, tx, T)
		sum += (e - prev) * math.Exp(-logDiscount*t/step)
		prev = e
	}
	return spend * sum
}
