package segment

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/analytics/churn"
)

// The enums below are the only words of a definition that reach Cypher text (as the
// property they map to); everything else is a parameter.
var (
	// profileProps maps profile fields to golden-record properties. source is separate:
	// it is a list on the customer.
	profileProps = map[string]string{
		"country": "c.country", "city": "c.city", "gender": "c.gender",
		"region": "c.region", "postcode": "c.postcode",
	}
	scoreProps = map[string]string{
		"clv": "c.clv", "churnRisk": "c.churnRisk", "pAlive": "c.pAlive", "loyalty": "c.loyalty",
		"revenue": "c.revenue", "expectedPurchases90": "c.expectedPurchases90",
		"complaints": "c.complaints", "openComplaints": "c.openComplaints", "sentimentAvg": "c.sentimentAvg",
		"rfmR": "c.rfmR", "rfmF": "c.rfmF", "rfmM": "c.rfmM",
		"influenceScore": "c.influenceScore", "influenceRank": "c.influenceRank", "reach2": "c.reach2",
	}
)

const sourceField = "source"

// Validate checks a definition and returns the first problem as a *cdp.Error with code
// cdp.EINVALID whose Field is the path to the node or field at fault, e.g.
// "definition.and[1].purchased.withinDays".
func (d Definition) Validate() error {
	v := validator{}
	return v.node(&d, "definition", 1)
}

type validator struct{ nodes int }

func invalid(path, format string, args ...any) error {
	return cdp.FieldErrorf(path, format, args...)
}

func (v *validator) node(d *Definition, path string, depth int) error {
	if depth > MaxDepth {
		return invalid(path, "is nested more than %d levels deep", MaxDepth)
	}
	if v.nodes++; v.nodes > MaxNodes {
		return invalid("definition", "has more than %d nodes", MaxNodes)
	}
	switch set := d.set(); len(set) {
	case 0:
		return invalid(path, "is empty: set one of and, or, not or a predicate")
	case 1:
	default:
		return invalid(path, "sets %s: a node holds exactly one of and, or, not or a predicate", strings.Join(set, " and "))
	}
	switch {
	case d.And != nil:
		return v.children(d.And, path+".and", depth)
	case d.Or != nil:
		return v.children(d.Or, path+".or", depth)
	case d.Not != nil:
		return v.node(d.Not, path+".not", depth+1)
	case d.Profile != nil:
		return d.Profile.validate(path + ".profile")
	case d.Age != nil:
		return d.Age.validate(path + ".age")
	case d.Identifier != nil:
		return d.Identifier.validate(path + ".identifier")
	case d.Consent != nil:
		return d.Consent.validate(path + ".consent")
	case d.Score != nil:
		return d.Score.validate(path + ".score")
	case d.RFMSegments != nil:
		_, err := values(d.RFMSegments, path+".rfmSegments", identity)
		return err
	case d.ChurnBands != nil:
		return validateChurnBands(d.ChurnBands, path+".churnBands")
	case d.Purchased != nil:
		return d.Purchased.validate(path + ".purchased")
	case d.Event != nil:
		return d.Event.validate(path + ".event")
	case d.NearDetractor != nil:
		if h := d.NearDetractor.Hops; h < 1 || h > MaxHops {
			return invalid(path+".nearDetractor.hops", "must be 1, 2 or 3, not %d", h)
		}
	case d.ReferredByInfluencer != nil:
		if r := d.ReferredByInfluencer.TopRank; r < 1 {
			return invalid(path+".referredByInfluencer.topRank", "must be at least 1 (the most influential), not %d", r)
		}
	case d.InCommunity != nil:
		if strings.TrimSpace(d.InCommunity.ID) == "" {
			return invalid(path+".inCommunity.id", "is empty")
		}
	case d.HouseholdHighValue != nil:
		if x := d.HouseholdHighValue.MinCLV; math.IsNaN(x) || math.IsInf(x, 0) {
			return invalid(path+".householdHighValue.minClv", "must be a finite number")
		}
	}
	return nil
}

