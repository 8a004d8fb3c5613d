package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/actions"
	"github.com/cdpgraph/cdpgraph/auth"
	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/segment"
)

type revealed struct {
	Customer struct {
		Recommendations []struct {
			SKU                    string
			Reason                 string
			BoughtWith, ViewedWith *string
		}
		NextBestActions []struct {
			Action, Reason string
			Suppressed     *string
		}
		Consents []struct{ Source, SourceID string }
	}
}

// Fields made from data a role may not read (@reveals) do not tell it: a partner learns no
// purchase from a recommendation's reason, a frontend no score, complaint or contact
// history from a next-best action's, neither another system's records from a consent.
func TestDerivedFieldsRevealNothingTheRoleMayNotRead(t *testing.T) {
	f := newAccessFixture(t, options())
	var r map[string]struct{ Accepted int }
	post(t, f.a.c, `mutation {
  crm: ingestOrders(source: "crm", records: [{sourceId: "O1-x", customerSourceId: "C1", orderedAt: "2026-03-01T10:00:00Z", currency: "CNY", items: [{sku: "SKU-7", name: "Item", category: "home", quantity: "1", unitPrice: "5.00"}]}]) { accepted }
  web: ingestOrders(source: "web", records: [{sourceId: "WO1", customerSourceId: "W0", orderedAt: "2026-03-02T10:00:00Z", currency: "CNY", items: [{sku: "SKU-0", name: "Item", category: "home", quantity: "1", unitPrice: "9.90"}]}]) { accepted }
}`, &r)
	if r["crm"].Accepted != 1 || r["web"].Accepted != 1 {
		t.Fatalf("orders: %+v", r)
	}
	if err := f.a.r.Recommender.Retrain(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.a.r.Actions.Playbook = actions.Playbook{Rules: []actions.Rule{{Action: "thank_you", Channel: "email", Priority: 1,
		Reason: "bought SKU-0", When: segment.Definition{Purchased: &segment.Purchased{SKU: "SKU-0"}}}}}
	partner := f.a.client(f.a.newKey(t, auth.KeySpec{Name: "acme", Role: cdp.RolePartner, Partner: "acme"}))
	web := f.a.client(f.a.newKey(t, auth.KeySpec{Name: "web shop", Role: cdp.RoleFrontend, Sources: []string{"web"}}))
	const recs = `query($id: ID!) { customer(id: $id) { recommendations(first: 5) { sku reason boughtWith viewedWith } consents { source sourceId } } }`
	const nba = `query($id: ID!) { customer(id: $id) { nextBestActions(includeSuppressed: true) { action reason suppressed } } }`
	get := func(c *client.Client, q, who string) revealed {
		t.Helper()
		var out revealed
		post(t, c, q, &out, client.Var("id", f.ids[who]))
		return out
	}

	// Admins see it all, so there is something to withhold.
	for _, who := range []string{"C0", "W0"} {
		got := get(f.a.c, recs, who)
		if len(got.Customer.Recommendations) == 0 || !strings.HasPrefix(got.Customer.Recommendations[0].Reason, "bought together with SKU-") ||
			got.Customer.Recommendations[0].BoughtWith == nil {
			t.Fatalf("admin: %s recommendations %+v", who, got.Customer.Recommendations)
		}
	}
	if got := get(f.a.c, nba, "W0").Customer.NextBestActions; len(got) != 1 || got[0].Reason != "bought SKU-0" ||
		got[0].Suppressed == nil || !strings.Contains(*got[0].Suppressed, "email_marketing") {
		t.Fatalf("admin: next best actions %+v", got)
	}

	got := get(partner, recs, "C0")
	if len(got.Customer.Recommendations) == 0 || len(got.Customer.Consents) == 0 {
		t.Fatalf("partner: %+v", got)
	}
	for _, rec := range got.Customer.Recommendations {
		if rec.Reason != "recommended for this customer" || rec.BoughtWith != nil || rec.ViewedWith != nil {
			t.Errorf("partner recommendation %+v tells of purchases or views", rec)
		}
	}
	for _, c := range got.Customer.Consents {
		if c.Source != cdphttp.Masked || c.SourceID != cdphttp.Masked {
			t.Errorf("partner consent %+v names a source record", c)
		}
	}

	got = get(web, recs, "W0")
	bought := false
	for _, rec := range got.Customer.Recommendations {
		// Frontends read orders (boughtWith) but not events, so the reason, which may tell
		// of views, is withheld.
		if rec.Reason != "recommended for this customer" || rec.ViewedWith != nil {
			t.Errorf("frontend recommendation %+v tells of views", rec)
		}
		bought = bought || (rec.BoughtWith != nil && *rec.BoughtWith == "SKU-0")
	}
	if !bought {
		t.Errorf("frontend: no recommendation says it goes with the SKU-0 it may see was bought: %+v", got.Customer.Recommendations)
	}
	n := get(web, nba, "W0").Customer.NextBestActions
	if len(n) != 1 || n[0].Action != "thank_you" || n[0].Reason != "suggested by the retention playbook" ||
		n[0].Suppressed == nil || *n[0].Suppressed != "not allowed now: consent or contact limits" {
		b, _ := json.Marshal(n)
		t.Errorf("frontend next best actions %s", b)
	}
}

// Voice shows the recent sentiment the detractor rule uses, the scores' own sentimentAvg,
// next to the all-time average, and whether it makes a detractor.
func TestVoiceShowsTheRecentSentimentOfTheDetractorRule(t *testing.T) {
	a := newAPI(t, options())
	a.seed(t, 2)
	post(t, a.c, `mutation { runScoring(asOf: "2026-06-30") { version } }`, &struct{}{})
	const q = `{ customers(first: 1) { nodes { id voice { averageSentiment recentSentiment detractor } metrics { trend { sentimentAvg } } } } }`
	type voice struct {
		Customers struct {
			Nodes []struct {
				ID    string
				Voice struct {
					AverageSentiment, RecentSentiment *float64
					Detractor                         *bool
				}
				Metrics *struct {
					Trend struct{ SentimentAvg *float64 }
				}
			}
		}
	}
	var admin voice
	post(t, a.c, q, &admin)
	n := admin.Customers.Nodes[0]
	if n.Metrics == nil || n.Metrics.Trend.SentimentAvg == nil || n.Voice.RecentSentiment == nil ||
		*n.Voice.RecentSentiment != *n.Metrics.Trend.SentimentAvg || n.Voice.Detractor == nil || *n.Voice.Detractor != (*n.Voice.RecentSentiment <= cdp.DetractorSentiment) {
		b, _ := json.Marshal(n)
		t.Fatalf("admin voice and metrics %s", b)
	}
}
