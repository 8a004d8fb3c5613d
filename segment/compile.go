package segment

import (
	"slices"
	"strconv"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Query is a compiled definition, in two equivalent forms over the same Params.
//
// Where is a boolean Cypher expression over the variable c, bound to a :Customer; it
// refers to no other outer variable, and to values only as parameters $p0, $p1, ...
// whose values are in Params. It decides one customer at a time, which is what a page of
// customers needs (next best actions). Run it as
//
//	MATCH (c:Customer) WHERE <Where>
//
// Population decides the same for every customer at once, which is what a count or a
// member list needs: predicates that are cheaper to answer from the activity's side (an
// index on events, a product's orders) than by walking every customer's records are
// computed first, once, by the Sets subqueries, and Population tests membership in them.
// Run it as
//
//	<Prelude()> MATCH (c:Customer) WHERE <Population>
//
// or, inside a subquery, import the sets with CALL (<Scope()>) { ... }.
//
// Every text is made of constant fragments only: it is safe to splice into a statement,
// and to rename its parameters, as long as it comes from Compile.
type Query struct {
	Where  string
	Params map[string]any

	// Sets are subquery bodies; the i-th ends with RETURN ... AS s<i>: a list of
	// customers, or whether precomputed values are current.
	Sets       []string
	Population string
}

// Prelude returns the clauses that bind the sets Population refers to, one CALL
// subquery each (empty when there are none).
func (q Query) Prelude() string {
	var b strings.Builder
	for _, body := range q.Sets {
		b.WriteString("CALL () {\n" + body + "\n}\n")
	}
	return b.String()
}

// Scope lists the variables Prelude binds, for a CALL (<Scope>) { ... } that uses them.
func (q Query) Scope() string {
	names := make([]string, len(q.Sets))
	for i := range q.Sets {
		names[i] = setName(i)
	}
	return strings.Join(names, ", ")
}

func setName(i int) string { return "s" + strconv.Itoa(i) }

// Compile validates d and compiles it, as of asOf, to a Query. Windows ("in the last 30
// days") end at asOf and ages are taken on asOf's date, in UTC; nothing after asOf
// counts. Validation errors are returned as Validate returns them.
func Compile(d Definition, asOf time.Time) (Query, error) {
	if err := d.Validate(); err != nil {
		return Query{}, err
	}
	if asOf.IsZero() {
		return Query{}, cdp.FieldErrorf("asOf", "is required: windows and ages are relative to it")
	}
	c := compiler{asOf: asOf.UTC(), params: map[string]any{}}
	e := c.node(&d)
	return Query{Where: e.each, Params: c.params, Sets: c.sets, Population: e.all}, nil
}

// Constant fragments. Relationship types and directions follow docs/graph-model.md.
const (
	// records walks from the customer to its source records, where activity hangs.
	records = "(c)<-[:RESOLVES_TO]-()"
	// notPurchase are order statuses that are not a purchase; scoring leaves them out too.
	notPurchase = "['cancelled', 'returned', 'refunded']"
	// tie goes from a customer to another customer over one social tie between their
	// records, in either direction.
	tie = "<-[:RESOLVES_TO]-()-[:FOLLOWS|REFERRED|SHARED|MENTIONED]-()-[:RESOLVES_TO]->"
)

// DetractorHopsProperty is the customer property that holds, when it is current, the
// number of ties (1 to MaxHops) to the nearest detractor other than the customer: what
// NearDetractor asks, precomputed (see DetractorHops). Customers further away, or
// without ties, do not have it.
const DetractorHopsProperty = "detractorHops"

// DetractorHopsCurrent is true while the precomputed hops describe the graph as it is:
// they have been computed (a DerivedState node says so) and no write that could change
// them (a tie, a record moving between customers, a customer's sentiment crossing the
// detractor line, an erasure) has left a DerivedChange node since. The neo4j package
// writes both.
const DetractorHopsCurrent = "(EXISTS { MATCH (ds:DerivedState {name: 'detractorHops'}) WHERE ds.computedAt IS NOT NULL }" +
	" AND NOT EXISTS { MATCH (dc:DerivedChange {name: 'detractorHops'}) })"

// nearDetractor is the expression for hops given whether the precomputed hops are
// current: the precomputed hops when they are, else the walk through the graph
// (nearDetractorLive). The two agree; the first reads one property where the second
// walks every customer's neighbourhood.
func nearDetractor(hops int, current string) string {
	return "CASE WHEN " + current + " THEN coalesce(c." + DetractorHopsProperty + " <= " + strconv.Itoa(hops) +
		", false) ELSE " + nearDetractorLive[hops] + " END"
}

// nearDetractorLive holds the walk for each number of hops. A chain of ties passes
// through customers, and may leave one by the same record it arrived on. Inside one
// MATCH pattern (a quantified path too) Neo4j never uses a relationship twice, so that
// record's RESOLVES_TO could not be walked in and out again; each hop is therefore its
// own MATCH, nested: a neighbour is a detractor, or has one within the remaining hops.
var nearDetractorLive = func() map[int]string {
	threshold := strconv.FormatFloat(DetractorSentiment, 'f', -1, 64)
	out := map[int]string{}
	for hops := 1; hops <= MaxHops; hops++ {
		expr := ""
		for k := hops; k >= 1; k-- {
			from, to := "n"+strconv.Itoa(k-1), "n"+strconv.Itoa(k)
			if k == 1 {
				from = "c"
			}
			cond := "(" + to + " <> c AND " + to + ".sentimentAvg <= " + threshold + ")"
			if expr != "" {
				cond += " OR " + expr
			}
			expr = "EXISTS { MATCH (" + from + ")" + tie + "(" + to + ") WHERE " + cond + " }"
		}
		out[hops] = expr
	}
	return out
}()

type compiler struct {
	asOf      time.Time
	asOfParam string // the parameter holding asOf, once one predicate needed it
	params    map[string]any
	sets      []string
	// hopsCurrent names the binding of DetractorHopsCurrent, once a predicate needed it.
	hopsCurrent string
}

// expr is a node compiled both ways: each decides one customer (Query.Where), all may
// refer to the sets (Query.Population).
type expr struct{ each, all string }

// same is a node whose two forms are one.
func same(s string) expr { return expr{s, s} }

// set adds a subquery that binds the customers it returns (as c, one row each) to a new
// set, and returns the set's name.
func (c *compiler) set(body string) string {
	return c.bind(body + "\nRETURN collect(c)")
}

// bind adds a subquery returning one value, ending in RETURN <value>, and returns the name
// it is bound to.
func (c *compiler) bind(body string) string {
	name := setName(len(c.sets))
	c.sets = append(c.sets, body+" AS "+name)
	return name
}

// current binds, once per definition, whether the precomputed hops to a detractor are
// current: Population asks it once instead of once per customer.
func (c *compiler) current() string {
	if c.hopsCurrent == "" {
		c.hopsCurrent = c.bind("RETURN " + DetractorHopsCurrent)
	}
	return c.hopsCurrent
}

// param stores a value and returns the reference to it. Names are p0, p1, ... in
// order of use, so the same definition always compiles to the same text.
func (c *compiler) param(v any) string {
	name := "p" + strconv.Itoa(len(c.params))
	c.params[name] = v
	return "$" + name
}

func (c *compiler) asOfRef() string {
	if c.asOfParam == "" {
		c.asOfParam = c.param(c.asOf)
	}
	return c.asOfParam
}

// node compiles a validated node.
func (c *compiler) node(d *Definition) expr {
	switch {
	case d.And != nil:
		return c.join(d.And, " AND ")
	case d.Or != nil:
		return c.join(d.Or, " OR ")
	case d.Not != nil:
		// Property comparisons are null for customers without the property; coalesce makes
		// Not the complement of its child instead of leaving those customers out of both.
		e := c.node(d.Not)
		return expr{"NOT coalesce(" + e.each + ", false)", "NOT coalesce(" + e.all + ", false)"}
	case d.Profile != nil:
		return same(c.profile(d.Profile))
	case d.Age != nil:
		return same(c.age(d.Age))
	case d.Identifier != nil:
		return c.identifier(d.Identifier)
	case d.Consent != nil:
		return c.consent(d.Consent)
	case d.Score != nil:
		return same(c.score(d.Score))
	case d.RFMSegments != nil:
		vals, _ := values(d.RFMSegments, "", identity)
		return same("c.rfmSegment IN " + c.param(vals))
	case d.ChurnBands != nil:
		vals, _ := values(d.ChurnBands, "", strings.ToLower)
		return same("c.churnBand IN " + c.param(vals))
	case d.Purchased != nil:
		return c.purchased(d.Purchased)
	case d.Event != nil:
		return c.event(d.Event)
	case d.NearDetractor != nil:
		h := d.NearDetractor.Hops
		return expr{nearDetractor(h, DetractorHopsCurrent), nearDetractor(h, c.current())}
	case d.ReferredByInfluencer != nil:
		// The referrer is looked up by id, so its label lets the unique index find it.
		return same("EXISTS { MATCH (r:Customer {id: c.referredBy}) WHERE r.influenceRank <= " +
			c.param(int64(d.ReferredByInfluencer.TopRank)) + " }")
	case d.InCommunity != nil:
		return same("c.community = " + c.param(strings.TrimSpace(d.InCommunity.ID)))
	case d.HouseholdHighValue != nil:
		// Members are matched from the household in a pattern of their own: in one
		// pattern (c)-[:MEMBER_OF]->(h)<-[:MEMBER_OF]-(m), m could never be c.
		return same("EXISTS { MATCH (c)-[:MEMBER_OF]->(h) WHERE EXISTS { MATCH (h)<-[:MEMBER_OF]-(m) WHERE m.clv >= " +
			c.param(d.HouseholdHighValue.MinCLV) + " } }")
	}
	panic("segment: compiling a node that did not validate")
}

func (c *compiler) join(list []Definition, op string) expr {
	each, all := make([]string, len(list)), make([]string, len(list))
	for i := range list {
		e := c.node(&list[i])
		each[i], all[i] = e.each, e.all
	}
	return expr{group(each, op), group(all, op)}
}

// group joins conditions with op, in parentheses when there are several.
func group(conds []string, op string) string {
	if len(conds) == 1 {
		return conds[0]
	}
	return "(" + strings.Join(conds, op) + ")"
}

func (c *compiler) profile(p *Profile) string {
	vals, _ := values(p.Values, "", normalizer(p.Field))
	if p.Field == sourceField {
		switch p.Op {
		case OpEq:
			return c.param(vals[0]) + " IN c.sources"
		case OpIn:
			return "any(s IN c.sources WHERE s IN " + c.param(vals) + ")"
		case OpNotIn:
			return "NOT coalesce(any(s IN c.sources WHERE s IN " + c.param(vals) + "), false)"
		default: // OpPrefix
			return "any(s IN c.sources WHERE s STARTS WITH " + c.param(vals[0]) + ")"
		}
	}
	prop := profileProps[p.Field]
	switch p.Op {
	case OpEq:
		return prop + " = " + c.param(vals[0])
	case OpIn:
		return prop + " IN " + c.param(vals)
	case OpNotIn:
		return "NOT coalesce(" + prop + " IN " + c.param(vals) + ", false)"
	default: // OpPrefix
		return prop + " STARTS WITH " + c.param(vals[0])
	}
}

// age compares birth dates as YYYY-MM-DD strings, which sort as dates: a customer is at
// least min years old when born on or before the date min years before asOf, and at most
// max when born after the date max+1 years before it.
func (c *compiler) age(a *Age) string {
	var conds []string
	if a.Min != nil {
		conds = append(conds, "c.birthDate <= "+c.param(yearsBefore(c.asOf, *a.Min)))
	}
	if a.Max != nil {
		conds = append(conds, "c.birthDate > "+c.param(yearsBefore(c.asOf, *a.Max+1)))
	}
	return group(conds, " AND ")
}

// yearsBefore is the date n years before t. A 29 February becomes the 28th in a year
// without one (AddDate would roll over to 1 March and make someone born that day a
// year older a day early); people born on 29 February thus age on 1 March.
func yearsBefore(t time.Time, n int) string {
	y, m, d := t.Date()
	y -= n
	if m == time.February && d == 29 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		d = 28
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

func (c *compiler) score(s *Score) string {
	prop := scoreProps[s.Field]
	var conds []string
	if s.Min != nil {
		conds = append(conds, prop+" >= "+c.param(*s.Min))
	}
	if s.Max != nil {
		conds = append(conds, prop+" <= "+c.param(*s.Max))
	}
	return group(conds, " AND ")
}

// A source record holds a great many relationships (blocking keys, identifiers, matches,
// activity), and Neo4j reads all of a record's relationships to follow those of one
// type: walking from customers to their orders, events, identifiers or consents, or
// back from those to the customers, costs some twenty reads per record. The population
// form avoids both walks: it starts from the orders, events, identifiers or consents
// asked about (by an index where there is one) up to their records, and meets the
// customers coming down to their records (cheap: a customer has few relationships) in a
// hash join on the record (joined, below). Both forms see the same (customer, record,
// activity) rows.

// joined is a MATCH from customers c down to their records r, joined on r with a
// pattern that continues from r and starts from index (a hint: without it the planner
// may start from every order rather than a product's). The indexes are the schema's
// (neo4j/schema.go).
func joined(rest, index, where string) string {
	return "MATCH (c:Customer)<-[:RESOLVES_TO]-(r)" + rest + "\nUSING JOIN ON r\nUSING INDEX " + index + "\nWHERE " + where
}

// atLeastPerCustomer keeps customers c with at least min rows (any, when min is "").
func atLeastPerCustomer(rows, min string) string {
	if min == "" {
		return rows + "\nWITH DISTINCT c"
	}
	return rows + "\nWITH c, count(*) AS n WHERE n >= " + min
}

// purchased counts a customer's orders through its records. An order is placed by one
// record, so each matching order is one row (a product the order holds twice is one).
// The population form walks from the orders (of the product, or in the window) instead,
// except for "bought anything, ever", which stops at a customer's first order.
func (c *compiler) purchased(p *Purchased) expr {
	conds := []string{"NOT coalesce(o.status, '') IN " + notPurchase}
	conds = append(conds, c.window("o.orderedAt", p.WithinDays)...)
	var product, productIndex string
	if sku := strings.TrimSpace(p.SKU); sku != "" {
		product, productIndex = "p.sku = "+c.param(sku), "p:Product(sku)"
	} else if cat := foldCategory(p.Category); cat != "" {
		product, productIndex = "p.category = "+c.param(cat), "p:Product(category)"
	}
	each := conds
	if product != "" {
		each = append(slices.Clip(conds), "EXISTS { MATCH (o)-[:CONTAINS]->(p:Product) WHERE "+product+" }")
	}
	min := c.atLeastRef(p.MinTimes)
	e := atLeast(records+"<-[:PLACED_BY]-(o) WHERE "+strings.Join(each, " AND "), "o", min)
	var rows string
	switch {
	case product != "":
		// A product's orders are few: from them to their records, counted per record, then
		// up to the customers, reads fewer relationships than joining all customers' records
		// (and in one pattern the planner would start from the window's orders instead).
		// The orders are left unlabelled so the product stays the only starting point.
		rows = "MATCH (p:Product) USING INDEX " + productIndex + " WHERE " + product + "\n" +
			"MATCH (p)<-[:CONTAINS]-(o) WHERE " + strings.Join(conds, " AND ") + "\n" +
			"WITH DISTINCT o\nMATCH (o)-[:PLACED_BY]->(r)\nWITH r, count(*) AS n\nMATCH (r)-[:RESOLVES_TO]->(c)\nWITH c, sum(n) AS n"
		if min == "" {
			return expr{e, "c IN " + c.set(rows)}
		}
		return expr{e, "c IN " + c.set(rows+" WHERE n >= "+min)}
	case p.WithinDays > 0 || min != "":
		rows = joined("<-[:PLACED_BY]-(o:Order)", "o:Order(orderedAt)", strings.Join(conds, " AND "))
	default:
		return same(e)
	}
	return expr{e, "c IN " + c.set(atLeastPerCustomer(rows, min))}
}

// event counts a customer's events through its records; the population form starts from
// the events of the type in the window (the (type, occurredAt) index).
func (c *compiler) event(e *Event) expr {
	conds := append([]string{"e.type = " + c.param(e.Type)}, c.window("e.occurredAt", e.WithinDays)...)
	pattern := records + "<-[:BY]-(e) WHERE " + strings.Join(conds, " AND ")
	min := c.atLeastRef(e.MinCount)
	set := c.set(atLeastPerCustomer(joined("<-[:BY]-(e:Event)", "e:Event(type, occurredAt)", strings.Join(conds, " AND ")), min))
	if e.Absent {
		return expr{"NOT EXISTS { MATCH " + pattern + " }", "NOT c IN " + set}
	}
	return expr{atLeast(pattern, "e", min), "c IN " + set}
}

// identifier asks whether any record of the customer holds an identifier of the type.
// Every identifier has its value (its key is type:value): saying so lets the population
// form use the (type, value) index.
func (c *compiler) identifier(id *Identifier) expr {
	t := c.param(id.Type)
	each := "EXISTS { MATCH " + records + "-[:HAS_IDENTIFIER]->(i) WHERE i.type = " + t + " }"
	set := c.set(atLeastPerCustomer(joined("-[:HAS_IDENTIFIER]->(i:Identifier)", "i:Identifier(type, value)", "i.type = "+t+" AND i.value IS NOT NULL"), ""))
	if !id.Present {
		return expr{"NOT " + each, "NOT c IN " + set}
	}
	return expr{each, "c IN " + set}
}

// consent compares the decision in force (the latest; a customer without one has not
// consented) with granted. The population form finds, once, the customers whose decision
// in force grants the purpose.
func (c *compiler) consent(k *Consent) expr {
	purpose, granted := c.param(k.Purpose), c.param(k.Granted)
	each := "coalesce(COLLECT { MATCH " + records + "<-[:CONSENT_OF]-(k) WHERE k.purpose = " + purpose +
		" RETURN k.granted ORDER BY k.occurredAt DESC, k.key LIMIT 1 }[0], false) = " + granted
	set := c.set(joined("<-[:CONSENT_OF]-(k:Consent)", "k:Consent(purpose)", "k.purpose = "+purpose) +
		"\nWITH c, k ORDER BY k.occurredAt DESC, k.key\nWITH c, collect(k.granted)[0] AS granted WHERE coalesce(granted, false)")
	return expr{each, "(c IN " + set + ") = " + granted}
}

// window bounds a time property to [asOf - days, asOf], or to at most asOf for days 0.
func (c *compiler) window(prop string, days int) []string {
	var conds []string
	if days > 0 {
		conds = append(conds, prop+" >= "+c.param(c.asOf.AddDate(0, 0, -days)))
	}
	return append(conds, prop+" <= "+c.asOfRef())
}

// atLeastRef is the parameter holding a minimum count, or "" for a minimum of one.
func (c *compiler) atLeastRef(n int) string {
	if n <= 1 {
		return ""
	}
	return c.param(int64(n))
}

// atLeast asks for min rows of a pattern binding v (one, when min is ""); EXISTS stops at
// the first, and LIMIT stops a count at min: a customer with a thousand events is not
// read past the min-th.
func atLeast(pattern, v, min string) string {
	if min == "" {
		return "EXISTS { MATCH " + pattern + " }"
	}
	return "COUNT { MATCH " + pattern + " RETURN " + v + " LIMIT " + min + " } >= " + min
}
