// Package churn scores customers' risk of churning with an L2-regularised logistic
// regression fitted to the business's own history.
//
// The intended workflow is a time-based backtest. Pick snapshot dates in the past; for each
// customer and snapshot compute features from the history up to the snapshot (days since
// last order, order count, spend, trends …) and the label "churned": no purchase within a
// horizon after the snapshot. [SplitByTime] keeps for training only rows whose label was
// fully observed before a cutoff and holds out the rows from the cutoff on, so the model is
// judged on a period it never saw, the way it will be used. [Train] fits the model,
// [Evaluate] measures it on the held-out rows (AUC, log loss, Brier score), and [Bands]
// turns probabilities into the low/medium/high/critical labels people act on.
//
// Why this model: logistic regression gives calibrated probabilities, trains in
// milliseconds on hundreds of thousands of rows, and its coefficients can be read. Features
// are standardised inside the model so each coefficient is the change in log-odds per
// standard deviation of its feature, comparable across features ([Coefficients]), and so
// one penalty strength suits every feature. The L2 penalty keeps the fit finite when the
// classes are separable, which is common with small histories.
package churn

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Defaults for [Options].
const (
	DefaultLambda        = 1.0
	DefaultMaxIterations = 50
	DefaultTolerance     = 1e-8
)

// ErrNotConverged is wrapped by the error [Train] returns, together with a usable model,
// when Newton's method runs out of iterations.
var ErrNotConverged = errors.New("churn: training did not converge")

// Options tunes [Train]. The zero value means the defaults.
type Options struct {
	// Lambda is the L2 penalty on the standardised coefficients (not the intercept): Train
	// minimises the summed log loss plus λ/2·Σβ², the same as a Normal(0, 1/λ) prior on
	// each coefficient. It is a total over the rows, not a mean, so its effect fades as data
	// grows: with the default of 1 it is negligible on thousands of rows yet keeps
	// separable data finite. 0 means the default; there is deliberately no unpenalised fit
	// (separable data has no finite one) — use a tiny value such as 1e-9 to get close.
	Lambda float64
	// MaxIterations bounds the Newton steps; 0 means 50. Newton's method usually
	// converges in under ten.
	MaxIterations int
	// Tolerance stops the iteration when no parameter moves more than this in one
	// step; 0 means 1e-8.
	Tolerance float64
}

func (o Options) withDefaults() (Options, error) {
	if o.Lambda == 0 {
		o.Lambda = DefaultLambda
	}
	if o.MaxIterations == 0 {
		o.MaxIterations = DefaultMaxIterations
	}
	if o.Tolerance == 0 {
		o.Tolerance = DefaultTolerance
	}
	switch {
	case !(o.Lambda > 0) || math.IsInf(o.Lambda, 0):
		return o, fmt.Errorf("churn: lambda %v must be positive and finite", o.Lambda)
	case o.MaxIterations < 0:
		return o, fmt.Errorf("churn: max iterations %d is negative", o.MaxIterations)
	case !(o.Tolerance > 0) || math.IsInf(o.Tolerance, 0):
		return o, fmt.Errorf("churn: tolerance %v must be positive and finite", o.Tolerance)
	}
	return o, nil
}

// Model is a fitted churn model. It is plain data, so it can be stored as JSON and loaded
// back as a model version.
type Model struct {
	// Features names the inputs, in the order Predict expects them.
	Features []string `json:"features"`
	// Mean and Scale standardise each feature: z = (x − Mean) / Scale. Scale is the
	// training standard deviation; 0 marks a feature that was constant in training, which
	// the model ignores (its coefficient is 0).
	Mean  []float64 `json:"mean"`
	Scale []float64 `json:"scale"`
	// Coefficients are the log-odds per standard deviation of each feature.
	Coefficients []float64 `json:"coefficients"`
	// Intercept is the log-odds of churn for a customer at every feature's mean.
	Intercept float64 `json:"intercept"`
	// Lambda is the penalty the model was trained with.
	Lambda   float64  `json:"lambda"`
	Training Training `json:"training"`
}

