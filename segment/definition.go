// Package segment describes customer segments as data and compiles them to Cypher.
//
// A Definition is a tree: inner nodes combine their children with and, or and not;
// leaves are predicates about one customer (profile fields, age, identifiers, consent,
// scores, purchases, behaviour, and patterns in the social and household graph).
// Definitions are plain structs with camelCase JSON tags so they can be stored as JSON
// and accepted from GraphQL.
//
// Compile turns a valid definition into one boolean Cypher expression over a variable c
// bound to a :Customer, with every value the caller gave in parameters. The Cypher text is
// made only of constant fragments picked by validated enums, so a definition can never
// inject Cypher. The package does not talk to Neo4j; the neo4j package runs the queries.
package segment

import (
	"strconv"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Limits keep a definition cheap to validate and to run.
const (
	MaxDepth      = 10    // nesting levels, the root being level 1
	MaxNodes      = 100   // nodes in the whole tree, combinators included
	MaxValues     = 1000  // values in one list
	MaxWithinDays = 36500 // a window of a hundred years is "ever" in practice
	MaxCount      = 10000 // of MinTimes and MinCount
	MaxAge        = 150
	MaxHops       = 3
)

// DetractorSentiment is the recent sentiment (sentimentAvg, see cdp.DetractorSentiment)
// at or below which a customer is a detractor, the same line the detractors listing draws.
const DetractorSentiment = cdp.DetractorSentiment

// Definition is one node of a segment definition. Exactly one field is set: And, Or or
// Not to combine other nodes, or one predicate. A slice counts as set when it is not nil,
// so an empty list is an error rather than a silently missing node.
//
// Not is the exact complement of its child: a customer matches Not when it does not
// match the child, including when the child cannot be decided for lack of data (a
// customer without a CLV matches Not{Score clv ≥ 100}).
type Definition struct {
	And []Definition `json:"and,omitempty"`
	Or  []Definition `json:"or,omitempty"`
	Not *Definition  `json:"not,omitempty"`

	Profile    *Profile    `json:"profile,omitempty"`
	Age        *Age        `json:"age,omitempty"`
	Identifier *Identifier `json:"identifier,omitempty"`
	Consent    *Consent    `json:"consent,omitempty"`
	Score      *Score      `json:"score,omitempty"`
	// RFMSegments matches customers whose latest RFM segment (c.rfmSegment, e.g.
	// "Champions") is one of these. Segment names are configurable, so Validate does not
	// check them; the Service does, against the configured names, in any case.
	RFMSegments []string `json:"rfmSegments,omitempty"`
	// ChurnBands matches customers whose latest churn band (c.churnBand) is one of these:
	// LOW, MEDIUM, HIGH or CRITICAL (any case). Unscored customers have no band.
	ChurnBands []string `json:"churnBands,omitempty"`

	Purchased *Purchased `json:"purchased,omitempty"`
	Event     *Event     `json:"event,omitempty"`

	NearDetractor        *NearDetractor        `json:"nearDetractor,omitempty"`
	ReferredByInfluencer *ReferredByInfluencer `json:"referredByInfluencer,omitempty"`
	InCommunity          *InCommunity          `json:"inCommunity,omitempty"`
	HouseholdHighValue   *HouseholdHighValue   `json:"householdHighValue,omitempty"`
}

// Profile operators.
const (
	OpEq     = "eq"     // the field equals the one value
	OpIn     = "in"     // the field is one of the values
	OpNotIn  = "notIn"  // the complement of in: customers without the field match too
	OpPrefix = "prefix" // the field starts with the one value
)

// Profile matches a golden-record field of the customer.
//
// Field is one of country, city, gender, region, postcode or source. Source asks about
// the systems the customer has records from (c.sources): eq is "has a record from this
// source", in "from any of these", notIn "from none of these", prefix "from a source
// whose name starts with this".
//
// Values are compared exactly after trimming white space, with the case the store keeps:
// country codes and postcodes are upper-cased, genders lower-cased. eq and prefix take
// exactly one value; in and notIn take one or more. A customer without the field matches
// only notIn.
type Profile struct {
	Field  string   `json:"field"`
	Op     string   `json:"op"`
	Values []string `json:"values"`
}

// Age matches customers whose age in whole years on the as-of date (UTC) is within
// [Min, Max]; either bound may be left out, not both. Age comes from c.birthDate
// (YYYY-MM-DD): someone born on the as-of date's day and month has just had the birthday.
// Customers without a birth date do not match.
type Age struct {
	Min *int `json:"min,omitempty"`
	Max *int `json:"max,omitempty"`
}

// Identifier matches customers that have (Present) or lack (!Present) an identifier of
// Type on any of their source records: email, phone, loyalty_id, social_handle,
// external_id, device_id or cookie_id.
type Identifier struct {
	Type    string `json:"type"`
	Present bool   `json:"present"`
}

// Consent matches on the consent in force for Purpose (email_marketing, sms_marketing,
// phone_marketing, profiling, partner_sharing, personalization): the latest decision
// across all the customer's records (ties on time broken by the decision's key, as the
// 360 view does). A customer who never decided has not consented: Granted=false matches
// them, Granted=true does not.
type Consent struct {
	Purpose string `json:"purpose"`
	Granted bool   `json:"granted"`
}

// Score matches customers whose score Field lies within [Min, Max]; either bound may be
// left out, not both. Fields are properties the scoring and influence runs write on the
// customer: clv, churnRisk, pAlive, loyalty, revenue, expectedPurchases90, complaints,
// openComplaints, sentimentAvg, rfmR, rfmF, rfmM, influenceScore, influenceRank, reach2.
// Customers without the score (not scored yet, or no purchase to score) do not match.
type Score struct {
	Field string   `json:"field"`
	Min   *float64 `json:"min,omitempty"`
	Max   *float64 `json:"max,omitempty"`
}

// Purchased matches customers with at least MinTimes orders (default 1) that contain a
// product of Category, or the product SKU, or anything when neither is given (setting
// both is an error). Cancelled, returned and refunded orders do not count, nor do orders
// after the as-of date; WithinDays > 0 counts only orders placed in the last WithinDays
// days before it. Orders are counted, not lines or units: "bought tea at least twice in
// the last 90 days" is {category: tea, minTimes: 2, withinDays: 90}.
type Purchased struct {
	Category   string `json:"category,omitempty"`
	SKU        string `json:"sku,omitempty"`
	MinTimes   int    `json:"minTimes,omitempty"`
	WithinDays int    `json:"withinDays,omitempty"`
}

// Event matches customers with at least MinCount (default 1) behaviour events of Type
// (view, search, login, ...) up to the as-of date, within the last WithinDays days when
// that is > 0. Absent inverts it: no such event at all in the window ("no login in the
// last 30 days" is {type: login, withinDays: 30, absent: true}); it cannot take a
// MinCount above 1.
type Event struct {
	Type       string `json:"type"`
	MinCount   int    `json:"minCount,omitempty"`
	WithinDays int    `json:"withinDays,omitempty"`
	Absent     bool   `json:"absent,omitempty"`
}

// NearDetractor matches customers within Hops (1–3) social ties of a detractor, another
// customer whose recent sentiment (sentimentAvg: feedback texts in the 365 days before the
// latest scoring) is at or below DetractorSentiment. A tie is a follow,
// referral, share or mention between records of two customers, in either direction; a
// chain may continue from any record of the customer it reaches.
type NearDetractor struct {
	Hops int `json:"hops"`
}

// ReferredByInfluencer matches customers referred by (c.referredBy) a customer ranked
// TopRank or better by influence (rank 1 is the most influential).
type ReferredByInfluencer struct {
	TopRank int `json:"topRank"`
}

// InCommunity matches customers the latest influence run put in community ID.
type InCommunity struct {
	ID string `json:"id"`
}

// HouseholdHighValue matches customers living in a household where someone, the
// customer included, has a CLV of at least MinCLV. Customers without a household do not
// match.
type HouseholdHighValue struct {
	MinCLV float64 `json:"minClv"`
}

// ProfileRead is a profile field a definition's predicate reads: where in the definition
// (e.g. "definition.and[0].profile") and which field, as a schema coordinate
// ("Profile.postcode"), so access rules on the field apply to selecting by it.
type ProfileRead struct {
	Path, Coordinate string
}

// ProfileReads lists the profile fields the definition's predicates read, in order.
func (d Definition) ProfileReads() []ProfileRead {
	var out []ProfileRead
	var walk func(d *Definition, path string)
	walk = func(d *Definition, path string) {
		for i := range d.And {
			walk(&d.And[i], path+".and["+strconv.Itoa(i)+"]")
		}
		for i := range d.Or {
			walk(&d.Or[i], path+".or["+strconv.Itoa(i)+"]")
		}
		if d.Not != nil {
			walk(d.Not, path+".not")
		}
		if d.Profile != nil && d.Profile.Field != sourceField {
			out = append(out, ProfileRead{Path: path + ".profile", Coordinate: "Profile." + d.Profile.Field})
		}
		if d.Age != nil {
			out = append(out, ProfileRead{Path: path + ".age", Coordinate: "Profile.birthDate"})
		}
	}
	walk(&d, "definition")
	return out
}
