// Package trend turns a customer's behaviour over time into a few numbers that say which
// way it is heading: the slope of a series, whether the gaps between purchases are
// growing, and how recent activity compares with the period before. They are cheap,
// explainable features for churn models and for people reading a profile.
package trend

import (
	"math"
	"slices"
	"time"
)

// Slope is the least-squares slope of ys against xs: how much y changes per unit of x on
// the straight line that fits best. It is 0 with fewer than two points or when every x is
// the same (no line has a defined slope), and NaN when the lengths differ, which is a
// caller's bug that a plausible 0 would hide. Pairs holding a NaN or infinity are skipped,
// so a gap in a series does not poison it.
func Slope(xs, ys []float64) float64 {
	if len(xs) != len(ys) {
		return math.NaN()
	}
	var n, mx, my float64
	for i, x := range xs {
		if finite(x) && finite(ys[i]) {
			n++
			mx += x
			my += ys[i]
		}
	}
	if n < 2 {
		return 0
	}
	mx /= n
	my /= n
	// Centred sums avoid the cancellation of Σxy − n·x̄·ȳ when x is large, such as Unix
	// times.
	var sxy, sxx float64
	for i, x := range xs {
		if finite(x) && finite(ys[i]) {
			dx := x - mx
			sxy += dx * (ys[i] - my)
			sxx += dx * dx
		}
	}
	if sxx == 0 {
		return 0
	}
	return sxy / sxx
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// IntervalTrend describes the gaps between a customer's purchases. meanDays is the mean
// gap in days; slopeDaysPerPurchase is how many days longer each gap is than the one
// before, on the least-squares line through the gaps in order. A positive slope means the
// customer is buying less and less often — an early sign of churn that recency alone only
// shows once the customer has already gone quiet.
//
// The times need not be sorted (a sorted copy is used; times is not modified). With
// fewer than two purchases there is no gap and both results are 0; with two there is one
// gap, so the slope is 0. Purchases at the same instant count as a gap of zero days.
func IntervalTrend(times []time.Time) (meanDays, slopeDaysPerPurchase float64) {
	if len(times) < 2 {
		return 0, 0
	}
	ts := slices.Clone(times)
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	gaps := make([]float64, len(ts)-1)
	idx := make([]float64, len(gaps))
	var sum float64
	for i := range gaps {
		gaps[i] = ts[i+1].Sub(ts[i]).Hours() / 24
		idx[i] = float64(i)
		sum += gaps[i]
	}
	return sum / float64(len(gaps)), Slope(idx, gaps)
}

// RatioPrior is the pseudo-count [Ratio] adds to both periods.
const RatioPrior = 1

// Ratio compares activity in a recent period with the period before it, for example
// events in the last 30 days against the 30 days before: above 1 is growing engagement,
// below 1 shrinking.
//
// The raw ratio breaks exactly where it matters most, on quiet customers: 0/0 is undefined
// and 3/0 infinite. So both counts get one pseudo-event (add-one, or Laplace, smoothing):
// Ratio = (recent + 1) / (previous + 1). Then 0/0 gives 1 (no change), 3/0 gives 4, and
// 0/3 gives 0.25, and the smoothing fades as counts grow (100/50 gives 1.98). Negative
// counts are impossible and are treated as zero, keeping the result finite and positive;
// NaN in gives NaN out.
func Ratio(recent, previous float64) float64 {
	if math.IsNaN(recent) || math.IsNaN(previous) {
		return math.NaN()
	}
	return (max(recent, 0) + RatioPrior) / (max(previous, 0) + RatioPrior)
}

// WindowCounts counts the times in the recent window (asOf−window, asOf] and in the one
// before it, (asOf−2·window, asOf−window], ready for [Ratio]. Times after asOf are
// ignored. A non-positive window counts nothing.
func WindowCounts(times []time.Time, asOf time.Time, window time.Duration) (recent, previous int) {
	if window <= 0 {
		return 0, 0
	}
	mid, start := asOf.Add(-window), asOf.Add(-2*window)
	for _, t := range times {
		switch {
		case t.After(asOf):
		case t.After(mid):
			recent++
		case t.After(start):
			previous++
		}
	}
	return recent, previous
}
