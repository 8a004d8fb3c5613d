package http_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/actions"
)

// The API the console builds on: vocabularies, customers by RFM cell and by segment, the
// churn-risk histogram, dated and filtered neighbourhoods, record links.

type vocabulary struct {
	RfmSegments, ChurnBands, ScoreFields, ProfileFields, ProfileOps, IdentifierTypes []string
	Categories, EventTypes, Sources, ConsentPurposes, TieTypes, Actions              []string
}

const vocabularyQuery = `{ vocabulary { rfmSegments churnBands scoreFields profileFields profileOps identifierTypes
  categories eventTypes sources consentPurposes tieTypes actions } }`

// Every value the vocabulary offers is one a segment definition accepts, and the lists
// the data holds are exactly what was ingested.
func TestVocabularyIsAcceptedBySegmentDefinitions(t *testing.T) {
	a := newAPI(t, options())
	a.seed(t, 3) // crm records: category home, view events, email_marketing consents, follows
	post(t, a.c, `mutation { ingestEvents(source: "app", records: [{sourceId: "E-app", customerSourceId: "A1", type: "login", occurredAt: "2026-02-01T10:00:00Z"}]) { accepted } }`, &struct{}{})
	var got struct{ Vocabulary vocabulary }
	post(t, a.c, vocabularyQuery, &got)
	v := got.Vocabulary
	for _, c := range []struct {
		name      string
		got, want []string
	}{
		{"categories", v.Categories, []string{"home"}},
		{"eventTypes", v.EventTypes, []string{"login", "view"}},
		{"sources", v.Sources, []string{"app", "crm"}},
		{"consentPurposes", v.ConsentPurposes, []string{"email_marketing"}},
		{"tieTypes", v.TieTypes, cdp.SocialTieTypes},
		{"actions", v.Actions, actions.DefaultPlaybook().Actions()},
		{"churnBands", v.ChurnBands, []string{"LOW", "MEDIUM", "HIGH", "CRITICAL"}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if len(v.RfmSegments) != 11 || v.RfmSegments[0] != "Champions" || len(v.ScoreFields) == 0 || len(v.ProfileFields) == 0 ||
		len(v.ProfileOps) != 4 || len(v.IdentifierTypes) != len(cdp.IdentifierTypes) {
		t.Fatalf("fixed lists: %+v", v)
	}

	var defs []map[string]any
	add := func(d map[string]any) { defs = append(defs, d) }
	for _, s := range v.RfmSegments {
		add(map[string]any{"rfmSegments": []string{s}})
	}
	for _, b := range v.ChurnBands {
		add(map[string]any{"churnBands": []string{b}})
	}
	for _, f := range v.ScoreFields {
		add(map[string]any{"score": map[string]any{"field": f, "min": 0}})
	}
	for _, f := range v.ProfileFields {
		add(map[string]any{"profile": map[string]any{"field": f, "op": "in", "values": []string{"x"}}})
	}
	for _, op := range v.ProfileOps {
		add(map[string]any{"profile": map[string]any{"field": "city", "op": op, "values": []string{"Shanghai"}}})
	}
	for _, typ := range v.IdentifierTypes {
		add(map[string]any{"identifier": map[string]any{"type": typ, "present": true}})
	}
	for _, c := range v.Categories {
		add(map[string]any{"purchased": map[string]any{"category": c}})
	}
	for _, e := range v.EventTypes {
		add(map[string]any{"event": map[string]any{"type": e}})
	}
	for _, s := range v.Sources {
		add(map[string]any{"profile": map[string]any{"field": "source", "op": "eq", "values": []string{s}}})
	}
	for _, p := range v.ConsentPurposes {
		add(map[string]any{"consent": map[string]any{"purpose": p, "granted": true}})
	}
	for _, d := range defs {
		var p struct{ PreviewSegment struct{ Count int } }
		post(t, a.c, `query($d: SegmentDefinition!) { previewSegment(definition: $d, sample: 0) { count } }`, &p, client.Var("d", d))
	}
	// What the data holds selects someone: the seeded customers bought home goods, viewed, consented.
	for _, d := range []map[string]any{
		{"purchased": map[string]any{"category": "home"}}, {"event": map[string]any{"type": "view"}},
		{"consent": map[string]any{"purpose": "email_marketing", "granted": true}},
		{"profile": map[string]any{"field": "source", "op": "eq", "values": []string{"crm"}}},
	} {
		var p struct{ PreviewSegment struct{ Count int } }
		post(t, a.c, `query($d: SegmentDefinition!) { previewSegment(definition: $d, sample: 0) { count } }`, &p, client.Var("d", d))
		if p.PreviewSegment.Count != 3 {
			t.Errorf("%v selects %d of 3", d, p.PreviewSegment.Count)
		}
	}
	// What matches nobody is an error naming the field and listing the valid values; names
	// in another case are the same names, in segments and in the customers filter alike.
	for q, want := range map[string]string{
		`{ previewSegment(definition: {rfmSegments: ["Champion"]}) { count } }`:    "definition.rfmSegments[0]",
		`{ previewSegment(definition: {purchased: {category: "tea"}}) { count } }`: "no product has category",
		`{ previewSegment(definition: {churnBands: ["severe"]}) { count } }`:       "LOW, MEDIUM, HIGH, CRITICAL",
		`{ customers(filter: {rfmSegment: "Champion"}) { totalCount } }`:           "filter.rfmSegment",
	} {
		resp, err := a.c.RawPost(q)
		if err != nil {
			t.Fatal(err)
		}
		if errs := string(resp.Errors); !strings.Contains(errs, "BAD_USER_INPUT") || !strings.Contains(errs, want) {
			t.Errorf("%s: errors %s, want %q", q, errs, want)
		}
	}
	for _, q := range []string{
		`{ previewSegment(definition: {and: [{rfmSegments: ["champions"]}, {churnBands: ["high", "LOW"]}, {purchased: {category: "HOME"}}]}) { count } }`,
		`{ customers(filter: {rfmSegment: "champions", churnBands: [HIGH]}) { totalCount } }`,
	} {
		post(t, a.c, q, &struct{}{})
	}
	var home struct{ PreviewSegment struct{ Count int } }
	post(t, a.c, `{ previewSegment(definition: {purchased: {category: "Home"}}, sample: 0) { count } }`, &home)
	if home.PreviewSegment.Count != 3 {
		t.Errorf("category Home selects %d of 3, want the home buyers", home.PreviewSegment.Count)
	}
	// Tie types are what the neighbourhood filter takes, actions what planActions takes.
	var c struct {
		Customers struct{ Nodes []struct{ ID string } }
	}
	post(t, a.c, `{ customers(first: 1) { nodes { id } } }`, &c)
	post(t, a.c, `query($c: ID!, $t: [String!]) { neighbourhood(customer: $c, types: $t) { nodes { id } } }`, &struct{}{},
		client.Var("c", c.Customers.Nodes[0].ID), client.Var("t", v.TieTypes))
	var seg struct{ CreateSegment struct{ ID string } }
	post(t, a.c, `mutation { createSegment(name: "all crm", definition: {profile: {field: "source", op: "eq", values: ["crm"]}}) { id } }`, &seg)
	for _, act := range v.Actions {
		post(t, a.c, `mutation($s: ID!, $a: String) { planActions(segment: $s, action: $a) { planned } }`, &struct{}{},
			client.Var("s", seg.CreateSegment.ID), client.Var("a", act))
	}
}

// customers(filter: {rfmR, rfmF}) lists exactly an RFM grid cell; filter.segment exactly a
// saved segment's members; the churn-risk histogram counts the buyers the bands count.
func TestCustomersByRFMCellAndSegmentAndChurnHistogram(t *testing.T) {
	a := newAPI(t, options())
	a.seedSimulated(t, 250)
	post(t, a.c, `mutation { runScoring(asOf: "2026-06-30") { version } }`, &struct{}{})

	var grid struct {
		RfmGrid []struct{ R, F, Customers int }
	}
	post(t, a.c, `{ rfmGrid { r f customers } }`, &grid)
	if len(grid.RfmGrid) < 3 {
		t.Fatalf("grid %+v", grid)
	}
	type page struct {
		Customers struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   *string
			}
			Nodes []struct {
				CustomerID  string `json:"customerId"`
				Identifiers []struct{ Type string }
				Metrics     *struct {
					ChurnBand *string
					Rfm       *struct{ R, F int }
				}
			}
		}
	}
	const list = `query($f: CustomerFilter, $after: String) { customers(first: 40, after: $after, filter: $f, orderBy: {field: CHURN_RISK, direction: DESC}) {
	  totalCount pageInfo { hasNextPage endCursor } nodes { customerId identifiers(first: 2) { type } metrics { churnBand rfm { r f } } } } }`
	// all pages through a listing, checking every customer with check.
	all := func(f map[string]any, check func(r, f int, band string) bool) (total int, ids []string) {
		var after *string
		for {
			var p page
			post(t, a.c, list, &p, client.Var("f", f), client.Var("after", after))
			total = p.Customers.TotalCount
			for _, n := range p.Customers.Nodes {
				m := n.Metrics
				if m == nil || m.Rfm == nil || m.ChurnBand == nil || !check(m.Rfm.R, m.Rfm.F, *m.ChurnBand) || len(n.Identifiers) == 0 {
					t.Fatalf("filter %v lists %s with %+v", f, n.CustomerID, n)
				}
				ids = append(ids, n.CustomerID)
			}
			if !p.Customers.PageInfo.HasNextPage {
				return total, ids
			}
			after = p.Customers.PageInfo.EndCursor
		}
	}
	for _, cell := range grid.RfmGrid {
		total, ids := all(map[string]any{"rfmR": cell.R, "rfmF": cell.F}, func(r, f int, _ string) bool { return r == cell.R && f == cell.F })
		if total != cell.Customers || len(ids) != cell.Customers {
			t.Errorf("cell %d%d: totalCount %d, listed %d, grid %d", cell.R, cell.F, total, len(ids), cell.Customers)
		}
	}
	for _, bad := range []map[string]any{{"rfmR": 0}, {"rfmF": 6}} {
		field := "filter.rfmR"
		if _, ok := bad["rfmF"]; ok {
			field = "filter.rfmF"
		}
		if errs := gqlErrors(t, a.c, list, client.Var("f", bad)); len(errs) != 1 || errs[0] != (codeField{"BAD_USER_INPUT", field}) {
			t.Errorf("filter %v: errors %+v", bad, errs)
		}
	}

	var seg struct {
		CreateSegment struct {
			ID          string
			MemberCount int
		}
	}
	var model struct{ ScoringModel struct{ Buyers int } }
	post(t, a.c, `{ scoringModel { buyers } }`, &model)
	buyers := model.ScoringModel.Buyers
	post(t, a.c, `mutation { createSegment(name: "at risk", definition: {churnBands: ["high", "critical"]}) { id memberCount } }`, &seg)
	s := seg.CreateSegment
	// Some buyers but not all: the filter below has something to tell apart.
	if s.MemberCount == 0 || s.MemberCount == buyers {
		t.Fatalf("segment %+v", s)
	}
	atRisk := func(_, _ int, band string) bool { return band == "HIGH" || band == "CRITICAL" }
	total, ids := all(map[string]any{"segment": s.ID}, atRisk)
	slices.Sort(ids)
	if total != s.MemberCount || len(slices.Compact(ids)) != s.MemberCount {
		t.Errorf("segment filter: totalCount %d, %d listed, memberCount %d", total, len(ids), s.MemberCount)
	}
	global := base64.RawURLEncoding.EncodeToString([]byte("Segment:" + s.ID))
	if total, _ := all(map[string]any{"segment": global}, atRisk); total != s.MemberCount {
		t.Errorf("segment by global id: %d, want %d", total, s.MemberCount)
	}
	cell := grid.RfmGrid[0]
	both, _ := all(map[string]any{"segment": s.ID, "rfmR": cell.R, "rfmF": cell.F}, func(r, f int, band string) bool {
		return r == cell.R && f == cell.F && atRisk(r, f, band)
	})
	inCell, _ := all(map[string]any{"rfmR": cell.R, "rfmF": cell.F, "churnBands": []string{"HIGH", "CRITICAL"}}, atRisk)
	if both != inCell {
		t.Errorf("segment and cell: %d, cell and bands: %d", both, inCell)
	}
	if total, _ := all(map[string]any{"segment": "seg_0000000000000000"}, atRisk); total != 0 {
		t.Errorf("an unknown segment lists %d", total)
	}
	if errs := gqlErrors(t, a.c, list, client.Var("f", map[string]any{"segment": "at risk"})); len(errs) != 1 || errs[0] != (codeField{"BAD_USER_INPUT", "filter.segment"}) {
		t.Errorf("a malformed segment id: errors %+v", errs)
	}

	type bucket struct {
		Label     string
		Low, High *float64
		Customers int
		Revenue   float64
	}
	var views struct {
		ChurnRiskDistribution []bucket
		Ten                   []bucket
		Quarters              []bucket
	}
	post(t, a.c, `{ churnRiskDistribution { label customers revenue }
	  ten: churnRiskHistogram { label low high customers revenue }
	  quarters: churnRiskHistogram(buckets: 4) { label low high customers revenue } }`, &views)
	sum := func(bs []bucket) (n int, rev float64) {
		for _, b := range bs {
			n, rev = n+b.Customers, rev+b.Revenue
		}
		return n, rev
	}
	bands, bandRevenue := sum(views.ChurnRiskDistribution)
	ten, tenRevenue := sum(views.Ten)
	if len(views.Ten) != 10 || ten != bands || math.Abs(tenRevenue-bandRevenue) > 1e-6*bandRevenue || bands != buyers {
		t.Errorf("histogram of %d buckets counts %d (revenue %v), bands %d (%v)", len(views.Ten), ten, tenRevenue, bands, bandRevenue)
	}
	for i, b := range views.Ten {
		lo, hi := float64(i)/10, float64(i+1)/10
		if b.Low == nil || b.High == nil || *b.Low != lo || *b.High != hi || b.Label != fmt.Sprintf("%g – %g", lo, hi) {
			t.Errorf("bucket %d: %+v", i, b)
		}
	}
	// The default bands are quarters, so four buckets count each band's buyers.
	for i, b := range views.Quarters {
		if want := views.ChurnRiskDistribution[i]; b.Customers != want.Customers {
			t.Errorf("quarter %s: %d buyers, band %s: %d", b.Label, b.Customers, want.Label, want.Customers)
		}
	}
	for _, n := range []int{1, 51} {
		if errs := gqlErrors(t, a.c, fmt.Sprintf(`{ churnRiskHistogram(buckets: %d) { customers } }`, n)); len(errs) != 1 || errs[0] != (codeField{"BAD_USER_INPUT", "buckets"}) {
			t.Errorf("buckets %d: errors %+v", n, errs)
		}
	}
}

