package neo4j

import (
	"errors"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	cdp "github.com/cdpgraph/cdpgraph"
)

// filterMarker starts and ends every fuzzed text of a filter. The statements are ASCII
// constants, so a marker in one could only have come from caller input.
const filterMarker = "\u2603"

var statementParam = regexp.MustCompile(`\$(\w+)`)

// FuzzCustomerListStatement builds customer filters, sort orders and cursors from fuzzed
// values and checks that customerListStatement never panics, that input never becomes
// statement text (the statement is the one built for the same filters, sort and kind of
// cursor with other values: values only choose which fragments are present), that every
// parameter the statement uses has a value of a type the driver sends and none is left
// over, that values pass through as documented, and that a cursor is either rejected as
// invalid input or yields a key and a sort value of the sort's type.
func FuzzCustomerListStatement(f *testing.F) {
	now := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC).Format(time.RFC3339Nano)
	f.Add("Wang", "CN", "Shanghai", "crm", "Champions", "c1", "high", "createdAt", false, uint8(20), uint8(1), now, "cust-1", 0.5, 100.0, int64(1735689600), false)
	f.Add("", "", "", "", "", "", "", "clv", true, uint8(0), uint8(1), "1234.5", "cust-2", math.NaN(), math.Inf(1), int64(0), true)
	f.Add("ann@example.com", "GB", "London", "web", "", "", "", "familyName", false, uint8(100), uint8(1), "Lee", "c", -1.0, 0.0, int64(-1), false)
	f.Add("' OR 1=1 //", "}) MATCH (n) DETACH DELETE n //", "$search", "`", "\\u0027", "c.id", "LOW", "churnRisk", true, uint8(5), uint8(1), "NaN", "x", 1e308, math.Copysign(0, -1), int64(253402300799), true)
	f.Add(" 王 ", "cn", "上海", "wechat", "At Risk", "", "critical", "c.createdAt DESC //", false, uint8(7), uint8(2), "", "", 0.1, 0.9, int64(1), false)
	f.Add("x", "", "", "", "", "", "", "updatedAt", true, uint8(1), uint8(0), "not base64!", "", 0.0, 0.0, int64(0), false)
	f.Fuzz(func(t *testing.T, search, country, city, source, rfm, community, band, field string, desc bool, first, afterMode uint8,
		value, key string, lo, hi float64, created int64, influential bool) {
		mark := func(s string) string {
			if s == "" {
				return ""
			}
			return filterMarker + s + filterMarker
		}
		flt := cdp.CustomerFilter{
			Search: mark(search), Country: mark(country), City: mark(city), Source: mark(source),
			RFMSegment: mark(rfm), Community: mark(community), Influential: influential,
			MinChurnRisk: &lo, MaxChurnRisk: &hi, MinCLV: &lo, MaxCLV: &hi, MinLoyalty: &lo, MinSentiment: &lo, MaxSentiment: &hi,
		}
		if band != "" {
			flt.ChurnBands = []string{mark(band), "high"}
		}
		if created != 0 {
			at := time.Unix(created%(1<<36), 0).In(time.FixedZone("", 8*3600))
			flt.CreatedAfter, flt.CreatedBefore = &at, &at
		}
		order := cdp.CustomerOrder{Field: cdp.CustomerOrderField(field), Desc: desc}
		page := cdp.PageArgs{First: int(first) % 101} // the resolvers allow 0..100
		switch afterMode % 4 {
		case 1:
			page.After = encodeCursor(value, key)
		case 2:
			page.After = value
		case 3:
			page.After = nullCursor(key)
		}

		query, params, err := customerListStatement(flt, order, page)
		if order.Field == "" {
			order.Field = cdp.CustomerOrderCreatedAt
		}
		sortKey, known := customerSorts[order.Field]
		if err != nil {
			var e *cdp.Error
			if !errors.As(err, &e) || e.Code != cdp.EINVALID || e.Message == "" {
				t.Fatalf("error %v, want invalid input", err)
			}
			switch {
			case !known && e.Field != "orderBy":
				t.Fatalf("unknown sort %q: error names %q, want orderBy", field, e.Field)
			case known && e.Field != "after":
				t.Fatalf("error names %q, want after (cursor %q)", e.Field, page.After)
			case known && page.After == "":
				t.Fatalf("no cursor, yet error %v", err)
			}
			return
		}
		if !known {
			t.Fatalf("unknown sort field %q accepted", field)
		}
		if same, _, err := customerListStatement(sameShape(flt), order, sameShapePage(page)); err != nil || same != query {
			t.Fatalf("the statement depends on filter values, not only on which are present (%v):\n%s\n--- other values:\n%s", err, query, same)
		}
		if strings.Contains(query, filterMarker) {
			t.Fatalf("caller input reached the statement text:\n%s", query)
		}

		refs := map[string]bool{}
		for _, m := range statementParam.FindAllStringSubmatch(query, -1) {
			refs[m[1]] = true
			if _, ok := params[m[1]]; !ok {
				t.Fatalf("$%s has no value", m[1])
			}
		}
		for name, v := range params {
			if !refs[name] {
				t.Fatalf("parameter %s is not used by the statement", name)
			}
			switch x := v.(type) {
			case nil, string, bool, int64, time.Time:
			case float64:
				// A hand-made cursor may carry "NaN" or "Inf" (strconv reads them); it then
				// matches nothing or everything, which is harmless. Filter bounds are finite.
				if name != "afterValue" && (math.IsNaN(x) || math.IsInf(x, 0)) {
					t.Fatalf("parameter %s = %v: not a finite number", name, x)
				}
			case []any:
				for _, e := range x {
					if _, ok := e.(string); !ok {
						t.Fatalf("parameter %s holds %T", name, e)
					}
				}
			default:
				t.Fatalf("parameter %s has type %T", name, v)
			}
		}

		// Values pass through unchanged, or as documented; an absent filter has no parameter.
		trimmed := strings.ToLower(strings.TrimSpace(flt.Search))
		want := map[string]any{
			"country": nullableString(flt.Country), "city": nullableString(flt.City), "source": nullableString(flt.Source),
			"rfmSegment": nullableString(flt.RFMSegment), "community": nullableString(flt.Community),
			"search": nullableString(trimmed), "limit": int64(page.First + 1),
		}
		if trimmed != "" {
			want["searchWord"] = " " + trimmed
		}
		for _, name := range []string{"minChurnRisk", "minClv", "minLoyalty", "minSentiment"} {
			want[name] = finiteOrNil(lo)
		}
		for name, w := range want {
			if params[name] != w {
				t.Fatalf("parameter %s = %#v, want %#v", name, params[name], w)
			}
		}
		if got := strings.Contains(query, "c.influenceScore IS NOT NULL"); influential && !got {
			t.Fatalf("influential, yet no influence predicate:\n%s", query)
		}
		if bands, _ := params["churnBands"].([]any); len(bands) != len(flt.ChurnBands) ||
			(len(bands) > 0 && bands[0] != flt.ChurnBands[0]) {
			t.Fatalf("churnBands = %#v, want %#v", params["churnBands"], flt.ChurnBands)
		}
		if flt.CreatedAfter != nil {
			if at, ok := params["createdAfter"].(time.Time); !ok || !at.Equal(*flt.CreatedAfter) || at.Location() != time.UTC {
				t.Fatalf("createdAfter = %#v, want %v in UTC", params["createdAfter"], *flt.CreatedAfter)
			}
		}

		// A cursor yields its key and a sort value of the sort's type (none at a customer
		// without one).
		if page.After == "" {
			if params["afterKey"] != nil || params["afterValue"] != nil {
				t.Fatalf("no cursor, yet afterKey %#v afterValue %#v", params["afterKey"], params["afterValue"])
			}
			return
		}
		k, ok := params["afterKey"].(string)
		if afterMode%4 == 3 {
			// Among the customers without the key; with a filter on the key there are none,
			// and the cursor only says whether the page starts before or after the rest.
			if _, ok := params["afterValue"]; ok || sortKey.alwaysSet {
				t.Fatalf("cursor without a sort value: afterValue %#v for %s", params["afterValue"], order.Field)
			}
			if params["afterKey"] != nil && (!ok || utf8.ValidString(key) && k != key) {
				t.Fatalf("cursor key %q came back as %#v", key, params["afterKey"])
			}
			return
		}
		if !ok || k == "" {
			t.Fatalf("cursor %q accepted without a key: %#v", page.After, params["afterKey"])
		}
		if afterMode%4 == 1 && utf8.ValidString(key) && k != key { // JSON replaces invalid UTF-8
			t.Fatalf("cursor key %q came back as %q", key, k)
		}
		switch v := params["afterValue"]; order.Field {
		case cdp.CustomerOrderFamilyName:
			if _, ok := v.(string); !ok {
				t.Fatalf("family name cursor value %#v", v)
			}
		case cdp.CustomerOrderCreatedAt, cdp.CustomerOrderUpdatedAt:
			if _, ok := v.(time.Time); !ok {
				t.Fatalf("time cursor value %#v", v)
			}
		default:
			if _, ok := v.(float64); !ok {
				t.Fatalf("score cursor value %#v", v)
			}
		}
		if slices.Contains([]cdp.CustomerOrderField{cdp.CustomerOrderCLV, cdp.CustomerOrderLoyalty}, order.Field) && afterMode%4 == 1 {
			if n, err := strconv.ParseFloat(value, 64); err == nil && !math.IsNaN(n) && params["afterValue"] != n {
				t.Fatalf("cursor value %q came back as %#v", value, params["afterValue"])
			}
		}
	})
}

