package compare

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A workload is one kind of request, asked of each system in its own language: a GraphQL
// document for cdpgraph and one for @neo4j/graphql, an HTTP query for the raw baseline,
// and for each a reading of the answer into the normalized form the truth is written in.
type workload struct {
	name, title string
	cdp, ngql   string                                  // GraphQL documents
	vars        func(kind, param string) map[string]any // GraphQL variables of a request
	rawQuery    func(param string) url.Values           // the raw baseline's query string
	norm        map[string]func(d any) (string, error)  // by system kind: the answer ("data", or the raw rows document) normalized
}

// The three kinds of system.
const (
	kindCDP  = "cdp"
	kindNGQL = "ngql"
	kindRaw  = "raw"
)

// kindLabel is how the report names each kind.
var kindLabel = map[string]string{kindCDP: "cdpgraph", kindNGQL: "@neo4j/graphql", kindRaw: "raw driver"}

// workloads are W1–W4 exactly as the side-by-side harness behind issue 15 defines them,
// and W5–W7: what frontends, partners and analysts' tools send besides.
var workloads = []*workload{w1, w2, w3, w4, w5, w6, w7}

func workloadByName(name string) (*workload, error) {
	for _, w := range workloads {
		if w.name == name {
			return w, nil
		}
	}
	return nil, fmt.Errorf("unknown workload %q (have w1–w%d)", name, len(workloads))
}

// noVars is the variables of a workload without parameters.
func noVars(string, string) map[string]any { return map[string]any{} }
func noQuery(string) url.Values            { return nil }

// W1: a customer 360. In cdpgraph consentHistory, not consents (the decision in force per
// purpose, derived in Go), so that all three return the same rows; identifiers and
// consentHistory ask for up to 100 (their defaults are 20).
var w1 = &workload{
	name: "w1", title: "customer 360: profile, identifiers, 10 newest orders with lines and products, 20 events, 10 feedback, consent history",
	cdp: `query W1($id: ID!) { customer(id: $id) { customerId
  profile { givenName familyName fullName email phone birthDate gender addressLine1 addressLine2 city region postcode country }
  createdAt updatedAt
  identifiers(first: 100) { type value }
  orders(first: 10) { totalCount nodes { source sourceId orderedAt status channel storeId total { amount currency }
    items { quantity unitPrice { amount currency } lineTotal { amount currency } product { sku name category } } } }
  events(first: 20) { nodes { source sourceId type occurredAt channel sku query url sessionId } }
  feedback(first: 10) { nodes { source sourceId kind createdAt channel rating text status sku } }
  consentHistory(first: 100) { purpose granted occurredAt source sourceId } } }`,
	ngql: `query W1($id: ID!) { customers(where: {id: {eq: $id}}) { id
  givenName familyName fullName email phone birthDate gender addressLine1 addressLine2 city region postcode country
  createdAt updatedAt
  orderCount
  records { identifiers { type value } consents { purpose granted occurredAt source sourceId } }
  recentOrders(limit: 10) { source sourceId orderedAt status channel storeId total currency
    productsConnection(sort: [{edge: {line: ASC}}]) { edges { properties { line quantity unitPrice lineTotal } node { sku name category } } } }
  recentEvents(limit: 20) { source sourceId type occurredAt channel sku query url sessionId }
  recentFeedback(limit: 10) { source sourceId kind createdAt channel rating text status sku } } }`,
	vars:     func(_, p string) map[string]any { return map[string]any{"id": p} },
	rawQuery: func(p string) url.Values { return url.Values{"id": {p}} },
	norm: map[string]func(any) (string, error){
		kindCDP: func(d any) (string, error) {
			c := get(d, "customer")
			if c == nil {
				return "", fmt.Errorf("customer not found")
			}
			var top []string
			for _, o := range arr(get(c, "orders", "nodes")) {
				top = append(top, fmt.Sprintf("%s:%s#%d", str(get(o, "source")), str(get(o, "sourceId")), len(arr(get(o, "items")))))
			}
			return w1Norm(distinctIdents(arr(get(c, "identifiers"))), num(get(c, "orders", "totalCount")), top,
				len(arr(get(c, "events", "nodes"))), len(arr(get(c, "feedback", "nodes"))), len(arr(get(c, "consentHistory")))), nil
		},
		kindNGQL: func(d any) (string, error) {
			c, err := one(arr(get(d, "customers")))
			if err != nil {
				return "", err
			}
			var idents [][]any
			consents := 0
			for _, r := range arr(get(c, "records")) {
				idents = append(idents, arr(get(r, "identifiers")))
				consents += len(arr(get(r, "consents")))
			}
			var top []string
			for _, o := range arr(get(c, "recentOrders")) {
				top = append(top, fmt.Sprintf("%s:%s#%d", str(get(o, "source")), str(get(o, "sourceId")), len(arr(get(o, "productsConnection", "edges")))))
			}
			return w1Norm(distinctIdents(idents...), num(get(c, "orderCount")), top,
				len(arr(get(c, "recentEvents"))), len(arr(get(c, "recentFeedback"))), consents), nil
		},
		kindRaw: func(d any) (string, error) {
			r, err := one(arr(get(d, "rows")))
			if err != nil {
				return "", err
			}
			var top []string
			for _, o := range arr(get(r, "orders")) {
				top = append(top, fmt.Sprintf("%s:%s#%d", str(get(o, "source")), str(get(o, "sourceId")), len(arr(get(o, "items")))))
			}
			return w1Norm(distinctIdents(arr(get(r, "identifiers"))), num(get(r, "orderCount")), top,
				len(arr(get(r, "events"))), len(arr(get(r, "feedback"))), len(arr(get(r, "consents")))), nil
		},
	},
}

