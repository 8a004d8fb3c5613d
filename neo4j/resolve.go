package neo4j

import (
	"sort"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
)

// The store's half of resolution (identity.Graph): it reads a component's facts and writes
// the plan identity.Resolver makes of them, inside the caller's transaction. Shared
// identifiers are stored as HAS_IDENTIFIER, matches as MATCHED, analysts' decisions as
// SAME_PERSON / NOT_SAME_PERSON, a record's customer as RESOLVES_TO.

// linkableIdentifier is identity.LinkPolicy in Cypher: the identifiers the traversal follows.
const linkableIdentifier = `i.type IN $trusted AND NOT coalesce(i.blocked, false)
    AND COUNT { (i)<-[:HAS_IDENTIFIER]-() } <= $maxRecords[i.type]`

// componentFrontier expands a set of records by one hop of resolution links.
const componentFrontier = `
UNWIND $frontier AS k
MATCH (r:SourceRecord {key: k})
CALL (r) {
  MATCH (r)-[:HAS_IDENTIFIER]->(i)<-[:HAS_IDENTIFIER]-(o)
  WHERE ` + linkableIdentifier + `
  RETURN o
  UNION
  MATCH (r)-[:SAME_PERSON|MATCHED]-(o)
  RETURN o
}
RETURN DISTINCT o.key`

// customerMates returns the records that share a customer with the given ones: a change can
// split a customer, so all of its records are looked at again.
const customerMates = `
UNWIND $keys AS k
MATCH (:SourceRecord {key: k})-[:RESOLVES_TO]->(c)<-[:RESOLVES_TO]-(o)
RETURN DISTINCT o.key`

// componentFacts returns the stored facts about the records of a component.
const componentFacts = `
UNWIND $keys AS k
MATCH (r:SourceRecord {key: k})
OPTIONAL MATCH (r)-[:RESOLVES_TO]->(c)
RETURN k, properties(r), c.id, c.createdAt,
  [(r)-[:HAS_IDENTIFIER]->(i) | ` + heldIdentifier + `] AS identifiers,
  [(r)-[m:MATCHED]-(o) | [o.key, m.probability]] AS matched,
  [(r)-[:SAME_PERSON]-(o) | o.key] AS same,
  [(r)-[:NOT_SAME_PERSON]-(o) | o.key] AS apart`

// heldIdentifier is an identity.HeldIdentifier row of identifier i.
const heldIdentifier = `[i.key, i.type, i.value, coalesce(i.blocked, false), COUNT { (i)<-[:HAS_IDENTIFIER]-() }]`

// flagBridges marks identifiers held by more records than their type allows, so analysts
// can list them.
const flagBridges = `
UNWIND $keys AS k
MATCH (i:Identifier {key: k})
WITH i, COUNT { (i)<-[:HAS_IDENTIFIER]-() } AS n
SET i.records = n, i.flagged = n > $maxRecords[i.type] OR coalesce(i.conflicting, false),
  i.flagReason = CASE WHEN n > $maxRecords[i.type] THEN 'too_many_records'
    WHEN coalesce(i.conflicting, false) THEN 'conflicting_holders' ELSE null END`

// flagConflicting marks the identifiers a plan found held by clearly different people.
const flagConflicting = `
UNWIND $keys AS k
MATCH (i:Identifier {key: k})
SET i.conflicting = true, i.flagged = true,
  i.flagReason = coalesce(i.flagReason, 'conflicting_holders'), i.records = COUNT { (i)<-[:HAS_IDENTIFIER]-() }`

// A new customer may take an id that was merged away before (ids derive from records): the
// id then names the new customer, no longer the survivor it was merged into.
const resolveCreateCustomers = `
UNWIND $ids AS id
OPTIONAL MATCH (alias:CustomerAlias {id: id})-[:MERGED_INTO]->(s)
SET s.mergedIds = [x IN s.mergedIds WHERE x <> id]
DETACH DELETE alias
CREATE (:Customer {id: id, createdAt: $now, updatedAt: $now})`

