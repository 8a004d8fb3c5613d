package match

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

const febrlDir = "../../../shared/datasets/febrl"

func readFebrlFiles(t testing.TB, names ...string) ([]Record, map[string]string) {
	t.Helper()
	var recs []Record
	truth := map[string]string{}
	for _, n := range names {
		f, err := os.Open(filepath.Join(febrlDir, n))
		if err != nil {
			if os.IsNotExist(err) {
				t.Skipf("Febrl data absent: %v", err)
			}
			t.Fatal(err)
		}
		r, tr, err := ReadFebrl(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r...)
		for k, v := range tr {
			truth[k] = v
		}
	}
	return recs, truth
}

// blockingRecall returns the share of true pairs found among the candidates.
func blockingRecall(recs []Record, truth map[string]string, cands [][2]int) (float64, int) {
	byPerson := map[string][]int{}
	for i, r := range recs {
		byPerson[truth[r.ID]] = append(byPerson[truth[r.ID]], i)
	}
	total := 0
	for _, g := range byPerson {
		total += len(g) * (len(g) - 1) / 2
	}
	found := 0
	for _, c := range cands {
		if truth[recs[c[0]].ID] == truth[recs[c[1]].ID] {
			found++
		}
	}
	if total == 0 {
		return 1, 0
	}
	return float64(found) / float64(total), total
}

func runFebrl(t *testing.T, files ...string) (p, r, f1 float64) {
	recs, truth := readFebrlFiles(t, files...)
	start := time.Now()
	res, err := Link(recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	cands := Candidates(recs, Options{})
	br, total := blockingRecall(recs, truth, cands)
	pred := Clusters(recs, res.Matches)
	p, r, f1, c := Evaluate(pred, truth)
	t.Logf("%v: %d records, %d true pairs, %d candidates, blocking recall %.4f", files, len(recs), total, res.Candidates, br)
	t.Logf("precision %.4f recall %.4f F1 %.4f (TP %d FP %d FN %d), %d matches, %d review, Link took %v",
		p, r, f1, c.TP, c.FP, c.FN, len(res.Matches), len(res.Review), elapsed)
	t.Logf("\n%s", res.Model.Report())
	// separation: the weakest true pair and the strongest false one among all candidates
	_, prep, cand, _, err := fit(recs, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	lowTrue, highFalse := math.Inf(1), math.Inf(-1)
	for _, c := range cand {
		w := res.Model.scorePrepared(&prep[c[0]], &prep[c[1]]).Weight
		if truth[recs[c[0]].ID] == truth[recs[c[1]].ID] {
			lowTrue = min(lowTrue, w)
		} else {
			highFalse = max(highFalse, w)
		}
	}
	need := math.Log2(res.Model.Options.MatchProbability/(1-res.Model.Options.MatchProbability)) -
		math.Log2(res.Model.Lambda/(1-res.Model.Lambda))
	t.Logf("weights: weakest true pair %.1f bits, strongest non-match %.1f bits, match needs %.1f bits", lowTrue, highFalse, need)
	return p, r, f1
}

func TestFebrl4(t *testing.T) {
	_, _, f1 := runFebrl(t, "dataset4a.csv", "dataset4b.csv")
	if f1 < 0.98 {
		t.Errorf("Febrl4 F1 %.4f < 0.98", f1)
	}
}

func TestFebrl1(t *testing.T) {
	_, _, f1 := runFebrl(t, "dataset1.csv")
	if f1 < 0.95 {
		t.Errorf("Febrl1 F1 %.4f < 0.95", f1)
	}
}

// TestFebrl4aAlone links dataset4a, which holds no duplicates: nothing may merge.
func TestFebrl4aAlone(t *testing.T) {
	recs, _ := readFebrlFiles(t, "dataset4a.csv")
	res, err := Link(recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("dataset4a alone: %d candidates, λ %.6f, %d matches, %d review", res.Candidates, res.Model.Lambda, len(res.Matches), len(res.Review))
	if len(res.Matches) > 0 {
		t.Errorf("%d matches in a file without duplicates, first %+v", len(res.Matches), res.Matches[0])
	}
}

// With each file named as its source, EM finds that pairs within one file are almost never
// the same person (Febrl4's files hold no duplicates) and pairs across files often are; the
// same records then score lower within one file than across, and nothing gets worse.
func TestFebrl4WithSources(t *testing.T) {
	a, truth := readFebrlFiles(t, "dataset4a.csv")
	b, truthB := readFebrlFiles(t, "dataset4b.csv")
	for i := range a {
		a[i].Source = "a"
	}
	for i := range b {
		b[i].Source = "b"
	}
	for k, v := range truthB {
		truth[k] = v
	}
	recs := append(a, b...)
	withSources, err := Link(recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		recs[i].Source = ""
	}
	without, err := Link(recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := withSources.Model
	if m.LambdaSameSource >= m.Lambda/10 {
		t.Errorf("λ within a file %.6f, across files %.6f: want within far below across", m.LambdaSameSource, m.Lambda)
	}
	_, _, f1With, _ := Evaluate(Clusters(recs, withSources.Matches), truth)
	_, _, f1Without, _ := Evaluate(Clusters(recs, without.Matches), truth)
	t.Logf("F1 %.4f with sources, %.4f without; review %d vs %d", f1With, f1Without, len(withSources.Review), len(without.Review))
	if f1With < f1Without || len(withSources.Review) > len(without.Review) {
		t.Errorf("naming sources made things worse: F1 %.4f vs %.4f, review %d vs %d", f1With, f1Without, len(withSources.Review), len(without.Review))
	}
	// The prior shows in the score: the same two records compare lower within one source.
	x, y := a[0], a[1]
	x.Source, y.Source = "a", "b"
	across := m.Score(&x, &y)
	y.Source = "a"
	within := m.Score(&x, &y)
	if within.Probability >= across.Probability || within.Weight != across.Weight {
		t.Errorf("within %.4g (weight %.2f), across %.4g (weight %.2f)", within.Probability, within.Weight, across.Probability, across.Weight)
	}
}
