package neo4j

import (
	"context"
	"fmt"
	"sort"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Suppressed says which hashes are on the suppression list.
func (s *IngestStore) Suppressed(ctx context.Context, hashes []string) (map[string]bool, error) {
	recs, err := s.db.read(ctx, `
UNWIND $hashes AS h
MATCH (x:Suppression {hash: h})
RETURN DISTINCT h`, map[string]any{"hashes": toAny(hashes)})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	out := make(map[string]bool, len(recs))
	for _, r := range recs {
		out[r.Values[0].(string)] = true
	}
	return out, nil
}

// ErasureStore erases customers' personal data.
type ErasureStore struct{ db *DB }

// NewErasureStore returns the erasure store of db.
func NewErasureStore(db *DB) *ErasureStore { return &ErasureStore{db: db} }

var _ cdp.ErasureStore = (*ErasureStore)(nil)

// erasureScope reads what belongs to a customer: records, identifiers (and whether
// someone else holds them too), golden fields, and counts of what will be scrubbed.
const erasureScope = `
MATCH (c:Customer {id: $id})
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)
  RETURN collect(r.key) AS records
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)-[:HAS_IDENTIFIER]->(i)
  WITH DISTINCT i, c
  RETURN collect(i.key) AS identifiers,
         collect(CASE WHEN EXISTS { (i)<-[:HAS_IDENTIFIER]-(o)-[:RESOLVES_TO]->(other) WHERE other <> c } THEN i.key END) AS shared
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:GIVEN_BY]-(f) WHERE f.text IS NOT NULL
  RETURN count(f) AS texts
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:BY]-(e) WHERE e.query IS NOT NULL OR e.url IS NOT NULL
  RETURN count(e) AS events
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()-[t:FOLLOWS|REFERRED|SHARED|MENTIONED]-()
  RETURN count(DISTINCT t) AS ties
}
RETURN records, identifiers, shared, texts, events, ties, EXISTS { (c)-[:MEMBER_OF]->() } AS household, properties(c) AS props`

func (s *ErasureStore) scope(t *tx, id string) (*cdp.ErasurePreview, error) {
	recs, err := t.run(erasureScope, map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, &cdp.Error{Code: cdp.ENOTFOUND, Field: "id", Message: "no customer " + id}
	}
	v := recs[0].Values
	p := &cdp.ErasurePreview{CustomerID: id, SourceRecords: toStrings(v[0]), FeedbackTexts: intProp(v[3]),
		EventDetails: intProp(v[4]), SocialTies: intProp(v[5])}
	p.Household, _ = v[6].(bool)
	shared := map[string]bool{}
	for _, k := range toStrings(v[2]) {
		shared[k] = true
	}
	for _, k := range toStrings(v[1]) {
		if shared[k] {
			p.SharedIdentifiers = append(p.SharedIdentifiers, k)
		} else {
			p.Identifiers = append(p.Identifiers, k)
		}
	}
	props := v[7].(map[string]any)
	for _, f := range cdp.ProfileFields {
		if str(props[f]) != "" {
			p.ProfileFields = append(p.ProfileFields, f)
		}
	}
	sort.Strings(p.SourceRecords)
	sort.Strings(p.Identifiers)
	sort.Strings(p.SharedIdentifiers)
	return p, nil
}

// PreviewErasure lists what Erase would remove, changing nothing.
func (s *ErasureStore) PreviewErasure(ctx context.Context, id string) (*cdp.ErasurePreview, error) {
	var p *cdp.ErasurePreview
	err := s.db.readTx(ctx, func(t *tx) error {
		var err error
		p, err = s.scope(t, id)
		return err
	})
	return p, err
}

// erasureStatements scrub, in order: the suppression list; identifiers; links that carry
// identifying evidence (match edges, blocking keys, merge reasons); the records' and the
// customer's personal fields; free texts; ties; the household. Orders, event types and
// times, ratings, sentiment, consents and scores stay, anonymous, so analytics add up.
var erasureStatements = []string{
	`UNWIND $hashes AS h MERGE (x:Suppression {hash: h}) ON CREATE SET x.at = $at`,
	`MATCH (c:Customer {id: $id})<-[:RESOLVES_TO]-(r)-[l:HAS_IDENTIFIER]->(i)
	 DELETE l
	 WITH DISTINCT i WHERE NOT EXISTS { (i)<-[:HAS_IDENTIFIER]-() }
	 DETACH DELETE i`,
	`MATCH (c:Customer {id: $id})<-[:RESOLVES_TO]-(r)
	 CALL (r) { MATCH (r)-[m:MATCHED|REVIEW|SAME_PERSON|NOT_SAME_PERSON]-() DELETE m }
	 CALL (r) { MATCH (r)-[b:IN_BLOCK]->(k) DELETE b WITH k WHERE NOT EXISTS { (k)<-[:IN_BLOCK]-() } DELETE k }
	 CALL (r) { MATCH (r)-[t:FOLLOWS|REFERRED|SHARED|MENTIONED]-() DELETE t }`,
	`MATCH (c:Customer {id: $id})<-[rt:RESOLVES_TO]-(r)
	 SET rt.via = []
	 WITH c, r, r.key AS oldKey
	 SET r = {key: 'erased:' + $prefix + toString(elementId(r)), source: r.source, erased: true, erasedAt: $at, placeholder: false}`,
	`MATCH (:Customer {id: $id})<-[:RESOLVES_TO]-()<-[:GIVEN_BY]-(f)
	 REMOVE f.text, f.aspects, f.aspectScores`,
	`MATCH (:Customer {id: $id})<-[:RESOLVES_TO]-()<-[:BY]-(e)
	 REMOVE e.query, e.url, e.sessionId`,
	`MATCH (:Customer {id: $id})<-[:ABOUT]-(ev:IdentityEvent)
	 SET ev.via = [], ev.reason = 'erased'`,
	`MATCH (c:Customer {id: $id})
	 CALL (c) { MATCH (c)-[m:MEMBER_OF]->(h) DELETE m WITH h WHERE NOT EXISTS { (h)<-[:MEMBER_OF]-() } DELETE h }
	 SET c.givenName = null, c.familyName = null, c.fullName = null, c.email = null, c.phone = null,
	     c.birthDate = null, c.gender = null, c.addressLine1 = null, c.addressLine2 = null, c.city = null,
	     c.region = null, c.postcode = null, c.country = null, c.provenance = [], c.searchName = null,
	     c.erased = true, c.erasedAt = $at, c.updatedAt = $at`,
}

// Erase scrubs a customer in one transaction.
func (s *ErasureStore) Erase(ctx context.Context, id string, at time.Time) (*cdp.ErasurePreview, error) {
	var p *cdp.ErasurePreview
	err := s.db.write(ctx, func(t *tx) error {
		var err error
		if p, err = s.scope(t, id); err != nil {
			return err
		}
		var hashes []string
		for _, k := range append(append(append([]string{}, p.SourceRecords...), p.Identifiers...), p.SharedIdentifiers...) {
			hashes = append(hashes, cdp.SuppressionHash(k))
		}
		params := map[string]any{"id": id, "hashes": toAny(hashes), "at": at.UTC(), "prefix": id + ":"}
		for _, stmt := range erasureStatements {
			if _, err := t.run(stmt, params); err != nil {
				return err
			}
		}
		return nil
	})
	return p, err
}

// AllProperties returns every node's labels and properties and every relationship's type
// and properties, one line each: an erasure audit reads it to prove that no personal
// value is left anywhere. It reads the whole graph; use it on test and audit copies.
func (db *DB) AllProperties(ctx context.Context) ([]string, error) {
	recs, err := db.read(ctx, `
MATCH (n) RETURN labels(n)[0] AS kind, properties(n) AS props
UNION ALL
MATCH ()-[r]->() RETURN type(r) AS kind, properties(r) AS props`, nil)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = fmt.Sprintf("%s %v", str(r.Values[0]), r.Values[1])
	}
	return out, nil
}