const resolveMove = `
UNWIND $moves AS m
MATCH (r:SourceRecord {key: m.key})
MATCH (c:Customer {id: m.customer})
CALL (r) {
  MATCH (r)-[old:RESOLVES_TO]->()
  DELETE old
}
CREATE (r)-[:RESOLVES_TO {at: $now, rule: m.rule, via: m.via}]->(c)
WITH r WHERE EXISTS { (r)-[:` + tieTypes + `]-() }
RETURN count(r)`

const resolveEvents = `
UNWIND $events AS e
CREATE (ev:IdentityEvent {id: e.id, kind: e.kind, at: $now, customer: e.customer, other: e.other,
  reason: e.reason, via: e.via})
WITH ev, e
UNWIND e.about AS id
MATCH (c:Customer {id: id})
CREATE (ev)-[:ABOUT]->(c)`

// An absorbed customer's identity history moves to its survivor before it is deleted, and
// its id (and the ids merged into it) become aliases of the survivor: callers that stored
// them still find the customer.
const resolveAbsorb = `
UNWIND $merges AS m
MATCH (l:Customer {id: m.absorbed})
MATCH (s:Customer {id: m.survivor})
WITH l, s, l.scoreAsOf IS NOT NULL AS scored
CALL (l, s) {
  MATCH (e:IdentityEvent)-[old:ABOUT]->(l)
  MERGE (e)-[:ABOUT]->(s)
  DELETE old
}
CALL (l, s) {
  MATCH (a:CustomerAlias)-[old:MERGED_INTO]->(l)
  DELETE old
  MERGE (a)-[:MERGED_INTO]->(s)
}
MERGE (alias:CustomerAlias {id: l.id})
MERGE (alias)-[:MERGED_INTO]->(s)
SET s.mergedIds = coalesce(s.mergedIds, []) + [x IN [l.id] + coalesce(l.mergedIds, []) WHERE NOT x IN coalesce(s.mergedIds, [])]
WITH l, s, scored
CALL (l) {
  MATCH (l)-[m:MEMBER_OF]->(h)
  DELETE m
  WITH h WHERE NOT EXISTS { (h)<-[:MEMBER_OF]-() }
  DELETE h
}
CALL (l) {
  // Score snapshots described a customer that no longer exists; the survivor is rescored.
  MATCH (l)-[:HAS_SCORE]->(snap)
  DETACH DELETE snap
}
SET s.createdAt = CASE WHEN l.createdAt < s.createdAt THEN l.createdAt ELSE s.createdAt END
DETACH DELETE l
RETURN count(CASE WHEN scored THEN 1 END)`

// The golden record's address puts the customer in a household: people sharing an address.
// A household nobody lives in any more is removed.
const resolveWriteGolden = `
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})
SET c += row.profile, c += row.quality, c.provenance = row.provenance, c.sources = row.sources,
  c.recordCount = row.recordCount, c.searchName = row.searchName, c.updatedAt = $now
WITH c, row
CALL (c, row) {
  MATCH (c)-[m:MEMBER_OF]->(h)
  WHERE row.household IS NULL OR h.key <> row.household
  DELETE m
  WITH h WHERE NOT EXISTS { (h)<-[:MEMBER_OF]-() }
  DELETE h
}
WITH c, row WHERE row.household IS NOT NULL
MERGE (h:Household {key: row.household})
  ON CREATE SET h.addressLine1 = row.profile.addressLine1, h.city = row.profile.city,
    h.postcode = row.profile.postcode, h.country = row.profile.country, h.createdAt = $now
MERGE (c)-[:MEMBER_OF]->(h)`

// graph is identity.Graph over one transaction.
type graph struct {
	t *tx
	s *IngestStore
}

var _ identity.Graph = graph{}

