package analytics

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/analytics/churn"
	"github.com/cdpgraph/cdpgraph/analytics/clv"
	"github.com/cdpgraph/cdpgraph/analytics/rfm"
	"github.com/cdpgraph/cdpgraph/analytics/trend"
)

var errNoBuyers = errors.New("no customer had bought by then")

// fallbackMethod names churn risk without a classifier.
const fallbackMethod = "BG/NBD P(no purchase in horizon)"

// noPurchaseProbability is the BG/NBD probability of no purchase in the next t periods:
// the customer has already left, or is alive and makes no purchase (and, with none, cannot
// leave). Alive, the purchase rate's posterior is Gamma(r + x, α + T), whose chance of no
// event in t is ((α+T)/(α+T+t))^(r+x). Unlike 1 − P(alive), which is 0 for every customer
// without a repeat purchase, it ranks one-time buyers by how long ago they bought.
func noPurchaseProbability(bg clv.BGNBD, t float64, s clv.Summary) float64 {
	alive := bg.ProbabilityAlive(s.Frequency, s.Recency, s.T)
	quiet := math.Exp((bg.R + s.Frequency) * math.Log((bg.Alpha+s.T)/(bg.Alpha+s.T+t)))
	return 1 - alive + alive*quiet
}

func joinErrors(errs ...error) string {
	var parts []string
	for _, e := range errs {
		if e != nil {
			parts = append(parts, e.Error())
		}
	}
	return strings.Join(parts, "; ")
}

// Minimums for training the churn classifier; below them churn risk is the BG/NBD
// probability of no purchase in the horizon.
const (
	minChurnRows  = 100
	minChurnClass = 20
)

// Result is a scoring run: the model report and every customer's metrics.
type Result struct {
	Model   *cdp.ScoreModel
	Metrics []*cdp.Metrics
}

// models are the fitted parameters a customer's metrics are computed from.
type models struct {
	bg    *clv.BGNBD
	gg    *clv.GammaGamma
	churn *churn.Model
}

// Score fits every model on the customers in acts as of asOf and scores each of them.
// now stamps the run. acts must hold everything up to asOf, events from at least
// EventsSince(asOf, settings) on.
func Score(acts []cdp.CustomerActivity, asOf, now time.Time, settings Settings) (*Result, error) {
	s, err := settings.withDefaults()
	if err != nil {
		return nil, err
	}
	p := newPopulation(acts, &s)
	m := &cdp.ScoreModel{
		Version: modelVersion(asOf, now), AsOf: asOf.UTC(), ComputedAt: now.UTC(), Currency: s.Currency,
		Customers: len(p.subjects), UnconvertedOrders: p.unconverted,
		HorizonDays: s.HorizonDays, AnnualDiscount: s.AnnualDiscount, ChurnHorizonDays: s.ChurnHorizonDays,
		ChurnBandCutoffs: [3]float64{s.Bands.Medium, s.Bands.High, s.Bands.Critical},
	}
	segJSON, err := json.Marshal(s.Segments)
	if err != nil {
		return nil, err
	}
	m.SegmentMapJSON = string(segJSON)

	final := p.stateAt(asOf)
	m.Buyers = len(final.summaries)
	var fitted models
	if final.bg != nil {
		fitted.bg = &final.bg.BGNBD
		m.BGNBD = bgReport(final.bg)
		if gg, err := clv.FitGammaGamma(values(final.summaries)); err == nil {
			fitted.gg = &gg.GammaGamma
			m.GammaGamma = ggReport(&gg)
		} else {
			m.Notes = append(m.Notes, "Gamma-Gamma not fitted: "+err.Error())
		}
	} else if final.bgErr != nil {
		m.Notes = append(m.Notes, "BG/NBD not fitted: "+final.bgErr.Error())
	}
	fitted.churn, m.Churn = p.trainChurn(asOf)
	if fitted.churn != nil {
		b, err := json.Marshal(fitted.churn)
		if err != nil {
			return nil, err
		}
		m.ChurnModelJSON = string(b)
	}

	res := &Result{Model: m, Metrics: make([]*cdp.Metrics, len(p.subjects))}
	for i, sub := range p.subjects {
		res.Metrics[i] = p.metrics(sub, final, fitted, m)
	}
	if err := p.scoreRFM(res.Metrics, &s, m); err != nil {
		return nil, err
	}
	for _, x := range res.Metrics {
		x.Loyalty = loyalty(x)
	}
	m.Cohorts = p.cohorts(asOf)
	return res, nil
}

