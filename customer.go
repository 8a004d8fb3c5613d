package cdpgraph

import (
	"context"
	"time"
)

// IdentifierType names a kind of identifier. Values are stored normalized, so two records
// carrying the same identifier point at the same Identifier node.
type IdentifierType string

const (
	IdentifierEmail        IdentifierType = "email"
	IdentifierPhone        IdentifierType = "phone"
	IdentifierLoyaltyID    IdentifierType = "loyalty_id"
	IdentifierDeviceID     IdentifierType = "device_id"
	IdentifierCookieID     IdentifierType = "cookie_id"
	IdentifierSocialHandle IdentifierType = "social_handle"
	IdentifierExternalID   IdentifierType = "external_id"
	// Personal documents: one person holds one value of each (a resident identity card
	// number, a passport number, a tax number), so a different value says "someone else".
	IdentifierNationalID IdentifierType = "national_id"
	IdentifierPassport   IdentifierType = "passport"
	IdentifierTaxID      IdentifierType = "tax_id"
)

// IdentifierTypes lists every identifier type in display order.
var IdentifierTypes = []IdentifierType{
	IdentifierEmail, IdentifierPhone, IdentifierLoyaltyID, IdentifierSocialHandle,
	IdentifierExternalID, IdentifierNationalID, IdentifierPassport, IdentifierTaxID,
	IdentifierDeviceID, IdentifierCookieID,
}

// Identifier is a normalized identifier value of one type.
type Identifier struct {
	Type  IdentifierType
	Value string
}

// Key is the identifier's unique key in the graph.
func (i Identifier) Key() string { return string(i.Type) + ":" + i.Value }

// RecordKey is the graph key of anything a source sent: its source and its id there.
func RecordKey(source, sourceID string) string { return source + ":" + sourceID }

// Profile holds the personal fields of a person, normalized. Empty means unknown.
type Profile struct {
	GivenName    string
	FamilyName   string
	FullName     string
	Email        string
	Phone        string
	BirthDate    string // YYYY-MM-DD
	Gender       string
	AddressLine1 string
	AddressLine2 string
	City         string
	Region       string
	Postcode     string
	Country      string // ISO 3166-1 alpha-2
}

// ProfileFields names the Profile fields in the order they are stored and shown.
var ProfileFields = []string{
	"givenName", "familyName", "fullName", "email", "phone", "birthDate", "gender",
	"addressLine1", "addressLine2", "city", "region", "postcode", "country",
}

// Get returns a profile field by its name in ProfileFields.
func (p *Profile) Get(field string) string {
	if f := p.field(field); f != nil {
		return *f
	}
	return ""
}

// Set sets a profile field by its name in ProfileFields; unknown names are ignored.
func (p *Profile) Set(field, value string) {
	if f := p.field(field); f != nil {
		*f = value
	}
}

func (p *Profile) field(name string) *string {
	switch name {
	case "givenName":
		return &p.GivenName
	case "familyName":
		return &p.FamilyName
	case "fullName":
		return &p.FullName
	case "email":
		return &p.Email
	case "phone":
		return &p.Phone
	case "birthDate":
		return &p.BirthDate
	case "gender":
		return &p.Gender
	case "addressLine1":
		return &p.AddressLine1
	case "addressLine2":
		return &p.AddressLine2
	case "city":
		return &p.City
	case "region":
		return &p.Region
	case "postcode":
		return &p.Postcode
	case "country":
		return &p.Country
	}
	return nil
}

// SourceRecord is one source system's validated view of a person.
type SourceRecord struct {
	Source      string
	SourceID    string
	Profile     Profile
	Identifiers []Identifier
	UpdatedAt   time.Time // when the source last changed it; zero if the source did not say
	IngestedAt  time.Time
	Placeholder bool // referenced by an order or event before the source sent the record itself
	CustomerID  string
}

// Key is the record's graph key.
func (r *SourceRecord) Key() string { return RecordKey(r.Source, r.SourceID) }

// Provenance says which source record supplied a golden-record field.
type Provenance struct {
	Field    string
	Source   string
	SourceID string
}

// Customer is a resolved person: the golden record over the source records that resolve to it.
type Customer struct {
	ID string
	// MergedIDs are the ids of customers merged into this one; each still finds it.
	MergedIDs   []string
	Profile     Profile
	Provenance  []Provenance
	Sources     []string
	RecordCount int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Metrics     *Metrics   // the latest scores; nil until the customer is first scored
	Influence   *Influence // nil until an influence run finds the customer in the social graph
	// Quality is the cluster quality of its records as the last resolution left it; nil
	// for customers resolved before it was kept.
	Quality *ClusterQuality
}

