package match

import (
	"fmt"
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

func TestGivenNameFrequencyBands(t *testing.T) {
	prep := frequencyRecords()
	nf := countNames(prep)
	if nf.Records != 100 || nf.Counts["wei"] != 40 || nf.Counts["雅依"] != 2 || nf.Counts[pinyinKey("yayi")] != 2 {
		t.Fatalf("counts %d records, wei %d, 雅依 %d, yayi %d", nf.Records, nf.Counts["wei"], nf.Counts["雅依"], nf.Counts[pinyinKey("yayi")])
	}
	if _, kept := nf.Counts["name1"]; kept {
		t.Error("a value held once should not be kept")
	}
	for i := range prep {
		nf.annotate(&prep[i])
	}
	band := func(a, b *prepared) string {
		var c [numFields]compared
		compareAll(a, b, &c, false)
		return levelName(fGivenFreq, c[fGivenFreq])
	}
	if got := band(&prep[40], &prep[41]); got != "held by 2" {
		t.Errorf("雅依: %s", got)
	}
	if got := band(&prep[0], &prep[1]); got != "held by 21+" {
		t.Errorf("Wei: %s", got)
	}
	if got := band(&prep[0], &prep[42]); got != LevelMissing {
		t.Errorf("different given names are not banded: %s", got)
	}
	// Agreement through pinyin is banded by the romanized form's count; a record scored
	// later is banded by the fitted table.
	latin := prepare(&Record{ID: "l", GivenName: "Yayi", FamilyName: "Xiong"})
	nf.annotate(&latin)
	if got := band(&prep[40], &latin); got != "held by 2" {
		t.Errorf("雅依 and Yayi: %s", got)
	}
	// Swapped parts (given of one is the family of the other) are not banded.
	a := prepare(&Record{ID: "a", GivenName: "Wei", FamilyName: "Lin"})
	b := prepare(&Record{ID: "b", GivenName: "Lin", FamilyName: "Wei"})
	nf.annotate(&a)
	nf.annotate(&b)
	if got := agreedGivenCount(&a, &b); got != 0 {
		t.Errorf("swapped names banded with count %d", got)
	}
}

// A model weighs a rare name's agreement above a common one's, in Score as in Link.
func TestScoreUsesFrequencyBands(t *testing.T) {
	nf := countNames(frequencyRecords())
	m := &Model{Lambda: 0.1, Names: nf, Fields: []FieldWeights{
		{Field: FieldGivenName, Active: true, Levels: []LevelWeight{{Level: LevelExact, Weight: 3}, {Level: LevelDifferent, Weight: -3}}},
		{Field: FieldGivenFreq, Active: true, Levels: []LevelWeight{{Level: "held by 2", Weight: 4}, {Level: "held by 21+", Weight: -1}}},
	}}
	rare := m.Score(&Record{ID: "a", GivenName: "Yayi"}, &Record{ID: "b", GivenName: "Yayi"})
	common := m.Score(&Record{ID: "a", GivenName: "Wei"}, &Record{ID: "b", GivenName: "Wei"})
	if !near(rare.Weight, 7, 1e-12) || !near(common.Weight, 2, 1e-12) {
		t.Fatalf("weights: rare %v (want 7), common %v (want 2)", rare.Weight, common.Weight)
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
