package identity

import (
	"math"
	"strings"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity/match"
)

// testModel weighs given name, family name, birth date and postcode; its prior is 1:1023
// (-10 bits), so a pair needs about +14.2 bits to reach 0.95.
func testModel() *match.Model {
	levels := func(ws ...float64) []match.LevelWeight {
		names := []string{match.LevelExact, match.LevelClose, match.LevelFuzzy, match.LevelInitial, match.LevelDifferent}
		if len(ws) == 3 {
			names = []string{match.LevelExact, match.LevelClose, match.LevelDifferent}
		}
		if len(ws) == 4 {
			names = []string{match.LevelExact, match.LevelClose, match.LevelFuzzy, match.LevelDifferent}
		}
		out := make([]match.LevelWeight, len(ws))
		for i, w := range ws {
			out[i] = match.LevelWeight{Level: names[i], Weight: w}
		}
		return out
	}
	return &match.Model{
		Version: match.ModelVersion, Lambda: 1.0 / 1024,
		Fields: []match.FieldWeights{
			{Field: match.FieldGivenName, Active: true, Levels: levels(6, 4, 2, 1, -5)},
			{Field: match.FieldFamilyName, Active: true, Levels: levels(5, 3, 1, 0.5, -5)},
			{Field: match.FieldBirthDate, Active: true, Levels: levels(7, 4, -6)},
			{Field: match.FieldPostcode, Active: true, Levels: levels(3, 1, 0, -2)},
		},
	}
}

func rec(id, given, family, birth, postcode string) match.Record {
	return match.Record{ID: id, GivenName: given, FamilyName: family, BirthDate: birth, Postcode: postcode}
}

func kinds(w *cdp.WhyApart) []string {
	var out []string
	for _, r := range w.Reasons {
		out = append(out, r.Kind)
	}
	return out
}

func evidence(w *cdp.WhyApart, field string) cdp.FieldEvidence {
	for _, e := range w.Score.Evidence {
		if e.Field == field {
			return e
		}
	}
	return cdp.FieldEvidence{}
}

func TestWhyApartScoresTheFieldsAgainstTheThresholds(t *testing.T) {
	f := PairFacts{
		A:      rec("crm:1", "Mei", "Wang", "1990-03-04", "200001"),
		B:      rec("pos:7", "Lan", "Wang", "1990-03-04", "200001"),
		Blocks: []Block{{Key: "fam:wang", Size: 12}},
	}
	w := DefaultRules().WhyApart(testModel(), f)
	if w.Score == nil || len(w.Score.Evidence) != 4 {
		t.Fatalf("score %+v, want the 4 fields of the model", w.Score)
	}
	if e := evidence(w, match.FieldGivenName); e.Level != match.LevelDifferent || e.Weight != -5 {
		t.Fatalf("given name %+v, want different at -5 bits", e)
	}
	if e := evidence(w, match.FieldBirthDate); e.Level != match.LevelExact || e.Weight != 7 {
		t.Fatalf("birth date %+v, want exact at +7", e)
	}
	if math.Abs(w.Score.Weight-10) > 1e-9 { // -5 + 5 + 7 + 3
		t.Fatalf("total weight %v, want 10 bits", w.Score.Weight)
	}
	if math.Abs(w.Score.PriorWeight-math.Log2(1.0/1023)) > 1e-6 {
		t.Fatalf("prior %v bits, want log2(1/1023)", w.Score.PriorWeight)
	}
	want := 1 / (1 + math.Pow(2, -(10+math.Log2(1.0/1023))))
	if math.Abs(w.Score.Probability-want) > 1e-9 {
		t.Fatalf("P %v, want %v", w.Score.Probability, want)
	}
	if w.MatchProbability != match.DefaultMatchProbability || w.ReviewProbability != match.DefaultReviewProbability {
		t.Fatalf("thresholds %v/%v, want the defaults", w.MatchProbability, w.ReviewProbability)
	}
	// 10 bits against a prior of -9.998: P just above 0.5, so an analyst decides.
	if k := kinds(w); len(k) != 1 || k[0] != cdp.ApartAwaitingReview {
		t.Fatalf("reasons %v, want awaiting_review alone", k)
	}
}

