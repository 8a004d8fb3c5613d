package neo4j_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

// listRefFilter is the listing's filter as one catch-all predicate (what the store ran
// before it built statements from the filters present): the reference the built
// statements must agree with.
const listRefFilter = `
WHERE ($country IS NULL OR c.country = $country)
  AND ($city IS NULL OR c.city = $city)
  AND ($source IS NULL OR $source IN c.sources)
  AND ($createdAfter IS NULL OR c.createdAt >= $createdAfter)
  AND ($createdBefore IS NULL OR c.createdAt < $createdBefore)
  AND ($search IS NULL OR c.searchName STARTS WITH $search OR c.searchName CONTAINS (' ' + $search)
       OR c.email = $search OR c.phone = $search)
  AND ($rfmSegment IS NULL OR c.rfmSegment = $rfmSegment)
  AND ($churnBands IS NULL OR c.churnBand IN $churnBands)
  AND ($minChurnRisk IS NULL OR c.churnRisk >= $minChurnRisk)
  AND ($maxChurnRisk IS NULL OR c.churnRisk <= $maxChurnRisk)
  AND ($minClv IS NULL OR c.clv >= $minClv)
  AND ($maxClv IS NULL OR c.clv <= $maxClv)
  AND ($minLoyalty IS NULL OR c.loyalty >= $minLoyalty)
  AND ($community IS NULL OR c.community = $community)
  AND (NOT $influential OR c.influenceScore IS NOT NULL)
  AND ($minSentiment IS NULL OR c.sentimentAvg >= $minSentiment)
  AND ($maxSentiment IS NULL OR c.sentimentAvg <= $maxSentiment)`

// listRefKeys are the documented orders: a customer without the key sorts below every
// value (the fixture's values are all above these stand-ins), ties by id.
var listRefKeys = map[cdp.CustomerOrderField]string{
	cdp.CustomerOrderCreatedAt:    "c.createdAt",
	cdp.CustomerOrderUpdatedAt:    "c.updatedAt",
	cdp.CustomerOrderFamilyName:   "coalesce(c.familyName, '')",
	cdp.CustomerOrderChurnRisk:    "coalesce(c.churnRisk, -1.0)",
	cdp.CustomerOrderCLV:          "coalesce(c.clv, -1.0e300)",
	cdp.CustomerOrderPAlive:       "coalesce(c.pAlive, -1.0)",
	cdp.CustomerOrderLoyalty:      "coalesce(c.loyalty, -1.0)",
	cdp.CustomerOrderRevenue:      "coalesce(c.revenue, -1.0e300)",
	cdp.CustomerOrderInfluence:    "coalesce(c.influenceScore, -1.0)",
	cdp.CustomerOrderReach:        "toFloat(coalesce(c.reach2, -1))",
	cdp.CustomerOrderDriven:       "coalesce(c.downstreamRevenue, -1.0)",
	cdp.CustomerOrderClusterDoubt: "coalesce(c.clusterDoubt, -1.0)",
}

// listReference returns the ids matching f in the given order, by the reference query.
func listReference(t *testing.T, db *neo4j.DB, f cdp.CustomerFilter, o cdp.CustomerOrder) []string {
	t.Helper()
	opt := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	num := func(v *float64) any {
		if v == nil {
			return nil
		}
		return *v
	}
	at := func(v *time.Time) any {
		if v == nil {
			return nil
		}
		return v.UTC()
	}
	var bands any
	if len(f.ChurnBands) > 0 {
		bands = f.ChurnBands
	}
	params := map[string]any{"country": opt(f.Country), "city": opt(f.City), "source": opt(f.Source),
		"createdAfter": at(f.CreatedAfter), "createdBefore": at(f.CreatedBefore), "search": opt(f.Search),
		"rfmSegment": opt(f.RFMSegment), "churnBands": bands, "minChurnRisk": num(f.MinChurnRisk), "maxChurnRisk": num(f.MaxChurnRisk),
		"minClv": num(f.MinCLV), "maxClv": num(f.MaxCLV), "minLoyalty": num(f.MinLoyalty), "community": opt(f.Community),
		"influential": f.Influential, "minSentiment": num(f.MinSentiment), "maxSentiment": num(f.MaxSentiment)}
	dir := "ASC"
	if o.Desc {
		dir = "DESC"
	}
	recs, err := db.Read(context.Background(), "MATCH (c:Customer)"+listRefFilter+
		"\nRETURN c.id ORDER BY "+listRefKeys[o.Field]+" "+dir+", c.id "+dir, params)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.Values[0].(string)
	}
	return ids
}

