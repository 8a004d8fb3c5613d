package segment

import (
	"strconv"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Query is a compiled definition. Where is a boolean Cypher expression over the variable
// c, bound to a :Customer; it refers to no other outer variable, and to values only as
// parameters $p0, $p1, ... whose values are in Params. Run it as
//
//	MATCH (c:Customer) WHERE <Where>
//
// Where is made of constant fragments only: it is safe to splice into a statement, and
// to rename its parameters, as long as it comes from Compile.
type Query struct {
	Where  string
	Params map[string]any
}

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
	return Query{Where: c.node(&d), Params: c.params}, nil
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

// nearDetractor holds the expression for each number of hops. A chain of ties passes
// through customers, and may leave one by the same record it arrived on. Inside one
// MATCH pattern (a quantified path too) Neo4j never uses a relationship twice, so that
// record's RESOLVES_TO could not be walked in and out again; each hop is therefore its
// own MATCH, nested: a neighbour is a detractor, or has one within the remaining hops.
var nearDetractor = func() map[int]string {
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
func (c *compiler) node(d *Definition) string {
	switch {
	case d.And != nil:
		return c.join(d.And, " AND ")
	case d.Or != nil:
		return c.join(d.Or, " OR ")
	case d.Not != nil:
		// Property comparisons are null for customers without the property; coalesce makes
		// Not the complement of its child instead of leaving those customers out of both.
		return "NOT coalesce(" + c.node(d.Not) + ", false)"
	case d.Profile != nil:
		return c.profile(d.Profile)
	case d.Age != nil:
		return c.age(d.Age)
	case d.Identifier != nil:
		expr := "EXISTS { MATCH " + records + "-[:HAS_IDENTIFIER]->(i) WHERE i.type = " + c.param(d.Identifier.Type) + " }"
		if !d.Identifier.Present {
			expr = "NOT " + expr
		}
		return expr
	case d.Consent != nil:
		// The decision in force is the latest; a customer without one has not consented.
		return "coalesce(COLLECT { MATCH " + records + "<-[:CONSENT_OF]-(k) WHERE k.purpose = " + c.param(d.Consent.Purpose) +
			" RETURN k.granted ORDER BY k.occurredAt DESC, k.key LIMIT 1 }[0], false) = " + c.param(d.Consent.Granted)
	case d.Score != nil:
		return c.score(d.Score)
	case d.RFMSegments != nil:
		vals, _ := values(d.RFMSegments, "", identity)
		return "c.rfmSegment IN " + c.param(vals)
	case d.ChurnBands != nil:
		vals, _ := values(d.ChurnBands, "", strings.ToLower)
		return "c.churnBand IN " + c.param(vals)
	case d.Purchased != nil:
		return c.purchased(d.Purchased)
	case d.Event != nil:
		return c.event(d.Event)
	case d.NearDetractor != nil:
		return nearDetractor[d.NearDetractor.Hops]
	case d.ReferredByInfluencer != nil:
		// The referrer is looked up by id, so its label lets the unique index find it.
		return "EXISTS { MATCH (r:Customer {id: c.referredBy}) WHERE r.influenceRank <= " +
			c.param(int64(d.ReferredByInfluencer.TopRank)) + " }"
	case d.InCommunity != nil:
		return "c.community = " + c.param(strings.TrimSpace(d.InCommunity.ID))
	case d.HouseholdHighValue != nil:
		// Members are matched from the household in a pattern of their own: in one
		// pattern (c)-[:MEMBER_OF]->(h)<-[:MEMBER_OF]-(m), m could never be c.
		return "EXISTS { MATCH (c)-[:MEMBER_OF]->(h) WHERE EXISTS { MATCH (h)<-[:MEMBER_OF]-(m) WHERE m.clv >= " +
			c.param(d.HouseholdHighValue.MinCLV) + " } }"
	}
	panic("segment: compiling a node that did not validate")
}

func (c *compiler) join(list []Definition, op string) string {
	parts := make([]string, len(list))
	for i := range list {
		parts[i] = c.node(&list[i])
	}
	return group(parts, op)
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

func (c *compiler) purchased(p *Purchased) string {
	conds := []string{"NOT coalesce(o.status, '') IN " + notPurchase}
	conds = append(conds, c.window("o.orderedAt", p.WithinDays)...)
	if sku := strings.TrimSpace(p.SKU); sku != "" {
		conds = append(conds, "EXISTS { MATCH (o)-[:CONTAINS]->(p:Product) WHERE p.sku = "+c.param(sku)+" }")
	} else if cat := strings.TrimSpace(p.Category); cat != "" {
		conds = append(conds, "EXISTS { MATCH (o)-[:CONTAINS]->(p:Product) WHERE p.category = "+c.param(cat)+" }")
	}
	// An order is placed by exactly one record, so each matching order is one row.
	return c.atLeast(records+"<-[:PLACED_BY]-(o) WHERE "+strings.Join(conds, " AND "), p.MinTimes)
}

func (c *compiler) event(e *Event) string {
	conds := append([]string{"e.type = " + c.param(e.Type)}, c.window("e.occurredAt", e.WithinDays)...)
	pattern := records + "<-[:BY]-(e) WHERE " + strings.Join(conds, " AND ")
	if e.Absent {
		return "NOT EXISTS { MATCH " + pattern + " }"
	}
	return c.atLeast(pattern, e.MinCount)
}

// window bounds a time property to [asOf - days, asOf], or to at most asOf for days 0.
func (c *compiler) window(prop string, days int) []string {
	var conds []string
	if days > 0 {
		conds = append(conds, prop+" >= "+c.param(c.asOf.AddDate(0, 0, -days)))
	}
	return append(conds, prop+" <= "+c.asOfRef())
}

// atLeast asks for n rows of a pattern; EXISTS stops at the first, which is all n <= 1 needs.
func (c *compiler) atLeast(pattern string, n int) string {
	if n <= 1 {
		return "EXISTS { MATCH " + pattern + " }"
	}
	return "COUNT { MATCH " + pattern + " } >= " + c.param(int64(n))
}
