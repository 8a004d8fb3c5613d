package neo4j_test

import (
	"context"
	"slices"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

func TestMigrateIsIdempotent(t *testing.T) {
	db := neo4jtest.DB(t)
	ctx := context.Background()
	before, err := db.SchemaNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	after, err := db.SchemaNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(before, after) {
		t.Fatalf("schema changed on re-run:\nbefore %v\nafter  %v", before, after)
	}
	for _, want := range []string{"source_record_key", "identifier_key", "customer_id", "order_key", "customer_search_name"} {
		if !slices.Contains(after, want) {
			t.Errorf("schema lacks %s; have %v", want, after)
		}
	}
}

func rec(source, id string, p cdp.Profile, ids ...cdp.Identifier) cdp.SourceRecord {
	return cdp.SourceRecord{Source: source, SourceID: id, Profile: p, Identifiers: ids,
		UpdatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func email(v string) cdp.Identifier { return cdp.Identifier{Type: cdp.IdentifierEmail, Value: v} }
func phone(v string) cdp.Identifier { return cdp.Identifier{Type: cdp.IdentifierPhone, Value: v} }
func device(v string) cdp.Identifier {
	return cdp.Identifier{Type: cdp.IdentifierDeviceID, Value: v}
}

func customerOf(t *testing.T, db *neo4j.DB, source, id string) string {
	t.Helper()
	recs, err := neo4j.NewCustomerStore(db).SourceRecordsByKeys(context.Background(), []string{cdp.RecordKey(source, id)})
	if err != nil {
		t.Fatal(err)
	}
	r := recs[cdp.RecordKey(source, id)]
	if r == nil {
		t.Fatalf("record %s:%s not found", source, id)
	}
	return r.CustomerID
}

func TestResolutionMergesOnTrustedIdentifiersOnly(t *testing.T) {
	db := neo4jtest.DB(t)
	ctx := context.Background()
	store := neo4j.NewIngestStore(db, identity.DefaultRules())

	// Two records share only a device: not trusted, so two customers.
	_, err := store.WriteCustomers(ctx, []cdp.SourceRecord{
		rec("crm", "1", cdp.Profile{GivenName: "Ann", FamilyName: "Lee"}, email("ann@x.com"), device("d1")),
		rec("web", "u1", cdp.Profile{GivenName: "Bob"}, email("bob@x.com"), device("d1")),
	})
	if err != nil {
		t.Fatal(err)
	}
	ann, bob := customerOf(t, db, "crm", "1"), customerOf(t, db, "web", "u1")
	if ann == "" || bob == "" || ann == bob {
		t.Fatalf("device id merged people: ann=%q bob=%q", ann, bob)
	}

	// A POS record with Ann's phone and Bob's email bridges them in a later batch: the older customer survives.
	if _, err := store.WriteCustomers(ctx, []cdp.SourceRecord{
		rec("pos", "p1", cdp.Profile{FamilyName: "Lee"}, phone("+8613912345001")),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.WriteCustomers(ctx, []cdp.SourceRecord{
		rec("crm", "1", cdp.Profile{GivenName: "Ann", FamilyName: "Lee"}, email("ann@x.com"), device("d1"), phone("+8613912345001")),
	}); err != nil {
		t.Fatal(err)
	}
	if got := customerOf(t, db, "pos", "p1"); got != ann {
		t.Fatalf("pos record resolved to %q, want ann's %q", got, ann)
	}
	if _, err := store.WriteCustomers(ctx, []cdp.SourceRecord{
		rec("pos", "p2", cdp.Profile{}, phone("+8613912345001"), email("bob@x.com")),
	}); err != nil {
		t.Fatal(err)
	}
	merged := customerOf(t, db, "web", "u1")
	if merged != customerOf(t, db, "crm", "1") || merged != customerOf(t, db, "pos", "p2") {
		t.Fatal("bridge record did not merge the two customers")
	}
	if n, _ := db.CountNodes(ctx, "Customer"); n != 1 {
		t.Fatalf("customers = %d, want 1 after the merge", n)
	}
	if n, _ := db.CountNodes(ctx, "IdentityEvent"); n != 2 { // pos:p1 into ann, then bob into ann
		t.Fatalf("merge events = %d, want 2", n)
	}
	cs, err := neo4j.NewCustomerStore(db).CustomersByIDs(ctx, []string{merged})
	if err != nil {
		t.Fatal(err)
	}
	c := cs[merged]
	if c.RecordCount != 4 || !slices.Equal(c.Sources, []string{"crm", "pos", "web"}) {
		t.Fatalf("golden record: records=%d sources=%v", c.RecordCount, c.Sources)
	}
}

func TestReplayWritesNothing(t *testing.T) {
	db := neo4jtest.DB(t)
	ctx := context.Background()
	store := neo4j.NewIngestStore(db, identity.DefaultRules())
	batch := []cdp.SourceRecord{
		rec("crm", "1", cdp.Profile{GivenName: "Ann"}, email("ann@x.com")),
		rec("crm", "2", cdp.Profile{GivenName: "Cai"}, email("cai@x.com")),
	}
	first, err := store.WriteCustomers(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	if first != (cdp.WriteStats{Created: 2}) {
		t.Fatalf("first write = %+v", first)
	}
	again, err := store.WriteCustomers(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	if again != (cdp.WriteStats{Unchanged: 2}) {
		t.Fatalf("replay = %+v, want all unchanged", again)
	}
	batch[1].Profile.GivenName = "Cai Wei"
	upd, err := store.WriteCustomers(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	if upd != (cdp.WriteStats{Updated: 1, Unchanged: 1}) {
		t.Fatalf("update = %+v", upd)
	}
}
