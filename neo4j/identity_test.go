package neo4j_test

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
	"github.com/cdpgraph/cdpgraph/privacy"
)

// identityStores returns the database, the ingest store and the identity service over the
// real store, as cmd/cdpgraph wires them.
func identityStores(t *testing.T) (*neo4j.DB, *neo4j.IngestStore, *identity.Service) {
	db := neo4jtest.DB(t)
	rules := identity.DefaultRules()
	ingest := neo4j.NewIngestStore(db, rules)
	return db, ingest, identity.NewService(neo4j.NewIdentityStore(ingest), rules)
}

func write(t *testing.T, s *neo4j.IngestStore, recs ...cdp.SourceRecord) {
	t.Helper()
	if _, err := s.WriteCustomers(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
}

func loyalty(v string) cdp.Identifier { return cdp.Identifier{Type: cdp.IdentifierLoyaltyID, Value: v} }

func TestUnmergeSurvivesIngestAndRecompute(t *testing.T) {
	db, ingest, ids := identityStores(t)
	ctx := context.Background()
	// A family shares an email and the web shop knows the kid only by a nickname: the
	// records merge, wrongly.
	write(t, ingest,
		rec("crm", "mum", cdp.Profile{GivenName: "Mei", FamilyName: "Wang"}, email("wang.family@qq.com"), loyalty("LY1")),
		rec("web", "kid", cdp.Profile{FullName: "小雷"}, email("wang.family@qq.com")),
		rec("pos", "mum-till", cdp.Profile{FamilyName: "Wang"}, loyalty("LY1")),
	)
	family := customerOf(t, db, "crm", "mum")
	if customerOf(t, db, "web", "kid") != family {
		t.Fatal("shared email did not merge (precondition)")
	}
	explained, err := ids.ExplainMatch(ctx, "crm:mum", "web:kid")
	if err != nil {
		t.Fatal(err)
	}
	if !explained.SameCustomer || len(explained.Steps) != 1 || explained.Steps[0].Via != "email:wang.family@qq.com" {
		t.Fatalf("explanation = %+v", explained)
	}

	kidCustomer, err := ids.Unmerge(ctx, []string{"web:kid"}, "household member, not the same person")
	if err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		mum, kid, till := customerOf(t, db, "crm", "mum"), customerOf(t, db, "web", "kid"), customerOf(t, db, "pos", "mum-till")
		if mum != family || till != family || kid == family || kid == "" {
			t.Fatalf("%s: mum=%s till=%s kid=%s (family %s)", when, mum, till, kid, family)
		}
	}
	check("after unmerge")
	if got := customerOf(t, db, "web", "kid"); got != kidCustomer {
		t.Fatalf("unmerge returned %s, kid resolves to %s", kidCustomer, got)
	}
	// The kid's record changes (and still carries the family email): the split holds.
	write(t, ingest, rec("web", "kid", cdp.Profile{FullName: "小雷", City: "Hangzhou"}, email("wang.family@qq.com")))
	check("after re-ingest")
	if _, err := ids.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	check("after full recompute")
	explained, err = ids.ExplainMatch(ctx, "crm:mum", "web:kid")
	if err != nil || explained.SameCustomer {
		t.Fatalf("explanation after split = %+v, %v", explained, err)
	}

	history, err := ids.HistoryByCustomerIDs(ctx, []string{family}, 10)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range history[family].Items {
		found = found || (e.Kind == "split" && e.Other == kidCustomer)
	}
	if !found {
		t.Fatalf("history of %s lacks the split: %+v", family, history[family])
	}
}

