package clv

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

var (
	// ErrNoCustomers is returned by the fits when there is nothing to fit.
	ErrNoCustomers = errors.New("clv: no customers to fit")
	// ErrNoMaximum is wrapped by the errors of fits whose likelihood has no
	// interior maximum: estimates running off to 0 or ∞, a singular
	// information matrix, or an optimizer that could not converge.
	ErrNoMaximum = errors.New("no interior maximum of the likelihood")
)

// negLogLik returns the mean negative log-likelihood per customer at the
// log-parameters u and, when grad is not nil, stores its gradient with
// respect to u. Working with the mean keeps the optimizer tolerances
// independent of the number of customers, and with log-parameters keeps the
// search unconstrained and independent of the time and money units.
type negLogLik func(u, grad []float64) float64

const (
	// maxLogParam bounds |log θ| of an acceptable estimate: a parameter
	// beyond e^±30 means the likelihood has no interior maximum (say, no
	// customer ever seems to drop out) and the optimizer is walking off.
	maxLogParam = 30
	// gradTol is the largest gradient (mean NLL with respect to the
	// log-parameters, infinity norm) accepted as a maximum.
	gradTol = 1e-6
	// hessStep is the central-difference step, in log-parameter space, of
	// the numerical Hessian.
	hessStep = 1e-4
	// maxCond is the largest condition number of the information matrix
	// (in log-parameters) taken as non-singular.
	maxCond = 1e10
)

// mleResult is a maximum-likelihood estimate.
type mleResult struct {
	theta, stdErr []float64
	logLik        float64 // total log-likelihood
	iterations    int     // optimizer major iterations
}

// maximizeLikelihood maximizes the likelihood from the starting parameters
// theta0 (all positive) for n customers. It runs BFGS on the analytic
// gradient and polishes with Newton steps on a numerical Hessian; if that
// does not end at a stationary point it retries from a Nelder-Mead
// solution. Standard errors come from the inverse observed information in
// the original parameter space; a singular (not positive definite)
// information matrix is reported as an error, as it means the maximum is
// not a proper interior one.
func maximizeLikelihood(f negLogLik, theta0 []float64, n float64) (mleResult, error) {
	dim := len(theta0)
	guarded := func(u, grad []float64) float64 {
		for _, v := range u {
			if !(math.Abs(v) <= 2*maxLogParam) { // also NaN
				clear(grad)
				return math.Inf(1)
			}
		}
		v := f(u, grad)
		if math.IsNaN(v) {
			clear(grad)
			return math.Inf(1)
		}
		return v
	}
	u0 := make([]float64, dim)
	for i, t := range theta0 {
		u0[i] = math.Log(t)
	}
	if v := guarded(u0, nil); math.IsInf(v, 0) {
		return mleResult{}, fmt.Errorf("likelihood is not finite at the starting point %v", theta0)
	}

	var (
		best      []float64
		bestF     = math.Inf(1)
		bestGrad  = math.Inf(1)
		iters     int
		lastError error
	)
	g := make([]float64, dim)
	try := func(start []float64) bool {
		u, it, err := minimizeBFGS(guarded, start)
		iters += it
		u = newtonPolish(guarded, u)
		fu := guarded(u, g)
		gn := floats.Norm(g, math.Inf(1))
		if err != nil {
			lastError = err
		}
		if fu < bestF || (fu == bestF && gn < bestGrad) {
			best, bestF, bestGrad = u, fu, gn
		}
		return gn <= gradTol
	}
	if !try(u0) {
		// BFGS can stall in flat valleys far from the optimum; a
		// derivative-free search is slower but gets closer to it.
		nm, it := minimizeNelderMead(guarded, u0)
		iters += it
		try(nm)
	}
	if best == nil || math.IsInf(bestF, 0) {
		return mleResult{}, fmt.Errorf("%w: likelihood is not finite", ErrNoMaximum)
	}
	reached := make([]float64, dim)
	for i, v := range best {
		reached[i] = math.Exp(v)
	}
	switch {
	case slices.ContainsFunc(best, func(v float64) bool { return math.Abs(v) > maxLogParam }):
		return mleResult{}, fmt.Errorf("%w: estimates diverge (%.3g); the data do not identify the model", ErrNoMaximum, reached)
	case bestGrad > gradTol:
		msg := fmt.Sprintf("optimizer stopped at %.3g with gradient %.3g (a parameter heading to 0 or ∞ means the maximum is on the boundary)", reached, bestGrad)
		if lastError != nil {
			msg += ": " + lastError.Error()
		}
		return mleResult{}, fmt.Errorf("%w: %s", ErrNoMaximum, msg)
	}

	res := mleResult{
		theta:      reached,
		stdErr:     make([]float64, dim),
		logLik:     -bestF * n,
		iterations: iters,
	}
	guarded(best, g)
	if !standardErrors(res.stdErr, hessian(guarded, best), g, res.theta, n) {
		// A flat direction: parameters drifting off to a boundary (no
		// dropout, no heterogeneity) with the likelihood barely changing.
		return mleResult{}, fmt.Errorf("%w: the observed information at %.3g is singular; the data do not identify the model", ErrNoMaximum, res.theta)
	}
	return res, nil
}

