package identity

import (
	"reflect"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity/match"
)

var planNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// crec is a component record of source "crm" with the given profile, customer and identifiers.
func crec(id string, p cdp.Profile, customer string, ids ...HeldIdentifier) ComponentRecord {
	return ComponentRecord{Key: "crm:" + id, Record: &cdp.SourceRecord{Source: "crm", SourceID: id, Profile: p},
		Identifiers: ids, Customer: customer}
}

func held(typ, value string, holders int) HeldIdentifier {
	return HeldIdentifier{Key: typ + ":" + value, Type: typ, Value: value, Holders: holders}
}

func TestMatchAgainstContraryEvidence(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b match.Record
		veto bool
	}{
		{"agreeing people", match.Record{GivenName: "Mei", FamilyName: "Wang"}, match.Record{GivenName: "Mei", FamilyName: "Wang"}, false},
		{"given names differ", match.Record{GivenName: "Mei", FamilyName: "Wang"}, match.Record{GivenName: "Jun", FamilyName: "Wang"}, true},
		{"a typo is no conflict", match.Record{GivenName: "Mei", FamilyName: "Wang"}, match.Record{GivenName: "Mie", FamilyName: "Wang"}, false},
		{"birth dates differ", match.Record{BirthDate: "1980-01-02"}, match.Record{BirthDate: "2010-07-09"}, true},
		{"names differ, birth date agrees", match.Record{GivenName: "Mei", BirthDate: "1980-01-02"}, match.Record{GivenName: "Jun", BirthDate: "1980-01-02"}, false},
		{"names differ, national id agrees with a typo", match.Record{GivenName: "Mei", NationalID: "330102198001021234"},
			match.Record{GivenName: "Jun", NationalID: "330102198001021243"}, false},
		{"names differ, national ids differ", match.Record{GivenName: "Mei", NationalID: "330102198001021234"},
			match.Record{GivenName: "Jun", NationalID: "110105197512300012"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := MatchAgainstContraryEvidence(&tc.a, &tc.b); got != tc.veto {
				t.Fatalf("MatchAgainstContraryEvidence = %v, want %v", got, tc.veto)
			}
		})
	}
	// A shared identifier yields to either disagreement, even with a personal id agreeing.
	a := match.Record{GivenName: "Mei", NationalID: "X1"}
	b := match.Record{GivenName: "Jun", NationalID: "X1"}
	if !HoldersDiffer(&a, &b) {
		t.Fatal("holders with different given names do not differ")
	}
}

func TestLinkPolicy(t *testing.T) {
	p := DefaultRules().LinkPolicy()
	for _, tc := range []struct {
		id    HeldIdentifier
		links bool
	}{
		{held("email", "a@qq.com", 2), true},
		{held("email", "a@qq.com", 9), false}, // over the bridge limit of 8
		{HeldIdentifier{Key: "email:x", Type: "email", Holders: 2, Blocked: true}, false},
		{held("device_id", "d1", 2), false}, // untrusted
		{held("unknown", "u", 1), false},    // no rule
	} {
		if got := p.Links(tc.id); got != tc.links {
			t.Errorf("Links(%+v) = %v, want %v", tc.id, got, tc.links)
		}
	}
}

func TestPlanNewRecordsGetDeterministicCustomers(t *testing.T) {
	r := NewResolver(DefaultRules())
	c := &Component{Records: []ComponentRecord{
		crec("a", cdp.Profile{GivenName: "Ann", Email: "ann@qq.com"}, "", held("email", "ann@qq.com", 2)),
		crec("b", cdp.Profile{GivenName: "Ann", City: "Hangzhou"}, "", held("email", "ann@qq.com", 2)),
		crec("c", cdp.Profile{GivenName: "Bo"}, ""),
	}}
	p := r.Plan(c, "ingest", planNow)
	ann, bo := CustomerID("crm:a"), CustomerID("crm:c")
	if !reflect.DeepEqual(p.Created, []string{ann, bo}) {
		t.Fatalf("created = %v", p.Created)
	}
	want := []Move{
		{Record: "crm:a", Customer: ann, Rule: LinkIdentifier, Via: []string{"email:ann@qq.com"}},
		{Record: "crm:b", Customer: ann, Rule: LinkIdentifier, Via: []string{"email:ann@qq.com"}},
		{Record: "crm:c", Customer: bo, Rule: "new", Via: []string{}},
	}
	if !reflect.DeepEqual(p.Moves, want) {
		t.Fatalf("moves = %+v", p.Moves)
	}
	if len(p.Merges) != 0 || len(p.Events) != 0 {
		t.Fatalf("merges %v, events %v on new records", p.Merges, p.Events)
	}
	// Golden records: every customer, with provenance and household-free profiles.
	if len(p.Golden) != 2 || p.Golden[0].Customer != ann || p.Golden[0].RecordCount != 2 ||
		p.Golden[0].Profile.City != "Hangzhou" || p.Golden[0].SearchName != "ann" || !reflect.DeepEqual(p.Golden[0].Sources, []string{"crm"}) {
		t.Fatalf("golden = %+v", p.Golden)
	}
	// The clusters expose the applied links with kind, for cluster quality.
	if len(p.Clusters) != 2 || len(p.Clusters[0].Links) != 1 || p.Clusters[0].Links[0].Kind != LinkIdentifier ||
		!reflect.DeepEqual(p.Clusters[0].Records, []string{"crm:a", "crm:b"}) || len(p.Clusters[1].Links) != 0 {
		t.Fatalf("clusters = %+v", p.Clusters)
	}
}

