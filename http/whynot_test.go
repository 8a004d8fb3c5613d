package http_test

import (
	"testing"
)

// Through the server: explainMatch says why two records are apart (an analyst's decision,
// a bridge phone), and customers sorted by CLUSTER_DOUBT list the shakiest cluster first
// with its quality.
func TestWhyApartAndClusterQualityAPI(t *testing.T) {
	a := newAPI(t, options())
	var ingest map[string]struct{ Accepted int }
	post(t, a.c, `mutation { r: ingestCustomers(source: "crm", records: [
		{sourceId: "mum", givenName: "Mei", familyName: "Wang", email: "wang.home@qq.com"},
		{sourceId: "kid", fullName: "小雷", email: "wang.home@qq.com"},
		{sourceId: "t1", givenName: "Ann", phone: "13800000001"}, {sourceId: "t2", givenName: "Bo", phone: "13800000001"},
		{sourceId: "t3", givenName: "Cy", phone: "13800000001"}, {sourceId: "t4", givenName: "Di", phone: "13800000001"},
		{sourceId: "t5", givenName: "Ed", phone: "13800000001"}, {sourceId: "t6", givenName: "Fay", phone: "13800000001"},
		{sourceId: "t7", givenName: "Gus", phone: "13800000001"}, {sourceId: "t8", givenName: "Hal", phone: "13800000001"},
		{sourceId: "t9", givenName: "Ivy", phone: "13800000001"},
		{sourceId: "q1", givenName: "Lan", familyName: "Qiu", email: "lan@qq.com"},
		{sourceId: "q2", givenName: "Lan", familyName: "Qiu", email: "lan@qq.com", phone: "13900000042"},
		{sourceId: "q3", givenName: "Lan", familyName: "Qiu", phone: "13900000042"}
	]) { accepted } }`, &ingest)
	if ingest["r"].Accepted != 14 {
		t.Fatalf("accepted %d of 14", ingest["r"].Accepted)
	}
	var un map[string]struct{ ID string }
	post(t, a.c, `mutation { u: unmerge(records: ["crm:kid"], reason: "household member") { id } }`, &un)

	type whyApart struct {
		MatchProbability, ReviewProbability float64
		Score                               *struct{ Probability float64 }
		Reasons                             []struct {
			Kind, Message    string
			Identifier       *struct{ Type, Value string }
			Records, Limit   *int
			RecordA, RecordB *struct{ SourceID string }
			Reason           *string
		}
	}
	var ex map[string]struct {
		SameCustomer bool
		WhyApart     *whyApart
	}
	post(t, a.c, `{
		kid: explainMatch(recordA: "crm:mum", recordB: "crm:kid") { ...why }
		till: explainMatch(recordA: "crm:t1", recordB: "crm:t2") { ...why }
		same: explainMatch(recordA: "crm:q1", recordB: "crm:q3") { ...why }
	}
	fragment why on MatchExplanation { sameCustomer whyApart { matchProbability reviewProbability score { probability }
		reasons { kind message identifier { type value } records limit recordA { sourceId } recordB { sourceId } reason } } }`, &ex)
	kid := ex["kid"]
	if kid.SameCustomer || kid.WhyApart == nil || len(kid.WhyApart.Reasons) == 0 {
		t.Fatalf("kid: %+v, want why apart", kid)
	}
	r := kid.WhyApart.Reasons[0]
	if r.Kind != "not_same_person" || r.Reason == nil || *r.Reason != "household member" || r.RecordA == nil || r.RecordB == nil || r.Records != nil {
		t.Fatalf("kid's first reason %+v, want the analyst's decision", r)
	}
	if kid.WhyApart.MatchProbability != 0.95 || kid.WhyApart.ReviewProbability != 0.5 || kid.WhyApart.Score != nil {
		t.Fatalf("thresholds %v/%v score %+v, want the defaults and no model", kid.WhyApart.MatchProbability, kid.WhyApart.ReviewProbability, kid.WhyApart.Score)
	}
	till := ex["till"].WhyApart
	if till == nil || till.Reasons[0].Kind != "bridge_limit" || *till.Reasons[0].Records != 9 || *till.Reasons[0].Limit != 8 || till.Reasons[0].Identifier.Type != "PHONE" {
		t.Fatalf("till: %+v, want the shop phone over its limit", till)
	}
	if !ex["same"].SameCustomer || ex["same"].WhyApart != nil {
		t.Fatalf("q1 and q3: %+v, want one customer and no why-not", ex["same"])
	}

	var list struct {
		Customers struct {
			Nodes []struct {
				CustomerID     string
				ClusterQuality *struct {
					Records, Links         int
					WeakestLinkProbability *float64
					WeakestLink            *struct{ Kind string }
					ArticulationCount      int
					ArticulationRecords    []struct{ SourceID string }
					BridgeCount            int
					BridgeLinks            []struct {
						Kind     string
						From, To struct{ SourceID string }
					}
				}
			}
		}
	}
	post(t, a.c, `{ customers(first: 2, orderBy: {field: CLUSTER_DOUBT, direction: DESC}) { nodes { customerId
		clusterQuality { records links weakestLinkProbability weakestLink { kind } articulationCount articulationRecords { sourceId }
			bridgeCount bridgeLinks(first: 5) { kind from { sourceId } to { sourceId } } } } } }`, &list)
	nodes := list.Customers.Nodes
	if len(nodes) != 2 || nodes[0].ClusterQuality == nil {
		t.Fatalf("customers by doubt: %+v", nodes)
	}
	q := nodes[0].ClusterQuality
	if q.Records != 3 || q.Links != 2 || q.WeakestLinkProbability == nil || *q.WeakestLinkProbability != 1 || q.WeakestLink.Kind != "shared_identifier" {
		t.Fatalf("Qiu's quality %+v, want 3 records held by 2 shared identifiers", q)
	}
	if q.ArticulationCount != 1 || len(q.ArticulationRecords) != 1 || q.ArticulationRecords[0].SourceID != "q2" || q.BridgeCount != 2 || len(q.BridgeLinks) != 2 {
		t.Fatalf("Qiu's quality %+v, want q2 splitting it and both links bridges", q)
	}
	if next := nodes[1].ClusterQuality; next == nil || next.Records != 1 || next.WeakestLinkProbability != nil {
		t.Fatalf("second by doubt %+v, want a one-record customer (no doubt)", next)
	}
}
