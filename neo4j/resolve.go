package neo4j

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/identity/match"
)

// Resolution is a recomputation of connected components. Customers derive from facts kept
// in the graph: records sharing a trusted identifier, probabilistic MATCHED links, and an
// analyst's SAME_PERSON / NOT_SAME_PERSON decisions. Whenever records change, or a decision
// is made, the component(s) holding them are loaded, clustered (identity.Cluster) and the
// customers adjusted: new ones created, merged ones absorbed, split ones divided, each change
// leaving an IdentityEvent. Incremental ingest and `cdpgraph resolve` run the same code, so
// they give the same customers.

// linkableIdentifier is the condition under which an identifier links the records holding
// it: a trusted type, not on the block list, and held by no more records than its limit.
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

// componentFacts returns everything clustering needs about the records of a component.
const componentFacts = `
UNWIND $keys AS k
MATCH (r:SourceRecord {key: k})
OPTIONAL MATCH (r)-[:RESOLVES_TO]->(c)
RETURN k, coalesce(r.placeholder, false), c.id, c.createdAt,
  [(r)-[:HAS_IDENTIFIER]->(i) WHERE ` + linkableIdentifier + ` | i.key] AS identifiers,
  [(r)-[m:MATCHED]-(o) | [o.key, m.probability]] AS matched,
  [(r)-[:SAME_PERSON]-(o) | o.key] AS same,
  [(r)-[:NOT_SAME_PERSON]-(o) | o.key] AS apart,
  [r.givenName, r.familyName, r.fullName, r.birthDate] AS person,
  [(r)-[:HAS_IDENTIFIER]->(i) WHERE i.type IN ['external_id', 'social_handle'] | [i.type, i.value]] AS personIds`

// flagBridges marks identifiers held by more records than their type allows, so analysts
// can list them; they no longer link anything.
const flagBridges = `
UNWIND $keys AS k
MATCH (i:Identifier {key: k})
WITH i, COUNT { (i)<-[:HAS_IDENTIFIER]-() } AS n
SET i.records = n, i.flagged = n > $maxRecords[i.type] OR coalesce(i.conflicting, false),
  i.flagReason = CASE WHEN n > $maxRecords[i.type] THEN 'too_many_records'
    WHEN coalesce(i.conflicting, false) THEN 'conflicting_holders' ELSE null END`

// flagConflicting marks identifiers held by records that are clearly different people (a
// family email): they still link the holders that agree, and analysts can list them.
const flagConflicting = `
UNWIND $keys AS k
MATCH (i:Identifier {key: k})
SET i.conflicting = true, i.flagged = true,
  i.flagReason = coalesce(i.flagReason, 'conflicting_holders'), i.records = COUNT { (i)<-[:HAS_IDENTIFIER]-() }`

const resolveCreateCustomers = `
UNWIND $ids AS id
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

// An absorbed customer's identity history moves to its survivor before it is deleted.
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

const resolveRecordsOfCustomers = `
UNWIND $ids AS id
MATCH (c:Customer {id: id})<-[:RESOLVES_TO]-(r)
RETURN id, properties(r) AS r`

// The golden record's address puts the customer in a household: people sharing an address.
// A household nobody lives in any more is removed.
const resolveWriteGolden = `
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})
SET c += row.profile, c.provenance = row.provenance, c.sources = row.sources,
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

// component is what the graph says about the records of one or more components.
type component struct {
	records   []string // non-placeholder records, sorted
	customer  map[string]string
	createdAt map[string]time.Time
	links     []identity.Link
	apart     []identity.Apart
	// conflicting lists identifiers whose holders include clearly different people.
	conflicting []string
}

