package neo4j

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

// suppressionSecret reads the secret keying suppression hashes in t; with create it draws
// one if the database has none yet. It is drawn once per database (at migrate, or by the
// first erasure) and kept in the graph, so every server agrees on it and restarts keep
// refusing what was erased. It is read in the transaction that uses it, never cached, so
// a process cannot go on with a secret the database no longer holds. Without one nothing
// keyed can have been stored yet: nil.
func suppressionSecret(t *tx, create bool) ([]byte, error) {
	query, params := `MATCH (s:Secret {name: 'suppression'}) RETURN s.value`, map[string]any(nil)
	if create {
		fresh := make([]byte, 32)
		if _, err := rand.Read(fresh); err != nil {
			return nil, err
		}
		query = `MERGE (s:Secret {name: 'suppression'}) ON CREATE SET s.value = $value, s.createdAt = $now RETURN s.value`
		params = map[string]any{"value": hex.EncodeToString(fresh), "now": t.db.Now().UTC()}
	}
	recs, err := t.run(query, params)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	key, err := hex.DecodeString(str(recs[0].Values[0]))
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("neo4j: the stored suppression secret is malformed")
	}
	return key, nil
}

// migrateSuppressions draws the suppression secret and keys the entries earlier versions
// stored unkeyed: a keyed hash is HMAC(secret, unkeyed hash), so they convert without the
// keys they came from.
func (db *DB) migrateSuppressions(ctx context.Context) error {
	for done := false; !done; {
		err := db.write(ctx, func(t *tx) error {
			secret, err := suppressionSecret(t, true)
			if err != nil {
				return err
			}
			recs, err := t.run(`MATCH (x:Suppression) WHERE x.keyed IS NULL RETURN x.hash LIMIT 5000`, nil)
			if err != nil {
				return err
			}
			done = len(recs) == 0
			rows := make([]any, len(recs))
			for i, r := range recs {
				old := str(r.Values[0])
				rows[i] = map[string]any{"old": old, "new": cdp.KeySuppressionHash(secret, old)}
			}
			_, err = t.run(`UNWIND $rows AS row
MATCH (x:Suppression {hash: row.old}) WHERE x.keyed IS NULL
SET x.hash = row.new, x.keyed = true`, map[string]any{"rows": rows})
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Suppressed says which record and identifier keys are on the suppression list.
func (s *IngestStore) Suppressed(ctx context.Context, keys []string) (map[string]bool, error) {
	out := map[string]bool{}
	err := s.db.readTx(ctx, func(t *tx) error {
		clear(out)
		secret, err := suppressionSecret(t, false)
		if err != nil || secret == nil {
			return err
		}
		rows := make([]any, len(keys))
		for i, k := range keys {
			rows[i] = map[string]any{"key": k, "hash": cdp.SuppressionHash(secret, k)}
		}
		recs, err := t.run(`
UNWIND $rows AS row
MATCH (x:Suppression {hash: row.hash})
RETURN DISTINCT row.key`, map[string]any{"rows": rows})
		for _, r := range recs {
			out[r.Values[0].(string)] = true
		}
		return err
	})
	return out, err
}

// ErasureStore erases customers' personal data.
type ErasureStore struct{ db *DB }

// NewErasureStore returns the erasure store of db.
func NewErasureStore(db *DB) *ErasureStore { return &ErasureStore{db: db} }

var _ cdp.ErasureStore = (*ErasureStore)(nil)

// erasureScope reads what belongs to a customer: records, identifiers (and whether a
// record of another customer holds them too), golden fields, and counts of what will be
// scrubbed.
const erasureScope = `
MATCH (c:Customer {id: $id})
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)
  RETURN collect(r.key) AS records
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)-[:HAS_IDENTIFIER]->(i)
  WITH DISTINCT i, c
  RETURN collect([i.key, EXISTS { (i)<-[:HAS_IDENTIFIER]-(o)-[:RESOLVES_TO]->(other) WHERE other <> c }, coalesce(i.blocked, false)]) AS identifiers
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
RETURN records, identifiers, texts, events, ties, EXISTS { (c)-[:MEMBER_OF]->() } AS household, properties(c) AS props`

func (s *ErasureStore) facts(t *tx, id string) (*cdp.ErasureFacts, error) {
	recs, err := t.run(erasureScope, map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, &cdp.Error{Code: cdp.ENOTFOUND, Field: "id", Message: "no customer " + id}
	}
	v := recs[0].Values
	f := &cdp.ErasureFacts{CustomerID: id, SourceRecords: toStrings(v[0]), FeedbackTexts: intProp(v[2]),
		EventDetails: intProp(v[3]), SocialTies: intProp(v[4])}
	f.Household, _ = v[5].(bool)
	for _, pair := range v[1].([]any) {
		p := pair.([]any)
		shared, _ := p[1].(bool)
		blocked, _ := p[2].(bool)
		f.Identifiers = append(f.Identifiers, cdp.HeldIdentifier{Key: str(p[0]), Shared: shared, Blocked: blocked})
	}
	props := v[6].(map[string]any)
	for _, name := range cdp.ProfileFields {
		if str(props[name]) != "" {
			f.ProfileFields = append(f.ProfileFields, name)
		}
	}
	return f, nil
}

// ErasureFacts reads what erasing a customer would touch, changing nothing.
func (s *ErasureStore) ErasureFacts(ctx context.Context, id string) (*cdp.ErasureFacts, error) {
	var f *cdp.ErasureFacts
	err := s.db.readTx(ctx, func(t *tx) error {
		var err error
		f, err = s.facts(t, id)
		return err
	})
	return f, err
}

// erasureStatements scrub, in order: the suppression list; identifiers (deleted unless
// another record holds them); links that carry identifying evidence (match edges,
// blocking keys, merge reasons); the records' and the customer's personal fields; free
// texts; ties; the household. Orders, event types and times, ratings, sentiment, consents
// and scores stay, anonymous, so analytics add up; everything that stays is re-keyed (random
// keys and source ids, the customer's new random id), so no id that stays can be traced back
// to the source systems' ids.
var erasureStatements = []string{
	`UNWIND $hashes AS h MERGE (x:Suppression {hash: h}) ON CREATE SET x.at = $at, x.keyed = true`,
	`MATCH (c:Customer {id: $id})<-[:RESOLVES_TO]-(r)-[l:HAS_IDENTIFIER]->(i)
	 DELETE l
	 WITH DISTINCT i WHERE NOT EXISTS { (i)<-[:HAS_IDENTIFIER]-() }
	 DETACH DELETE i`,
	// The ties go, which may change who is near a detractor (see derived.go).
	`MATCH (c:Customer {id: $id}) WHERE EXISTS { (c)<-[:RESOLVES_TO]-()-[:` + tieTypes + `]-() }
	 CREATE (:DerivedChange {name: 'detractorHops', at: $at})`,
	`MATCH (c:Customer {id: $id})<-[:RESOLVES_TO]-(r)
	 CALL (r) { MATCH (r)-[m:MATCHED|REVIEW|SAME_PERSON|NOT_SAME_PERSON]-() DELETE m }
	 CALL (r) { MATCH (r)-[b:IN_BLOCK]->(k) DELETE b WITH k WHERE NOT EXISTS { (k)<-[:IN_BLOCK]-() } DELETE k }
	 CALL (r) { MATCH (r)-[t:FOLLOWS|REFERRED|SHARED|MENTIONED]-() DELETE t }`,
	`MATCH (c:Customer {id: $id})<-[:RESOLVES_TO]-(r)
	 CALL (r) {
	   MATCH (r)<-[:PLACED_BY|BY|GIVEN_BY|CONSENT_OF]-(n)
	   WITH n, randomUUID() AS u
	   SET n.key = 'erased:' + u, n.sourceId = u, n.hash = null
	 }`,
	`MATCH (c:Customer {id: $id})<-[rt:RESOLVES_TO]-(r)
	 SET rt.via = []
	 SET r = {key: 'erased:' + randomUUID(), source: r.source, erased: true, erasedAt: $at, placeholder: false}`,
	`MATCH (:Customer {id: $id})<-[:RESOLVES_TO]-()<-[:GIVEN_BY]-(f)
	 REMOVE f.text, f.aspects, f.aspectScores`,
	`MATCH (:Customer {id: $id})<-[:RESOLVES_TO]-()<-[:BY]-(e)
	 REMOVE e.query, e.url, e.sessionId`,
	`MATCH (:Customer {id: $id})<-[:ABOUT]-(ev:IdentityEvent)
	 SET ev.via = [], ev.reason = 'erased',
	     ev.customer = CASE WHEN ev.customer = $id OR NOT EXISTS { (:Customer {id: ev.customer}) } THEN $newId ELSE ev.customer END,
	     ev.other = CASE WHEN ev.other = $id OR NOT EXISTS { (:Customer {id: ev.other}) } THEN $newId ELSE ev.other END`,
	`MATCH (c:Customer {id: $id})-[:HAS_SCORE]->(s)
	 SET s.customerId = $newId, s.key = $newId + substring(s.key, size($id))`,
	`MATCH (ch:SegmentChange {customerId: $id}) SET ch.customerId = $newId`,
	`MATCH (o:Customer {referredBy: $id}) SET o.referredBy = $newId`,
	// The ids merged into the customer would lead to the erased person: they go.
	`MATCH (a:CustomerAlias)-[:MERGED_INTO]->(:Customer {id: $id}) DETACH DELETE a`,
	`MATCH (c:Customer {id: $id})
	 CALL (c) { MATCH (c)-[m:MEMBER_OF]->(h) DELETE m WITH h WHERE NOT EXISTS { (h)<-[:MEMBER_OF]-() } DELETE h }
	 SET c.givenName = null, c.familyName = null, c.fullName = null, c.email = null, c.phone = null,
	     c.birthDate = null, c.gender = null, c.addressLine1 = null, c.addressLine2 = null, c.city = null,
	     c.region = null, c.postcode = null, c.country = null, c.provenance = [], c.searchName = null, c.mergedIds = [],
	     c.articulation = [], c.weakestFrom = null, c.weakestTo = null, c.bridgeFrom = [], c.bridgeTo = [], // record keys of the cluster quality
	     c.erased = true, c.erasedAt = $at, c.updatedAt = $at, c.id = $newId`,
}

// Erase reads a customer's facts, has plan decide, and writes the plan, in one transaction.
func (s *ErasureStore) Erase(ctx context.Context, id string, at time.Time, plan func(*cdp.ErasureFacts) (*cdp.ErasurePlan, error)) (*cdp.ErasurePlan, error) {
	var p *cdp.ErasurePlan
	err := s.db.write(ctx, func(t *tx) error {
		secret, err := suppressionSecret(t, true)
		if err != nil {
			return err
		}
		f, err := s.facts(t, id)
		if err != nil {
			return err
		}
		if p, err = plan(f); err != nil {
			return err
		}
		if p.NewCustomerID == "" || p.NewCustomerID == id {
			return fmt.Errorf("neo4j: an erasure needs a new customer id")
		}
		hashes := make([]string, len(p.Suppress))
		for i, k := range p.Suppress {
			hashes[i] = cdp.SuppressionHash(secret, k)
		}
		params := map[string]any{"id": id, "newId": p.NewCustomerID, "hashes": toAny(hashes), "at": at.UTC()}
		for _, stmt := range erasureStatements {
			if _, err := t.run(stmt, params); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
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