// W2: the first 50 customers by createdAt, then id (the demo has only ~16 distinct
// createdAt values), ascending so that customers created meanwhile do not change the page.
var w2 = &workload{
	name: "w2", title: "first 50 customers by createdAt (then id), with identifiers and order count",
	cdp: `query W2 { customers(first: 50, orderBy: {field: CREATED_AT, direction: ASC}) {
  nodes { customerId profile { fullName city } identifiers { type value } orders(first: 0) { totalCount } } } }`,
	ngql: `query W2 { customers(sort: [{createdAt: ASC}, {id: ASC}], limit: 50) {
  id fullName city records { identifiers { type value } ordersConnection { totalCount } } } }`,
	vars: noVars, rawQuery: noQuery,
	norm: map[string]func(any) (string, error){
		kindCDP: func(d any) (string, error) {
			var rows []string
			for _, c := range arr(get(d, "customers", "nodes")) {
				rows = append(rows, fmt.Sprintf("%s|%d|%d", str(get(c, "customerId")), distinctIdents(arr(get(c, "identifiers"))), num(get(c, "orders", "totalCount"))))
			}
			return strings.Join(rows, ";"), nil
		},
		kindNGQL: func(d any) (string, error) {
			var rows []string
			for _, c := range arr(get(d, "customers")) {
				var idents [][]any
				orders := 0
				for _, r := range arr(get(c, "records")) {
					idents = append(idents, arr(get(r, "identifiers")))
					orders += num(get(r, "ordersConnection", "totalCount"))
				}
				rows = append(rows, fmt.Sprintf("%s|%d|%d", str(get(c, "id")), distinctIdents(idents...), orders))
			}
			return strings.Join(rows, ";"), nil
		},
		kindRaw: func(d any) (string, error) {
			var rows []string
			for _, r := range arr(get(d, "rows")) {
				rows = append(rows, fmt.Sprintf("%s|%d|%d", str(get(r, "id")), distinctIdents(arr(get(r, "identifiers"))), num(get(r, "orderCount"))))
			}
			return strings.Join(rows, ";"), nil
		},
	},
}

