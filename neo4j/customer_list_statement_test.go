package neo4j

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

// segmentsOf returns the page's segments (the MATCHes after the count), each as its
// WHERE and ORDER BY text with single spaces.
func segmentsOf(t *testing.T, query string) []string {
	t.Helper()
	parts := strings.Split(query, "MATCH (c:Customer)")
	var out []string
	for _, p := range parts[1:] {
		if strings.Contains(p[:strings.Index(p, "}")], "count(c) AS total") {
			continue
		}
		out = append(out, strings.Join(strings.Fields(p[:strings.Index(p, "LIMIT $limit")]), " "))
	}
	return out
}

// The builder picks fragments by which filters are present, the sort and the kind of
// cursor: a count from the count store without filters and none with SkipCount, the
// (filter, key, id) index order for a city's newest, a segment of customers without the
// key only where some can match and the cursor has not passed them.
func TestCustomerListFragments(t *testing.T) {
	cur := encodeCursor("0.5", "cus_b")
	tcs := []struct {
		name         string
		f            cdp.CustomerFilter
		o            cdp.CustomerOrder
		page         cdp.PageArgs
		has, hasNot  []string
		segments     []string // a fragment each segment has, in order
		noParameters []string
	}{
		{name: "no filter", o: cdp.CustomerOrder{Field: cdp.CustomerOrderCreatedAt},
			has:      []string{"CALL () { MATCH (c:Customer) RETURN count(c) AS total }", "ORDER BY c.createdAt ASC, c.id ASC"},
			hasNot:   []string{"WHERE c.createdAt IS NOT NULL\n    AND c.id IS NOT NULL\n    AND", "IS NULL\n", "$after"},
			segments: []string{"c.createdAt IS NOT NULL"}, noParameters: []string{"city", "search", "influential", "afterKey"}},
		{name: "default order", page: cdp.PageArgs{First: 3},
			segments: []string{"ORDER BY c.createdAt ASC, c.id ASC"}},
		{name: "skip count", o: cdp.CustomerOrder{Field: cdp.CustomerOrderCreatedAt}, page: cdp.PageArgs{SkipCount: true}, f: cdp.CustomerFilter{City: "x"},
			has: []string{"WITH null AS total"}, hasNot: []string{"count("}, segments: []string{"c.city = $city"}},
		{name: "counted filter", f: cdp.CustomerFilter{City: "x", MinCLV: ptr(1.0)}, o: cdp.CustomerOrder{Field: cdp.CustomerOrderRevenue},
			has: []string{"WHERE c.city = $city\n    AND c.clv >= $minClv\n  RETURN count(c) AS total"}},
		{name: "city's newest", f: cdp.CustomerFilter{City: "x"}, o: cdp.CustomerOrder{Field: cdp.CustomerOrderCreatedAt, Desc: true},
			segments: []string{"ORDER BY c.city DESC, c.createdAt DESC, c.id DESC"}},
		{name: "city by score", f: cdp.CustomerFilter{City: "x"}, o: cdp.CustomerOrder{Field: cdp.CustomerOrderChurnRisk, Desc: true},
			hasNot: []string{"ORDER BY c.city"}, segments: []string{"ORDER BY c.churnRisk DESC, c.id DESC", "c.churnRisk IS NULL"}},
		{name: "ascending score: unscored first", o: cdp.CustomerOrder{Field: cdp.CustomerOrderChurnRisk},
			segments: []string{"c.churnRisk IS NULL AND c.id IS NOT NULL", "c.churnRisk IS NOT NULL"}},
		{name: "ascending score after a score", o: cdp.CustomerOrder{Field: cdp.CustomerOrderChurnRisk}, page: cdp.PageArgs{After: cur},
			hasNot:   []string{"IS NULL\n"},
			segments: []string{"c.churnRisk = $afterValue AND c.id > $afterKey", "c.churnRisk > $afterValue AND c.id IS NOT NULL"}},
		{name: "ascending score among the unscored", o: cdp.CustomerOrder{Field: cdp.CustomerOrderChurnRisk}, page: cdp.PageArgs{After: nullCursor("cus_b")},
			segments: []string{"c.churnRisk IS NULL AND c.id > $afterKey", "c.churnRisk IS NOT NULL"}, noParameters: []string{"afterValue"}},
		{name: "descending score after a score", o: cdp.CustomerOrder{Field: cdp.CustomerOrderCLV, Desc: true}, page: cdp.PageArgs{After: cur},
			segments: []string{"c.clv = $afterValue AND c.id < $afterKey", "c.clv < $afterValue", "c.clv IS NULL AND c.id IS NOT NULL RETURN c ORDER BY c.id DESC"}},
		{name: "descending score among the unscored", o: cdp.CustomerOrder{Field: cdp.CustomerOrderCLV, Desc: true}, page: cdp.PageArgs{After: nullCursor("cus_b")},
			segments: []string{"c.clv IS NULL AND c.id < $afterKey"}},
		{name: "a score filter: no unscored", f: cdp.CustomerFilter{MaxChurnRisk: ptr(0.5)}, o: cdp.CustomerOrder{Field: cdp.CustomerOrderChurnRisk},
			segments: []string{"c.churnRisk IS NOT NULL"}},
		{name: "a score filter, ascending, after an unscored customer: all scored ones", f: cdp.CustomerFilter{MaxChurnRisk: ptr(0.5)},
			o: cdp.CustomerOrder{Field: cdp.CustomerOrderChurnRisk}, page: cdp.PageArgs{After: nullCursor("cus_b")},
			segments: []string{"c.churnRisk IS NOT NULL AND c.id IS NOT NULL"}, noParameters: []string{"afterKey", "afterValue"}},
		{name: "a score filter, descending, after an unscored customer: none", f: cdp.CustomerFilter{MaxChurnRisk: ptr(0.5)},
			o: cdp.CustomerOrder{Field: cdp.CustomerOrderChurnRisk, Desc: true}, page: cdp.PageArgs{After: nullCursor("cus_b")},
			has: []string{"WITH total, [] AS page"}, segments: []string{}},
		{name: "influencers: no unscored", f: cdp.CustomerFilter{Influential: true}, o: cdp.CustomerOrder{Field: cdp.CustomerOrderInfluence, Desc: true},
			segments: []string{"c.influenceScore IS NOT NULL"}},
		{name: "influencers by reach", f: cdp.CustomerFilter{Influential: true}, o: cdp.CustomerOrder{Field: cdp.CustomerOrderReach, Desc: true},
			segments: []string{"c.reach2 IS NOT NULL", "c.reach2 IS NULL"}},
		{name: "time cursor", o: cdp.CustomerOrder{Field: cdp.CustomerOrderUpdatedAt, Desc: true},
			page:     cdp.PageArgs{After: timeCursor(time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), "cus_b")},
			segments: []string{"c.updatedAt = $afterValue AND c.id < $afterKey", "c.updatedAt < $afterValue"}},
		{name: "NaN and infinite bounds are no filter", f: cdp.CustomerFilter{MinCLV: ptr(nan()), MaxSentiment: ptr(inf())},
			hasNot: []string{"clv", "sentimentAvg"}, noParameters: []string{"minClv", "maxSentiment"}},
	}
	for _, tc := range tcs {
		q, params, err := customerListStatement(tc.f, tc.o, tc.page)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for _, s := range tc.has {
			if !strings.Contains(q, s) {
				t.Errorf("%s: no %q in\n%s", tc.name, s, q)
			}
		}
		for _, s := range tc.hasNot {
			if strings.Contains(q, s) {
				t.Errorf("%s: %q in\n%s", tc.name, s, q)
			}
		}
		if tc.segments != nil {
			segs := segmentsOf(t, q)
			if len(segs) != len(tc.segments) {
				t.Errorf("%s: %d segments, want %d:\n%s", tc.name, len(segs), len(tc.segments), q)
				continue
			}
			for i, s := range tc.segments {
				if !strings.Contains(segs[i], s) {
					t.Errorf("%s: segment %d has no %q:\n%s", tc.name, i, s, segs[i])
				}
			}
		}
		for _, name := range tc.noParameters {
			if _, ok := params[name]; ok {
				t.Errorf("%s: parameter %s is set", tc.name, name)
			}
		}
		if params["limit"] != int64(tc.page.First+1) {
			t.Errorf("%s: limit %v", tc.name, params["limit"])
		}
	}
}