// loadComponent finds every record linked to the seeds, then their facts.
func (s *IngestStore) loadComponent(t *tx, seeds []string) (*component, error) {
	params := s.linkParams()
	seen := map[string]bool{}
	frontier := make([]string, 0, len(seeds))
	for _, k := range seeds {
		if !seen[k] {
			seen[k] = true
			frontier = append(frontier, k)
		}
	}
	mates, err := t.run(customerMates, map[string]any{"keys": toAny(frontier)})
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
		recs, err := t.run(componentFrontier, params)
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
	params["keys"] = toAny(sortedKeys(seen))
	recs, err := t.run(componentFacts, params)
	if err != nil {
		return nil, err
	}
	c := &component{customer: map[string]string{}, createdAt: map[string]time.Time{}}
	holders := map[string][]string{} // identifier key -> records
	people := map[string]*match.Record{}
	for _, rec := range recs {
		k := rec.Values[0].(string)
		if rec.Values[1].(bool) {
			continue // placeholders are not people yet
		}
		c.records = append(c.records, k)
		if id, ok := rec.Values[2].(string); ok {
			c.customer[k] = id
			c.createdAt[id], _ = rec.Values[3].(time.Time)
		}
		for _, ik := range toStrings(rec.Values[4]) {
			holders[ik] = append(holders[ik], k)
		}
		for _, m := range rec.Values[5].([]any) {
			pair := m.([]any)
			score, _ := pair[1].(float64)
			c.links = append(c.links, identity.Link{A: k, B: pair[0].(string), Kind: identity.LinkMatch, Score: score})
		}
		for _, o := range toStrings(rec.Values[6]) {
			c.links = append(c.links, identity.Link{A: k, B: o, Kind: identity.LinkManual})
		}
		for _, o := range toStrings(rec.Values[7]) {
			c.apart = append(c.apart, identity.Apart{A: k, B: o})
		}
		p := rec.Values[8].([]any)
		person := &match.Record{ID: k, GivenName: str(p[0]), FamilyName: str(p[1]), FullName: str(p[2]), BirthDate: str(p[3])}
		for _, id := range rec.Values[9].([]any) { // a handle may spell the name; the national id is personal evidence
			typ, value := str(id.([]any)[0]), str(id.([]any)[1])
			switch {
			case typ == string(cdp.IdentifierSocialHandle):
				person.Handles = append(person.Handles, value)
			case person.NationalID == "" || value < person.NationalID:
				person.NationalID = value
			}
		}
		people[k] = person
	}
	sort.Strings(c.records)
	// Records whose stated given names or birth dates say they are different people are
	// not linked by what they share: a family email links nobody. A probabilistic match
	// between records whose given names or birth dates clearly differ stands only on
	// personal evidence, an agreeing birth date or national id: the matcher counts a shared
	// flat, its postcode and a family email as independent clues, and a household has all
	// of them (its members' names may be in two scripts, their dates tell them apart).
	kept := c.links[:0]
	for _, l := range c.links {
		if l.Kind != identity.LinkMatch || people[l.A] == nil || people[l.B] == nil {
			kept = append(kept, l)
		} else if names, dates := match.Conflict(people[l.A], people[l.B]); !(names || dates) || personalAgreement(people[l.A], people[l.B]) {
			kept = append(kept, l)
		}
	}
	c.links = kept
	for _, ik := range sortedKeys(holders) {
		hs := holders[ik]
		sort.Strings(hs)
		for x, a := range hs {
			for _, b := range hs[x+1:] {
				if names, dates := match.Conflict(people[a], people[b]); !names && !dates {
					c.links = append(c.links, identity.Link{A: a, B: b, Kind: identity.LinkIdentifier, Via: ik})
				} else if !contains(c.conflicting, ik) {
					c.conflicting = append(c.conflicting, ik)
				}
			}
		}
	}
	return c, nil
}

// personalAgreement: both records give a birth date, or a national id, and they agree,
// allowing a typo.
func personalAgreement(a, b *match.Record) bool {
	if l := match.DateLevel(a.BirthDate, b.BirthDate); l == match.LevelExact || l == match.LevelClose {
		return true
	}
	return a.NationalID != "" && b.NationalID != "" && match.DamerauLevenshtein(a.NationalID, b.NationalID) <= 1
}

func (s *IngestStore) linkParams() map[string]any {
	return map[string]any{"trusted": toAny(s.rules.TrustedTypes()), "maxRecords": s.rules.MaxRecords()}
}

// customerPlan is how a component's clusters map onto customers.
type customerPlan struct {
	clusterCustomer map[string]string // cluster root -> customer id
	created         []string
	moves           []map[string]any
	merges          []map[string]any // absorbed, survivor
	events          []any
}

