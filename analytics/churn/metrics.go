package churn

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"
)

// AUC is the area under the ROC curve: the probability that a randomly chosen positive
// scores higher than a randomly chosen negative, ties counting one half (the Mann–Whitney
// U statistic divided by the number of pairs). 1 is a perfect ranking, 0.5 no better than
// chance, 0 perfectly inverted. It sorts once, so it costs O(n log n).
//
// It returns NaN when it is undefined or the input is bad: no positives or no negatives,
// lengths that differ, or a NaN score.
func AUC(scores []float64, positives []bool) float64 {
	n := len(scores)
	if len(positives) != n {
		return math.NaN()
	}
	order := make([]int, n)
	for i, s := range scores {
		if math.IsNaN(s) {
			return math.NaN()
		}
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return scores[order[a]] < scores[order[b]] })
	// Sum of the 1-based ranks of the positives, each tied block sharing its average rank.
	var rankSum float64
	pos := 0
	for s := 0; s < n; {
		e, p := s, 0
		for e < n && scores[order[e]] == scores[order[s]] {
			if positives[order[e]] {
				p++
			}
			e++
		}
		rankSum += float64(p) * float64(s+1+e) / 2
		pos += p
		s = e
	}
	neg := n - pos
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	u := rankSum - float64(pos)*float64(pos+1)/2
	return u / (float64(pos) * float64(neg))
}

// probFloor keeps the log loss of a confident mistake large but finite.
const probFloor = 1e-15

// LogLoss is the mean negative log likelihood of the outcomes under the predicted
// probabilities (lower is better; always guessing the base rate p scores the entropy
// −p·log p − (1−p)·log(1−p)). Probabilities are clipped to [1e-15, 1−1e-15] so one confident
// mistake cannot make it infinite. NaN for empty or mismatched input or a NaN probability.
func LogLoss(probs []float64, outcomes []bool) float64 {
	if len(probs) == 0 || len(probs) != len(outcomes) {
		return math.NaN()
	}
	var s float64
	for i, p := range probs {
		p = min(max(p, probFloor), 1-probFloor)
		if outcomes[i] {
			s -= math.Log(p)
		} else {
			s -= math.Log1p(-p)
		}
	}
	return s / float64(len(probs))
}

// Brier is the mean squared difference between probability and outcome (0 perfect,
// 0.25 for always guessing ½). Unlike AUC it rewards calibration, not just ranking. NaN
// for empty or mismatched input.
func Brier(probs []float64, outcomes []bool) float64 {
	if len(probs) == 0 || len(probs) != len(outcomes) {
		return math.NaN()
	}
	var s float64
	for i, p := range probs {
		d := p
		if outcomes[i] {
			d = p - 1
		}
		s += d * d
	}
	return s / float64(len(probs))
}

// Metrics summarises how well a model predicts a set of rows.
type Metrics struct {
	N         int     `json:"n"`
	Positives int     `json:"positives"`
	AUC       float64 `json:"auc"`
	LogLoss   float64 `json:"log_loss"`
	Brier     float64 `json:"brier"`
}

// Evaluate predicts every row of x with m and scores the predictions against y. AUC is
// NaN if y holds only one class.
func Evaluate(m *Model, x [][]float64, y []bool) (Metrics, error) {
	if len(x) != len(y) {
		return Metrics{}, fmt.Errorf("churn: x has %d rows but y has %d labels: row %d has no partner", len(x), len(y), min(len(x), len(y)))
	}
	if len(x) == 0 {
		return Metrics{}, errors.New("churn: no rows to evaluate")
	}
	probs, err := m.PredictAll(x)
	if err != nil {
		return Metrics{}, err
	}
	mt := Metrics{N: len(y), AUC: AUC(probs, y), LogLoss: LogLoss(probs, y), Brier: Brier(probs, y)}
	for _, v := range y {
		if v {
			mt.Positives++
		}
	}
	return mt, nil
}

// SplitByTime divides rows for a backtest by their snapshot times. A row's label is
// whether the customer churned within horizon after its snapshot, so a row is only fit to
// train on if that window closed before the cutoff: otherwise its label would reveal the
// test period. Rows with snapshot+horizon <= cutoff go to train, rows with snapshot >=
// cutoff to test, and rows in between, whose windows straddle the cutoff, to neither. The
// index lists are in input order. The caller must make sure test rows' own windows have
// closed by the time the labels were computed.
func SplitByTime(snapshots []time.Time, cutoff time.Time, horizon time.Duration) (train, test []int) {
	for i, t := range snapshots {
		switch {
		case !t.Add(horizon).After(cutoff):
			train = append(train, i)
		case !t.Before(cutoff):
			test = append(test, i)
		}
	}
	return train, test
}