// ScoreWith scores the customers in acts with an earlier run's parameters, without
// refitting: new activity gets scores between full runs. lastOrders gives the latest
// purchase of the customers' social neighbours.
func ScoreWith(m *cdp.ScoreModel, acts []cdp.CustomerActivity, asOf, now time.Time, lastOrders map[string]time.Time, settings Settings) ([]*cdp.Metrics, error) {
	s, err := settings.withDefaults()
	if err != nil {
		return nil, err
	}
	s.HorizonDays, s.AnnualDiscount, s.ChurnHorizonDays = m.HorizonDays, m.AnnualDiscount, m.ChurnHorizonDays
	s.Bands = churn.Bands{Medium: m.ChurnBandCutoffs[0], High: m.ChurnBandCutoffs[1], Critical: m.ChurnBandCutoffs[2]}
	if m.SegmentMapJSON != "" {
		if err := json.Unmarshal([]byte(m.SegmentMapJSON), &s.Segments); err != nil {
			return nil, fmt.Errorf("score model %s: segment map: %w", m.Version, err)
		}
	}
	var fitted models
	if m.BGNBD != nil {
		fitted.bg = &clv.BGNBD{R: m.BGNBD.Value("r"), Alpha: m.BGNBD.Value("alpha"), A: m.BGNBD.Value("a"), B: m.BGNBD.Value("b")}
	}
	if m.GammaGamma != nil {
		fitted.gg = &clv.GammaGamma{P: m.GammaGamma.Value("p"), Q: m.GammaGamma.Value("q"), Gamma: m.GammaGamma.Value("gamma")}
	}
	if m.ChurnModelJSON != "" {
		fitted.churn = new(churn.Model)
		if err := json.Unmarshal([]byte(m.ChurnModelJSON), fitted.churn); err != nil {
			return nil, fmt.Errorf("score model %s: churn model: %w", m.Version, err)
		}
	}
	p := newPopulation(acts, &s)
	p.lastOrder = lastOrders
	st := &cutState{cut: asOf, summaries: map[string]clv.Summary{}}
	sums, err := clv.Summarize(p.transactions(asOf), asOf.In(s.Location), week)
	if err != nil {
		return nil, err
	}
	for _, x := range sums {
		st.summaries[x.Customer] = x
	}
	out := make([]*cdp.Metrics, len(p.subjects))
	for i, sub := range p.subjects {
		x := p.metrics(sub, st, fitted, &cdp.ScoreModel{Version: m.Version, AsOf: asOf, ComputedAt: now})
		if x.Orders > 0 {
			r, f, mo := m.RFM.Score(x.RFM.RecencyDays, float64(x.RFM.Frequency), x.RFM.Monetary)
			x.RFM.R, x.RFM.F, x.RFM.M = r, f, mo
			x.RFM.Segment = s.Segments.Segment(r, f, mo)
		}
		x.Loyalty = loyalty(x)
		out[i] = x
	}
	return out, nil
}

