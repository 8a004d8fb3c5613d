package http_test

import (
	"encoding/csv"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
)

// exportCSV downloads a segment's members as CSV with the key's secret.
func exportCSV(t *testing.T, a *api, segment, key string) [][]string {
	t.Helper()
	req := httptest.NewRequest("GET", "/segments/"+segment+"/members.csv", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || rec.Code != 200 {
		t.Fatalf("export: %d %v", rec.Code, err)
	}
	return rows
}

// Issue 14 #10: spreadsheet formulas in names or cities are exported as text.
func TestSegmentExportNeutralizesFormulas(t *testing.T) {
	a := newAPI(t, options())
	var r map[string]struct{ Accepted, Rejected int }
	post(t, a.c, `mutation { r: ingestCustomers(source: "crm", records: [
  {sourceId: "X1", fullName: "+cmd|' /C calc'!A", email: "x1@example.com", city: "=HYPERLINK(\"http://evil.example\",\"open\")", country: "CN"},
  {sourceId: "X2", fullName: "@SUM(A+B)*cmd|' /C calc'!A", email: "x2@example.com", city: "-2+3+cmd|' /C calc'!A0", country: "CN"}]) { accepted rejected } }`, &r)
	if r["r"].Accepted != 2 {
		t.Fatalf("ingest %+v", r)
	}
	var seg struct{ CreateSegment struct{ ID string } }
	post(t, a.c, `mutation { createSegment(name: "cn", definition: {profile: {field: "country", op: "eq", values: ["CN"]}}) { id } }`, &seg)
	rows := exportCSV(t, a, seg.CreateSegment.ID, a.key)
	if len(rows) != 3 {
		t.Fatalf("rows %q", rows)
	}
	for _, row := range rows[1:] {
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("column %s exported as a formula: %q", rows[0][i], cell)
			}
		}
		if !strings.HasPrefix(row[1], "'") || !strings.HasPrefix(row[4], "'") {
			t.Errorf("name and city not neutralized: %q", row)
		}
	}
	// An analyst's pseudonymized export goes through the same writer.
	rows = exportCSV(t, a, seg.CreateSegment.ID, a.newKey(t, auth.KeySpec{Name: "analyst", Role: cdp.RoleAnalyst}))
	for _, row := range rows[1:] {
		if !strings.HasPrefix(row[4], "'") || !strings.HasPrefix(row[1], "anon_") {
			t.Errorf("analyst row %q", row)
		}
	}
}

