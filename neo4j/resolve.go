package neo4j

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
)

// Resolution keeps one invariant: every non-placeholder SourceRecord has exactly one
// RESOLVES_TO edge, and records linked through trusted identifiers share their Customer.
// It runs inside the ingest transaction for the records the batch changed, so the graph is
// never seen half-resolved.

// neighbourhood finds, for each changed record, its current customer and the records (and
// their customers) that share a trusted identifier with it. Identifiers linked to more
// records than the rules allow are skipped: they are shared, not personal.
const resolveNeighbourhood = `
UNWIND $keys AS k
MATCH (r:SourceRecord {key: k})
OPTIONAL MATCH (r)-[:RESOLVES_TO]->(rc)
OPTIONAL MATCH (r)-[:HAS_IDENTIFIER]->(i)<-[:HAS_IDENTIFIER]-(o)
  WHERE i.type IN $trusted AND o <> r AND COUNT { (i)<-[:HAS_IDENTIFIER]-() } <= $maxLinks
OPTIONAL MATCH (o)-[:RESOLVES_TO]->(oc)
RETURN k, rc.id AS customer, rc.createdAt AS customerCreatedAt,
  collect(DISTINCT o.key) AS neighbours, collect(DISTINCT i.key) AS via,
  collect(DISTINCT {id: oc.id, createdAt: oc.createdAt}) AS customers`

const resolveCreateCustomers = `
UNWIND $ids AS id
CREATE (:Customer {id: id, createdAt: $now, updatedAt: $now})`

// A merge moves the absorbed customer's records to the survivor, leaves a MergeEvent that
// says which identifiers caused it, and deletes the absorbed customer.
const resolveMergeCustomers = `
UNWIND $merges AS m
MATCH (s:Customer {id: m.survivor})
MATCH (l:Customer {id: m.absorbed})
CREATE (e:MergeEvent {id: m.id, at: $now, survivor: m.survivor, absorbed: m.absorbed,
  rule: 'shared_identifier', via: m.via})-[:INTO]->(s)
WITH s, l
CALL (s, l) {
  MATCH (r)-[old:RESOLVES_TO]->(l)
  CREATE (r)-[:RESOLVES_TO {at: old.at, rule: old.rule, via: old.via}]->(s)
  DELETE old
}
WITH s, l
CALL (s, l) {
  MATCH (e)-[old:INTO]->(l)
  CREATE (e)-[:INTO]->(s)
  DELETE old
}
SET s.createdAt = CASE WHEN l.createdAt < s.createdAt THEN l.createdAt ELSE s.createdAt END
DETACH DELETE l`

const resolveAssign = `
UNWIND $assign AS a
MATCH (r:SourceRecord {key: a.key})
MATCH (c:Customer {id: a.customer})
CALL (r, c) {
  MATCH (r)-[old:RESOLVES_TO]->(x) WHERE x <> c
  DELETE old
}
MERGE (r)-[rel:RESOLVES_TO]->(c)
  ON CREATE SET rel.at = $now, rel.rule = a.rule, rel.via = a.via`

const resolveRecordsOfCustomers = `
UNWIND $ids AS id
MATCH (c:Customer {id: id})<-[:RESOLVES_TO]-(r)
RETURN id, properties(r) AS r`

const resolveWriteGolden = `
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})
SET c += row.profile, c.provenance = row.provenance, c.sources = row.sources,
  c.recordCount = row.recordCount, c.searchName = row.searchName, c.updatedAt = $now`

type neighbourhood struct {
	customer   string
	createdAt  time.Time
	neighbours []string
	via        []string
	customers  map[string]time.Time
}