// metrics computes one customer's scores at st.cut, all but RFM quintiles and loyalty,
// which need the whole population (or stored cut points).
func (p *population) metrics(sub *subject, st *cutState, fm models, run *cdp.ScoreModel) *cdp.Metrics {
	x := &cdp.Metrics{CustomerID: sub.id, AsOf: st.cut.UTC(), ComputedAt: run.ComputedAt.UTC(), ModelVersion: run.Version}
	bought := sub.purchasesUpTo(st.cut)
	g := p.signalsAt(sub, st.cut)
	x.Trend = cdp.Trend{
		MeanIntervalDays: g.meanInterval, IntervalSlope: g.intervalSlope,
		EventsLast30: g.events30, EventsPrevious30: g.eventsPrev30,
		EngagementChange: trend.Ratio(float64(g.events30), float64(g.eventsPrev30)),
		NegativeFeedback: g.negative, Complaints: g.complaints, OpenComplaints: g.open,
		LapsedNeighbours: g.lapsedShare, SocialNeighbours: g.neighbours, SentimentAvg: g.sentiment365,
	}
	if len(bought) == 0 {
		return x
	}
	first, last := bought[0].day, bought[len(bought)-1].day
	x.FirstOrderAt, x.LastOrderAt = &first, &last
	x.Orders = len(bought)
	for _, pu := range bought {
		x.Revenue += pu.amount
	}
	x.Revenue = roundCents(x.Revenue)
	x.RFM = &cdp.RFM{RecencyDays: rfm.RecencyDays(st.cut, last), Frequency: x.Orders, Monetary: x.Revenue}

	sum, ok := st.summaries[sub.id]
	if ok && fm.bg != nil {
		pa := fm.bg.ProbabilityAlive(sum.Frequency, sum.Recency, sum.T)
		e90 := fm.bg.ConditionalExpectedPurchases(90.0/7, sum.Frequency, sum.Recency, sum.T)
		x.PAlive, x.ExpectedPurchases90 = &pa, &e90
		if fm.gg != nil {
			// Without a repeat purchase the model's answer is the population mean.
			spend := fm.gg.ConditionalExpectedSpend(sum.Frequency, sum.MonetaryValue)
			value := clv.CLV(*fm.bg, *fm.gg, sum, float64(p.s.HorizonDays)/7, monthWeeks, monthlyDiscount(p.s.AnnualDiscount))
			spend, value = roundCents(spend), roundCents(value)
			x.ExpectedSpend, x.CLV = &spend, &value
		}
		if fm.churn != nil {
			if f, ok := p.features(sub, st, *fm.bg); ok {
				risk := fm.churn.Predict(f)
				x.ChurnRisk = &risk
			}
		}
		if x.ChurnRisk == nil {
			risk := noPurchaseProbability(*fm.bg, float64(p.s.ChurnHorizonDays)/7, sum)
			x.ChurnRisk = &risk
		}
		x.ChurnBand = p.s.Bands.Band(*x.ChurnRisk)
	}
	return x
}

// trainChurn trains the churn classifier on the data's own history with a time-based
// split: features at asOf − 2H labelled by purchases in the H days after, tested on
// features at asOf − H labelled by the H days up to asOf, then retrained on that most
// recent labelled period to score asOf. Without enough history it returns nil and churn
// risk is the BG/NBD probability of no purchase in the horizon.
func (p *population) trainChurn(asOf time.Time) (*churn.Model, *cdp.ChurnFit) {
	h := time.Duration(p.s.ChurnHorizonDays) * day
	fit := &cdp.ChurnFit{TrainCutoff: asOf.Add(-2 * h).UTC(), TestCutoff: asOf.Add(-h).UTC(), Features: churnFeatures,
		Method: fallbackMethod}
	train, trainErr := p.labelled(asOf.Add(-2*h), h)
	test, testErr := p.labelled(asOf.Add(-h), h)
	fit.TrainCustomers, fit.TrainChurnRate = len(train.y), rate(train.y)
	fit.TestCustomers, fit.TestChurnRate = len(test.y), rate(test.y)
	if trainErr != nil || testErr != nil {
		fit.Note = "not enough history for a classifier: " + joinErrors(trainErr, testErr)
		return nil, fit
	}
	first, err := churn.Train(train.x, train.y, churnFeatures, churn.Options{})
	if err != nil {
		fit.Note = "classifier not trained: " + err.Error()
		return nil, fit
	}
	scores, err := first.PredictAll(test.x)
	if err != nil {
		fit.Note = "classifier not tested: " + err.Error()
		return nil, fit
	}
	fit.AUC = churn.AUC(scores, test.y)
	baseline := make([]float64, len(test.x))
	for i, f := range test.x {
		baseline[i] = f[1] // p_no_purchase
	}
	fit.BaselineAUC = churn.AUC(baseline, test.y)
	final, err := churn.Train(test.x, test.y, churnFeatures, churn.Options{})
	if err != nil {
		fit.Note = "classifier not retrained: " + err.Error()
		return nil, fit
	}
	fit.Method = "logistic regression"
	for _, c := range churn.Coefficients(final) {
		fit.Coefficients = append(fit.Coefficients, cdp.Parameter{Name: c.Feature, Value: c.Weight})
	}
	return final, fit
}