// seedListCustomers writes n customers with few distinct values per property (many ties)
// and every score missing on some, ids unrelated to creation order.
func seedListCustomers(t *testing.T, db *neo4j.DB, n int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 15))
	base := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	pick := func(vs ...any) any { return vs[rng.IntN(len(vs))] }
	var rows []any
	for i := range n {
		family := pick("Wang", "Li", "Zhang", "Østergaard", "李", nil)
		given := pick("Ming", "Anna", "Wei")
		row := map[string]any{
			"id":        fmt.Sprintf("cus_%04x", rng.IntN(1<<16)<<4|i%16),
			"createdAt": base.Add(time.Duration(rng.IntN(5)) * time.Hour),
			"updatedAt": base.Add(time.Duration(rng.IntN(4)) * 24 * time.Hour),
			"givenName": given, "familyName": family,
			"email": fmt.Sprintf("p%d@example.com", i), "phone": fmt.Sprintf("+8613800%05d", i),
			"city": pick("Shanghai", "Beijing", nil), "country": pick("CN", "GB", nil),
			"sources":    pick([]any{"crm"}, []any{"web"}, []any{"crm", "pos"}),
			"rfmSegment": pick("Champions", "At Risk", nil), "churnBand": pick("low", "high", "critical", nil),
			"churnRisk": pick(0.1, 0.5, 0.9, nil), "clv": pick(0.0, 100.5, 2000.0, nil), "pAlive": pick(1.0, 0.5, nil),
			"loyalty": pick(10.0, 50.0, nil), "revenue": pick(0.0, 0.0, 50.0, 50.0, nil),
			"influenceScore": pick(0.001, 0.2, nil), "reach2": pick(int64(0), int64(3), nil),
			"downstreamRevenue": pick(0.0, 12.5, nil), "community": pick("c1", "c2", nil), "sentimentAvg": pick(-0.5, 0.4, nil),
			"clusterDoubt": pick(0.0, 0.04, 0.04, 0.3, nil),
		}
		name := given.(string)
		if family != nil {
			name += " " + family.(string)
		}
		row["searchName"] = strings.ToLower(name)
		rows = append(rows, row)
	}
	// The id is drawn at random; a rare collision would merge two rows' ids, so dedupe.
	seen := map[string]bool{}
	rows = slices.DeleteFunc(rows, func(r any) bool {
		id := r.(map[string]any)["id"].(string)
		defer func() { seen[id] = true }()
		return seen[id]
	})
	if err := db.Write(context.Background(), `
UNWIND $rows AS row
CREATE (c:Customer) SET c = row`, map[string]any{"rows": rows}); err != nil {
		t.Fatal(err)
	}
}

// listAll pages through a listing with cursors and returns the ids in order, checking
// each page's flags and count.
func listAll(t *testing.T, s *neo4j.CustomerStore, f cdp.CustomerFilter, o cdp.CustomerOrder, first int, want []string) []string {
	t.Helper()
	var ids []string
	after := ""
	for pages := 0; ; pages++ {
		if pages > len(want)+1 {
			t.Fatalf("%+v %+v: no end after %d pages", f, o, pages)
		}
		p, err := s.FindCustomers(context.Background(), f, o, cdp.PageArgs{First: first, After: after})
		if err != nil {
			t.Fatalf("%+v %+v after %q: %v", f, o, after, err)
		}
		if p.TotalCount != len(want) {
			t.Fatalf("%+v %+v: totalCount %d, want %d", f, o, p.TotalCount, len(want))
		}
		if p.HasPreviousPage != (after != "") || len(p.Cursors) != len(p.Items) {
			t.Fatalf("%+v %+v: hasPreviousPage %v after %q, %d cursors for %d items", f, o, p.HasPreviousPage, after, len(p.Cursors), len(p.Items))
		}
		for _, c := range p.Items {
			ids = append(ids, c.ID)
		}
		if !p.HasNextPage {
			return ids
		}
		if len(p.Items) != first {
			t.Fatalf("%+v %+v: a short page (%d of %d) says there is more", f, o, len(p.Items), first)
		}
		after = p.Cursors[len(p.Cursors)-1]
	}
}

func float(v float64) *float64 { return &v }

var allCustomerOrders = []cdp.CustomerOrderField{cdp.CustomerOrderCreatedAt, cdp.CustomerOrderUpdatedAt, cdp.CustomerOrderFamilyName,
	cdp.CustomerOrderChurnRisk, cdp.CustomerOrderCLV, cdp.CustomerOrderPAlive, cdp.CustomerOrderLoyalty, cdp.CustomerOrderRevenue,
	cdp.CustomerOrderInfluence, cdp.CustomerOrderReach, cdp.CustomerOrderDriven, cdp.CustomerOrderClusterDoubt}

