package neo4j

import (
	"context"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
)

// IdentityStore explains and corrects identity resolution. Every correction is stored as a
// fact between source records (SAME_PERSON, NOT_SAME_PERSON) and the affected components
// are recomputed at once, so corrections hold through later ingests and full recomputes.
type IdentityStore struct {
	s *IngestStore
}

var _ cdp.IdentityService = (*IdentityStore)(nil)

// NewIdentityStore returns the identity service over the records that s writes.
func NewIdentityStore(s *IngestStore) *IdentityStore { return &IdentityStore{s: s} }

const recordsExist = `UNWIND $keys AS k MATCH (r:SourceRecord {key: k}) WHERE NOT coalesce(r.placeholder, false) RETURN k`

// checkRecords fails with not-found naming the first key that is not a resolved record.
func checkRecords(t *tx, keys []string) error {
	recs, err := t.run(recordsExist, map[string]any{"keys": toAny(keys)})
	if err != nil {
		return err
	}
	found := map[string]bool{}
	for _, r := range recs {
		found[r.Values[0].(string)] = true
	}
	for _, k := range keys {
		if !found[k] {
			return &cdp.Error{Code: cdp.ENOTFOUND, Message: "no source record " + k}
		}
	}
	return nil
}

// ExplainMatch returns the chain of links that puts two records in one customer: shared
// identifiers, matches and analysts' decisions, as applied by the clustering; or, for two
// records in different customers, what keeps them apart (whynot.go).
func (i *IdentityStore) ExplainMatch(ctx context.Context, a, b string) (*cdp.MatchExplanation, error) {
	var out *cdp.MatchExplanation
	err := i.s.db.readTx(ctx, func(t *tx) error {
		if err := checkRecords(t, []string{a, b}); err != nil {
			return err
		}
		c, err := i.s.loadComponent(t, []string{a})
		if err != nil {
			return err
		}
		clusters, applied := identity.Cluster(c.records, c.links, c.apart)
		out = &cdp.MatchExplanation{CustomerA: c.customer[a]}
		if out.CustomerB, err = customerOfRecord(t, b); err != nil {
			return err
		}
		if clusters[a] == "" || clusters[a] != clusters[b] {
			out.WhyApart, err = i.whyApart(t, a, b)
			return err
		}
		out.SameCustomer = true
		out.Steps = shortestLinkPath(applied, a, b)
		return nil
	})
	return out, err
}

// shortestLinkPath finds the fewest applied links from a to b (breadth first, neighbours in
// sorted order so the answer is stable).
func shortestLinkPath(links []identity.Link, a, b string) []cdp.MatchStep {
	adj := map[string][]identity.Link{}
	for _, l := range links {
		adj[l.A] = append(adj[l.A], l)
		adj[l.B] = append(adj[l.B], identity.Link{A: l.B, B: l.A, Kind: l.Kind, Via: l.Via, Score: l.Score})
	}
	prev := map[string]identity.Link{a: {}}
	queue := []string{a}
	for len(queue) > 0 && !has(prev, b) {
		cur := queue[0]
		queue = queue[1:]
		for _, l := range adj[cur] {
			if !has(prev, l.B) {
				prev[l.B] = l
				queue = append(queue, l.B)
			}
		}
	}
	if !has(prev, b) || a == b {
		return nil
	}
	var steps []cdp.MatchStep
	for cur := b; cur != a; {
		l := prev[cur]
		steps = append([]cdp.MatchStep{{From: l.A, To: l.B, Kind: l.Kind, Via: l.Via, Score: l.Score}}, steps...)
		cur = l.A
	}
	return steps
}

func has[V any](m map[string]V, k string) bool { _, ok := m[k]; return ok }

const markApart = `
MATCH (a:SourceRecord {key: $a}), (b:SourceRecord {key: $b})
OPTIONAL MATCH (a)-[same:SAME_PERSON]-(b)
DELETE same
MERGE (a)-[n:NOT_SAME_PERSON]-(b)
  ON CREATE SET n.at = $now, n.reason = $reason`

// MarkNotSamePerson records that two records are different people and splits their
// customer if they shared one.
func (i *IdentityStore) MarkNotSamePerson(ctx context.Context, a, b, reason string) error {
	if a == b {
		return &cdp.Error{Code: cdp.EINVALID, Field: "recordB", Message: "a record is always the same person as itself"}
	}
	return i.s.db.write(ctx, func(t *tx) error {
		if err := checkRecords(t, []string{a, b}); err != nil {
			return err
		}
		if _, err := t.run(markApart, map[string]any{"a": a, "b": b, "reason": reason, "now": i.s.db.Now().UTC()}); err != nil {
			return err
		}
		_, _, _, err := i.s.recompute(t, []string{a, b}, nonEmpty(reason, "not_same_person"))
		return err
	})
}