type labelledSet struct {
	x [][]float64
	y []bool // churned: no purchase in the horizon after the cut-off
}

func (p *population) labelled(cut time.Time, h time.Duration) (labelledSet, error) {
	var set labelledSet
	st := p.stateAt(cut)
	if st.bg == nil {
		return set, fmt.Errorf("as of %s: %w", cut.Format(time.DateOnly), st.bgErr)
	}
	for _, sub := range p.subjects {
		f, ok := p.features(sub, st, st.bg.BGNBD)
		if !ok {
			continue
		}
		set.x = append(set.x, f)
		set.y = append(set.y, !sub.boughtBetween(cut, cut.Add(h)))
	}
	churned := 0
	for _, y := range set.y {
		if y {
			churned++
		}
	}
	switch {
	case len(set.y) < minChurnRows:
		return set, fmt.Errorf("as of %s: %d buyers, need %d", cut.Format(time.DateOnly), len(set.y), minChurnRows)
	case churned < minChurnClass || len(set.y)-churned < minChurnClass:
		return set, fmt.Errorf("as of %s: %d churned and %d retained, need %d of each", cut.Format(time.DateOnly), churned, len(set.y)-churned, minChurnClass)
	}
	return set, nil
}

// scoreRFM ranks the buyers against each other and stores the cut points in the run so
// later customers can be placed without re-ranking.
func (p *population) scoreRFM(ms []*cdp.Metrics, s *Settings, m *cdp.ScoreModel) error {
	var in []rfm.Customer
	var idx []int
	for i, x := range ms {
		if x.RFM != nil {
			in = append(in, rfm.Customer{ID: x.CustomerID, Recency: x.RFM.RecencyDays, Frequency: x.RFM.Frequency, Monetary: x.RFM.Monetary})
			idx = append(idx, i)
		}
	}
	scores, err := rfm.ScoreAll(in, s.Segments)
	if err != nil {
		return err
	}
	cuts := cdp.RFMCuts{Recency: nanSlice(5), Frequency: nanSlice(5), Monetary: nanSlice(5)}
	for k, sc := range scores {
		r := ms[idx[k]].RFM
		r.R, r.F, r.M, r.Segment = sc.R, sc.F, sc.M, sc.Segment
		// Recency: the highest "days since" that still earns each score; F and M: the lowest value.
		if v := cuts.Recency[sc.R-1]; math.IsNaN(v) || r.RecencyDays > v {
			cuts.Recency[sc.R-1] = r.RecencyDays
		}
		if v := cuts.Frequency[sc.F-1]; math.IsNaN(v) || float64(r.Frequency) < v {
			cuts.Frequency[sc.F-1] = float64(r.Frequency)
		}
		if v := cuts.Monetary[sc.M-1]; math.IsNaN(v) || r.Monetary < v {
			cuts.Monetary[sc.M-1] = r.Monetary
		}
	}
	// A quintile nobody fell in (fewer than five distinct values) can never be reached.
	for q := range 5 {
		if math.IsNaN(cuts.Recency[q]) {
			cuts.Recency[q] = -1
		}
		if math.IsNaN(cuts.Frequency[q]) {
			cuts.Frequency[q] = math.MaxFloat64
		}
		if math.IsNaN(cuts.Monetary[q]) {
			cuts.Monetary[q] = math.MaxFloat64
		}
	}
	m.RFM = cuts
	return nil
}

// loyalty is a 0–100 summary for people who want one number: half how likely the
// customer is to stay (1 − churn risk), half how much they buy relative to the others
// (F and M quintiles). Nil without a purchase.
func loyalty(x *cdp.Metrics) *float64 {
	if x.RFM == nil || x.ChurnRisk == nil || x.RFM.F == 0 {
		return nil
	}
	depth := float64(x.RFM.F-1+x.RFM.M-1) / 8
	v := math.Round(1000*(0.5*(1-*x.ChurnRisk)+0.5*depth)) / 10
	return &v
}

