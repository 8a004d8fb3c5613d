package neo4j_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

func reasonKinds(w *cdp.WhyApart) []string {
	var out []string
	for _, r := range w.Reasons {
		out = append(out, r.Kind)
	}
	return out
}

// Two records kept apart by an analyst say so, with the reason given; a phone shared by
// more records than its type allows says it is a bridge.
func TestExplainMatchSaysWhyRecordsAreApart(t *testing.T) {
	_, ingest, ids := identityStores(t)
	ctx := context.Background()
	write(t, ingest,
		rec("crm", "mum", cdp.Profile{GivenName: "Mei", FamilyName: "Wang"}, email("wang.family@qq.com")),
		rec("web", "kid", cdp.Profile{FullName: "小雷"}, email("wang.family@qq.com")),
	)
	if _, err := ids.Unmerge(ctx, []string{"web:kid"}, "household member"); err != nil {
		t.Fatal(err)
	}
	ex, err := ids.ExplainMatch(ctx, "crm:mum", "web:kid")
	if err != nil {
		t.Fatal(err)
	}
	if ex.SameCustomer || ex.WhyApart == nil || len(ex.WhyApart.Reasons) == 0 {
		t.Fatalf("explanation %+v, want why they are apart", ex)
	}
	r := ex.WhyApart.Reasons[0]
	if r.Kind != cdp.ApartNotSamePerson || r.Reason != "household member" || !slices.Contains([]string{r.RecordA, r.RecordB}, "web:kid") {
		t.Fatalf("first reason %+v, want the analyst's decision", r)
	}
	if k := reasonKinds(ex.WhyApart); k[len(k)-1] != cdp.ApartNoModel || ex.WhyApart.Score != nil {
		t.Fatalf("reasons %v, score %+v: no resolve fitted a model", k, ex.WhyApart.Score)
	}

	var shop []cdp.SourceRecord
	for n := range 10 {
		shop = append(shop, rec("pos", fmt.Sprintf("till%d", n), cdp.Profile{GivenName: fmt.Sprintf("Guest%d", n)}, phone("+8602112345678")))
	}
	write(t, ingest, shop...)
	ex, err = ids.ExplainMatch(ctx, "pos:till1", "pos:till2")
	if err != nil {
		t.Fatal(err)
	}
	if ex.SameCustomer || ex.WhyApart == nil || len(ex.WhyApart.Reasons) == 0 {
		t.Fatalf("explanation %+v, want why the till records are apart", ex)
	}
	r = ex.WhyApart.Reasons[0]
	if r.Kind != cdp.ApartBridgeLimit || r.Records != 10 || r.Limit != 8 || r.Identifier == nil || r.Identifier.Value != "+8602112345678" {
		t.Fatalf("first reason %+v, want the shop phone over its bridge limit", r)
	}
	// Records in one customer get the chain of links, not a why-not.
	ex, err = ids.ExplainMatch(ctx, "crm:mum", "crm:mum")
	if err != nil || !ex.SameCustomer || ex.WhyApart != nil {
		t.Fatalf("a record with itself: %+v, %v", ex, err)
	}
}

// Resolution keeps each customer's cluster quality: a chain of two matches has its weakest
// match as the weakest link, the middle record splits it, both links are bridges; the
// shakiest customer lists first by CLUSTER_DOUBT, and one-record customers have no doubt.
func TestResolutionKeepsClusterQuality(t *testing.T) {
	db, ingest, ids := identityStores(t)
	ctx := context.Background()
	write(t, ingest,
		rec("crm", "a", cdp.Profile{GivenName: "Lan", FamilyName: "Qiu"}),
		rec("web", "b", cdp.Profile{GivenName: "Lan", FamilyName: "Qiu"}),
		rec("pos", "c", cdp.Profile{GivenName: "Lan", FamilyName: "Qiu"}),
		rec("crm", "d", cdp.Profile{GivenName: "Wei", FamilyName: "Zhang"}, email("wei@qq.com")),
		rec("web", "e", cdp.Profile{GivenName: "Wei", FamilyName: "Zhang"}, email("wei@qq.com")),
		rec("pos", "z", cdp.Profile{GivenName: "Zoe"}),
	)
	// Matches as a full resolve would have written them; an analyst's decision about c and
	// z then recomputes c's component.
	if err := db.Write(ctx, `
MATCH (a:SourceRecord {key: 'crm:a'}), (b:SourceRecord {key: 'web:b'}), (c:SourceRecord {key: 'pos:c'})
CREATE (a)-[:MATCHED {probability: 0.97}]->(b), (b)-[:MATCHED {probability: 0.99}]->(c)`, nil); err != nil {
		t.Fatal(err)
	}
	if err := ids.MarkNotSamePerson(ctx, "pos:c", "pos:z", "different people"); err != nil {
		t.Fatal(err)
	}
	qiu := customerOf(t, db, "crm", "a")
	if customerOf(t, db, "web", "b") != qiu || customerOf(t, db, "pos", "c") != qiu {
		t.Fatal("the matches did not merge a, b and c (precondition)")
	}
	store := neo4j.NewCustomerStore(db)
	got, err := store.CustomersByIDs(ctx, []string{qiu, customerOf(t, db, "crm", "d"), customerOf(t, db, "pos", "z")})
	if err != nil {
		t.Fatal(err)
	}
	q := got[qiu].Quality
	if q == nil || q.Records != 3 || q.Links != 2 || q.WeakestLinkProbability == nil || *q.WeakestLinkProbability != 0.97 {
		t.Fatalf("quality %+v, want 3 records, 2 links, weakest 0.97", q)
	}
	if w := q.WeakestLink; w == nil || w.Kind != cdp.LinkMatched || w.From != "crm:a" || w.To != "web:b" {
		t.Fatalf("weakest link %+v, want the a-b match", w)
	}
	if q.ArticulationCount != 1 || !slices.Equal(q.ArticulationRecords, []string{"web:b"}) {
		t.Fatalf("articulation %d %v, want web:b", q.ArticulationCount, q.ArticulationRecords)
	}
	if q.BridgeCount != 2 || len(q.BridgeLinks) != 2 || *q.BridgeLinks[0].Probability != 0.97 {
		t.Fatalf("bridges %d %+v, want both matches, weakest first", q.BridgeCount, q.BridgeLinks)
	}
	if d := got[customerOf(t, db, "crm", "d")].Quality; d == nil || *d.WeakestLinkProbability != 1 || d.WeakestLink.Kind != "shared_identifier" {
		t.Fatalf("email pair quality %+v, want a certain shared identifier", d)
	}
	if z := got[customerOf(t, db, "pos", "z")].Quality; z == nil || z.Records != 1 || z.WeakestLinkProbability != nil {
		t.Fatalf("single record quality %+v, want no weakest link", z)
	}
	page, err := store.FindCustomers(ctx, cdp.CustomerFilter{}, cdp.CustomerOrder{Field: cdp.CustomerOrderClusterDoubt, Desc: true}, cdp.PageArgs{First: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.Items[0].ID != qiu || page.Items[1].ID != customerOf(t, db, "crm", "d") {
		t.Fatalf("shakiest first: %v, want %s then the email pair", ids2(page.Items), qiu)
	}
}

func ids2(cs []*cdp.Customer) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}