const markSame = `
UNWIND $pairs AS p
MATCH (a:SourceRecord {key: p[0]}), (b:SourceRecord {key: p[1]})
OPTIONAL MATCH (a)-[n:NOT_SAME_PERSON]-(b)
DELETE n
MERGE (a)-[s:SAME_PERSON]-(b)
  ON CREATE SET s.at = $now, s.reason = $reason`

const customersRecords = `
UNWIND $ids AS id
MATCH (c:Customer {id: id})<-[:RESOLVES_TO]-(r)
RETURN id, collect(r.key)`

// Unmerge moves the given records of one customer into a customer of their own: they are
// marked not the same person as the customer's other records, and the same as each other.
func (i *IdentityStore) Unmerge(ctx context.Context, keys []string, reason string) (string, error) {
	if len(keys) == 0 {
		return "", &cdp.Error{Code: cdp.EINVALID, Field: "records", Message: "name at least one record to split off"}
	}
	var newCustomer string
	err := i.s.db.write(ctx, func(t *tx) error {
		if err := checkRecords(t, keys); err != nil {
			return err
		}
		c, err := i.s.loadComponent(t, keys[:1])
		if err != nil {
			return err
		}
		owner := c.customer[keys[0]]
		moving := map[string]bool{}
		for _, k := range keys {
			if c.customer[k] != owner {
				return &cdp.Error{Code: cdp.EINVALID, Field: "records", Message: "the records to split off must belong to one customer"}
			}
			moving[k] = true
		}
		var apart, same [][2]string
		for _, r := range c.records {
			if c.customer[r] == owner && !moving[r] {
				for _, k := range keys {
					apart = append(apart, [2]string{k, r})
				}
			}
		}
		if len(apart) == 0 {
			return &cdp.Error{Code: cdp.EINVALID, Field: "records", Message: "these are all of the customer's records; nothing to split from"}
		}
		for _, k := range keys[1:] {
			same = append(same, [2]string{keys[0], k})
		}
		now := i.s.db.Now().UTC()
		reason = nonEmpty(reason, "unmerge")
		for _, p := range apart {
			if _, err := t.run(markApart, map[string]any{"a": p[0], "b": p[1], "reason": reason, "now": now}); err != nil {
				return err
			}
		}
		if len(same) > 0 {
			if _, err := t.run(markSame, map[string]any{"pairs": pairsParam(same), "reason": reason, "now": now}); err != nil {
				return err
			}
		}
		if _, _, _, err := i.s.recompute(t, keys, reason); err != nil {
			return err
		}
		newCustomer, err = customerOfRecord(t, keys[0])
		return err
	})
	return newCustomer, err
}

// MergeCustomers declares customers the same person: one record of each is marked the same
// as one record of the first, and any "not the same person" facts between them are removed.
func (i *IdentityStore) MergeCustomers(ctx context.Context, ids []string, reason string) (string, error) {
	if len(ids) < 2 {
		return "", &cdp.Error{Code: cdp.EINVALID, Field: "customerIds", Message: "name at least two customers to merge"}
	}
	var result string
	err := i.s.db.write(ctx, func(t *tx) error {
		recs, err := t.run(customersRecords, map[string]any{"ids": toAny(ids)})
		if err != nil {
			return err
		}
		records := map[string][]string{}
		for _, r := range recs {
			records[r.Values[0].(string)] = toStrings(r.Values[1])
		}
		for _, id := range ids {
			if len(records[id]) == 0 {
				return &cdp.Error{Code: cdp.ENOTFOUND, Message: "no customer " + id}
			}
		}
		var pairs [][2]string
		var all []string
		for _, id := range ids {
			all = append(all, records[id]...)
		}
		// Lift every apart fact between the customers' records, then tie them together.
		for x, id := range ids {
			for _, other := range ids[x+1:] {
				for _, a := range records[id] {
					for _, b := range records[other] {
						pairs = append(pairs, [2]string{a, b})
					}
				}
			}
		}
		now := i.s.db.Now().UTC()
		reason = nonEmpty(reason, "manual_merge")
		if _, err := t.run(`UNWIND $pairs AS p MATCH (a:SourceRecord {key: p[0]})-[n:NOT_SAME_PERSON]-(b:SourceRecord {key: p[1]}) DELETE n`,
			map[string]any{"pairs": pairsParam(pairs)}); err != nil {
			return err
		}
		var ties [][2]string
		for _, id := range ids[1:] {
			ties = append(ties, [2]string{records[ids[0]][0], records[id][0]})
		}
		if _, err := t.run(markSame, map[string]any{"pairs": pairsParam(ties), "reason": reason, "now": now}); err != nil {
			return err
		}
		if _, _, _, err := i.s.recompute(t, all, reason); err != nil {
			return err
		}
		result, err = customerOfRecord(t, records[ids[0]][0])
		return err
	})
	return result, err
}