// planCustomers gives each cluster a customer: existing customers go to the cluster holding
// most of their records (older customers first), so ids that callers stored survive; other
// clusters get new ids; customers left without records are absorbed by the cluster that
// took most of them.
func planCustomers(c *component, clusters map[string]string, applied []identity.Link, reason string, now time.Time) *customerPlan {
	type candidate struct {
		root, customer string
		count          int
	}
	counts := map[[2]string]int{}
	for _, r := range c.records {
		if id := c.customer[r]; id != "" {
			counts[[2]string{clusters[r], id}]++
		}
	}
	var cands []candidate
	for k, n := range counts {
		cands = append(cands, candidate{root: k[0], customer: k[1], count: n})
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.count != b.count {
			return a.count > b.count
		}
		if ca, cb := c.createdAt[a.customer], c.createdAt[b.customer]; !ca.Equal(cb) {
			return ca.Before(cb)
		}
		if a.customer != b.customer {
			return a.customer < b.customer
		}
		return a.root < b.root
	})
	p := &customerPlan{clusterCustomer: map[string]string{}}
	taken := map[string]bool{}
	for _, cd := range cands {
		if p.clusterCustomer[cd.root] == "" && !taken[cd.customer] {
			p.clusterCustomer[cd.root] = cd.customer
			taken[cd.customer] = true
		}
	}
	existing := map[string]bool{}
	for _, id := range c.customer {
		existing[id] = true
	}
	roots := map[string]bool{}
	for _, r := range c.records {
		roots[clusters[r]] = true
	}
	for _, root := range sortedKeys(roots) {
		if p.clusterCustomer[root] != "" {
			continue
		}
		id := customerID(root)
		for n := 1; taken[id] || existing[id]; n++ {
			id = customerID(fmt.Sprintf("%s#%d", root, n))
		}
		taken[id] = true
		p.clusterCustomer[root] = id
		p.created = append(p.created, id)
	}

	via := viaByRecord(applied)
	for _, r := range c.records {
		target := p.clusterCustomer[clusters[r]]
		if c.customer[r] == target {
			continue
		}
		rule, vias := "new", []string{}
		if v, ok := via[r]; ok {
			rule, vias = v.kind, v.via
		}
		p.moves = append(p.moves, map[string]any{"key": r, "customer": target, "rule": rule, "via": toAny(vias)})
	}

	// Where did each old customer's records go?
	dest := map[string]map[string]int{}
	for _, r := range c.records {
		if old := c.customer[r]; old != "" {
			if dest[old] == nil {
				dest[old] = map[string]int{}
			}
			dest[old][p.clusterCustomer[clusters[r]]]++
		}
	}
	for _, old := range sortedKeys(dest) {
		targets := dest[old]
		if !taken[old] { // absorbed: its records all went elsewhere
			survivor := argmax(targets)
			p.merges = append(p.merges, map[string]any{"absorbed": old, "survivor": survivor})
			p.events = append(p.events, event("merge", survivor, old, reason, viaBetween(applied, c, old, survivor), []string{survivor}, now))
		}
		for _, to := range sortedKeys(targets) {
			if to != old && taken[old] && contains(p.created, to) {
				p.events = append(p.events, event("split", old, to, reason, nil, []string{old, to}, now))
			}
		}
	}
	return p
}

type recordVia struct {
	kind string
	via  []string
}

// viaByRecord says, per record, which applied links hold it in its cluster: the strongest
// kind, and the identifiers for shared-identifier links.
func viaByRecord(applied []identity.Link) map[string]recordVia {
	out := map[string]recordVia{}
	strength := map[string]int{identity.LinkManual: 3, identity.LinkIdentifier: 2, identity.LinkMatch: 1}
	for _, l := range applied {
		for _, r := range []string{l.A, l.B} {
			v := out[r]
			if strength[l.Kind] > strength[v.kind] {
				v.kind = l.Kind
			}
			if l.Via != "" && !contains(v.via, l.Via) {
				v.via = append(v.via, l.Via)
			}
			out[r] = v
		}
	}
	return out
}

