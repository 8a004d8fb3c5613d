package segment

import (
	"errors"
	"math"
	"strings"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
)

func intp(n int) *int           { return &n }
func floatp(x float64) *float64 { return &x }

// every holds one valid node of each kind.
var every = []Definition{
	{Profile: &Profile{Field: "country", Op: OpEq, Values: []string{"cn"}}},
	{Profile: &Profile{Field: "source", Op: OpNotIn, Values: []string{"pos", "web"}}},
	{Age: &Age{Min: intp(18), Max: intp(30)}},
	{Identifier: &Identifier{Type: "email", Present: true}},
	{Consent: &Consent{Purpose: "sms_marketing", Granted: true}},
	{Score: &Score{Field: "clv", Min: floatp(100)}},
	{RFMSegments: []string{"Champions"}},
	{ChurnBands: []string{"HIGH", "critical"}},
	{Purchased: &Purchased{Category: "tea", MinTimes: 2, WithinDays: 90}},
	{Event: &Event{Type: "login", WithinDays: 30, Absent: true}},
	{NearDetractor: &NearDetractor{Hops: 3}},
	{ReferredByInfluencer: &ReferredByInfluencer{TopRank: 10}},
	{InCommunity: &InCommunity{ID: "k7"}},
	{HouseholdHighValue: &HouseholdHighValue{MinCLV: 1000}},
}

