package auth

import (
	"strings"
	"testing"
)

func TestCursorSealer(t *testing.T) {
	s := NewCursorSealer("secret")
	for _, c := range []string{"", "x", strings.Repeat("é", 40), `{"v":"Sanchez","k":"cus_1"}`} {
		sealed := s.Seal(c, "Query.customers\x00analyst\x00key_1")
		if len(c) > 3 && strings.Contains(sealed, c) {
			t.Fatalf("sealed %q shows its value", c)
		}
		got, err := s.Open(sealed, "Query.customers\x00analyst\x00key_1")
		if err != nil || got != c {
			t.Fatalf("Open(Seal(%q)) = %q, %v", c, got, err)
		}
		if _, err := s.Open(sealed, "Query.advocates\x00analyst\x00key_1"); err != ErrCursor {
			t.Fatalf("another binding opened %q: %v", c, err)
		}
		if _, err := NewCursorSealer("other").Open(sealed, "Query.customers\x00analyst\x00key_1"); err != ErrCursor {
			t.Fatalf("another key opened %q: %v", c, err)
		}
		b := []byte(sealed)
		b[len(b)/2] ^= 1
		if _, err := s.Open(string(b), "Query.customers\x00analyst\x00key_1"); err != ErrCursor {
			t.Fatalf("a tampered cursor opened: %v", err)
		}
	}
	// Lengths are padded: values of 1 and 20 bytes give cursors of one length.
	if a, b := s.Seal("a", ""), s.Seal(strings.Repeat("a", 20), ""); len(a) != len(b) {
		t.Fatalf("cursor lengths %d and %d reveal the value's length", len(a), len(b))
	}
	// Servers sharing the secret read each other's cursors.
	if got, err := NewCursorSealer("secret").Open(s.Seal("k", "b"), "b"); err != nil || got != "k" {
		t.Fatalf("a second server with the same secret: %q %v", got, err)
	}
	for _, bad := range []string{"", "!!", "AAAA"} {
		if _, err := s.Open(bad, ""); err != ErrCursor {
			t.Fatalf("Open(%q) = %v", bad, err)
		}
	}
}