// W3: the customers of one city: how many, and the newest 20.
var w3 = &workload{
	name: "w3", title: "customers in one city: totalCount and the newest 20",
	cdp: `query W3($city: String!) { customers(filter: {city: $city}, first: 20, orderBy: {field: CREATED_AT, direction: DESC}) {
  totalCount nodes { customerId profile { fullName city } } } }`,
	ngql: `query W3($city: String!) { customersConnection(where: {city: {eq: $city}}, first: 20, sort: [{createdAt: DESC}, {id: DESC}]) {
  totalCount edges { node { id fullName city } } } }`,
	vars:     func(_, p string) map[string]any { return map[string]any{"city": p} },
	rawQuery: func(p string) url.Values { return url.Values{"city": {p}} },
	norm: map[string]func(any) (string, error){
		kindCDP: func(d any) (string, error) {
			var ids []string
			for _, c := range arr(get(d, "customers", "nodes")) {
				ids = append(ids, str(get(c, "customerId")))
			}
			return w3Norm(num(get(d, "customers", "totalCount")), ids), nil
		},
		kindNGQL: func(d any) (string, error) {
			var ids []string
			for _, e := range arr(get(d, "customersConnection", "edges")) {
				ids = append(ids, str(get(e, "node", "id")))
			}
			return w3Norm(num(get(d, "customersConnection", "totalCount")), ids), nil
		},
		kindRaw: func(d any) (string, error) {
			r, err := one(arr(get(d, "rows")))
			if err != nil {
				return "", err
			}
			var ids []string
			for _, c := range arr(get(r, "nodes")) {
				ids = append(ids, str(get(c, "id")))
			}
			return w3Norm(num(get(r, "total")), ids), nil
		},
	},
}

// W4: an aggregate, scored customers and revenue per churn band (cdpgraph's
// churnRiskDistribution; in the others the same one-line aggregation).
var w4 = &workload{
	name: "w4", title: "scored customers and revenue per churn band",
	cdp:  `query W4 { churnRiskDistribution { label low high customers revenue } }`,
	ngql: `query W4 { churnBands { band customers revenue } }`,
	vars: noVars, rawQuery: noQuery,
	norm: map[string]func(any) (string, error){
		kindCDP:  func(d any) (string, error) { return bandsNorm(arr(get(d, "churnRiskDistribution")), "label"), nil },
		kindNGQL: func(d any) (string, error) { return bandsNorm(arr(get(d, "churnBands")), "band"), nil },
		kindRaw:  func(d any) (string, error) { return bandsNorm(arr(get(d, "rows")), "band"), nil },
	},
}

// W5: what a shop's frontend or a partner's system asks at login or checkout: the customer
// holding an email or phone, with the profile, the latest scores and the consents in
// force. The parameter is an identifier key, type:value (normalized, held by exactly one
// customer).
var w5 = &workload{
	name: "w5", title: "customerByIdentifier (email or phone): profile, churn band/risk and CLV, consents in force",
	cdp: `query W5($type: IdentifierType!, $value: String!) { customerByIdentifier(type: $type, value: $value) { customerId
  profile { fullName email phone city country }
  metrics { churnBand churnRisk clv }
  consents { purpose granted occurredAt } } }`,
	ngql: `query W5($type: String!, $value: String!) { customerByIdentifier(type: $type, value: $value) { id
  fullName email phone city country churnBand churnRisk clv
  currentConsents { purpose granted occurredAt } } }`,
	vars: func(kind, p string) map[string]any {
		typ, value, _ := strings.Cut(p, ":")
		if kind == kindCDP {
			typ = strings.ToUpper(typ) // the IdentifierType enum
		}
		return map[string]any{"type": typ, "value": value}
	},
	rawQuery: func(p string) url.Values {
		typ, value, _ := strings.Cut(p, ":")
		return url.Values{"type": {typ}, "value": {value}}
	},
	norm: map[string]func(any) (string, error){
		kindCDP: func(d any) (string, error) {
			c := get(d, "customerByIdentifier")
			if c == nil {
				return "", fmt.Errorf("customer not found")
			}
			p, m := get(c, "profile"), get(c, "metrics")
			return w5Norm(str(get(c, "customerId")), str(get(p, "email")), str(get(p, "phone")), str(get(m, "churnBand")),
				get(m, "churnRisk"), get(m, "clv"), consentsNorm(arr(get(c, "consents")))), nil
		},
		kindNGQL: func(d any) (string, error) {
			c := get(d, "customerByIdentifier")
			if c == nil {
				return "", fmt.Errorf("customer not found")
			}
			return w5Norm(str(get(c, "id")), str(get(c, "email")), str(get(c, "phone")), str(get(c, "churnBand")),
				get(c, "churnRisk"), get(c, "clv"), consentsNorm(arr(get(c, "currentConsents")))), nil
		},
		kindRaw: func(d any) (string, error) {
			r, err := one(arr(get(d, "rows")))
			if err != nil {
				return "", err
			}
			c := get(r, "customer")
			return w5Norm(str(get(c, "id")), str(get(c, "email")), str(get(c, "phone")), str(get(c, "churnBand")),
				get(c, "churnRisk"), get(c, "clv"), consentsNorm(arr(get(r, "consents")))), nil
		},
	},
}

