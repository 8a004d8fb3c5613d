package http_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
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

// Analysts can read what the fitted matcher weighs each field's agreement at; frontends
// cannot, and before the first resolve there is no model.
func TestMatchModelAPI(t *testing.T) {
	a := newAPI(t, options())
	var before struct{ MatchModel *struct{ CandidatePairs int } }
	post(t, a.c, `{ matchModel { candidatePairs } }`, &before)
	if before.MatchModel != nil {
		t.Fatalf("a model before any resolve: %+v", before.MatchModel)
	}
	given := []string{"Olivia", "Liam", "Emma", "Noah", "Ava", "Mason", "Sophia", "Lucas", "Mia", "Ethan"}
	var crm, web []string
	for i := range 30 {
		name := fmt.Sprintf(`givenName: "%s", familyName: "%s", city: "Leeds", birthDate: "19%02d-03-%02d"`, given[i%10], family(i), 60+i, 1+i%28)
		crm = append(crm, fmt.Sprintf(`{sourceId: "c%d", %s, email: "c%d@mail.co.uk"}`, i, name, i))
		web = append(web, fmt.Sprintf(`{sourceId: "w%d", %s, email: "w%d@mail.co.uk"}`, i, name, i))
	}
	for source, recs := range map[string][]string{"crm": crm, "web": web} {
		post(t, a.c, `mutation { ingestCustomers(source: "`+source+`", records: [`+strings.Join(recs, ",")+`]) { accepted } }`, &struct{}{})
	}
	if _, err := a.r.Identity.Recompute(context.Background()); err != nil {
		t.Fatal(err)
	}
	analyst := a.client(a.newKey(t, auth.KeySpec{Name: "analyst", Role: cdp.RoleAnalyst}))
	var got struct {
		MatchModel struct {
			FittedAt           time.Time
			CandidatePairs     int
			PriorAcrossSources float64
			Fields             []struct {
				Field  string
				Levels []struct {
					Level  string
					M, U   float64
					Weight float64
					Pairs  int
				}
			}
		}
	}
	post(t, analyst, `{ matchModel { fittedAt candidatePairs priorAcrossSources fields { field levels { level m u weight pairs } } } }`, &got)
	m := got.MatchModel
	if m.FittedAt.IsZero() || m.CandidatePairs == 0 || m.PriorAcrossSources <= 0 || len(m.Fields) == 0 {
		t.Fatalf("model = %+v", m)
	}
	for _, f := range m.Fields {
		if f.Field == "birth_date" && f.Levels[0].Level == "exact" && f.Levels[0].Weight > 0 && f.Levels[0].M > f.Levels[0].U {
			frontend := a.client(a.newKey(t, auth.KeySpec{Name: "shop", Role: cdp.RoleFrontend, Sources: []string{"web"}}))
			if resp, err := frontend.RawPost(`{ matchModel { candidatePairs } }`); err != nil || len(resp.Errors) == 0 {
				t.Fatalf("a frontend read the match model: %v %v", resp, err)
			}
			return
		}
	}
	t.Fatalf("no positive weight for agreeing birth dates: %+v", m.Fields)
}
