package match

import (
	"fmt"
	"math"
	"testing"
)

// frequencyRecords: 40 records named Wei, 2 named Yayi, 58 with distinct given names.
func frequencyRecords() []prepared {
	var recs []Record
	for i := range 40 {
		recs = append(recs, Record{ID: fmt.Sprint("w", i), GivenName: "Wei", FamilyName: fmt.Sprint("F", i)})
	}
	recs = append(recs, Record{ID: "y1", GivenName: "雅依", FamilyName: "熊"}, Record{ID: "y2", GivenName: "雅依", FamilyName: "熊"})
	for i := range 58 {
		recs = append(recs, Record{ID: fmt.Sprint("d", i), GivenName: fmt.Sprint("Name", i), FamilyName: "X"})
	}
	return prepareAll(recs)
}

func TestGivenNameFrequencyAdjustment(t *testing.T) {
	prep := frequencyRecords()
	nf := countNames(prep)
	if nf.Records != 100 {
		t.Fatalf("records %d, want 100", nf.Records)
	}
	// S = (40² + 2² + 58·1²) / 100²
	wantS := (1600.0 + 4 + 58) / 10000
	if !near(nf.SumSq, wantS, 1e-12) {
		t.Errorf("Σf² = %v, want %v", nf.SumSq, wantS)
	}
	if _, kept := nf.Counts["name1"]; kept {
		t.Error("a value held once should not be kept")
	}
	exact := vector{}
	for f := range exact {
		exact[f] = missing
	}
	exact[fGiven] = 0
	rare := nf.givenAdjustment(&prep[40], &prep[41], &exact)
	if want := math.Log2(wantS / (2.0 / 100)); !near(rare, want, 1e-9) || rare <= 0 {
		t.Errorf("rare name: %v bits, want %v > 0", rare, want)
	}
	common := nf.givenAdjustment(&prep[0], &prep[1], &exact)
	if want := math.Log2(wantS / (40.0 / 100)); !near(common, want, 1e-9) || common >= 0 {
		t.Errorf("common name: %v bits, want %v < 0", common, want)
	}
	close := exact
	close[fGiven] = 1
	if got := nf.givenAdjustment(&prep[40], &prep[41], &close); got != 0 {
		t.Errorf("close agreement adjusted by %v bits", got)
	}
	// Agreement through pinyin is counted under the romanized key.
	latin := prepare(&Record{ID: "l", GivenName: "Yayi", FamilyName: "Xiong"})
	nf = countNames(append(prep, latin))
	if nf.Counts[pinyinKey("yayi")] != 3 {
		t.Errorf("pinyin count %d, want 3", nf.Counts[pinyinKey("yayi")])
	}
	if got := nf.givenAdjustment(&prep[40], &latin, &exact); got <= 0 {
		t.Errorf("雅依 and Yayi: %v bits, want a bonus", got)
	}
	// Swapped parts (given of one is the family of the other) keep the level's weight.
	a := prepare(&Record{ID: "a", GivenName: "Wei", FamilyName: "Lin"})
	b := prepare(&Record{ID: "b", GivenName: "Lin", FamilyName: "Wei"})
	if got := nf.givenAdjustment(&a, &b, &exact); got != 0 {
		t.Errorf("swapped names adjusted by %v bits", got)
	}
}

// The adjustment reaches the score, its explanation and a model rebuilt from JSON fields.
func TestScoreCarriesFrequency(t *testing.T) {
	nf := countNames(frequencyRecords())
	levels := []LevelWeight{{Level: LevelExact, Weight: 3}, {Level: LevelDifferent, Weight: -3}}
	m := &Model{Lambda: 0.1, Names: nf, Fields: []FieldWeights{{Field: FieldGivenName, Active: true, Levels: levels}}}
	rare := m.Score(&Record{ID: "a", GivenName: "Yayi"}, &Record{ID: "b", GivenName: "Yayi"})
	common := m.Score(&Record{ID: "a", GivenName: "Wei"}, &Record{ID: "b", GivenName: "Wei"})
	if !(rare.Probability > common.Probability) {
		t.Fatalf("rare %v should outscore common %v", rare.Probability, common.Probability)
	}
	c := rare.Comparisons[0]
	if c.Frequency <= 0 || !near(c.Weight, 3+c.Frequency, 1e-12) || !near(rare.Weight, c.Weight, 1e-12) {
		t.Errorf("explanation %+v, pair weight %v", c, rare.Weight)
	}
}