// cohorts groups buyers by the month of their first purchase and gives the share of each
// cohort buying in each following month, up to asOf.
func (p *population) cohorts(asOf time.Time) []cdp.Cohort {
	type agg struct {
		c      cdp.Cohort
		active []int
	}
	end := asOf.In(p.s.Location)
	endIndex := end.Year()*12 + int(end.Month()) - 1
	byMonth := map[int]*agg{}
	for _, sub := range p.subjects {
		bought := sub.purchasesUpTo(asOf)
		if len(bought) == 0 {
			continue
		}
		f := bought[0].day.In(p.s.Location)
		start := f.Year()*12 + int(f.Month()) - 1
		a := byMonth[start]
		if a == nil {
			a = &agg{c: cdp.Cohort{Month: f.Format("2006-01")}, active: make([]int, endIndex-start+1)}
			byMonth[start] = a
		}
		a.c.Customers++
		seen := map[int]bool{}
		for _, pu := range bought {
			d := pu.day.In(p.s.Location)
			k := d.Year()*12 + int(d.Month()) - 1 - start
			a.c.Revenue += pu.amount
			if !seen[k] && k < len(a.active) {
				seen[k] = true
				a.active[k]++
			}
		}
	}
	keys := make([]int, 0, len(byMonth))
	for k := range byMonth {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	out := make([]cdp.Cohort, 0, len(keys))
	for _, k := range keys {
		a := byMonth[k]
		a.c.Revenue = roundCents(a.c.Revenue)
		for _, n := range a.active {
			a.c.Retained = append(a.c.Retained, math.Round(10000*float64(n)/float64(a.c.Customers))/10000)
		}
		out = append(out, a.c)
	}
	return out
}

// EventsSince is how far back the scoring run needs behaviour events: the engagement
// windows of the earliest training cut-off.
func EventsSince(asOf time.Time, settings Settings) time.Time {
	s, _ := settings.withDefaults()
	return asOf.Add(-time.Duration(2*s.ChurnHorizonDays+60) * day)
}

func modelVersion(asOf, now time.Time) string {
	return asOf.UTC().Format("2006-01-02") + "@" + now.UTC().Format("20060102T150405Z")
}

func bgReport(f *clv.BGNBDFit) *cdp.ModelFit {
	return &cdp.ModelFit{Name: "BG/NBD", LogLikelihood: f.LogLikelihood, Customers: f.Customers, Parameters: []cdp.Parameter{
		{Name: "r", Value: f.R, StdError: f.StdErr.R}, {Name: "alpha", Value: f.Alpha, StdError: f.StdErr.Alpha},
		{Name: "a", Value: f.A, StdError: f.StdErr.A}, {Name: "b", Value: f.B, StdError: f.StdErr.B},
	}}
}

func ggReport(f *clv.GammaGammaFit) *cdp.ModelFit {
	return &cdp.ModelFit{Name: "Gamma-Gamma", LogLikelihood: f.LogLikelihood, Customers: f.Customers, Parameters: []cdp.Parameter{
		{Name: "p", Value: f.P, StdError: f.StdErr.P}, {Name: "q", Value: f.Q, StdError: f.StdErr.Q},
		{Name: "gamma", Value: f.Gamma, StdError: f.StdErr.Gamma},
	}}
}

// CLV is summed in monthly steps of the models' weekly periods.
const monthWeeks = 365.25 / 12 / 7

// monthlyDiscount converts an annual discount rate to one month.
func monthlyDiscount(annual float64) float64 { return math.Pow(1+annual, 1.0/12) - 1 }

func roundCents(x float64) float64 { return math.Round(x*100) / 100 }

func rate(y []bool) float64 {
	if len(y) == 0 {
		return 0
	}
	n := 0
	for _, v := range y {
		if v {
			n++
		}
	}
	return float64(n) / float64(len(y))
}

func nanSlice(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}