// Training records how a model was fitted.
type Training struct {
	// N is the number of training rows and Positives how many of them churned.
	N         int `json:"n"`
	Positives int `json:"positives"`
	// LogLoss is the mean log loss on the training rows (without the penalty).
	LogLoss    float64 `json:"log_loss"`
	Iterations int     `json:"iterations"`
	Converged  bool    `json:"converged"`
	// TrainedAt is left zero by Train, which stays a pure function of its input; the
	// caller stamps it when storing the model.
	TrainedAt time.Time `json:"trained_at,omitzero"`
}

// Train fits a model predicting y (true = churned) from the rows of x, whose columns are
// named by features.
//
// It uses Newton's method (iteratively reweighted least squares) on the penalised log
// likelihood, with step halving as a safeguard. Features are standardised first; a feature
// with no variation in x cannot be learnt from, so it is ignored: coefficient 0, Scale 0.
//
// It returns an error naming the problem if the lengths disagree (naming the first row at
// fault), a value is NaN or infinite (naming the row and feature), feature names repeat,
// there are no rows, or all rows are of one class (nothing to separate). If the iteration
// limit is reached first it returns the model so far together with an error wrapping
// [ErrNotConverged].
func Train(x [][]float64, y []bool, features []string, opts Options) (*Model, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	n, p := len(x), len(features)
	seen := make(map[string]bool, p)
	for _, f := range features {
		if seen[f] {
			return nil, fmt.Errorf("churn: feature %q is listed twice", f)
		}
		seen[f] = true
	}
	if len(y) != n {
		short := min(n, len(y))
		return nil, fmt.Errorf("churn: x has %d rows but y has %d labels: row %d has no partner", n, len(y), short)
	}
	if n == 0 {
		return nil, errors.New("churn: no training rows")
	}
	positives := 0
	for i, row := range x {
		if err := checkRow(row, i, features); err != nil {
			return nil, err
		}
		if y[i] {
			positives++
		}
	}
	switch positives {
	case 0:
		return nil, fmt.Errorf("churn: none of the %d rows churned; the model needs both classes", n)
	case n:
		return nil, fmt.Errorf("churn: all %d rows churned; the model needs both classes", n)
	}

	m := &Model{
		Features:     append([]string(nil), features...),
		Mean:         make([]float64, p),
		Scale:        make([]float64, p),
		Coefficients: make([]float64, p),
		Lambda:       opts.Lambda,
	}
	var active []int // features with variation
	for j := range p {
		var sum float64
		for _, row := range x {
			sum += row[j]
		}
		mean := sum / float64(n)
		var ss float64
		for _, row := range x {
			d := row[j] - mean
			ss += d * d
		}
		sd := math.Sqrt(ss / float64(n))
		m.Mean[j] = mean
		// Below this the "variation" is rounding error in the mean; scaling it up would
		// turn noise into a feature.
		if sd > 1e-12*math.Abs(mean) && sd > 0 && !math.IsInf(sd, 0) {
			m.Scale[j] = sd
			active = append(active, j)
		}
	}

	// Design matrix: a column of ones for the intercept, then the standardised active
	// features, stored row-major in one slice for locality.
	k := len(active) + 1
	z := make([]float64, n*k)
	for i, row := range x {
		zi := z[i*k : (i+1)*k]
		zi[0] = 1
		for a, j := range active {
			zi[a+1] = (row[j] - m.Mean[j]) / m.Scale[j]
		}
	}

	f := fitter{z: z, y: y, k: k, lambda: opts.Lambda}
	theta := make([]float64, k)
	// Start at the base rate: the optimum when all coefficients are zero.
	theta[0] = math.Log(float64(positives) / float64(n-positives))
	it, converged := f.newton(theta, opts.MaxIterations, opts.Tolerance)

	m.Intercept = theta[0]
	for a, j := range active {
		m.Coefficients[j] = theta[a+1]
	}
	m.Training = Training{
		N:          n,
		Positives:  positives,
		LogLoss:    f.loss(theta) / float64(n),
		Iterations: it,
		Converged:  converged,
	}
	if !converged {
		return m, fmt.Errorf("%w after %d iterations; raise MaxIterations or Lambda", ErrNotConverged, it)
	}
	return m, nil
}

func checkRow(row []float64, i int, features []string) error {
	if len(row) != len(features) {
		return fmt.Errorf("churn: row %d has %d values, want %d (one per feature)", i, len(row), len(features))
	}
	for j, v := range row {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("churn: row %d, feature %q: value is %v", i, features[j], v)
		}
	}
	return nil
}