// FlaggedIdentifiers lists identifiers held by more records than their type allows.
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
	limits := i.s.rules.MaxRecords()
	return firstPage(out, recs, page.First, nilAt(1), func(r *neo4j.Record) (*cdp.FlaggedIdentifier, string) {
		f := &cdp.FlaggedIdentifier{Identifier: cdp.Identifier{Type: cdp.IdentifierType(str(r.Values[2])), Value: str(r.Values[3])}}
		if n, ok := r.Values[4].(int64); ok {
			f.Records = int(n)
		}
		f.Reason = str(r.Values[5])
		if n, ok := limits[string(f.Identifier.Type)].(int64); ok {
			f.Limit = int(n)
		}
		return f, encodeCursor("", str(r.Values[1]))
	}), nil
}

// Recompute re-resolves every record, component by component, in batches. It gives the
// same customers as incremental resolution, and picks up changed rules (trusted types,
// limits, block lists).
func (i *IdentityStore) Recompute(ctx context.Context) (cdp.RecomputeStats, error) {
	var stats cdp.RecomputeStats
	// Block flags follow the current rules; matches follow the current data.
	if err := i.refreshIdentifierFlags(ctx); err != nil {
		return stats, err
	}
	res, err := i.relink(ctx)
	if err != nil {
		return stats, err
	}
	if res != nil {
		stats.Matches, stats.Review = len(res.Matches), len(res.Review)
	}
	done := map[string]bool{}
	after := ""
	for {
		recs, err := i.s.db.read(ctx, `MATCH (r:SourceRecord) WHERE r.key > $after AND NOT coalesce(r.placeholder, false)
RETURN r.key ORDER BY r.key LIMIT 2000`, map[string]any{"after": after})
		if err != nil {
			return stats, err
		}
		if len(recs) == 0 {
			break
		}
		var seeds []string
		for _, r := range recs {
			k := r.Values[0].(string)
			after = k
			if !done[k] {
				seeds = append(seeds, k)
			}
		}
		if len(seeds) == 0 {
			continue
		}
		err = i.s.db.write(ctx, func(t *tx) error {
			c, _, _, err := i.s.recompute(t, seeds, "recompute")
			if err != nil {
				return err
			}
			for _, k := range c.records {
				done[k] = true
			}
			return nil
		})
		if err != nil {
			return stats, err
		}
	}
	stats.Records = len(done)
	n, err := i.s.db.CountNodes(ctx, "Customer")
	stats.Customers = n
	return stats, err
}

// refreshIdentifierFlags re-applies block lists and bridge limits to every identifier.
func (i *IdentityStore) refreshIdentifierFlags(ctx context.Context) error {
	after := ""
	for {
		recs, err := i.s.db.read(ctx, `MATCH (i:Identifier) WHERE i.key > $after RETURN i.key, i.type, i.value ORDER BY i.key LIMIT 5000`,
			map[string]any{"after": after})
		if err != nil || len(recs) == 0 {
			return err
		}
		rows := make([]any, len(recs))
		keys := make([]any, len(recs))
		for j, r := range recs {
			id := cdp.Identifier{Type: cdp.IdentifierType(str(r.Values[1])), Value: str(r.Values[2])}
			after = str(r.Values[0])
			rows[j] = map[string]any{"key": after, "blocked": i.s.rules.Blocked(id)}
			keys[j] = after
		}
		err = i.s.db.write(ctx, func(t *tx) error {
			if _, err := t.run(`UNWIND $rows AS row MATCH (i:Identifier {key: row.key}) SET i.blocked = row.blocked`, map[string]any{"rows": rows}); err != nil {
				return err
			}
			params := i.s.linkParams()
			params["keys"] = keys
			_, err := t.run(flagBridges, params)
			return err
		})
		if err != nil {
			return err
		}
	}
}

func pairsParam(pairs [][2]string) []any {
	out := make([]any, len(pairs))
	for i, p := range pairs {
		out[i] = []any{p[0], p[1]}
	}
	return out
}

func nonEmpty(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

func customerOfRecord(t *tx, key string) (string, error) {
	recs, err := t.run(`MATCH (:SourceRecord {key: $k})-[:RESOLVES_TO]->(c) RETURN c.id`, map[string]any{"k": key})
	if err != nil || len(recs) == 0 {
		return "", err
	}
	return recs[0].Values[0].(string), nil
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
