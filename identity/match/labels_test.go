package match

import (
	"math"
	"testing"
)

// A labelled pattern's posterior is the label, whatever the weights say: EM with every
// candidate labelled estimates λ as the labelled share of matches.
func TestLabelledPatternsFixTheEStep(t *testing.T) {
	var nLevels [numFields]int
	nLevels[fGiven] = len(fieldSpecs[fGiven].levels)
	var exact, different vector
	for f := range exact {
		exact[f], different[f] = -1, -1
	}
	exact[fGiven] = 0
	different[fGiven] = int8(nLevels[fGiven] - 1)
	pats := []pattern{
		{v: exact, count: 3, label: labelSame},
		{v: exact, count: 1, label: labelDifferent},
		{v: different, count: 4, label: labelDifferent},
	}
	var u table
	for l := range nLevels[fGiven] {
		u[fGiven][l] = 1 / float64(nLevels[fGiven])
	}
	res := runEM(pats, nLevels, priorM(nLevels), u, [2]float64{0.5, 0.5})
	if got := res.lambda[acrossSources]; math.Abs(got-3.0/8) > 1e-9 {
		t.Fatalf("λ = %v, want the labelled share 3/8", got)
	}
	// m of exact agreement: 3 labelled matches of 3, with the M-step's pseudo-counts.
	if res.m[fGiven][0] <= res.u[fGiven][0] {
		t.Fatalf("exact agreement m %v <= u %v although every labelled match agrees exactly", res.m[fGiven][0], res.u[fGiven][0])
	}
}

func TestLabelPatternsKeepsCandidatesOnly(t *testing.T) {
	prep := []prepared{{id: "a"}, {id: "b"}, {id: "c"}}
	cands := [][2]int{{0, 1}, {1, 2}}
	vecs := make([]vector, 2)
	labels := []LabelledPair{
		{A: "b", B: "a", Same: true},  // a candidate, named in either order
		{A: "a", B: "c", Same: false}, // not a candidate
		{A: "b", B: "c", Same: true},  // contradicted below: no evidence
		{A: "c", B: "b", Same: false},
	}
	pats, lc := labelPatterns(prep, cands, vecs, labels)
	if len(lc.index) != 1 || lc.index[0] != 0 || lc.label[0] != labelSame {
		t.Fatalf("labelled candidates %+v, want only pair 0 as the same person", lc)
	}
	var total float64
	labelled := 0
	for _, p := range pats {
		total += p.count
		if p.label != 0 {
			labelled++
		}
	}
	if total != 2 || labelled != 1 {
		t.Fatalf("patterns count %v pairs with %d labelled, want 2 with 1", total, labelled)
	}
}

// On Febrl4, analysts who settle the pairs the model is least sure of (Febrl4 leaves none
// in the review band, so the band here is wider: 0.01 to 0.999) give a model that agrees
// with them at least as well, and better in log loss, than the one fitted without them;
// the effect report counts what they changed.
func TestLabelsOfUncertainPairsImproveAgreementOnFebrl4(t *testing.T) {
	if testing.Short() {
		t.Skip("fits Febrl4 twice")
	}
	recs, truth := readFebrlFiles(t, "dataset4a.csv", "dataset4b.csv")
	res, err := Link(recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var labels []LabelledPair
	for _, p := range res.Model.ScorePairs(recs, Candidates(recs, Options{}), 0.01) {
		if p.Probability < 0.999 {
			labels = append(labels, LabelledPair{A: p.A, B: p.B, Same: truth[p.A] == truth[p.B]})
		}
	}
	if len(labels) == 0 {
		t.Fatal("no uncertain pairs to label")
	}
	labelled, err := LinkLabelled(recs, Options{}, labels)
	if err != nil {
		t.Fatal(err)
	}
	e := labelled.Model.Labels
	if e == nil {
		t.Fatal("no label effect on a labelled fit")
	}
	t.Logf("%d uncertain pairs labelled\n%s", len(labels), e.Report())
	if e.Used != len(labels) || e.Same+e.Different != e.Used {
		t.Fatalf("used %d (%d same, %d different) of %d labelled candidates", e.Used, e.Same, e.Different, len(labels))
	}
	if e.With.LogLossBits > e.Without.LogLossBits {
		t.Fatalf("log loss on the labels rose from %.3f to %.3f bits", e.Without.LogLossBits, e.With.LogLossBits)
	}
	if e.With.Disagree > e.Without.Disagree {
		t.Fatalf("disagreements rose from %d to %d", e.Without.Disagree, e.With.Disagree)
	}
	if res.Model.Labels != nil {
		t.Fatal("a fit without labels reports a label effect")
	}
}