// fitter holds the standardised design matrix for Newton's method.
type fitter struct {
	z      []float64 // n×k row-major, column 0 all ones
	y      []bool
	k      int
	lambda float64
}

// loss is the summed log loss at theta, without the penalty.
func (f *fitter) loss(theta []float64) float64 {
	var l float64
	for i, yi := range f.y {
		eta := dot(f.z[i*f.k:(i+1)*f.k], theta)
		l += softplus(eta)
		if yi {
			l -= eta
		}
	}
	return l
}

// objective is the penalised loss Train minimises.
func (f *fitter) objective(theta []float64) float64 {
	var pen float64
	for _, b := range theta[1:] {
		pen += b * b
	}
	return f.loss(theta) + f.lambda/2*pen
}

// newton minimises the objective in place from theta and returns the iterations used and
// whether the steps fell below tol.
func (f *fitter) newton(theta []float64, maxIter int, tol float64) (int, bool) {
	k := f.k
	grad := make([]float64, k)
	hess := make([]float64, k*k)
	step := make([]float64, k)
	trial := make([]float64, k)
	obj := f.objective(theta)
	for it := 1; it <= maxIter; it++ {
		clear(grad)
		clear(hess)
		for i, yi := range f.y {
			zi := f.z[i*k : (i+1)*k]
			pr := sigmoid(dot(zi, theta))
			r := pr
			if yi {
				r -= 1
			}
			w := pr * (1 - pr)
			for a, za := range zi {
				grad[a] += r * za
				wa := w * za
				row := hess[a*k : a*k+a+1] // lower triangle only
				for b := range row {
					row[b] += wa * zi[b]
				}
			}
		}
		for a := 1; a < k; a++ {
			grad[a] += f.lambda * theta[a]
			hess[a*k+a] += f.lambda
		}
		// The intercept is unpenalised; if every weight has underflowed its diagonal can
		// be zero. A tiny ridge keeps the factorisation going without moving the optimum.
		if !cholesky(hess, k) {
			for a := range k {
				hess[a*k+a] += 1e-9 * float64(len(f.y))
			}
			if !cholesky(hess, k) {
				return it, false
			}
		}
		copy(step, grad)
		cholSolve(hess, k, step)

		// Newton's step is a descent direction for this convex objective; halve it while
		// it overshoots, which only happens far from the optimum.
		t := 1.0
		var next float64
		for range 40 {
			for a := range k {
				trial[a] = theta[a] - t*step[a]
			}
			next = f.objective(trial)
			if next <= obj+1e-12*math.Abs(obj) {
				break
			}
			t /= 2
		}
		maxStep := 0.0
		for a := range k {
			maxStep = max(maxStep, math.Abs(theta[a]-trial[a]))
		}
		copy(theta, trial)
		obj = next
		if maxStep < tol {
			return it, true
		}
	}
	return maxIter, false
}

// cholesky factors the symmetric positive-definite k×k matrix whose lower triangle is in a
// into L·Lᵀ, in place (lower triangle). It reports false if a is not positive definite.
func cholesky(a []float64, k int) bool {
	for j := range k {
		d := a[j*k+j]
		for p := range j {
			d -= a[j*k+p] * a[j*k+p]
		}
		if !(d > 0) {
			return false
		}
		d = math.Sqrt(d)
		a[j*k+j] = d
		for i := j + 1; i < k; i++ {
			s := a[i*k+j]
			for p := range j {
				s -= a[i*k+p] * a[j*k+p]
			}
			a[i*k+j] = s / d
		}
	}
	return true
}

// cholSolve solves L·Lᵀ·x = b in place, given the factor from cholesky.
func cholSolve(l []float64, k int, b []float64) {
	for i := range k {
		s := b[i]
		for p := range i {
			s -= l[i*k+p] * b[p]
		}
		b[i] = s / l[i*k+i]
	}
	for i := k - 1; i >= 0; i-- {
		s := b[i]
		for p := i + 1; p < k; p++ {
			s -= l[p*k+i] * b[p]
		}
		b[i] = s / l[i*k+i]
	}
}

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// sigmoid is 1/(1+e^−x), computed without overflow for either sign.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// softplus is log(1+eˣ) without overflow.
func softplus(x float64) float64 {
	return max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
}