func policyParams(p identity.LinkPolicy) map[string]any {
	limits := make(map[string]any, len(p.MaxRecords))
	for t, n := range p.MaxRecords {
		limits[t] = int64(n)
	}
	return map[string]any{"trusted": toAny(p.Trusted), "maxRecords": limits}
}

// Component finds every record linked to the seeds, then their facts.
func (g graph) Component(seeds []string, policy identity.LinkPolicy) (*identity.Component, error) {
	params := policyParams(policy)
	seen := map[string]bool{}
	frontier := make([]string, 0, len(seeds))
	for _, k := range seeds {
		if !seen[k] {
			seen[k] = true
			frontier = append(frontier, k)
		}
	}
	mates, err := g.t.run(customerMates, map[string]any{"keys": toAny(frontier)})
	if err != nil {
		return nil, err
	}
	for _, rec := range mates {
		if k := rec.Values[0].(string); !seen[k] {
			seen[k] = true
			frontier = append(frontier, k)
		}
	}
	for len(frontier) > 0 {
		params["frontier"] = toAny(frontier)
		recs, err := g.t.run(componentFrontier, params)
		if err != nil {
			return nil, err
		}
		frontier = frontier[:0]
		for _, rec := range recs {
			if k, ok := rec.Values[0].(string); ok && !seen[k] {
				seen[k] = true
				frontier = append(frontier, k)
			}
		}
	}
	recs, err := g.t.run(componentFacts, map[string]any{"keys": toAny(sortedKeys(seen))})
	if err != nil {
		return nil, err
	}
	c := &identity.Component{CreatedAt: map[string]time.Time{}}
	for _, rec := range recs {
		k := rec.Values[0].(string)
		cr := identity.ComponentRecord{Key: k, Record: recordFromProps(rec.Values[1].(map[string]any)),
			Identifiers: heldIdentifiers(rec.Values[4])}
		if id, ok := rec.Values[2].(string); ok {
			cr.Customer = id
			c.CreatedAt[id], _ = rec.Values[3].(time.Time)
		}
		c.Records = append(c.Records, cr)
		for _, m := range rec.Values[5].([]any) {
			pair := m.([]any)
			score, _ := pair[1].(float64)
			c.Links = append(c.Links, identity.Link{A: k, B: pair[0].(string), Kind: identity.LinkMatch, Score: score})
		}
		for _, o := range toStrings(rec.Values[6]) {
			c.Links = append(c.Links, identity.Link{A: k, B: o, Kind: identity.LinkManual})
		}
		for _, o := range toStrings(rec.Values[7]) {
			c.Apart = append(c.Apart, identity.Apart{A: k, B: o})
		}
	}
	return c, nil
}

func heldIdentifiers(v any) []identity.HeldIdentifier {
	rows, _ := v.([]any)
	out := make([]identity.HeldIdentifier, 0, len(rows))
	for _, r := range rows {
		f := r.([]any)
		blocked, _ := f[3].(bool)
		out = append(out, identity.HeldIdentifier{Key: str(f[0]), Type: str(f[1]), Value: str(f[2]), Blocked: blocked, Holders: intProp(f[4])})
	}
	return out
}

// FlagBridges refreshes the holder count and bridge flag of identifiers.
func (g graph) FlagBridges(keys []string, policy identity.LinkPolicy) error {
	params := policyParams(policy)
	params["keys"] = toAny(keys)
	_, err := g.t.run(flagBridges, params)
	return err
}

