package auth

import "container/list"

// keyCache is a bounded cache of key lookups by secret hash. When full it drops the least
// recently used entry, never everything.
type keyCache struct {
	max int
	ll  *list.List // of *cacheEntry, most recently used first
	by  map[string]*list.Element
}

type cacheEntry struct {
	hash string
	val  cachedKey
}

func newKeyCache(max int) *keyCache {
	return &keyCache{max: max, ll: list.New(), by: map[string]*list.Element{}}
}

func (c *keyCache) get(hash string) (cachedKey, bool) {
	e, ok := c.by[hash]
	if !ok {
		return cachedKey{}, false
	}
	c.ll.MoveToFront(e)
	return e.Value.(*cacheEntry).val, true
}

func (c *keyCache) put(hash string, v cachedKey) {
	if e, ok := c.by[hash]; ok {
		e.Value.(*cacheEntry).val = v
		c.ll.MoveToFront(e)
		return
	}
	c.by[hash] = c.ll.PushFront(&cacheEntry{hash, v})
	for c.ll.Len() > c.max {
		c.remove(c.ll.Back().Value.(*cacheEntry).hash)
	}
}

func (c *keyCache) remove(hash string) {
	if e, ok := c.by[hash]; ok {
		c.ll.Remove(e)
		delete(c.by, hash)
	}
}

// removeKey drops the entries of the key with id (a key revoked).
func (c *keyCache) removeKey(id string) {
	for h, e := range c.by {
		if k := e.Value.(*cacheEntry).val.key; k != nil && k.ID == id {
			c.remove(h)
		}
	}
}

func (c *keyCache) len() int { return c.ll.Len() }
