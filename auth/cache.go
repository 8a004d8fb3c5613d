package auth

import lru "github.com/hashicorp/golang-lru/v2"

// keyCache is a bounded cache of key lookups by secret hash. When full it drops the least
// recently used entry, never everything.
type keyCache struct{ c *lru.Cache[string, cachedKey] }

func newKeyCache(max int) *keyCache {
	c, err := lru.New[string, cachedKey](max)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &keyCache{c}
}

func (c *keyCache) get(hash string) (cachedKey, bool) { return c.c.Get(hash) }
func (c *keyCache) put(hash string, v cachedKey)      { c.c.Add(hash, v) }
func (c *keyCache) remove(hash string)                { c.c.Remove(hash) }
func (c *keyCache) len() int                          { return c.c.Len() }

// removeKey drops the entries of the key with id (a key revoked).
func (c *keyCache) removeKey(id string) {
	for _, h := range c.c.Keys() {
		if v, ok := c.c.Peek(h); ok && v.key != nil && v.key.ID == id {
			c.c.Remove(h)
		}
	}
}
