package resolvers

import (
	"context"
	"encoding/base64"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
	"github.com/cdpgraph/cdpgraph/graph/model"
)

// Global ids are "Type:key" in URL-safe base64: opaque to clients, and they say which
// loader can fetch them.
const (
	typeCustomer     = "Customer"
	typeSourceRecord = "SourceRecord"
	typeOrder        = "Order"
	typeProduct      = "Product"
)

func globalID(typ, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + key))
}

func parseGlobalID(id string) (typ, key string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err == nil {
		var ok bool
		if typ, key, ok = strings.Cut(string(b), ":"); ok && key != "" {
			return typ, key, nil
		}
	}
	return "", "", &cdp.Error{Code: cdp.EINVALID, Field: "id", Message: "not an id returned by this API"}
}

// customerKey accepts a customer's global id or its plain id (cus_...).
func customerKey(id string) (string, error) {
	if strings.HasPrefix(id, "cus_") {
		return id, nil
	}
	typ, key, err := parseGlobalID(id)
	if err != nil {
		return "", err
	}
	if typ != typeCustomer {
		return "", &cdp.Error{Code: cdp.EINVALID, Field: "id", Message: "the id is not a customer's"}
	}
	return key, nil
}

// pageArgs validates connection arguments and opens the cursor, which must be one this
// list issued to this caller (see sealCursors).
func (r *Resolver) pageArgs(ctx context.Context, first int, after *string) (cdp.PageArgs, error) {
	const maxFirst = 100
	if first < 0 || first > maxFirst {
		return cdp.PageArgs{}, &cdp.Error{Code: cdp.EINVALID, Field: "first", Message: "first must be between 0 and 100"}
	}
	p := cdp.PageArgs{First: first}
	if after != nil && *after != "" {
		var err error
		if p.After, err = r.cursors().Open(*after, cursorBinding(ctx)); err != nil {
			return cdp.PageArgs{}, &cdp.Error{Code: cdp.EINVALID, Field: "after", Message: err.Error()}
		}
	}
	return p, nil
}

// defaultCursors seals cursors for a Resolver built without a sealer (tests of other
// features): a random key, good for the life of the process.
var defaultCursors = sync.OnceValue(func() *auth.CursorSealer { return auth.NewCursorSealer("") })

func (r *Resolver) cursors() *auth.CursorSealer {
	if r.Cursors != nil {
		return r.Cursors
	}
	return defaultCursors()
}

// cursorBinding ties a cursor to the list (schema coordinate) and the caller it was issued
// to: a cursor from another list or another key is refused.
func cursorBinding(ctx context.Context) string {
	var b strings.Builder
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		b.WriteString(fc.Object + "." + fc.Field.Name)
	}
	if p := cdp.PrincipalFrom(ctx); p != nil {
		b.WriteString("\x00" + string(p.Role) + "\x00" + p.Subject)
	}
	return b.String()
}

// connection converts a domain page into a GraphQL connection through the type's edge
// constructor: the edges, the nodes, the page info and the total. The store's cursors hold
// sort values, which may be personal (a family name, an identifier key); clients get them
// sealed. A connection without edges can use the edges as its nodes (see Segment.history).
func connection[T any, E any](ctx context.Context, s *auth.CursorSealer, p *cdp.Page[T], edge func(cursor string, node T) E) ([]E, []T, *model.PageInfo, int) {
	binding := cursorBinding(ctx)
	sealed := make([]string, len(p.Cursors))
	for i, c := range p.Cursors {
		sealed[i] = s.Seal(c, binding)
	}
	edges := make([]E, len(p.Items))
	for i, item := range p.Items {
		edges[i] = edge(sealed[i], item)
	}
	info := &model.PageInfo{HasNextPage: p.HasNextPage, HasPreviousPage: p.HasPreviousPage}
	if len(sealed) > 0 {
		info.StartCursor, info.EndCursor = &sealed[0], &sealed[len(sealed)-1]
	}
	return edges, p.Items, info, p.TotalCount
}

func ptrs[T any](xs []T) []*T {
	out := make([]*T, len(xs))
	for i := range xs {
		out[i] = &xs[i]
	}
	return out
}

func timePtr[T interface{ IsZero() bool }](t T) *T {
	if t.IsZero() {
		return nil
	}
	return &t
}

func deref[T any](s *T) T {
	if s == nil {
		var zero T
		return zero
	}
	return *s
}

// segmentKey accepts a saved segment's id (seg_...) or a global id naming one; field
// names the argument in the error.
func segmentKey(id, field string) (string, error) {
	if strings.HasPrefix(id, "seg_") && len(id) > len("seg_") {
		return id, nil
	}
	if typ, key, err := parseGlobalID(id); err == nil && typ == "Segment" && strings.HasPrefix(key, "seg_") {
		return key, nil
	}
	return "", &cdp.Error{Code: cdp.EINVALID, Field: field, Message: "not a segment id (seg_...)"}
}

// recordKey accepts a source record's global id or "source:sourceId".
func recordKey(id string) (string, error) {
	if typ, key, err := parseGlobalID(id); err == nil && typ == typeSourceRecord {
		return key, nil
	}
	if source, sid, ok := strings.Cut(id, ":"); ok && source != "" && sid != "" {
		return id, nil
	}
	return "", &cdp.Error{Code: cdp.EINVALID, Field: "record", Message: `name a record by its id or as "source:sourceId"`}
}

func recordKeys(ids []string) ([]string, error) {
	out := make([]string, len(ids))
	for i, id := range ids {
		k, err := recordKey(id)
		if err != nil {
			return nil, err
		}
		out[i] = k
	}
	return out, nil
}

func recordKeys2(a, b string) (string, string, error) {
	keys, err := recordKeys([]string{a, b})
	if err != nil {
		return "", "", err
	}
	return keys[0], keys[1], nil
}

// identifierFromKey splits a "type:value" identifier key; "" gives nil.
func identifierFromKey(key string) *cdp.Identifier {
	typ, value, ok := strings.Cut(key, ":")
	if !ok {
		return nil
	}
	return &cdp.Identifier{Type: cdp.IdentifierType(typ), Value: value}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