// minimizeBFGS runs gonum's BFGS from u0 and returns where it stopped, even
// on error: the caller judges the point by its gradient.
func minimizeBFGS(f negLogLik, u0 []float64) ([]float64, int, error) {
	dim := len(u0)
	// gonum asks for the value and the gradient at the same point in
	// separate calls; the likelihood computes both in one pass, so cache.
	cacheU, cacheG := make([]float64, dim), make([]float64, dim)
	var cacheF float64
	cached := false
	eval := func(u []float64) {
		if !cached || !slices.Equal(u, cacheU) {
			copy(cacheU, u)
			cacheF = f(u, cacheG)
			cached = true
		}
	}
	p := optimize.Problem{
		Func: func(u []float64) float64 { eval(u); return cacheF },
		Grad: func(g, u []float64) { eval(u); copy(g, cacheG) },
	}
	settings := &optimize.Settings{
		GradientThreshold: 1e-10,
		MajorIterations:   500,
		FuncEvaluations:   5000, // line searches can stall on +Inf walls
		Converger:         &optimize.FunctionConverge{Absolute: 1e-14, Relative: 1e-14, Iterations: 20},
	}
	// More-Thuente uses the value and gradient of each trial point, which
	// the likelihood computes together anyway; it takes about half the
	// evaluations of gonum's default bisection search here.
	res, err := optimize.Minimize(p, u0, settings, &optimize.BFGS{Linesearcher: &optimize.MoreThuente{}})
	if res == nil {
		return slices.Clone(u0), 0, err
	}
	return res.X, res.MajorIterations, err
}

// minimizeNelderMead runs gonum's Nelder-Mead simplex search from u0.
func minimizeNelderMead(f negLogLik, u0 []float64) ([]float64, int) {
	p := optimize.Problem{Func: func(u []float64) float64 { return f(u, nil) }}
	settings := &optimize.Settings{
		MajorIterations: 5000,
		FuncEvaluations: 20000,
		Converger:       &optimize.FunctionConverge{Absolute: 1e-12, Relative: 1e-12, Iterations: 200},
	}
	res, err := optimize.Minimize(p, u0, settings, &optimize.NelderMead{})
	if res == nil || err != nil && res.F >= f(u0, nil) {
		return slices.Clone(u0), 0
	}
	return res.X, res.MajorIterations
}

// newtonPolish takes damped Newton steps from u while they lower f, which
// drives the gradient down to rounding level where BFGS's own stopping
// rules may leave it at 1e-6 or so.
func newtonPolish(f negLogLik, u []float64) []float64 {
	dim := len(u)
	u = slices.Clone(u)
	g, gt := make([]float64, dim), make([]float64, dim)
	trial := make([]float64, dim)
	fu := f(u, g)
	var d mat.VecDense
	for range 20 {
		if math.IsInf(fu, 0) || floats.Norm(g, math.Inf(1)) < 1e-14 {
			break
		}
		var ch mat.Cholesky
		if !ch.Factorize(hessian(f, u)) {
			break // not locally convex: leave it to the caller's checks
		}
		if err := ch.SolveVecTo(&d, mat.NewVecDense(dim, g)); err != nil {
			break
		}
		gn := floats.Norm(g, math.Inf(1))
		// Close to the optimum a step changes f by less than its rounding
		// noise (the sum over customers carries ~1e-14 relative error), so
		// there a smaller gradient at a no-worse f is what counts.
		noise := 1e-12 * math.Max(1, math.Abs(fu))
		step, improved := 1.0, false
		for range 20 {
			for i := range u {
				trial[i] = u[i] - step*d.AtVec(i)
			}
			ft := f(trial, gt)
			if ft < fu-noise || ft <= fu+noise && floats.Norm(gt, math.Inf(1)) < gn {
				copy(u, trial)
				copy(g, gt)
				fu, improved = ft, true
				break
			}
			step /= 2
		}
		if !improved {
			break
		}
	}
	return u
}

// hessian returns the Hessian of f at u by central differences of the
// analytic gradient, symmetrized.
func hessian(f negLogLik, u []float64) *mat.SymDense {
	dim := len(u)
	cols := mat.NewDense(dim, dim, nil)
	up := slices.Clone(u)
	gp, gm := make([]float64, dim), make([]float64, dim)
	for j := range dim {
		up[j] = u[j] + hessStep
		f(up, gp)
		up[j] = u[j] - hessStep
		f(up, gm)
		up[j] = u[j]
		for i := range dim {
			cols.Set(i, j, (gp[i]-gm[i])/(2*hessStep))
		}
	}
	h := mat.NewSymDense(dim, nil)
	for i := range dim {
		for j := i; j < dim; j++ {
			h.SetSym(i, j, (cols.At(i, j)+cols.At(j, i))/2)
		}
	}
	return h
}

// standardErrors fills se from the Hessian hu and gradient gu of the mean
// negative log-likelihood in log-parameter space. The observed information
// in the original space is I_θ = n·D⁻¹(hu − diag(gu))D⁻¹ with D = diag(θ)
// (the chain rule for u = log θ), so the covariance is
// I_θ⁻¹ = D·(n·(hu − diag(gu)))⁻¹·D. Inverting in u-space avoids the bad
// scaling of parameters in different units. It reports false, leaving se
// NaN, when the information is not positive definite or is so
// ill-conditioned that some direction is effectively flat.
func standardErrors(se []float64, hu *mat.SymDense, gu, theta []float64, n float64) bool {
	dim := len(theta)
	info := mat.NewSymDense(dim, nil)
	for i := range dim {
		for j := i; j < dim; j++ {
			v := hu.At(i, j)
			if i == j {
				v -= gu[i]
			}
			info.SetSym(i, j, n*v)
		}
	}
	for i := range se {
		se[i] = math.NaN()
	}
	var ch mat.Cholesky
	var cov mat.SymDense
	if !ch.Factorize(info) || ch.Cond() > maxCond || ch.InverseTo(&cov) != nil {
		return false
	}
	for i := range se {
		se[i] = theta[i] * math.Sqrt(cov.At(i, i))
	}
	return true
}