// Paging through any sort order with cursors visits every customer exactly once, in the
// documented order: ties by id, customers without the key below every value.
func TestCustomerListPagesEveryOrder(t *testing.T) {
	db := neo4jtest.DB(t)
	seedListCustomers(t, db, 90)
	s := neo4j.NewCustomerStore(db)
	for _, field := range allCustomerOrders {
		for _, desc := range []bool{false, true} {
			o := cdp.CustomerOrder{Field: field, Desc: desc}
			want := listReference(t, db, cdp.CustomerFilter{}, o)
			if len(want) != 90 {
				t.Fatalf("reference lists %d customers", len(want))
			}
			if got := listAll(t, s, cdp.CustomerFilter{}, o, 7, want); !slices.Equal(got, want) {
				t.Errorf("%+v: pages give\n%v\nwant\n%v", o, got, want)
			}
		}
	}
	// One at a time, so that every tie and the step from scored to unscored is a page edge.
	for _, o := range []cdp.CustomerOrder{{Field: cdp.CustomerOrderChurnRisk}, {Field: cdp.CustomerOrderChurnRisk, Desc: true},
		{Field: cdp.CustomerOrderCreatedAt, Desc: true}} {
		want := listReference(t, db, cdp.CustomerFilter{}, o)
		if got := listAll(t, s, cdp.CustomerFilter{}, o, 1, want); !slices.Equal(got, want) {
			t.Errorf("%+v one at a time: %v, want %v", o, got, want)
		}
	}
}

// Every filter, alone and combined, lists the customers the reference query finds, in
// the same order, with the same count.
func TestCustomerListFiltersMatchReference(t *testing.T) {
	db := neo4jtest.DB(t)
	seedListCustomers(t, db, 120)
	s := neo4j.NewCustomerStore(db)
	after := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	before := time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC)
	filters := map[string]cdp.CustomerFilter{
		"country":        {Country: "CN"},
		"city":           {City: "Shanghai"},
		"source":         {Source: "pos"},
		"createdAfter":   {CreatedAfter: &after},
		"createdBefore":  {CreatedBefore: &before},
		"search prefix":  {Search: "wa"},
		"search word":    {Search: "zhang"},
		"search email":   {Search: "p7@example.com"},
		"search phone":   {Search: "+861380000012"},
		"rfmSegment":     {RFMSegment: "At Risk"},
		"churnBands":     {ChurnBands: []string{"high", "critical"}},
		"minChurnRisk":   {MinChurnRisk: float(0.5)},
		"maxChurnRisk":   {MaxChurnRisk: float(0.5)},
		"minClv":         {MinCLV: float(100)},
		"maxClv":         {MaxCLV: float(100.5)},
		"minLoyalty":     {MinLoyalty: float(20)},
		"community":      {Community: "c2"},
		"influential":    {Influential: true},
		"minSentiment":   {MinSentiment: float(0)},
		"maxSentiment":   {MaxSentiment: float(0)},
		"nothing":        {City: "Atlantis"},
		"city + country": {City: "Shanghai", Country: "CN"},
		"city + created": {City: "Beijing", CreatedAfter: &after, CreatedBefore: &before},
		"scores":         {ChurnBands: []string{"low", "high"}, MinChurnRisk: float(0.2), MaxCLV: float(2000), MinLoyalty: float(10)},
		"influencers":    {Influential: true, Community: "c1", MinSentiment: float(-1), MaxSentiment: float(0.5)},
		"everything": {Country: "CN", City: "Shanghai", Source: "crm", CreatedAfter: &after, Search: "m", RFMSegment: "Champions",
			ChurnBands: []string{"low", "high", "critical"}, MinChurnRisk: float(0), MaxChurnRisk: float(1), MinCLV: float(0),
			MaxCLV: float(1e6), MinLoyalty: float(0), Community: "c1", Influential: true, MinSentiment: float(-1), MaxSentiment: float(1)},
	}
	orders := []cdp.CustomerOrder{{Field: cdp.CustomerOrderCreatedAt, Desc: true}, {Field: cdp.CustomerOrderChurnRisk},
		{Field: cdp.CustomerOrderCLV, Desc: true}, {Field: cdp.CustomerOrderFamilyName}, {Field: cdp.CustomerOrderInfluence, Desc: true},
		{Field: cdp.CustomerOrderLoyalty}}
	nonEmpty := 0
	for name, f := range filters {
		for _, o := range orders {
			want := listReference(t, db, f, o)
			if len(want) > 0 {
				nonEmpty++
			}
			if got := listAll(t, s, f, o, 4, want); !slices.Equal(got, want) {
				t.Errorf("%s, %+v: %v, want %v", name, o, got, want)
			}
		}
	}
	if nonEmpty < len(filters)*len(orders)-len(orders)*2 {
		t.Fatalf("only %d of the cases match anyone: the fixture does not exercise the filters", nonEmpty)
	}
}

