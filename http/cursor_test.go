package http_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
)

type customerPage struct {
	Customers struct {
		Edges []struct {
			Cursor string
			Node   struct{ CustomerID string }
		}
		PageInfo struct{ EndCursor *string }
	}
}

// Cursors hold no sort values a client can read: a page ordered by family name gives
// cursors in which no family name appears, in any encoding.
func TestCursorsAreOpaque(t *testing.T) {
	a := newAPI(t, options())
	a.seed(t, 6)
	var p customerPage
	post(t, a.c, `{ customers(first: 6, orderBy: {field: FAMILY_NAME}) { edges { cursor node { customerId } } pageInfo { endCursor } } }`, &p)
	if len(p.Customers.Edges) != 6 {
		t.Fatalf("edges = %d", len(p.Customers.Edges))
	}
	for _, e := range p.Customers.Edges {
		raw, _ := base64.RawURLEncoding.DecodeString(e.Cursor)
		for i := 0; i < 6; i++ {
			if name := family(i); strings.Contains(e.Cursor, name) || strings.Contains(string(raw), name) {
				t.Fatalf("cursor %q carries the family name %s", e.Cursor, name)
			}
		}
		if strings.Contains(string(raw), e.Node.CustomerID) || strings.Contains(string(raw), `"v"`) {
			t.Fatalf("cursor %q is readable: %q", e.Cursor, raw)
		}
	}
}

// A cursor a client makes up (the store's own format, naming a surname) is refused, so
// cursors cannot be used to look people up; so is one issued for another list or to
// another key.
func TestCursorsAreUnforgeable(t *testing.T) {
	a := newAPI(t, options())
	a.seed(t, 4)
	const list = `query($after: String) { customers(first: 10, after: $after, orderBy: {field: FAMILY_NAME}) { edges { node { customerId } } } }`
	forged := base64.RawURLEncoding.EncodeToString([]byte(`{"v":"Famab","k":"cus_"}`))
	for name, after := range map[string]string{"forged": forged, "garbage": "not-a-cursor", "truncated": forged[:4]} {
		if errs := gqlErrors(t, a.c, list, client.Var("after", after)); len(errs) != 1 || errs[0] != (codeField{"BAD_USER_INPUT", "after"}) {
			t.Fatalf("%s cursor: errors = %v, want BAD_USER_INPUT on after", name, errs)
		}
	}

	var p customerPage
	post(t, a.c, `{ customers(first: 1, orderBy: {field: FAMILY_NAME}) { edges { cursor node { customerId } } pageInfo { endCursor } } }`, &p)
	cur := *p.Customers.PageInfo.EndCursor
	var next customerPage
	post(t, a.c, list, &next, client.Var("after", cur))
	if len(next.Customers.Edges) != 3 {
		t.Fatalf("the issued cursor gives %d customers after it, want 3", len(next.Customers.Edges))
	}
	// The same position used for another list, or by another caller, is refused.
	errs := gqlErrors(t, a.c, `query($after: String) { advocates(first: 5, after: $after) { nodes { customerId } } }`, client.Var("after", cur))
	if len(errs) != 1 || errs[0].Code != "BAD_USER_INPUT" {
		t.Fatalf("a customers cursor on advocates: %v", errs)
	}
	other := a.client(a.newKey(t, auth.KeySpec{Role: cdp.RoleAdmin, Name: "other"}))
	if errs := gqlErrors(t, other, list, client.Var("after", cur)); len(errs) != 1 || errs[0].Code != "BAD_USER_INPUT" {
		t.Fatalf("another key's cursor: %v", errs)
	}
}

// An analyst without the personal-data grant may not sort by a personal field (the order
// would reveal the names behind the pseudonyms); with the grant, or by a score, they may.
func TestAnalystsSortOnlyByWhatTheySee(t *testing.T) {
	a := newAPI(t, options())
	a.seed(t, 3)
	analyst := a.client(a.newKey(t, auth.KeySpec{Role: cdp.RoleAnalyst, Name: "analyst"}))
	const byName = `query($o: CustomerOrder) { customers(first: 5, orderBy: $o) { nodes { customerId } } }`
	for _, o := range []map[string]any{{"field": "FAMILY_NAME"}, {"field": "FAMILY_NAME", "direction": "DESC"}} {
		if errs := gqlErrors(t, analyst, byName, client.Var("o", o)); len(errs) != 1 || errs[0] != (codeField{"FORBIDDEN", "orderBy.field"}) {
			t.Fatalf("analyst sorting by family name: %v", errs)
		}
	}
	// Inline, not through a variable, too.
	if errs := gqlErrors(t, analyst, `{ customers(first: 5, orderBy: {field: FAMILY_NAME}) { nodes { customerId } } }`); len(errs) != 1 || errs[0].Code != "FORBIDDEN" {
		t.Fatalf("inline sort by family name: %v", errs)
	}
	var ok struct {
		Customers struct{ Nodes []struct{ CustomerID string } }
	}
	post(t, analyst, byName, &ok, client.Var("o", map[string]any{"field": "CHURN_RISK"}))
	if len(ok.Customers.Nodes) != 3 {
		t.Fatalf("analyst sorting by churn risk: %+v", ok)
	}
	granted := a.client(a.newKey(t, auth.KeySpec{Role: cdp.RoleAnalyst, Name: "pii analyst", PII: true}))
	post(t, granted, byName, &ok, client.Var("o", map[string]any{"field": "FAMILY_NAME"}))
	if len(ok.Customers.Nodes) != 3 {
		t.Fatalf("analyst with the grant sorting by family name: %+v", ok)
	}
}

type codeField struct{ Code, Field string }

// gqlErrors runs a query and returns its errors' codes and fields.
func gqlErrors(t *testing.T, c *client.Client, query string, opts ...client.Option) []codeField {
	t.Helper()
	resp, err := c.RawPost(query, opts...)
	if err != nil {
		t.Fatal(err)
	}
	var errs []struct{ Extensions codeField }
	if len(resp.Errors) > 0 {
		if err := json.Unmarshal(resp.Errors, &errs); err != nil {
			t.Fatalf("errors %s: %v", resp.Errors, err)
		}
	}
	out := make([]codeField, len(errs))
	for i, e := range errs {
		out[i] = e.Extensions
	}
	return out
}
