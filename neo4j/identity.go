package neo4j

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
)

// IdentityStore is the graph store of identity resolution (identity.Store): corrections are
// stored as facts between source records (SAME_PERSON, NOT_SAME_PERSON), which the identity
// service writes and resolves in one transaction.
type IdentityStore struct {
	s *IngestStore
}

var _ identity.Store = (*IdentityStore)(nil)

// NewIdentityStore returns the identity store over the records that s writes.
func NewIdentityStore(s *IngestStore) *IdentityStore { return &IdentityStore{s: s} }

// Update runs fn in one write transaction.
func (i *IdentityStore) Update(ctx context.Context, fn func(identity.Graph) error) error {
	return i.s.db.write(ctx, func(t *tx) error { return fn(graph{t: t, s: i.s}) })
}

// View runs fn in one read transaction.
func (i *IdentityStore) View(ctx context.Context, fn func(identity.Graph) error) error {
	return i.s.db.readTx(ctx, func(t *tx) error { return fn(graph{t: t, s: i.s}) })
}

// Now is the database's clock (tests set it).
func (i *IdentityStore) Now() time.Time { return i.s.db.Now() }

const recordsExist = `UNWIND $keys AS k MATCH (r:SourceRecord {key: k}) WHERE NOT coalesce(r.placeholder, false) RETURN k`

// ExistingRecords returns which keys name resolved (not placeholder) records.
func (g graph) ExistingRecords(keys []string) (map[string]bool, error) {
	recs, err := g.t.run(recordsExist, map[string]any{"keys": toAny(keys)})
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	for _, r := range recs {
		found[r.Values[0].(string)] = true
	}
	return found, nil
}

const markApart = `
UNWIND $pairs AS p
MATCH (a:SourceRecord {key: p[0]}), (b:SourceRecord {key: p[1]})
OPTIONAL MATCH (a)-[same:SAME_PERSON]-(b)
DELETE same
MERGE (a)-[n:NOT_SAME_PERSON]-(b)
  ON CREATE SET n.at = $now, n.reason = $reason`

// MarkApart stores not-the-same-person decisions.
func (g graph) MarkApart(pairs [][2]string, reason string, now time.Time) error {
	_, err := g.t.run(markApart, map[string]any{"pairs": pairsParam(pairs), "reason": reason, "now": now})
	return err
}

const markSame = `
UNWIND $pairs AS p
MATCH (a:SourceRecord {key: p[0]}), (b:SourceRecord {key: p[1]})
OPTIONAL MATCH (a)-[n:NOT_SAME_PERSON]-(b)
DELETE n
MERGE (a)-[s:SAME_PERSON]-(b)
  ON CREATE SET s.at = $now, s.reason = $reason`

// MarkSame stores same-person decisions.
func (g graph) MarkSame(pairs [][2]string, reason string, now time.Time) error {
	_, err := g.t.run(markSame, map[string]any{"pairs": pairsParam(pairs), "reason": reason, "now": now})
	return err
}

// LiftApart removes not-the-same-person decisions.
func (g graph) LiftApart(pairs [][2]string) error {
	_, err := g.t.run(`UNWIND $pairs AS p MATCH (a:SourceRecord {key: p[0]})-[n:NOT_SAME_PERSON]-(b:SourceRecord {key: p[1]}) DELETE n`,
		map[string]any{"pairs": pairsParam(pairs)})
	return err
}

// DeleteReview removes the review link between two records.
func (g graph) DeleteReview(a, b string) error {
	_, err := g.t.run(`MATCH (a:SourceRecord {key: $a})-[x:REVIEW]-(b:SourceRecord {key: $b}) DELETE x`, map[string]any{"a": a, "b": b})
	return err
}

const customersRecords = `
UNWIND $ids AS id
MATCH (c:Customer {id: id})<-[:RESOLVES_TO]-(r)
RETURN id, collect(r.key)`

// CustomerRecords returns the record keys of each customer.
func (g graph) CustomerRecords(ids []string) (map[string][]string, error) {
	recs, err := g.t.run(customersRecords, map[string]any{"ids": toAny(ids)})
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, r := range recs {
		out[r.Values[0].(string)] = toStrings(r.Values[1])
	}
	return out, nil
}

// CustomerOf returns the customer a record resolves to, "" if none.
func (g graph) CustomerOf(key string) (string, error) {
	recs, err := g.t.run(`MATCH (:SourceRecord {key: $k})-[:RESOLVES_TO]->(c) RETURN c.id`, map[string]any{"k": key})
	if err != nil || len(recs) == 0 {
		return "", err
	}
	return recs[0].Values[0].(string), nil
}

