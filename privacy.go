package cdpgraph

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// SuppressionHash is the fingerprint kept of an erased person's record and identifier keys
// ("crm:C1", "email:ann@example.com"): enough to refuse them when a batch is replayed, and
// nothing to read them back from. It is keyed with a secret the graph keeps, so the list
// cannot be checked against guessed keys (enumerating "crm:C000001"...) without it.
func SuppressionHash(secret []byte, key string) string {
	return KeySuppressionHash(secret, LegacySuppressionHash(key))
}

// LegacySuppressionHash is the unkeyed fingerprint earlier versions stored.
func LegacySuppressionHash(key string) string {
	sum := sha256.Sum256([]byte("cdpgraph-suppression:" + key))
	return hex.EncodeToString(sum[:])
}

// KeySuppressionHash turns a legacy fingerprint into the keyed one, so stored entries can be
// migrated without knowing the keys they came from.
func KeySuppressionHash(secret []byte, legacy string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(legacy))
	return hex.EncodeToString(m.Sum(nil))
}

// ErasurePreview lists what erasing a customer removes.
type ErasurePreview struct {
	CustomerID        string
	SourceRecords     []string // keys; suppressed
	Identifiers       []string // type:value, the person's alone: deleted, and suppressed unless blocked
	SharedIdentifiers []string // held by another customer too: unlinked, kept for them, not suppressed
	Suppressed        []string // record and identifier keys ingest refuses from now on
	ProfileFields     []string // golden-record fields set today
	FeedbackTexts     int      // texts removed (ratings and sentiment stay)
	EventDetails      int      // events whose search query or URL is removed
	SocialTies        int      // deleted
	Household         bool     // left (deleted if the customer lived alone)
	// Kept, anonymized under new random ids: the customer, orders with amounts and dates,
	// events, feedback scores, consents (proof of what was agreed), scores.
}

// ErasureFacts is what the graph holds about a customer, read to decide an erasure.
type ErasureFacts struct {
	CustomerID    string
	SourceRecords []string // keys
	Identifiers   []HeldIdentifier
	ProfileFields []string
	FeedbackTexts int
	EventDetails  int
	SocialTies    int
	Household     bool
}

// HeldIdentifier is one of a customer's identifiers, whether records of other customers
// hold it too, and whether the identity rules block it (a placeholder value such as
// test@example.com, which identifies no one).
type HeldIdentifier struct {
	Key     string // type:value
	Shared  bool
	Blocked bool
}

// ErasurePlan is what an erasure writes, decided from the facts (privacy.Plan).
type ErasurePlan struct {
	Preview *ErasurePreview
	// Suppress are the keys refused from now on.
	Suppress []string
	// NewCustomerID is the anonymous remainder's id: random, derived from nothing.
	NewCustomerID string
}

// ErasureStore reads the facts of an erasure and writes its plan.
type ErasureStore interface {
	ErasureFacts(ctx context.Context, customerID string) (*ErasureFacts, error)
	// Erase reads the customer's facts, asks plan what to do, and writes that in one
	// transaction: every personal field and identifier of the customer and their source
	// records is removed or anonymized, the plan's keys are suppressed, and what stays is
	// re-keyed.
	Erase(ctx context.Context, customerID string, at time.Time, plan func(*ErasureFacts) (*ErasurePlan, error)) (*ErasurePlan, error)
}