// set names the fields of d that are set, by their JSON names.
func (d *Definition) set() []string {
	var names []string
	for _, f := range []struct {
		name string
		ok   bool
	}{
		{"and", d.And != nil}, {"or", d.Or != nil}, {"not", d.Not != nil},
		{"profile", d.Profile != nil}, {"age", d.Age != nil}, {"identifier", d.Identifier != nil},
		{"consent", d.Consent != nil}, {"score", d.Score != nil},
		{"rfmSegments", d.RFMSegments != nil}, {"churnBands", d.ChurnBands != nil},
		{"purchased", d.Purchased != nil}, {"event", d.Event != nil},
		{"nearDetractor", d.NearDetractor != nil}, {"referredByInfluencer", d.ReferredByInfluencer != nil},
		{"inCommunity", d.InCommunity != nil}, {"householdHighValue", d.HouseholdHighValue != nil},
	} {
		if f.ok {
			names = append(names, f.name)
		}
	}
	return names
}

func (v *validator) children(list []Definition, path string, depth int) error {
	if len(list) == 0 {
		return invalid(path, "is an empty list")
	}
	for i := range list {
		if err := v.node(&list[i], path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (p *Profile) validate(path string) error {
	if _, ok := profileProps[p.Field]; !ok && p.Field != sourceField {
		return invalid(path+".field", "unknown field %q; use one of %s", p.Field, names(profileProps, sourceField))
	}
	switch p.Op {
	case OpEq, OpPrefix:
		if len(p.Values) != 1 {
			return invalid(path+".values", "%s takes exactly one value, got %d", p.Op, len(p.Values))
		}
	case OpIn, OpNotIn:
		if p.Values == nil {
			return invalid(path+".values", "is missing: %s takes one or more values", p.Op)
		}
	default:
		return invalid(path+".op", "unknown operator %q; use eq, in, notIn or prefix", p.Op)
	}
	_, err := values(p.Values, path+".values", normalizer(p.Field))
	return err
}

func (a *Age) validate(path string) error {
	if a.Min == nil && a.Max == nil {
		return invalid(path, "needs min, max or both")
	}
	for _, b := range []struct {
		name string
		v    *int
	}{{"min", a.Min}, {"max", a.Max}} {
		if b.v != nil && (*b.v < 0 || *b.v > MaxAge) {
			return invalid(path+"."+b.name, "must be between 0 and %d years, not %d", MaxAge, *b.v)
		}
	}
	if a.Min != nil && a.Max != nil && *a.Min > *a.Max {
		return invalid(path, "min %d is greater than max %d", *a.Min, *a.Max)
	}
	return nil
}

func (i *Identifier) validate(path string) error {
	if !slices.Contains(cdp.IdentifierTypes, cdp.IdentifierType(i.Type)) {
		return invalid(path+".type", "unknown identifier type %q; use one of %s", i.Type, joinTypes(cdp.IdentifierTypes))
	}
	return nil
}

func (c *Consent) validate(path string) error {
	if !slices.Contains(cdp.ConsentPurposes, c.Purpose) {
		return invalid(path+".purpose", "unknown purpose %q; use one of %s", c.Purpose, strings.Join(cdp.ConsentPurposes, ", "))
	}
	return nil
}

func (s *Score) validate(path string) error {
	if _, ok := scoreProps[s.Field]; !ok {
		return invalid(path+".field", "unknown score %q; use one of %s", s.Field, names(scoreProps))
	}
	if s.Min == nil && s.Max == nil {
		return invalid(path, "needs min, max or both")
	}
	for _, b := range []struct {
		name string
		v    *float64
	}{{"min", s.Min}, {"max", s.Max}} {
		if b.v != nil && (math.IsNaN(*b.v) || math.IsInf(*b.v, 0)) {
			return invalid(path+"."+b.name, "must be a finite number")
		}
	}
	if s.Min != nil && s.Max != nil && *s.Min > *s.Max {
		return invalid(path, "min %g is greater than max %g", *s.Min, *s.Max)
	}
	return nil
}

func validateChurnBands(bands []string, path string) error {
	vals, err := values(bands, path, strings.ToLower)
	if err != nil {
		return err
	}
	for i, b := range vals {
		if !slices.Contains(churn.BandNames, b) {
			return invalid(path+"["+strconv.Itoa(i)+"]", "unknown churn band %q; use one of %s", bands[i], strings.Join(ChurnBandNames(), ", "))
		}
	}
	return nil
}

func (p *Purchased) validate(path string) error {
	// A blank name would silently widen the predicate to any purchase.
	for _, f := range []struct{ name, v string }{{"category", p.Category}, {"sku", p.SKU}} {
		if f.v != "" && strings.TrimSpace(f.v) == "" {
			return invalid(path+"."+f.name, "is blank; leave it out for any purchase")
		}
	}
	if p.Category != "" && p.SKU != "" {
		return invalid(path, "sets both category and sku: name one, or neither for any purchase")
	}
	if err := count(p.MinTimes, path+".minTimes"); err != nil {
		return err
	}
	return window(p.WithinDays, path+".withinDays")
}

func (e *Event) validate(path string) error {
	if !slices.Contains(cdp.EventTypes, e.Type) {
		return invalid(path+".type", "unknown event type %q; use one of %s", e.Type, strings.Join(cdp.EventTypes, ", "))
	}
	if err := count(e.MinCount, path+".minCount"); err != nil {
		return err
	}
	if e.Absent && e.MinCount > 1 {
		return invalid(path+".minCount", "cannot be combined with absent, which means no such event at all; wrap a minCount in not for \"fewer than\"")
	}
	return window(e.WithinDays, path+".withinDays")
}

func count(n int, path string) error {
	if n < 0 || n > MaxCount {
		return invalid(path, "must be between 1 and %d (0 means 1), not %d", MaxCount, n)
	}
	return nil
}

func window(days int, path string) error {
	if days < 0 || days > MaxWithinDays {
		return invalid(path, "must be between 1 and %d days (0 means ever), not %d", MaxWithinDays, days)
	}
	return nil
}

// values checks a list of values and returns them normalized: not empty, at most
// MaxValues, none blank.
func values(list []string, path string, norm func(string) string) ([]string, error) {
	if len(list) == 0 {
		return nil, invalid(path, "is an empty list")
	}
	if len(list) > MaxValues {
		return nil, invalid(path, "has %d values, more than %d", len(list), MaxValues)
	}
	out := make([]string, len(list))
	for i, s := range list {
		if out[i] = norm(strings.TrimSpace(s)); out[i] == "" {
			return nil, invalid(path+"["+strconv.Itoa(i)+"]", "is empty")
		}
	}
	return out, nil
}

// normalizer returns how values of a profile field are stored: ingest upper-cases
// country codes and postcodes and lower-cases genders.
func normalizer(field string) func(string) string {
	switch field {
	case "country", "postcode":
		return strings.ToUpper
	case "gender":
		return strings.ToLower
	}
	return identity
}

func identity(s string) string { return s }

func names(m map[string]string, extra ...string) string {
	return strings.Join(sortedKeys(m, extra...), ", ")
}

func sortedKeys(m map[string]string, extra ...string) []string {
	out := append([]string(nil), extra...)
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ScoreFields are the fields a Score predicate takes, by name.
func ScoreFields() []string { return sortedKeys(scoreProps) }

// ProfileFields are the fields a Profile predicate takes, by name.
func ProfileFields() []string { return sortedKeys(profileProps, sourceField) }

// ProfileOps are the operators a Profile predicate takes.
var ProfileOps = []string{OpEq, OpIn, OpNotIn, OpPrefix}

func joinTypes(types []cdp.IdentifierType) string {
	s := make([]string, len(types))
	for i, t := range types {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}