func TestValidateAcceptsEveryPredicateAndCombinator(t *testing.T) {
	for _, d := range every {
		if err := d.Validate(); err != nil {
			t.Errorf("%+v: %v", d, err)
		}
	}
	d := Definition{And: []Definition{
		{Or: every[:7]},
		{Not: &Definition{Or: every[7:]}},
	}}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateNamesThePathAndTheProblem(t *testing.T) {
	nested := func(depth int) Definition {
		d := Definition{InCommunity: &InCommunity{ID: "k"}}
		for range depth - 1 {
			inner := d
			d = Definition{Not: &inner}
		}
		return d
	}
	many := make([]Definition, MaxNodes) // with the root: one node too many
	for i := range many {
		many[i] = Definition{InCommunity: &InCommunity{ID: "k"}}
	}
	inf := math.Inf(1)
	within := func(d Definition) Definition {
		return Definition{And: []Definition{every[0], d}}
	}
	for _, tc := range []struct {
		name, field, message string
		d                    Definition
	}{
		{"empty node", "definition", "is empty", Definition{}},
		{"two kinds in a node", "definition", "sets profile and age", Definition{Profile: every[0].Profile, Age: every[2].Age}},
		{"empty and", "definition.and", "empty list", Definition{And: []Definition{}}},
		{"empty or deep inside", "definition.and[1].or", "empty list", within(Definition{Or: []Definition{}})},
		{"empty not child", "definition.not", "is empty", Definition{Not: &Definition{}}},
		{"too deep", "definition" + strings.Repeat(".not", MaxDepth), "more than 10 levels", nested(MaxDepth + 1)},
		{"too many nodes", "definition", "more than 100 nodes", Definition{Or: many}},

		{"unknown profile field", "definition.and[1].profile.field", `unknown field "email"`,
			within(Definition{Profile: &Profile{Field: "email", Op: OpEq, Values: []string{"a@b.c"}}})},
		{"unknown operator", "definition.profile.op", `unknown operator "contains"`,
			Definition{Profile: &Profile{Field: "city", Op: "contains", Values: []string{"x"}}}},
		{"eq with two values", "definition.profile.values", "exactly one value",
			Definition{Profile: &Profile{Field: "city", Op: OpEq, Values: []string{"a", "b"}}}},
		{"in without values", "definition.profile.values", "is missing",
			Definition{Profile: &Profile{Field: "city", Op: OpIn}}},
		{"in with an empty list", "definition.profile.values", "empty list",
			Definition{Profile: &Profile{Field: "city", Op: OpIn, Values: []string{}}}},
		{"blank value", "definition.profile.values[1]", "is empty",
			Definition{Profile: &Profile{Field: "country", Op: OpIn, Values: []string{"CN", "  "}}}},
		{"too many values", "definition.profile.values", "more than 1000",
			Definition{Profile: &Profile{Field: "city", Op: OpIn, Values: make([]string, MaxValues+1)}}},

		{"age without bounds", "definition.age", "needs min, max or both", Definition{Age: &Age{}}},
		{"negative age", "definition.age.min", "between 0 and 150", Definition{Age: &Age{Min: intp(-1)}}},
		{"age min above max", "definition.age", "min 40 is greater than max 30", Definition{Age: &Age{Min: intp(40), Max: intp(30)}}},

		{"unknown identifier", "definition.identifier.type", `unknown identifier type "driving_licence"`,
			Definition{Identifier: &Identifier{Type: "driving_licence"}}},
		{"unknown purpose", "definition.consent.purpose", `unknown purpose "spam"`,
			Definition{Consent: &Consent{Purpose: "spam"}}},

		{"unknown score", "definition.score.field", `unknown score "c.clv"`, Definition{Score: &Score{Field: "c.clv", Min: floatp(1)}}},
		{"score without bounds", "definition.score", "needs min, max or both", Definition{Score: &Score{Field: "clv"}}},
		{"infinite score bound", "definition.score.max", "finite", Definition{Score: &Score{Field: "clv", Max: &inf}}},
		{"score min above max", "definition.score", "min 2 is greater than max 1",
			Definition{Score: &Score{Field: "loyalty", Min: floatp(2), Max: floatp(1)}}},

		{"empty rfm segments", "definition.rfmSegments", "empty list", Definition{RFMSegments: []string{}}},
		{"blank rfm segment", "definition.rfmSegments[0]", "is empty", Definition{RFMSegments: []string{""}}},
		{"unknown churn band", "definition.churnBands[1]", `unknown churn band "severe"`, Definition{ChurnBands: []string{"high", "severe"}}},

		{"category and sku", "definition.and[1].purchased", "both category and sku",
			within(Definition{Purchased: &Purchased{Category: "tea", SKU: "T-1"}})},
		{"blank sku", "definition.purchased.sku", "is blank",
			Definition{Purchased: &Purchased{SKU: " "}}},
		{"negative window", "definition.and[1].purchased.withinDays", "between 1 and 36500",
			within(Definition{Purchased: &Purchased{WithinDays: -1}})},
		{"window too long", "definition.purchased.withinDays", "between 1 and 36500",
			Definition{Purchased: &Purchased{WithinDays: MaxWithinDays + 1}}},
		{"negative min times", "definition.purchased.minTimes", "between 1 and 10000",
			Definition{Purchased: &Purchased{MinTimes: -2}}},

		{"event without type", "definition.event.type", `unknown event type ""`, Definition{Event: &Event{}}},
		{"unknown event type", "definition.event.type", `unknown event type "purchase"`, Definition{Event: &Event{Type: "purchase"}}},
		{"absent with a count", "definition.event.minCount", "cannot be combined with absent",
			Definition{Event: &Event{Type: "login", MinCount: 3, Absent: true}}},

		{"zero hops", "definition.nearDetractor.hops", "must be 1, 2 or 3, not 0", Definition{NearDetractor: &NearDetractor{}}},
		{"four hops", "definition.nearDetractor.hops", "must be 1, 2 or 3, not 4", Definition{NearDetractor: &NearDetractor{Hops: 4}}},
		{"zero rank", "definition.referredByInfluencer.topRank", "at least 1", Definition{ReferredByInfluencer: &ReferredByInfluencer{}}},
		{"empty community", "definition.inCommunity.id", "is empty", Definition{InCommunity: &InCommunity{ID: " "}}},
		{"NaN clv", "definition.householdHighValue.minClv", "finite", Definition{HouseholdHighValue: &HouseholdHighValue{MinCLV: math.NaN()}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.d.Validate()
			var e *cdp.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want a *cdp.Error", err, err)
			}
			if e.Code != cdp.EINVALID || e.Field != tc.field || !strings.Contains(e.Message, tc.message) {
				t.Errorf("got %s %q %q; want invalid %q with %q", e.Code, e.Field, e.Message, tc.field, tc.message)
			}
			if _, err := Compile(tc.d, asOf); err == nil || err.Error() != e.Error() {
				t.Errorf("Compile returned %v, not the validation error", err)
			}
		})
	}
}

func TestValidateAcceptsTheLimits(t *testing.T) {
	nested := Definition{InCommunity: &InCommunity{ID: "k"}}
	for range MaxDepth - 1 {
		inner := nested
		nested = Definition{Not: &inner}
	}
	many := make([]Definition, MaxNodes-1)
	for i := range many {
		many[i] = Definition{InCommunity: &InCommunity{ID: "k"}}
	}
	for _, d := range []Definition{
		nested,
		{Or: many},
		{Age: &Age{Min: intp(0), Max: intp(MaxAge)}},
		{Purchased: &Purchased{WithinDays: MaxWithinDays, MinTimes: MaxCount}},
		{Event: &Event{Type: "login", MinCount: 1, Absent: true}},
		{Profile: &Profile{Field: "city", Op: OpIn, Values: make([]string, MaxValues)}},
	} {
		if d.Profile != nil {
			for i := range d.Profile.Values {
				d.Profile.Values[i] = "x"
			}
		}
		if err := d.Validate(); err != nil {
			t.Errorf("at a limit: %v", err)
		}
	}
}
