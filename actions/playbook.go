// Package actions turns customers' situations into next-best retention actions: a
// playbook of rules (configuration, not code) maps a situation, written as a segment
// definition, to an action with a channel and a reason; consent and frequency caps decide
// whether it may be sent.
package actions

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/segment"
)

// Rule maps a situation to an action.
type Rule struct {
	Action   string             `json:"action"`   // e.g. care_call, coupon, vip_invite
	Reason   string             `json:"reason"`   // shown with the action: why this customer
	Channel  string             `json:"channel"`  // phone, email, sms, wechat, app
	Priority int                `json:"priority"` // higher comes first
	CapDays  int                `json:"capDays"`  // not again within this many days
	When     segment.Definition `json:"when"`
}

// Playbook is the ordered set of rules and the global frequency cap.
type Playbook struct {
	Rules []Rule `json:"rules"`
	// MaxPerWeek caps marketing contacts (every channel but app) per customer per 7 days.
	MaxPerWeek int `json:"maxPerWeek"`
}

// ChannelPurpose is the consent a channel needs; "" means none (the customer's own app).
var ChannelPurpose = map[string]string{
	"email": "email_marketing", "sms": "sms_marketing", "phone": "phone_marketing", "wechat": "personalization", "app": "",
}

func score(field string, min, max *float64) *segment.Definition {
	return &segment.Definition{Score: &segment.Score{Field: field, Min: min, Max: max}}
}

func f(x float64) *float64 { return &x }

// DefaultPlaybook is a retail starting point; replace it with CDP_PLAYBOOK.
func DefaultPlaybook() Playbook {
	valuable := segment.Definition{RFMSegments: []string{"Champions", "Loyal", "Can't Lose Them"}}
	atRisk := segment.Definition{ChurnBands: []string{"high", "critical"}}
	return Playbook{MaxPerWeek: 2, Rules: []Rule{
		{Action: "care_call", Channel: "phone", Priority: 100, CapDays: 30,
			Reason: "high-value customer at risk of churning",
			When:   segment.Definition{And: []segment.Definition{valuable, atRisk}}},
		{Action: "retention_coupon", Channel: "email", Priority: 90, CapDays: 30,
			Reason: "high-value customer at risk of churning",
			When:   segment.Definition{And: []segment.Definition{valuable, atRisk}}},
		{Action: "service_recovery", Channel: "phone", Priority: 95, CapDays: 14,
			Reason: "unhappy customer with an open complaint",
			When:   segment.Definition{And: []segment.Definition{*score("openComplaints", f(1), nil), *score("sentimentAvg", nil, f(-0.2))}}},
		{Action: "vip_invite", Channel: "email", Priority: 70, CapDays: 90,
			Reason: "champion: buys often, recently and a lot",
			When:   segment.Definition{And: []segment.Definition{{RFMSegments: []string{"Champions"}}, {ChurnBands: []string{"low", "medium"}}}}},
		{Action: "referral_programme", Channel: "wechat", Priority: 60, CapDays: 90,
			Reason: "influential and happy: others listen to this customer",
			When:   segment.Definition{And: []segment.Definition{*score("influenceRank", nil, f(500)), *score("sentimentAvg", f(0), nil)}}},
		{Action: "onboarding", Channel: "email", Priority: 50, CapDays: 30,
			Reason: "new customer: first purchase was recent",
			When:   segment.Definition{RFMSegments: []string{"New"}}},
		{Action: "win_back_offer", Channel: "sms", Priority: 40, CapDays: 60,
			Reason: "lapsed customer: no recent purchase",
			When:   segment.Definition{RFMSegments: []string{"Hibernating", "Lost", "About to Sleep", "At Risk"}}},
	}}
}

// Actions lists the playbook's action names in rule order, each once.
func (p Playbook) Actions() []string {
	var out []string
	for _, r := range p.Rules {
		if !slices.Contains(out, r.Action) {
			out = append(out, r.Action)
		}
	}
	return out
}

// LoadPlaybook reads a playbook from JSON and validates it.
func LoadPlaybook(r io.Reader) (Playbook, error) {
	var p Playbook
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return p, &cdp.Error{Code: cdp.EINVALID, Field: "playbook", Message: err.Error()}
	}
	return p, p.Validate()
}

// Validate names the rule and field at fault.
func (p Playbook) Validate() error {
	if p.MaxPerWeek < 0 {
		return &cdp.Error{Code: cdp.EINVALID, Field: "playbook.maxPerWeek", Message: "must not be negative"}
	}
	seen := map[string]bool{}
	for i, r := range p.Rules {
		at := "playbook.rules[" + strconv.Itoa(i) + "]"
		switch {
		case r.Action == "":
			return &cdp.Error{Code: cdp.EINVALID, Field: at + ".action", Message: "is empty"}
		case seen[r.Action+"|"+r.Channel]:
			return &cdp.Error{Code: cdp.EINVALID, Field: at + ".action", Message: fmt.Sprintf("%s on %s is already a rule", r.Action, r.Channel)}
		case r.Reason == "":
			return &cdp.Error{Code: cdp.EINVALID, Field: at + ".reason", Message: "is empty: every action carries its reason"}
		case r.CapDays < 0:
			return &cdp.Error{Code: cdp.EINVALID, Field: at + ".capDays", Message: "must not be negative"}
		}
		if _, ok := ChannelPurpose[r.Channel]; !ok {
			return &cdp.Error{Code: cdp.EINVALID, Field: at + ".channel", Message: fmt.Sprintf("unknown channel %q (phone, email, sms, wechat, app)", r.Channel)}
		}
		if err := r.When.Validate(); err != nil {
			var e *cdp.Error
			if ok := asError(err, &e); ok {
				return &cdp.Error{Code: cdp.EINVALID, Field: at + ".when" + trimDefinition(e.Field), Message: e.Message}
			}
			return err
		}
		seen[r.Action+"|"+r.Channel] = true
	}
	return nil
}
