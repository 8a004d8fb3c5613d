package neo4j_test

import (
	"context"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/influence"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

// Influence is refreshed only when ties or customers change, and customers who leave the
// social graph lose their old results.
func TestInfluenceRefreshesOnlyOnChange(t *testing.T) {
	db := neo4jtest.DB(t)
	ctx := context.Background()
	ingest := neo4j.NewIngestStore(db, identity.DefaultRules())
	var recs []cdp.SourceRecord
	for _, id := range []string{"a", "b", "c", "d"} {
		recs = append(recs, rec("app", id, cdp.Profile{FullName: "Person " + id}, email(id+"@x.example")))
	}
	if _, err := ingest.WriteCustomers(ctx, recs); err != nil {
		t.Fatal(err)
	}
	tie := func(from, to, typ string) cdp.SocialTie {
		return cdp.SocialTie{Source: "app", FromSourceID: from, ToSourceID: to, Type: typ, Count: 1, OccurredAt: scoreAsOf}
	}
	if _, err := ingest.WriteSocialTies(ctx, []cdp.SocialTie{tie("a", "b", "follows"), tie("b", "c", "referred")}); err != nil {
		t.Fatal(err)
	}
	store := neo4j.NewInfluenceStore(db)
	edges, err := store.SocialEdges(ctx)
	if err != nil || len(edges) != 2 {
		t.Fatalf("edges %+v, %v", edges, err)
	}
	svc := influence.NewService(store, quietLog())
	ran, err := svc.RefreshIfChanged(ctx)
	if err != nil || !ran {
		t.Fatalf("first refresh ran=%v err=%v; want a run", ran, err)
	}
	if ran, err := svc.RefreshIfChanged(ctx); err != nil || ran {
		t.Fatalf("refresh without changes ran=%v err=%v", ran, err)
	}
	got, err := neo4j.NewCustomerStore(db).CustomersByIDs(ctx, []string{customerOf(t, db, "app", "b"), customerOf(t, db, "app", "d")})
	if err != nil {
		t.Fatal(err)
	}
	b, d := got[customerOf(t, db, "app", "b")], got[customerOf(t, db, "app", "d")]
	if b.Influence == nil || b.Influence.Referred != 1 || b.Influence.Rank != 1 || d.Influence != nil {
		t.Fatalf("b %+v; d %+v", b.Influence, d.Influence)
	}

	// A new tie brings d in; the next refresh runs.
	time.Sleep(10 * time.Millisecond)
	if _, err := ingest.WriteSocialTies(ctx, []cdp.SocialTie{tie("d", "a", "mentioned")}); err != nil {
		t.Fatal(err)
	}
	if ran, err := svc.RefreshIfChanged(ctx); err != nil || !ran {
		t.Fatalf("refresh after a new tie ran=%v err=%v", ran, err)
	}
	got, err = neo4j.NewCustomerStore(db).CustomersByIDs(ctx, []string{customerOf(t, db, "app", "d")})
	if err != nil {
		t.Fatal(err)
	}
	if x := got[customerOf(t, db, "app", "d")].Influence; x == nil || x.Reach[0] != 0 {
		t.Fatalf("d after mentioning a: %+v (mentioning a gives a influence over d, not the reverse)", x)
	}

	path, err := store.ShortestSocialPath(ctx, customerOf(t, db, "app", "d"), customerOf(t, db, "app", "c"), 4)
	if err != nil || len(path) != 4 || path[0].Tie != "mentioned" || !path[0].Outgoing || path[2].Tie != "referred" {
		t.Fatalf("path d → c: %+v, %v", path, err)
	}
}