func TestPetNamesAreGivenNames(t *testing.T) {
	for in, want := range map[string][2]string{
		"涵涵": {"涵", ""}, "阿巧": {"巧", ""}, "小素": {"素", ""}, "王伟": {"伟", "王"}, "小林一郎": {"林一郎", "小"},
		"Amy": {"amy", ""}, "Amy Schmidt": {"amy", "schmidt"},
	} {
		g, f := splitFullName(in)
		if g != want[0] || f != want[1] {
			t.Errorf("%s: given %q family %q, want %q %q", in, g, f, want[0], want[1])
		}
	}
}

func TestWeakIdentifiersCompareAndBlock(t *testing.T) {
	a := Record{ID: "a", WeakIDs: []string{"device_id:d2", "cookie_id:c1", "device_id:d2"}}
	b := Record{ID: "b", WeakIDs: []string{"device_id:d9", "device_id:d2"}}
	c := Record{ID: "c", WeakIDs: []string{"device_id:d9x"}}
	pa, pb, pc, none := prepare(&a), prepare(&b), prepare(&c), prepare(&Record{ID: "n"})
	for _, tc := range []struct {
		x, y *prepared
		want int8
	}{{&pa, &pb, 0}, {&pa, &pc, 1}, {&pa, &none, missing}} {
		if got := compareSets(tc.x.weak, tc.y.weak).level; got != tc.want {
			t.Errorf("%s vs %s: level %d, want %d", tc.x.id, tc.y.id, got, tc.want)
		}
	}
	if cands := Candidates([]Record{a, b, c}, Options{}); len(cands) != 1 || cands[0] != [2]int{0, 1} {
		t.Errorf("candidates %v: only the records sharing a device should meet", cands)
	}
}

func TestNameFromHandle(t *testing.T) {
	for in, want := range map[string][2]string{
		"wechat:yayi_xiong5218":  {"yayi", "xiong"},
		"weibo:Sophie.McDonald":  {"sophie", "mcdonald"},
		"kesu-xue":               {"kesu", "xue"},
		"wechat:wxid_190cq6u0qa": {},
		"wechat:coolcat":         {},
		"x:a_b":                  {},
		"x:li_na_2":              {},
		"x:mary_jane2x":          {},
	} {
		g, f, ok := NameFromHandle(in)
		if ok != (want != [2]string{}) || g != want[0] || f != want[1] {
			t.Errorf("%s: %q %q %v, want %q", in, g, f, ok, want)
		}
	}
}

// A WeChat account called "Michael" whose handle spells 熊雅依 meets and matches her CRM record.
func TestHandleNameStandsIn(t *testing.T) {
	crm := Record{ID: "c", FullName: "熊雅依", City: "Wuhan"}
	wx := Record{ID: "w", FullName: "Michael", City: "Wuhan", Handles: []string{"wechat:yayi_xiong5218"}}
	got := compareRecords(crm, wx)
	if g, f := levelName(fGiven, got[fGiven]), levelName(fFamily, got[fFamily]); g != LevelExact || f != LevelExact {
		t.Errorf("through the handle: given %s family %s, want exact exact", g, f)
	}
	if cands := Candidates([]Record{crm, wx}, Options{}); len(cands) != 1 {
		t.Errorf("the handle's name should put the records in one block: %v", cands)
	}
	wx.Handles = []string{"wechat:wxid_hrev6lu3jqmcxq"}
	if got := compareRecords(crm, wx); got[fGiven].level == 0 {
		t.Error("a generated handle is not a name")
	}
}
