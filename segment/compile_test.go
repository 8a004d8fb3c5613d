package segment

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

var asOf = time.Date(2026, 6, 30, 23, 59, 59, 0, time.UTC)

func TestCompileEachPredicate(t *testing.T) {
	day := func(days int) time.Time { return asOf.AddDate(0, 0, -days) }
	for _, tc := range []struct {
		d      Definition
		where  string
		params map[string]any
	}{
		{Definition{Profile: &Profile{Field: "country", Op: OpEq, Values: []string{" cn "}}},
			"c.country = $p0", map[string]any{"p0": "CN"}},
		{Definition{Profile: &Profile{Field: "gender", Op: OpIn, Values: []string{"Female", "OTHER"}}},
			"c.gender IN $p0", map[string]any{"p0": []string{"female", "other"}}},
		{Definition{Profile: &Profile{Field: "city", Op: OpNotIn, Values: []string{"Shanghai"}}},
			"NOT coalesce(c.city IN $p0, false)", map[string]any{"p0": []string{"Shanghai"}}},
		{Definition{Profile: &Profile{Field: "postcode", Op: OpPrefix, Values: []string{"sw1"}}},
			"c.postcode STARTS WITH $p0", map[string]any{"p0": "SW1"}},
		{Definition{Profile: &Profile{Field: "source", Op: OpEq, Values: []string{"web"}}},
			"$p0 IN c.sources", map[string]any{"p0": "web"}},
		{Definition{Profile: &Profile{Field: "source", Op: OpIn, Values: []string{"web", "pos"}}},
			"any(s IN c.sources WHERE s IN $p0)", map[string]any{"p0": []string{"web", "pos"}}},
		{Definition{Profile: &Profile{Field: "source", Op: OpPrefix, Values: []string{"we"}}},
			"any(s IN c.sources WHERE s STARTS WITH $p0)", map[string]any{"p0": "we"}},
		{Definition{Age: &Age{Min: intp(18), Max: intp(30)}},
			"(c.birthDate <= $p0 AND c.birthDate > $p1)", map[string]any{"p0": "2008-06-30", "p1": "1995-06-30"}},
		{Definition{Identifier: &Identifier{Type: "phone"}},
			"NOT EXISTS { MATCH (c)<-[:RESOLVES_TO]-()-[:HAS_IDENTIFIER]->(i) WHERE i.type = $p0 }", map[string]any{"p0": "phone"}},
		{Definition{Consent: &Consent{Purpose: "email_marketing", Granted: true}},
			"coalesce(COLLECT { MATCH (c)<-[:RESOLVES_TO]-()<-[:CONSENT_OF]-(k) WHERE k.purpose = $p0 RETURN k.granted ORDER BY k.occurredAt DESC, k.key LIMIT 1 }[0], false) = $p1",
			map[string]any{"p0": "email_marketing", "p1": true}},
		{Definition{Score: &Score{Field: "churnRisk", Min: floatp(0.5), Max: floatp(0.9)}},
			"(c.churnRisk >= $p0 AND c.churnRisk <= $p1)", map[string]any{"p0": 0.5, "p1": 0.9}},
		{Definition{RFMSegments: []string{"Champions", "Loyal"}},
			"c.rfmSegment IN $p0", map[string]any{"p0": []string{"Champions", "Loyal"}}},
		{Definition{ChurnBands: []string{"HIGH"}},
			"c.churnBand IN $p0", map[string]any{"p0": []string{"high"}}},
		{Definition{Purchased: &Purchased{Category: "tea", MinTimes: 2, WithinDays: 90}},
			"COUNT { MATCH (c)<-[:RESOLVES_TO]-()<-[:PLACED_BY]-(o) WHERE NOT coalesce(o.status, '') IN ['cancelled', 'returned', 'refunded'] AND o.orderedAt >= $p0 AND o.orderedAt <= $p1 AND EXISTS { MATCH (o)-[:CONTAINS]->(p:Product) WHERE p.category = $p2 } RETURN o LIMIT $p3 } >= $p3",
			map[string]any{"p0": day(90), "p1": asOf, "p2": "tea", "p3": int64(2)}},
		{Definition{Purchased: &Purchased{SKU: "TEA-1"}},
			"EXISTS { MATCH (c)<-[:RESOLVES_TO]-()<-[:PLACED_BY]-(o) WHERE NOT coalesce(o.status, '') IN ['cancelled', 'returned', 'refunded'] AND o.orderedAt <= $p0 AND EXISTS { MATCH (o)-[:CONTAINS]->(p:Product) WHERE p.sku = $p1 } }",
			map[string]any{"p0": asOf, "p1": "TEA-1"}},
		{Definition{Event: &Event{Type: "login", WithinDays: 30, Absent: true}},
			"NOT EXISTS { MATCH (c)<-[:RESOLVES_TO]-()<-[:BY]-(e) WHERE e.type = $p0 AND e.occurredAt >= $p1 AND e.occurredAt <= $p2 }",
			map[string]any{"p0": "login", "p1": day(30), "p2": asOf}},
		{Definition{Event: &Event{Type: "view", MinCount: 5}},
			"COUNT { MATCH (c)<-[:RESOLVES_TO]-()<-[:BY]-(e) WHERE e.type = $p0 AND e.occurredAt <= $p1 RETURN e LIMIT $p2 } >= $p2",
			map[string]any{"p0": "view", "p1": asOf, "p2": int64(5)}},
		{Definition{NearDetractor: &NearDetractor{Hops: 1}},
			"CASE WHEN " + DetractorHopsCurrent + " THEN coalesce(c.detractorHops <= 1, false) ELSE " +
				"EXISTS { MATCH (c)<-[:RESOLVES_TO]-()-[:FOLLOWS|REFERRED|SHARED|MENTIONED]-()-[:RESOLVES_TO]->(n1) WHERE (n1 <> c AND n1.sentimentAvg <= -0.3) } END",
			map[string]any{}},
		{Definition{NearDetractor: &NearDetractor{Hops: 2}},
			"CASE WHEN " + DetractorHopsCurrent + " THEN coalesce(c.detractorHops <= 2, false) ELSE " +
				"EXISTS { MATCH (c)<-[:RESOLVES_TO]-()-[:FOLLOWS|REFERRED|SHARED|MENTIONED]-()-[:RESOLVES_TO]->(n1) WHERE (n1 <> c AND n1.sentimentAvg <= -0.3) OR " +
				"EXISTS { MATCH (n1)<-[:RESOLVES_TO]-()-[:FOLLOWS|REFERRED|SHARED|MENTIONED]-()-[:RESOLVES_TO]->(n2) WHERE (n2 <> c AND n2.sentimentAvg <= -0.3) } } END",
			map[string]any{}},
		{Definition{ReferredByInfluencer: &ReferredByInfluencer{TopRank: 10}},
			"EXISTS { MATCH (r:Customer {id: c.referredBy}) WHERE r.influenceRank <= $p0 }", map[string]any{"p0": int64(10)}},
		{Definition{InCommunity: &InCommunity{ID: "k7"}},
			"c.community = $p0", map[string]any{"p0": "k7"}},
		{Definition{HouseholdHighValue: &HouseholdHighValue{MinCLV: 1000}},
			"EXISTS { MATCH (c)-[:MEMBER_OF]->(h) WHERE EXISTS { MATCH (h)<-[:MEMBER_OF]-(m) WHERE m.clv >= $p0 } }", map[string]any{"p0": 1000.0}},
	} {
		q, err := Compile(tc.d, asOf)
		if err != nil {
			t.Errorf("%s: %v", tc.where, err)
			continue
		}
		if q.Where != tc.where {
			t.Errorf("where\n got %s\nwant %s", q.Where, tc.where)
		}
		if !reflect.DeepEqual(q.Params, tc.params) {
			t.Errorf("%s: params %#v, want %#v", tc.where, q.Params, tc.params)
		}
	}
}