func TestPlanMergeKeepsTheLargerThenOlderCustomer(t *testing.T) {
	old, young := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name               string
		records            []ComponentRecord
		created            map[string]time.Time
		survivor, absorbed string
	}{
		{"larger wins", []ComponentRecord{
			crec("a", cdp.Profile{}, "cus_big"), crec("b", cdp.Profile{}, "cus_big"), crec("c", cdp.Profile{}, "cus_small"),
		}, map[string]time.Time{"cus_big": young, "cus_small": old}, "cus_big", "cus_small"},
		{"equal size: older wins", []ComponentRecord{
			crec("a", cdp.Profile{}, "cus_z"), crec("b", cdp.Profile{}, "cus_a"),
		}, map[string]time.Time{"cus_z": old, "cus_a": young}, "cus_z", "cus_a"},
		{"equal size and age: smaller id wins", []ComponentRecord{
			crec("a", cdp.Profile{}, "cus_z"), crec("b", cdp.Profile{}, "cus_a"),
		}, map[string]time.Time{"cus_z": old, "cus_a": old}, "cus_a", "cus_z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var links []Link
			for _, r := range tc.records[1:] {
				links = append(links, Link{A: tc.records[0].Key, B: r.Key, Kind: LinkManual})
			}
			p := NewResolver(DefaultRules()).Plan(&Component{Records: tc.records, Links: links, CreatedAt: tc.created}, "manual_merge", planNow)
			if !reflect.DeepEqual(p.Merges, []Merge{{Absorbed: tc.absorbed, Survivor: tc.survivor}}) || len(p.Created) != 0 {
				t.Fatalf("merges = %+v, created %v", p.Merges, p.Created)
			}
			for _, r := range p.Records {
				if p.Customer[r] != tc.survivor {
					t.Fatalf("%s goes to %s, not the survivor %s", r, p.Customer[r], tc.survivor)
				}
			}
			if len(p.Events) != 1 || p.Events[0].Kind != "merge" || p.Events[0].Customer != tc.survivor ||
				p.Events[0].Other != tc.absorbed || p.Events[0].Reason != "manual_merge" ||
				!reflect.DeepEqual(p.Events[0].Via, []string{LinkManual}) || !reflect.DeepEqual(p.Events[0].About, []string{tc.survivor}) {
				t.Fatalf("events = %+v", p.Events)
			}
			for _, m := range p.Moves {
				if m.Customer != tc.survivor || m.Rule != LinkManual {
					t.Fatalf("move %+v", m)
				}
			}
		})
	}
}

func TestPlanSplitKeepsTheLargerPart(t *testing.T) {
	// Three records of one customer; an apart fact splits one off.
	records := []ComponentRecord{
		crec("a", cdp.Profile{}, "cus_1", held("email", "fam@qq.com", 3)),
		crec("b", cdp.Profile{}, "cus_1", held("email", "fam@qq.com", 3)),
		crec("c", cdp.Profile{}, "cus_1", held("email", "fam@qq.com", 3)),
	}
	p := NewResolver(DefaultRules()).Plan(&Component{Records: records, Apart: []Apart{{A: "crm:a", B: "crm:c"}, {A: "crm:b", B: "crm:c"}},
		CreatedAt: map[string]time.Time{"cus_1": planNow}}, "unmerge", planNow)
	split := CustomerID("crm:c")
	if p.Customer["crm:a"] != "cus_1" || p.Customer["crm:b"] != "cus_1" || p.Customer["crm:c"] != split {
		t.Fatalf("customers = %v", p.Customer)
	}
	if !reflect.DeepEqual(p.Created, []string{split}) || len(p.Merges) != 0 {
		t.Fatalf("created %v merges %v", p.Created, p.Merges)
	}
	if !reflect.DeepEqual(p.Moves, []Move{{Record: "crm:c", Customer: split, Rule: "new", Via: []string{}}}) {
		t.Fatalf("moves = %+v", p.Moves)
	}
	if len(p.Events) != 1 || p.Events[0].Kind != "split" || p.Events[0].Customer != "cus_1" || p.Events[0].Other != split ||
		!reflect.DeepEqual(p.Events[0].About, []string{"cus_1", split}) {
		t.Fatalf("events = %+v", p.Events)
	}
}