func TestWhyApartNamesTheVeto(t *testing.T) {
	// Twins: same family, postcode and nearly the same evidence, different given names and
	// birth dates a year apart. A heavy postcode weight pushes them over the threshold; the
	// personal-evidence rule keeps them apart.
	m := testModel()
	m.Fields[3].Levels[3].Weight = 3
	m.Fields[3].Levels[0].Weight = 30
	f := PairFacts{
		A:      rec("crm:1", "Mei", "Wang", "1990-03-04", "200001"),
		B:      rec("crm:2", "Lan", "Wang", "1991-07-09", "200001"),
		Blocks: []Block{{Key: "fam:wang", Size: 12}},
	}
	w := DefaultRules().WhyApart(m, f)
	if w.Score.Probability < w.MatchProbability {
		t.Fatalf("P %v: the test needs a pair above the threshold", w.Score.Probability)
	}
	if k := kinds(w); len(k) != 1 || k[0] != cdp.ApartVeto || !strings.Contains(w.Reasons[0].Message, "given names and birth dates") {
		t.Fatalf("reasons %+v, want the personal veto on names and dates", w.Reasons)
	}
	// With a national id in common (one typo) the veto does not apply: a stored match would
	// link them, and without one, no resolve has yet.
	f.A.NationalID, f.B.NationalID = "310101199003041234", "310101199003041243"
	if k := kinds(DefaultRules().WhyApart(m, f)); len(k) != 1 || k[0] != cdp.ApartNotLinkedYet {
		t.Fatalf("reasons %v, want not_linked_yet", k)
	}
}

func TestWhyApartReadsIdentifiersAgainstTheRules(t *testing.T) {
	rules := DefaultRules()
	f := PairFacts{
		A: rec("crm:1", "Mei", "Wang", "1990-03-04", ""),
		B: rec("web:9", "Mei", "Wang", "", ""),
		Shared: []SharedIdentifier{
			{Identifier: cdp.Identifier{Type: cdp.IdentifierPhone, Value: "+8613800000001"}, Holders: 23},
			{Identifier: cdp.Identifier{Type: cdp.IdentifierEmail, Value: "test@test.com"}, Holders: 2},
			{Identifier: cdp.Identifier{Type: cdp.IdentifierDeviceID, Value: "ipad-7"}, Holders: 3},
			{Identifier: cdp.Identifier{Type: cdp.IdentifierLoyaltyID, Value: "L1"}, Holders: 2}, // would link
		},
		Decisions: []Decision{{A: "crm:1", B: "web:3", Reason: "different mothers"}},
	}
	w := rules.WhyApart(nil, f)
	want := []string{cdp.ApartNotSamePerson, cdp.ApartBridgeLimit, cdp.ApartBlockedIdentifier, cdp.ApartUntrusted, cdp.ApartNoModel}
	if k := kinds(w); strings.Join(k, ",") != strings.Join(want, ",") {
		t.Fatalf("reasons %v, want %v", k, want)
	}
	if r := w.Reasons[1]; r.Records != 23 || r.Limit != 8 || r.Identifier.Value != "+8613800000001" {
		t.Fatalf("bridge %+v, want 23 holders over a limit of 8", r)
	}
	if r := w.Reasons[0]; r.RecordB != "web:3" || r.Reason != "different mothers" || !strings.Contains(r.Message, "customers") {
		t.Fatalf("decision %+v, want the customers' decision with its reason", r)
	}
	if w.Score != nil {
		t.Fatal("scored without a model")
	}
	// A trusted identifier whose holders' given names differ links nobody.
	f = PairFacts{
		A:      rec("crm:1", "Mei", "Wang", "", ""),
		B:      rec("crm:2", "Lan", "Wang", "", ""),
		Shared: []SharedIdentifier{{Identifier: cdp.Identifier{Type: cdp.IdentifierEmail, Value: "wangs@example.cn"}, Holders: 2}},
	}
	if k := kinds(rules.WhyApart(testModel(), f)); strings.Join(k, ",") != cdp.ApartConflictingHolders+","+cdp.ApartNotCompared+","+cdp.ApartBelowReview {
		t.Fatalf("reasons %v, want conflicting holders, never compared, below review", k)
	}
}

func TestWhyApartAwaitingReviewAndOversizedBlocks(t *testing.T) {
	m := testModel()
	f := PairFacts{
		A:      rec("crm:1", "Mei", "Wang", "1990-03-04", "200001"),
		B:      rec("pos:7", "Mei", "Wang", "1990-03-04", ""),
		Blocks: []Block{{Key: "fam:wang", Size: 5000}},
	}
	w := DefaultRules().WhyApart(m, f) // 6 + 5 + 7 = 18 bits, prior -10: P ≈ 0.996
	if k := kinds(w); strings.Join(k, ",") != cdp.ApartNotCompared+","+cdp.ApartNotLinkedYet {
		t.Fatalf("reasons %v (P %v), want never compared (the block is too large) and not linked yet", k, w.Score.Probability)
	}
	m.Fields[2].Levels[0].Weight = 2 // 13 bits: P ≈ 0.89, in the review band
	f.Blocks[0].Size = 3
	if k := kinds(DefaultRules().WhyApart(m, f)); len(k) != 1 || k[0] != cdp.ApartAwaitingReview {
		t.Fatalf("reasons %v, want awaiting review", k)
	}
}
