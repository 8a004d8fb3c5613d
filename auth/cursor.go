package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
)

// CursorSealer makes page cursors opaque and unforgeable. A store's cursor holds the sort
// position of an item, which may be a personal value (a family name, an identifier key);
// sealed, it is encrypted and authenticated (AES-256-GCM) and bound to the list and the
// caller it was issued to, so a client can neither read it nor craft one to probe the
// order of a field it may not see.
type CursorSealer struct{ aead cipher.AEAD }

// ErrCursor is returned for any cursor this server did not issue to this caller for this list.
var ErrCursor = errors.New("not a cursor returned by this API")

// cursorBlock pads plaintexts to a multiple of its size, so a cursor's length says little
// about the value inside.
const cursorBlock = 32

// NewCursorSealer derives the sealing key from secret (the server's pseudonym key, which
// every server of a deployment shares); an empty secret draws a random key, so cursors then
// last only as long as the process.
func NewCursorSealer(secret string) *CursorSealer {
	key := make([]byte, 32)
	if secret == "" {
		rand.Read(key)
	} else {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte("cdpgraph cursor key v1"))
		key = m.Sum(nil)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err) // a 32-byte key always makes a cipher
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &CursorSealer{aead: aead}
}

// Seal encrypts a store cursor for one list (binding, e.g. "Query.customers" and the
// caller's subject).
func (s *CursorSealer) Seal(cursor, binding string) string {
	n := 4 + len(cursor)
	plain := make([]byte, n+(cursorBlock-n%cursorBlock)%cursorBlock)
	binary.BigEndian.PutUint32(plain, uint32(len(cursor)))
	copy(plain[4:], cursor)
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(binding)))
}

// Open returns the store cursor inside a sealed one, or ErrCursor.
func (s *CursorSealer) Open(sealed, binding string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(sealed)
	ns := s.aead.NonceSize()
	if err != nil || len(b) < ns+s.aead.Overhead() {
		return "", ErrCursor
	}
	plain, err := s.aead.Open(nil, b[:ns], b[ns:], []byte(binding))
	if err != nil || len(plain) < 4 {
		return "", ErrCursor
	}
	n := binary.BigEndian.Uint32(plain)
	if int64(n) > int64(len(plain)-4) {
		return "", ErrCursor
	}
	return string(plain[4 : 4+n]), nil
}
