package match

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestEMRecoversSyntheticModel(t *testing.T) {
	// Four fields with three levels each, known m and u, 10% missing values; two pair
	// classes with their own share of matches: λ = 0.1 across sources, 0.01 within one.
	trueM := [][]float64{{0.80, 0.15, 0.05}, {0.90, 0.05, 0.05}, {0.70, 0.20, 0.10}, {0.85, 0.10, 0.05}}
	trueU := [][]float64{{0.02, 0.08, 0.90}, {0.05, 0.05, 0.90}, {0.01, 0.04, 0.95}, {0.10, 0.20, 0.70}}
	const lambda, lambdaSame, n = 0.1, 0.01, 60000
	rng := rand.New(rand.NewPCG(1, 2))
	draw := func(p []float64) int8 {
		x := rng.Float64()
		for l, q := range p {
			if x < q {
				return int8(l)
			}
			x -= q
		}
		return int8(len(p) - 1)
	}
	vecs := make([]vector, n)
	classes := make([]int8, n)
	var marginal table
	for i := range vecs {
		share := lambda
		if i%3 == 0 {
			classes[i], share = sameSource, lambdaSame
		}
		match := rng.Float64() < share
		for f := range vecs[i] {
			vecs[i][f] = missing
		}
		for f := range trueM {
			if rng.Float64() < 0.1 {
				continue
			}
			if match {
				vecs[i][f] = draw(trueM[f])
			} else {
				vecs[i][f] = draw(trueU[f])
			}
			marginal[f][vecs[i][f]]++
		}
	}
	var nLevels [numFields]int
	var u0 table
	for f := range trueM {
		nLevels[f] = 3
		t := marginal[f][0] + marginal[f][1] + marginal[f][2]
		for l := range 3 {
			u0[f][l] = marginal[f][l] / t // overall frequencies: the random-pair estimate
		}
	}
	var m0 table // matches mostly agree
	for f := range trueM {
		m0[f] = [maxLevels]float64{0.85, 0.1, 0.05}
	}
	res := runEM(patternsOf(vecs, classes), nLevels, m0, u0, [2]float64{0.3, 0.3})
	if !res.converged {
		t.Errorf("EM did not converge in %d iterations", res.iterations)
	}
	if !near(res.lambda[acrossSources], lambda, 0.01) || !near(res.lambda[sameSource], lambdaSame, 0.005) {
		t.Errorf("λ = %.4f across, %.4f within, want %.2f and %.2f", res.lambda[acrossSources], res.lambda[sameSource], lambda, lambdaSame)
	}
	for f := range trueM {
		for l := range 3 {
			if !near(res.m[f][l], trueM[f][l], 0.02) {
				t.Errorf("m[%d][%d] = %.4f, want %.2f", f, l, res.m[f][l], trueM[f][l])
			}
			if !near(res.u[f][l], trueU[f][l], 0.01) {
				t.Errorf("u[%d][%d] = %.4f, want %.2f", f, l, res.u[f][l], trueU[f][l])
			}
		}
	}
	t.Logf("λ=%.4f after %d iterations; m=%.3f u=%.3f", res.lambda, res.iterations, res.m[:4], res.u[:4])
}

