package analytics

import (
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/analytics/clv"
	sim "github.com/cdpgraph/cdpgraph/analytics/simulate"
)

var asOf = time.Date(2026, 6, 30, 23, 59, 59, 0, time.UTC)

func simulate(n int, seed uint64) []cdp.CustomerActivity { return sim.Company(n, seed, asOf) }

func TestScoreSimulatedCompany(t *testing.T) {
	acts := simulate(4000, 1)
	now := asOf.Add(time.Hour)
	res, err := Score(acts, asOf, now, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Model
	if m.Customers != 4000 || m.Buyers == 0 || m.Buyers >= 4000 {
		t.Fatalf("customers %d buyers %d", m.Customers, m.Buyers)
	}
	if m.BGNBD == nil || m.GammaGamma == nil {
		t.Fatalf("models not fitted: %v", m.Notes)
	}
	c := m.Churn
	t.Logf("churn: %s %s; train %d (rate %.2f) test %d (rate %.2f); AUC %.3f, BG/NBD alone %.3f",
		c.Method, c.Note, c.TrainCustomers, c.TrainChurnRate, c.TestCustomers, c.TestChurnRate, c.AUC, c.BaselineAUC)
	if c.Method != "logistic regression" {
		t.Fatalf("classifier not trained: %s", c.Note)
	}
	// Browsing and complaints carry signal the purchase model cannot see.
	if c.AUC < 0.8 || c.AUC <= c.BaselineAUC {
		t.Errorf("classifier AUC %.3f (baseline %.3f): the behaviour signals should help", c.AUC, c.BaselineAUC)
	}
	segments := map[string]int{}
	bands := map[string]int{}
	for i, x := range res.Metrics {
		if x.CustomerID != acts[i].CustomerID && x.CustomerID != fmt.Sprintf("cus_%07d", i) {
			t.Fatalf("metrics out of order at %d", i)
		}
		if x.Orders == 0 {
			if x.RFM != nil || x.CLV != nil || x.ChurnRisk != nil || x.ChurnBand != "" || x.Loyalty != nil {
				t.Errorf("%s has no purchase but has scores: %+v", x.CustomerID, x)
			}
			continue
		}
		if x.RFM == nil || x.RFM.R < 1 || x.RFM.F < 1 || x.RFM.M < 1 || x.RFM.Segment == "" {
			t.Fatalf("%s: RFM %+v", x.CustomerID, x.RFM)
		}
		if x.PAlive == nil || *x.PAlive < 0 || *x.PAlive > 1 || x.CLV == nil || *x.CLV < 0 || x.ChurnRisk == nil {
			t.Fatalf("%s: pAlive %v clv %v churn %v", x.CustomerID, x.PAlive, x.CLV, x.ChurnRisk)
		}
		if x.Loyalty == nil || *x.Loyalty < 0 || *x.Loyalty > 100 {
			t.Fatalf("%s: loyalty %v", x.CustomerID, x.Loyalty)
		}
		segments[x.RFM.Segment]++
		bands[x.ChurnBand]++
	}
	t.Logf("segments %v; bands %v", segments, bands)
	if len(segments) < 8 || len(bands) < 3 {
		t.Errorf("too few segments or bands in use: %v %v", segments, bands)
	}
	if len(m.Cohorts) < 12 {
		t.Fatalf("%d cohorts", len(m.Cohorts))
	}
	for _, co := range m.Cohorts {
		if co.Retained[0] != 1 {
			t.Errorf("cohort %s: month 0 retention %v, want 1 (everyone bought in their first month)", co.Month, co.Retained[0])
		}
	}
}

// TestScoreWithMatchesFullRun: scoring customers one batch at a time with a run's stored
// parameters gives them the same scores as the run itself.
func TestScoreWithMatchesFullRun(t *testing.T) {
	acts := simulate(1500, 2)
	now := asOf.Add(time.Hour)
	res, err := Score(acts, asOf, now, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	// Store and reload the model as the store would.
	lastOrders := map[string]time.Time{}
	for _, x := range res.Metrics {
		if x.LastOrderAt != nil {
			lastOrders[x.CustomerID] = *x.LastOrderAt
		}
	}
	want := map[string]*cdp.Metrics{}
	for _, x := range res.Metrics {
		want[x.CustomerID] = x
	}
	for i := 0; i < len(acts); i += 300 {
		got, err := ScoreWith(res.Model, acts[i:min(i+300, len(acts))], asOf, now, lastOrders, Settings{})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range got {
			w := want[g.CustomerID]
			if !same(g.PAlive, w.PAlive) || !same(g.CLV, w.CLV) || !same(g.ChurnRisk, w.ChurnRisk) || !same(g.Loyalty, w.Loyalty) || g.ChurnBand != w.ChurnBand {
				t.Fatalf("%s: incremental %v/%v/%v/%v/%s, full %v/%v/%v/%v/%s", g.CustomerID,
					deref(g.PAlive), deref(g.CLV), deref(g.ChurnRisk), deref(g.Loyalty), g.ChurnBand,
					deref(w.PAlive), deref(w.CLV), deref(w.ChurnRisk), deref(w.Loyalty), w.ChurnBand)
			}
			if (g.RFM == nil) != (w.RFM == nil) || (g.RFM != nil && *g.RFM != *w.RFM) {
				t.Fatalf("%s: RFM incremental %+v, full %+v", g.CustomerID, g.RFM, w.RFM)
			}
		}
	}
}

func same(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(*a-*b) <= 1e-9*math.Max(1, math.Abs(*b))
}

func deref(f *float64) float64 {
	if f == nil {
		return math.NaN()
	}
	return *f
}

// TestShortHistoryFallsBack: with less history than two churn horizons there is nothing
// to train a classifier on; churn risk is then the BG/NBD probability of no purchase.
func TestShortHistoryFallsBack(t *testing.T) {
	acts := simulate(3000, 3)
	for i := range acts {
		var keep []cdp.OrderFact
		for _, o := range acts[i].Orders {
			if o.At.After(asOf.AddDate(0, -5, 0)) {
				keep = append(keep, o)
			}
		}
		acts[i].Orders = keep
	}
	res, err := Score(acts, asOf, asOf, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Model.BGNBD == nil {
		t.Fatalf("BG/NBD not fitted: %v", res.Model.Notes)
	}
	if res.Model.Churn.Method != fallbackMethod || res.Model.Churn.Note == "" || res.Model.ChurnModelJSON != "" {
		t.Fatalf("churn fit %+v", res.Model.Churn)
	}
	for _, x := range res.Metrics {
		if x.Orders > 0 && (x.ChurnRisk == nil || x.ChurnBand == "") {
			t.Fatalf("%s: no churn risk without a classifier", x.CustomerID)
		}
	}
}

func TestScoreEmptyAndNoBuyers(t *testing.T) {
	res, err := Score(nil, asOf, asOf, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Model.Customers != 0 || len(res.Metrics) != 0 || res.Model.BGNBD != nil || len(res.Model.Notes) == 0 {
		t.Fatalf("empty run: %+v", res.Model)
	}
	res, err = Score([]cdp.CustomerActivity{{CustomerID: "a"}, {CustomerID: "b"}}, asOf, asOf, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Model.Buyers != 0 || res.Metrics[0].RFM != nil {
		t.Fatalf("prospects only: %+v", res.Model)
	}
}

func TestCurrencyConversion(t *testing.T) {
	acts := []cdp.CustomerActivity{{CustomerID: "a", Orders: []cdp.OrderFact{
		{At: asOf.AddDate(0, -1, -1).Add(-10 * time.Hour), Amount: "10.00", Currency: "USD"},
		{At: asOf.AddDate(0, -1, -1).Add(-9 * time.Hour), Amount: "5.00", Currency: "CNY"}, // same day: one purchase
		{At: asOf.AddDate(0, -2, 0), Amount: "99.00", Currency: "XAU"},                     // no rate
	}}}
	res, err := Score(acts, asOf, asOf, Settings{Rates: map[string]float64{"USD": 7}})
	if err != nil {
		t.Fatal(err)
	}
	x := res.Metrics[0]
	if x.Orders != 1 || x.Revenue != 75 || res.Model.UnconvertedOrders != 1 {
		t.Fatalf("orders %d revenue %v unconverted %d; want 1, 75 (10 USD at 7 + 5 CNY), 1", x.Orders, x.Revenue, res.Model.UnconvertedOrders)
	}
}

func TestSettingsValidation(t *testing.T) {
	for _, s := range []Settings{{HorizonDays: -1}, {ChurnHorizonDays: 3}, {AnnualDiscount: 1.5}, {PageSize: -2}} {
		if _, err := Score(nil, asOf, asOf, s); err == nil {
			t.Errorf("%+v accepted", s)
		}
	}
	if r := DefaultRatesIn("USD"); r["USD"] != 1 || math.Abs(r["CNY"]-1/7.1) > 1e-12 {
		t.Errorf("rates rebased to USD: USD %v CNY %v", r["USD"], r["CNY"])
	}
	if _, err := Score(nil, asOf, asOf, Settings{Currency: "USD", Rates: map[string]float64{"USD": 7}}); err == nil {
		t.Error("a reporting currency with a rate other than 1 was accepted")
	}
	if _, err := ParseRates("USD=7.1, eur=7.7"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"USD", "USD=x", "USD=-1", "DOLLAR=1"} {
		if _, err := ParseRates(bad); err == nil {
			t.Errorf("ParseRates(%q) accepted", bad)
		}
	}
}

// TestCDNOWThroughTheProductPath fits CDNOW through EvaluateCLV, the code `cdpgraph eval
// clv` and scoring use (currency conversion, day collapsing, summaries, fit), and checks
// the published estimates of Fader, Hardie and Lee (2005) and Fader and Hardie (2013).
func TestCDNOWThroughTheProductPath(t *testing.T) {
	f, err := os.Open("clv/testdata/CDNOW_sample.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tx, err := clv.ReadCDNOW(f)
	if err != nil {
		t.Fatal(err)
	}
	cal := time.Date(1997, 9, 30, 23, 59, 59, 0, time.UTC)
	hold := time.Date(1998, 6, 30, 23, 59, 59, 0, time.UTC)
	ev, err := EvaluateCLV(tx, cal, hold, Settings{Currency: "USD"})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Customers != 2357 {
		t.Fatalf("%d customers, want 2357", ev.Customers)
	}
	check := func(fit *cdp.ModelFit, want map[string]float64) {
		t.Helper()
		for name, w := range want {
			if got := fit.Value(name); math.Abs(got-w)/math.Abs(w) > 0.005 {
				t.Errorf("%s %s = %.4f, published %.4f", fit.Name, name, got, w)
			}
		}
	}
	check(ev.BGNBD, map[string]float64{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
	if math.Abs(ev.BGNBD.LogLikelihood+9582.4)/9582.4 > 0.005 {
		t.Errorf("log-likelihood %.2f, published -9582.4", ev.BGNBD.LogLikelihood)
	}
	check(ev.GammaGamma, map[string]float64{"p": 6.25, "q": 3.74, "gamma": 15.44})
	t.Logf("holdout: predicted %.1f, actual %d; AUC 1-P(alive) %.3f, churn risk %.3f (%s)",
		ev.PredictedRepeat, ev.ActualRepeat, ev.PAliveAUC, ev.ChurnAUC, ev.Churn.Method)
	if ev.ChurnAUC < 0.7 {
		t.Errorf("churn risk AUC %.3f on the holdout", ev.ChurnAUC)
	}
	if r := ev.PredictedRepeat / float64(ev.ActualRepeat); r < 0.8 || r > 1.2 {
		t.Errorf("predicted %.0f repeat purchases, actual %d", ev.PredictedRepeat, ev.ActualRepeat)
	}
}

func TestVoice(t *testing.T) {
	day := func(d int) time.Time { return asOf.AddDate(0, 0, d) }
	fb := []*cdp.Feedback{
		{Kind: "review", CreatedAt: day(-90), Sentiment: &cdp.Sentiment{Score: 0.8, Aspects: []cdp.AspectSentiment{{Aspect: "quality", Score: 0.9, Label: "positive"}}}},
		{Kind: "review", CreatedAt: day(-60), Sentiment: &cdp.Sentiment{Score: 0.2}},
		{Kind: "complaint", Status: "open", CreatedAt: day(-10), Sentiment: &cdp.Sentiment{Score: -0.9, Complaint: true,
			Aspects: []cdp.AspectSentiment{{Aspect: "delivery", Score: -0.8, Label: "negative"}, {Aspect: "quality", Score: -0.5, Label: "negative"}}}},
		{Kind: "survey", CreatedAt: day(-5)}, // a score without text
	}
	v := Voice(fb, nil)
	if v.Feedback != 4 || v.Scored != 3 || v.Complaints != 1 || v.OpenComplaints != 1 || v.LastComplaint != fb[2] {
		t.Fatalf("voice %+v", v)
	}
	if v.AverageSentiment == nil || math.Abs(*v.AverageSentiment-(0.8+0.2-0.9)/3) > 1e-3 {
		t.Errorf("average %v", v.AverageSentiment)
	}
	if v.Trend == nil || *v.Trend >= 0 {
		t.Errorf("trend %v, want negative: the customer is getting unhappier", v.Trend)
	}
	if len(v.Aspects) != 2 || v.Aspects[0].Aspect != "quality" || v.Aspects[0].Mentions != 2 || v.Aspects[0].Negative != 1 {
		t.Errorf("aspects %+v", v.Aspects)
	}
	if empty := Voice(nil, nil); empty.AverageSentiment != nil || empty.Trend != nil || empty.LastComplaint != nil {
		t.Errorf("no feedback: %+v", empty)
	}
}

// The 360's voice carries the recent sentiment the detractor listings use, next to the
// all-time average: a customer happy long ago and unhappy lately is a detractor, and says so.
func TestVoiceSaysWhetherTheRecentSentimentMakesADetractor(t *testing.T) {
	fb := []*cdp.Feedback{{CreatedAt: asOf.AddDate(-2, 0, 0), Sentiment: &cdp.Sentiment{Score: 0.9}},
		{CreatedAt: asOf.AddDate(0, -1, 0), Sentiment: &cdp.Sentiment{Score: -0.7}}}
	recent := -0.7
	v := Voice(fb, &cdp.Metrics{Trend: cdp.Trend{SentimentAvg: &recent}})
	if *v.AverageSentiment != 0.1 || v.RecentSentiment == nil || *v.RecentSentiment != recent || !v.Detractor {
		t.Fatalf("voice %+v: want average 0.1, recent -0.7, a detractor", v)
	}
	mild := cdp.DetractorSentiment + 0.01
	if v := Voice(fb, &cdp.Metrics{Trend: cdp.Trend{SentimentAvg: &mild}}); v.Detractor {
		t.Fatalf("recent %v is above the line %v", mild, cdp.DetractorSentiment)
	}
	if v := Voice(fb, nil); v.RecentSentiment != nil || v.Detractor {
		t.Fatalf("unscored: %+v", v)
	}
}