func TestCompileCombinators(t *testing.T) {
	d := Definition{And: []Definition{
		{Profile: &Profile{Field: "country", Op: OpEq, Values: []string{"CN"}}},
		{Or: []Definition{
			{Purchased: &Purchased{WithinDays: 30}},
			{Event: &Event{Type: "login", WithinDays: 7}},
		}},
		{Not: &Definition{Score: &Score{Field: "clv", Min: floatp(100)}}},
		{And: []Definition{{ChurnBands: []string{"high"}}}}, // one child: no parentheses
	}}
	q, err := Compile(d, asOf)
	if err != nil {
		t.Fatal(err)
	}
	want := "(c.country = $p0" +
		" AND (EXISTS { MATCH (c)<-[:RESOLVES_TO]-()<-[:PLACED_BY]-(o) WHERE NOT coalesce(o.status, '') IN ['cancelled', 'returned', 'refunded'] AND o.orderedAt >= $p1 AND o.orderedAt <= $p2 }" +
		" OR EXISTS { MATCH (c)<-[:RESOLVES_TO]-()<-[:BY]-(e) WHERE e.type = $p3 AND e.occurredAt >= $p4 AND e.occurredAt <= $p2 })" +
		" AND NOT coalesce(c.clv >= $p5, false)" +
		" AND c.churnBand IN $p6)"
	if q.Where != want {
		t.Errorf("where\n got %s\nwant %s", q.Where, want)
	}
	if len(q.Params) != 7 || q.Params["p2"] != asOf || q.Params["p4"] != asOf.AddDate(0, 0, -7) {
		t.Errorf("params %v: asOf must be one parameter, shared", q.Params)
	}
}