func TestEvaluateHandExample(t *testing.T) {
	truth := map[string]string{"a": "1", "b": "1", "c": "1", "d": "2", "e": "2", "f": "3"}
	pred := map[string]string{"a": "x", "b": "x", "c": "y", "d": "y", "e": "z"} // f absent: singleton
	p, r, f1, c := Evaluate(pred, truth)
	// predicted pairs ab, cd; true pairs ab, ac, bc, de
	if c.TP != 1 || c.FP != 1 || c.FN != 3 {
		t.Errorf("counts %+v, want TP 1 FP 1 FN 3", c)
	}
	if !near(p, 0.5, 1e-12) || !near(r, 0.25, 1e-12) || !near(f1, 1.0/3, 1e-12) {
		t.Errorf("P %.4f R %.4f F1 %.4f, want 0.5 0.25 0.3333", p, r, f1)
	}
	p, r, f1, c = Evaluate(truth, truth)
	if p != 1 || r != 1 || f1 != 1 || c.TP != 4 || c.FP != 0 || c.FN != 0 {
		t.Errorf("perfect: %v %v %v %+v", p, r, f1, c)
	}
	// cluster ids only matter by equality: the same partition under other names
	renamed := map[string]string{"a": "q", "b": "q", "c": "q", "d": "r", "e": "r", "f": "s"}
	if _, _, f1, _ := Evaluate(renamed, truth); f1 != 1 {
		t.Errorf("renamed clusters: F1 %v", f1)
	}
}

func TestClusters(t *testing.T) {
	var recs []Record
	for _, id := range []string{"f", "e", "d", "c", "b", "a"} {
		recs = append(recs, Record{ID: id})
	}
	got := Clusters(recs, []Pair{{A: "c", B: "b"}, {A: "c", B: "a"}, {A: "f", B: "e"}})
	want := map[string]string{"a": "a", "b": "a", "c": "a", "d": "d", "e": "e", "f": "e"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Clusters = %v, want %v", got, want)
	}
}

// synthetic makes n people, a share of them with a corrupted duplicate, Latin or CJK.
func synthetic(n int, cjk bool, seed uint64) ([]Record, map[string]string) {
	return syntheticRate(n, cjk, seed, 0.3)
}

// syntheticRate is synthetic with the given share of people duplicated.
func syntheticRate(n int, cjk bool, seed uint64, dupRate float64) ([]Record, map[string]string) {
	rng := rand.New(rand.NewPCG(seed, 7))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	given := strings.Fields("james mary john patricia robert jennifer michael linda william elizabeth david barbara richard susan joseph jessica thomas sarah charles karen christopher nancy daniel lisa matthew betty anthony margaret mark sandra donald ashley steven kimberly paul emily andrew donna joshua michelle")
	family := strings.Fields("smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores")
	streets := strings.Fields("oak maple cedar pine elm washington lake hill park view sunset river spring church high mill")
	cities := []string{"springfield", "riverside", "franklin", "greenville", "bristol", "clinton", "fairview", "salem", "madison", "georgetown"}
	cjkFamily := strings.Split("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗", "")
	cjkGiven := strings.Split("小明伟芳娜敏静丽强磊军洋勇艳杰娟涛超秀霞平刚桂英华建国晓红", "")
	cjkCity := []string{"北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京"}
	cjkRoad := strings.Split("人民解放中山建设和平新华胜利文化", "")
	typo := func(s string) string {
		r := []rune(s)
		if len(r) < 2 {
			return s
		}
		i := rng.IntN(len(r) - 1)
		switch rng.IntN(3) {
		case 0:
			r[i], r[i+1] = r[i+1], r[i]
		case 1:
			r = append(r[:i], r[i+1:]...)
		default:
			if cjk {
				r[i+1] = []rune(pick(cjkGiven))[0]
			} else {
				r[i] = rune('a' + rng.IntN(26))
			}
		}
		return string(r)
	}
	var recs []Record
	truth := map[string]string{}
	for p := 0; p < n; p++ {
		r := Record{
			BirthDate: fmt.Sprintf("%04d-%02d-%02d", 1930+rng.IntN(75), 1+rng.IntN(12), 1+rng.IntN(28)),
			Phone:     fmt.Sprintf("04%08d", rng.IntN(100000000)),
		}
		if cjk {
			g := pick(cjkGiven)
			if rng.IntN(3) > 0 {
				g += pick(cjkGiven)
			}
			r.FullName = pick(cjkFamily) + g
			r.City = pick(cjkCity)
			r.AddressLine1 = fmt.Sprintf("%s%s路%d号", pick(cjkRoad), pick(cjkRoad), 1+rng.IntN(300))
			r.Phone = fmt.Sprintf("1%d%09d", 3+rng.IntN(7), rng.IntN(1000000000))
		} else {
			r.GivenName, r.FamilyName = pick(given), pick(family)
			r.StreetNumber = fmt.Sprint(1 + rng.IntN(200))
			r.AddressLine1 = pick(streets) + " " + pick([]string{"street", "road", "avenue"})
			r.City = pick(cities)
			r.Postcode = fmt.Sprintf("%05d", rng.IntN(100000))
			r.NationalID = fmt.Sprintf("%07d", rng.IntN(10000000))
			r.Email = fmt.Sprintf("%s.%s%d@example.com", r.GivenName, r.FamilyName, rng.IntN(100))
		}
		r.ID = fmt.Sprintf("p%05d-a", p)
		recs = append(recs, r)
		truth[r.ID] = fmt.Sprint(p)
		if rng.Float64() >= dupRate {
			continue
		}
		d := r
		d.ID = fmt.Sprintf("p%05d-b", p)
		for k := 1 + rng.IntN(3); k > 0; k-- {
			switch rng.IntN(7) {
			case 0:
				if cjk {
					d.FullName = typo(d.FullName)
				} else {
					d.GivenName = typo(d.GivenName)
				}
			case 1:
				d.FamilyName = typo(d.FamilyName)
			case 2:
				b := []byte(d.BirthDate) // swap day and month, or a digit typo
				if b[8] <= '1' {
					d.BirthDate = string(b[:5]) + string(b[8:10]) + "-" + string(b[5:7])
				} else {
					b[9] = byte('0' + rng.IntN(10))
					d.BirthDate = string(b)
				}
			case 3:
				d.Phone = ""
			case 4:
				d.AddressLine1 = typo(d.AddressLine1)
			case 5:
				if cjk {
					d.City = ""
				} else {
					d.NationalID = typo(d.NationalID)
				}
			case 6:
				if cjk {
					d.FullName = strings.Join(strings.Split(d.FullName, ""), " ") // spaced out
				} else {
					d.Email = ""
				}
			}
		}
		recs = append(recs, d)
		truth[d.ID] = fmt.Sprint(p)
	}
	// shuffle deterministically so that duplicates are not adjacent
	rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	return recs, truth
}

