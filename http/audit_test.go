package http_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/neo4j"
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

// flakyAudit is the audit log, or an outage of it.
type flakyAudit struct {
	cdp.AuditStore
	down atomic.Bool
}

func (f *flakyAudit) WriteAudit(ctx context.Context, entries []cdp.AuditEntry) error {
	if f.down.Load() {
		return errors.New("audit store unavailable")
	}
	return f.AuditStore.WriteAudit(ctx, entries)
}

// What must be audited is not answered unaudited: a partner's read of personal data and an
// admin-only query get an error instead of the data when the audit log cannot be written;
// a mutation has already happened, so its answer is sent.
func TestReadsThatCannotBeAuditedAreNotAnswered(t *testing.T) {
	a := newAPI(t, options())
	a.seed(t, 1)
	post(t, a.c, `mutation { ingestConsents(source: "crm", records: [{sourceId: "K-share", customerSourceId: "C0", purpose: "partner_sharing", granted: "yes", occurredAt: "2026-01-02T00:00:00Z"}]) { accepted } }`, &struct{}{})
	var c struct {
		Customers struct{ Nodes []struct{ ID string } }
	}
	post(t, a.c, `{ customers(first: 1) { nodes { id } } }`, &c)
	id := c.Customers.Nodes[0].ID

	audit := &flakyAudit{AuditStore: neo4j.NewAccessStore(a.db)}
	opts := options()
	opts.Access = cdphttp.Access{Auth: &auth.Authenticator{Keys: a.keys}, Partners: testPartners, Pseudo: auth.NewPseudonymizer("test"), Audit: audit}
	h := cdphttp.NewHandler(a.r, a.db, opts, quiet)
	as := func(secret string) *client.Client {
		return client.New(h, client.Path("/graphql"), client.AddHeader("Authorization", "Bearer "+secret))
	}
	admin, partner := as(a.key), as(a.newKey(t, auth.KeySpec{Name: "acme", Role: cdp.RolePartner, Partner: "acme"}))
	reads := []struct {
		c     *client.Client
		query string
	}{
		{partner, `query($id: ID!) { customer(id: $id) { profile { givenName } } }`},
		{admin, `query($id: ID!) { exportCustomer(id: $id) }`},
	}
	for _, r := range reads { // answered while the log works
		post(t, r.c, r.query, &struct{}{}, client.Var("id", id))
	}
	audit.down.Store(true)
	for _, r := range reads {
		resp, err := r.c.RawPost(r.query, client.Var("id", id))
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := json.Marshal(resp.Data); string(b) != "null" || !strings.Contains(string(resp.Errors), "could not be recorded in the audit log") {
			t.Errorf("%s with the audit log down: data %s, errors %s", r.query, b, resp.Errors)
		}
	}
	var seg struct{ CreateSegment struct{ ID string } }
	post(t, admin, `mutation { createSegment(name: "unaudited", definition: {churnBands: ["HIGH"]}) { id } }`, &seg)
	if seg.CreateSegment.ID == "" {
		t.Fatal("the mutation's answer was not sent")
	}
}