// viaBetween lists what joined customer a's records to customer b's: the identifier keys
// (or link kinds) of applied links that cross between them.
func viaBetween(applied []identity.Link, c *component, a, b string) []string {
	set := map[string]bool{}
	for _, l := range applied {
		ca, cb := c.customer[l.A], c.customer[l.B]
		if (ca == a && cb != a) || (cb == a && ca != a) || (ca == b && cb != b) || (cb == b && ca != b) {
			if l.Via != "" {
				set[l.Via] = true
			} else {
				set[l.Kind] = true
			}
		}
	}
	return sortedKeys(set)
}

func event(kind, customer, other, reason string, via, about []string, now time.Time) map[string]any {
	sum := sha256.Sum256([]byte(kind + "|" + customer + "|" + other + "|" + now.Format(time.RFC3339Nano)))
	return map[string]any{
		"id": "evt_" + hex.EncodeToString(sum[:8]), "kind": kind, "customer": customer, "other": other,
		"reason": reason, "via": toAny(via), "about": toAny(about),
	}
}

func argmax(m map[string]int) string {
	best, n := "", -1
	for _, k := range sortedKeys(m) {
		if m[k] > n {
			best, n = k, m[k]
		}
	}
	return best
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// recompute re-resolves the components holding the seed records and refreshes the golden
// record of every customer they hold.
func (s *IngestStore) recompute(t *tx, seeds []string, reason string) (*component, map[string]string, []identity.Link, error) {
	now := s.db.Now().UTC()
	c, err := s.loadComponent(t, seeds)
	if err != nil {
		return nil, nil, nil, err
	}
	clusters, applied := identity.Cluster(c.records, c.links, c.apart)
	p := planCustomers(c, clusters, applied, reason, now)
	if len(c.conflicting) > 0 {
		if _, err := t.run(flagConflicting, map[string]any{"keys": toAny(c.conflicting)}); err != nil {
			return nil, nil, nil, err
		}
	}
	params := map[string]any{"now": now}
	absorbedScored := false
	steps := []struct {
		query string
		key   string
		rows  []any
	}{
		{resolveCreateCustomers, "ids", toAny(p.created)},
		{resolveMove, "moves", toAny(p.moves)},
		{resolveAbsorb, "merges", toAny(p.merges)},
		{resolveEvents, "events", p.events},
	}
	for _, st := range steps {
		if len(st.rows) == 0 {
			continue
		}
		params[st.key] = st.rows
		recs, err := t.run(st.query, params)
		if err != nil {
			return nil, nil, nil, err
		}
		// A record with ties that moves to another customer moves its ties with it.
		if st.query == resolveMove && len(recs) > 0 {
			if err := markIf(t, intProp(recs[0].Values[0]) > 0); err != nil {
				return nil, nil, nil, err
			}
		}
		// A scored customer merged away leaves the aggregates over all customers.
		if st.query == resolveAbsorb && len(recs) > 0 && intProp(recs[0].Values[0]) > 0 {
			absorbedScored = true
		}
	}
	affected := map[string]bool{}
	for _, id := range p.clusterCustomer {
		affected[id] = true
	}
	if len(affected) > 0 {
		if err := s.refreshGolden(t, sortedKeys(affected), now); err != nil {
			return nil, nil, nil, err
		}
		if _, err := t.run(writeClusterQuality, map[string]any{"rows": clusterQualityRows(c, clusters, p.clusterCustomer)}); err != nil {
			return nil, nil, nil, err
		}
	}
	if absorbedScored { // last: the version node stays locked until the commit
		if err := t.bumpAggregates(); err != nil {
			return nil, nil, nil, err
		}
	}
	return c, clusters, applied, nil
}

// resolve is the ingest hook: flag identifiers that became bridges, then recompute the
// components of the changed records.
func (s *IngestStore) resolve(t *tx, keys []string, identifierKeys []string) error {
	if len(identifierKeys) > 0 {
		params := s.linkParams()
		params["keys"] = toAny(identifierKeys)
		if _, err := t.run(flagBridges, params); err != nil {
			return err
		}
	}
	_, _, _, err := s.recompute(t, keys, "ingest")
	return err
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
			"household": nullable(identity.HouseholdKey(profile)),
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