func TestMergeCustomersAndMarkNotSamePerson(t *testing.T) {
	db, ingest, ids := identityStores(t)
	ctx := context.Background()
	write(t, ingest,
		rec("crm", "a", cdp.Profile{GivenName: "Ann"}, email("ann@qq.com")),
		rec("wechat", "b", cdp.Profile{FullName: "安"}, cdp.Identifier{Type: cdp.IdentifierSocialHandle, Value: "wechat:ann88"}),
	)
	a, b := customerOf(t, db, "crm", "a"), customerOf(t, db, "wechat", "b")
	if a == b {
		t.Fatal("unrelated records merged")
	}
	merged, err := ids.MergeCustomers(ctx, []string{a, b}, "same person, confirmed by phone call")
	if err != nil {
		t.Fatal(err)
	}
	// Equal size and age: the survivor is chosen by id, deterministically.
	if (merged != a && merged != b) || customerOf(t, db, "wechat", "b") != merged || customerOf(t, db, "crm", "a") != merged {
		t.Fatalf("merge kept %s; records resolve to %s and %s", merged, customerOf(t, db, "crm", "a"), customerOf(t, db, "wechat", "b"))
	}
	ex, err := ids.ExplainMatch(ctx, "wechat:b", "crm:a")
	if err != nil || !ex.SameCustomer || len(ex.Steps) != 1 || ex.Steps[0].Kind != identity.LinkManual {
		t.Fatalf("explanation = %+v, %v", ex, err)
	}
	if _, err := ids.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	if customerOf(t, db, "wechat", "b") != merged || customerOf(t, db, "crm", "a") != merged {
		t.Fatal("manual merge lost in recompute")
	}
	if err := ids.MarkNotSamePerson(ctx, "crm:a", "wechat:b", "they are not"); err != nil {
		t.Fatal(err)
	}
	if customerOf(t, db, "wechat", "b") == customerOf(t, db, "crm", "a") {
		t.Fatal("not-same-person did not split")
	}
	if err := ids.MarkNotSamePerson(ctx, "crm:a", "crm:nope", ""); cdp.ErrorCode(err) != cdp.ENOTFOUND {
		t.Fatalf("unknown record: err = %v", err)
	}
	if _, err := ids.MergeCustomers(ctx, []string{merged}, ""); cdp.ErrorCode(err) != cdp.EINVALID {
		t.Fatalf("merging one customer: err = %v", err)
	}
}