// Apply writes a plan in the order its parts depend on each other.
func (g graph) Apply(p *identity.Plan, now time.Time) error {
	t := g.t
	if len(p.Conflicting) > 0 {
		if _, err := t.run(flagConflicting, map[string]any{"keys": toAny(p.Conflicting)}); err != nil {
			return err
		}
	}
	params := map[string]any{"now": now}
	if len(p.Created) > 0 {
		params["ids"] = toAny(p.Created)
		if _, err := t.run(resolveCreateCustomers, params); err != nil {
			return err
		}
	}
	if len(p.Moves) > 0 {
		moves := make([]any, len(p.Moves))
		for i, m := range p.Moves {
			moves[i] = map[string]any{"key": m.Record, "customer": m.Customer, "rule": m.Rule, "via": toAny(m.Via)}
		}
		params["moves"] = moves
		recs, err := t.run(resolveMove, params)
		if err != nil {
			return err
		}
		// A record with ties that moves to another customer moves its ties with it.
		if len(recs) > 0 {
			if err := markIf(t, intProp(recs[0].Values[0]) > 0); err != nil {
				return err
			}
		}
	}
	absorbedScored := false
	if len(p.Merges) > 0 {
		merges := make([]any, len(p.Merges))
		for i, m := range p.Merges {
			merges[i] = map[string]any{"absorbed": m.Absorbed, "survivor": m.Survivor}
		}
		params["merges"] = merges
		recs, err := t.run(resolveAbsorb, params)
		if err != nil {
			return err
		}
		// A scored customer merged away leaves the aggregates over all customers.
		absorbedScored = len(recs) > 0 && intProp(recs[0].Values[0]) > 0
	}
	if len(p.Events) > 0 {
		events := make([]any, len(p.Events))
		for i, e := range p.Events {
			events[i] = map[string]any{"id": e.ID, "kind": e.Kind, "customer": e.Customer, "other": e.Other,
				"reason": e.Reason, "via": toAny(e.Via), "about": toAny(e.About)}
		}
		params["events"] = events
		if _, err := t.run(resolveEvents, params); err != nil {
			return err
		}
	}
	if len(p.Golden) > 0 {
		if err := writeGolden(t, p.Golden, now); err != nil {
			return err
		}
	}
	if absorbedScored { // last: the version node stays locked until the commit
		return t.bumpAggregates()
	}
	return nil
}

// writeGolden stores golden records and households.
func writeGolden(t *tx, golden []identity.Golden, now time.Time) error {
	rows := make([]any, 0, len(golden))
	for _, gr := range golden {
		props := map[string]any{}
		for _, f := range cdp.ProfileFields {
			props[f] = nullable(gr.Profile.Get(f))
		}
		provenance := make([]any, len(gr.Provenance))
		for i, p := range gr.Provenance {
			provenance[i] = encodeProvenance(p)
		}
		rows = append(rows, map[string]any{
			"id": gr.Customer, "profile": props, "provenance": provenance, "sources": toAny(gr.Sources),
			"recordCount": int64(gr.RecordCount), "searchName": nullable(gr.SearchName), "household": nullable(gr.Household),
			"quality": qualityProps(gr.Quality),
		})
	}
	_, err := t.run(resolveWriteGolden, map[string]any{"rows": rows, "now": now})
	return err
}

// Provenance is stored as "field|source|sourceId" strings: Neo4j properties cannot hold maps.
func encodeProvenance(p cdp.Provenance) string { return p.Field + "|" + p.Source + "|" + p.SourceID }

func decodeProvenance(s string) cdp.Provenance {
	parts := strings.SplitN(s, "|", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return cdp.Provenance{Field: parts[0], Source: parts[1], SourceID: parts[2]}
}

func recordFromProps(p map[string]any) *cdp.SourceRecord {
	r := &cdp.SourceRecord{}
	r.Source, _ = p["source"].(string)
	r.SourceID, _ = p["sourceId"].(string)
	r.Placeholder, _ = p["placeholder"].(bool)
	r.UpdatedAt, _ = p["updatedAt"].(time.Time)
	r.IngestedAt, _ = p["ingestedAt"].(time.Time)
	for _, f := range cdp.ProfileFields {
		if v, ok := p[f].(string); ok {
			r.Profile.Set(f, v)
		}
	}
	return r
}

func toAny[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func toStrings(v any) []string {
	xs, _ := v.([]any)
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