// Money is an exact amount: Amount is a decimal string with the currency's decimals, Minor
// the same amount in minor units (cents) for arithmetic.
type Money struct {
	Amount   string
	Minor    int64
	Currency string
}

// Order is a purchase.
type Order struct {
	Source           string
	SourceID         string
	CustomerSourceID string
	OrderedAt        time.Time
	Total            Money
	Status           string
	Channel          string
	StoreID          string
	Items            []OrderItem
}

// Key is the order's graph key.
func (o *Order) Key() string { return RecordKey(o.Source, o.SourceID) }

// OrderItem is one line of an order.
type OrderItem struct {
	Product   Product
	Quantity  int
	UnitPrice Money
	LineTotal Money
}

// Product is a catalogue item, keyed by SKU across sources.
type Product struct {
	SKU      string
	Name     string
	Category string
}

// Event is one behaviour event.
type Event struct {
	Source           string
	SourceID         string
	CustomerSourceID string
	Type             string
	OccurredAt       time.Time
	Channel          string
	SKU              string
	Query            string
	URL              string
	SessionID        string
}

// Key is the event's graph key.
func (e *Event) Key() string { return RecordKey(e.Source, e.SourceID) }

// Feedback is a survey answer, review, complaint, ticket or social post.
type Feedback struct {
	Source           string
	SourceID         string
	CustomerSourceID string
	Kind             string
	CreatedAt        time.Time
	Channel          string
	Rating           *int
	Text             string
	Status           string
	SKU              string
	Sentiment        *Sentiment // of Text; nil without a text
}

// Sentiment is what a feedback text says and how it feels: polarity in [-1, 1], a label,
// the aspects it is about, and whether it is a complaint.
type Sentiment struct {
	Score     float64
	Label     string // positive, negative, neutral
	Language  string // zh, en, mixed, unknown
	Aspects   []AspectSentiment
	Complaint bool
}

// AspectSentiment is the sentiment about one aspect: delivery, price, quality, service,
// fit, app, packaging.
type AspectSentiment struct {
	Aspect string
	Score  float64
	Label  string
}

// Key is the feedback's graph key.
func (f *Feedback) Key() string { return RecordKey(f.Source, f.SourceID) }

// SocialTie is a directed tie between two accounts of one source.
type SocialTie struct {
	Source       string
	FromSourceID string
	ToSourceID   string
	Type         string // follows, referred, shared, mentioned
	OccurredAt   time.Time
	Count        int
}

// CustomerTie is a social tie seen from a customer: the other customer and the direction.
type CustomerTie struct {
	Type       string
	Outgoing   bool
	CustomerID string // the other customer; empty if that account is not resolved yet
	Source     string
	Count      int
	OccurredAt time.Time
}

// Consent is one consent decision.
type Consent struct {
	Source           string
	SourceID         string
	CustomerSourceID string
	Purpose          string
	Granted          bool
	OccurredAt       time.Time
}

// Key is the consent decision's graph key.
func (c *Consent) Key() string { return RecordKey(c.Source, c.SourceID) }

// Social tie types, event types, feedback kinds and consent purposes the platform knows.
var (
	SocialTieTypes   = []string{"follows", "referred", "shared", "mentioned"}
	EventTypes       = []string{"view", "search", "click", "add_to_cart", "remove_from_cart", "checkout", "login", "logout", "signup", "wishlist", "share", "app_open", "email_open", "email_click"}
	FeedbackKinds    = []string{"review", "survey", "complaint", "ticket", "post"}
	ConsentPurposes  = []string{"email_marketing", "sms_marketing", "phone_marketing", "profiling", "partner_sharing", "personalization"}
	OrderStatuses    = []string{"completed", "pending", "cancelled", "returned", "refunded"}
	FeedbackStatuses = []string{"open", "resolved", "closed"}
)

// WriteStats counts what a batch write did. Unchanged records were already stored exactly so.
type WriteStats struct {
	Created   int
	Updated   int
	Unchanged int
}

// Add adds other's counts to s.
func (s *WriteStats) Add(other WriteStats) {
	s.Created += other.Created
	s.Updated += other.Updated
	s.Unchanged += other.Unchanged
}

// IngestStore persists validated records. Every write is idempotent by source + source id:
// replaying a batch changes nothing, an updated record updates. A batch lands whole or not at all.
type IngestStore interface {
	WriteCustomers(ctx context.Context, recs []SourceRecord) (WriteStats, error)
	WriteOrders(ctx context.Context, orders []Order) (WriteStats, error)
	WriteEvents(ctx context.Context, events []Event) (WriteStats, error)
	WriteFeedback(ctx context.Context, feedback []Feedback) (WriteStats, error)
	WriteSocialTies(ctx context.Context, ties []SocialTie) (WriteStats, error)
	WriteConsents(ctx context.Context, consents []Consent) (WriteStats, error)
	// Suppressed says which of the record and identifier keys ("crm:C1", "email:...") are
	// on the suppression list: they belonged to people erased at their request.
	Suppressed(ctx context.Context, keys []string) (map[string]bool, error)
}