func TestCompileUsesUTCAndNeedsAnAsOfDate(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	q, err := Compile(Definition{Event: &Event{Type: "login"}}, time.Date(2026, 7, 1, 7, 0, 0, 0, shanghai))
	if err != nil {
		t.Fatal(err)
	}
	if at := q.Params["p1"].(time.Time); at.Location() != time.UTC || !at.Equal(time.Date(2026, 6, 30, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("asOf parameter %v, want 2026-06-30T23:00Z", at)
	}
	_, err = Compile(Definition{Event: &Event{Type: "login"}}, time.Time{})
	var e *cdp.Error
	if !errors.As(err, &e) || e.Code != cdp.EINVALID || e.Field != "asOf" {
		t.Errorf("zero asOf: %v", err)
	}
}

func TestAgeBoundsAroundBirthdaysAndLeapDays(t *testing.T) {
	for _, tc := range []struct {
		asOf     string
		years    int
		latest   string // born on or before this date: at least years old
		birthday string
	}{
		{"2026-06-30", 18, "2008-06-30", "turns 18 on the day"},
		{"2028-02-29", 18, "2010-02-28", "leap day as of a year without one: born 1 March is still 17"},
		{"2028-02-29", 20, "2008-02-29", "leap day to leap day"},
		{"2027-02-28", 19, "2008-02-28", "born 29 February 2008 is 18 until 1 March"},
	} {
		at, _ := time.Parse(time.DateOnly, tc.asOf)
		if got := yearsBefore(at, tc.years); got != tc.latest {
			t.Errorf("%s: %d years before %s = %s, want %s", tc.birthday, tc.years, tc.asOf, got, tc.latest)
		}
	}
}

// The JSON form (stored definitions, playbooks) round-trips, with the README's example.
func TestDefinitionJSON(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```json\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no json example")
	}
	dec := json.NewDecoder(bytes.NewReader(m[1]))
	dec.DisallowUnknownFields()
	var d Definition
	if err := dec.Decode(&d); err != nil {
		t.Fatal(err)
	}
	q, err := Compile(d, asOf)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var again Definition
	if err := json.Unmarshal(b, &again); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d, again) {
		t.Errorf("round trip changed the definition:\n%s", b)
	}
	for _, want := range []string{"COUNT {", "NOT EXISTS {", "c.churnBand IN", "COLLECT {", "NOT coalesce(c.rfmSegment IN", "(n2 <> c"} {
		if !strings.Contains(q.Where, want) {
			t.Errorf("README example compiles without %q:\n%s", want, q.Where)
		}
	}
}

// The population form answers purchases, events, identifiers, consents and the
// freshness of the hops to a detractor with subqueries run once; everything else, and
// "bought anything ever", is the per-customer form.
func TestCompilePopulation(t *testing.T) {
	d := Definition{And: []Definition{
		{Profile: &Profile{Field: "country", Op: OpEq, Values: []string{"CN"}}},
		{Purchased: &Purchased{Category: "tea", MinTimes: 2, WithinDays: 90}},
		{Not: &Definition{Event: &Event{Type: "login", WithinDays: 30, Absent: true}}},
		{Or: []Definition{{NearDetractor: &NearDetractor{Hops: 1}}, {NearDetractor: &NearDetractor{Hops: 2}}}},
		{Identifier: &Identifier{Type: "phone"}},
		{Consent: &Consent{Purpose: "sms_marketing", Granted: true}},
		{Purchased: &Purchased{}}, // stops at the first order: per customer
	}}
	q, err := Compile(d, asOf)
	if err != nil {
		t.Fatal(err)
	}
	const notPurchase = "NOT coalesce(o.status, '') IN ['cancelled', 'returned', 'refunded']"
	wantSets := []string{
		"MATCH (p:Product) USING INDEX p:Product(category) WHERE p.category = $p3\n" +
			"MATCH (p)<-[:CONTAINS]-(o) WHERE " + notPurchase + " AND o.orderedAt >= $p1 AND o.orderedAt <= $p2\n" +
			"WITH DISTINCT o\nMATCH (o)-[:PLACED_BY]->(r)\nWITH r, count(*) AS n\nMATCH (r)-[:RESOLVES_TO]->(c)\nWITH c, sum(n) AS n WHERE n >= $p4\n" +
			"RETURN collect(c) AS s0",
		"MATCH (c:Customer)<-[:RESOLVES_TO]-(r)<-[:BY]-(e:Event)\nUSING JOIN ON r\nUSING INDEX e:Event(type, occurredAt)\n" +
			"WHERE e.type = $p5 AND e.occurredAt >= $p6 AND e.occurredAt <= $p2\nWITH DISTINCT c\nRETURN collect(c) AS s1",
		"RETURN " + DetractorHopsCurrent + " AS s2",
		"MATCH (c:Customer)<-[:RESOLVES_TO]-(r)-[:HAS_IDENTIFIER]->(i:Identifier)\nUSING JOIN ON r\nUSING INDEX i:Identifier(type, value)\n" +
			"WHERE i.type = $p7 AND i.value IS NOT NULL\nWITH DISTINCT c\nRETURN collect(c) AS s3",
		"MATCH (c:Customer)<-[:RESOLVES_TO]-(r)<-[:CONSENT_OF]-(k:Consent)\nUSING JOIN ON r\nUSING INDEX k:Consent(purpose)\nWHERE k.purpose = $p8\n" +
			"WITH c, k ORDER BY k.occurredAt DESC, k.key\nWITH c, collect(k.granted)[0] AS granted WHERE coalesce(granted, false)\n" +
			"RETURN collect(c) AS s4",
	}
	if !reflect.DeepEqual(q.Sets, wantSets) {
		t.Errorf("sets\n got %q\nwant %q", q.Sets, wantSets)
	}
	wantPop := "(c.country = $p0 AND c IN s0 AND NOT coalesce(NOT c IN s1, false)" +
		" AND (" + nearDetractor(1, "s2") + " OR " + nearDetractor(2, "s2") + ")" +
		" AND NOT c IN s3 AND (c IN s4) = $p9" +
		" AND EXISTS { MATCH (c)<-[:RESOLVES_TO]-()<-[:PLACED_BY]-(o) WHERE " + notPurchase + " AND o.orderedAt <= $p2 })"
	if q.Population != wantPop {
		t.Errorf("population\n got %s\nwant %s", q.Population, wantPop)
	}
	if q.Scope() != "s0, s1, s2, s3, s4" || !strings.HasPrefix(q.Prelude(), "CALL () {\n"+wantSets[0]+"\n}\nCALL () {\n") {
		t.Errorf("scope %q, prelude\n%s", q.Scope(), q.Prelude())
	}
	if strings.Contains(q.Where, " IN s") || strings.Contains(q.Where, "s2") {
		t.Errorf("the per-customer form refers to a set: %s", q.Where)
	}

	plain, err := Compile(Definition{ChurnBands: []string{"high"}}, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Population != plain.Where || len(plain.Sets) != 0 || plain.Prelude() != "" || plain.Scope() != "" {
		t.Errorf("a definition without sets: %+v", plain)
	}
}

func TestDetractorHops(t *testing.T) {
	// d1 - a - b - c - e, d1 - d2 (two detractors side by side), x - x (a self tie), and
	// d3 alone: its only way back to a detractor is through itself.
	ties := []Tie{{"d1", "a"}, {"a", "b"}, {"c", "b"}, {"c", "e"}, {"d1", "d2"}, {"x", "x"}, {"d3", "y"}, {"y", "z"}}
	got := DetractorHops(ties, []string{"d1", "d2", "d3"})
	want := map[string]int{"d1": 1, "d2": 1, "a": 1, "b": 2, "c": 3, "y": 1, "z": 2}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("hops %v, want %v", got, want)
	}
	if got := DetractorHops(nil, []string{"d"}); len(got) != 0 {
		t.Errorf("a lone detractor: %v", got)
	}
}

// DetractorHops agrees with the definition (walks of up to three ties to a detractor
// other than oneself) on random graphs.
func TestDetractorHopsMatchesWalks(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		n := 2 + rng.IntN(12)
		name := func(i int) string { return "c" + strconv.Itoa(i) }
		var ties []Tie
		for k := rng.IntN(2 * n); k > 0; k-- {
			ties = append(ties, Tie{name(rng.IntN(n)), name(rng.IntN(n))})
		}
		isDetractor := map[string]bool{}
		var detractors []string
		for i := 0; i < n; i++ {
			if rng.IntN(4) == 0 {
				isDetractor[name(i)] = true
				detractors = append(detractors, name(i))
			}
		}
		adj := map[string][]string{}
		for _, t := range ties {
			adj[t.A] = append(adj[t.A], t.B)
			adj[t.B] = append(adj[t.B], t.A)
		}
		want := map[string]int{}
		for i := 0; i < n; i++ {
			c := name(i)
			frontier := map[string]bool{c: true}
			for k := 1; k <= MaxHops && want[c] == 0; k++ {
				next := map[string]bool{}
				for x := range frontier {
					for _, y := range adj[x] {
						next[y] = true
						if isDetractor[y] && y != c && want[c] == 0 {
							want[c] = k
						}
					}
				}
				frontier = next
			}
			if want[c] == 0 {
				delete(want, c)
			}
		}
		if got := DetractorHops(ties, detractors); !reflect.DeepEqual(got, want) {
			t.Fatalf("ties %v, detractors %v:\nhops %v\nwant %v", ties, detractors, got, want)
		}
	}
}