// TestLinkSynthetic links synthetic Latin and CJK populations at duplicate rates from none
// to most people, with the same default options: the fitted model must adapt, and a
// population without duplicates must give no matches (Winkler's constraints keep EM from
// splitting the non-matches into two classes).
func TestLinkSynthetic(t *testing.T) {
	for _, cjk := range []bool{false, true} {
		for _, rate := range []float64{0, 0.01, 0.3} {
			recs, truth := syntheticRate(2500, cjk, 42, rate)
			res, err := Link(recs, Options{})
			if err != nil {
				t.Fatal(err)
			}
			br, total := blockingRecall(recs, truth, Candidates(recs, Options{}))
			p, r, f1, c := Evaluate(Clusters(recs, res.Matches), truth)
			t.Logf("cjk=%v duplicates %.0f%%: %d records, %d true pairs, %d candidates, blocking recall %.4f; λ %.5f; P %.4f R %.4f F1 %.4f %+v, review %d",
				cjk, rate*100, len(recs), total, res.Candidates, br, res.Model.Lambda, p, r, f1, c, len(res.Review))
			if f1 < 0.95 || br < 0.98 || c.FP > 0 {
				t.Errorf("cjk=%v rate %v: F1 %.4f, blocking recall %.4f, %d false positive pairs", cjk, rate, f1, br, c.FP)
				t.Log(res.Model.Report())
			}
		}
	}
}

