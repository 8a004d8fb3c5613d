package cdpgraph

import (
	"context"
	"time"
)

// MaxListFirst is the most items a bounded list (a `first` argument without `after`)
// returns at once, as connections do.
const MaxListFirst = 100

// PageArgs asks for a page of a connection: at most First items after the opaque cursor After.
type PageArgs struct {
	First int
	After string
	// SkipCount leaves TotalCount unset: nobody asked for it, and counting costs a read.
	SkipCount bool
}

// Page is one page of a connection, with an opaque cursor per item.
type Page[T any] struct {
	Items           []T
	Cursors         []string
	TotalCount      int
	HasNextPage     bool
	HasPreviousPage bool
}

// CustomerFilter narrows a customer listing. Zero fields do not filter.
type CustomerFilter struct {
	Search        string // case-insensitive prefix of full, given or family name, or exact email/phone
	Country       string
	City          string
	Source        string // has a record from this source
	CreatedAfter  *time.Time
	CreatedBefore *time.Time

	// On the latest scores.
	RFMSegment   string
	ChurnBands   []string // low, medium, high, critical
	MinChurnRisk *float64
	MaxChurnRisk *float64
	MinCLV       *float64
	MaxCLV       *float64
	MinLoyalty   *float64
	RFMR, RFMF   *int // RFM recency and frequency scores, 1–5: with both, one cell of the RFM grid

	// Segment keeps members of this saved segment (its plain id).
	Segment string

	// On the latest influence run.
	Community    string
	Influential  bool // only customers in the social graph
	MinSentiment *float64
	MaxSentiment *float64
}

// Validate checks the filter's bounded values; errors name the field as the API spells it.
func (f CustomerFilter) Validate() error {
	for _, s := range []struct {
		field string
		v     *int
	}{{"filter.rfmR", f.RFMR}, {"filter.rfmF", f.RFMF}} {
		if s.v != nil && (*s.v < 1 || *s.v > 5) {
			return FieldErrorf(s.field, "must be an RFM score from 1 to 5, not %d", *s.v)
		}
	}
	return nil
}

// CustomerOrderField is a sort key for customer listings.
type CustomerOrderField string

const (
	CustomerOrderCreatedAt  CustomerOrderField = "createdAt"
	CustomerOrderUpdatedAt  CustomerOrderField = "updatedAt"
	CustomerOrderFamilyName CustomerOrderField = "familyName"
	CustomerOrderChurnRisk  CustomerOrderField = "churnRisk"
	CustomerOrderCLV        CustomerOrderField = "clv"
	CustomerOrderPAlive     CustomerOrderField = "pAlive"
	CustomerOrderLoyalty    CustomerOrderField = "loyalty"
	CustomerOrderRevenue    CustomerOrderField = "revenue"
	CustomerOrderInfluence  CustomerOrderField = "influenceScore"
	CustomerOrderReach      CustomerOrderField = "reach2"
	CustomerOrderDriven     CustomerOrderField = "downstreamRevenue"
	// CustomerOrderClusterDoubt is 1 − the weakest link probability of the customer's
	// records (ClusterQuality); descending lists the shakiest clusters first.
	CustomerOrderClusterDoubt CustomerOrderField = "clusterDoubt"
)

// CustomerOrder sorts a customer listing; ties break on the customer id.
type CustomerOrder struct {
	Field CustomerOrderField
	Desc  bool
}

// EventFilter narrows a customer's events.
type EventFilter struct {
	Types []string
}

// CustomerReader reads customers and everything attached to them. The "By...IDs" methods
// take many parent ids at once and are meant to be called through per-request loaders, so
// a page of customers costs one query per field rather than one per customer.
type CustomerReader interface {
	FindCustomers(ctx context.Context, filter CustomerFilter, order CustomerOrder, page PageArgs) (*Page[*Customer], error)
	CustomersByIDs(ctx context.Context, ids []string) (map[string]*Customer, error)
	CustomerIDByIdentifier(ctx context.Context, id Identifier) (string, error)
	CustomerByIdentifier(ctx context.Context, id Identifier) (*Customer, error)
	// The ...With reads read the lists rel asks for in the statement that reads the customers.
	FindCustomersWith(ctx context.Context, filter CustomerFilter, order CustomerOrder, page PageArgs, rel Related) (*Page[*CustomerWith], error)
	CustomersWith(ctx context.Context, ids []string, rel Related) (map[string]*CustomerWith, error)
	CustomerByIdentifierWith(ctx context.Context, id Identifier, rel Related) (*CustomerWith, error)

	IdentifiersByCustomerIDs(ctx context.Context, ids []string) (map[string][]Identifier, error)
	SourceRecordsByCustomerIDs(ctx context.Context, ids []string) (map[string][]*SourceRecord, error)
	OrdersByCustomerIDs(ctx context.Context, ids []string, page PageArgs) (map[string]*Page[*Order], error)
	EventsByCustomerIDs(ctx context.Context, ids []string, filter EventFilter, page PageArgs) (map[string]*Page[*Event], error)
	FeedbackByCustomerIDs(ctx context.Context, ids []string, page PageArgs) (map[string]*Page[*Feedback], error)
	TiesByCustomerIDs(ctx context.Context, ids []string) (map[string][]CustomerTie, error)
	ConsentsByCustomerIDs(ctx context.Context, ids []string) (map[string][]Consent, error)
	HouseholdsByCustomerIDs(ctx context.Context, ids []string) (map[string]*Household, error)
	// MembersByHouseholdKeys returns the first members of each household, by customer id.
	MembersByHouseholdKeys(ctx context.Context, keys []string, first int) (map[string][]*Customer, error)

	// The First... reads are the API's bounded lists: per customer, the first `first`
	// children in the order of the full read above, and how many there are in all
	// (TotalCount, HasNextPage); first 0 only counts. The store reads no more than that.
	FirstIdentifiers(ctx context.Context, ids []string, first int) (map[string]*Page[Identifier], error)
	FirstSourceRecords(ctx context.Context, ids []string, first int) (map[string]*Page[*SourceRecord], error)
	FirstTies(ctx context.Context, ids []string, first int) (map[string]*Page[CustomerTie], error)
	FirstConsents(ctx context.Context, ids []string, first int) (map[string]*Page[Consent], error)
	// CurrentConsentsByCustomerIDs is CurrentConsents of each customer's history, read
	// without the whole history.
	CurrentConsentsByCustomerIDs(ctx context.Context, ids []string) (map[string][]Consent, error)

	SourceRecordsByKeys(ctx context.Context, keys []string) (map[string]*SourceRecord, error)
	OrdersByKeys(ctx context.Context, keys []string) (map[string]*Order, error)
	ProductsBySKUs(ctx context.Context, skus []string) (map[string]*Product, error)
}
