package http_test

import (
	"context"
	"slices"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/cdpgraph/cdpgraph/influence"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

func TestInfluenceThroughGraphQL(t *testing.T) {
	a := newAPI(t, options())
	// C1 follows C0, C2 follows C1, ... C7 follows C6; C0 referred C1, who referred C2.
	a.seed(t, 8)
	var ties map[string]struct{ Rejected int }
	post(t, a.c, `mutation { r: ingestSocialTies(source: "crm", records: [
	  {fromSourceId: "C0", toSourceId: "C1", type: "referred"}, {fromSourceId: "C1", toSourceId: "C2", type: "referred"}]) { rejected } }`, &ties)
	// C0, the most influential, is unhappy; everyone else wrote "很好" (very good).
	post(t, a.c, `mutation { r: ingestFeedback(source: "crm", records: [
	  {sourceId: "FX1", customerSourceId: "C0", kind: "complaint", status: "open", createdAt: "2026-03-01T10:00:00Z",
	   text: "Delivery was a week late and the box arrived broken. Worst service ever, I want a refund!"},
	  {sourceId: "FX2", customerSourceId: "C0", kind: "review", createdAt: "2026-03-05T10:00:00Z", rating: "1",
	   text: "质量太差了，客服也不理人，我要退货"}]) { rejected } }`, &ties)
	if ties["r"].Rejected != 0 {
		t.Fatalf("feedback rejected: %+v", ties)
	}
	var run map[string]any
	post(t, a.c, `mutation { runScoring(asOf: "2026-06-30") { version } }`, &run)
	if _, err := influence.NewService(neo4j.NewInfluenceStore(a.db), quiet).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	id := map[string]string{}
	for i, email := range []string{"p0@example.com", "p1@example.com", "p2@example.com", "p3@example.com", "p7@example.com"} {
		var r struct{ CustomerByIdentifier struct{ ID string } }
		post(t, a.c, `query($v: String!) { customerByIdentifier(type: EMAIL, value: $v) { id } }`, &r, withVar("v", email))
		id[[]string{"C0", "C1", "C2", "C3", "C7"}[i]] = r.CustomerByIdentifier.ID
	}

	var top struct {
		Influencers struct {
			TotalCount int
			Nodes      []struct {
				ID        string
				Influence struct {
					Score             float64
					Rank              int
					Reach1, Reach3    int
					Referred          int
					Downstream        int
					CascadeDepth      int
					DownstreamRevenue float64
					Referrals         []struct{ ID string }
					ReferredBy        *struct{ ID string }
					Community         struct {
						ID         string
						Size       int
						TopMembers []struct{ ID string }
					}
				}
			}
		}
	}
	post(t, a.c, `{ influencers(first: 3) { totalCount nodes { id influence { score rank reach1: reach(hops: 1) reach3: reach(hops: 3)
	  referred downstream cascadeDepth downstreamRevenue referrals { id } referredBy { id } community { id size topMembers(first: 2) { id } } } } } }`, &top)
	nodes := top.Influencers.Nodes
	if top.Influencers.TotalCount != 8 || len(nodes) != 3 {
		t.Fatalf("influencers: %d in total, %d on the page; want 8 and 3", top.Influencers.TotalCount, len(nodes))
	}
	// Everyone's attention flows down the chain of follows to C0.
	first := nodes[0]
	if first.ID != id["C0"] || first.Influence.Rank != 1 || first.Influence.Score <= nodes[1].Influence.Score {
		t.Fatalf("most influential %s (rank %d), want C0 %s", first.ID, first.Influence.Rank, id["C0"])
	}
	inf := first.Influence
	if inf.Reach1 != 1 || inf.Reach3 != 3 || inf.Referred != 1 || inf.Downstream != 2 || inf.CascadeDepth != 2 || inf.ReferredBy != nil {
		t.Errorf("C0's influence: %+v", inf)
	}
	if len(inf.Referrals) != 1 || inf.Referrals[0].ID != id["C1"] || inf.DownstreamRevenue <= 0 {
		t.Errorf("C0's referrals %+v, downstream revenue %v", inf.Referrals, inf.DownstreamRevenue)
	}
	if inf.Community.ID == "" || inf.Community.Size < 2 || len(inf.Community.TopMembers) == 0 {
		t.Errorf("C0's community: %+v", inf.Community)
	}

	var path struct {
		Near []struct {
			Customer  struct{ ID string }
			Tie       *string
			Direction *string
		}
		Far []struct{ Tie *string }
	}
	post(t, a.c, `query($a: ID!, $b: ID!, $c: ID!) { near: influencePath(from: $a, to: $b) { customer { id } tie direction }
	  far: influencePath(from: $c, to: $b, maxTies: 6) { tie } }`, &path,
		withVar("a", id["C3"]), withVar("b", id["C0"]), withVar("c", id["C7"]))
	if len(path.Near) != 4 || path.Near[0].Customer.ID != id["C3"] || path.Near[3].Customer.ID != id["C0"] || path.Near[3].Tie != nil {
		t.Fatalf("path C3 → C0: %+v", path.Near)
	}
	if *path.Near[0].Tie != "follows" || *path.Near[0].Direction != "OUT" {
		t.Errorf("C3's step: %s %s, want follows OUT", *path.Near[0].Tie, *path.Near[0].Direction)
	}
	if path.Far != nil {
		t.Errorf("C7 is seven ties from C0, yet a path within six: %+v", path.Far)
	}

	var hood struct {
		Neighbourhood struct {
			Nodes []struct{ ID string }
			Edges []struct {
				From, To struct{ ID string }
				Type     string
			}
			Truncated bool
		}
	}
	post(t, a.c, `query($c: ID!) { neighbourhood(customer: $c, hops: 1) { nodes { id } edges { from { id } to { id } type } truncated } }`,
		&hood, withVar("c", id["C2"]))
	var ids []string
	for _, n := range hood.Neighbourhood.Nodes {
		ids = append(ids, n.ID)
	}
	if len(ids) != 3 || ids[0] != id["C2"] || !slices.Contains(ids, id["C1"]) || hood.Neighbourhood.Truncated {
		t.Fatalf("C2's neighbourhood: %v", ids)
	}
	// C2 follows C1, C3 follows C2, C1 referred C2.
	if len(hood.Neighbourhood.Edges) != 3 {
		t.Errorf("edges %+v, want 3", hood.Neighbourhood.Edges)
	}

	var comms struct {
		Communities []struct {
			ID   string
			Size int
		}
	}
	post(t, a.c, `{ communities(first: 10) { id size } }`, &comms)
	total := 0
	for _, c := range comms.Communities {
		total += c.Size
	}
	if total != 8 {
		t.Errorf("communities hold %d customers, want 8: %+v", total, comms.Communities)
	}
}

func withVar(name string, value any) client.Option { return client.Var(name, value) }
