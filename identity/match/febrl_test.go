package match

import (
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