func TestBridgesAndBlockedValuesDoNotMerge(t *testing.T) {
	db, ingest, ids := identityStores(t)
	ctx := context.Background()
	// A shop's phone typed into ten customers' records (limit 8) and a placeholder email.
	var recs []cdp.SourceRecord
	for i := 0; i < 10; i++ {
		recs = append(recs, rec("pos", fmt.Sprint("p", i), cdp.Profile{}, phone("+862161234567")))
	}
	recs = append(recs,
		rec("web", "x", cdp.Profile{}, email("test@test.com")),
		rec("web", "y", cdp.Profile{}, email("test@test.com")))
	write(t, ingest, recs...)
	if n, _ := db.CountNodes(ctx, "Customer"); n != 12 {
		t.Fatalf("%d customers, want 12: neither the shop phone nor the test email may merge", n)
	}
	flagged, err := ids.FlaggedIdentifiers(ctx, cdp.PageArgs{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	if flagged.TotalCount != 1 || flagged.Items[0].Identifier.Value != "+862161234567" || flagged.Items[0].Records != 10 || flagged.Items[0].Limit != 8 ||
		flagged.Items[0].Reason != "too_many_records" {
		t.Fatalf("flagged = %+v %+v", flagged, flagged.Items)
	}
}

// Loading records one batch at a time and recomputing everything at once give the same customers.
func TestIncrementalEqualsFullRecompute(t *testing.T) {
	db, ingest, ids := identityStores(t)
	ctx := context.Background()
	names := []string{"Ann", "Bo", "Cai", "Dong", "Emma", "Fang", "Gus", "Hui", "Ivy", "Jun"}
	var all []cdp.SourceRecord
	for i := 0; i < 60; i++ {
		// Person i/6 has two emails (records in threes) and a phone on every third record.
		r := rec("crm", fmt.Sprint("c", i), cdp.Profile{GivenName: names[i/6]}, email(fmt.Sprintf("p%d@qq.com", i/3)))
		if i%3 == 0 {
			r.Identifiers = append(r.Identifiers, phone(fmt.Sprintf("+86139123450%02d", i/6)))
		}
		all = append(all, r)
	}
	for i := len(all) - 1; i >= 0; i -= 7 { // out of order, in small batches
		lo := max(0, i-6)
		write(t, ingest, all[lo:i+1]...)
	}
	partition := func() map[string]string {
		out := map[string]string{}
		for _, r := range all {
			out[r.Key()] = customerOf(t, db, r.Source, r.SourceID)
		}
		return out
	}
	before := partition()
	if _, err := ids.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	after := partition()
	for k, c := range before {
		if after[k] != c {
			t.Fatalf("record %s: customer %s incrementally, %s after recompute", k, c, after[k])
		}
	}
	if n, _ := db.CountNodes(ctx, "Customer"); n != 10 {
		t.Fatalf("%d customers from 60 records of 10 people", n)
	}
}

// Records that share an email but state different given names and birth dates are a
// family, not one person: the shared identifier does not merge them.
func TestConflictingRecordsDoNotMergeOnASharedIdentifier(t *testing.T) {
	db, ingest, _ := identityStores(t)
	mum := rec("crm", "mum", cdp.Profile{GivenName: "Mei", FamilyName: "Wang", BirthDate: "1970-03-02"}, email("wang.family@qq.com"))
	kid := rec("crm", "kid", cdp.Profile{GivenName: "Lei", FamilyName: "Wang", BirthDate: "2004-11-20"}, email("wang.family@qq.com"))
	typo := rec("web", "mum2", cdp.Profile{GivenName: "Mie", FamilyName: "Wang"}, email("wang.family@qq.com"))
	write(t, ingest, mum, kid, typo)
	if customerOf(t, db, "crm", "mum") == customerOf(t, db, "crm", "kid") {
		t.Fatal("mother and son merged on the family email")
	}
	if customerOf(t, db, "crm", "mum") != customerOf(t, db, "web", "mum2") {
		t.Fatal("a typo in the given name stopped a merge on a shared email")
	}
	flagged, err := identity.NewService(neo4j.NewIdentityStore(ingest), identity.DefaultRules()).FlaggedIdentifiers(context.Background(), cdp.PageArgs{First: 5})
	if err != nil {
		t.Fatal(err)
	}
	if flagged.TotalCount != 1 || flagged.Items[0].Reason != "conflicting_holders" || flagged.Items[0].Records != 3 {
		t.Fatalf("flagged = %+v", flagged.Items)
	}
}

// The matcher's undecided pairs wait in a review queue with their evidence; a decision
// settles them for good.
func TestReviewQueueDecisions(t *testing.T) {
	db, ingest, ids := identityStores(t)
	ctx := context.Background()
	// Three people with full details and a look-alike of the first with a different
	// postcode, no birth date and no shared identifier: undecided, or matched.
	var recs []cdp.SourceRecord
	people := []cdp.Profile{
		{GivenName: "Ann", FamilyName: "Lee", BirthDate: "1990-05-04", AddressLine1: "12 Nanjing Road", City: "Shanghai", Postcode: "200001"},
		{GivenName: "Bo", FamilyName: "Wu", BirthDate: "1985-01-02", AddressLine1: "9 Huaihai Road", City: "Shanghai", Postcode: "200020"},
		{GivenName: "Cai", FamilyName: "Li", BirthDate: "1979-07-08", AddressLine1: "3 Xizang Road", City: "Shanghai", Postcode: "200003"},
	}
	for i, p := range people {
		recs = append(recs, rec("crm", fmt.Sprint("c", i), p, email(fmt.Sprintf("x%d@qq.com", i))))
		q := p
		q.BirthDate = ""
		recs = append(recs, rec("pos", fmt.Sprint("p", i), q, phone(fmt.Sprintf("+861391234510%d", i))))
	}
	write(t, ingest, recs...)
	stats, err := ids.Recompute(ctx)
	if err != nil {
		t.Fatal(err)
	}
	queue, err := ids.ReviewQueue(ctx, cdp.PageArgs{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Matches+stats.Review == 0 || queue.TotalCount != stats.Review {
		t.Fatalf("stats %+v, queue %d", stats, queue.TotalCount)
	}
	// Whatever the matcher made of it, the analyst decides: c0 and p0 are not the same.
	if err := ids.DecideReview(ctx, "crm:c0", "pos:p0", false, "different people, checked"); err != nil {
		t.Fatal(err)
	}
	if customerOf(t, db, "crm", "c0") == customerOf(t, db, "pos", "p0") {
		t.Fatal("a 'not the same person' decision did not hold")
	}
	if _, err := ids.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	if customerOf(t, db, "crm", "c0") == customerOf(t, db, "pos", "p0") {
		t.Fatal("the decision was lost in a recompute")
	}
	if err := ids.DecideReview(ctx, "crm:c1", "pos:p1", true, ""); err != nil {
		t.Fatal(err)
	}
	if customerOf(t, db, "crm", "c1") != customerOf(t, db, "pos", "p1") {
		t.Fatal("a 'same person' decision did not merge")
	}
}

// A matcher's link between records whose given names or birth dates clearly differ stands
// only on personal evidence: a household sharing a flat and an email (which the matcher
// counts as several independent clues) stays apart, while a badly typed name with the same
// birth date, or the same national id, still joins.
func TestMatchesAcrossConflictingNamesNeedPersonalEvidence(t *testing.T) {
	db, ingest, _ := identityStores(t)
	ctx := context.Background()
	flat := cdp.Profile{AddressLine1: "Flat 12, 209 Camden High Street", City: "London", Postcode: "NW1 7BX"}
	lucas, joseph := flat, flat
	lucas.GivenName, lucas.FamilyName, lucas.BirthDate = "Lucas", "Campbell", "1980-01-01"
	joseph.GivenName, joseph.FamilyName = "Joseph", "Rivera" // the web shop asks no birth date
	kate := cdp.Profile{GivenName: "Catherine", FamilyName: "Lowe", BirthDate: "1975-06-30"}
	kath := cdp.Profile{GivenName: "Katharine", FamilyName: "Lowe", BirthDate: "1975-06-30"}
	kit := cdp.Profile{GivenName: "Kitty", FamilyName: "Lowe"}
	nid := cdp.Identifier{Type: cdp.IdentifierExternalID, Value: "nino:QQ123456C"}
	// A couple whose names are in two scripts: only their birth dates tell them apart.
	xu, phoebe := flat, flat
	xu.FullName, xu.BirthDate = "许剑超", "1987-05-20"
	phoebe.GivenName, phoebe.FamilyName, phoebe.BirthDate = "Phoebe", "Lopez", "1971-01-30"
	write(t, ingest, rec("crm", "lucas", lucas), rec("web", "joseph", joseph),
		rec("crm", "kate", kate, nid), rec("web", "kath", kath), rec("pos", "kit", kit, nid),
		rec("crm", "xu", xu), rec("crm", "phoebe", phoebe))
	// The matcher's verdicts, as a resolve would have written them.
	if err := db.Write(ctx, `UNWIND $pairs AS p
		MATCH (a:SourceRecord {key: p[0]}), (b:SourceRecord {key: p[1]})
		CREATE (a)-[:MATCHED {probability: 0.999, weight: 30.0, comparisons: '[]'}]->(b)`,
		map[string]any{"pairs": []any{[]any{"crm:lucas", "web:joseph"}, []any{"crm:kate", "web:kath"}, []any{"crm:kate", "pos:kit"},
			[]any{"crm:xu", "crm:phoebe"}}}); err != nil {
		t.Fatal(err)
	}
	// Re-ingesting a record recomputes its component with the links it has.
	lucas.City, kate.City = "London", "Leeds"
	xu.City = "London"
	write(t, ingest, rec("crm", "lucas", lucas), rec("crm", "kate", kate, nid), rec("crm", "xu", xu))
	if customerOf(t, db, "crm", "xu") == customerOf(t, db, "crm", "phoebe") {
		t.Error("a couple with different birth dates was merged on their flat")
	}
	if customerOf(t, db, "crm", "lucas") == customerOf(t, db, "web", "joseph") {
		t.Error("a household's flat and email merged two people whose names differ")
	}
	if customerOf(t, db, "crm", "kate") != customerOf(t, db, "web", "kath") {
		t.Error("the same birth date should carry a match past a badly typed name")
	}
	if customerOf(t, db, "crm", "kate") != customerOf(t, db, "pos", "kit") {
		t.Error("the same national id should carry a match past a pet name")
	}
}

// A review pair that a shared identifier has since put in one customer leaves the queue:
// there is nothing left to decide.
func TestReviewQueueShowsOnlyUndecided(t *testing.T) {
	db, ingest, ids := identityStores(t)
	ctx := context.Background()
	ann := cdp.Profile{GivenName: "Ann", FamilyName: "Lee", City: "Shanghai"}
	write(t, ingest, rec("crm", "a", ann, email("ann@qq.com")), rec("web", "b", ann, email("ann.lee@163.com")))
	if err := db.Write(ctx, `MATCH (a:SourceRecord {key: 'crm:a'}), (b:SourceRecord {key: 'web:b'})
		CREATE (a)-[:REVIEW {probability: 0.8, comparisons: '[]'}]->(b)`, nil); err != nil {
		t.Fatal(err)
	}
	queue, err := ids.ReviewQueue(ctx, cdp.PageArgs{First: 10})
	if err != nil || queue.TotalCount != 1 || len(queue.Items) != 1 {
		t.Fatalf("queue %+v, %v: want the undecided pair", queue, err)
	}
	write(t, ingest, rec("web", "b", ann, email("ann.lee@163.com"), email("ann@qq.com")))
	if customerOf(t, db, "crm", "a") != customerOf(t, db, "web", "b") {
		t.Fatal("the shared email did not merge (precondition)")
	}
	queue, err = ids.ReviewQueue(ctx, cdp.PageArgs{First: 10})
	if err != nil || queue.TotalCount != 0 || len(queue.Items) != 0 {
		t.Fatalf("queue %+v, %v: a pair already in one customer is not undecided", queue, err)
	}
}

// People at one address form a household; moving out leaves it, and an empty household goes.
func TestHouseholds(t *testing.T) {
	db, ingest, _ := identityStores(t)
	ctx := context.Background()
	home := cdp.Profile{AddressLine1: "Flat 3, 12 Nanjing Road", City: "Shanghai", Postcode: "200001", Country: "CN"}
	ann, bo := home, home
	ann.GivenName, bo.GivenName = "Ann", "Bo"
	bo.AddressLine1 = "flat 3 12 nanjing road" // same address, typed differently
	write(t, ingest, rec("crm", "ann", ann, email("ann@qq.com")), rec("crm", "bo", bo, email("bo@qq.com")))
	members := func() map[string][]string {
		recs, err := neo4j.NewCustomerStore(db).HouseholdsByCustomerIDs(ctx, []string{customerOf(t, db, "crm", "ann"), customerOf(t, db, "crm", "bo")})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for id, h := range recs {
			out[h.Key] = append(out[h.Key], id)
		}
		return out
	}
	if m := members(); len(m) != 1 {
		t.Fatalf("households = %v, want one shared", m)
	}
	bo.AddressLine1, bo.Postcode = "9 Huaihai Road", "200020"
	write(t, ingest, rec("crm", "bo", bo, email("bo@qq.com")))
	if m := members(); len(m) != 2 {
		t.Fatalf("households after moving = %v, want two", m)
	}
	ann.AddressLine1 = ""
	write(t, ingest, rec("crm", "ann", ann, email("ann@qq.com")))
	if n, _ := db.CountNodes(ctx, "Household"); n != 1 {
		t.Fatalf("%d households, want 1: the empty one must go", n)
	}
}

// Once a full resolve has fitted the matcher, a new record that agrees closely with an
// existing one joins its customer at ingest, and a full recompute agrees.
func TestIncrementalMatchingAtIngest(t *testing.T) {
	db, ingest, ids := identityStores(t)
	ctx := context.Background()
	given := []string{"Oliver", "Amelia", "Harry", "Isla", "Jack", "Ava", "George", "Mia", "Noah", "Grace", "Leo", "Ella", "Oscar", "Lily", "Charlie", "Freya", "Jacob", "Emily", "Thomas", "Sophie"}
	family := []string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke"}
	person := func(i int) cdp.Profile {
		return cdp.Profile{GivenName: given[i], FamilyName: family[i], BirthDate: fmt.Sprintf("19%02d-%02d-%02d", 60+i, 1+i%12, 1+i),
			AddressLine1: fmt.Sprintf("%d %s Street", 10+i*7, family[(i+3)%20]), City: "Manchester", Postcode: fmt.Sprintf("M%d 1AA", i+1)}
	}
	var recs []cdp.SourceRecord
	for i := range given {
		recs = append(recs, rec("crm", fmt.Sprint("c", i), person(i), email(fmt.Sprintf("p%d@mail.com", i))))
		if i%2 == 0 { // a till record of half of them, with a typo in the family name and no shared identifier
			p := person(i)
			p.FamilyName = p.FamilyName[:len(p.FamilyName)-1] + "e"
			recs = append(recs, rec("pos", fmt.Sprint("p", i), p, phone(fmt.Sprintf("+4479112345%02d", i))))
		}
	}
	write(t, ingest, recs...)
	if _, err := ids.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	if customerOf(t, db, "crm", "c4") != customerOf(t, db, "pos", "p4") {
		t.Fatal("the full resolve did not match a till record to its CRM record")
	}
	// A web record of person 7 with a swapped given name typo, no shared identifier.
	p := person(7)
	p.GivenName = "Mai"
	write(t, ingest, rec("web", "w7", p, cdp.Identifier{Type: cdp.IdentifierCookieID, Value: "ck-7"}))
	if customerOf(t, db, "web", "w7") != customerOf(t, db, "crm", "c7") {
		t.Fatal("the new record did not join its match at ingest")
	}
	ex, err := ids.ExplainMatch(ctx, "web:w7", "crm:c7")
	if err != nil || !ex.SameCustomer || ex.Steps[0].Kind != identity.LinkMatch || ex.Steps[0].Score < 0.95 {
		t.Fatalf("explanation = %+v, %v", ex, err)
	}
	before := customerOf(t, db, "web", "w7")
	if _, err := ids.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	if customerOf(t, db, "web", "w7") != before || customerOf(t, db, "crm", "c7") != before {
		t.Fatal("the full recompute disagreed with incremental matching")
	}
}

// A device id is not trusted to merge on its own, but shared by a web account and a WeChat
// account known only by a nickname it is strong evidence, weighed by the matcher. A kiosk's
// device, held by more records than the type allows, is evidence of nothing.
func TestDevicesAreEvidenceNotProof(t *testing.T) {
	db, ingest, ids := identityStores(t)
	ctx := context.Background()
	given := []string{"Olivia", "Liam", "Emma", "Noah", "Ava", "Mason", "Sophia", "Lucas", "Mia", "Ethan"}
	family := []string{"Smith", "Jones", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas", "Roberts"}
	var recs []cdp.SourceRecord
	for i := range 40 {
		p := cdp.Profile{GivenName: given[i%len(given)], FamilyName: family[i%len(family)], City: "Leeds",
			BirthDate: fmt.Sprintf("19%02d-%02d-%02d", 60+i, 1+i%12, 1+i%28)}
		mail := email(fmt.Sprintf("person%d@mail.co.uk", i))
		recs = append(recs, rec("crm", fmt.Sprint("c", i), p, mail),
			rec("web", fmt.Sprint("w", i), cdp.Profile{FullName: p.GivenName + " " + p.FamilyName, City: "Leeds"}, mail, device(fmt.Sprintf("dev-%02d", i))))
		if i < 20 { // the WeChat account: the phone it runs on, and a name or a nickname
			name := p.GivenName + " " + p.FamilyName
			if i >= 10 {
				name = fmt.Sprintf("🌸 star %d", i)
			}
			recs = append(recs, rec("wechat", fmt.Sprint("x", i), cdp.Profile{FullName: name, City: "Leeds"}, device(fmt.Sprintf("dev-%02d", i))))
		}
	}
	for i := range 12 { // twelve strangers signed up on the shop's tablet
		recs = append(recs, rec("wechat", fmt.Sprint("k", i), cdp.Profile{FullName: fmt.Sprintf("🌸 star %d", 100+i), City: "Leeds"}, device("kiosk-tablet")))
	}
	write(t, ingest, recs...)
	if _, err := ids.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if customerOf(t, db, "wechat", fmt.Sprint("x", i)) != customerOf(t, db, "crm", fmt.Sprint("c", i)) {
			t.Fatalf("wechat x%d did not join its person through the shared device", i)
		}
	}
	explained, err := ids.ExplainMatch(ctx, "web:w13", "wechat:x13")
	if err != nil {
		t.Fatal(err)
	}
	if len(explained.Steps) != 1 || explained.Steps[0].Kind != "probabilistic" {
		t.Fatalf("the device should be weighed, not trusted: %+v", explained)
	}
	// At ingest, with the fitted model: a new WeChat account on person 25's phone joins.
	write(t, ingest, rec("wechat", "x25", cdp.Profile{FullName: "🌸 star 25", City: "Leeds"}, device("dev-25")))
	if customerOf(t, db, "wechat", "x25") != customerOf(t, db, "crm", "c25") {
		t.Fatal("a new account did not join through its device at ingest")
	}
	kiosk := map[string]bool{}
	for i := range 12 {
		kiosk[customerOf(t, db, "wechat", fmt.Sprint("k", i))] = true
	}
	if len(kiosk) != 12 {
		t.Fatalf("the kiosk's device merged strangers: %d customers for 12 people", len(kiosk))
	}
}

// Records stored before a version that added blocking keys get them from the next full
// resolve (and an unchanged record is not rewritten), so that new records find them at
// ingest.
func TestResolveRebuildsBlockKeys(t *testing.T) {
	db, ingest, ids := identityStores(t)
	ctx := context.Background()
	write(t, ingest,
		rec("crm", "c1", cdp.Profile{GivenName: "Olivia", FamilyName: "Smith", City: "Leeds"}, email("o@mail.co.uk")),
		rec("web", "w1", cdp.Profile{FullName: "Olivia Smith", City: "Leeds"}, device("dev-1")),
		rec("crm", "c2", cdp.Profile{GivenName: "Liam", FamilyName: "Jones", City: "York"}, email("l@mail.co.uk")))
	count := func() (keys, hashed int64) {
		recs, err := db.Read(ctx, `MATCH (r:SourceRecord) RETURN COUNT { (r)-[:IN_BLOCK]->() }, count(r.blockKeysHash)`, nil)
		if err != nil {
			t.Fatal(err)
		}
		var k, h int64
		for _, r := range recs {
			k += r.Values[0].(int64)
			h += r.Values[1].(int64)
		}
		return k, h
	}
	written, _ := count()
	if err := db.Write(ctx, `MATCH (r:SourceRecord) REMOVE r.blockKeysHash WITH r MATCH (r)-[b:IN_BLOCK]->() DELETE b`, nil); err != nil {
		t.Fatal(err)
	}
	if k, _ := count(); k != 0 {
		t.Fatal("precondition: keys removed")
	}
	if _, err := ids.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	if k, h := count(); k != written || h != 3 {
		t.Fatalf("after resolve %d keys (ingest wrote %d), %d records fingerprinted", k, written, h)
	}
}

// customerIDs maps every resolved record to its customer.
func customerIDs(t *testing.T, ids *neo4j.IdentityStore) map[string]string {
	t.Helper()
	m, err := ids.RecordCustomers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A full resolve over unchanged data keeps every customer id, whatever path (shared
// identifiers, matches, analysts' merges and splits) made the customers.
func TestFullResolveKeepsCustomerIDs(t *testing.T) {
	_, ingest, ids := identityStores(t)
	ctx := context.Background()
	write(t, ingest,
		rec("crm", "a1", cdp.Profile{GivenName: "Ann", FamilyName: "Li"}, email("ann@qq.com")),
		rec("web", "a2", cdp.Profile{GivenName: "Ann", FamilyName: "Li"}, email("ann@qq.com"), phone("+8613800000001")),
		rec("pos", "a3", cdp.Profile{FamilyName: "Li"}, phone("+8613800000001")),
		rec("crm", "b1", cdp.Profile{GivenName: "Bo", FamilyName: "Wu"}, email("bo@qq.com")),
		rec("web", "b2", cdp.Profile{GivenName: "Bo", FamilyName: "Wu"}),
		rec("crm", "c1", cdp.Profile{GivenName: "Cai", FamilyName: "Ma"}, email("cai@qq.com")),
	)
	if _, err := ids.Unmerge(ctx, []string{"pos:a3"}, "not her till"); err != nil {
		t.Fatal(err)
	}
	store := neo4j.NewIdentityStore(ingest)
	before := customerIDs(t, store)
	if _, err := ids.MergeCustomers(ctx, []string{before["crm:b1"], before["web:b2"]}, "same person"); err != nil {
		t.Fatal(err)
	}
	before = customerIDs(t, store)
	for run := 1; run <= 2; run++ {
		if _, err := ids.Recompute(ctx); err != nil {
			t.Fatal(err)
		}
		if after := customerIDs(t, store); !reflect.DeepEqual(after, before) {
			t.Fatalf("resolve %d changed ids:\nbefore %v\nafter  %v", run, before, after)
		}
	}
}

// After a merge the survivor keeps its id, and the absorbed id still finds the survivor,
// which lists it as merged into it.
func TestMergedIDsFindTheSurvivor(t *testing.T) {
	db, ingest, ids := identityStores(t)
	ctx := context.Background()
	write(t, ingest,
		rec("crm", "a1", cdp.Profile{GivenName: "Ann"}, email("ann@qq.com")),
		rec("web", "a2", cdp.Profile{GivenName: "Ann"}, email("ann@qq.com")),
		rec("pos", "b1", cdp.Profile{GivenName: "Ann"}, phone("+8613800000001")),
		rec("app", "c1", cdp.Profile{GivenName: "Ann"}, loyalty("LY9")),
	)
	big, small, other := customerOf(t, db, "crm", "a1"), customerOf(t, db, "pos", "b1"), customerOf(t, db, "app", "c1")
	if big == small || big == other || small == other {
		t.Fatal("precondition: three customers")
	}
	// A record carrying the email and the phone joins the larger customer and the smaller.
	write(t, ingest, rec("crm", "a3", cdp.Profile{GivenName: "Ann"}, email("ann@qq.com"), phone("+8613800000001")))
	if got := customerOf(t, db, "pos", "b1"); got != big {
		t.Fatalf("survivor is %s, want the larger customer %s", got, big)
	}
	// The survivor is merged again, by an analyst, into... itself: it is the older and larger.
	if merged, err := ids.MergeCustomers(ctx, []string{other, big}, "same person"); err != nil || merged != big {
		t.Fatalf("merge kept %s, %v; want %s", merged, err, big)
	}
	customers := neo4j.NewCustomerStore(db)
	found, err := customers.CustomersByIDs(ctx, []string{small, other, big})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{small, other, big} {
		c := found[id]
		if c == nil || c.ID != big {
			t.Fatalf("id %s finds %+v, want customer %s", id, c, big)
		}
		if !reflect.DeepEqual(sorted(c.MergedIDs), sorted([]string{small, other})) {
			t.Fatalf("merged ids of %s = %v", big, c.MergedIDs)
		}
	}
	with, err := customers.CustomersWith(ctx, []string{small}, cdp.Related{})
	if err != nil || with[small] == nil || with[small].ID != big {
		t.Fatalf("CustomersWith(%s) = %+v, %v", small, with[small], err)
	}
	// A full resolve leaves all of it as it is.
	if _, err := ids.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	if found, err = customers.CustomersByIDs(ctx, []string{small}); err != nil || found[small] == nil || found[small].ID != big {
		t.Fatalf("after resolve, %s finds %+v, %v", small, found[small], err)
	}
}

// After a split the larger part keeps the id; an id merged away that a split-off part
// derives again names that part, no longer the survivor.
func TestSplitLeavesTheIDWithTheLargerPart(t *testing.T) {
	db, ingest, ids := identityStores(t)
	ctx := context.Background()
	write(t, ingest,
		rec("crm", "a", cdp.Profile{GivenName: "Ann"}, email("ann@qq.com")),
		rec("web", "b", cdp.Profile{GivenName: "Ann"}, email("ann@qq.com")),
		rec("pos", "z", cdp.Profile{GivenName: "Ann"}, phone("+8613800000001")),
	)
	lone := customerOf(t, db, "pos", "z")
	write(t, ingest, rec("app", "c", cdp.Profile{GivenName: "Ann"}, email("ann@qq.com"), phone("+8613800000001")))
	family := customerOf(t, db, "crm", "a")
	if customerOf(t, db, "pos", "z") != family {
		t.Fatal("precondition: the lone customer merged")
	}
	// Splitting pos:z off leaves the id with the three records that stay together.
	split, err := ids.Unmerge(ctx, []string{"pos:z"}, "another Ann")
	if err != nil {
		t.Fatal(err)
	}
	if customerOf(t, db, "crm", "a") != family || customerOf(t, db, "web", "b") != family || customerOf(t, db, "app", "c") != family {
		t.Fatal("the larger part lost the id")
	}
	if split == family {
		t.Fatal("the split-off record kept the id")
	}
	// The split-off part derives the id it had before the merge: that id names it again.
	customers := neo4j.NewCustomerStore(db)
	found, err := customers.CustomersByIDs(ctx, []string{split, family})
	if err != nil {
		t.Fatal(err)
	}
	if split != lone || found[split] == nil || found[split].ID != split || len(found[family].MergedIDs) != 0 {
		t.Fatalf("split %s (was %s): %+v / family %+v", split, lone, found[split], found[family])
	}
}

// Erasure breaks the trail: the ids merged into an erased customer find nothing.
func TestErasureDropsMergedIDs(t *testing.T) {
	db, ingest, _ := identityStores(t)
	ctx := context.Background()
	write(t, ingest,
		rec("crm", "a1", cdp.Profile{GivenName: "Ann"}, email("ann@qq.com")),
		rec("pos", "b1", cdp.Profile{GivenName: "Ann"}, phone("+8613800000001")),
	)
	absorbed := customerOf(t, db, "pos", "b1")
	write(t, ingest, rec("web", "a2", cdp.Profile{GivenName: "Ann"}, email("ann@qq.com"), phone("+8613800000001")))
	survivor := customerOf(t, db, "crm", "a1")
	customers := neo4j.NewCustomerStore(db)
	if found, err := customers.CustomersByIDs(ctx, []string{absorbed}); err != nil || found[absorbed] == nil || found[absorbed].ID != survivor {
		t.Fatalf("precondition: %s finds %+v, %v", absorbed, found[absorbed], err)
	}
	if _, err := privacy.NewService(customers, neo4j.NewErasureStore(db)).Erase(ctx, survivor); err != nil {
		t.Fatal(err)
	}
	found, err := customers.CustomersByIDs(ctx, []string{absorbed, survivor})
	if err != nil || len(found) != 0 {
		t.Fatalf("after erasure the old ids find %+v, %v", found, err)
	}
}

func sorted(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}