func TestPlanVetoesAndFlags(t *testing.T) {
	// Mother and son share a family email and a match; their given names differ. A typo of
	// the mother's name shares the email too and agrees.
	mum := crec("mum", cdp.Profile{GivenName: "Mei", FamilyName: "Wang"}, "", held("email", "fam@qq.com", 3))
	kid := crec("kid", cdp.Profile{GivenName: "Jun", FamilyName: "Wang"}, "", held("email", "fam@qq.com", 3))
	typo := crec("mum2", cdp.Profile{GivenName: "Mie", FamilyName: "Wang"}, "", held("email", "fam@qq.com", 3))
	c := &Component{Records: []ComponentRecord{mum, kid, typo},
		Links: []Link{{A: "crm:mum", B: "crm:kid", Kind: LinkMatch, Score: 0.99}}}
	p := NewResolver(DefaultRules()).Plan(c, "ingest", planNow)
	if p.Customer["crm:mum"] == p.Customer["crm:kid"] || p.Customer["crm:mum"] != p.Customer["crm:mum2"] {
		t.Fatalf("customers = %v", p.Customer)
	}
	if !reflect.DeepEqual(p.Conflicting, []string{"email:fam@qq.com"}) {
		t.Fatalf("conflicting = %v", p.Conflicting)
	}
	for _, l := range p.Applied {
		if l.Kind == LinkMatch {
			t.Fatalf("vetoed match applied: %+v", l)
		}
	}
	// With an agreeing birth date the match stands (the email still does not link them).
	mum.Record.Profile.BirthDate, kid.Record.Profile.BirthDate = "1980-01-02", "1980-01-02"
	p = NewResolver(DefaultRules()).Plan(&Component{Records: []ComponentRecord{mum, kid},
		Links: []Link{{A: "crm:mum", B: "crm:kid", Kind: LinkMatch, Score: 0.99}}}, "ingest", planNow)
	if p.Customer["crm:mum"] != p.Customer["crm:kid"] || len(p.Clusters) != 1 ||
		!reflect.DeepEqual(p.Clusters[0].Links, []Link{{A: "crm:kid", B: "crm:mum", Kind: LinkMatch, Score: 0.99}}) {
		t.Fatalf("customers %v clusters %+v", p.Customer, p.Clusters)
	}
}

func TestPlanLeavesPlaceholdersAndUnchangedAlone(t *testing.T) {
	ph := crec("ph", cdp.Profile{}, "")
	ph.Record.Placeholder = true
	c := &Component{Records: []ComponentRecord{crec("a", cdp.Profile{GivenName: "Ann"}, "cus_1"), ph},
		CreatedAt: map[string]time.Time{"cus_1": planNow}}
	p := NewResolver(DefaultRules()).Plan(c, "recompute", planNow)
	if !reflect.DeepEqual(p.Records, []string{"crm:a"}) || len(p.Moves) != 0 || len(p.Created) != 0 || len(p.Events) != 0 {
		t.Fatalf("plan = %+v", p)
	}
	if len(p.Golden) != 1 || p.Golden[0].Customer != "cus_1" || p.Golden[0].Profile.GivenName != "Ann" ||
		!reflect.DeepEqual(p.Golden[0].Provenance, []cdp.Provenance{{Field: "givenName", Source: "crm", SourceID: "a"}}) {
		t.Fatalf("golden = %+v", p.Golden)
	}
}

func TestUnmergeAndMergeFacts(t *testing.T) {
	current := map[string]string{"r1": "c1", "r2": "c1", "r3": "c1", "r4": "c2"}
	apart, same, err := unmergeFacts(current, []string{"r2", "r3"})
	if err != nil || !reflect.DeepEqual(apart, [][2]string{{"r2", "r1"}, {"r3", "r1"}}) || !reflect.DeepEqual(same, [][2]string{{"r2", "r3"}}) {
		t.Fatalf("apart %v same %v err %v", apart, same, err)
	}
	if _, _, err := unmergeFacts(current, []string{"r1", "r4"}); err == nil {
		t.Fatal("records of two customers split off together")
	}
	if _, _, err := unmergeFacts(current, []string{"r4"}); err == nil {
		t.Fatal("a customer's only record split from nothing")
	}
	lift, ties, all := mergeFacts([]string{"c1", "c2"}, map[string][]string{"c1": {"r1", "r2"}, "c2": {"r4"}})
	if !reflect.DeepEqual(lift, [][2]string{{"r1", "r4"}, {"r2", "r4"}}) || !reflect.DeepEqual(ties, [][2]string{{"r1", "r4"}}) ||
		!reflect.DeepEqual(all, []string{"r1", "r2", "r4"}) {
		t.Fatalf("lift %v ties %v all %v", lift, ties, all)
	}
}