// W6: the most influential customers with nested customers: each one's identifiers and
// the customers they referred, with theirs (an analyst's or a marketing tool's screen).
var w6 = &workload{
	name: "w6", title: "influencers(first: 20) with identifiers, and the customers each referred (first 10) with theirs",
	cdp: `query W6 { influencers(first: 20) { nodes { customerId profile { fullName } identifiers { type value }
  influence { score rank referred referrals(first: 10) { customerId profile { fullName } identifiers { type value } } } } } }`,
	ngql: `query W6 { customers(where: {influenceScore: {gte: 0}}, sort: [{influenceScore: DESC}, {id: DESC}], limit: 20) {
  id fullName influenceScore influenceRank referred records { identifiers { type value } }
  referrals(limit: 10) { id fullName records { identifiers { type value } } } } }`,
	vars: noVars, rawQuery: noQuery,
	norm: map[string]func(any) (string, error){
		kindCDP: func(d any) (string, error) {
			var rows []string
			for _, c := range arr(get(d, "influencers", "nodes")) {
				var refs []string
				for _, r := range arr(get(c, "influence", "referrals")) {
					refs = append(refs, fmt.Sprintf("%s:%d", str(get(r, "customerId")), distinctIdents(arr(get(r, "identifiers")))))
				}
				rows = append(rows, w6Row(str(get(c, "customerId")), distinctIdents(arr(get(c, "identifiers"))), num(get(c, "influence", "referred")), refs))
			}
			return strings.Join(rows, ";"), nil
		},
		kindNGQL: func(d any) (string, error) {
			var rows []string
			for _, c := range arr(get(d, "customers")) {
				var refs []string
				for _, r := range arr(get(c, "referrals")) {
					refs = append(refs, fmt.Sprintf("%s:%d", str(get(r, "id")), distinctIdents(recordIdents(r)...)))
				}
				rows = append(rows, w6Row(str(get(c, "id")), distinctIdents(recordIdents(c)...), num(get(c, "referred")), refs))
			}
			return strings.Join(rows, ";"), nil
		},
		kindRaw: func(d any) (string, error) {
			var rows []string
			for _, row := range arr(get(d, "rows")) {
				var refs []string
				for _, r := range arr(get(row, "referrals")) {
					refs = append(refs, fmt.Sprintf("%s:%d", str(get(r, "id")), distinctIdents(arr(get(r, "identifiers")))))
				}
				rows = append(rows, w6Row(str(get(row, "customer", "id")), distinctIdents(arr(get(row, "identifiers"))), num(get(row, "customer", "referred")), refs))
			}
			return strings.Join(rows, ";"), nil
		},
	},
}

// W7: one page of a saved segment's members with their scores, as a campaign tool or a
// partner's export pulls it. The parameter is a segment id.
var w7 = &workload{
	name: "w7", title: "segment members page: a saved segment's first 50 members (by id) with name, city, churn band and CLV",
	cdp: `query W7($id: ID!) { segment(id: $id) { name memberCount members(first: 50) { totalCount
  nodes { customerId profile { fullName city } metrics { churnBand clv } } } } }`,
	ngql: `query W7($id: ID!) { segments(where: {id: {eq: $id}}) { name members
  customersConnection(first: 50, sort: [{node: {id: ASC}}]) { totalCount edges { node { id fullName city churnBand clv } } } } }`,
	vars:     func(_, p string) map[string]any { return map[string]any{"id": p} },
	rawQuery: func(p string) url.Values { return url.Values{"id": {p}} },
	norm: map[string]func(any) (string, error){
		kindCDP: func(d any) (string, error) {
			s := get(d, "segment")
			if s == nil {
				return "", fmt.Errorf("segment not found")
			}
			var ms []string
			for _, c := range arr(get(s, "members", "nodes")) {
				ms = append(ms, str(get(c, "customerId"))+":"+strings.ToLower(str(get(c, "metrics", "churnBand"))))
			}
			return w7Norm(num(get(s, "members", "totalCount")), ms), nil
		},
		kindNGQL: func(d any) (string, error) {
			s, err := one(arr(get(d, "segments")))
			if err != nil {
				return "", err
			}
			var ms []string
			for _, e := range arr(get(s, "customersConnection", "edges")) {
				ms = append(ms, str(get(e, "node", "id"))+":"+strings.ToLower(str(get(e, "node", "churnBand"))))
			}
			return w7Norm(num(get(s, "customersConnection", "totalCount")), ms), nil
		},
		kindRaw: func(d any) (string, error) {
			r, err := one(arr(get(d, "rows")))
			if err != nil {
				return "", err
			}
			var ms []string
			for _, c := range arr(get(r, "nodes")) {
				ms = append(ms, str(get(c, "id"))+":"+strings.ToLower(str(get(c, "churnBand"))))
			}
			return w7Norm(num(get(r, "total")), ms), nil
		},
	},
}

