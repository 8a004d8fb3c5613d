package analytics

import (
	"math"
	"sort"
	"time"

	"github.com/cdpgraph/cdpgraph/analytics/clv"
	"github.com/cdpgraph/cdpgraph/analytics/trend"
)

const day = 24 * time.Hour

// churnFeatures are the churn classifier's inputs, in order. Each is known at the cut-off
// date without looking past it, so the classifier can be trained on an earlier cut-off
// and tested on a later one.
var churnFeatures = []string{
	"p_alive",                 // BG/NBD probability alive
	"p_no_purchase",           // BG/NBD probability of no purchase in the churn horizon
	"expected_purchases",      // BG/NBD expected purchases in the churn horizon
	"log_repeat_purchases",    // log(1 + repeat purchase days)
	"recency_days",            // days since the last purchase
	"tenure_days",             // days since the first purchase
	"log_mean_spend",          // log(1 + mean spend per purchase day)
	"log_events_30d",          // log(1 + behaviour events in the last 30 days)
	"engagement_change",       // log of events in the last 30 days vs the 30 before
	"negative_feedback_180d",  // low ratings or negative texts in the last 180 days
	"complaints_180d",         // complaints in the last 180 days
	"open_complaints",         // complaints and tickets still open
	"lapsed_neighbours_share", // share of buying social neighbours who have lapsed
	"purchase_interval_slope", // days added to each successive gap between purchases
	"sentiment_180d",          // mean sentiment of feedback texts in the last 180 days; 0 without
}

// cutState is the population as it stood at a cut-off date: purchase summaries and a
// BG/NBD fit on them.
type cutState struct {
	cut       time.Time
	summaries map[string]clv.Summary // buyers up to cut
	bg        *clv.BGNBDFit
	bgErr     error
}

func (p *population) stateAt(cut time.Time) *cutState {
	st := &cutState{cut: cut, summaries: map[string]clv.Summary{}}
	sums, err := clv.Summarize(p.transactions(cut), cut.In(p.s.Location), week)
	if err != nil {
		st.bgErr = err
		return st
	}
	for _, s := range sums {
		st.summaries[s.Customer] = s
	}
	if len(st.summaries) == 0 {
		st.bgErr = errNoBuyers
		return st
	}
	fit, err := clv.FitBGNBD(values(st.summaries))
	if err != nil {
		st.bgErr = err
		return st
	}
	st.bg = &fit
	return st
}

// signals are the behaviour measures of one customer at a cut-off, shared by the churn
// features and the Trend reported on the customer.
type signals struct {
	events30, eventsPrev30      int
	negative, complaints, open  int
	lapsedShare                 float64
	neighbours                  int
	sentiment180, sentiment365  *float64
	meanInterval, intervalSlope *float64
}

func (p *population) signalsAt(sub *subject, cut time.Time) signals {
	var g signals
	g.events30 = sub.eventsIn(cut.Add(-30*day), cut)
	g.eventsPrev30 = sub.eventsIn(cut.Add(-60*day), cut.Add(-30*day))
	since := cut.Add(-180 * day)
	var sum180, sum365 float64
	var n180, n365 int
	for _, f := range sub.feedback {
		if f.At.After(cut) {
			continue
		}
		if f.Sentiment != nil && f.At.After(cut.Add(-365*day)) {
			sum365 += *f.Sentiment
			n365++
			if f.At.After(since) {
				sum180 += *f.Sentiment
				n180++
			}
		}
		if (f.Kind == "complaint" || f.Kind == "ticket") && f.Open {
			g.open++
		}
		if !f.At.After(since) {
			continue
		}
		if f.Kind == "complaint" {
			g.complaints++
		}
		if negativeFeedback(f.Kind, f.Rating, f.Sentiment) {
			g.negative++
		}
	}
	if n180 > 0 {
		v := sum180 / float64(n180)
		g.sentiment180 = &v
	}
	if n365 > 0 {
		v := math.Round(1000*sum365/float64(n365)) / 1000
		g.sentiment365 = &v
	}
	horizon := time.Duration(p.s.ChurnHorizonDays) * day
	buyers, lapsed := 0, 0
	for _, n := range sub.neighbours {
		last, ok := p.lastPurchase(n, cut)
		if !ok {
			continue
		}
		buyers++
		if !last.After(cut.Add(-horizon)) {
			lapsed++
		}
	}
	g.neighbours = len(sub.neighbours)
	if buyers > 0 {
		g.lapsedShare = float64(lapsed) / float64(buyers)
	}
	days := sub.purchasesUpTo(cut)
	if len(days) >= 2 {
		times := make([]time.Time, len(days))
		for i, pu := range days {
			times[i] = pu.day
		}
		mean, slope := trend.IntervalTrend(times)
		g.meanInterval = &mean
		if len(days) >= 3 {
			g.intervalSlope = &slope
		}
	}
	return g
}

// negativeFeedback: a detractor's survey score (0–6 of 10), a review of 1–2 of 5, or a
// text whose sentiment is clearly negative.
func negativeFeedback(kind string, rating *int, sentiment *float64) bool {
	if sentiment != nil && *sentiment <= -0.25 {
		return true
	}
	if rating == nil {
		return false
	}
	if kind == "survey" {
		return *rating <= 6
	}
	return *rating <= 2
}

// features are the churn classifier's inputs for a buyer at st.cut; ok is false for a
// customer who had not bought by then or when the purchase model could not be fitted.
func (p *population) features(sub *subject, st *cutState, bg clv.BGNBD) ([]float64, bool) {
	s, ok := st.summaries[sub.id]
	if !ok {
		return nil, false
	}
	g := p.signalsAt(sub, st.cut)
	horizonWeeks := float64(p.s.ChurnHorizonDays) / 7
	last := sub.purchasesUpTo(st.cut)
	first, lastDay := last[0].day, last[len(last)-1].day
	total := 0.0
	for _, pu := range last {
		total += pu.amount
	}
	slope := 0.0
	if g.intervalSlope != nil {
		slope = clamp(*g.intervalSlope, -365, 365)
	}
	return []float64{
		bg.ProbabilityAlive(s.Frequency, s.Recency, s.T),
		noPurchaseProbability(bg, horizonWeeks, s),
		bg.ConditionalExpectedPurchases(horizonWeeks, s.Frequency, s.Recency, s.T),
		math.Log1p(s.Frequency),
		st.cut.Sub(lastDay).Hours() / 24,
		st.cut.Sub(first).Hours() / 24,
		math.Log1p(math.Max(0, total/float64(len(last)))),
		math.Log1p(float64(g.events30)),
		math.Log(trend.Ratio(float64(g.events30), float64(g.eventsPrev30))),
		float64(g.negative),
		float64(g.complaints),
		float64(g.open),
		g.lapsedShare,
		slope,
		valueOr0(g.sentiment180),
	}, true
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

func values(m map[string]clv.Summary) []clv.Summary {
	out := make([]clv.Summary, 0, len(m))
	for _, s := range m {
		out = append(out, s)
	}
	// Map order is random; the fit should not be.
	sort.Slice(out, func(i, j int) bool { return out[i].Customer < out[j].Customer })
	return out
}

func valueOr0(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}
