package match

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Analysts' decisions as evidence for the fit.
//
// A decided pair (the same person, or not) is a candidate pair whose class is observed.
// EM treats the class of every candidate pair as missing; for a labelled pair it is not,
// so its E-step posterior is fixed at 1 (same) or 0 (different) instead of estimated, and
// m, u and λ are the maximum-likelihood estimates given the labels as well as the
// comparison vectors (semi-supervised EM). That is sound although analysts see a biased
// sample (the review queue holds the pairs the model was unsure of): whether a pair gets a
// label depends only on its comparison vector, through its probability, so the labels are
// missing at random given what EM conditions on, and the likelihood stays valid without
// modelling the selection. A label counts as one pair, like the pair it describes: labels
// correct the fit where it was unsure rather than outvote the data.
//
// Labelled pairs that blocking did not bring together are not candidates, so they are not
// in the mixture EM fits (their share would bias λ); LabelEffect counts them.

// LabelledPair is an analyst's decision about two records.
type LabelledPair struct {
	A, B string // record ids
	Same bool   // the same person (approved) or not (rejected)
}

const (
	labelSame      int8 = 1
	labelDifferent int8 = -1
)

func labelledPosterior(label int8) float64 {
	if label == labelSame {
		return 1
	}
	return 0
}

// labelledCandidates is the labelled pairs among the candidates: the candidate index and
// the label of each, and the number of labels given.
type labelledCandidates struct {
	given int
	index []int
	label []int8
}

// labelPatterns returns EM's patterns: the unlabelled candidates grouped as patternsOf
// groups them, and the labelled ones in patterns of their own that carry the label. The
// second result is nil without labels.
func labelPatterns(prep []prepared, cands [][2]int, vecs []vector, labels []LabelledPair) ([]pattern, *labelledCandidates) {
	classes := classesOf(prep, cands)
	if len(labels) == 0 {
		return patternsOf(vecs, classes), nil
	}
	lc := &labelledCandidates{given: len(labels)}
	byPair := make(map[[2]string]int8, len(labels))
	for _, l := range labels {
		key := [2]string{min(l.A, l.B), max(l.A, l.B)}
		label := labelDifferent
		if l.Same {
			label = labelSame
		}
		if old, seen := byPair[key]; seen && old != label {
			byPair[key] = 0 // contradictory decisions: no evidence either way
			continue
		}
		byPair[key] = label
	}
	var freeVecs []vector
	var freeClasses []int8
	var same, different []vector
	var sameClasses, differentClasses []int8
	for k, c := range cands {
		a, b := prep[c[0]].id, prep[c[1]].id
		label := byPair[[2]string{min(a, b), max(a, b)}]
		switch label {
		case labelSame:
			same, sameClasses = append(same, vecs[k]), append(sameClasses, classes[k])
		case labelDifferent:
			different, differentClasses = append(different, vecs[k]), append(differentClasses, classes[k])
		default:
			freeVecs, freeClasses = append(freeVecs, vecs[k]), append(freeClasses, classes[k])
			continue
		}
		lc.index = append(lc.index, k)
		lc.label = append(lc.label, label)
	}
	pats := patternsOf(freeVecs, freeClasses)
	for _, p := range patternsOf(same, sameClasses) {
		p.label = labelSame
		pats = append(pats, p)
	}
	for _, p := range patternsOf(different, differentClasses) {
		p.label = labelDifferent
		pats = append(pats, p)
	}
	return pats, lc
}

// LabelEffect is what analysts' labels changed in a fit: the model fitted with them
// against the same candidates fitted without them.
type LabelEffect struct {
	Labelled      int // labelled pairs given
	Used          int // of them, candidate pairs: the fit used these
	Same          int // used pairs labelled the same person
	Different     int // used pairs labelled different people
	NotCandidates int // labelled pairs blocking did not bring together (or contradictory): not used
	// The priors fitted without the labels (the model holds those fitted with them).
	LambdaWithout, LambdaSameSourceWithout float64
	// Shifts are the levels whose weight the labels moved by at least 0.05 bits, the
	// largest move first.
	Shifts []WeightShift
	// Without and With are how the models' decisions agree with the analysts on the used
	// labelled pairs.
	Without, With LabelAgreement
	// Changed counts candidate pairs whose outcome differs between the two models.
	Changed OutcomeChanges
	// Calibration checks the thresholds: the labelled pairs by the labelled model's
	// probability, with the share the analysts called the same person.
	Calibration []CalibrationBin
}

// WeightShift is one level's weight of evidence without and with the labels, in bits.
type WeightShift struct {
	Field, Level  string
	Without, With float64
}

// LabelAgreement is a model's decisions on the labelled pairs against the analysts'.
type LabelAgreement struct {
	Agree       int     // same and merged, or different and below review
	Disagree    int     // different but merged, or same but below review
	InReview    int     // left to an analyst
	LogLossBits float64 // mean -log2 P(label) under the model: lower is better
}

// OutcomeChanges counts candidate pairs whose outcome the labels changed.
type OutcomeChanges struct {
	NewMatches, LostMatches int // now at or above the match probability / no longer
	NewReview, LostReview   int // now in the review band / no longer
}

// CalibrationBin is the labelled pairs whose probability lies in [Low, High).
type CalibrationBin struct {
	Low, High       float64
	Pairs, Same     int
	MeanProbability float64
}

// calibrationEdges bound the bins: the review band split where analysts' decisions turn.
var calibrationEdges = []float64{0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0000001}