// Twins share a family phone, a family name and a birth date, and hold different resident
// ids that both pass their check digit: the plan keeps them apart (the veto reaches the
// typed component, no database needed). A record with a typo of one twin's id joins her;
// an analyst's same-person decision overrules the veto.
func TestPlanVetoesDifferentDocumentsOfTwins(t *testing.T) {
	twinA, twinB := residentID(t, "31010520100307001"), residentID(t, "31010520100307003")
	typoA := twinA[:10] + twinA[11:12] + twinA[10:11] + twinA[12:]
	born := cdp.Profile{FamilyName: "Li", BirthDate: "2010-03-07"}
	a, b, a2 := born, born, born
	a.GivenName, b.GivenName, a2.GivenName = "Na", "Na", "Na" // the same given name: only the ids tell them apart
	phone := held("phone", "+8613800000000", 3)
	c := &Component{Records: []ComponentRecord{
		crec("a", a, "", phone, held("national_id", twinA, 1)),
		crec("b", b, "", phone, held("national_id", twinB, 1)),
		crec("a2", a2, "", phone, held("national_id", typoA, 1)),
	}, Links: []Link{{A: "crm:a", B: "crm:b", Kind: LinkMatch, Score: 0.999}}}
	p := NewResolver(DefaultRules()).Plan(c, "ingest", planNow)
	if p.Customer["crm:a"] == p.Customer["crm:b"] || p.Customer["crm:b"] == p.Customer["crm:a2"] {
		t.Fatalf("twins merged: %v", p.Customer)
	}
	if p.Customer["crm:a"] != p.Customer["crm:a2"] {
		t.Fatalf("a typo of a resident id kept one person apart: %v", p.Customer)
	}
	// A blocked placeholder is no document: it vetoes nothing.
	rules := DefaultRules()
	placeholder := &Component{Records: []ComponentRecord{
		crec("x", a, "", phone, HeldIdentifier{Key: "national_id:000000000000000000", Type: "national_id", Value: "000000000000000000", Blocked: true, Holders: 1}),
		crec("y", b, "", phone, held("national_id", twinB, 1)),
	}}
	if p := NewResolver(rules).Plan(placeholder, "ingest", planNow); p.Customer["crm:x"] != p.Customer["crm:y"] {
		t.Fatalf("a blocked placeholder id vetoed a merge: %v", p.Customer)
	}
	c.Links = append(c.Links, Link{A: "crm:a", B: "crm:b", Kind: LinkManual})
	if p := NewResolver(rules).Plan(c, "manual_merge", planNow); p.Customer["crm:a"] != p.Customer["crm:b"] {
		t.Fatalf("an analyst's decision did not overrule the veto: %v", p.Customer)
	}
}

// The plan carries each customer's cluster quality with its golden record, measured from
// every link between two of its records: a chain of two matches has the weaker as its
// weakest link and the middle record as the one whose removal splits it.
func TestPlanGoldenCarriesClusterQuality(t *testing.T) {
	p := cdp.Profile{GivenName: "Lan", FamilyName: "Qiu"}
	c := &Component{Records: []ComponentRecord{crec("a", p, ""), crec("b", p, ""), crec("c", p, ""), crec("z", cdp.Profile{GivenName: "Zoe"}, "")},
		Links: []Link{{A: "crm:a", B: "crm:b", Kind: LinkMatch, Score: 0.97}, {A: "crm:b", B: "crm:c", Kind: LinkMatch, Score: 0.99}}}
	plan := NewResolver(DefaultRules()).Plan(c, "ingest", planNow)
	if len(plan.Golden) != 2 {
		t.Fatalf("golden %+v, want two customers", plan.Golden)
	}
	for _, g := range plan.Golden {
		q := g.Quality
		switch g.RecordCount {
		case 3:
			if q.Links != 2 || q.WeakestProbability() != 0.97 || !reflect.DeepEqual(q.Articulation, []string{"crm:b"}) || len(q.Bridges) != 2 {
				t.Fatalf("chain quality %+v", q)
			}
		case 1:
			if q.Records != 1 || q.WeakestLink != nil {
				t.Fatalf("single record quality %+v", q)
			}
		}
	}
}
