package auth

import (
	"context"
	"fmt"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
)

type countingKeys struct {
	memKeys
	lookups int
}

func (c *countingKeys) APIKeyByHash(ctx context.Context, hash string) (*cdp.APIKey, error) {
	c.lookups++
	return c.memKeys.APIKeyByHash(ctx, hash)
}

// A flood of made-up secrets evicts no good key from the cache, and what it adds is
// bounded.
func TestKeyCacheSurvivesAFloodOfUnknownKeys(t *testing.T) {
	ctx := context.Background()
	store := &countingKeys{memKeys: memKeys{byHash: map[string]*cdp.APIKey{}}}
	keys := NewKeys(store, Partners{})
	good, _, err := keys.Create(ctx, KeySpec{Name: "app", Role: cdp.RoleAdmin}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Authenticate(ctx, good); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 25000; i++ {
		if _, err := keys.Authenticate(ctx, fmt.Sprintf("cdp_made-up-%d", i)); cdp.ErrorCode(err) != cdp.EUNAUTHORIZED {
			t.Fatalf("made-up key %d: %v", i, err)
		}
	}
	before := store.lookups
	if _, err := keys.Authenticate(ctx, good); err != nil {
		t.Fatal(err)
	}
	if store.lookups != before {
		t.Error("the good key was evicted from the cache by unknown ones")
	}
	if n := keys.known.len() + keys.unknown.len(); n > knownKeysCached+unknownKeysCached || keys.unknown.len() > unknownKeysCached {
		t.Errorf("%d cache entries", n)
	}
	// A repeated unknown secret is still answered from the cache.
	keys.Authenticate(ctx, "cdp_made-up-24999")
	if store.lookups != before {
		t.Error("a recent unknown key was looked up again")
	}
}