// labelEffect refits the candidates without the labels (EM on patterns is cheap next to
// blocking and comparing) and compares the two models.
func labelEffect(model *Model, lc *labelledCandidates, prep []prepared, cands [][2]int, vecs []vector, uRand table, lambda0 float64) *LabelEffect {
	classes := classesOf(prep, cands)
	nLevels := model.nLevels
	base := runEM(patternsOf(vecs, classes), nLevels, priorM(nLevels), uRand, [2]float64{lambda0, lambda0})
	var baseW table
	for f := range numFields {
		for l := range nLevels[f] {
			if base.observed[f] > 0 && base.levelCount[f][l] > 0 {
				baseW[f][l] = math.Log2(base.m[f][l] / base.u[f][l])
			}
		}
	}
	basePrior := priorsOf(base.lambda[acrossSources], base.lambda[sameSource])
	e := &LabelEffect{
		Labelled: lc.given, Used: len(lc.index),
		LambdaWithout: base.lambda[acrossSources], LambdaSameSourceWithout: base.lambda[sameSource],
	}
	e.NotCandidates = lc.given - e.Used
	for f := range numFields {
		for l := range nLevels[f] {
			if d := model.weights[f][l] - baseW[f][l]; math.Abs(d) >= 0.05 {
				e.Shifts = append(e.Shifts, WeightShift{Field: fieldSpecs[f].name, Level: fieldSpecs[f].levels[l],
					Without: baseW[f][l], With: model.weights[f][l]})
			}
		}
	}
	sort.SliceStable(e.Shifts, func(i, j int) bool {
		return math.Abs(e.Shifts[i].With-e.Shifts[i].Without) > math.Abs(e.Shifts[j].With-e.Shifts[j].Without)
	})
	opts := model.Options
	outcome := func(p float64) int {
		switch {
		case p >= opts.MatchProbability:
			return 2
		case p >= opts.ReviewProbability:
			return 1
		}
		return 0
	}
	probs := func(w *table, prior [2]float64, k int) float64 {
		_, odds := model.logOdds(&vecs[k], w, prior[classes[k]])
		return probFromLog2Odds(odds)
	}
	for k := range cands {
		before, after := outcome(probs(&baseW, basePrior, k)), outcome(probs(&model.weights, model.priorLog2Odds, k))
		if before == after {
			continue
		}
		switch {
		case after == 2:
			e.Changed.NewMatches++
		case before == 2:
			e.Changed.LostMatches++
		}
		switch {
		case after == 1:
			e.Changed.NewReview++
		case before == 1:
			e.Changed.LostReview++
		}
	}
	for i := range calibrationEdges[1:] {
		e.Calibration = append(e.Calibration, CalibrationBin{Low: calibrationEdges[i], High: min(calibrationEdges[i+1], 1)})
	}
	for i, k := range lc.index {
		same := lc.label[i] == labelSame
		if same {
			e.Same++
		} else {
			e.Different++
		}
		pb, pa := probs(&baseW, basePrior, k), probs(&model.weights, model.priorLog2Odds, k)
		e.Without.add(outcome(pb), pb, same)
		e.With.add(outcome(pa), pa, same)
		for b := range e.Calibration {
			if pa >= calibrationEdges[b] && pa < calibrationEdges[b+1] {
				bin := &e.Calibration[b]
				bin.MeanProbability = (bin.MeanProbability*float64(bin.Pairs) + pa) / float64(bin.Pairs+1)
				bin.Pairs++
				if same {
					bin.Same++
				}
			}
		}
	}
	if e.Used > 0 {
		e.Without.LogLossBits /= float64(e.Used)
		e.With.LogLossBits /= float64(e.Used)
	}
	return e
}

func (a *LabelAgreement) add(outcome int, p float64, same bool) {
	switch {
	case outcome == 1:
		a.InReview++
	case (outcome == 2) == same:
		a.Agree++
	default:
		a.Disagree++
	}
	if !same {
		p = 1 - p
	}
	a.LogLossBits -= math.Log2(max(p, 1e-12))
}

// Report renders the effect for an analyst.
func (e *LabelEffect) Report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "labelled pairs: %d given, %d used (%d same person, %d different), %d not candidates or contradictory\n",
		e.Labelled, e.Used, e.Same, e.Different, e.NotCandidates)
	fmt.Fprintf(&b, "on the labelled pairs    %8s %8s %9s %14s\n", "agree", "disagree", "in review", "log loss bits")
	fmt.Fprintf(&b, "  fitted without labels  %8d %8d %9d %14.3f\n", e.Without.Agree, e.Without.Disagree, e.Without.InReview, e.Without.LogLossBits)
	fmt.Fprintf(&b, "  fitted with labels     %8d %8d %9d %14.3f\n", e.With.Agree, e.With.Disagree, e.With.InReview, e.With.LogLossBits)
	fmt.Fprintf(&b, "candidate pairs: %d new matches, %d matches lost, %d new in review, %d left review\n",
		e.Changed.NewMatches, e.Changed.LostMatches, e.Changed.NewReview, e.Changed.LostReview)
	fmt.Fprintf(&b, "weights moved by the labels (bits):\n")
	if len(e.Shifts) == 0 {
		fmt.Fprintf(&b, "  none by 0.05 bits or more\n")
	}
	for _, s := range e.Shifts {
		fmt.Fprintf(&b, "  %-14s %-10s %+7.2f -> %+7.2f\n", s.Field, s.Level, s.Without, s.With)
	}
	fmt.Fprintf(&b, "threshold check: labelled pairs by the model's probability\n")
	for _, c := range e.Calibration {
		if c.Pairs == 0 {
			continue
		}
		fmt.Fprintf(&b, "  [%.2f, %.2f)  %4d pairs, mean P %.3f, analysts said same for %d (%.0f%%)\n",
			c.Low, c.High, c.Pairs, c.MeanProbability, c.Same, 100*float64(c.Same)/float64(c.Pairs))
	}
	return b.String()
}