// resolve re-resolves the given records and refreshes the golden record of every customer
// they touch.
func (s *IngestStore) resolve(t *tx, keys []string) error {
	now := s.db.Now().UTC()
	recs, err := t.run(resolveNeighbourhood, map[string]any{
		"keys": toAny(keys), "trusted": toAny(s.rules.TrustedTypes()), "maxLinks": int64(s.rules.MaxRecordsPerIdentifier),
	})
	if err != nil {
		return err
	}
	const customerPrefix = "\x00customer:" // cannot collide with a record key
	uf := identity.NewUnionFind()
	hoods := map[string]*neighbourhood{}
	created := map[string]time.Time{}
	for _, rec := range recs {
		k := rec.Values[0].(string)
		h := &neighbourhood{customers: map[string]time.Time{}}
		if id, ok := rec.Values[1].(string); ok {
			h.customer = id
			created[id], _ = rec.Values[2].(time.Time)
		}
		h.neighbours = toStrings(rec.Values[3])
		h.via = toStrings(rec.Values[4])
		for _, c := range rec.Values[5].([]any) {
			m := c.(map[string]any)
			if id, ok := m["id"].(string); ok {
				created[id], _ = m["createdAt"].(time.Time)
				h.customers[id] = created[id]
			}
		}
		hoods[k] = h
		uf.Add(k)
		if h.customer != "" {
			uf.Union(k, customerPrefix+h.customer)
		}
		for _, n := range h.neighbours {
			uf.Union(k, n)
		}
		for id := range h.customers {
			uf.Union(k, customerPrefix+id)
		}
	}

	var newIDs []any
	var merges, assign []any
	affected := map[string]bool{}
	for _, members := range uf.Groups() {
		var records, customers []string
		for _, m := range members {
			if id, ok := strings.CutPrefix(m, customerPrefix); ok {
				customers = append(customers, id)
			} else {
				records = append(records, m)
			}
		}
		var survivor string
		if len(customers) == 0 {
			survivor = customerID(records[0])
			newIDs = append(newIDs, survivor)
		} else {
			// The oldest customer survives, so ids that callers have stored stay valid as long as possible.
			sort.Slice(customers, func(i, j int) bool {
				ci, cj := created[customers[i]], created[customers[j]]
				if !ci.Equal(cj) {
					return ci.Before(cj)
				}
				return customers[i] < customers[j]
			})
			survivor = customers[0]
			for _, absorbed := range customers[1:] {
				merges = append(merges, map[string]any{
					"id": mergeID(survivor, absorbed, now), "survivor": survivor, "absorbed": absorbed,
					"via": toAny(viaBetween(hoods, records)),
				})
			}
		}
		affected[survivor] = true
		for _, k := range records {
			h := hoods[k]
			rule, via := "new", []string{}
			if h != nil && len(h.via) > 0 {
				rule, via = "shared_identifier", h.via
			}
			assign = append(assign, map[string]any{"key": k, "customer": survivor, "rule": rule, "via": toAny(via)})
		}
	}
	params := map[string]any{"now": now}
	if len(newIDs) > 0 {
		params["ids"] = newIDs
		if _, err := t.run(resolveCreateCustomers, params); err != nil {
			return err
		}
	}
	if len(merges) > 0 {
		params["merges"] = merges
		if _, err := t.run(resolveMergeCustomers, params); err != nil {
			return err
		}
	}
	params["assign"] = assign
	if _, err := t.run(resolveAssign, params); err != nil {
		return err
	}
	return s.refreshGolden(t, sortedKeys(affected), now)
}

// refreshGolden recomputes the golden record of the given customers from their records.
func (s *IngestStore) refreshGolden(t *tx, ids []string, now time.Time) error {
	recs, err := t.run(resolveRecordsOfCustomers, map[string]any{"ids": toAny(ids)})
	if err != nil {
		return err
	}
	byCustomer := map[string][]*cdp.SourceRecord{}
	for _, rec := range recs {
		id := rec.Values[0].(string)
		byCustomer[id] = append(byCustomer[id], recordFromProps(rec.Values[1].(map[string]any)))
	}
	rows := make([]any, 0, len(ids))
	for _, id := range ids {
		records := byCustomer[id]
		profile, prov := s.rules.Golden(records)
		props := map[string]any{}
		for _, f := range cdp.ProfileFields {
			props[f] = nullable(profile.Get(f))
		}
		provenance := make([]any, len(prov))
		for i, p := range prov {
			provenance[i] = encodeProvenance(p)
		}
		sources := map[string]bool{}
		for _, r := range records {
			sources[r.Source] = true
		}
		rows = append(rows, map[string]any{
			"id": id, "profile": props, "provenance": provenance, "sources": toAny(sortedKeys(sources)),
			"recordCount": int64(len(records)), "searchName": nullable(searchName(profile)),
		})
	}
	_, err = t.run(resolveWriteGolden, map[string]any{"rows": rows, "now": now})
	return err
}

// searchName is what name search matches against: lower-cased names, space separated.
func searchName(p cdp.Profile) string {
	return strings.ToLower(strings.Join(strings.Fields(p.FullName+" "+p.GivenName+" "+p.FamilyName), " "))
}

// customerID derives a new customer's id from its first record, so that loading the same
// data into an empty graph always gives the same ids.
func customerID(recordKey string) string {
	sum := sha256.Sum256([]byte(recordKey))
	return "cus_" + hex.EncodeToString(sum[:8])
}

func mergeID(survivor, absorbed string, at time.Time) string {
	sum := sha256.Sum256([]byte(survivor + "|" + absorbed + "|" + at.Format(time.RFC3339Nano)))
	return "mrg_" + hex.EncodeToString(sum[:8])
}

func viaBetween(hoods map[string]*neighbourhood, records []string) []string {
	set := map[string]bool{}
	for _, k := range records {
		if h := hoods[k]; h != nil {
			for _, v := range h.via {
				set[v] = true
			}
		}
	}
	return sortedKeys(set)
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
