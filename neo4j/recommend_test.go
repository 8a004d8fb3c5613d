package neo4j_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
	"github.com/cdpgraph/cdpgraph/recommend"
)

func TestInteractionsReadPurchasesAndProductViewsOfCustomers(t *testing.T) {
	db := neo4jtest.DB(t)
	ctx := context.Background()
	store := neo4j.NewIngestStore(db, identity.DefaultRules())
	// shop:a and web:w are one person (same e-mail); shop:b another.
	if _, err := store.WriteCustomers(ctx, []cdp.SourceRecord{
		rec("shop", "a", cdp.Profile{FullName: "Ann"}, email("ann@x.example")),
		rec("shop", "b", cdp.Profile{FullName: "Bo"}, email("bo@x.example")),
		rec("web", "w", cdp.Profile{FullName: "Ann"}, email("ann@x.example")),
	}); err != nil {
		t.Fatal(err)
	}
	since := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	t1 := since.AddDate(0, 2, 0)
	line := func(sku string, q int) cdp.OrderItem {
		return cdp.OrderItem{Product: cdp.Product{SKU: sku, Name: "Product " + sku, Category: "home"}, Quantity: q,
			UnitPrice: cdp.Money{Amount: "10.00", Minor: 1000, Currency: "CNY"}, LineTotal: cdp.Money{Amount: fmt.Sprintf("%d0.00", q), Minor: int64(q) * 1000, Currency: "CNY"}}
	}
	order := func(id, customer, status string, at time.Time, items ...cdp.OrderItem) cdp.Order {
		return cdp.Order{Source: "shop", SourceID: id, CustomerSourceID: customer, OrderedAt: at, Status: status,
			Total: cdp.Money{Amount: "10.00", Minor: 1000, Currency: "CNY"}, Items: items}
	}
	if _, err := store.WriteOrders(ctx, []cdp.Order{
		order("o1", "a", "completed", t1, line("SKU-1", 2), line("SKU-2", 1)),
		order("o2", "a", "cancelled", t1, line("SKU-3", 1)),
		order("o3", "a", "returned", t1, line("SKU-4", 1)),
		order("o4", "a", "refunded", t1, line("SKU-4", 1)),
		order("o5", "a", "", t1.Add(time.Hour), line("SKU-5", 1)),              // no status: a purchase
		order("o6", "a", "completed", since.Add(-time.Hour), line("SKU-6", 1)), // before since
		order("o7", "b", "completed", t1, line("SKU-1", 1)),
		order("o8", "ghost", "completed", t1, line("SKU-1", 1)), // never sent: not a customer
	}); err != nil {
		t.Fatal(err)
	}
	event := func(id, typ, sku string, at time.Time) cdp.Event {
		return cdp.Event{Source: "web", SourceID: id, CustomerSourceID: "w", Type: typ, OccurredAt: at, SKU: sku}
	}
	if _, err := store.WriteEvents(ctx, []cdp.Event{
		event("e1", "view", "SKU-7", t1),
		event("e2", "view", "", t1),             // a page view, no product
		event("e3", "add_to_cart", "SKU-8", t1), // not a view
		event("e4", "view", "SKU-9", since.Add(-time.Minute)),
	}); err != nil {
		t.Fatal(err)
	}
	ann, bo := customerOf(t, db, "shop", "a"), customerOf(t, db, "shop", "b")
	if web := customerOf(t, db, "web", "w"); web != ann {
		t.Fatalf("web:w resolved to %s, shop:a to %s; the test needs them merged", web, ann)
	}

	rs := neo4j.NewRecommendStore(db)
	got, err := rs.Interactions(ctx, since)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		customer, sku string
		kind          recommend.Kind
		qty           int
		at            time.Time
	}
	rows := make([]row, len(got))
	for i, x := range got {
		rows[i] = row{x.Customer, x.SKU, x.Kind, x.Quantity, x.At.UTC()}
	}
	want := []row{
		{ann, "SKU-1", recommend.Purchase, 2, t1},
		{ann, "SKU-2", recommend.Purchase, 1, t1},
		{ann, "SKU-5", recommend.Purchase, 1, t1.Add(time.Hour)},
		{ann, "SKU-7", recommend.View, 0, t1},
		{bo, "SKU-1", recommend.Purchase, 1, t1},
	}
	byCustomerSKU := func(a, b row) int {
		if c := cmp.Compare(a.customer, b.customer); c != 0 {
			return c
		}
		return cmp.Compare(a.sku, b.sku)
	}
	slices.SortFunc(rows, byCustomerSKU)
	slices.SortFunc(want, byCustomerSKU)
	if !slices.Equal(rows, want) {
		t.Fatalf("interactions\n got %v\nwant %v", rows, want)
	}

	// Everything since the beginning adds the old order and the old view.
	all, err := rs.Interactions(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(want)+2 {
		t.Errorf("%d interactions since the beginning, want %d", len(all), len(want)+2)
	}

	// They train a model: Bo, who bought SKU-1, is offered what Ann chose with it.
	m := recommend.Train(got, recommend.Config{})
	if recs := m.Recommend(bo, 1); len(recs) != 1 || recs[0].SKU == "SKU-1" || recs[0].Because != "SKU-1" || recs[0].Basis != recommend.BasisBought {
		t.Errorf("recommended to Bo: %+v; want a product Ann chose with SKU-1", recs)
	}

	products, err := rs.Products(ctx, []string{"SKU-1", "SKU-7", "SKU-404"})
	if err != nil {
		t.Fatal(err)
	}
	if p := products["SKU-1"]; len(products) != 2 || p.Name != "Product SKU-1" || p.Category != "home" || products["SKU-7"].SKU != "SKU-7" {
		t.Errorf("products %+v", products)
	}
}
