// Package auth authenticates callers (API keys and JWTs), holds partner contracts and
// pseudonymizes personal data for callers who may not read it. What each role may read is
// declared in the GraphQL schema and enforced by the API's access policy (http package).
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"sync"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

// keyPrefix marks cdpgraph API keys, so secret scanners and the authenticator recognise them.
const keyPrefix = "cdp_"

// KeySpec describes a key to create.
type KeySpec struct {
	Name    string
	Role    cdp.Role
	Partner string
	Sources []string
	PII     bool
}

// Keys creates, revokes and checks API keys. Lookups are cached for CacheTTL; a key revoked
// through this process stops working at once, one revoked elsewhere within CacheTTL.
type Keys struct {
	Store    cdp.APIKeyStore
	Partners Partners
	CacheTTL time.Duration
	Now      func() time.Time

	// Lookups of stored keys and of secrets matching none are cached apart: only a key's
	// holder can add to known, so a flood of made-up secrets evicts only other made-up ones.
	mu      sync.Mutex
	known   *keyCache
	unknown *keyCache

	hookMu   sync.Mutex
	onRevoke []func(id string)
}

// Cache sizes: every stored key, and a few recent unknown secrets (a misconfigured client
// retrying an old key).
const (
	knownKeysCached   = 10000
	unknownKeysCached = 1000
)

type cachedKey struct {
	key *cdp.APIKey
	at  time.Time
}

// NewKeys returns the key service.
func NewKeys(store cdp.APIKeyStore, partners Partners) *Keys {
	return &Keys{Store: store, Partners: partners, CacheTTL: 30 * time.Second, Now: time.Now,
		known: newKeyCache(knownKeysCached), unknown: newKeyCache(unknownKeysCached)}
}

// HashKey is what is stored of a secret: its SHA-256. Keys are 256 random bits, so a fast
// hash is enough; a slow password hash would only slow every request.
func HashKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Create validates spec and stores a new key; the secret is returned once and never stored.
func (k *Keys) Create(ctx context.Context, spec KeySpec, createdBy string) (string, *cdp.APIKey, error) {
	spec.Name = strings.TrimSpace(spec.Name)
	spec.Sources = sourceNames(spec.Sources)
	if err := k.validate(&spec); err != nil {
		return "", nil, err
	}
	id := "key_" + randomText(9)
	secret := keyPrefix + randomText(32)
	key := &cdp.APIKey{ID: id, Name: spec.Name, Role: spec.Role, Partner: spec.Partner, Sources: spec.Sources,
		PII: spec.PII, CreatedAt: k.Now().UTC(), CreatedBy: createdBy}
	if err := k.Store.CreateAPIKey(ctx, key, HashKey(secret)); err != nil {
		return "", nil, err
	}
	return secret, key, nil
}

func (k *Keys) validate(s *KeySpec) error {
	switch {
	case s.Name == "" || len(s.Name) > 100:
		return cdp.FieldErrorf("name", "is required, at most 100 characters")
	case !s.Role.Valid():
		return cdp.FieldErrorf("role", "%q is not a role; use admin, analyst, frontend or partner", s.Role)
	case s.Role == cdp.RolePartner && !k.Partners.Known(s.Partner):
		return cdp.FieldErrorf("partner", "%q has no partner contract; partners are configured in CDP_PARTNERS", s.Partner)
	case s.Role != cdp.RolePartner && s.Partner != "":
		return cdp.FieldErrorf("partner", "only partner keys name a partner")
	case s.Role == cdp.RoleFrontend && len(s.Sources) == 0:
		return cdp.FieldErrorf("sources", "a frontend key needs its app's source systems, e.g. web")
	case s.Role != cdp.RoleFrontend && len(s.Sources) > 0:
		return cdp.FieldErrorf("sources", "only frontend keys are limited to sources")
	case s.PII && s.Role != cdp.RoleAnalyst:
		return cdp.FieldErrorf("pii", "only analyst keys take a personal-data grant (admins and frontends read it anyway)")
	}
	for i, src := range s.Sources {
		if s.Sources[i] = strings.ToLower(strings.TrimSpace(src)); s.Sources[i] == "" {
			return cdp.FieldErrorf("sources", "source %d is empty", i+1)
		}
	}
	slices.Sort(s.Sources)
	s.Sources = slices.Compact(s.Sources)
	return nil
}

// Revoke revokes a key at once.
func (k *Keys) Revoke(ctx context.Context, id string) (*cdp.APIKey, error) {
	key, err := k.Store.RevokeAPIKey(ctx, id, k.Now().UTC())
	if err != nil {
		return nil, err
	}
	defer k.revoked(id)
	k.mu.Lock()
	k.known.removeKey(id)
	k.mu.Unlock()
	return key, nil
}

// OnRevoke has f called with the id of every key this process revokes, so connections
// authenticated with it can end at once.
func (k *Keys) OnRevoke(f func(id string)) {
	k.hookMu.Lock()
	k.onRevoke = append(k.onRevoke, f)
	k.hookMu.Unlock()
}

func (k *Keys) revoked(id string) {
	k.hookMu.Lock()
	hooks := slices.Clone(k.onRevoke)
	k.hookMu.Unlock()
	for _, f := range hooks {
		f(id)
	}
}

// List returns every key, revoked ones included.
func (k *Keys) List(ctx context.Context) ([]*cdp.APIKey, error) { return k.Store.APIKeys(ctx) }

// Authenticate returns the caller a secret belongs to.
func (k *Keys) Authenticate(ctx context.Context, secret string) (*cdp.Principal, error) {
	hash := HashKey(secret)
	now := k.Now()
	k.mu.Lock()
	c, ok := k.known.get(hash)
	if !ok {
		c, ok = k.unknown.get(hash)
	}
	k.mu.Unlock()
	if !ok || now.Sub(c.at) > k.CacheTTL {
		key, err := k.Store.APIKeyByHash(ctx, hash)
		if err != nil {
			return nil, err
		}
		c = cachedKey{key: key, at: now}
		k.mu.Lock()
		if key != nil {
			k.unknown.remove(hash)
			k.known.put(hash, c)
		} else {
			k.known.remove(hash)
			k.unknown.put(hash, c)
		}
		k.mu.Unlock()
	}
	if c.key == nil || c.key.RevokedAt != nil {
		return nil, errInvalid
	}
	return c.key.Principal(), nil
}

var errInvalid = cdp.Errorf(cdp.EUNAUTHORIZED, "invalid or revoked credentials")

func randomText(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand panics on an unusable source)
	return base64.RawURLEncoding.EncodeToString(b)
}

// sourceNames are source system names as ingest and the access policy compare them:
// trimmed and lower-case ("Web " is web), empty ones dropped.
func sourceNames(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.ToLower(strings.TrimSpace(s)); s != "" {
			out = append(out, s)
		}
	}
	return out
}
