package identity

import (
	"testing"

	"github.com/cdpgraph/cdpgraph/identity/match"
	"github.com/cdpgraph/cdpgraph/normalize"
)

func TestVetoKeepsTwinsApartUnlessAnAnalystOrADocumentJoinsThem(t *testing.T) {
	r := DefaultRules()
	twinA, twinB := residentID(t, "31010520100307001"), residentID(t, "31010520100307003") // issued together, both pass the check digit
	typoA := twinA[:10] + twinA[11:12] + twinA[10:11] + twinA[12:]                         // two digits swapped: fails the check
	personal := map[string][]match.PersonalID{
		"crm:a":  {{Type: "national_id", Value: twinA}},
		"web:a":  {{Type: "national_id", Value: typoA}},
		"crm:b":  {{Type: "national_id", Value: twinB}},
		"pos:b":  nil, // no document: nothing to veto
		"web:x":  {{Type: "passport", Value: "E12345678"}},
		"crm:x2": {{Type: "national_id", Value: twinB}, {Type: "passport", Value: "E12345678"}},
	}
	phone := Link{A: "crm:a", B: "pos:b", Kind: LinkIdentifier, Via: "phone:+8613800000000"}
	match1 := Link{A: "pos:b", B: "crm:b", Kind: LinkMatch, Score: 0.99}
	match2 := Link{A: "crm:a", B: "web:a", Kind: LinkMatch, Score: 0.98}
	vetoes := r.VetoedPairs(personal, []Link{phone, match1, match2})
	want := map[Apart]bool{{A: "crm:a", B: "crm:b"}: true, {A: "crm:b", B: "web:a"}: true,
		{A: "crm:a", B: "crm:x2"}: true, {A: "crm:x2", B: "web:a"}: true}
	if len(vetoes) != len(want) {
		t.Fatalf("vetoes %v, want %v", vetoes, want)
	}
	for _, v := range vetoes {
		if !want[v] {
			t.Errorf("unexpected veto %v", v)
		}
	}
	// The family phone would chain the twins through pos:b; the veto stops it, whatever the order.
	records := []string{"crm:a", "crm:b", "pos:b", "web:a"}
	clusters, _ := Cluster(records, []Link{phone, match1, match2}, vetoes)
	if clusters["crm:a"] == clusters["crm:b"] {
		t.Fatalf("twins merged: %v", clusters)
	}
	if clusters["crm:a"] != clusters["web:a"] {
		t.Errorf("a mistyped resident id did not link: %v", clusters)
	}

	// An analyst's decision overrules the veto, even through another record.
	manual := []Link{{A: "crm:a", B: "pos:b", Kind: LinkManual}, {A: "pos:b", B: "crm:b", Kind: LinkManual}}
	if v := r.VetoedPairs(personal, manual); len(v) != 3 || contains1(v, Apart{A: "crm:a", B: "crm:b"}) {
		t.Errorf("vetoes with an analyst's same-person decision: %v", v)
	}
	// A shared passport overrules a national id that differs.
	shared := []Link{{A: "web:x", B: "crm:x2", Kind: LinkIdentifier, Via: "passport:E12345678"}}
	if v := r.VetoedPairs(personal, shared); contains1(v, Apart{A: "crm:x2", B: "web:x"}) {
		t.Errorf("a shared passport was vetoed: %v", v)
	}

	// Rules without a veto keep nobody apart.
	r.Identifiers["national_id"].Veto = false
	if v := r.VetoedPairs(personal, nil); len(v) != 0 {
		t.Errorf("vetoes without a veto rule: %v", v)
	}
}

func residentID(t *testing.T, first17 string) string {
	d, err := normalize.ResidentIDCheckDigit(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(d)
}

func contains1(v []Apart, a Apart) bool {
	for _, x := range v {
		if x == a {
			return true
		}
	}
	return false
}