// Validate checks that the model's slices agree in length and hold finite numbers, as a
// model loaded from storage should.
func (m *Model) Validate() error {
	if m == nil {
		return errors.New("churn: nil model")
	}
	p := len(m.Features)
	if len(m.Mean) != p || len(m.Scale) != p || len(m.Coefficients) != p {
		return fmt.Errorf("churn: model has %d features but %d means, %d scales, %d coefficients",
			p, len(m.Mean), len(m.Scale), len(m.Coefficients))
	}
	if !finite(m.Intercept) {
		return fmt.Errorf("churn: model intercept is %v", m.Intercept)
	}
	for j, f := range m.Features {
		if !finite(m.Mean[j]) || !finite(m.Scale[j]) || m.Scale[j] < 0 || !finite(m.Coefficients[j]) {
			return fmt.Errorf("churn: model feature %q: mean %v, scale %v, coefficient %v",
				f, m.Mean[j], m.Scale[j], m.Coefficients[j])
		}
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// logit is the model's log-odds for x; x must have one value per feature.
func (m *Model) logit(x []float64) float64 {
	eta := m.Intercept
	for j, v := range x {
		if s := m.Scale[j]; s > 0 {
			eta += m.Coefficients[j] * (v - m.Mean[j]) / s
		}
	}
	return eta
}

// Predict is the probability of churn for one row of features in [Model.Features] order.
// Rather than panic it returns NaN if x has the wrong length or the model is malformed
// (see [Model.Validate]); a NaN in a used feature also gives NaN. Use [Model.PredictAll]
// for errors that say what is wrong.
func (m *Model) Predict(x []float64) float64 {
	if m == nil || len(x) != len(m.Features) || len(m.Mean) != len(x) ||
		len(m.Scale) != len(x) || len(m.Coefficients) != len(x) {
		return math.NaN()
	}
	return sigmoid(m.logit(x))
}

// PredictAll is the probability of churn for each row of x. It checks the model and every
// row first and returns an error naming the row (and feature) at fault.
func (m *Model) PredictAll(x [][]float64) ([]float64, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	out := make([]float64, len(x))
	for i, row := range x {
		if err := checkRow(row, i, m.Features); err != nil {
			return nil, err
		}
		out[i] = sigmoid(m.logit(row))
	}
	return out, nil
}

// Unstandardized expresses the model in the features' own units: churn log-odds =
// intercept + Σ weights[j]·x[j]. Ignored (constant) features get weight 0.
func (m *Model) Unstandardized() (intercept float64, weights []float64) {
	intercept = m.Intercept
	weights = make([]float64, len(m.Coefficients))
	for j, b := range m.Coefficients {
		if j < len(m.Scale) && j < len(m.Mean) && m.Scale[j] > 0 {
			weights[j] = b / m.Scale[j]
			intercept -= weights[j] * m.Mean[j]
		}
	}
	return intercept, weights
}

// Coefficient describes one feature's effect, for a fit report.
type Coefficient struct {
	Feature string `json:"feature"`
	// Weight is the change in churn log-odds per standard deviation of the feature;
	// weights are comparable across features.
	Weight float64 `json:"weight"`
	// OddsRatioPerSD is e^Weight: the factor by which one more standard deviation of
	// the feature multiplies the odds of churn (2 doubles them, 0.5 halves them).
	OddsRatioPerSD float64 `json:"odds_ratio_per_sd"`
	// PerUnit is the change in log-odds per unit of the feature in its own units.
	PerUnit float64 `json:"per_unit"`
	// Ignored marks a feature that was constant in training.
	Ignored bool `json:"ignored,omitempty"`
}

// Coefficients lists the model's coefficients in feature order.
func Coefficients(m *Model) []Coefficient {
	if m == nil {
		return nil
	}
	_, perUnit := m.Unstandardized()
	out := make([]Coefficient, len(m.Features))
	for j, f := range m.Features {
		c := Coefficient{Feature: f}
		if j < len(m.Coefficients) {
			c.Weight = m.Coefficients[j]
			c.PerUnit = perUnit[j]
		}
		c.OddsRatioPerSD = math.Exp(c.Weight)
		c.Ignored = j >= len(m.Scale) || m.Scale[j] == 0
		out[j] = c
	}
	return out
}
