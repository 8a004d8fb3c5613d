package ingest_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/ingest"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

var now = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)

func newService(t *testing.T) (*ingest.Service, *neo4j.DB) {
	db := neo4jtest.DB(t)
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	return ingest.NewService(neo4j.NewIngestStore(db, identity.DefaultRules()), ingest.Options{
		DefaultRegion: "CN", Location: shanghai, DayFirst: true, Now: func() time.Time { return now },
	}), db
}

func count(t *testing.T, db *neo4j.DB, label string) int {
	t.Helper()
	n, err := db.CountNodes(context.Background(), label)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBadRecordsAreReportedAndGoodOnesLand(t *testing.T) {
	svc, db := newService(t)
	ctx := context.Background()
	res, err := svc.IngestCustomers(ctx, "crm", []cdp.CustomerRecord{
		{SourceID: "C1", FullName: "王小明", Email: " Wang.XM@QQ.com ", Phone: "138 0013 8000", BirthDate: "1990年5月4日"},
		{SourceID: "C2", GivenName: "ann", FamilyName: "LEE", Email: "ann@@example.com"},
		{SourceID: "C3", GivenName: "Bo", Phone: "12345", BirthDate: "1990-02-30"},
		{SourceID: "", GivenName: "Nobody"},
		{SourceID: "C5", GivenName: "Cai", Identifiers: []cdp.IdentifierRecord{{Type: "passport", Value: "X1"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Received != 5 || res.Accepted != 1 || res.Rejected != 4 || res.Created != 1 {
		t.Fatalf("result = %+v", res)
	}
	want := map[string]string{ // "index field" -> part of the message
		"1 email": "", "2 phone": "", "2 birth_date": "", "3 source_id": "required", "4 identifiers[0].type": "passport",
	}
	got := map[string]string{}
	for _, e := range res.Errors {
		got[strings.Join([]string{itoa(e.Index), e.Field}, " ")] = e.Message
	}
	for k, part := range want {
		msg, ok := got[k]
		if !ok {
			t.Errorf("no error for %q; errors: %+v", k, res.Errors)
		} else if !strings.Contains(msg, part) {
			t.Errorf("error %q = %q, want it to mention %q", k, msg, part)
		}
	}
	if res.Errors[0].SourceID != "C2" {
		t.Errorf("error names record %q, want C2", res.Errors[0].SourceID)
	}
	if n := count(t, db, "SourceRecord"); n != 1 {
		t.Fatalf("%d source records stored, want only the valid one", n)
	}

	store := neo4j.NewCustomerStore(db)
	id, err := store.CustomerIDByIdentifier(ctx, cdp.Identifier{Type: cdp.IdentifierPhone, Value: "+8613800138000"})
	if err != nil {
		t.Fatalf("phone was not stored in E.164: %v", err)
	}
	cs, _ := store.CustomersByIDs(ctx, []string{id})
	p := cs[id].Profile
	if p.Email != "wang.xm@qq.com" || p.BirthDate != "1990-05-04" || p.FullName != "王小明" {
		t.Fatalf("normalized profile = %+v", p)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestReplayedBatchChangesNothingAndUpdatesUpdate(t *testing.T) {
	svc, db := newService(t)
	ctx := context.Background()
	customers := []cdp.CustomerRecord{
		{SourceID: "C1", GivenName: "Ann", FamilyName: "Lee", Email: "ann@example.com"},
		{SourceID: "C2", GivenName: "Bo", FamilyName: "Wu", Phone: "+86 139 0000 0001"},
	}
	orders := []cdp.OrderRecord{{
		SourceID: "O1", CustomerSourceID: "C1", OrderedAt: "2026-03-01 10:00:00", Currency: "cny",
		Items: []cdp.OrderItemRecord{{SKU: "SKU-1", Name: "Scarf", Category: "Accessories", Quantity: "2", UnitPrice: "59.90"}},
	}}
	for round := 0; round < 2; round++ {
		res, err := svc.IngestCustomers(ctx, "crm", customers)
		if err != nil {
			t.Fatal(err)
		}
		ores, err := svc.IngestOrders(ctx, "crm", orders)
		if err != nil {
			t.Fatal(err)
		}
		if round == 0 && (res.Created != 2 || ores.Created != 1) {
			t.Fatalf("first load: customers %+v orders %+v", res.WriteStats, ores.WriteStats)
		}
		if round == 1 && (res.Unchanged != 2 || ores.Unchanged != 1 || res.Created+res.Updated+ores.Created+ores.Updated != 0) {
			t.Fatalf("replay: customers %+v orders %+v", res.WriteStats, ores.WriteStats)
		}
	}
	for label, want := range map[string]int{"SourceRecord": 2, "Customer": 2, "Order": 1, "Product": 1, "Identifier": 2, "IdentityEvent": 0} {
		if n := count(t, db, label); n != want {
			t.Errorf("%s: %d nodes after replay, want %d", label, n, want)
		}
	}

	// An updated record updates in place; a corrected order replaces its lines.
	customers[0].Email = "ann.lee@example.com"
	orders[0].Items = []cdp.OrderItemRecord{{SKU: "SKU-2", Quantity: "1", UnitPrice: "10"}}
	res, err := svc.IngestCustomers(ctx, "crm", customers)
	if err != nil || res.Updated != 1 || res.Unchanged != 1 {
		t.Fatalf("update: %+v %v", res, err)
	}
	if _, err := svc.IngestOrders(ctx, "crm", orders); err != nil {
		t.Fatal(err)
	}
	store := neo4j.NewCustomerStore(db)
	id, err := store.CustomerIDByIdentifier(ctx, cdp.Identifier{Type: cdp.IdentifierEmail, Value: "ann.lee@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CustomerIDByIdentifier(ctx, cdp.Identifier{Type: cdp.IdentifierEmail, Value: "ann@example.com"}); cdp.ErrorCode(err) != cdp.ENOTFOUND {
		t.Fatalf("old email still linked: %v", err)
	}
	pages, err := store.OrdersByCustomerIDs(ctx, []string{id}, cdp.PageArgs{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	o := pages[id].Items[0]
	if len(o.Items) != 1 || o.Items[0].Product.SKU != "SKU-2" || o.Total != (cdp.Money{Amount: "10.00", Minor: 1000, Currency: "CNY"}) {
		t.Fatalf("corrected order = %+v", o)
	}
}

func TestOrderValidationNamesTheLineAtFault(t *testing.T) {
	svc, db := newService(t)
	res, err := svc.IngestOrders(context.Background(), "pos", []cdp.OrderRecord{
		{SourceID: "O1", CustomerSourceID: "P1", OrderedAt: "2026-01-02T10:00:00+08:00", Currency: "CNY",
			Items: []cdp.OrderItemRecord{{SKU: "A", Quantity: "1", UnitPrice: "1.00"}, {SKU: "B", Quantity: "-1", UnitPrice: "5"}}},
		{SourceID: "O2", CustomerSourceID: "P1", OrderedAt: "2030-01-01", Currency: "XYZ", Items: nil},
		{SourceID: "O3", CustomerSourceID: "P2", OrderedAt: "2026-01-03", Currency: "JPY", Total: "1200",
			Items: []cdp.OrderItemRecord{{SKU: "C", Quantity: "3", UnitPrice: "400"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	for _, e := range res.Errors {
		fields[e.SourceID+" "+e.Field] = true
	}
	for _, want := range []string{"O1 items[1].quantity", "O2 currency", "O2 ordered_at"} {
		if !fields[want] {
			t.Errorf("missing error %q in %+v", want, res.Errors)
		}
	}
	if res.Accepted != 1 || count(t, db, "Order") != 1 {
		t.Fatalf("accepted %d, stored %d orders; want the JPY order only", res.Accepted, count(t, db, "Order"))
	}
	// The order's customer record did not exist: it is kept as a placeholder, not lost.
	recs, _ := neo4j.NewCustomerStore(db).SourceRecordsByKeys(context.Background(), []string{"pos:P2"})
	if r := recs["pos:P2"]; r == nil || !r.Placeholder {
		t.Fatalf("placeholder record for pos:P2 = %+v", r)
	}
}

func TestDuplicatesInABatchKeepTheLast(t *testing.T) {
	svc, db := newService(t)
	res, err := svc.IngestCustomers(context.Background(), "crm", []cdp.CustomerRecord{
		{SourceID: "C1", GivenName: "First", Email: "a@example.com"},
		{SourceID: "C1", GivenName: "Second", Email: "a@example.com"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Duplicates != 1 || res.Created != 1 {
		t.Fatalf("result = %+v", res)
	}
	recs, _ := neo4j.NewCustomerStore(db).SourceRecordsByKeys(context.Background(), []string{"crm:C1"})
	if got := recs["crm:C1"].Profile.GivenName; got != "Second" {
		t.Fatalf("given name = %q, want the later record's", got)
	}
}

func TestBatchLevelErrors(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	if _, err := svc.IngestCustomers(ctx, "CRM system", nil); cdp.ErrorCode(err) != cdp.EINVALID {
		t.Fatalf("bad source name: err = %v", err)
	}
	big := make([]cdp.EventRecord, ingest.MaxBatch+1)
	if _, err := svc.IngestEvents(ctx, "web", big); cdp.ErrorCode(err) != cdp.EINVALID {
		t.Fatalf("oversized batch: err = %v", err)
	}
}

func TestImportCSVAndNDJSONReportLinesAndKeepGoing(t *testing.T) {
	svc, db := newService(t)
	ctx := context.Background()
	csvOrders := "source_id,customer_source_id,ordered_at,currency,sku,name,quantity,unit_price\n" +
		"O1,C1,2026-01-01,CNY,S1,Tea,1,10\n" +
		"O1,C1,2026-01-01,CNY,S2,Cup,2,5.5\n" +
		"O2,C2,2026-01-02,CNY,S1,Tea,one,10\n" +
		"O3,C2,2026-01-03,CNY,S3\n" +
		"O4,C3,2026-01-04,CNY,S1,Tea,1,10\n"
	res, err := svc.Import(ctx, strings.NewReader(csvOrders), ingest.ImportOptions{Source: "pos", Kind: cdp.KindOrders, Format: ingest.FormatCSV, BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Received != 4 || res.Accepted != 2 || res.Rejected != 2 {
		t.Fatalf("csv result = %+v", res)
	}
	lines := map[int]string{}
	for _, e := range res.Errors {
		lines[e.Line] = e.Field
	}
	if lines[4] != "items[0].quantity" || lines[5] != "record" {
		t.Fatalf("csv errors by line = %v (%+v)", lines, res.Errors)
	}
	o, _ := neo4j.NewCustomerStore(db).OrdersByKeys(ctx, []string{"pos:O1"})
	if got := o["pos:O1"]; got == nil || len(got.Items) != 2 || got.Total.Amount != "21.00" {
		t.Fatalf("two-line CSV order = %+v", got)
	}

	ndjson := `{"source_id":"E1","customer_source_id":"u1","type":"view","occurred_at":"2026-01-01T10:00:00Z","sku":"S1"}
not json
{"source_id":"E2","customer_source_id":"u1","type":"teleport","occurred_at":"2026-01-01T10:00:00Z"}

{"source_id":"E3","customer_source_id":"u1","type":"search","occurred_at":1767261600,"query":"tea"}
`
	res, err = svc.Import(ctx, strings.NewReader(ndjson), ingest.ImportOptions{Source: "web", Kind: cdp.KindEvents, Format: ingest.FormatNDJSON})
	if err != nil {
		t.Fatal(err)
	}
	if res.Received != 4 || res.Accepted != 2 || res.Rejected != 2 {
		t.Fatalf("ndjson result = %+v", res)
	}
	lines = map[int]string{}
	for _, e := range res.Errors {
		lines[e.Line] = e.Field
	}
	if lines[2] != "record" || lines[3] != "type" {
		t.Fatalf("ndjson errors by line = %v", lines)
	}
	if n := count(t, db, "Event"); n != 2 {
		t.Fatalf("%d events stored, want 2", n)
	}
}

// A stated total is what was paid: discounts and tax are accepted, a total more than twice
// its lines is refused naming the order and its total, and without one the lines count.
func TestOrderTotalIsCheckedAgainstItsLines(t *testing.T) {
	svc, db := newService(t)
	lines := []cdp.OrderItemRecord{{SKU: "A", Quantity: "2", UnitPrice: "50.00"}}
	order := func(id, total string) cdp.OrderRecord {
		return cdp.OrderRecord{SourceID: id, CustomerSourceID: "P1", OrderedAt: "2026-01-02", Currency: "CNY", Total: total, Items: lines}
	}
	res, err := svc.IngestOrders(context.Background(), "pos", []cdp.OrderRecord{
		order("wrong", "999"), order("discounted", "80"), order("taxed", "113.00"), order("free", "0"), order("lines", ""), order("double", "200"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || res.Errors[0].SourceID != "wrong" || res.Errors[0].Field != "total" ||
		!strings.Contains(res.Errors[0].Message, "999.00 CNY") || !strings.Contains(res.Errors[0].Message, "100.00 CNY") {
		t.Fatalf("errors %+v; want one naming order wrong, its total and both amounts", res.Errors)
	}
	if res.Accepted != 5 || count(t, db, "Order") != 5 {
		t.Fatalf("accepted %d, stored %d; want every order but the wrong one", res.Accepted, count(t, db, "Order"))
	}
}
