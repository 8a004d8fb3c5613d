package identity

import (
	"context"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity/match"
)

// The port: what resolution needs of the graph store, as typed values. The store turns
// these calls into Cypher and its rows into these types; every decision is made here.

// LinkPolicy tells the store which identifiers link the records holding them, so that it
// follows only those when it gathers a component: trusted types, each held by no more
// records than its type allows (and not blocked).
type LinkPolicy struct {
	Trusted    []string       // identifier types, sorted
	MaxRecords map[string]int // identifier type -> bridge limit
}

// HeldIdentifier is an identifier of a record as the graph holds it.
type HeldIdentifier struct {
	Key, Type, Value string
	Blocked          bool
	Holders          int // records holding it
}

// ComponentRecord is one record of a component with what resolution reads of it.
type ComponentRecord struct {
	Key         string
	Record      *cdp.SourceRecord // profile, source, times (Identifiers left empty)
	Identifiers []HeldIdentifier
	Customer    string // the customer it resolves to now; "" before its first resolution
}

// Component is what the graph says about the records linked to some seed records: the
// records (placeholders included, flagged on Record), the stored links between them
// (probabilistic matches and analysts' same-person decisions; identifier links are derived
// here from Identifiers), the apart facts, and when each current customer was created.
type Component struct {
	Records   []ComponentRecord
	Links     []Link // LinkMatch (with Score) and LinkManual, as stored; seen from either end
	Apart     []Apart
	CreatedAt map[string]time.Time // customer id -> creation time
}

// MatchRow is a record as the matcher reads it from the graph.
type MatchRow struct {
	Key           string
	Record        *cdp.SourceRecord
	Identifiers   []HeldIdentifier
	BlockKeysHash string // fingerprint of the blocking keys stored for it
}

// BlockKeys are a record's blocking keys with their fingerprint.
type BlockKeys struct {
	Key  string
	Keys []string
	Hash string
}

// StoredModel is the matcher the last full resolve fitted, as stored: its JSON report.
type StoredModel struct {
	Report   string
	FittedAt time.Time
}

// ModelStats are what a full resolve's fit found, stored with the model.
type ModelStats struct {
	Candidates, Matches, Review int
}

// Graph is the store inside one transaction: reads and writes of one resolution step,
// committed together with whatever else the transaction wrote (ingest writes records and
// resolves them in one transaction).
type Graph interface {
	// Component gathers the records the seeds reach over matches, same-person decisions and
	// identifiers the policy allows, plus every record sharing a customer with one of them.
	Component(seeds []string, policy LinkPolicy) (*Component, error)
	// Apply writes a plan: flags, new customers, moves, merges, events and golden records.
	Apply(p *Plan, now time.Time) error
	// FlagBridges refreshes the holder count and bridge flag of identifiers.
	FlagBridges(identifierKeys []string, policy LinkPolicy) error

	// ExistingRecords returns which of the keys are resolved (not placeholder) records.
	ExistingRecords(keys []string) (map[string]bool, error)
	// CustomerRecords returns the record keys of each customer.
	CustomerRecords(ids []string) (map[string][]string, error)
	// CustomerOf returns the customer a record resolves to, "" if none.
	CustomerOf(key string) (string, error)
	// MarkSame stores same-person decisions (lifting apart facts between the pairs).
	MarkSame(pairs [][2]string, reason string, now time.Time) error
	// MarkApart stores not-the-same-person decisions (lifting same-person ones).
	MarkApart(pairs [][2]string, reason string, now time.Time) error
	// LiftApart removes not-the-same-person decisions between the pairs.
	LiftApart(pairs [][2]string) error
	// DeleteReview removes the review link between two records.
	DeleteReview(a, b string) error
	// MarkReviewed marks the decision between two records as settled from the review queue,
	// so that the next fit reads it as a labelled pair.
	MarkReviewed(a, b string) error
	// PairFacts reads what the graph holds about two records (shared identifiers, common
	// blocking keys, a stored match, analysts' apart decisions between their customers);
	// A and B are left for the caller.
	PairFacts(a, b string) (*PairFacts, error)

	// MatchModel is the stored matcher, nil before the first full resolve.
	MatchModel() (*StoredModel, error)
	// WriteBlockKeys replaces the blocking keys of records.
	WriteBlockKeys(rows []BlockKeys) error
	// BlockCandidates returns, per key, the other records sharing a blocking key with it in
	// a block of at most maxBlock records.
	BlockCandidates(keys []string, maxBlock int) (map[string][]string, error)
	// MatchRecords reads the given (non-placeholder) records as the matcher reads them.
	MatchRecords(keys []string) ([]MatchRow, error)
	// ClearRecordMatches removes the MATCHED and REVIEW links of the records.
	ClearRecordMatches(keys []string) error
	// WriteMatches stores probabilistic matches and review pairs.
	WriteMatches(matched, review []match.Pair, now time.Time) error
}

// Store is the graph store as the identity service uses it: transactions over a Graph,
// the batched reads and writes of a full resolve, and the analysts' lists.
type Store interface {
	// Update runs fn in one write transaction (retried as a whole on transient errors).
	Update(ctx context.Context, fn func(Graph) error) error
	// View runs fn in one read transaction.
	View(ctx context.Context, fn func(Graph) error) error
	// Now is the store's clock.
	Now() time.Time

	// AllMatchRecords reads every non-placeholder record as the matcher reads it.
	AllMatchRecords(ctx context.Context) ([]MatchRow, error)
	// ReplaceAllMatches deletes every MATCHED and REVIEW link and writes the new ones.
	ReplaceAllMatches(ctx context.Context, matched, review []match.Pair, now time.Time) error
	// ReviewLabels are the pairs analysts settled from the review queue, each once.
	ReviewLabels(ctx context.Context) ([]match.LabelledPair, error)
	// SaveModel stores the fitted matcher's JSON report.
	SaveModel(ctx context.Context, report string, stats ModelStats, now time.Time) error
	// RecordKeysAfter returns up to limit non-placeholder record keys after the given one, in order.
	RecordKeysAfter(ctx context.Context, after string, limit int) ([]string, error)
	// IdentifiersAfter returns up to limit identifiers with keys after the given one, in order.
	IdentifiersAfter(ctx context.Context, after string, limit int) ([]HeldIdentifier, error)
	// SetBlocked stores which identifiers are blocked and refreshes their bridge flags.
	SetBlocked(ctx context.Context, blocked map[string]bool, policy LinkPolicy) error
	// CountCustomers counts the customers.
	CountCustomers(ctx context.Context) (int, error)

	// The analysts' lists; nothing to decide in them.
	FlaggedIdentifiers(ctx context.Context, page cdp.PageArgs) (*cdp.Page[*cdp.FlaggedIdentifier], error)
	HistoryByCustomerIDs(ctx context.Context, ids []string, first int) (map[string]*cdp.Page[cdp.IdentityEvent], error)
	RecordLinksByCustomerIDs(ctx context.Context, ids []string, first int) (map[string][]cdp.RecordLink, error)
	ReviewQueue(ctx context.Context, page cdp.PageArgs) (*cdp.Page[*cdp.ReviewPair], error)
	StoredModel(ctx context.Context) (*StoredModel, error)
}
