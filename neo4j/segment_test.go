package neo4j_test

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
	"github.com/cdpgraph/cdpgraph/privacy"
	"github.com/cdpgraph/cdpgraph/segment"
)

var segAsOf = time.Date(2026, 6, 30, 23, 59, 59, 0, time.UTC)

// segmentWorld writes five customers with activity, scores and influence, and returns
// their customer ids by name. Every predicate's test below relies on it:
//
//	ann: CN, Shanghai, female, 36, crm+web, email; tea x2 (10d, 40d) + mug (200d) + a
//	     cancelled tea (5d); 2 logins in 30d; email consent revoked later on web, sms
//	     granted; Champions, low churn, CLV 5000; influence rank 1, community k1;
//	     household with bo
//	bo:  CN, Shanghai, male, 26, crm+wechat, email; tea 20d (+ one after the as-of
//	     date); login 45d; email consent; medium churn, CLV 100; rank 5, referred by
//	     ann, k1; tied to di (a detractor) and cy
//	cy:  US, New York, female, 65 (66 the day after), loyalty id, two wechat records;
//	     kitchen 400d, tea returned; view 3d; email consent revoked then granted; At
//	     Risk, high churn, CLV 900; rank 50, referred by bo; lives alone
//	di:  GB, no birth date, email; login after the as-of date; Lost, critical,
//	     sentiment -0.5 (the detractor); tied to bo
//	ed:  no country, Beijing, male, 18 on the as-of date, phone only; unscored; rank 60,
//	     referred by cy; tied to cy's other wechat record
func segmentWorld(t *testing.T, db *neo4j.DB) map[string]string {
	t.Helper()
	ctx := context.Background()
	ingest := neo4j.NewIngestStore(db, identity.DefaultRules())
	must := func(_ cdp.WriteStats, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	home := cdp.Profile{AddressLine1: "Flat 3, 12 Nanjing Road", City: "Shanghai", Region: "SH", Postcode: "200001", Country: "CN"}
	ann, bo := home, home
	ann.GivenName, ann.FullName, ann.BirthDate, ann.Gender = "Ann", "Ann Li", "1990-05-04", "female"
	bo.GivenName, bo.FullName, bo.BirthDate, bo.Gender, bo.Region = "Bo", "Bo Wang", "2000-01-01", "male", ""
	cy := cdp.Profile{GivenName: "Cy", FullName: "Cy Young", BirthDate: "1960-07-01", Gender: "female",
		AddressLine1: "88 Fifth Avenue", City: "New York", Postcode: "10001", Country: "US"}
	di := cdp.Profile{GivenName: "Di", FullName: "Di Moss", City: "London", Country: "GB"}
	ed := cdp.Profile{GivenName: "Ed", FullName: "Ed Zhao", BirthDate: "2008-06-30", Gender: "male", City: "Beijing"}
	none := cdp.Profile{}
	must(ingest.WriteCustomers(ctx, []cdp.SourceRecord{
		rec("crm", "ann", ann, email("ann@x.example")),
		rec("web", "ann_web", none, email("ann@x.example")),
		rec("crm", "bo", bo, email("bo@x.example")),
		rec("wechat", "bo_w", none, email("bo@x.example")),
		rec("crm", "cy", cy, loyalty("L-CY")),
		rec("wechat", "cy_w1", none, loyalty("L-CY")),
		rec("wechat", "cy_w2", none, loyalty("L-CY")),
		rec("crm", "di", di, email("di@x.example")),
		rec("wechat", "di_w", none, email("di@x.example")),
		rec("crm", "ed", ed, phone("+8613800000005")),
		rec("wechat", "ed_w", none, phone("+8613800000005")),
	}))
	ago := func(days int) time.Time { return segAsOf.AddDate(0, 0, -days) }

	order := func(id, customer, status string, at time.Time, sku, category string) cdp.Order {
		price := cdp.Money{Amount: "10.00", Minor: 1000, Currency: "CNY"}
		return cdp.Order{Source: "crm", SourceID: id, CustomerSourceID: customer, OrderedAt: at, Status: status, Total: price,
			Items: []cdp.OrderItem{{Product: cdp.Product{SKU: sku, Name: sku, Category: category}, Quantity: 1, UnitPrice: price, LineTotal: price}}}
	}
	must(ingest.WriteOrders(ctx, []cdp.Order{
		order("o1", "ann", "completed", ago(10), "TEA-1", "tea"),
		order("o2", "ann", "completed", ago(40), "TEA-2", "tea"),
		order("o3", "ann", "completed", ago(200), "MUG-1", "kitchen"),
		order("o4", "ann", "cancelled", ago(5), "TEA-1", "tea"),
		order("o5", "bo", "", ago(20), "TEA-1", "tea"),
		order("o6", "bo", "completed", ago(-5), "TEA-1", "tea"),
		order("o7", "cy", "completed", ago(400), "PAN-1", "kitchen"),
		order("o8", "cy", "returned", ago(10), "TEA-2", "tea"),
	}))

	event := func(id, customer, typ string, at time.Time) cdp.Event {
		return cdp.Event{Source: "crm", SourceID: id, CustomerSourceID: customer, Type: typ, OccurredAt: at}
	}
	must(ingest.WriteEvents(ctx, []cdp.Event{
		event("e1", "ann", "login", ago(5)),
		event("e2", "ann", "login", ago(15)),
		event("e3", "ann", "view", ago(100)),
		event("e4", "bo", "login", ago(45)),
		event("e5", "cy", "view", ago(3)),
		event("e6", "di", "login", ago(-2)),
	}))

	consent := func(source, id, customer, purpose string, granted bool, at time.Time) cdp.Consent {
		return cdp.Consent{Source: source, SourceID: id, CustomerSourceID: customer, Purpose: purpose, Granted: granted, OccurredAt: at}
	}
	must(ingest.WriteConsents(ctx, []cdp.Consent{
		consent("crm", "k1", "ann", "email_marketing", true, ago(100)),
		consent("web", "k2", "ann_web", "email_marketing", false, ago(10)), // another record, later
		consent("crm", "k3", "ann", "sms_marketing", true, ago(50)),
		consent("crm", "k4", "bo", "email_marketing", true, ago(20)),
		consent("crm", "k5", "cy", "email_marketing", false, ago(60)),
		consent("crm", "k6", "cy", "email_marketing", true, ago(30)),
	}))

	tie := func(from, to, typ string) cdp.SocialTie {
		return cdp.SocialTie{Source: "wechat", FromSourceID: from, ToSourceID: to, Type: typ, Count: 1, OccurredAt: ago(50)}
	}
	// ed - cy (record 1) ... cy (record 2) - bo - di: reaching di from ed passes through cy
	// from one of its records to the other.
	must(ingest.WriteSocialTies(ctx, []cdp.SocialTie{
		tie("ed_w", "cy_w1", "follows"),
		tie("bo_w", "cy_w2", "mentioned"),
		tie("di_w", "bo_w", "shared"),
	}))

	ids := map[string]string{}
	for _, name := range []string{"ann", "bo", "cy", "di", "ed"} {
		ids[name] = customerOf(t, db, "crm", name)
	}
	if id := customerOf(t, db, "wechat", "cy_w2"); id != ids["cy"] {
		t.Fatalf("cy's second wechat record resolved to %s, not cy %s", id, ids["cy"])
	}

	f := func(x float64) *float64 { return &x }
	metrics := func(name string, clv, risk float64, band string, r, fq, m int, rfmSegment string, sentiment float64) *cdp.Metrics {
		return &cdp.Metrics{CustomerID: ids[name], AsOf: segAsOf, ComputedAt: segAsOf, ModelVersion: "test",
			CLV: f(clv), ChurnRisk: f(risk), ChurnBand: band, Revenue: clv / 10,
			RFM:   &cdp.RFM{R: r, F: fq, M: m, Segment: rfmSegment},
			Trend: cdp.Trend{SentimentAvg: f(sentiment)}}
	}
	if _, err := neo4j.NewAnalyticsStore(db).WriteMetrics(ctx, []*cdp.Metrics{
		metrics("ann", 5000, 0.1, "low", 5, 5, 5, "Champions", 0.6),
		metrics("bo", 100, 0.5, "medium", 3, 1, 2, "Hibernating", 0),
		metrics("cy", 900, 0.8, "high", 2, 2, 3, "At Risk", 0.1),
		metrics("di", 50, 0.95, "critical", 1, 1, 1, "Lost", -0.5),
	}, false); err != nil {
		t.Fatal(err)
	}
	influence := func(name string, rank int, community, referredBy string, reach [3]int) cdp.Influence {
		return cdp.Influence{CustomerID: ids[name], Score: 1 / float64(rank), Rank: rank, Community: community,
			ReferredBy: ids[referredBy], Reach: reach, ComputedAt: segAsOf}
	}
	if err := neo4j.NewInfluenceStore(db).WriteInfluence(ctx, []cdp.Influence{
		influence("ann", 1, "k1", "", [3]int{}),
		influence("bo", 5, "k1", "ann", [3]int{1, 3, 4}),
		influence("cy", 50, "k2", "bo", [3]int{2, 3, 3}),
		influence("ed", 60, "k2", "cy", [3]int{1, 1, 2}),
	}, segAsOf); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestSegmentPredicatesSelectExactlyTheirCustomers(t *testing.T) {
	db := neo4jtest.DB(t)
	ctx := context.Background()
	ids := segmentWorld(t, db)
	store := neo4j.NewSegmentStore(db)

	i := func(n int) *int { return &n }
	f := func(x float64) *float64 { return &x }
	profile := func(field, op string, values ...string) segment.Definition {
		return segment.Definition{Profile: &segment.Profile{Field: field, Op: op, Values: values}}
	}
	score := func(field string, min, max *float64) segment.Definition {
		return segment.Definition{Score: &segment.Score{Field: field, Min: min, Max: max}}
	}
	not := func(d segment.Definition) segment.Definition { return segment.Definition{Not: &d} }
	and := func(ds ...segment.Definition) segment.Definition { return segment.Definition{And: ds} }
	or := func(ds ...segment.Definition) segment.Definition { return segment.Definition{Or: ds} }
	critOrK1 := or(segment.Definition{ChurnBands: []string{"critical"}}, segment.Definition{InCommunity: &segment.InCommunity{ID: "k1"}})

	var cases []segmentCase
	for _, tc := range []struct {
		name string
		def  segment.Definition
		want string // names, space-separated
	}{
		{"country eq, lower-case value", profile("country", "eq", "cn"), "ann bo"},
		{"country in", profile("country", "in", "US", "gb"), "cy di"},
		{"country notIn matches the unknown", profile("country", "notIn", "CN"), "cy di ed"},
		{"city prefix", profile("city", "prefix", "Shang"), "ann bo"},
		{"city eq", profile("city", "eq", "Beijing"), "ed"},
		{"gender", profile("gender", "eq", "FEMALE"), "ann cy"},
		{"region", profile("region", "eq", "SH"), "ann"},
		{"postcode", profile("postcode", "in", "200001", "10001"), "ann bo cy"},
		{"source eq", profile("source", "eq", "web"), "ann"},
		{"source in", profile("source", "in", "web", "pos"), "ann"},
		{"source notIn", profile("source", "notIn", "wechat"), "ann"},
		{"source prefix", profile("source", "prefix", "we"), "ann bo cy di ed"},

		{"age 18 to 30, 18 today", segment.Definition{Age: &segment.Age{Min: i(18), Max: i(30)}}, "bo ed"},
		{"age 65 or more", segment.Definition{Age: &segment.Age{Min: i(65)}}, "cy"},
		{"age 66 or more: cy's birthday is tomorrow", segment.Definition{Age: &segment.Age{Min: i(66)}}, ""},
		{"age up to 25", segment.Definition{Age: &segment.Age{Max: i(25)}}, "ed"},
		{"age 30 to 65", segment.Definition{Age: &segment.Age{Min: i(30), Max: i(65)}}, "ann cy"},

		{"has email", segment.Definition{Identifier: &segment.Identifier{Type: "email", Present: true}}, "ann bo di"},
		{"lacks email", segment.Definition{Identifier: &segment.Identifier{Type: "email"}}, "cy ed"},
		{"has loyalty id", segment.Definition{Identifier: &segment.Identifier{Type: "loyalty_id", Present: true}}, "cy"},

		{"email consent in force", segment.Definition{Consent: &segment.Consent{Purpose: "email_marketing", Granted: true}}, "bo cy"},
		{"no email consent, undecided included", segment.Definition{Consent: &segment.Consent{Purpose: "email_marketing"}}, "ann di ed"},
		{"sms consent", segment.Definition{Consent: &segment.Consent{Purpose: "sms_marketing", Granted: true}}, "ann"},

		{"clv at least 500", score("clv", f(500), nil), "ann cy"},
		{"clv 100 to 900", score("clv", f(100), f(900)), "bo cy"},
		{"sentiment of detractors", score("sentimentAvg", nil, f(-0.3)), "di"},
		{"rfm recency score", score("rfmR", f(4), nil), "ann"},
		{"churn risk", score("churnRisk", f(0.5), f(0.9)), "bo cy"},
		{"influence rank", score("influenceRank", nil, f(5)), "ann bo"},
		{"reach in two hops", score("reach2", f(3), nil), "bo cy"},
		{"not a score: the unscored match", not(score("clv", f(500), nil)), "bo di ed"},

		{"rfm segments", segment.Definition{RFMSegments: []string{"Champions", "Lost"}}, "ann di"},
		{"churn bands, any case", segment.Definition{ChurnBands: []string{"HIGH", "critical"}}, "cy di"},

		{"tea twice in 90 days", segment.Definition{Purchased: &segment.Purchased{Category: "tea", MinTimes: 2, WithinDays: 90}}, "ann"},
		{"tea in 30 days, not returned nor future", segment.Definition{Purchased: &segment.Purchased{Category: "tea", WithinDays: 30}}, "ann bo"},
		{"tea in 7 days: only a cancelled order", segment.Definition{Purchased: &segment.Purchased{Category: "tea", WithinDays: 7}}, ""},
		{"sku ever", segment.Definition{Purchased: &segment.Purchased{SKU: "MUG-1"}}, "ann"},
		{"category ever", segment.Definition{Purchased: &segment.Purchased{Category: "kitchen"}}, "ann cy"},
		{"any purchase", segment.Definition{Purchased: &segment.Purchased{}}, "ann bo cy"},
		{"three purchases", segment.Definition{Purchased: &segment.Purchased{MinTimes: 3}}, "ann"},

		{"no login for 30 days", segment.Definition{Event: &segment.Event{Type: "login", WithinDays: 30, Absent: true}}, "bo cy di ed"},
		{"two logins in 30 days", segment.Definition{Event: &segment.Event{Type: "login", MinCount: 2, WithinDays: 30}}, "ann"},
		{"ever logged in, up to the as-of date", segment.Definition{Event: &segment.Event{Type: "login"}}, "ann bo"},
		{"viewed this week", segment.Definition{Event: &segment.Event{Type: "view", WithinDays: 7}}, "cy"},

		{"next to a detractor", segment.Definition{NearDetractor: &segment.NearDetractor{Hops: 1}}, "bo"},
		{"two hops from a detractor", segment.Definition{NearDetractor: &segment.NearDetractor{Hops: 2}}, "bo cy"},
		{"three hops, through both of cy's records", segment.Definition{NearDetractor: &segment.NearDetractor{Hops: 3}}, "bo cy ed"},
		{"referred by the top 5", segment.Definition{ReferredByInfluencer: &segment.ReferredByInfluencer{TopRank: 5}}, "bo cy"},
		{"referred by the top 1", segment.Definition{ReferredByInfluencer: &segment.ReferredByInfluencer{TopRank: 1}}, "bo"},
		{"community", segment.Definition{InCommunity: &segment.InCommunity{ID: "k1"}}, "ann bo"},
		{"household with CLV 1000", segment.Definition{HouseholdHighValue: &segment.HouseholdHighValue{MinCLV: 1000}}, "ann bo"},
		{"household of one counts its member", segment.Definition{HouseholdHighValue: &segment.HouseholdHighValue{MinCLV: 800}}, "ann bo cy"},
		{"no such household", segment.Definition{HouseholdHighValue: &segment.HouseholdHighValue{MinCLV: 10000}}, ""},

		{"and", and(profile("gender", "eq", "female"), segment.Definition{Purchased: &segment.Purchased{}}), "ann cy"},
		{"or", critOrK1, "ann bo di"},
		{"not or", not(critOrK1), "cy ed"},
		{"not not", not(not(critOrK1)), "ann bo di"},
		{"nested", and(
			not(segment.Definition{Consent: &segment.Consent{Purpose: "email_marketing", Granted: true}}),
			or(score("clv", f(1000), nil), segment.Definition{NearDetractor: &segment.NearDetractor{Hops: 2}}),
		), "ann"},
		{"valuable and at risk", and(segment.Definition{RFMSegments: []string{"Champions", "At Risk"}},
			segment.Definition{ChurnBands: []string{"high", "critical"}}), "cy"},
		{"everyone: a predicate or its complement", or(profile("country", "eq", "CN"), not(profile("country", "eq", "CN"))), "ann bo cy di ed"},
	} {
		cases = append(cases, segmentCase{tc.name, tc.def, tc.want})
	}
	// Every case three ways: the population form (Preview, MemberIDs) walking the graph
	// for the hops to a detractor, the per-customer form (what next best actions run),
	// and the population form again once the hops are precomputed.
	all := slices.Sorted(maps.Values(ids))
	for _, precomputed := range []bool{false, true} {
		if precomputed {
			if refreshed, err := store.RefreshDetractorHops(ctx, segment.DetractorHops); err != nil || !refreshed {
				t.Fatalf("refresh: %v %v", refreshed, err)
			}
		}
		if current, err := store.DetractorHopsCurrent(ctx); err != nil || current != precomputed {
			t.Fatalf("hops current %v (%v), want %v", current, err, precomputed)
		}
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/precomputed=%v", tc.name, precomputed), func(t *testing.T) {
				q, err := segment.Compile(tc.def, segAsOf)
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, name := range strings.Fields(tc.want) {
					want = append(want, ids[name])
				}
				slices.Sort(want)
				got, err := store.MemberIDs(ctx, q)
				if err != nil {
					t.Fatalf("%v\n%s", err, q.Population)
				}
				if !slices.Equal(got, want) {
					t.Errorf("members %s, want %s\n%s", segNames(ids, got), tc.want, q.Population)
				}
				n, sample, err := store.Preview(ctx, q, 2)
				if err != nil {
					t.Fatal(err)
				}
				if n != len(want) || !slices.Equal(sample, want[:min(2, len(want))]) {
					t.Errorf("preview %d %s, want %d and the first two of %s", n, segNames(ids, sample), len(want), tc.want)
				}
				each, err := neo4j.NewActionStore(db).MatchRules(ctx, all, []segment.Query{q})
				if err != nil {
					t.Fatalf("%v\n%s", err, q.Where)
				}
				var perCustomer []string
				for _, id := range all {
					if each[id][0] {
						perCustomer = append(perCustomer, id)
					}
				}
				if !slices.Equal(perCustomer, want) {
					t.Errorf("per customer %s, want %s\n%s", segNames(ids, perCustomer), tc.want, q.Where)
				}
			})
		}
	}
}