// A neighbourhood's ties carry the dates of the record ties behind them and can be
// narrowed by type and date.
func TestNeighbourhoodTieDatesAndFilters(t *testing.T) {
	a := newAPI(t, options())
	post(t, a.c, `mutation { crm: ingestCustomers(source: "crm", records: [
		{sourceId: "A", fullName: "Ann", email: "ann@example.com"}, {sourceId: "B", fullName: "Bo", email: "bo@example.com"},
		{sourceId: "C", fullName: "Cy", email: "cy@example.com"}, {sourceId: "D", fullName: "Di", email: "di@example.com"}]) { accepted }
	  web: ingestCustomers(source: "web", records: [{sourceId: "a", fullName: "Ann", email: "ann@example.com"}, {sourceId: "b", fullName: "Bo", email: "bo@example.com"}]) { accepted } }`, &struct{}{})
	post(t, a.c, `mutation { crm: ingestSocialTies(source: "crm", records: [
		{fromSourceId: "A", toSourceId: "B", type: "follows", occurredAt: "2026-01-01T00:00:00Z"},
		{fromSourceId: "A", toSourceId: "C", type: "shared"},
		{fromSourceId: "C", toSourceId: "D", type: "referred", occurredAt: "2026-03-01T00:00:00Z"}]) { accepted }
	  web: ingestSocialTies(source: "web", records: [{fromSourceId: "a", toSourceId: "b", type: "follows", occurredAt: "2026-02-01T00:00:00Z", count: "3"}]) { accepted } }`, &struct{}{})
	// Email alone does not merge across sources: an analyst merges Ann's and Bo's records.
	for _, name := range []string{"Ann", "Bo"} {
		var found struct {
			Customers struct{ Nodes []struct{ ID string } }
		}
		post(t, a.c, `query($s: String) { customers(first: 5, filter: {search: $s}) { nodes { id } } }`, &found, client.Var("s", name))
		ids := []string{}
		for _, n := range found.Customers.Nodes {
			ids = append(ids, n.ID)
		}
		if len(ids) != 2 {
			t.Fatalf("%s: customers %v", name, ids)
		}
		post(t, a.c, `mutation($ids: [ID!]!) { mergeCustomers(customerIds: $ids, reason: "same person") { id } }`, &struct{}{}, client.Var("ids", ids))
	}
	var ann struct{ CustomerByIdentifier struct{ ID string } }
	post(t, a.c, `{ customerByIdentifier(type: EMAIL, value: "ann@example.com") { id } }`, &ann)

	type edge struct {
		From, To        struct{ Profile struct{ FullName string } }
		Type            string
		Count           int
		FirstAt, LastAt *time.Time
	}
	type graph struct {
		Neighbourhood struct {
			Nodes []struct{ Profile struct{ FullName string } }
			Edges []edge
		}
	}
	const q = `query($c: ID!, $types: [String!], $since: Time) { neighbourhood(customer: $c, hops: 2, types: $types, since: $since) {
	  nodes { profile { fullName } } edges { from { profile { fullName } } to { profile { fullName } } type count firstAt lastAt } } }`
	read := func(types []string, since *time.Time) (names []string, edges map[string]edge) {
		var g graph
		post(t, a.c, q, &g, client.Var("c", ann.CustomerByIdentifier.ID), client.Var("types", types), client.Var("since", since))
		edges = map[string]edge{}
		for _, n := range g.Neighbourhood.Nodes {
			names = append(names, n.Profile.FullName)
		}
		for _, e := range g.Neighbourhood.Edges {
			edges[e.From.Profile.FullName+">"+e.Type+">"+e.To.Profile.FullName] = e
		}
		slices.Sort(names)
		return names, edges
	}
	day := func(m time.Month) *time.Time { t := time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC); return &t }
	names, edges := read(nil, nil)
	follows, shared, referred := edges["Ann>follows>Bo"], edges["Ann>shared>Cy"], edges["Cy>referred>Di"]
	if !slices.Equal(names, []string{"Ann", "Bo", "Cy", "Di"}) || len(edges) != 3 {
		t.Fatalf("nodes %v, edges %+v", names, edges)
	}
	// Two record ties (crm once, web three times) behind one follow.
	if follows.Count != 4 || !follows.FirstAt.Equal(*day(1)) || !follows.LastAt.Equal(*day(2)) {
		t.Errorf("follows %+v", follows)
	}
	if shared.FirstAt != nil || shared.LastAt != nil || !referred.FirstAt.Equal(*day(3)) || !referred.LastAt.Equal(*day(3)) {
		t.Errorf("shared %+v, referred %+v", shared, referred)
	}
	if names, edges := read([]string{"FOLLOWS"}, nil); !slices.Equal(names, []string{"Ann", "Bo"}) || len(edges) != 1 {
		t.Errorf("follows only: %v %+v", names, edges)
	}
	if names, edges := read([]string{"shared", "referred"}, nil); !slices.Equal(names, []string{"Ann", "Cy", "Di"}) || len(edges) != 2 {
		t.Errorf("shared and referred: %v %+v", names, edges)
	}
	// Since: the follow was last seen in February; the undated share, and Di behind it, drop out.
	if names, edges := read(nil, ptr(day(1).Add(24*time.Hour))); !slices.Equal(names, []string{"Ann", "Bo"}) || len(edges) != 1 {
		t.Errorf("since 2 January: %v %+v", names, edges)
	}
	if names, _ := read(nil, ptr(day(2).Add(time.Hour))); !slices.Equal(names, []string{"Ann"}) {
		t.Errorf("since February: %v", names)
	}
	resp, err := a.c.RawPost(q, client.Var("c", ann.CustomerByIdentifier.ID), client.Var("types", []string{"follows", "likes"}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(resp.Errors), `unknown tie type \"likes\"`) || !strings.Contains(string(resp.Errors), `"types[1]"`) {
		t.Errorf("an unknown tie type: %s", resp.Errors)
	}
}

