package identity

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity/match"
)

// IdentifierRule says how one identifier type takes part in resolution.
type IdentifierRule struct {
	// Trusted identifiers merge the records that share them, on their own.
	Trusted bool `json:"trusted"`
	// Priority orders identifier types when a customer is shown or explained; higher first.
	Priority int `json:"priority"`
	// MaxRecords: a value held by more records than this stops linking and is flagged as a
	// bridge (a shop's phone, a family email, a shared tablet).
	MaxRecords int `json:"max_records"`
	// Exclusive identifiers belong to one person only (a national id, a passport, a tax
	// number): two records holding different values of the type are, barring a typo, two
	// people. The matcher compares them as personal ids, with a "different" level whose
	// weight it learns.
	Exclusive bool `json:"exclusive,omitempty"`
	// Veto (exclusive types only): records holding different values of the type are never
	// merged by the matcher or by a shared identifier of a non-exclusive type (a family
	// email or phone), unless an analyst said they are the same person. A typo (one edit,
	// or a Chinese resident id failing its check digit) is not a different value.
	Veto bool `json:"veto,omitempty"`
	// Blocked values never link: exact normalized values and regular expressions.
	Blocked         []string `json:"blocked,omitempty"`
	BlockedPatterns []string `json:"blocked_patterns,omitempty"`

	blocked  map[string]bool
	patterns []*regexp.Regexp
}

// Rules configure resolution. Load them from JSON with LoadRules; DefaultRules suit retail.
type Rules struct {
	Identifiers map[cdp.IdentifierType]*IdentifierRule `json:"identifiers"`
	// SourcePriority breaks ties in survivorship; a higher number wins.
	SourcePriority map[string]int `json:"source_priority"`
	// Survivorship names the strategy per golden-record field (and "address" for the
	// address fields together): most_recent, source_priority or most_frequent.
	Survivorship map[string]string `json:"survivorship"`
	// Matching sets the probabilistic matcher's merge and review probabilities.
	Matching match.Options `json:"matching"`
}

// repeatedDigits catches placeholder phone numbers such as +86 00000000000 (RE2 has no
// back-references, hence one alternative per digit).
const repeatedDigits = `^\+\d*(0{8}|1{8}|2{8}|3{8}|4{8}|5{8}|6{8}|7{8}|8{8}|9{8})\d*$`

// placeholderDocument catches document numbers a clerk types to get past a required
// field: one repeated character (000000, XXXXXXX) or 123456789.
const placeholderDocument = `^(0+|1+|2+|3+|4+|5+|6+|7+|8+|9+|X+|0?123456789X?)$`

// DefaultRules suit retail: personal contact points and loyalty/social ids merge; device
// and cookie ids, shared by households and kiosks, do not; well-known placeholder values
// never link.
func DefaultRules() Rules {
	r := Rules{
		Identifiers: map[cdp.IdentifierType]*IdentifierRule{
			cdp.IdentifierEmail: {Trusted: true, Priority: 90, MaxRecords: 8,
				Blocked:         []string{"test@test.com", "test@example.com", "a@a.com", "none@none.com", "noemail@noemail.com", "no@email.com", "na@na.com"},
				BlockedPatterns: []string{`^(no-?reply|noemail|none|null|test|unknown|example)@`, `@(example\.(com|org|net)|test\.com|mailinator\.com)$`}},
			cdp.IdentifierPhone: {Trusted: true, Priority: 80, MaxRecords: 8,
				BlockedPatterns: []string{repeatedDigits}},
			cdp.IdentifierLoyaltyID:    {Trusted: true, Priority: 85, MaxRecords: 4},
			cdp.IdentifierSocialHandle: {Trusted: true, Priority: 70, MaxRecords: 4},
			cdp.IdentifierExternalID:   {Trusted: true, Priority: 75, MaxRecords: 4},
			// An equal document number links records on its own (names and birth dates that
			// clearly differ still keep them apart); a different one vetoes the merge.
			cdp.IdentifierNationalID: {Trusted: true, Exclusive: true, Veto: true, Priority: 60, MaxRecords: 6,
				BlockedPatterns: []string{placeholderDocument}},
			cdp.IdentifierPassport: {Trusted: true, Exclusive: true, Veto: true, Priority: 55, MaxRecords: 6,
				BlockedPatterns: []string{placeholderDocument}},
			cdp.IdentifierTaxID: {Trusted: true, Exclusive: true, Veto: true, Priority: 50, MaxRecords: 6,
				BlockedPatterns: []string{placeholderDocument}},
			cdp.IdentifierDeviceID: {Trusted: false, Priority: 20, MaxRecords: 10},
			cdp.IdentifierCookieID: {Trusted: false, Priority: 10, MaxRecords: 10},
		},
		SourcePriority: map[string]int{"crm": 30, "erp": 25, "pos": 20, "web": 15},
		Survivorship:   DefaultSurvivorship(),
	}
	if err := r.compile(); err != nil {
		panic(err) // the defaults are constants
	}
	return r
}