type segmentCase struct {
	name string
	def  segment.Definition
	want string // names, space-separated
}

func TestSegmentPreviewSamplesInIDOrder(t *testing.T) {
	db := neo4jtest.DB(t)
	ctx := context.Background()
	ids := segmentWorld(t, db)
	store := neo4j.NewSegmentStore(db)
	all := []string{ids["ann"], ids["bo"], ids["cy"], ids["di"], ids["ed"]}
	slices.Sort(all)

	q, err := segment.Compile(segment.Definition{Profile: &segment.Profile{Field: "source", Op: "eq", Values: []string{"crm"}}}, segAsOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ sample, want int }{{0, 0}, {-1, 0}, {3, 3}, {10, 5}} {
		n, sample, err := store.Preview(ctx, q, tc.sample)
		if err != nil {
			t.Fatal(err)
		}
		if n != 5 || !slices.Equal(sample, all[:tc.want]) {
			t.Errorf("sample %d: %d %v, want 5 %v", tc.sample, n, sample, all[:tc.want])
		}
	}

	q, err = segment.Compile(segment.Definition{InCommunity: &segment.InCommunity{ID: "nobody's"}}, segAsOf)
	if err != nil {
		t.Fatal(err)
	}
	if n, sample, err := store.Preview(ctx, q, 5); err != nil || n != 0 || len(sample) != 0 {
		t.Errorf("empty segment: %d %v %v", n, sample, err)
	}
	if members, err := store.MemberIDs(ctx, q); err != nil || len(members) != 0 {
		t.Errorf("empty segment members: %v %v", members, err)
	}
	if _, _, err := store.Preview(ctx, segment.Query{}, 5); err == nil {
		t.Error("a query that was not compiled ran")
	}
}