func TestConstrainedMStep(t *testing.T) {
	// unconstrained: exact agreement less frequent among "matches" than non-matches
	a := []float64{10, 5, 85} // match counts: exact, close, different
	b := []float64{50, 5, 45}
	m, u := constrainedMStep(a, b)
	if m[0] != u[0] || !near(m[0], 60.0/200, 1e-12) {
		t.Errorf("exact not pooled: m %v u %v", m[0], u[0])
	}
	if m[2] != u[2] || !near(m[2], 130.0/200, 1e-12) {
		t.Errorf("different not pooled: m %v u %v", m[2], u[2])
	}
	if !near(m[0]+m[1]+m[2], 1, 1e-12) || !near(u[0]+u[1]+u[2], 1, 1e-12) {
		t.Errorf("not distributions: %v %v", m, u)
	}
	// satisfied constraints: plain frequencies
	m, u = constrainedMStep([]float64{80, 10, 10}, []float64{5, 5, 90})
	if !near(m[0], 0.8, 1e-12) || !near(u[2], 0.9, 1e-12) {
		t.Errorf("unconstrained case changed: %v %v", m, u)
	}
}

func TestBlockingFindsTypoDuplicate(t *testing.T) {
	recs, _ := synthetic(500, false, 3)
	orig := Record{ID: "orig", GivenName: "Katherine", FamilyName: "Oduya", BirthDate: "1972-03-14",
		StreetNumber: "12", AddressLine1: "wattle road", City: "bristol", Postcode: "40213", NationalID: "8812345"}
	// typos in family name, birth date (day/month swapped), postcode and national id
	dup := Record{ID: "dup", GivenName: "Kathrine", FamilyName: "Oudya", BirthDate: "1972-14-03",
		StreetNumber: "12", AddressLine1: "wattle rd", City: "bristol", Postcode: "40231", NationalID: "8812354"}
	recs = append(recs, orig, dup)
	found := false
	for _, c := range Candidates(recs, Options{}) {
		if c[0] == len(recs)-2 && c[1] == len(recs)-1 {
			found = true
		}
	}
	if !found {
		t.Errorf("typo'd duplicate not among candidates; keys %q / %q", Keys(&orig), Keys(&dup))
	}
	res, err := Link(recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cl := Clusters(recs, res.Matches)
	if cl["orig"] != cl["dup"] {
		t.Errorf("duplicate not merged: %+v", res.Model.Score(&orig, &dup))
	}
}

func TestCandidatesSkipOversizedBlocks(t *testing.T) {
	var recs []Record
	for i := 0; i < 30; i++ { // 30 records sharing only a birth date
		recs = append(recs, Record{ID: fmt.Sprint(i), BirthDate: "1990-01-01"})
	}
	if n := len(Candidates(recs, Options{MaxBlockSize: 50})); n != 30*29/2 {
		t.Errorf("block of 30 with limit 50: %d pairs", n)
	}
	if n := len(Candidates(recs, Options{MaxBlockSize: 20})); n != 0 {
		t.Errorf("block of 30 with limit 20: %d pairs, want 0", n)
	}
}

func TestScoreExplains(t *testing.T) {
	recs, _ := synthetic(2000, false, 9)
	model, err := Fit(recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := Record{ID: "x", GivenName: "mary", FamilyName: "smith", BirthDate: "1980-05-17", NationalID: "1234567", City: "salem"}
	b := Record{ID: "y", GivenName: "marry", FamilyName: "smith", BirthDate: "1980-05-17", NationalID: "1234576"}
	p := model.Score(&a, &b)
	if p.A != "x" || p.B != "y" || p.Probability < 0.95 {
		t.Errorf("pair %+v", p)
	}
	sum := 0.0
	levels := map[string]string{}
	for _, c := range p.Comparisons {
		sum += c.Weight
		levels[c.Field] = c.Level
	}
	if !near(sum, p.Weight, 1e-9) {
		t.Errorf("weights sum to %v, pair weight %v", sum, p.Weight)
	}
	want := map[string]string{FieldGivenName: LevelClose, FieldFamilyName: LevelExact, FieldBirthDate: LevelExact,
		FieldNationalID: LevelClose, FieldCity: LevelMissing}
	for f, l := range want {
		if levels[f] != l {
			t.Errorf("%s: %q, want %q", f, levels[f], l)
		}
	}
	if _, ok := levels[FieldGender]; ok {
		t.Error("gender is absent from the data and should not be listed")
	}
	c := model.Score(&a, &Record{ID: "z", GivenName: "peter", FamilyName: "jones", BirthDate: "1955-01-02", NationalID: "7654321"})
	if c.Probability > 0.01 {
		t.Errorf("different person scored %v", c.Probability)
	}
	// a model rebuilt from its exported fields scores the same
	clone := &Model{Lambda: model.Lambda, Fields: model.Fields, Names: model.Names}
	if q := clone.Score(&a, &b); !near(q.Probability, p.Probability, 1e-12) || !near(q.Weight, p.Weight, 1e-9) {
		t.Errorf("rebuilt model: %v/%v vs %v/%v", q.Probability, q.Weight, p.Probability, p.Weight)
	}
	rep := model.Report()
	for _, s := range []string{"external_id", "exact", "weight", "λ"} {
		if !strings.Contains(rep, s) {
			t.Errorf("report lacks %q:\n%s", s, rep)
		}
	}
}

func TestLinkDeterministic(t *testing.T) {
	recs, _ := synthetic(1500, false, 5)
	r1, err := Link(recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// same records in another order: same model and same clusters
	rev := make([]Record, len(recs))
	for i := range recs {
		rev[len(recs)-1-i] = recs[i]
	}
	r2, err := Link(recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r1, r2) {
		t.Error("two runs on the same input differ")
	}
	r3, err := Link(rev, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(Clusters(recs, r1.Matches), Clusters(rev, r3.Matches)) {
		t.Error("clusters depend on record order")
	}
}

func TestLinkErrors(t *testing.T) {
	if _, err := Link([]Record{{ID: "a"}}, Options{}); err == nil {
		t.Error("one record: want error")
	}
	if _, err := Link([]Record{{ID: "a"}, {ID: "a"}}, Options{}); err == nil {
		t.Error("duplicate ids: want error")
	}
	if _, err := Link([]Record{{ID: "a"}, {ID: "b"}}, Options{MatchProbability: 0.6, ReviewProbability: 0.9}); err == nil {
		t.Error("review above match: want error")
	}
}

func TestReadFebrl(t *testing.T) {
	in := "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\n" +
		"rec-223-org, , waller, 6, tullaroop street, willaroo, st james, 4011, wa, 19081209, 6988048\n" +
		"rec-223-dup-0, lachlan, walelr, , tullaroop street, , st james, 0401, wa, 19081209, 6988048" // no final newline
	recs, truth, err := ReadFebrl(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || truth["rec-223-org"] != "223" || truth["rec-223-dup-0"] != "223" {
		t.Fatalf("recs %+v truth %v", recs, truth)
	}
	want := Record{ID: "rec-223-dup-0", GivenName: "lachlan", FamilyName: "walelr", AddressLine1: "tullaroop street",
		City: "st james", Postcode: "0401", Region: "wa", BirthDate: "1908-12-09", NationalID: "6988048"}
	if !reflect.DeepEqual(recs[1], want) {
		t.Errorf("got %+v\nwant %+v", recs[1], want)
	}
}

// A Chinese name and its romanized form compare through pinyin, in either order, and meet
// in one block.
func TestRomanizedChineseNames(t *testing.T) {
	han := Record{ID: "crm:1", FullName: "赵嘉云", City: "Shanghai"}
	for _, latin := range []Record{
		{ID: "web:1", GivenName: "Jiayun", FamilyName: "Zhao"},
		{ID: "web:2", GivenName: "Zhao", FamilyName: "Jiayun"},
		{ID: "web:3", FullName: "Jiayun Zhao"},
	} {
		a, b := prepare(&han), prepare(&latin)
		var c [numFields]compared
		compareAll(&a, &b, &c, true)
		if c[fGiven].level != 0 || c[fFamily].level != 0 {
			t.Errorf("%s: given %d family %d, want both exact", latin.ID, c[fGiven].level, c[fFamily].level)
		}
		if cands := Candidates([]Record{han, latin}, Options{}); len(cands) != 1 {
			t.Errorf("%s: not a candidate of %s", latin.ID, han.ID)
		}
	}
	other := Record{ID: "web:4", GivenName: "Jiawen", FamilyName: "Zhao"}
	a, b := prepare(&han), prepare(&other)
	var c [numFields]compared
	compareAll(&a, &b, &c, true)
	if c[fGiven].level == 0 || c[fFamily].level != 0 {
		t.Errorf("赵嘉云 / Jiawen Zhao: given %d family %d", c[fGiven].level, c[fFamily].level)
	}
	if toPinyin("さくら") != "" || toPinyin("欧阳娜娜") != "ouyangnana" {
		t.Errorf("pinyin: %q %q", toPinyin("さくら"), toPinyin("欧阳娜娜"))
	}
}

// ScorePairs agrees with Score pair by pair, keeping only the pairs at or above its bound,
// for a model fitted here and for the same model read back from JSON.
func TestScorePairsAgreesWithScore(t *testing.T) {
	recs := []Record{
		{ID: "a", GivenName: "Ann", FamilyName: "Lee", BirthDate: "1990-05-04", City: "Leeds", Source: "crm"},
		{ID: "b", GivenName: "Anne", FamilyName: "Lee", BirthDate: "1990-05-04", City: "Leeds", Source: "web"},
		{ID: "c", GivenName: "Bo", FamilyName: "Wu", BirthDate: "1985-01-02", City: "York", Source: "web"},
		{ID: "d", FullName: "熊雅依", City: "Wuhan", Source: "crm"},
		{ID: "e", FullName: "Michael", City: "Wuhan", Source: "wechat", Handles: []string{"wechat:yayi_xiong5218"}},
	}
	train := append([]Record{}, recs...)
	for i := range 60 { // enough look-alikes and duplicates for EM
		g := []string{"Olivia", "Liam", "Emma", "Noah", "Ava", "Mason"}[i%6]
		r := Record{ID: fmt.Sprint("t", i), GivenName: g, FamilyName: fmt.Sprint("Fam", i%20), BirthDate: fmt.Sprintf("19%02d-02-%02d", 50+i%20, 1+i%20), City: "Leeds", Source: []string{"crm", "web"}[i%2]}
		train = append(train, r)
	}
	res, err := Link(train, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var stored Model
	b, _ := json.Marshal(res.Model)
	if err := json.Unmarshal(b, &stored); err != nil {
		t.Fatal(err)
	}
	pairs := [][2]int{{0, 1}, {0, 2}, {3, 4}, {1, 2}}
	for _, m := range []*Model{res.Model, &stored} {
		got := m.ScorePairs(recs, pairs, 0)
		if len(got) != len(pairs) {
			t.Fatalf("%d pairs scored, want %d", len(got), len(pairs))
		}
		for k, p := range pairs {
			want := m.Score(&recs[p[0]], &recs[p[1]])
			if !near(got[k].Probability, want.Probability, 1e-12) || len(got[k].Comparisons) != len(want.Comparisons) {
				t.Errorf("pair %v: %v, Score says %v", p, got[k].Probability, want.Probability)
			}
		}
		high := m.ScorePairs(recs, pairs, 0.5)
		for _, p := range high {
			if p.Probability < 0.5 {
				t.Errorf("pair %s-%s below the bound: %v", p.A, p.B, p.Probability)
			}
		}
		if len(high) == 0 || len(high) == len(pairs) {
			t.Errorf("the bound kept %d of %d pairs; the data has matches and non-matches", len(high), len(pairs))
		}
	}
}
