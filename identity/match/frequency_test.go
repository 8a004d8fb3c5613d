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
	prep := frequencyRecords()
	prep = append(prep, prepare(&Record{ID: "k1", GivenName: "Cosimo"}), prepare(&Record{ID: "k2", GivenName: "Cosimo"}))
	nf := countNames(prep)
	m := &Model{Lambda: 0.1, Names: nf, Fields: []FieldWeights{
		{Field: FieldGivenName, Active: true, Levels: []LevelWeight{{Level: LevelExact, Weight: 3}, {Level: LevelDifferent, Weight: -3}}},
		{Field: FieldGivenFreq, Active: true, Levels: []LevelWeight{{Level: "held by 2", Weight: 4}, {Level: "held by 21+", Weight: -1}}},
	}}
	rare := m.Score(&Record{ID: "a", GivenName: "Cosimo"}, &Record{ID: "b", GivenName: "Cosimo"})
	common := m.Score(&Record{ID: "a", GivenName: "Wei"}, &Record{ID: "b", GivenName: "Wei"})
	if !near(rare.Weight, 7, 1e-12) || !near(common.Weight, 2, 1e-12) {
		t.Fatalf("weights: rare %v (want 7), common %v (want 2)", rare.Weight, common.Weight)
	}
	// The bands come from the fitted table: a name the table has seen 40 times stays
	// common even when only two records are scored.
	if nf.Counts["cosimo"] != 2 || nf.Counts["wei"] != 40 {
		t.Fatalf("table: cosimo %d, wei %d", nf.Counts["cosimo"], nf.Counts["wei"])
	}
}