// CurrentConsents returns the decision in force for each purpose: the latest one.
func CurrentConsents(history []Consent) []Consent {
	latest := map[string]Consent{}
	for _, c := range history {
		if cur, ok := latest[c.Purpose]; !ok || c.OccurredAt.After(cur.OccurredAt) {
			latest[c.Purpose] = c
		}
	}
	out := make([]Consent, 0, len(latest))
	for _, p := range ConsentPurposes {
		if c, ok := latest[p]; ok {
			out = append(out, c)
		}
	}
	return out
}

// IdentityEvent is one step in a customer's identity history: a merge of two customers, a
// split of one, or an analyst's decision.
type IdentityEvent struct {
	ID       string
	Kind     string // merge, split
	At       time.Time
	Customer string // the customer that remains (merge) or that records were split from (split)
	Other    string // the absorbed customer (merge) or the new customer (split)
	Reason   string
	Via      []string // identifier keys or link kinds that caused it
}

// Record link kinds: the matcher's probabilistic merges and analysts' decisions.
const (
	LinkMatched       = "matched"
	LinkSamePerson    = "same_person"
	LinkNotSamePerson = "not_same_person"
)

// MaxRecordLinks bounds the record links read per customer.
const MaxRecordLinks = 500

// RecordLink is a direct link between two source records, at least one of them the
// customer's: a MATCHED pair (with its probability) or an analyst's SAME_PERSON /
// NOT_SAME_PERSON decision (with the reason given, if any). A not-same link may lead to a
// record of another customer. From and To are record keys, From the stored start.
type RecordLink struct {
	From, To    string
	Kind        string
	Probability *float64
	Reason      string
	At          *time.Time
}

// MatchStep is one link on the path that puts two records together.
type MatchStep struct {
	From, To string // record keys
	Kind     string // shared_identifier, probabilistic, manual
	Via      string // the identifier key, for shared identifiers
	Score    float64
}

// MatchExplanation says whether and why two records resolve to the same customer.
type MatchExplanation struct {
	SameCustomer bool
	CustomerA    string
	CustomerB    string
	Steps        []MatchStep
	// WhyApart says what keeps two records in different customers; nil when they share one.
	WhyApart *WhyApart
}

// WhyApart is why two records are in different customers: how the matcher scores the pair
// (each field's level and weight, the total and the thresholds) and the reasons, strongest
// first, that keep them apart.
type WhyApart struct {
	Score             *PairScore // nil before the first full resolve fitted a model
	MatchProbability  float64    // merge at or above
	ReviewProbability float64    // review at or above
	Reasons           []ApartReason
}

// PairScore is the matcher's score of a pair.
type PairScore struct {
	Probability float64 // posterior P(same person)
	Weight      float64 // sum of the fields' weights, in bits
	PriorWeight float64 // the prior log2 odds of a candidate pair of their sources
	Evidence    []FieldEvidence
}

// What keeps two records apart (ApartReason.Kind).
const (
	ApartNotSamePerson      = "not_same_person"      // an analyst said so, of these records or of their customers'
	ApartVeto               = "personal_veto"        // names or birth dates clearly differ and no personal evidence agrees
	ApartBridgeLimit        = "bridge_limit"         // a shared identifier is held by more records than its type allows
	ApartBlockedIdentifier  = "blocked_identifier"   // a shared identifier is on the block list
	ApartUntrusted          = "untrusted_identifier" // a shared identifier of a type that does not link on its own
	ApartConflictingHolders = "conflicting_holders"  // a shared identifier, but names or birth dates clearly differ
	ApartBelowReview        = "below_review"         // the match probability is below the review threshold
	ApartAwaitingReview     = "awaiting_review"      // in the review band: an analyst decides
	ApartNotCompared        = "not_compared"         // no blocking key in common: the matcher never compares them
	ApartNoModel            = "no_model"             // no fitted model yet: only identifiers link
	ApartNotLinkedYet       = "not_linked_yet"       // the model scores a match that no resolve has linked yet
)

// ApartReason is one reason two records are apart.
type ApartReason struct {
	Kind    string
	Message string // for analysts
	// Identifier, Records and Limit describe a shared identifier's part (bridge limit,
	// block list, trust, conflicting holders).
	Identifier *Identifier
	Records    int
	Limit      int
	// RecordA, RecordB and Reason describe an analyst's not-same-person decision.
	RecordA, RecordB string
	Reason           string
}