// LoadRules reads rules from a JSON file; types and sources it leaves out keep their defaults.
func LoadRules(path string) (Rules, error) {
	r := DefaultRules()
	b, err := os.ReadFile(path)
	if err != nil {
		return r, err
	}
	var override Rules
	if err := json.Unmarshal(b, &override); err != nil {
		return r, fmt.Errorf("identity rules %s: %w", path, err)
	}
	for typ, rule := range override.Identifiers {
		if !validType(typ) {
			return r, fmt.Errorf("identity rules %s: unknown identifier type %q", path, typ)
		}
		r.Identifiers[typ] = rule
	}
	for src, p := range override.SourcePriority {
		r.SourcePriority[src] = p
	}
	for field, strategy := range override.Survivorship {
		if strategy != MostRecent && strategy != SourcePriority && strategy != MostFrequent {
			return r, fmt.Errorf("identity rules %s: survivorship of %s: unknown strategy %q", path, field, strategy)
		}
		if field != "address" && !validField(field) {
			return r, fmt.Errorf("identity rules %s: survivorship: unknown field %q", path, field)
		}
		r.Survivorship[field] = strategy
	}
	if override.Matching != (match.Options{}) {
		r.Matching = override.Matching
	}
	if err := r.compile(); err != nil {
		return r, fmt.Errorf("identity rules %s: %w", path, err)
	}
	return r, nil
}

func validField(f string) bool {
	for _, known := range cdp.ProfileFields {
		if f == known {
			return true
		}
	}
	return false
}

func validType(t cdp.IdentifierType) bool {
	for _, known := range cdp.IdentifierTypes {
		if t == known {
			return true
		}
	}
	return false
}

func (r *Rules) compile() error {
	for typ, rule := range r.Identifiers {
		if rule.MaxRecords <= 0 {
			return fmt.Errorf("%s: max_records must be at least 1", typ)
		}
		if rule.Veto && !rule.Exclusive {
			return fmt.Errorf("%s: veto needs exclusive: only an identifier one person holds one value of can tell two people apart", typ)
		}
		rule.blocked = map[string]bool{}
		for _, v := range rule.Blocked {
			rule.blocked[v] = true
		}
		rule.patterns = rule.patterns[:0]
		for _, p := range rule.BlockedPatterns {
			re, err := regexp.Compile(p)
			if err != nil {
				return fmt.Errorf("%s: blocked pattern %q: %w", typ, p, err)
			}
			rule.patterns = append(rule.patterns, re)
		}
	}
	return nil
}

// Blocked reports whether an identifier value is on its type's block list.
func (r Rules) Blocked(id cdp.Identifier) bool {
	rule := r.Identifiers[id.Type]
	if rule == nil {
		return false
	}
	if rule.blocked[id.Value] {
		return true
	}
	for _, re := range rule.patterns {
		if re.MatchString(id.Value) {
			return true
		}
	}
	return false
}

// TrustedTypes returns the identifier types that merge on their own, sorted.
func (r Rules) TrustedTypes() []string {
	var out []string
	for t, rule := range r.Identifiers {
		if rule.Trusted {
			out = append(out, string(t))
		}
	}
	sort.Strings(out)
	return out
}

// Trusts reports whether identifiers of type t merge records on their own. Types without
// a rule do not: they are not identifiers resolution knows.
func (r Rules) Trusts(t cdp.IdentifierType) bool {
	rule := r.Identifiers[t]
	return rule != nil && rule.Trusted
}

// Exclusive reports whether one person holds one value of type t (a different value is
// evidence of a different person).
func (r Rules) Exclusive(t cdp.IdentifierType) bool {
	rule := r.Identifiers[t]
	return rule != nil && rule.Exclusive
}

// Vetoes reports whether different values of type t forbid a merge by the matcher or by a
// shared non-exclusive identifier.
func (r Rules) Vetoes(t cdp.IdentifierType) bool {
	rule := r.Identifiers[t]
	return rule != nil && rule.Exclusive && rule.Veto
}

// ExclusiveTypes returns the exclusive identifier types, sorted.
func (r Rules) ExclusiveTypes() []string {
	var out []string
	for t, rule := range r.Identifiers {
		if rule.Exclusive {
			out = append(out, string(t))
		}
	}
	sort.Strings(out)
	return out
}
