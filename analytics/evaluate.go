package analytics

import (
	"fmt"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/analytics/churn"
	"github.com/cdpgraph/cdpgraph/analytics/clv"
)

// CLVEvaluation compares the purchase models, fitted on a calibration period, with what
// happened in the holdout period after it.
type CLVEvaluation struct {
	Customers    int // who bought in the calibration period
	RepeatBuyers int
	BGNBD        *cdp.ModelFit
	GammaGamma   *cdp.ModelFit
	HoldoutWeeks float64

	PredictedRepeat float64 // expected repeat purchase days in the holdout, all customers
	ActualRepeat    int
	ByFrequency     []FrequencyRow

	// AUCs against "no purchase in the holdout".
	PAliveAUC float64
	ChurnAUC  float64
	Churn     *cdp.ChurnFit // how churn risk was made, with its own in-sample time-split test
}

// FrequencyRow groups customers by their repeat purchases in the calibration period.
type FrequencyRow struct {
	Frequency string // "0".."6", "7+"
	Customers int
	Predicted float64 // mean holdout repeat purchases per customer
	Actual    float64
}

// EvaluateCLV fits the models on transactions up to calibrationEnd and checks their
// predictions for (calibrationEnd, holdoutEnd], through the same code as scoring. Churn
// risk here is the scoring job's classifier with the holdout length as its horizon; with
// too little history before calibrationEnd it falls back to the BG/NBD
// probability of no purchase, as scoring does.
func EvaluateCLV(tx []clv.Transaction, calibrationEnd, holdoutEnd time.Time, settings Settings) (*CLVEvaluation, error) {
	if !holdoutEnd.After(calibrationEnd) {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "holdoutEnd", Message: "must be after the calibration end"}
	}
	s := settings
	s.ChurnHorizonDays = int(holdoutEnd.Sub(calibrationEnd).Hours()/24 + 0.5)
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	acts := map[string]*cdp.CustomerActivity{}
	var order []string
	for _, t := range tx {
		a := acts[t.Customer]
		if a == nil {
			a = &cdp.CustomerActivity{CustomerID: t.Customer}
			acts[t.Customer] = a
			order = append(order, t.Customer)
		}
		a.Orders = append(a.Orders, cdp.OrderFact{At: t.At, Amount: fmt.Sprintf("%.4f", t.Amount), Currency: s.Currency})
	}
	list := make([]cdp.CustomerActivity, len(order))
	for i, id := range order {
		list[i] = *acts[id]
	}
	p := newPopulation(list, &s)
	st := p.stateAt(calibrationEnd)
	if st.bg == nil {
		return nil, fmt.Errorf("BG/NBD: %w", st.bgErr)
	}
	ev := &CLVEvaluation{Customers: len(st.summaries), BGNBD: bgReport(st.bg),
		HoldoutWeeks: clv.PeriodsBetween(calibrationEnd.In(s.Location), holdoutEnd.In(s.Location), week)}
	if gg, err := clv.FitGammaGamma(values(st.summaries)); err == nil {
		ev.GammaGamma = ggReport(&gg)
	}
	holdout := clv.HoldoutCounts(p.transactions(holdoutEnd), calibrationEnd.In(s.Location), holdoutEnd.In(s.Location))
	model, fit := p.trainChurn(calibrationEnd)
	ev.Churn = fit

	// Predicted vs actual, in total and by calibration frequency, as in the paper's figure.
	const top = 7
	hold := clv.CompareHoldout(st.bg.BGNBD, values(st.summaries), holdout, ev.HoldoutWeeks, top)
	ev.PredictedRepeat, ev.ActualRepeat = hold.Predicted, int(hold.Actual)
	for _, b := range hold.Buckets {
		row := FrequencyRow{Frequency: fmt.Sprint(b.Frequency), Customers: b.Customers}
		if b.Frequency == top {
			row.Frequency = fmt.Sprintf("%d+", top)
		}
		if b.Customers > 0 {
			row.Predicted, row.Actual = b.MeanPredicted(), b.MeanActual()
		}
		ev.ByFrequency = append(ev.ByFrequency, row)
	}

	// Churn: AUC of 1 − P(alive) and of churn risk against no purchase in the holdout.
	var pAlive, risk []float64
	var gone []bool
	for _, sub := range p.subjects {
		sum, ok := st.summaries[sub.id]
		if !ok {
			continue
		}
		if sum.Frequency > 0 {
			ev.RepeatBuyers++
		}
		r := noPurchaseProbability(st.bg.BGNBD, ev.HoldoutWeeks, sum)
		if model != nil {
			if f, ok := p.features(sub, st, st.bg.BGNBD); ok {
				r = model.Predict(f)
			}
		}
		pAlive = append(pAlive, 1-st.bg.ProbabilityAlive(sum.Frequency, sum.Recency, sum.T))
		risk = append(risk, r)
		gone = append(gone, holdout[sub.id] == 0)
	}
	ev.PAliveAUC = churn.AUC(pAlive, gone)
	ev.ChurnAUC = churn.AUC(risk, gone)
	return ev, nil
}