// No caller value appears in the statement text, however it is spelled: every filter,
// the sort value and key of a cursor become parameters.
func TestCustomerListStatementHasNoCallerText(t *testing.T) {
	const m = "\u2603"
	at := time.Date(2031, 7, 9, 1, 2, 3, 4, time.UTC)
	v := 12.345
	f := cdp.CustomerFilter{Search: m + "wang') OR 1=1 //", Country: m + "CN", City: m + "`Shang`hai", Source: m + "$source",
		CreatedAfter: &at, CreatedBefore: &at, RFMSegment: m + "Champions", ChurnBands: []string{m + "high"},
		MinChurnRisk: &v, MaxChurnRisk: &v, MinCLV: &v, MaxCLV: &v, MinLoyalty: &v, Community: m + "c1", Influential: true,
		MinSentiment: &v, MaxSentiment: &v}
	for field, key := range customerSorts {
		for _, desc := range []bool{false, true} {
			afters := []string{encodeCursor(m+"value", m+"key"), nullCursor(m + "key")}
			switch key.kind {
			case sortTime:
				afters = []string{timeCursor(at, m+"key")}
			case sortNumber:
				afters[0] = encodeCursor("12.345", m+"key")
			}
			for _, after := range append(afters, "") {
				q, params, err := customerListStatement(f, cdp.CustomerOrder{Field: field, Desc: desc}, cdp.PageArgs{First: 7, After: after})
				if err != nil {
					t.Fatalf("%s: %v", field, err)
				}
				for _, bad := range []string{m, "12.345", "2031", "wang", "Shang", "Champions"} {
					if strings.Contains(q, bad) {
						t.Fatalf("%s desc=%v: %q in the statement:\n%s", field, desc, bad, q)
					}
				}
				if k, ok := params["afterKey"].(string); after != "" && ok && !strings.HasPrefix(k, m) {
					t.Fatalf("%s: cursor key %v", field, params["afterKey"])
				}
			}
		}
	}
	// Unknown sorts and cursors of the wrong kind are invalid input, not statement text.
	for _, tc := range []struct {
		o     cdp.CustomerOrder
		after string
		field string
	}{
		{cdp.CustomerOrder{Field: "c.id) DETACH DELETE c //"}, "", "orderBy"},
		{cdp.CustomerOrder{Field: cdp.CustomerOrderCreatedAt}, nullCursor("cus_a"), "after"},
		{cdp.CustomerOrder{Field: cdp.CustomerOrderCreatedAt}, encodeCursor("yesterday", "cus_a"), "after"},
		{cdp.CustomerOrder{Field: cdp.CustomerOrderCLV}, encodeCursor("lots", "cus_a"), "after"},
		{cdp.CustomerOrder{Field: cdp.CustomerOrderCLV, Desc: true}, "garbage", "after"},
	} {
		_, _, err := customerListStatement(cdp.CustomerFilter{}, tc.o, cdp.PageArgs{After: tc.after})
		var e *cdp.Error
		if !errors.As(err, &e) || e.Code != cdp.EINVALID || e.Field != tc.field {
			t.Errorf("%+v after %q: %v, want invalid %s", tc.o, tc.after, err, tc.field)
		}
	}
}

func ptr[T any](v T) *T { return &v }
func nan() float64      { return math.NaN() }
func inf() float64      { return math.Inf(1) }