// FlaggedIdentifiers lists flagged identifiers by key (the limit is the service's to say).
func (i *IdentityStore) FlaggedIdentifiers(ctx context.Context, page cdp.PageArgs) (*cdp.Page[*cdp.FlaggedIdentifier], error) {
	after, err := afterKey(page.After)
	if err != nil {
		return nil, err
	}
	recs, err := i.s.db.read(ctx, `
CALL () { MATCH (i:Identifier) WHERE i.flagged = true RETURN count(i) AS total }
OPTIONAL CALL () {
  MATCH (i:Identifier) WHERE i.flagged = true AND ($after IS NULL OR i.key > $after)
  RETURN i ORDER BY i.key LIMIT $limit
}
RETURN total, i.key, i.type, i.value, i.records, i.flagReason`, map[string]any{"after": after, "limit": int64(page.First + 1)})
	if err != nil {
		return nil, err
	}
	out := &cdp.Page[*cdp.FlaggedIdentifier]{HasPreviousPage: page.After != "", TotalCount: totalAt(recs, 0)}
	return firstPage(out, recs, page.First, nilAt(1), func(r *neo4j.Record) (*cdp.FlaggedIdentifier, string) {
		f := &cdp.FlaggedIdentifier{Identifier: cdp.Identifier{Type: cdp.IdentifierType(str(r.Values[2])), Value: str(r.Values[3])}}
		if n, ok := r.Values[4].(int64); ok {
			f.Records = int(n)
		}
		f.Reason = str(r.Values[5])
		return f, encodeCursor("", str(r.Values[1]))
	}), nil
}

// RecordKeysAfter returns up to limit resolved record keys after the given one, in order.
func (i *IdentityStore) RecordKeysAfter(ctx context.Context, after string, limit int) ([]string, error) {
	recs, err := i.s.db.read(ctx, `MATCH (r:SourceRecord) WHERE r.key > $after AND NOT coalesce(r.placeholder, false)
RETURN r.key ORDER BY r.key LIMIT $limit`, map[string]any{"after": after, "limit": int64(limit)})
	if err != nil {
		return nil, err
	}
	out := make([]string, len(recs))
	for j, r := range recs {
		out[j] = r.Values[0].(string)
	}
	return out, nil
}

// IdentifiersAfter returns up to limit identifiers with keys after the given one, in order.
func (i *IdentityStore) IdentifiersAfter(ctx context.Context, after string, limit int) ([]identity.HeldIdentifier, error) {
	recs, err := i.s.db.read(ctx, `MATCH (i:Identifier) WHERE i.key > $after RETURN i.key, i.type, i.value ORDER BY i.key LIMIT $limit`,
		map[string]any{"after": after, "limit": int64(limit)})
	if err != nil {
		return nil, err
	}
	out := make([]identity.HeldIdentifier, len(recs))
	for j, r := range recs {
		out[j] = identity.HeldIdentifier{Key: str(r.Values[0]), Type: str(r.Values[1]), Value: str(r.Values[2])}
	}
	return out, nil
}

// SetBlocked stores which identifiers are blocked and refreshes their bridge flags, in one transaction.
func (i *IdentityStore) SetBlocked(ctx context.Context, blocked map[string]bool, policy identity.LinkPolicy) error {
	rows := make([]any, 0, len(blocked))
	keys := sortedKeys(blocked)
	for _, k := range keys {
		rows = append(rows, map[string]any{"key": k, "blocked": blocked[k]})
	}
	return i.s.db.write(ctx, func(t *tx) error {
		if _, err := t.run(`UNWIND $rows AS row MATCH (i:Identifier {key: row.key}) SET i.blocked = row.blocked`, map[string]any{"rows": rows}); err != nil {
			return err
		}
		return graph{t: t, s: i.s}.FlagBridges(keys, policy)
	})
}

// CountCustomers counts the customers.
func (i *IdentityStore) CountCustomers(ctx context.Context) (int, error) {
	return i.s.db.CountNodes(ctx, "Customer")
}

func pairsParam(pairs [][2]string) []any {
	out := make([]any, len(pairs))
	for i, p := range pairs {
		out[i] = []any{p[0], p[1]}
	}
	return out
}

// RecordCustomers returns every resolved record's customer, for evaluation.
func (i *IdentityStore) RecordCustomers(ctx context.Context) (map[string]string, error) {
	recs, err := i.s.db.read(ctx, `MATCH (r:SourceRecord)-[:RESOLVES_TO]->(c) RETURN r.key, c.id`, nil)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(recs))
	for _, r := range recs {
		out[r.Values[0].(string)] = r.Values[1].(string)
	}
	return out, nil
}
