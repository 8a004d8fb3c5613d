package http_test

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
)

type auditNode struct {
	Actor, Role, Action, Detail string
	Customers                   []string
}

func auditOf(t *testing.T, a *api, action string) []auditNode {
	t.Helper()
	var log struct{ AuditLog struct{ Nodes []auditNode } }
	post(t, a.c, `query($a: String) { auditLog(filter: {action: $a}) { nodes { actor role action detail customers } } }`, &log, client.Var("a", action))
	return log.AuditLog.Nodes
}

// Refused attempts at privileged operations are audited with their outcome, like the
// allowed ones: every mutation and every admin-only query, whoever called.
func TestRefusedPrivilegedOperationsAreAudited(t *testing.T) {
	a := newAPI(t, options())
	analystKey := a.newKey(t, auth.KeySpec{Name: "bi", Role: cdp.RoleAnalyst})
	webKey := a.newKey(t, auth.KeySpec{Name: "web", Role: cdp.RoleFrontend, Sources: []string{"web"}})
	analyst, web := a.client(analystKey), a.client(webKey)
	var ids struct{ Viewer struct{ Subject string } }
	post(t, analyst, `{ viewer { subject } }`, &ids)
	analystID := ids.Viewer.Subject
	post(t, web, `{ viewer { subject } }`, &ids)
	webID := ids.Viewer.Subject

	for _, tc := range []struct {
		c     *client.Client
		query string
	}{
		{analyst, `mutation { eraseCustomer(id: "cus_00000000000000aa") { customerId } }`},
		{web, `mutation { createApiKey(input: {name: "mine", role: ADMIN}) { secret } }`},
		{analyst, `{ apiKeys { id } }`},
	} {
		codes, _ := errorCodes(t, tc.c, tc.query)
		wantCode(t, tc.query, codes, "FORBIDDEN")
	}
	check := func(action, actor, role string, want ...string) {
		t.Helper()
		entries := auditOf(t, a, action)
		if len(entries) != 1 {
			t.Fatalf("%s: %d audit entries %+v, want 1", action, len(entries), entries)
		}
		e := entries[0]
		if e.Actor != actor || e.Role != role || !strings.HasSuffix(e.Detail, "failed FORBIDDEN") {
			t.Errorf("%s audited as %+v", action, e)
		}
		for _, w := range want {
			if !strings.Contains(e.Detail+" "+strings.Join(e.Customers, ","), w) {
				t.Errorf("%s audit entry %+v lacks %q", action, e, w)
			}
		}
	}
	check("eraseCustomer", analystID, "ANALYST", "id=cus_00000000000000aa", "cus_00000000000000aa")
	check("createApiKey", webID, "FRONTEND", "input.role=ADMIN")
	check("apiKeys", analystID, "ANALYST")
}

// A key created through GraphQL is audited with its id, role and scope, never its secret.
func TestCreatedKeysAreAuditedWithIDAndRole(t *testing.T) {
	a := newAPI(t, options())
	var created struct {
		CreateAPIKey struct {
			Secret string
			Key    struct{ ID string }
		}
	}
	post(t, a.c, `mutation { createApiKey(input: {name: "acme portal", role: PARTNER, partner: "acme"}) { secret key { id } } }`, &created)
	var seg struct{ CreateSegment struct{ ID string } }
	post(t, a.c, `mutation { createSegment(name: "cn", definition: {profile: {field: "country", op: "eq", values: ["CN"]}}) { id } }`, &seg)
	entries := auditOf(t, a, "createApiKey")
	if len(entries) != 1 {
		t.Fatalf("audit entries %+v", entries)
	}
	d := entries[0].Detail
	for _, want := range []string{"key=" + created.CreateAPIKey.Key.ID, "role=partner", "partner=acme", " ok"} {
		if !strings.Contains(d, want) {
			t.Errorf("createApiKey audited as %q, want %q in it", d, want)
		}
	}
	if strings.Contains(d, created.CreateAPIKey.Secret) || strings.Contains(d, "cdp_") {
		t.Errorf("the audit log holds the secret: %q", d)
	}
	if e := auditOf(t, a, "createSegment"); len(e) != 1 || !strings.Contains(e[0].Detail, "segment="+seg.CreateSegment.ID) {
		t.Errorf("createSegment audited as %+v", e)
	}
}
