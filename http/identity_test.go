package http_test

import (
	"testing"

	"github.com/99designs/gqlgen/client"
)

func TestIdentityAPI(t *testing.T) {
	a := newAPI(t, options())
	var ingest map[string]struct{ Accepted int }
	post(t, a.c, `mutation { r: ingestCustomers(source: "crm", records: [
		{sourceId: "mum", givenName: "Mei", familyName: "Wang", email: "wang.home@qq.com", phone: "13912345001"},
		{sourceId: "kid", fullName: "小雷", email: "wang.home@qq.com"},
		{sourceId: "dad", givenName: "Jun", familyName: "Wang", phone: "13912345002"}
	]) { accepted } }`, &ingest)

	type explanation struct {
		SameCustomer bool
		CustomerA    struct{ ID string }
		CustomerB    *struct{ ID string }
		Steps        []struct {
			Rule       string
			From, To   struct{ SourceID string }
			Identifier *struct{ Type, Value string }
		}
	}
	var ex struct{ ExplainMatch explanation }
	post(t, a.c, `{ explainMatch(recordA: "crm:mum", recordB: "crm:kid") {
		sameCustomer customerA { id } customerB { id }
		steps { rule from { sourceId } to { sourceId } identifier { type value } } } }`, &ex)
	e := ex.ExplainMatch
	if !e.SameCustomer || len(e.Steps) != 1 || e.Steps[0].Rule != "shared_identifier" || e.Steps[0].Identifier.Type != "EMAIL" {
		t.Fatalf("explainMatch = %+v", e)
	}

	var un struct {
		Unmerge struct {
			ID            string
			SourceRecords []struct{ SourceID string }
		}
	}
	post(t, a.c, `mutation { unmerge(records: ["crm:kid"], reason: "household member") { id sourceRecords { sourceId } } }`, &un)
	if len(un.Unmerge.SourceRecords) != 1 || un.Unmerge.SourceRecords[0].SourceID != "kid" {
		t.Fatalf("unmerge = %+v", un)
	}
	var after struct{ ExplainMatch explanation }
	post(t, a.c, `{ explainMatch(recordA: "crm:mum", recordB: "crm:kid") { sameCustomer steps { rule } } }`, &after)
	if after.ExplainMatch.SameCustomer {
		t.Fatal("still the same customer after unmerge")
	}

	// Mum and dad are separate; an analyst merges them, and the history shows it.
	var lookup map[string]struct{ ID string }
	post(t, a.c, `{ mum: customerByIdentifier(type: PHONE, value: "139 1234 5001") { id }
		dad: customerByIdentifier(type: PHONE, value: "139 1234 5002") { id } }`, &lookup)
	var merged struct {
		MergeCustomers struct {
			SourceRecords   []struct{ SourceID string }
			IdentityHistory []struct {
				Kind   string
				Reason *string
			}
		}
	}
	post(t, a.c, `mutation($ids: [ID!]!) { mergeCustomers(customerIds: $ids, reason: "married couple, one account") {
		sourceRecords { sourceId } identityHistory { kind reason } } }`, &merged,
		client.Var("ids", []string{lookup["mum"].ID, lookup["dad"].ID}))
	m := merged.MergeCustomers
	if len(m.SourceRecords) != 2 || len(m.IdentityHistory) == 0 || m.IdentityHistory[0].Kind != "merge" || *m.IdentityHistory[0].Reason != "married couple, one account" {
		t.Fatalf("mergeCustomers = %+v", m)
	}

	var flagged struct {
		FlaggedIdentifiers struct{ TotalCount int }
	}
	post(t, a.c, `{ flaggedIdentifiers(first: 5) { totalCount nodes { identifier { type value } records limit } } }`, &flagged)
	if flagged.FlaggedIdentifiers.TotalCount != 0 {
		t.Fatalf("flagged = %+v", flagged)
	}
	// Mum and dad (now one customer) share no address; give the kid one and read the household.
	var hh struct {
		Customer struct {
			Household *struct {
				Size    int
				Members []struct{ ID string }
			}
		}
	}
	post(t, a.c, `mutation { ingestCustomers(source: "web", records: [
		{sourceId: "w1", fullName: "Lee Ann", email: "w1@qq.com", addressLine1: "12 Nanjing Road", postcode: "200001", country: "CN"},
		{sourceId: "w2", fullName: "Lee Bo", email: "w2@qq.com", addressLine1: "12 nanjing road.", postcode: "200001", country: "CN"}
	]) { accepted } }`, &struct{}{})
	post(t, a.c, `{ customer: customerByIdentifier(type: EMAIL, value: "w1@qq.com") { household { size members { id } } } }`, &hh)
	if hh.Customer.Household == nil || hh.Customer.Household.Size != 2 || len(hh.Customer.Household.Members) != 2 {
		t.Fatalf("household = %+v", hh.Customer.Household)
	}

	var queue struct {
		ReviewQueue struct{ TotalCount int }
	}
	post(t, a.c, `{ reviewQueue(first: 5) { totalCount nodes { probability recordA { sourceId } evidence { field level weight } } } }`, &queue)
	if queue.ReviewQueue.TotalCount != 0 {
		t.Fatalf("review queue before any matching run = %+v", queue)
	}
	resp, err := a.c.RawPost(`{ explainMatch(recordA: "nonsense", recordB: "crm:kid") { sameCustomer } }`)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Errors) == 0 {
		t.Fatal("a malformed record id was accepted")
	}
}
