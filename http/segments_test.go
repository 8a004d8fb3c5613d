package http_test

import (
	"context"
	"encoding/csv"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
)

func TestSegmentsActionsAndSubscriptions(t *testing.T) {
	a := newAPI(t, options())
	a.seedSimulated(t, 250)
	bands := a.c.Websocket(`subscription { churnBandChanged { customer { customerId } from to } }`)
	defer bands.Close()
	var run map[string]any
	post(t, a.c, `mutation { runScoring(asOf: "2026-06-30") { version } }`, &run)
	var band struct {
		ChurnBandChanged struct {
			Customer struct{ CustomerID string }
			From     *string
			To       *string
		}
	}
	if err := bands.Next(&band); err != nil {
		t.Fatalf("churn band subscription: %v", err)
	}
	if b := band.ChurnBandChanged; b.From != nil || b.To == nil || b.Customer.CustomerID == "" {
		t.Fatalf("first scores: band change %+v, want from null to a band", b)
	}

	// Subscribe before the segment exists: every membership change is delivered.
	sub := a.c.Websocket(`subscription { segmentMembershipChanged { kind customer { customerId } segment { name } } }`)
	defer sub.Close()

	const def = `{or: [{churnBands: ["high", "critical"]}, {and: [{rfmSegments: ["Champions"]}, {not: {score: {field: "clv", max: 100}}}]}]}`
	var preview struct {
		PreviewSegment struct {
			Count  int
			Sample []struct{ CustomerID string }
		}
	}
	post(t, a.c, `{ previewSegment(definition: `+def+`, sample: 5) { count sample { customerId } } }`, &preview)
	if preview.PreviewSegment.Count == 0 || preview.PreviewSegment.Count >= 225 || len(preview.PreviewSegment.Sample) != 5 {
		t.Fatalf("preview %+v", preview.PreviewSegment)
	}

	var created struct {
		CreateSegment struct {
			ID          string
			MemberCount int
			Members     struct{ TotalCount int }
			History     struct{ TotalCount int }
		}
	}
	post(t, a.c, `mutation { createSegment(name: "Save them", definition: `+def+`) { id memberCount members(first: 3) { totalCount } history { totalCount } } }`, &created)
	seg := created.CreateSegment
	if seg.MemberCount != preview.PreviewSegment.Count || seg.Members.TotalCount != seg.MemberCount || seg.History.TotalCount != seg.MemberCount {
		t.Fatalf("segment %+v, preview counted %d", seg, preview.PreviewSegment.Count)
	}
	var msg struct {
		SegmentMembershipChanged struct {
			Kind     string
			Customer struct{ CustomerID string }
			Segment  struct{ Name string }
		}
	}
	if err := sub.Next(&msg); err != nil {
		t.Fatalf("subscription: %v", err)
	}
	if m := msg.SegmentMembershipChanged; m.Kind != "ENTERED" || m.Segment.Name != "Save them" || m.Customer.CustomerID == "" {
		t.Fatalf("subscription event %+v", m)
	}

	// Validation names the node at fault.
	resp, err := a.c.RawPost(`{ previewSegment(definition: {and: [{churnBands: ["high"]}, {purchased: {category: "x", sku: "y"}}]}) { count } }`)
	if err != nil {
		t.Fatal(err)
	}
	if errs := string(resp.Errors); !strings.Contains(errs, "BAD_USER_INPUT") || !strings.Contains(errs, "and[1].purchased") {
		t.Errorf("validation error %s", errs)
	}

	// Actions: nobody has consented to anything in the simulated company, so email, SMS
	// and phone actions are suppressed; a customer who grants email consent gets theirs.
	var members struct {
		Segment struct {
			Members struct{ Nodes []struct{ CustomerID string } }
		}
	}
	post(t, a.c, `query($id: ID!) { segment(id: $id) { members(first: 100) { nodes { customerId } } } }`, &members, client.Var("id", seg.ID))
	ids := []string{}
	for _, n := range members.Segment.Members.Nodes {
		ids = append(ids, n.CustomerID)
	}
	var withEmail string
	for _, id := range ids {
		var one struct {
			Customer struct {
				NextBestActions []struct {
					Action, Channel, Reason string
					Suppressed              *string
				}
			}
		}
		post(t, a.c, `query($id: ID!) { customer(id: $id) { nextBestActions(includeSuppressed: true) { action channel reason suppressed } } }`, &one, client.Var("id", id))
		for _, s := range one.Customer.NextBestActions {
			if s.Reason == "" || s.Suppressed == nil || !strings.Contains(*s.Suppressed, "consent") && s.Channel != "app" {
				t.Fatalf("%s: %+v; every action needs a reason and, without consent, is suppressed", id, s)
			}
			if s.Channel == "email" && withEmail == "" {
				withEmail = id
			}
		}
	}
	if withEmail == "" {
		t.Fatal("no member has an email action to test consent with")
	}
	simID := a.sourceIDOf(t, withEmail)
	if _, err := a.store.WriteConsents(context.Background(), []cdp.Consent{{Source: "sim", SourceID: "k-" + simID, CustomerSourceID: simID,
		Purpose: "email_marketing", Granted: true, OccurredAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}); err != nil {
		t.Fatal(err)
	}
	var plan struct {
		PlanActions struct{ Customers, Planned, Suppressed, NoAction int }
	}
	post(t, a.c, `mutation($id: ID!) { planActions(segment: $id, campaign: "summer") { customers planned suppressed noAction } }`, &plan, client.Var("id", seg.ID))
	p := plan.PlanActions
	if p.Customers != seg.MemberCount || p.Planned != 1 || p.Planned+p.Suppressed+p.NoAction != p.Customers {
		t.Fatalf("plan %+v; want exactly the consenting customer planned", p)
	}
	var acts struct {
		Customer struct {
			Actions []struct {
				ID, Action, Channel, Status string
			}
			NextBestActions []struct{ Action string }
		}
	}
	post(t, a.c, `query($id: ID!) { customer(id: $id) { actions { id action channel status } nextBestActions { action } } }`, &acts, client.Var("id", withEmail))
	if len(acts.Customer.Actions) != 1 || acts.Customer.Actions[0].Channel != "email" || acts.Customer.Actions[0].Status != "PLANNED" {
		t.Fatalf("actions %+v", acts.Customer.Actions)
	}
	for _, s := range acts.Customer.NextBestActions {
		if s.Action == acts.Customer.Actions[0].Action {
			t.Errorf("%s suggested again right after it was planned (frequency cap)", s.Action)
		}
	}
	var upd struct {
		UpdateAction struct{ Status, Outcome string }
	}
	post(t, a.c, `mutation($id: ID!) { updateAction(id: $id, status: DONE, outcome: "bought again") { status outcome } }`, &upd, client.Var("id", acts.Customer.Actions[0].ID))
	if upd.UpdateAction.Status != "DONE" || upd.UpdateAction.Outcome != "bought again" {
		t.Errorf("update %+v", upd)
	}

	// Export: every member, one CSV row each.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/segments/"+seg.ID+"/members.csv", nil)
	req.Header.Set("Authorization", "Bearer "+a.key)
	a.handler.ServeHTTP(rec, req)
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || rec.Code != 200 || len(rows) != seg.MemberCount+1 || rows[0][0] != "customer_id" {
		t.Fatalf("export: %d, %d rows, %v", rec.Code, len(rows), err)
	}

	// Recommendations: trained on the graph, never what the customer bought already.
	if err := a.r.Recommender.Retrain(context.Background()); err != nil {
		t.Fatal(err)
	}
	var recs struct {
		Customer struct {
			Recommendations []struct {
				Sku    string
				Reason string
			}
			Orders struct {
				Nodes []struct {
					Items []struct{ Product struct{ Sku string } }
				}
			}
		}
	}
	post(t, a.c, `query($id: ID!) { customer(id: $id) { recommendations(first: 5) { sku reason } orders(first: 100) { nodes { items { product { sku } } } } } }`, &recs, client.Var("id", withEmail))
	bought := map[string]bool{}
	for _, o := range recs.Customer.Orders.Nodes {
		for _, it := range o.Items {
			bought[it.Product.Sku] = true
		}
	}
	if len(recs.Customer.Recommendations) == 0 {
		t.Fatal("no recommendations")
	}
	for _, r := range recs.Customer.Recommendations {
		if bought[r.Sku] || r.Reason == "" {
			t.Errorf("recommended %s (%s); bought already: %v", r.Sku, r.Reason, bought[r.Sku])
		}
	}

	var del struct{ DeleteSegment bool }
	post(t, a.c, `mutation($id: ID!) { deleteSegment(id: $id) }`, &del, client.Var("id", seg.ID))
	if !del.DeleteSegment {
		t.Error("segment not deleted")
	}
}

// sourceIDOf finds the simulated source id of a customer.
func (a *api) sourceIDOf(t *testing.T, customerID string) string {
	t.Helper()
	var r struct {
		Customer struct{ SourceRecords []struct{ SourceID string } }
	}
	post(t, a.c, `query($id: ID!) { customer(id: $id) { sourceRecords { sourceId } } }`, &r, client.Var("id", customerID))
	return r.Customer.SourceRecords[0].SourceID
}
