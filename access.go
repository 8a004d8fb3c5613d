package cdpgraph

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"slices"
	"strings"
	"time"
)

// Role is what a caller may do. Which fields each role reads is declared in the GraphQL
// schema (@auth and @pii) and enforced in one place, the API's access policy.
type Role string

const (
	RoleAdmin    Role = "admin"    // everything: ingest, corrections, erasure, keys, audit
	RoleAnalyst  Role = "analyst"  // all analytics; personal data pseudonymized unless granted
	RoleFrontend Role = "frontend" // its own app's customers: profile, orders, recommendations
	RolePartner  Role = "partner"  // customers who consented to sharing with that partner only
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleAnalyst, RoleFrontend, RolePartner}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Principal is the authenticated caller of one request.
type Principal struct {
	Role Role
	// Subject names the caller in the audit log: an API key id ("key_...") or a JWT subject.
	Subject string
	// Via is how the caller authenticated: "api_key" or "jwt".
	Via string
	// Partner is the partner id of a partner caller.
	Partner string
	// Sources are a frontend app's source systems; it sees customers known to one of them
	// and may send events and consents only as them.
	Sources []string
	// PII grants an analyst raw personal data instead of pseudonyms.
	PII bool
}

// RawPII reports whether the caller reads personal data unmasked (partners: per contract).
func (p *Principal) RawPII() bool {
	return p.Role == RoleAdmin || p.Role == RoleFrontend || (p.Role == RoleAnalyst && p.PII)
}

// Scoped reports whether the caller sees only the customers in its scope (a frontend: those
// known to its sources; a partner: those who consent to sharing with it). A scoped caller's
// lookup decides the scope before anything else of the customer is read.
func (p *Principal) Scoped() bool {
	return p != nil && (p.Role == RolePartner || p.Role == RoleFrontend)
}

type principalKey struct{}

// WithPrincipal returns ctx carrying the caller.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the caller in ctx, or nil when the request is not authenticated.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// PartnerSharingPurpose is the consent purpose for sharing with one partner. A decision
// for the partner overrides the general partner_sharing decision.
func PartnerSharingPurpose(partner string) string { return "partner_sharing:" + partner }

// SharesWith reports whether consents allow sharing with partner: the latest decision on
// sharing with this partner if there is one, else the latest general partner_sharing
// decision. consents may be a whole history in any order; of two decisions at the same
// time, a withdrawal wins.
func SharesWith(consents []Consent, partner string) bool {
	var general, specific *Consent
	later := func(cur *Consent, c *Consent) bool {
		return cur == nil || c.OccurredAt.After(cur.OccurredAt) || (c.OccurredAt.Equal(cur.OccurredAt) && !c.Granted)
	}
	for i := range consents {
		c := &consents[i]
		switch c.Purpose {
		case "partner_sharing":
			if later(general, c) {
				general = c
			}
		case PartnerSharingPurpose(partner):
			if later(specific, c) {
				specific = c
			}
		}
	}
	if specific != nil {
		return specific.Granted
	}
	return general != nil && general.Granted
}

// ValidPartnerID reports whether id can name a partner: lower-case letters, digits, '-'
// and '_', at most 40.
func ValidPartnerID(id string) bool {
	if id == "" || len(id) > 40 {
		return false
	}
	return strings.IndexFunc(id, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) < 0
}

// APIKey is a stored credential. Only a hash of the secret is kept; the secret is shown
// once, when the key is created.
type APIKey struct {
	ID        string
	Name      string
	Role      Role
	Partner   string
	Sources   []string
	PII       bool
	CreatedAt time.Time
	CreatedBy string
	RevokedAt *time.Time
}

// Principal is the caller a key authenticates.
func (k *APIKey) Principal() *Principal {
	return &Principal{Role: k.Role, Subject: k.ID, Via: "api_key", Partner: k.Partner, Sources: k.Sources, PII: k.PII}
}

// APIKeyStore keeps API keys.
type APIKeyStore interface {
	CreateAPIKey(ctx context.Context, key *APIKey, hash string) error
	// APIKeyByHash returns the key with this secret hash, revoked or not, or nil.
	APIKeyByHash(ctx context.Context, hash string) (*APIKey, error)
	// RevokeAPIKey marks a key revoked; revoking twice keeps the first time.
	RevokeAPIKey(ctx context.Context, id string, at time.Time) (*APIKey, error)
	APIKeys(ctx context.Context) ([]*APIKey, error)
}

// AuditEntry records an administrative action or a partner's access to personal data.
type AuditEntry struct {
	ID      string
	At      time.Time
	Actor   string // Principal.Subject
	Role    Role
	Partner string
	// Action is the GraphQL field or endpoint, e.g. "eraseCustomer", "partner.read",
	// "segment.export".
	Action string
	// Customers the action touched or whose personal data was returned.
	Customers []string
	// Detail is a short, non-personal description: arguments' ids, fields read, outcome.
	Detail string
}

// NewAuditID returns a fresh audit entry id ("aud_" and 96 random bits).
func NewAuditID() string {
	b := make([]byte, 12)
	rand.Read(b) // never fails (crypto/rand panics on an unusable source)
	return "aud_" + base64.RawURLEncoding.EncodeToString(b)
}

// AuditFilter narrows the audit log. Zero fields do not filter.
type AuditFilter struct {
	Actor    string
	Action   string
	Customer string
	Since    time.Time
}

// AuditStore keeps the audit log, newest first.
type AuditStore interface {
	WriteAudit(ctx context.Context, entries []AuditEntry) error
	AuditLog(ctx context.Context, f AuditFilter, page PageArgs) (*Page[*AuditEntry], error)
}