// recordLinks shows the matcher's probabilistic matches and an analyst's decision, read
// for a page of customers in one batch.
func TestRecordLinks(t *testing.T) {
	opts := options()
	opts.LoaderWait = 50 * time.Millisecond
	a := newAPI(t, opts)
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
	post(t, a.c, `mutation { markNotSamePerson(recordA: "crm:c1", recordB: "web:w1", reason: "twins") { sameCustomer } }`, &struct{}{})

	type link struct {
		From, To    struct{ Source, SourceID string }
		Kind        string
		Probability *float64
		Reason      *string
	}
	var one struct {
		C0, C1 struct{ RecordLinks []link }
	}
	post(t, a.c, `{ c0: customerByIdentifier(type: EMAIL, value: "c0@mail.co.uk") { ...L }
	  c1: customerByIdentifier(type: EMAIL, value: "c1@mail.co.uk") { ...L } }
	  fragment L on Customer { recordLinks { from { source sourceId } to { source sourceId } kind probability reason } }`, &one)
	pair := func(l link) string {
		return l.From.Source + ":" + l.From.SourceID + "-" + l.To.Source + ":" + l.To.SourceID
	}
	if len(one.C0.RecordLinks) != 1 {
		t.Fatalf("c0's links: %+v", one.C0.RecordLinks)
	}
	if l := one.C0.RecordLinks[0]; l.Kind != cdp.LinkMatched || l.Probability == nil || *l.Probability < 0.5 || l.Reason != nil ||
		(pair(l) != "crm:c0-web:w0" && pair(l) != "web:w0-crm:c0") {
		t.Errorf("c0's link: %+v", l)
	}
	// Decisions come first; the match stays on record though the records are kept apart.
	if l := one.C1.RecordLinks; len(l) != 2 || l[0].Kind != cdp.LinkNotSamePerson || l[0].Reason == nil || *l[0].Reason != "twins" ||
		l[0].Probability != nil || l[1].Kind != cdp.LinkMatched {
		t.Errorf("c1's links: %+v", l)
	}

	var page struct {
		Customers struct {
			Nodes []struct{ RecordLinks []struct{ Kind string } }
		}
	}
	before := a.db.QueryCount()
	post(t, a.c, `{ customers(first: 20, filter: {source: "crm"}) { nodes { recordLinks(first: 5) { kind } } } }`, &page)
	if trips := a.db.QueryCount() - before; trips > 2 {
		t.Errorf("%d statements for a page of customers with their record links; want 2", trips)
	}
	linked := 0
	for _, n := range page.Customers.Nodes {
		if len(n.RecordLinks) > 0 {
			linked++
		}
	}
	if len(page.Customers.Nodes) != 20 || linked != 20 {
		t.Errorf("%d of %d customers have record links", linked, len(page.Customers.Nodes))
	}
	if errs := gqlErrors(t, a.c, `{ customers(first: 1) { nodes { recordLinks(first: 501) { kind } } } }`); len(errs) != 1 || errs[0] != (codeField{"BAD_USER_INPUT", "first"}) {
		t.Errorf("first: 501: errors %+v", errs)
	}
}

func ptr[T any](v T) *T { return &v }
