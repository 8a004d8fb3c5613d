package http_test

import (
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
)

// A partner's or frontend's lookup of a customer outside its scope costs the same Cypher
// statements as one of nobody, and answers the same: otherwise the time of the answer
// tells a prober that the person is a customer.
func TestScopedLookupsCostTheSameFoundOrNot(t *testing.T) {
	f := newAccessFixture(t, options())
	// Two unmerged customers sharing a device: customerByIdentifier is a conflict.
	var r map[string]struct{ Accepted int }
	post(t, f.a.c, `mutation { r: ingestCustomers(source: "pos", records: [
  {sourceId: "D1", givenName: "Dee", familyName: "One", email: "d1@example.com", deviceId: "dev-shared-1"},
  {sourceId: "D2", givenName: "Dan", familyName: "Two", email: "d2@example.com", deviceId: "dev-shared-1"}]) { accepted } }`, &r)
	if r["r"].Accepted != 2 {
		t.Fatalf("fixture: %+v", r)
	}
	codes, _ := errorCodes(t, f.a.c, `{ customerByIdentifier(type: DEVICE_ID, value: "dev-shared-1") { customerId } }`)
	wantCode(t, "admin: shared device", codes, "CONFLICT")

	partner := f.a.client(f.a.newKey(t, auth.KeySpec{Name: "acme", Role: cdp.RolePartner, Partner: "acme"}))
	web := f.a.client(f.a.newKey(t, auth.KeySpec{Name: "web shop", Role: cdp.RoleFrontend, Sources: []string{"web"}}))
	const byID = `query($id: ID!) { customer(id: $id) { customerId } }`
	const byEmail = `query($v: String!) { customerByIdentifier(type: EMAIL, value: $v) { customerId } }`
	const byDevice = `query($v: String!) { customerByIdentifier(type: DEVICE_ID, value: $v) { customerId } }`
	type lookup struct {
		name, query string
		opt         client.Option
		found       bool // in scope: answered with the customer
	}
	for _, tc := range []struct {
		role    string
		c       *client.Client
		lookups []lookup
	}{
		{"partner", partner, []lookup{
			{"id of nobody", byID, client.Var("id", "cus_0000000000000000"), false},
			{"id out of scope", byID, client.Var("id", f.ids["C3"]), false},
			{"id withdrawn for acme", byID, client.Var("id", f.ids["C1"]), false},
			{"id in scope", byID, client.Var("id", f.ids["C0"]), true},
			{"email of nobody", byEmail, client.Var("v", "nobody@example.com"), false},
			{"email out of scope", byEmail, client.Var("v", "p3@example.com"), false},
			{"email in scope", byEmail, client.Var("v", "p0@example.com"), true},
			{"shared device", byDevice, client.Var("v", "dev-shared-1"), false},
			{"device of nobody", byDevice, client.Var("v", "dev-nobody"), false},
		}},
		{"frontend", web, []lookup{
			{"id of nobody", byID, client.Var("id", "cus_0000000000000000"), false},
			{"id out of scope", byID, client.Var("id", f.ids["C3"]), false},
			{"id in scope", byID, client.Var("id", f.ids["W0"]), true},
			{"email of nobody", byEmail, client.Var("v", "nobody@example.com"), false},
			{"email out of scope", byEmail, client.Var("v", "p3@example.com"), false},
			{"email in scope", byEmail, client.Var("v", "wen@example.com"), true},
			{"shared device", byDevice, client.Var("v", "dev-shared-1"), false},
			{"device of nobody", byDevice, client.Var("v", "dev-nobody"), false},
		}},
	} {
		var v struct{ Viewer struct{ Role string } }
		post(t, tc.c, `{ viewer { role } }`, &v) // the key is looked up once, then cached
		statements := map[string]int64{}
		for _, l := range tc.lookups {
			before := f.a.db.QueryCount()
			codes, data := errorCodes(t, tc.c, l.query, l.opt)
			statements[l.name] = f.a.db.QueryCount() - before
			var out map[string]json.RawMessage
			json.Unmarshal(data, &out)
			got := ""
			for _, v := range out {
				got = string(v)
			}
			if len(codes) > 0 || (got == "null") == l.found {
				t.Errorf("%s %s: %s %v, want found=%v and no error", tc.role, l.name, data, codes, l.found)
			}
		}
		for _, l := range tc.lookups {
			if statements[l.name] != statements[tc.lookups[0].name] {
				t.Errorf("%s: Cypher statements per lookup %v: they must not depend on whether the customer exists or is in scope", tc.role, statements)
				break
			}
		}
	}
}