// ClusterQuality is how firmly a customer's records hold together: analysts review the
// shakiest customers first (CustomerOrderClusterDoubt).
type ClusterQuality struct {
	Records int
	Links   int // linked record pairs
	// WeakestLinkProbability is the lowest probability among the links that hold the
	// customer together (shared identifiers and analysts' links count as 1); nil for one record.
	WeakestLinkProbability *float64
	WeakestLink            *RecordLink
	// ArticulationRecords are record keys whose removal would split the customer (the
	// first MaxQualityItems of ArticulationCount).
	ArticulationRecords []string
	ArticulationCount   int
	// BridgeLinks are links whose removal would split it, weakest first (the first
	// MaxQualityItems of BridgeCount).
	BridgeLinks []RecordLink
	BridgeCount int
}

// MaxQualityItems bounds the articulation records and bridge links kept per customer.
const MaxQualityItems = 50

// FlaggedIdentifier is an identifier value held by too many records to link them: a
// bridge between people rather than a person's own.
type FlaggedIdentifier struct {
	Identifier Identifier
	Records    int
	Limit      int
	// Reason is too_many_records (it links nothing) or conflicting_holders (clearly
	// different people hold it; it links only the holders that agree).
	Reason string
}

// IdentityService explains and corrects identity resolution. Corrections are facts in the
// graph (same person / not the same person), so they survive later ingests and recomputes.
type IdentityService interface {
	ExplainMatch(ctx context.Context, recordA, recordB string) (*MatchExplanation, error)
	MarkNotSamePerson(ctx context.Context, recordA, recordB, reason string) error
	Unmerge(ctx context.Context, recordKeys []string, reason string) (string, error)
	MergeCustomers(ctx context.Context, customerIDs []string, reason string) (string, error)
	FlaggedIdentifiers(ctx context.Context, page PageArgs) (*Page[*FlaggedIdentifier], error)
	// HistoryByCustomerIDs returns each customer's first identity events, newest first, and their number.
	HistoryByCustomerIDs(ctx context.Context, ids []string, first int) (map[string]*Page[IdentityEvent], error)
	// RecordLinksByCustomerIDs returns each customer's first record links (MaxRecordLinks
	// at most), decisions first, then matches by falling probability.
	RecordLinksByCustomerIDs(ctx context.Context, ids []string, first int) (map[string][]RecordLink, error)
	Recompute(ctx context.Context) (RecomputeStats, error)
	ReviewQueue(ctx context.Context, page PageArgs) (*Page[*ReviewPair], error)
	DecideReview(ctx context.Context, recordA, recordB string, samePerson bool, reason string) error
	// MatchModel is the matcher the last full resolve fitted, or nil before the first.
	MatchModel(ctx context.Context) (*MatchModel, error)
}

// MatchModel is the fitted probabilistic matcher as an analyst reads it: what share of
// candidate pairs are matches, and what each field's agreement is worth.
type MatchModel struct {
	FittedAt          time.Time
	CandidatePairs    int
	PriorAcross       float64 // share of matches among candidate pairs from two sources
	PriorWithin       float64 // ... from one source
	MatchProbability  float64
	ReviewProbability float64
	BlockingKeys      []string
	Fields            []MatchField // the fields present in the data
}

// MatchField is one compared field with its levels, best agreement first.
type MatchField struct {
	Field, Method string
	Levels        []MatchLevel
}

// MatchLevel is one agreement level: P(level | match), P(level | non-match), the weight of
// evidence log2(m/u) and how many candidate pairs fell in it.
type MatchLevel struct {
	Level  string
	M, U   float64
	Weight float64
	Pairs  int
}

// RecomputeStats counts what a full recompute did.
type RecomputeStats struct {
	Records   int
	Customers int
	Matches   int // probabilistic links above the merge probability
	Review    int // pairs left for an analyst
}

// ReviewPair is a pair of records the matcher scored between its review and merge
// probabilities, waiting for an analyst's decision.
type ReviewPair struct {
	RecordA, RecordB string
	Probability      float64
	Evidence         []FieldEvidence
}

// FieldEvidence is how one field compared in a scored pair.
type FieldEvidence struct {
	Field      string
	Level      string
	Similarity float64
	Weight     float64 // log2(m/u): positive for agreement, negative for disagreement
}

// Household is the people living at one address.
type Household struct {
	Key          string
	AddressLine1 string
	City         string
	Postcode     string
	Country      string
	Size         int
}
