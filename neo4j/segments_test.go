package neo4j_test

import (
	"context"
	"errors"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

func TestSavedSegmentMembershipAndHistory(t *testing.T) {
	db := neo4jtest.DB(t)
	ctx := context.Background()
	ingest := neo4j.NewIngestStore(db, identity.DefaultRules())
	var recs []cdp.SourceRecord
	for _, id := range []string{"a", "b", "c"} {
		recs = append(recs, rec("app", id, cdp.Profile{FullName: "Person " + id}, email(id+"@x.example")))
	}
	if _, err := ingest.WriteCustomers(ctx, recs); err != nil {
		t.Fatal(err)
	}
	a, b, c := customerOf(t, db, "app", "a"), customerOf(t, db, "app", "b"), customerOf(t, db, "app", "c")
	st := neo4j.NewSavedSegments(db)
	now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	seg := &cdp.Segment{ID: "seg_1", Name: "VIP", Definition: `{"rfmSegments":["Champions"]}`, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateSegment(ctx, seg); err != nil {
		t.Fatal(err)
	}
	dup := &cdp.Segment{ID: "seg_2", Name: "VIP", Definition: "{}", CreatedAt: now, UpdatedAt: now}
	var appErr *cdp.Error
	if err := st.CreateSegment(ctx, dup); !errors.As(err, &appErr) || appErr.Code != cdp.ECONFLICT {
		t.Fatalf("a second segment with the same name: %v", err)
	}

	changes, err := st.ApplyMembership(ctx, "seg_1", []string{a, b}, now)
	if err != nil || len(changes) != 2 {
		t.Fatalf("first refresh: %+v, %v", changes, err)
	}
	// b leaves, c enters; a stays and is not reported.
	later := now.Add(time.Hour)
	changes, err = st.ApplyMembership(ctx, "seg_1", []string{a, c}, later)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, ch := range changes {
		kinds[ch.CustomerID] = ch.Kind
	}
	if len(changes) != 2 || kinds[b] != "left" || kinds[c] != "entered" {
		t.Fatalf("second refresh: %+v", changes)
	}
	if again, err := st.ApplyMembership(ctx, "seg_1", []string{c, a}, later.Add(time.Hour)); err != nil || len(again) != 0 {
		t.Fatalf("unchanged membership reported %+v, %v", again, err)
	}

	members, err := st.SegmentMembers(ctx, "seg_1", cdp.PageArgs{First: 1})
	if err != nil || members.TotalCount != 2 || len(members.Items) != 1 || !members.HasNextPage {
		t.Fatalf("members page 1: %+v, %v", members, err)
	}
	rest, err := st.SegmentMembers(ctx, "seg_1", cdp.PageArgs{First: 5, After: members.Cursors[0]})
	if err != nil || len(rest.Items) != 1 || rest.Items[0].ID == members.Items[0].ID {
		t.Fatalf("members page 2: %+v, %v", rest, err)
	}
	hist, err := st.SegmentHistory(ctx, "seg_1", cdp.PageArgs{First: 10})
	if err != nil || hist.TotalCount != 4 || !hist.Items[0].At.Equal(later) {
		t.Fatalf("history %+v, %v", hist, err)
	}
	got, err := st.SegmentsByIDs(ctx, []string{"seg_1"})
	if err != nil || got["seg_1"].MemberCount != 2 || got["seg_1"].RefreshedAt == nil {
		t.Fatalf("segment %+v, %v", got["seg_1"], err)
	}
	of, err := st.SegmentsOfCustomers(ctx, []string{a, b}, 10)
	if err != nil || of[a] == nil || len(of[a].Items) != 1 || of[a].TotalCount != 1 || (of[b] != nil && of[b].TotalCount != 0) {
		t.Fatalf("segments of customers %+v, %v", of, err)
	}
	if found, err := st.DeleteSegment(ctx, "seg_1"); err != nil || !found {
		t.Fatalf("delete: %v %v", found, err)
	}
	if n, _ := db.CountNodes(ctx, "SegmentChange"); n != 0 {
		t.Errorf("%d history entries survive the segment", n)
	}
	if found, _ := st.DeleteSegment(ctx, "seg_1"); found {
		t.Error("deleted a segment twice")
	}
}
