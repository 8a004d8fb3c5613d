package http_test

import (
	"testing"

	"github.com/99designs/gqlgen/client"
)

// A customer merged away keeps answering: customer(id:) and node(id:) with its old id give
// the survivor, which lists the old id among its merged ids.
func TestMergedCustomerIDStillAnswers(t *testing.T) {
	a := newAPI(t, options())
	var ingested map[string]struct{ Accepted, Rejected int }
	post(t, a.c, `mutation { r: ingestCustomers(source: "crm", records: [
  {sourceId: "A1", givenName: "Ann", familyName: "Li", email: "ann@qq.com"},
  {sourceId: "A2", givenName: "Ann", familyName: "Li", email: "ann@qq.com"},
  {sourceId: "B1", givenName: "Ann", familyName: "Li", phone: "+86 138 0000 0001"}]) { accepted rejected } }`, &ingested)
	type customer struct {
		ID                string
		CustomerID        string   `json:"customerId"`
		MergedCustomerIds []string `json:"mergedCustomerIds"`
	}
	byEmail, byPhone := map[string]customer{}, map[string]customer{}
	const fields = `{ id customerId mergedCustomerIds }`
	post(t, a.c, `{ x: customerByIdentifier(type: EMAIL, value: "ann@qq.com") `+fields+` }`, &byEmail)
	post(t, a.c, `{ x: customerByIdentifier(type: PHONE, value: "13800000001") `+fields+` }`, &byPhone)
	survivor, absorbed := byEmail["x"], byPhone["x"]
	if survivor.CustomerID == "" || absorbed.CustomerID == "" || survivor.CustomerID == absorbed.CustomerID {
		t.Fatalf("precondition: two customers, got %+v and %+v", survivor, absorbed)
	}
	// A record with both the email and the phone merges them; the larger customer survives.
	post(t, a.c, `mutation { r: ingestCustomers(source: "web", records: [
  {sourceId: "W1", givenName: "Ann", familyName: "Li", email: "ann@qq.com", phone: "+86 138 0000 0001"}]) { accepted rejected } }`, &ingested)
	for _, tc := range []struct{ query, id string }{
		{`customer(id: $id)`, absorbed.CustomerID},
		{`customer(id: $id)`, absorbed.ID},
		{`node(id: $id)`, absorbed.ID},
		{`customer(id: $id)`, survivor.CustomerID},
	} {
		var got map[string]customer
		post(t, a.c, `query($id: ID!) { x: `+tc.query+` { ... on Customer `+fields+` } }`, &got, client.Var("id", tc.id))
		c := got["x"]
		if c.CustomerID != survivor.CustomerID || c.ID != survivor.ID {
			t.Fatalf("%s with %s gave %+v, want the survivor %s", tc.query, tc.id, c, survivor.CustomerID)
		}
		if len(c.MergedCustomerIds) != 1 || c.MergedCustomerIds[0] != absorbed.CustomerID {
			t.Fatalf("merged ids = %v, want [%s]", c.MergedCustomerIds, absorbed.CustomerID)
		}
	}
}
