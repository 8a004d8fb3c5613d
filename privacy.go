package cdpgraph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// SuppressionHash is the fingerprint kept of an erased person's record and identifier keys
// ("crm:C1", "email:ann@example.com"): enough to refuse them when a batch is replayed, and
// nothing to read them back from.
func SuppressionHash(key string) string {
	sum := sha256.Sum256([]byte("cdpgraph-suppression:" + key))
	return hex.EncodeToString(sum[:])
}

// ErasurePreview lists what erasing a customer removes.
type ErasurePreview struct {
	CustomerID        string
	SourceRecords     []string // keys
	Identifiers       []string // type:value, deleted unless another person holds them too
	SharedIdentifiers []string // held by someone else as well: unlinked, not deleted
	ProfileFields     []string // golden-record fields set today
	FeedbackTexts     int      // texts removed (ratings and sentiment stay)
	EventDetails      int      // events whose search query or URL is removed
	SocialTies        int      // deleted
	Household         bool     // left (deleted if the customer lived alone)
	// Kept, anonymized: orders with amounts and dates, events, feedback scores, consents
	// (proof of what was agreed), scores.
}

// ErasureStore erases a customer's personal data.
type ErasureStore interface {
	PreviewErasure(ctx context.Context, customerID string) (*ErasurePreview, error)
	// Erase removes or anonymizes every personal field and identifier of the customer and
	// their source records, and adds their hashes to the suppression list, in one
	// transaction.
	Erase(ctx context.Context, customerID string, at time.Time) (*ErasurePreview, error)
}