// segNames turns customer ids back into the fixture's names, for readable failures.
func segNames(ids map[string]string, got []string) string {
	byID := map[string]string{}
	for name, id := range ids {
		byID[id] = name
	}
	out := make([]string, len(got))
	for i, id := range got {
		if out[i] = byID[id]; out[i] == "" {
			out[i] = id
		}
	}
	return "[" + strings.Join(out, " ") + "]"
}

// The precomputed hops to a detractor go out of date with every write that can change
// them (a tie, a detractor's sentiment, a merge, an erasure), and only those; while out
// of date, nearDetractor walks the graph; once refreshed, the precomputed answers are the
// walk's.
func TestDetractorHopsFollowWrites(t *testing.T) {
	db := neo4jtest.DB(t)
	ctx := context.Background()
	ids := segmentWorld(t, db)
	store := neo4j.NewSegmentStore(db)
	ingest := neo4j.NewIngestStore(db, identity.DefaultRules())
	near := func() [3][]string {
		t.Helper()
		var out [3][]string
		for hops := 1; hops <= 3; hops++ {
			q, err := segment.Compile(segment.Definition{NearDetractor: &segment.NearDetractor{Hops: hops}}, segAsOf)
			if err != nil {
				t.Fatal(err)
			}
			if out[hops-1], err = store.MemberIDs(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	current := func() bool {
		t.Helper()
		ok, err := store.DetractorHopsCurrent(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	// after checks a write: whether it put the hops out of date, then that refreshing
	// gives the walk's answers, and returns them.
	after := func(what string, outdates bool) [3][]string {
		t.Helper()
		if current() == outdates {
			t.Fatalf("%s: hops current %v, want %v", what, !outdates, !outdates)
		}
		live := near()
		refreshed, err := store.RefreshDetractorHops(ctx, segment.DetractorHops)
		if err != nil || refreshed != outdates || !current() {
			t.Fatalf("%s: refreshed %v (%v), current %v", what, refreshed, err, current())
		}
		if pre := near(); !reflect.DeepEqual(pre, live) {
			t.Fatalf("%s: precomputed %v, walking %v", what, pre, live)
		}
		return live
	}
	names := func(got [3][]string) [3]string {
		var out [3]string
		for i, g := range got {
			n := strings.Fields(strings.Trim(segNames(ids, g), "[]"))
			slices.Sort(n)
			out[i] = "[" + strings.Join(n, " ") + "]"
		}
		return out
	}
	want := func(what string, got [3][]string, want [3]string) {
		t.Helper()
		if n := names(got); n != want {
			t.Errorf("%s: within 1, 2, 3 hops %v, want %v", what, n, want)
		}
	}

	want("before the first refresh", after("first refresh", true), [3]string{"[bo]", "[bo cy]", "[bo cy ed]"})

	// Activity, a replayed tie and scores that leave every detractor one change nothing.
	must := func(_ cdp.WriteStats, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(ingest.WriteEvents(ctx, []cdp.Event{{Source: "crm", SourceID: "e9", CustomerSourceID: "ed", Type: "view", OccurredAt: segAsOf}}))
	tie := func(from, to, typ string) cdp.SocialTie {
		return cdp.SocialTie{Source: "wechat", FromSourceID: from, ToSourceID: to, Type: typ, Count: 1, OccurredAt: segAsOf.AddDate(0, 0, -50)}
	}
	must(ingest.WriteSocialTies(ctx, []cdp.SocialTie{tie("di_w", "bo_w", "shared")}))
	scores := neo4j.NewAnalyticsStore(db)
	sentiment := func(name string, s float64) *cdp.Metrics {
		return &cdp.Metrics{CustomerID: ids[name], AsOf: segAsOf, ComputedAt: segAsOf, ModelVersion: "test", Trend: cdp.Trend{SentimentAvg: &s}}
	}
	if _, err := scores.WriteMetrics(ctx, []*cdp.Metrics{sentiment("di", -0.4), sentiment("ann", 0.5)}, false); err != nil {
		t.Fatal(err)
	}
	after("activity and unchanged ties", false)

	// ed follows di: ed is next to the detractor now.
	must(ingest.WriteSocialTies(ctx, []cdp.SocialTie{tie("ed_w", "di_w", "follows")}))
	want("a new tie", after("a new tie", true), [3]string{"[bo ed]", "[bo cy ed]", "[bo cy ed]"})

	// cy turns detractor and di stops being one.
	if _, err := scores.WriteMetrics(ctx, []*cdp.Metrics{sentiment("cy", -0.5), sentiment("di", 0.2)}, false); err != nil {
		t.Fatal(err)
	}
	want("a rescoring", after("a rescoring", true), [3]string{"[bo ed]", "[bo di ed]", "[bo di ed]"})

	// A record carrying bo's and di's emails merges them, and whichever survives takes
	// the other's records and their ties. (Merging into a customer someone without ties
	// changes no distance, and does not put the hops out of date.)
	must(ingest.WriteCustomers(ctx, []cdp.SourceRecord{rec("pos", "link", cdp.Profile{}, email("bo@x.example"), email("di@x.example"))}))
	merged := customerOf(t, db, "crm", "di")
	if merged != customerOf(t, db, "crm", "bo") {
		t.Fatal("bo and di did not merge")
	}
	delete(ids, "bo")
	delete(ids, "di")
	ids["merged"] = merged
	want("a merge", after("a merge", true), [3]string{"[ed merged]", "[ed merged]", "[ed merged]"})

	// Erasing the merged customer removes its ties: only ed, cy's follower, is left.
	if _, err := privacy.NewService(neo4j.NewCustomerStore(db), neo4j.NewErasureStore(db)).Erase(ctx, merged); err != nil {
		t.Fatal(err)
	}
	want("an erasure", after("an erasure", true), [3]string{"[ed]", "[ed]", "[ed]"})
}
