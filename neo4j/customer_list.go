package neo4j

import (
	"strconv"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

// A customer listing is one statement assembled from the constant fragments below: a
// predicate for each filter that is present (its value a parameter), and a keyset page
// that Neo4j can read from a (sort key, id) index in order and stop after $limit rows.
// Caller input only chooses fragments; it never becomes statement text.
//
// Order: by the sort key, then the customer id, in the requested direction. A customer
// without the key (unscored, no family name) sorts below every value: first ascending,
// last descending. The page is read in segments, each an index range in order:
//
//	ascending:  [no key, by id] then [key, id]
//	descending: [key, id] then [no key, by id]
//
// and a cursor (v, k) splits its segment into [key = v, id after k] and [key after v],
// so no segment has to read the ties before the cursor. A segment runs only while the
// ones before it have not filled the page.

// customerSort is a sort order's key.
type customerSort struct {
	prop string // property name: a constant, chosen by the sort field
	kind sortKind
	// alwaysSet: every customer has the property (resolve.go creates customers with
	// createdAt and updatedAt; nothing removes them), so there is no segment without it.
	alwaysSet bool
}

type sortKind int

const (
	sortTime sortKind = iota
	sortString
	sortNumber
)

// customerSorts are the sort orders. Each property has a (property, id) index
// (schema.go), whose order is the page's order.
var customerSorts = map[cdp.CustomerOrderField]customerSort{
	cdp.CustomerOrderCreatedAt:  {"createdAt", sortTime, true},
	cdp.CustomerOrderUpdatedAt:  {"updatedAt", sortTime, true},
	cdp.CustomerOrderFamilyName: {"familyName", sortString, false},
	cdp.CustomerOrderChurnRisk:  {"churnRisk", sortNumber, false},
	cdp.CustomerOrderCLV:        {"clv", sortNumber, false},
	cdp.CustomerOrderPAlive:     {"pAlive", sortNumber, false},
	cdp.CustomerOrderLoyalty:    {"loyalty", sortNumber, false},
	cdp.CustomerOrderRevenue:    {"revenue", sortNumber, false},
	cdp.CustomerOrderInfluence:  {"influenceScore", sortNumber, false},
	cdp.CustomerOrderReach:      {"reach2", sortNumber, false},
	cdp.CustomerOrderDriven:     {"downstreamRevenue", sortNumber, false},
	// Kept by resolution (quality.go); customers of one record have none.
	cdp.CustomerOrderClusterDoubt: {"clusterDoubt", sortNumber, false},
}

// sortPrefixes: an equality filter on one of these properties, with this sort, is the
// first column of a (filter, sort key, id) index (schema.go). Naming it first in ORDER BY
// (it is constant within the result) lets Neo4j read the page from that index in order.
var sortPrefixes = map[string][]string{
	"createdAt": {"city"},
}

// customerWhere is the predicates and parameters of the filters that are present.
type customerWhere struct {
	// match binds c: every customer, or a saved segment's members, so that a segment
	// filter starts from the segment (an index seek) instead of scanning customers.
	match  string
	preds  []string
	params map[string]any
	eq     map[string]bool // properties filtered by equality
	set    map[string]bool // properties a present filter requires to be set
}

func (w *customerWhere) add(pred, param string, value any, prop string) {
	w.preds = append(w.preds, pred)
	w.params[param] = value
	if prop != "" {
		w.set[prop] = true
	}
}

func customerFilterWhere(f cdp.CustomerFilter) *customerWhere {
	w := &customerWhere{match: "MATCH (c:Customer)", params: map[string]any{}, eq: map[string]bool{}, set: map[string]bool{}}
	if f.Segment != "" {
		w.match = "MATCH (:Segment {id: $segment})<-[:IN_SEGMENT]-(c:Customer)"
		w.params["segment"] = f.Segment
	}
	eq := func(prop, value string) {
		if value != "" {
			w.add("c."+prop+" = $"+prop, prop, value, prop)
			w.eq[prop] = true
		}
	}
	eq("country", f.Country)
	eq("city", f.City)
	if f.Source != "" {
		w.add("$source IN c.sources", "source", f.Source, "sources")
	}
	if f.CreatedAfter != nil {
		w.add("c.createdAt >= $createdAfter", "createdAfter", f.CreatedAfter.UTC(), "createdAt")
	}
	if f.CreatedBefore != nil {
		w.add("c.createdAt < $createdBefore", "createdBefore", f.CreatedBefore.UTC(), "createdAt")
	}
	if s := strings.ToLower(strings.TrimSpace(f.Search)); s != "" {
		// A name word's prefix is a prefix of the name or follows a space; each alternative
		// can use its own index (text, email, phone).
		w.add("(c.searchName STARTS WITH $search OR c.searchName CONTAINS $searchWord OR c.email = $search OR c.phone = $search)",
			"search", s, "")
		w.params["searchWord"] = " " + s
	}
	eq("rfmSegment", f.RFMSegment)
	if len(f.ChurnBands) > 0 {
		w.add("c.churnBand IN $churnBands", "churnBands", toAny(f.ChurnBands), "churnBand")
	}
	score := func(prop string, v *int) { // rfmR and rfmF lead the (rfmR, rfmF) index
		if v != nil {
			w.add("c."+prop+" = $"+prop, prop, int64(*v), prop)
			w.eq[prop] = true
		}
	}
	score("rfmR", f.RFMR)
	score("rfmF", f.RFMF)
	bound := func(prop, op, param string, v *float64) {
		if x := floatOrNil(v); x != nil {
			w.add("c."+prop+" "+op+" $"+param, param, x, prop)
		}
	}
	bound("churnRisk", ">=", "minChurnRisk", f.MinChurnRisk)
	bound("churnRisk", "<=", "maxChurnRisk", f.MaxChurnRisk)
	bound("clv", ">=", "minClv", f.MinCLV)
	bound("clv", "<=", "maxClv", f.MaxCLV)
	bound("loyalty", ">=", "minLoyalty", f.MinLoyalty)
	eq("community", f.Community)
	if f.Influential {
		w.preds = append(w.preds, "c.influenceScore IS NOT NULL")
		w.set["influenceScore"] = true
	}
	bound("sentimentAvg", ">=", "minSentiment", f.MinSentiment)
	bound("sentimentAvg", "<=", "maxSentiment", f.MaxSentiment)
	return w
}

// listSegment is one index range of the page, in order.
type listSegment struct {
	preds   []string
	orderBy string
}

// customerListQuery builds the statement prefix of one page of a customer listing. The
// prefix binds exactly `total` (the number of matching customers; null when page.SkipCount),
// `c` (a customer node) and `sortKey` (c's sort value, null if it has none), in page
// order: at most page.First+1 rows, or one row with c = null when the page is empty, so
// that total still arrives. The rows come from one UNWIND of an ordered list; clauses
// appended to the prefix must keep one row per row and their order (a CALL (c) {...} that
// aggregates, or an OPTIONAL CALL, does; ORDER BY, DISTINCT or aggregation across rows
// does not) and must allow c = null. The prefix ends without a newline; FindCustomersWith
// appends its CALL (c) {...} reads and `RETURN total, properties(c) AS c, sortKey, ...`.
func customerListQuery(f cdp.CustomerFilter, order cdp.CustomerOrder, page cdp.PageArgs) (string, map[string]any, error) {
	if order.Field == "" {
		order.Field = cdp.CustomerOrderCreatedAt
	}
	key, ok := customerSorts[order.Field]
	if !ok {
		return "", nil, &cdp.Error{Code: cdp.EINVALID, Field: "orderBy", Message: "unknown sort field " + string(order.Field)}
	}
	if err := f.Validate(); err != nil {
		return "", nil, err
	}
	after, err := decodeCursor(page.After)
	if err != nil {
		return "", nil, err
	}
	w := customerFilterWhere(f)
	params := w.params
	params["limit"] = int64(page.First + 1)

	dir, cmp := "ASC", ">"
	if order.Desc {
		dir, cmp = "DESC", "<"
	}
	k := "c." + key.prop
	sortBy := k + " " + dir + ", c.id " + dir
	for _, p := range sortPrefixes[key.prop] {
		if w.eq[p] {
			sortBy = "c." + p + " " + dir + ", " + sortBy
			break
		}
	}
	// The customers without the key, if any can match.
	var unset []listSegment
	if !key.alwaysSet && !w.set[key.prop] {
		unset = []listSegment{{preds: []string{k + " IS NULL", "c.id IS NOT NULL"}, orderBy: "c.id " + dir}}
	}
	set := []listSegment{{preds: []string{k + " IS NOT NULL", "c.id IS NOT NULL"}, orderBy: sortBy}}
	switch {
	case after == nil:
	case after.Null:
		// A position among the customers without the key: from this listing, or from the
		// same sort unfiltered, where it lies before (ascending) or after (descending)
		// every customer a key filter leaves.
		if key.alwaysSet {
			return "", nil, cursorMismatch()
		}
		if unset != nil {
			params["afterKey"] = after.Key
			unset[0].preds[1] = "c.id " + cmp + " $afterKey"
		}
		if order.Desc {
			set = nil // passed
		}
	default:
		v, err := cursorValue(after.Value, key.kind)
		if err != nil {
			return "", nil, err
		}
		params["afterKey"], params["afterValue"] = after.Key, v
		set = []listSegment{
			{preds: []string{k + " = $afterValue", "c.id " + cmp + " $afterKey"}, orderBy: sortBy},
			{preds: []string{k + " " + cmp + " $afterValue", "c.id IS NOT NULL"}, orderBy: sortBy},
		}
		if !order.Desc {
			unset = nil // passed
		}
	}
	var segments []listSegment
	if order.Desc {
		segments = append(set, unset...)
	} else {
		segments = append(unset, set...)
	}

	var b strings.Builder
	if page.SkipCount {
		b.WriteString("WITH null AS total\n")
	} else if len(w.preds) == 0 {
		b.WriteString("CALL () { " + w.match + " RETURN count(c) AS total }\n")
	} else {
		b.WriteString("CALL () {\n  " + w.match + "\n  WHERE " + strings.Join(w.preds, "\n    AND ") + "\n  RETURN count(c) AS total\n}\n")
	}
	var lists []string
	for i, s := range segments {
		name := "s" + strconv.Itoa(i)
		match := w.match + "\n  WHERE " + strings.Join(append(s.preds, w.preds...), "\n    AND ")
		if i == 0 {
			b.WriteString("CALL () {\n  " + match + "\n  WITH c ORDER BY " + s.orderBy + " LIMIT $limit\n  RETURN collect(c) AS " + name + "\n}\n")
		} else {
			// The guard sits before an inner CALL so that Neo4j evaluates it first (in the
			// same subquery it would filter after the index read), and the outer collect
			// keeps a row, [] when the page is already full.
			in := strings.Join(lists, ", ")
			b.WriteString("CALL (" + in + ") {\n  WITH " + in + " WHERE size(" + strings.Join(lists, " + ") + ") < $limit\n")
			b.WriteString("  CALL (" + in + ") {\n    " + strings.ReplaceAll(match, "\n", "\n  ") + "\n    RETURN c ORDER BY " + s.orderBy + " LIMIT $limit\n  }\n")
			b.WriteString("  RETURN collect(c) AS " + name + "\n}\n")
		}
		lists = append(lists, name)
	}
	if len(lists) == 0 { // the cursor is past every customer that can match
		lists = []string{"[]"}
	}
	b.WriteString("WITH total, " + strings.Join(lists, " + ") + " AS page\n")
	b.WriteString("UNWIND CASE WHEN size(page) = 0 THEN [null] ELSE page[0..$limit] END AS c\n")
	b.WriteString("WITH total, c, " + k + " AS sortKey")
	return b.String(), params, nil
}

func cursorMismatch() error {
	return &cdp.Error{Code: cdp.EINVALID, Field: "after", Message: "cursor does not match the sort order"}
}

// cursorValue is a cursor's sort value as the sort key's type.
func cursorValue(s string, kind sortKind) (any, error) {
	switch kind {
	case sortTime:
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, cursorMismatch()
		}
		return t, nil
	case sortNumber:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, cursorMismatch()
		}
		return v, nil
	}
	return s, nil
}

// customerCursor is the cursor of a listed customer, from its sort value.
func customerCursor(sortKey any, id string) string {
	switch v := sortKey.(type) {
	case time.Time:
		return timeCursor(v, id)
	case string:
		return encodeCursor(v, id)
	case float64:
		return encodeCursor(strconv.FormatFloat(v, 'g', -1, 64), id)
	case int64:
		return encodeCursor(strconv.FormatInt(v, 10), id)
	}
	return nullCursor(id)
}