// Without SkipCount the count arrives even for an empty page; with it the page is the
// same and the count is left out.
func TestCustomerListSkipCount(t *testing.T) {
	db := neo4jtest.DB(t)
	seedListCustomers(t, db, 30)
	s := neo4j.NewCustomerStore(db)
	ctx := context.Background()
	shanghai := cdp.CustomerFilter{City: "Shanghai"}
	o := cdp.CustomerOrder{Field: cdp.CustomerOrderChurnRisk, Desc: true}
	want := listReference(t, db, shanghai, o)
	counted, err := s.FindCustomers(ctx, shanghai, o, cdp.PageArgs{First: 5})
	if err != nil {
		t.Fatal(err)
	}
	skipped, err := s.FindCustomers(ctx, shanghai, o, cdp.PageArgs{First: 5, SkipCount: true})
	if err != nil {
		t.Fatal(err)
	}
	if counted.TotalCount != len(want) || skipped.TotalCount != 0 {
		t.Fatalf("totalCount %d counted, %d skipped; want %d and 0", counted.TotalCount, skipped.TotalCount, len(want))
	}
	if !slices.Equal(skipped.Cursors, counted.Cursors) || skipped.HasNextPage != counted.HasNextPage || len(skipped.Items) != 5 {
		t.Fatalf("skipping the count changed the page: %v %v, want %v %v", skipped.Cursors, skipped.HasNextPage, counted.Cursors, counted.HasNextPage)
	}

	// first: 0 only counts; a filter matching no one still counts (0) and has no page.
	zero, err := s.FindCustomers(ctx, shanghai, o, cdp.PageArgs{First: 0})
	if err != nil || zero.TotalCount != len(want) || len(zero.Items) != 0 || !zero.HasNextPage {
		t.Fatalf("first 0: %+v, %v", zero, err)
	}
	none, err := s.FindCustomers(ctx, cdp.CustomerFilter{City: "Atlantis"}, o, cdp.PageArgs{First: 5})
	if err != nil || none.TotalCount != 0 || len(none.Items) != 0 || none.HasNextPage {
		t.Fatalf("no match: %+v, %v", none, err)
	}
	all, err := s.FindCustomers(ctx, cdp.CustomerFilter{}, o, cdp.PageArgs{First: 5})
	if err != nil || all.TotalCount != 30 {
		t.Fatalf("no filter: totalCount %d, %v; want 30", all.TotalCount, err)
	}
}

// The statement prefix leaves total, c and sortKey in page order; a CALL subquery
// appended per customer (as look-ahead reads append them) keeps that order, and an
// empty page is one row with c = null that still carries the count.
func TestCustomerListPrefixKeepsOrder(t *testing.T) {
	db := neo4jtest.DB(t)
	seedListCustomers(t, db, 40)
	s := neo4j.NewCustomerStore(db)
	ctx := context.Background()
	o := cdp.CustomerOrder{Field: cdp.CustomerOrderChurnRisk, Desc: true}
	all := listReference(t, db, cdp.CustomerFilter{}, o)
	recs, err := db.Read(ctx, "MATCH (c:Customer) WHERE c.churnRisk IS NULL RETURN count(c)", nil)
	if err != nil {
		t.Fatal(err)
	}
	unscored := int(recs[0].Values[0].(int64))
	full, err := s.FindCustomers(ctx, cdp.CustomerFilter{}, o, cdp.PageArgs{First: len(all)})
	if err != nil {
		t.Fatal(err)
	}
	// After the third last scored customer: a page that crosses into the unscored ones.
	i := len(all) - unscored - 3
	if unscored < 8 || i < 0 {
		t.Fatalf("fixture: %d unscored of %d", unscored, len(all))
	}
	after := full.Cursors[i]
	for _, tc := range []struct {
		f    cdp.CustomerFilter
		want []string
	}{
		{cdp.CustomerFilter{}, all[i+1 : i+11]}, // first+1 rows
		{cdp.CustomerFilter{City: "Atlantis"}, nil},
	} {
		cur := after
		if tc.want == nil {
			cur = ""
		}
		prefix, params, err := neo4j.CustomerListQuery(tc.f, o, cdp.PageArgs{First: 9, After: cur})
		if err != nil {
			t.Fatal(err)
		}
		recs, err = db.Read(ctx, prefix+`
CALL (c) {
  OPTIONAL MATCH (c)-[:NOTHING]->(x)
  RETURN count(x) AS n
}
RETURN total, c.id, sortKey, n`, params)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range recs {
			if r.Values[0] == nil {
				t.Fatalf("no total: %v", r.Values)
			}
			if id, ok := r.Values[1].(string); ok {
				got = append(got, id)
			} else if len(recs) != 1 || r.Values[2] != nil || r.Values[0].(int64) != 0 {
				t.Fatalf("a row without a customer: %v of %d", r.Values, len(recs))
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Fatalf("%+v: rows %v, want %v", tc.f, got, tc.want)
		}
	}
}