// sameShape is f with every present value replaced by another one: the statement must not change.
func sameShape(f cdp.CustomerFilter) cdp.CustomerFilter {
	str := func(s string) string {
		if s == "" {
			return ""
		}
		return "x"
	}
	num := func(v *float64) *float64 {
		if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
			return v
		}
		x := 0.25
		return &x
	}
	at := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		x := time.Date(2001, 2, 3, 4, 5, 6, 7, time.UTC)
		return &x
	}
	out := cdp.CustomerFilter{Country: str(f.Country), City: str(f.City), Source: str(f.Source),
		RFMSegment: str(f.RFMSegment), Community: str(f.Community), Influential: f.Influential,
		CreatedAfter: at(f.CreatedAfter), CreatedBefore: at(f.CreatedBefore),
		MinChurnRisk: num(f.MinChurnRisk), MaxChurnRisk: num(f.MaxChurnRisk), MinCLV: num(f.MinCLV), MaxCLV: num(f.MaxCLV),
		MinLoyalty: num(f.MinLoyalty), MinSentiment: num(f.MinSentiment), MaxSentiment: num(f.MaxSentiment)}
	if strings.TrimSpace(f.Search) != "" {
		out.Search = "y"
	}
	for range f.ChurnBands {
		out.ChurnBands = append(out.ChurnBands, "z")
	}
	return out
}

// sameShapePage is p with another first and another cursor of the same kind.
func sameShapePage(p cdp.PageArgs) cdp.PageArgs {
	out := cdp.PageArgs{First: (p.First + 7) % 101, SkipCount: p.SkipCount}
	if c, err := decodeCursor(p.After); err == nil && c != nil {
		out.After = nullCursor("other")
		if !c.Null {
			out.After = encodeCursor(c.Value, "other")
		}
	}
	return out
}

func nullableString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func finiteOrNil(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return f
}
