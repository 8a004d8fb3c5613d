package neo4j_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/ingest"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
	"github.com/cdpgraph/cdpgraph/privacy"
)

// After erasure no personal value of the person remains anywhere in the graph, order
// amounts still add up, and replaying their records brings nothing back.
func TestErasureLeavesNoPersonalDataAndBlocksReplays(t *testing.T) {
	db := neo4jtest.DB(t)
	ctx := context.Background()
	store := neo4j.NewIngestStore(db, identity.DefaultRules())
	svc := ingest.NewService(store, ingest.Options{DefaultRegion: "CN"})
	must := func(res *ingest.Result, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if res.Rejected > 0 {
			t.Fatalf("rejected: %+v", res.Errors)
		}
	}
	zelda := []cdp.CustomerRecord{{SourceID: "C1", GivenName: "Zelda", FamilyName: "Quimby", Email: "Zelda.Quimby@qq.com",
		Phone: "138 0013 8000", AddressLine1: "88 Xylophone Road", City: "Shanghai", Postcode: "200001", Country: "CN", BirthDate: "1990-05-04"},
		{SourceID: "C2", FullName: "Bob Other", Email: "bob@163.com", AddressLine1: "88 Xylophone Road", City: "Shanghai", Postcode: "200001", Country: "CN"}}
	must(svc.IngestCustomers(ctx, "crm", zelda))
	must(svc.IngestCustomers(ctx, "web", []cdp.CustomerRecord{{SourceID: "u1", Email: "zelda.quimby@qq.com", GivenName: "Zelda"}}))
	orders := []cdp.OrderRecord{{SourceID: "O1", CustomerSourceID: "C1", OrderedAt: "2026-03-01T10:00:00Z", Currency: "CNY",
		Items: []cdp.OrderItemRecord{{SKU: "SKU-1", Quantity: "2", UnitPrice: "10.50"}}}}
	must(svc.IngestOrders(ctx, "crm", orders))
	must(svc.IngestFeedback(ctx, "web", []cdp.FeedbackRecord{{SourceID: "F1", CustomerSourceID: "u1", Kind: "review", CreatedAt: "2026-03-02T10:00:00Z",
		Rating: "2", Text: "Zelda Quimby here: the delivery was late"}}))
	must(svc.IngestEvents(ctx, "web", []cdp.EventRecord{{SourceID: "E1", CustomerSourceID: "u1", Type: "search", OccurredAt: "2026-03-01T09:00:00Z", Query: "zelda quimby order"}}))
	must(svc.IngestSocial(ctx, "crm", []cdp.SocialRecord{{FromSourceID: "C1", ToSourceID: "C2", Type: "follows"}}))
	must(svc.IngestConsents(ctx, "crm", []cdp.ConsentRecord{{SourceID: "K1", CustomerSourceID: "C1", Purpose: "email_marketing", Granted: "yes", OccurredAt: "2026-01-01T00:00:00Z"}}))
	id := customerOf(t, db, "crm", "C1")
	if customerOf(t, db, "web", "u1") != id {
		t.Fatal("the two records of Zelda did not resolve to one customer")
	}
	priv := privacy.NewService(neo4j.NewCustomerStore(db), neo4j.NewErasureStore(db))
	export, err := priv.Export(ctx, id)
	if err != nil || len(export.SourceRecords) != 2 || len(export.Orders) != 1 || len(export.Feedback) != 1 || export.Customer.Profile.Email == "" {
		t.Fatalf("export %+v, %v", export, err)
	}
	preview, err := priv.Preview(ctx, id)
	if err != nil || len(preview.SourceRecords) != 2 || len(preview.Identifiers) < 2 || preview.FeedbackTexts != 1 || preview.SocialTies != 1 || !preview.Household {
		t.Fatalf("preview %+v, %v", preview, err)
	}
	if _, err := priv.Erase(ctx, id); err != nil {
		t.Fatal(err)
	}

	// Her address is also Bob's, so it stays with him; everything only hers must go.
	personal := []string{"zelda", "quimby", "8613800138000", "1990-05-04", "crm:c1", "web:u1", "qq.com"}
	recs, err := db.AllProperties(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		text := strings.ToLower(fmt.Sprint(r))
		for _, p := range personal {
			if strings.Contains(text, p) {
				t.Errorf("%q survives erasure in %s", p, r)
			}
		}
	}
	// Bob shared Zelda's address: his own data is untouched.
	if bob := customerOf(t, db, "crm", "C2"); bob == "" {
		t.Fatal("Bob's record went too")
	}
	// The order stays, anonymous, with its amount.
	got, err := neo4j.NewCustomerStore(db).OrdersByCustomerIDs(ctx, []string{id}, cdp.PageArgs{First: 10})
	if err != nil || got[id] == nil || len(got[id].Items) != 1 || got[id].Items[0].Total.Amount != "21.00" {
		t.Fatalf("orders after erasure: %+v, %v", got[id], err)
	}

	// Replays: the same records, an order for her, and a new record with her email.
	before, _ := db.CountNodes(ctx, "SourceRecord")
	for _, replay := range []func() (*ingest.Result, error){
		func() (*ingest.Result, error) { return svc.IngestCustomers(ctx, "crm", zelda[:1]) },
		func() (*ingest.Result, error) { return svc.IngestOrders(ctx, "crm", orders) },
		func() (*ingest.Result, error) {
			return svc.IngestCustomers(ctx, "app", []cdp.CustomerRecord{{SourceID: "new-1", Email: "zelda.quimby@qq.com"}})
		},
	} {
		res, err := replay()
		if err != nil {
			t.Fatal(err)
		}
		if res.Rejected != 1 || !strings.Contains(res.Errors[0].Message, "erased") {
			t.Errorf("replay accepted: %+v", res)
		}
	}
	if after, _ := db.CountNodes(ctx, "SourceRecord"); after != before {
		t.Errorf("replays created %d records", after-before)
	}
}
