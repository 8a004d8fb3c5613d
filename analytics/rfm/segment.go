package rfm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The segment names of the default map.
const (
	Champions         = "Champions"
	Loyal             = "Loyal"
	PotentialLoyalist = "Potential Loyalist"
	New               = "New"
	Promising         = "Promising"
	NeedAttention     = "Need Attention"
	AboutToSleep      = "About to Sleep"
	AtRisk            = "At Risk"
	CantLoseThem      = "Can't Lose Them"
	Hibernating       = "Hibernating"
	Lost              = "Lost"
)

// Range is an inclusive range of scores, each bound 1–5.
type Range struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// Contains reports whether s lies in the range.
func (r Range) Contains(s int) bool { return r.Min <= s && s <= r.Max }

// Rule names the segment of every cell whose scores lie in its ranges. M is optional: nil
// matches any M score.
type Rule struct {
	Name string `json:"name"`
	R    Range  `json:"r"`
	F    Range  `json:"f"`
	M    *Range `json:"m,omitempty"`
}

// Matches reports whether the rule covers the cell (r, f, m).
func (ru Rule) Matches(r, f, m int) bool {
	return ru.R.Contains(r) && ru.F.Contains(f) && (ru.M == nil || ru.M.Contains(m))
}

// SegmentMap is an ordered list of rules; the first rule that matches a cell names its
// segment. Several rules may carry the same name, to give a segment a shape that one box
// cannot. A valid map covers all 125 (R, F, M) cells, so every scored customer gets a
// segment.
type SegmentMap struct {
	Rules []Rule `json:"rules"`
}

// DefaultSegmentMap is the classic R × F grid of RFM segmentation, with its lowest corner
// split into Hibernating and Lost to give the common eleven segments. It uses R and F
// only: frequency is the stronger signal of loyalty, and M usually tracks F closely; M is
// still scored and a custom map can use it. The rules are disjoint, so their order does not
// matter here. With R down the side and F across (README.md has the same table):
//
//	R\F  1                   2                   3                   4                 5
//	5    New                 Potential Loyalist  Potential Loyalist  Champions         Champions
//	4    Promising           Potential Loyalist  Potential Loyalist  Loyal             Loyal
//	3    About to Sleep      About to Sleep      Need Attention      Loyal             Loyal
//	2    Hibernating         Hibernating         At Risk             At Risk           Can't Lose Them
//	1    Lost                Lost                At Risk             At Risk           Can't Lose Them
func DefaultSegmentMap() SegmentMap {
	return SegmentMap{Rules: []Rule{
		{Name: Champions, R: Range{5, 5}, F: Range{4, 5}},
		{Name: Loyal, R: Range{3, 4}, F: Range{4, 5}},
		{Name: PotentialLoyalist, R: Range{4, 5}, F: Range{2, 3}},
		{Name: New, R: Range{5, 5}, F: Range{1, 1}},
		{Name: Promising, R: Range{4, 4}, F: Range{1, 1}},
		{Name: NeedAttention, R: Range{3, 3}, F: Range{3, 3}},
		{Name: AboutToSleep, R: Range{3, 3}, F: Range{1, 2}},
		{Name: CantLoseThem, R: Range{1, 2}, F: Range{5, 5}},
		{Name: AtRisk, R: Range{1, 2}, F: Range{3, 4}},
		{Name: Hibernating, R: Range{2, 2}, F: Range{1, 2}},
		{Name: Lost, R: Range{1, 1}, F: Range{1, 2}},
	}}
}

// Segment names the segment of the cell (r, f, mo): the name of the first rule that matches,
// or "" if none does or a score is outside 1–5 (an unscored customer).
func (m SegmentMap) Segment(r, f, mo int) string {
	if !valid(r) || !valid(f) || !valid(mo) {
		return ""
	}
	for _, ru := range m.Rules {
		if ru.Matches(r, f, mo) {
			return ru.Name
		}
	}
	return ""
}

// Names lists the distinct segment names in rule order.
func (m SegmentMap) Names() []string {
	var names []string
	seen := map[string]bool{}
	for _, ru := range m.Rules {
		if !seen[ru.Name] {
			seen[ru.Name] = true
			names = append(names, ru.Name)
		}
	}
	return names
}

// Validate checks every rule (a non-empty name; R and F present; every bound 1–5; min not
// above max) and that the rules cover all 125 cells. Errors name the rule by position and
// name and the field at fault, or the first uncovered cell.
func (m SegmentMap) Validate() error {
	if len(m.Rules) == 0 {
		return errNoRules
	}
	for i, ru := range m.Rules {
		if err := ru.validate(); err != nil {
			return fmt.Errorf("rfm: segment map: %s: %w", ruleLabel(i, ru.Name), err)
		}
	}
	for r := 1; r <= 5; r++ {
		for f := 1; f <= 5; f++ {
			for mo := 1; mo <= 5; mo++ {
				if m.Segment(r, f, mo) == "" {
					return fmt.Errorf("rfm: segment map: cell R=%d F=%d M=%d matches no rule", r, f, mo)
				}
			}
		}
	}
	return nil
}

func (ru Rule) validate() error {
	if strings.TrimSpace(ru.Name) == "" {
		return errors.New("name is empty")
	}
	if err := ru.R.validate("r"); err != nil {
		return err
	}
	if err := ru.F.validate("f"); err != nil {
		return err
	}
	if ru.M != nil {
		return ru.M.validate("m")
	}
	return nil
}

func (r Range) validate(field string) error {
	switch {
	case r.Min == 0 && r.Max == 0:
		return fmt.Errorf("%s is missing", field)
	case !valid(r.Min):
		return fmt.Errorf("%s.min %d is outside 1–5", field, r.Min)
	case !valid(r.Max):
		return fmt.Errorf("%s.max %d is outside 1–5", field, r.Max)
	case r.Min > r.Max:
		return fmt.Errorf("%s.min %d is above %s.max %d", field, r.Min, field, r.Max)
	}
	return nil
}

func valid(s int) bool { return 1 <= s && s <= 5 }

func ruleLabel(i int, name string) string {
	if name == "" {
		return fmt.Sprintf("rule %d", i)
	}
	return fmt.Sprintf("rule %d (%q)", i, name)
}

// LoadSegmentMap reads a map from JSON of the form
//
//	{"rules": [{"name": "Champions", "r": {"min": 5, "max": 5}, "f": {"min": 4, "max": 5}}, ...]}
//
// where "m" is optional, and validates it (see [SegmentMap.Validate]). Unknown fields are
// errors, not ignored, since a misspelt "m" would otherwise silently widen a rule; the
// error names the rule they are in. Rules are numbered from 0.
func LoadSegmentMap(r io.Reader) (SegmentMap, error) {
	var raw struct {
		Rules []json.RawMessage `json:"rules"`
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return SegmentMap{}, fmt.Errorf("rfm: segment map: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return SegmentMap{}, errors.New("rfm: segment map: unexpected data after the JSON object")
	}
	m := SegmentMap{Rules: make([]Rule, len(raw.Rules))}
	for i, b := range raw.Rules {
		// A lenient first pass recovers the name, so an error can say which rule it is in.
		var named struct {
			Name string `json:"name"`
		}
		_ = json.Unmarshal(b, &named)
		d := json.NewDecoder(bytes.NewReader(b))
		d.DisallowUnknownFields()
		if err := d.Decode(&m.Rules[i]); err != nil {
			return SegmentMap{}, fmt.Errorf("rfm: segment map: %s: %w", ruleLabel(i, named.Name), err)
		}
	}
	if err := m.Validate(); err != nil {
		return SegmentMap{}, err
	}
	return m, nil
}
