package cdpgraph

// The records below are what a source system sends, before validation: every value is
// the raw text the source had, so that one validator serves GraphQL mutations, CSV and
// NDJSON files alike and can name the field at fault. JSON tags are the NDJSON keys and
// CSV headers.

// RecordKind names a kind of record a batch can hold.
type RecordKind string

const (
	KindCustomers RecordKind = "customers"
	KindOrders    RecordKind = "orders"
	KindEvents    RecordKind = "events"
	KindFeedback  RecordKind = "feedback"
	KindSocial    RecordKind = "social"
	KindConsents  RecordKind = "consents"
)

// RecordKinds lists every kind in the order a full load should apply them: customers
// first so that later kinds find the records they refer to (they still land if not).
var RecordKinds = []RecordKind{KindCustomers, KindOrders, KindEvents, KindFeedback, KindSocial, KindConsents}

// CustomerRecord is one source system's view of a person.
type CustomerRecord struct {
	SourceID     string `json:"source_id"`
	GivenName    string `json:"given_name,omitempty"`
	FamilyName   string `json:"family_name,omitempty"`
	FullName     string `json:"full_name,omitempty"`
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
	BirthDate    string `json:"birth_date,omitempty"`
	Gender       string `json:"gender,omitempty"`
	AddressLine1 string `json:"address_line1,omitempty"`
	AddressLine2 string `json:"address_line2,omitempty"`
	City         string `json:"city,omitempty"`
	Region       string `json:"region,omitempty"`
	Postcode     string `json:"postcode,omitempty"`
	Country      string `json:"country,omitempty"`
	LoyaltyID    string `json:"loyalty_id,omitempty"`
	DeviceID     string `json:"device_id,omitempty"`
	CookieID     string `json:"cookie_id,omitempty"`
	SocialHandle string `json:"social_handle,omitempty"`
	// Personal document numbers: identifiers of types national_id, passport and tax_id.
	NationalID  string             `json:"national_id,omitempty"`
	Passport    string             `json:"passport,omitempty"`
	TaxID       string             `json:"tax_id,omitempty"`
	Identifiers []IdentifierRecord `json:"identifiers,omitempty"`
	UpdatedAt   string             `json:"updated_at,omitempty"`
}

// IdentifierRecord is an extra identifier beyond the named fields of a CustomerRecord.
type IdentifierRecord struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// OrderRecord is a purchase with its line items.
type OrderRecord struct {
	SourceID         string            `json:"source_id"`
	CustomerSourceID string            `json:"customer_source_id"`
	OrderedAt        string            `json:"ordered_at"`
	Currency         string            `json:"currency"`
	Total            string            `json:"total,omitempty"`
	Status           string            `json:"status,omitempty"`
	Channel          string            `json:"channel,omitempty"`
	StoreID          string            `json:"store_id,omitempty"`
	Items            []OrderItemRecord `json:"items"`
}

// OrderItemRecord is one line of an order.
type OrderItemRecord struct {
	SKU       string `json:"sku"`
	Name      string `json:"name,omitempty"`
	Category  string `json:"category,omitempty"`
	Quantity  string `json:"quantity"`
	UnitPrice string `json:"unit_price"`
}

// EventRecord is one behaviour event: a view, search, click, cart change, login...
type EventRecord struct {
	SourceID         string `json:"source_id"`
	CustomerSourceID string `json:"customer_source_id"`
	Type             string `json:"type"`
	OccurredAt       string `json:"occurred_at"`
	Channel          string `json:"channel,omitempty"`
	SKU              string `json:"sku,omitempty"`
	Query            string `json:"query,omitempty"`
	URL              string `json:"url,omitempty"`
	SessionID        string `json:"session_id,omitempty"`
}

// FeedbackRecord is a survey answer, review, complaint, support ticket or social post.
type FeedbackRecord struct {
	SourceID         string `json:"source_id"`
	CustomerSourceID string `json:"customer_source_id"`
	Kind             string `json:"kind"`
	CreatedAt        string `json:"created_at"`
	Channel          string `json:"channel,omitempty"`
	Rating           string `json:"rating,omitempty"`
	Text             string `json:"text,omitempty"`
	Status           string `json:"status,omitempty"`
	SKU              string `json:"sku,omitempty"`
}

// SocialRecord is a tie between two accounts of the same source: a follow, referral,
// share or mention. It is keyed by its endpoints and type, so a replay changes nothing.
type SocialRecord struct {
	FromSourceID string `json:"from_source_id"`
	ToSourceID   string `json:"to_source_id"`
	Type         string `json:"type"`
	OccurredAt   string `json:"occurred_at,omitempty"`
	Count        string `json:"count,omitempty"`
}

// ConsentRecord is one consent decision for one purpose. Decisions are kept as history;
// the latest per purpose is the one in force.
type ConsentRecord struct {
	SourceID         string `json:"source_id"`
	CustomerSourceID string `json:"customer_source_id"`
	Purpose          string `json:"purpose"`
	Granted          string `json:"granted"`
	OccurredAt       string `json:"occurred_at"`
}