// Issue 14 #11: a text typed into a shop's search box that equals a customer's email does
// not reveal that customer to an analyst: free texts are withheld, and pseudonyms are
// separated by the kind of field. GraphQL, exports and subscriptions mask alike.
func TestAnalystPseudonymsAreSeparatedByKindAndFreeTextsWithheld(t *testing.T) {
	f := newAccessFixture(t, options())
	var r map[string]struct{ Accepted, Rejected int }
	post(t, f.a.c, `mutation {
  e: ingestEvents(source: "crm", records: [{sourceId: "Q1", customerSourceId: "C1", type: "search", occurredAt: "2026-02-03T10:00:00Z",
     query: "p0@example.com", url: "https://shop.example/search?q=p0@example.com"}]) { accepted rejected }
  f: ingestFeedback(source: "crm", records: [{sourceId: "Q2", customerSourceId: "C1", kind: "review", createdAt: "2026-02-03T10:00:00Z", text: "p0@example.com"}]) { accepted rejected }
}`, &r)
	if r["e"].Accepted != 1 || r["f"].Accepted != 1 {
		t.Fatalf("ingest %+v", r)
	}
	analystKey := f.a.newKey(t, auth.KeySpec{Name: "analyst", Role: cdp.RoleAnalyst})
	analyst := f.a.client(analystKey)
	p, _ := f.profile(t, analyst, "C0")
	email := *p.Customer.Profile.Email
	if !strings.HasPrefix(email, "anon_") {
		t.Fatalf("analyst email %q", email)
	}
	var got struct {
		Customer struct {
			Events struct {
				Nodes []struct {
					Type       string
					Query, URL *string
				}
			}
			Feedback struct {
				Nodes []struct {
					Text   *string
					Rating *int
				}
			}
		}
	}
	post(t, analyst, `query($id: ID!) { customer(id: $id) { events(first: 10) { nodes { type query url } } feedback(first: 10) { nodes { text rating } } } }`, &got, client.Var("id", f.ids["C1"]))
	searched := false
	for _, e := range got.Customer.Events.Nodes {
		searched = searched || e.Type == "search"
		if e.Query != nil && *e.Query == email {
			t.Errorf("the search query's pseudonym is the email's: %s", email)
		}
		if deref(e.Query) != "<nil>" && *e.Query != "" || deref(e.URL) != "<nil>" && *e.URL != "" {
			t.Errorf("an analyst sees a free text: query %v url %v", deref(e.Query), deref(e.URL))
		}
	}
	for _, fb := range got.Customer.Feedback.Nodes {
		if fb.Text != nil {
			t.Errorf("an analyst sees feedback text %q", *fb.Text)
		}
	}
	if !searched || len(got.Customer.Feedback.Nodes) != 2 {
		t.Fatalf("events and feedback %+v", got)
	}
	// Kinds are separated: the email identifier's pseudonym (IDENTIFIER) is not the
	// profile email's (EMAIL), but each is stable.
	for _, id := range p.Customer.Identifiers {
		if id.Type == "EMAIL" && (id.Value == email || !strings.HasPrefix(id.Value, "anon_")) {
			t.Errorf("identifier pseudonym %q, profile email %q", id.Value, email)
		}
	}
	if again, _ := f.profile(t, analyst, "C0"); *again.Customer.Profile.Email != email {
		t.Error("pseudonyms are not stable")
	}

	// The export and the subscription give the same pseudonym as the query.
	sub := client.New(f.a.handler, client.Path("/graphql")).WebsocketWithPayload(
		`subscription { segmentMembershipChanged { customer { customerId profile { email } } } }`, map[string]any{"Authorization": "Bearer " + analystKey})
	defer sub.Close()
	var seg struct{ CreateSegment struct{ ID string } }
	post(t, f.a.c, `mutation { createSegment(name: "cn", definition: {profile: {field: "country", op: "eq", values: ["CN"]}}) { id } }`, &seg)
	fromSub := map[string]string{}
	for range 4 {
		var msg struct {
			SegmentMembershipChanged struct {
				Customer struct {
					CustomerID string
					Profile    struct{ Email *string }
				}
			}
		}
		if err := sub.Next(&msg); err != nil {
			t.Fatalf("subscription: %v", err)
		}
		c := msg.SegmentMembershipChanged.Customer
		fromSub[c.CustomerID] = deref(c.Profile.Email)
	}
	if fromSub[f.ids["C0"]] != email {
		t.Errorf("subscription email %q, query %q", fromSub[f.ids["C0"]], email)
	}
	rows := exportCSV(t, f.a, seg.CreateSegment.ID, analystKey)
	found := false
	for _, row := range rows[1:] {
		if row[0] == f.ids["C0"] {
			found = true
			if row[2] != email {
				t.Errorf("export email %q, query %q", row[2], email)
			}
		}
	}
	if !found {
		t.Fatalf("C0 not exported: %q", rows)
	}
}

// Issue 14 #18: an empty personal value is empty for analysts too, not the pseudonym of "".
func TestAnalystSeesEmptyValuesAsEmpty(t *testing.T) {
	a := newAPI(t, options())
	var r map[string]struct{ Accepted, Rejected int }
	post(t, a.c, `mutation { r: ingestCustomers(source: "crm", records: [
  {sourceId: "H1", fullName: "Ann Home", email: "h1@example.com", addressLine1: "1 Long Road", city: "Shanghai", country: "CN"}]) { accepted rejected } }`, &r)
	if r["r"].Accepted != 1 {
		t.Fatalf("ingest %+v", r)
	}
	var who struct{ CustomerByIdentifier struct{ ID string } }
	post(t, a.c, `{ customerByIdentifier(type: EMAIL, value: "h1@example.com") { id } }`, &who)
	analyst := a.client(a.newKey(t, auth.KeySpec{Name: "analyst", Role: cdp.RoleAnalyst}))
	query := `query($id: ID!) { customer(id: $id) { household { addressLine1 postcode } profile { postcode } } }`
	type household struct {
		Customer struct {
			Household *struct{ AddressLine1, Postcode *string }
			Profile   struct{ Postcode *string }
		}
	}
	var asAdmin, asAnalyst household
	post(t, a.c, query, &asAdmin, client.Var("id", who.CustomerByIdentifier.ID))
	post(t, analyst, query, &asAnalyst, client.Var("id", who.CustomerByIdentifier.ID))
	if asAdmin.Customer.Household == nil || deref(asAdmin.Customer.Household.Postcode) != "" {
		t.Fatalf("admin sees %+v", asAdmin.Customer.Household)
	}
	h := asAnalyst.Customer.Household
	if h == nil || !strings.HasPrefix(deref(h.AddressLine1), "anon_") {
		t.Fatalf("analyst household %+v", h)
	}
	if p := deref(h.Postcode); p != "" && p != "<nil>" {
		t.Errorf("an empty postcode is %q for an analyst", p)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
