package churn

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// simulate draws n rows from a known logistic model in raw units.
func simulate(rng *rand.Rand, n int, intercept float64, weights []float64) ([][]float64, []bool) {
	x := make([][]float64, n)
	y := make([]bool, n)
	for i := range x {
		row := []float64{
			10 + 3*rng.NormFloat64(), // mean 10, sd 3
			rng.NormFloat64(),        // standard normal
			5 * rng.ExpFloat64(),     // skewed, sd 5
			0,                        // binary, p = 0.3
		}
		if rng.Float64() < 0.3 {
			row[3] = 1
		}
		eta := intercept
		for j, w := range weights {
			eta += w * row[j]
		}
		x[i] = row
		y[i] = rng.Float64() < sigmoid(eta)
	}
	return x, y
}

func TestTrainRecoversCoefficients(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 7))
	trueB0, trueW := -4.5, []float64{0.4, -1.0, 0.1, 1.5}
	x, y := simulate(rng, 20000, trueB0, trueW)
	m, err := Train(x, y, []string{"a", "b", "c", "d"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Training.Converged || m.Training.Iterations > 15 || m.Training.N != 20000 {
		t.Errorf("training: %+v", m.Training)
	}
	// On the standardised scale every coefficient's standard error is about 0.02 here;
	// allow five.
	for j, w := range trueW {
		want := w * m.Scale[j]
		if got := m.Coefficients[j]; math.Abs(got-want) > 0.1 {
			t.Errorf("feature %d: standardised coefficient %.3f, want %.3f", j, got, want)
		}
	}
	b0, raw := m.Unstandardized()
	if math.Abs(b0-trueB0) > 0.25 {
		t.Errorf("raw intercept %.3f, want %.3f", b0, trueB0)
	}
	for j, w := range trueW {
		if math.Abs(raw[j]-w) > 0.1/m.Scale[j] {
			t.Errorf("feature %d: raw weight %.3f, want %.3f", j, raw[j], w)
		}
	}
	// The fit is the optimum: the penalised gradient vanishes.
	grad := make([]float64, 5)
	for i, row := range x {
		r := m.Predict(row)
		if y[i] {
			r--
		}
		grad[0] += r
		for j := range 4 {
			grad[j+1] += r * (row[j] - m.Mean[j]) / m.Scale[j]
		}
	}
	for j := range 4 {
		grad[j+1] += m.Lambda * m.Coefficients[j]
	}
	for j, g := range grad {
		if math.Abs(g) > 1e-6 {
			t.Errorf("gradient[%d] = %g at the fit", j, g)
		}
	}
	// Held out data from the same model: the fit ranks well and is calibrated.
	xt, yt := simulate(rng, 5000, trueB0, trueW)
	mt, err := Evaluate(m, xt, yt)
	if err != nil {
		t.Fatal(err)
	}
	if mt.AUC < 0.75 || mt.LogLoss > 0.6 || mt.Brier > 0.2 {
		t.Errorf("held-out metrics %+v", mt)
	}
	cs := Coefficients(m)
	if len(cs) != 4 || cs[1].Feature != "b" || cs[1].Weight >= 0 || math.Abs(cs[1].OddsRatioPerSD-math.Exp(cs[1].Weight)) > 1e-12 ||
		math.Abs(cs[2].PerUnit-raw[2]) > 1e-12 || cs[0].Ignored {
		t.Errorf("coefficients %+v", cs)
	}
}

func TestTrainConstantFeature(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	n := 500
	x := make([][]float64, n)
	y := make([]bool, n)
	for i := range x {
		v := rng.NormFloat64()
		x[i] = []float64{0.1, v, 0}
		y[i] = rng.Float64() < sigmoid(2*v)
	}
	m, err := Train(x, y, []string{"const", "signal", "zero"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Scale[0] != 0 || m.Coefficients[0] != 0 || m.Scale[2] != 0 || m.Coefficients[2] != 0 {
		t.Errorf("constant features used: scale %v coefficients %v", m.Scale, m.Coefficients)
	}
	if m.Coefficients[1] < 1 {
		t.Errorf("signal coefficient %v", m.Coefficients[1])
	}
	if p, q := m.Predict([]float64{0.1, 1, 0}), m.Predict([]float64{99, 1, -5}); p != q || math.IsNaN(p) {
		t.Errorf("ignored features change the prediction: %v vs %v", p, q)
	}
	if cs := Coefficients(m); !cs[0].Ignored || cs[0].OddsRatioPerSD != 1 || cs[1].Ignored {
		t.Errorf("coefficients %+v", cs)
	}
	if _, err := json.Marshal(m); err != nil {
		t.Errorf("marshal: %v", err)
	}

	// Only constant features: an intercept-only model at the base rate.
	for i := range x {
		x[i] = []float64{3}
	}
	m, err = Train(x, y, []string{"c"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	if p := m.Predict([]float64{3}); math.Abs(p-float64(pos)/float64(n)) > 1e-9 {
		t.Errorf("intercept-only prediction %v, base rate %v", p, float64(pos)/float64(n))
	}
}

func TestTrainSeparable(t *testing.T) {
	var x [][]float64
	var y []bool
	for i := range 20 {
		x = append(x, []float64{float64(i), float64(i % 3)})
		y = append(y, i >= 10)
	}
	for _, lambda := range []float64{1, 1e-3} {
		m, err := Train(x, y, []string{"days", "noise"}, Options{Lambda: lambda})
		if err != nil {
			t.Fatalf("lambda %v: %v", lambda, err)
		}
		for _, c := range append(m.Coefficients, m.Intercept) {
			if !finite(c) {
				t.Fatalf("lambda %v: coefficients %v intercept %v", lambda, m.Coefficients, m.Intercept)
			}
		}
		probs, err := m.PredictAll(x)
		if err != nil {
			t.Fatal(err)
		}
		if auc := AUC(probs, y); auc != 1 {
			t.Errorf("lambda %v: training AUC %v", lambda, auc)
		}
		if probs[9] >= 0.5 || probs[10] <= 0.5 {
			t.Errorf("lambda %v: boundary probabilities %v, %v", lambda, probs[9], probs[10])
		}
	}
}

func TestTrainNotConverged(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	x, y := simulate(rng, 2000, -4.5, []float64{0.4, -1, 0.1, 1.5})
	m, err := Train(x, y, []string{"a", "b", "c", "d"}, Options{MaxIterations: 1})
	if !errors.Is(err, ErrNotConverged) || m == nil || m.Training.Converged || m.Training.Iterations != 1 {
		t.Fatalf("got %v, %+v", err, m)
	}
}

func TestTrainErrors(t *testing.T) {
	good := [][]float64{{1, 2}, {2, 3}, {3, 1}}
	nan := [][]float64{{1, 2}, {2, math.NaN()}, {3, 1}}
	inf := [][]float64{{1, 2}, {2, 1}, {math.Inf(-1), 1}}
	short := [][]float64{{1, 2}, {2, 3}, {3}}
	mixed := []bool{true, false, true}
	f := []string{"a", "b"}
	for _, tc := range []struct {
		x    [][]float64
		y    []bool
		f    []string
		o    Options
		want string
	}{
		{good, mixed[:2], f, Options{}, "x has 3 rows but y has 2 labels: row 2"},
		{good[:2], mixed, f, Options{}, "x has 2 rows but y has 3 labels: row 2"},
		{short, mixed, f, Options{}, "row 2 has 1 values, want 2"},
		{nan, mixed, f, Options{}, `row 1, feature "b": value is NaN`},
		{inf, mixed, f, Options{}, `row 2, feature "a": value is -Inf`},
		{good, []bool{true, true, true}, f, Options{}, "all 3 rows churned"},
		{good, []bool{false, false, false}, f, Options{}, "none of the 3 rows churned"},
		{nil, nil, f, Options{}, "no training rows"},
		{good, mixed, []string{"a", "a"}, Options{}, `feature "a" is listed twice`},
		{good, mixed, f, Options{Lambda: -1}, "lambda -1"},
		{good, mixed, f, Options{Lambda: math.NaN()}, "lambda NaN"},
		{good, mixed, f, Options{Tolerance: -1}, "tolerance -1"},
		{good, mixed, f, Options{MaxIterations: -3}, "max iterations -3"},
	} {
		m, err := Train(tc.x, tc.y, tc.f, tc.o)
		if err == nil || m != nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
}

func TestModelJSONRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	x, y := simulate(rng, 1000, -4.5, []float64{0.4, -1, 0.1, 1.5})
	for i := range x {
		x[i] = append(x[i], 7) // a constant feature
	}
	m, err := Train(x, y, []string{"a", "b", "c", "d", "const"}, Options{Lambda: 2})
	if err != nil {
		t.Fatal(err)
	}
	m.Training.TrainedAt = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back Model
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, m) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", back, *m)
	}
	if err := back.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, row := range x[:20] {
		if back.Predict(row) != m.Predict(row) {
			t.Fatal("loaded model predicts differently")
		}
	}
	if !strings.Contains(string(b), `"trained_at":"2025-01-02T03:04:05Z"`) {
		t.Errorf("JSON %s", b)
	}
}

func TestPredictBadInput(t *testing.T) {
	m := &Model{Features: []string{"a", "b"}, Mean: []float64{0, 0}, Scale: []float64{1, 1}, Coefficients: []float64{1, -1}}
	if p := m.Predict([]float64{0, 0}); p != 0.5 {
		t.Errorf("Predict = %v", p)
	}
	if !math.IsNaN(m.Predict([]float64{1})) || !math.IsNaN((*Model)(nil).Predict(nil)) {
		t.Error("wrong length or nil model not NaN")
	}
	if _, err := m.PredictAll([][]float64{{1, 2}, {1, math.NaN()}}); err == nil || !strings.Contains(err.Error(), `row 1, feature "b"`) {
		t.Errorf("PredictAll NaN: %v", err)
	}
	if _, err := m.PredictAll([][]float64{{1, 2}, {1}}); err == nil || !strings.Contains(err.Error(), "row 1 has 1 values") {
		t.Errorf("PredictAll short row: %v", err)
	}
	broken := &Model{Features: []string{"a"}, Mean: []float64{0}, Scale: []float64{1}}
	if !math.IsNaN(broken.Predict([]float64{1})) {
		t.Error("malformed model predicted")
	}
	if _, err := broken.PredictAll([][]float64{{1}}); err == nil || !strings.Contains(err.Error(), "0 coefficients") {
		t.Errorf("PredictAll malformed: %v", err)
	}
	if Coefficients(broken)[0].Weight != 0 || Coefficients(nil) != nil {
		t.Error("Coefficients on a malformed model")
	}
	m.Scale[0] = math.NaN()
	if err := m.Validate(); err == nil || !strings.Contains(err.Error(), `feature "a"`) {
		t.Errorf("Validate NaN scale: %v", err)
	}
}

func TestAUC(t *testing.T) {
	for _, tc := range []struct {
		s    []float64
		p    []bool
		want float64
	}{
		{[]float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true}, 0.75},
		{[]float64{0.5, 0.5}, []bool{true, false}, 0.5},
		{[]float64{0.1, 0.5, 0.5, 0.9}, []bool{false, true, false, true}, 0.875},
		{[]float64{1, 2, 3, 4}, []bool{false, false, true, true}, 1},
		{[]float64{1, 2, 3, 4}, []bool{true, true, false, false}, 0},
		{[]float64{3, 3, 3, 3}, []bool{true, false, true, false}, 0.5},
	} {
		if got := AUC(tc.s, tc.p); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("AUC(%v, %v) = %v, want %v", tc.s, tc.p, got, tc.want)
		}
	}
	for _, tc := range []struct {
		s []float64
		p []bool
	}{
		{nil, nil},
		{[]float64{1, 2}, []bool{true, true}},
		{[]float64{1, 2}, []bool{true}},
		{[]float64{1, math.NaN()}, []bool{true, false}},
	} {
		if got := AUC(tc.s, tc.p); !math.IsNaN(got) {
			t.Errorf("AUC(%v, %v) = %v, want NaN", tc.s, tc.p, got)
		}
	}
	// Against the pairwise definition, with many ties.
	rng := rand.New(rand.NewPCG(4, 4))
	for range 100 {
		n := 2 + rng.IntN(40)
		s := make([]float64, n)
		p := make([]bool, n)
		for i := range s {
			s[i] = float64(rng.IntN(5))
			p[i] = rng.IntN(2) == 0
		}
		var num, den float64
		for i := range s {
			for j := range s {
				if p[i] && !p[j] {
					den++
					switch {
					case s[i] > s[j]:
						num++
					case s[i] == s[j]:
						num += 0.5
					}
				}
			}
		}
		got := AUC(s, p)
		if den == 0 {
			if !math.IsNaN(got) {
				t.Fatalf("one class: %v", got)
			}
			continue
		}
		if math.Abs(got-num/den) > 1e-12 {
			t.Fatalf("AUC(%v, %v) = %v, pairwise %v", s, p, got, num/den)
		}
	}
}

func TestLogLossBrier(t *testing.T) {
	y := []bool{true, false}
	if got, want := LogLoss([]float64{0.8, 0.4}, y), -(math.Log(0.8)+math.Log(0.6))/2; math.Abs(got-want) > 1e-12 {
		t.Errorf("LogLoss %v, want %v", got, want)
	}
	if got := LogLoss([]float64{0, 1}, y); math.IsInf(got, 0) || got < 30 {
		t.Errorf("LogLoss of confident mistakes %v", got)
	}
	if got, want := Brier([]float64{0.8, 0.4}, y), (0.04+0.16)/2; math.Abs(got-want) > 1e-12 {
		t.Errorf("Brier %v, want %v", got, want)
	}
	if !math.IsNaN(LogLoss(nil, nil)) || !math.IsNaN(Brier([]float64{1}, nil)) {
		t.Error("bad input not NaN")
	}
}

func TestEvaluateErrors(t *testing.T) {
	m := &Model{Features: []string{"a"}, Mean: []float64{0}, Scale: []float64{1}, Coefficients: []float64{1}}
	if _, err := Evaluate(m, [][]float64{{1}}, nil); err == nil {
		t.Error("mismatch accepted")
	}
	if _, err := Evaluate(m, nil, nil); err == nil {
		t.Error("empty accepted")
	}
	mt, err := Evaluate(m, [][]float64{{-1}, {1}}, []bool{false, true})
	if err != nil || mt.AUC != 1 || mt.Positives != 1 || mt.N != 2 {
		t.Errorf("%+v, %v", mt, err)
	}
}

func TestSplitByTime(t *testing.T) {
	day := 24 * time.Hour
	cut := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	snaps := []time.Time{
		cut.Add(-90 * day), // window closes 30 days before the cutoff: train
		cut.Add(-60 * day), // window closes exactly at the cutoff: train
		cut.Add(-30 * day), // window straddles the cutoff: neither
		cut,                // test
		cut.Add(30 * day),  // test
	}
	train, test := SplitByTime(snaps, cut, 60*day)
	if !reflect.DeepEqual(train, []int{0, 1}) || !reflect.DeepEqual(test, []int{3, 4}) {
		t.Errorf("train %v test %v", train, test)
	}
}

func TestBands(t *testing.T) {
	b := DefaultBands()
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		p    float64
		want string
	}{
		{0, Low}, {0.2499, Low}, {0.25, Medium}, {0.4999, Medium}, {0.5, High},
		{0.7499, High}, {0.75, Critical}, {1, Critical}, {math.NaN(), ""},
	} {
		if got := b.Band(tc.p); got != tc.want {
			t.Errorf("Band(%v) = %q, want %q", tc.p, got, tc.want)
		}
	}
	for _, bad := range []Bands{
		{0, 0.5, 0.75}, {0.25, 0.25, 0.75}, {0.5, 0.25, 0.75}, {0.25, 0.5, 1}, {math.NaN(), 0.5, 0.75}, {},
	} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func BenchmarkTrain100kx10(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 9))
	const n, p = 100_000, 10
	x := make([][]float64, n)
	y := make([]bool, n)
	features := make([]string, p)
	for j := range features {
		features[j] = "f" + string(rune('0'+j))
	}
	for i := range x {
		row := make([]float64, p)
		eta := -1.0
		for j := range row {
			row[j] = rng.NormFloat64() * float64(j+1)
			eta += 0.3 * row[j] / float64(j+1) * float64(j%3-1)
		}
		x[i] = row
		y[i] = rng.Float64() < sigmoid(eta)
	}
	for b.Loop() {
		if _, err := Train(x, y, features, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
