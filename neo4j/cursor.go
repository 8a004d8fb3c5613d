package neo4j

import (
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

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

// firstPage fills p with the first `first` items of rows, which were read with one extra
// (LIMIT first+1): the extra row only says there is a next page. noItem, when not nil,
// picks out rows that carry no item (the count-only row of an OPTIONAL CALL or OPTIONAL
// MATCH that found nothing); they neither count nor decode. decode gives a row's item and
// its cursor.
func firstPage[R, T any](p *cdp.Page[T], rows []R, first int, noItem func(R) bool, decode func(R) (T, string)) *cdp.Page[T] {
	for _, row := range rows {
		if noItem != nil && noItem(row) {
			continue
		}
		if len(p.Items) == first {
			p.HasNextPage = true
			break
		}
		item, cur := decode(row)
		p.Items = append(p.Items, item)
		p.Cursors = append(p.Cursors, cur)
	}
	return p
}

// nilAt picks out the records whose column col is null: the count-only row of a page
// statement whose OPTIONAL CALL found nothing.
func nilAt(col int) func(*neo4j.Record) bool {
	return func(r *neo4j.Record) bool { return r.Values[col] == nil }
}

// totalAt is the count a page statement repeats in column col of every row, or 0 without rows.
func totalAt(recs []*neo4j.Record, col int) int {
	if len(recs) == 0 {
		return 0
	}
	return intProp(recs[0].Values[col])
}
