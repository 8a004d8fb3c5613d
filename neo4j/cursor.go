package neo4j

import (
	"encoding/base64"
	"encoding/json"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

// A cursor is the sort position of an item: its sort value (or Null: it has none) and its
// key, which breaks ties. It is opaque to callers (base64 JSON) but checked when it comes back.
type cursor struct {
	Value string `json:"v"`
	Key   string `json:"k"`
	Null  bool   `json:"n,omitempty"`
}

func encodeCursor(value, key string) string {
	b, _ := json.Marshal(cursor{Value: value, Key: key})
	return base64.RawURLEncoding.EncodeToString(b)
}

// nullCursor is the position of an item without a sort value.
func nullCursor(key string) string {
	b, _ := json.Marshal(cursor{Key: key, Null: true})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Key == "" {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "after", Message: "not a cursor returned by this API"}
	}
	return &c, nil
}

// timeCursor encodes a time sort value exactly.
func timeCursor(t time.Time, key string) string {
	return encodeCursor(t.UTC().Format(time.RFC3339Nano), key)
}

// afterTime returns the time and key of a time cursor, or nils for the first page.
func afterTime(after string) (any, any, error) {
	c, err := decodeCursor(after)
	if err != nil || c == nil {
		return nil, nil, err
	}
	t, err := time.Parse(time.RFC3339Nano, c.Value)
	if err != nil {
		return nil, nil, &cdp.Error{Code: cdp.EINVALID, Field: "after", Message: "not a cursor returned by this API"}
	}
	return t, c.Key, nil
}

// afterKey returns the key of a key-only cursor (ordered by key), or nil for the first page.
func afterKey(after string) (any, error) {
	c, err := decodeCursor(after)
	if err != nil || c == nil {
		return nil, err
	}
	return c.Key, nil
}
