package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"sync"
)

// Pseudonymizer replaces personal values with stable pseudonyms: the same value always
// gives the same pseudonym under one key, so analysts can count and join without reading.
// Without the key a pseudonym cannot be reversed or checked against a guess.
type Pseudonymizer struct {
	key []byte
	// macs are keyed HMACs to reuse: an analyst's page asks for hundreds of pseudonyms,
	// and keying a new HMAC costs as much as the pseudonym itself.
	macs sync.Pool
}

type mac struct {
	h   hash.Hash
	buf []byte
}

// NewPseudonymizer uses key; an empty key draws a random one, so pseudonyms are stable only
// for the life of the process.
func NewPseudonymizer(key string) *Pseudonymizer {
	if key == "" {
		b := make([]byte, 32)
		rand.Read(b)
		return newPseudonymizer(b)
	}
	return newPseudonymizer([]byte(key))
}

func newPseudonymizer(key []byte) *Pseudonymizer {
	p := &Pseudonymizer{key: key}
	p.macs.New = func() any { return &mac{h: hmac.New(sha256.New, key)} }
	return p
}

// Pseudonym returns "anon_" and 16 hex digits of HMAC-SHA256(kind, NUL, value). The kind
// (the field's @pii kind: EMAIL, NAME, ...) separates fields: the same text typed into a
// free-text field and held as someone's email gets unrelated pseudonyms, so one cannot be
// matched against the other. A pseudonym is stable within its kind, for counts and joins.
func (p *Pseudonymizer) Pseudonym(kind, value string) string {
	m := p.macs.Get().(*mac)
	defer p.macs.Put(m)
	m.h.Reset()
	m.buf = append(append(append(m.buf[:0], kind...), 0), value...)
	m.h.Write(m.buf)
	m.buf = m.h.Sum(m.buf[:0])
	var out [len("anon_") + 16]byte
	copy(out[:], "anon_")
	hex.Encode(out[len("anon_"):], m.buf[:8])
	return string(out[:])
}