// The normalized forms the truth is written in.

func w1Norm(idents, orders int, top []string, events, feedback, consents int) string {
	return fmt.Sprintf("idents=%d orders=%d top=%s events=%d feedback=%d consents=%d", idents, orders, strings.Join(top, ","), events, feedback, consents)
}

func w3Norm(total int, ids []string) string {
	return fmt.Sprintf("total=%d first=%s", total, strings.Join(ids, ","))
}

func w4Norm(bands map[string]int) string {
	var parts []string
	for b, n := range bands {
		parts = append(parts, fmt.Sprintf("%s=%d", strings.ToLower(b), n))
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

func bandsNorm(rows []any, label string) string {
	bands := map[string]int{}
	for _, b := range rows {
		bands[str(get(b, label))] = num(get(b, "customers"))
	}
	return w4Norm(bands)
}

// w5Norm: scores to 4 decimals (all three carry the same float64; this only keeps the
// text short), consents as purpose=granted@time, by purpose.
func w5Norm(id, email, phone, band string, risk, clv any, consents string) string {
	return fmt.Sprintf("id=%s email=%s phone=%s band=%s risk=%s clv=%s consents=%s",
		id, email, phone, strings.ToLower(band), fixed(risk), fixed(clv), consents)
}

func fixed(v any) string {
	f, ok := v.(float64)
	if !ok {
		return "-"
	}
	return strconv.FormatFloat(f, 'f', 4, 64)
}

func consentsNorm(list []any) string {
	var parts []string
	for _, k := range list {
		granted, _ := get(k, "granted").(bool)
		parts = append(parts, consentNorm(str(get(k, "purpose")), granted, str(get(k, "occurredAt"))))
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

// consentNorm writes one decision; its time as UTC seconds, whatever RFC 3339 form (offset,
// fraction) a system returns it in.
func consentNorm(purpose string, granted bool, at string) string {
	if t, err := time.Parse(time.RFC3339Nano, at); err == nil {
		at = strconv.FormatInt(t.Unix(), 10)
	}
	return fmt.Sprintf("%s=%t@%s", purpose, granted, at)
}

func w6Row(id string, idents, referred int, referrals []string) string {
	return fmt.Sprintf("%s|%d|%d|%s", id, idents, referred, strings.Join(referrals, ","))
}

func w7Norm(total int, members []string) string {
	return fmt.Sprintf("total=%d first=%s", total, strings.Join(members, ","))
}

// Loose JSON shapes: only what the normalization reads.

func arr(v any) []any { a, _ := v.([]any); return a }

func get(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func num(v any) int    { f, _ := v.(float64); return int(f) }
func str(v any) string { s, _ := v.(string); return s }

func one(list []any) (any, error) {
	if len(list) != 1 {
		return nil, fmt.Errorf("%d results, want 1", len(list))
	}
	return list[0], nil
}

func distinctIdents(lists ...[]any) int {
	seen := map[string]bool{}
	for _, l := range lists {
		for _, i := range l {
			seen[strings.ToLower(str(get(i, "type")))+"|"+str(get(i, "value"))] = true
		}
	}
	return len(seen)
}

// recordIdents is the identifier lists of an @neo4j/graphql customer's records.
func recordIdents(c any) [][]any {
	var out [][]any
	for _, r := range arr(get(c, "records")) {
		out = append(out, arr(get(r, "identifiers")))
	}
	return out
}
