package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
)

// Pseudonymizer replaces personal values with stable pseudonyms: the same value always
// gives the same pseudonym under one key, so analysts can count and join without reading.
// Without the key a pseudonym cannot be reversed or checked against a guess.
type Pseudonymizer struct{ key []byte }

// NewPseudonymizer uses key; an empty key draws a random one, so pseudonyms are stable only
// for the life of the process.
func NewPseudonymizer(key string) *Pseudonymizer {
	if key == "" {
		b := make([]byte, 32)
		rand.Read(b)
		return &Pseudonymizer{key: b}
	}
	return &Pseudonymizer{key: []byte(key)}
}

// Pseudonym returns "anon_" and 16 hex digits of HMAC-SHA256(kind, NUL, value). The kind
// (the field's @pii kind: EMAIL, NAME, ...) separates fields: the same text typed into a
// free-text field and held as someone's email gets unrelated pseudonyms, so one cannot be
// matched against the other. A pseudonym is stable within its kind, for counts and joins.
func (p *Pseudonymizer) Pseudonym(kind, value string) string {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return "anon_" + hex.EncodeToString(m.Sum(nil)[:8])
}
