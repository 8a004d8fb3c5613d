package neo4j

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
)

// IngestStore writes validated records and resolves identities as they arrive.
type IngestStore struct {
	db       *DB
	resolver *identity.Resolver
}

var _ cdp.IngestStore = (*IngestStore)(nil)

// NewIngestStore returns an IngestStore that resolves identities with rules.
func NewIngestStore(db *DB, rules identity.Rules) *IngestStore {
	return &IngestStore{db: db, resolver: identity.NewResolver(rules)}
}

// keyedWrite is the shape of every idempotent batch write: read the stored content hash of
// each key, then write only the rows whose hash differs. A replayed batch thus costs one
// read and writes nothing.
type keyedWrite struct {
	hashes string // returns (key, hash) for the keys in $keys
	write  string // writes the changed rows in $rows
}

type row = map[string]any

func (s *IngestStore) writeKeyed(ctx context.Context, q keyedWrite, rows []row, after func(t *tx, changed []row) error) (cdp.WriteStats, error) {
	var stats cdp.WriteStats
	if len(rows) == 0 {
		return stats, nil
	}
	keys := make([]any, len(rows))
	for i, r := range rows {
		if m, ok := r["match"]; ok {
			keys[i] = m // what the hashes statement needs to find the row, when the key alone is not enough
		} else {
			keys[i] = r["key"]
		}
	}
	err := s.db.write(ctx, func(t *tx) error {
		stats = cdp.WriteStats{} // the work function may be retried
		recs, err := t.run(q.hashes, map[string]any{"keys": keys})
		if err != nil {
			return err
		}
		stored := make(map[string]any, len(recs))
		for _, r := range recs {
			stored[r.Values[0].(string)] = r.Values[1]
		}
		changed := make([]any, 0, len(rows))
		changedRows := make([]row, 0, len(rows))
		for _, r := range rows {
			h, seen := stored[r["key"].(string)]
			switch {
			case !seen || h == nil:
				stats.Created++
			case h == r["hash"]:
				stats.Unchanged++
				continue
			default:
				stats.Updated++
			}
			changed = append(changed, r)
			changedRows = append(changedRows, r)
		}
		if len(changed) == 0 {
			return nil
		}
		if _, err := t.run(q.write, map[string]any{"rows": changed, "now": s.db.Now().UTC()}); err != nil {
			return err
		}
		if after != nil {
			return after(t, changedRows)
		}
		return nil
	})
	return stats, err
}

// contentHash fingerprints a record's content so an unchanged replay can be skipped.
func contentHash(v any) string {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// nullable maps empty strings and zero times to nil so that `SET n += row.props` removes a
// property the source no longer has instead of storing an empty value.
func nullable(v any) any {
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
	case time.Time:
		if x.IsZero() {
			return nil
		}
		return x.UTC()
	case *int:
		if x == nil {
			return nil
		}
		return int64(*x)
	}
	return v
}

const customerHashes = `UNWIND $keys AS k MATCH (n:SourceRecord {key: k}) RETURN k, n.hash`

// A placeholder record (created when an order named a customer the source had not sent
// yet) becomes a full record here; identifiers the record no longer carries are unlinked.
const customerWrite = `
UNWIND $rows AS row
MERGE (r:SourceRecord {key: row.key})
  ON CREATE SET r.source = row.source, r.sourceId = row.sourceId, r.firstSeenAt = $now
SET r += row.props, r.hash = row.hash, r.ingestedAt = $now, r.placeholder = false
WITH r, row
CALL (r, row) {
  MATCH (r)-[h:HAS_IDENTIFIER]->(old)
  WHERE NOT old.key IN [i IN row.identifiers | i.key]
  DELETE h
}
WITH r, row
UNWIND row.identifiers AS ident
MERGE (i:Identifier {key: ident.key})
  ON CREATE SET i.type = ident.type, i.value = ident.value, i.firstSeenAt = $now
SET i.blocked = ident.blocked
MERGE (r)-[:HAS_IDENTIFIER]->(i)`

// WriteCustomers stores customer records and resolves them to customers.
func (s *IngestStore) WriteCustomers(ctx context.Context, recs []cdp.SourceRecord) (cdp.WriteStats, error) {
	rows := make([]row, len(recs))
	for i := range recs {
		r := &recs[i]
		props := row{"updatedAt": nullable(r.UpdatedAt)}
		for _, f := range cdp.ProfileFields {
			props[f] = nullable(r.Profile.Get(f))
		}
		idents := make([]any, len(r.Identifiers))
		for j, id := range r.Identifiers {
			idents[j] = row{"key": id.Key(), "type": string(id.Type), "value": id.Value, "blocked": s.resolver.Rules.Blocked(id)}
		}
		rows[i] = row{
			"key": r.Key(), "source": r.Source, "sourceId": r.SourceID,
			"hash": contentHash(struct {
				P cdp.Profile
				I []cdp.Identifier
				U time.Time
			}{r.Profile, r.Identifiers, r.UpdatedAt.UTC()}),
			"props": props, "identifiers": idents,
		}
	}
	byKey := make(map[string]*cdp.SourceRecord, len(recs))
	for i := range recs {
		byKey[recs[i].Key()] = &recs[i]
	}
	// The records and their resolution commit together.
	return s.writeKeyed(ctx, keyedWrite{customerHashes, customerWrite}, rows, func(t *tx, changed []row) error {
		records := make([]*cdp.SourceRecord, len(changed))
		for i, r := range changed {
			records[i] = byKey[r["key"].(string)]
		}
		return s.resolver.Ingest(graph{t: t, s: s}, records, s.db.Now().UTC())
	})
}

// Orders, events, feedback and consents each belong to the source record the source named.
// Their statements share one shape, built once at start-up from fixed label and relationship
// names: merge the owner (as a placeholder if the source has not sent it yet), merge the
// node, move it if it now names another owner, then the kind's own tail.
func ownedStatements(label, owner, tail string) keyedWrite {
	return keyedWrite{
		hashes: `UNWIND $keys AS k MATCH (n:` + label + ` {key: k}) RETURN k, n.hash`,
		write: `
UNWIND $rows AS row
MERGE (r:SourceRecord {key: row.customerKey})
  ON CREATE SET r.source = row.source, r.sourceId = row.customerSourceId, r.placeholder = true, r.firstSeenAt = $now
MERGE (n:` + label + ` {key: row.key})
  ON CREATE SET n.source = row.source, n.sourceId = row.sourceId
SET n += row.props, n.hash = row.hash, n.ingestedAt = $now
WITH n, r, row
CALL (n, r) {
  MATCH (n)-[old:` + owner + `]->(prev) WHERE prev <> r
  DELETE old
}
MERGE (n)-[:` + owner + `]->(r)` + tail,
	}
}

// aboutProduct links an event or feedback to the product it names, if any.
const aboutProduct = `
WITH n, row
CALL (n, row) {
  MATCH (n)-[old:ABOUT]->(p) WHERE p.sku <> coalesce(row.sku, '')
  DELETE old
}
WITH n, row WHERE row.sku IS NOT NULL
MERGE (p:Product {sku: row.sku})
MERGE (n)-[:ABOUT]->(p)`

// orderLines replaces an order's lines as a whole: a corrected order may have different lines.
const orderLines = `
WITH n, row
CALL (n) {
  MATCH (n)-[line:CONTAINS]->()
  DELETE line
}
WITH n, row
UNWIND row.items AS item
MERGE (p:Product {sku: item.sku})
SET p.name = coalesce(item.name, p.name), p.category = coalesce(item.category, p.category)
CREATE (n)-[:CONTAINS {line: item.line, quantity: item.quantity,
  unitPrice: item.unitPrice, unitPriceMinor: item.unitPriceMinor,
  lineTotal: item.lineTotal, lineTotalMinor: item.lineTotalMinor}]->(p)`

var (
	orderWrites    = ownedStatements("Order", "PLACED_BY", orderLines)
	eventWrites    = ownedStatements("Event", "BY", aboutProduct)
	feedbackWrites = ownedStatements("Feedback", "GIVEN_BY", aboutProduct)
	consentWrites  = ownedStatements("Consent", "CONSENT_OF", "")
)

// ownedRow is the row of a node that belongs to a source record; hashed is what its
// content hash covers (the whole cleaned record).
func ownedRow(source, sourceID, customerSourceID string, hashed any, props row) row {
	return row{
		"key": cdp.RecordKey(source, sourceID), "source": source, "sourceId": sourceID,
		"customerKey": cdp.RecordKey(source, customerSourceID), "customerSourceId": customerSourceID,
		"hash": contentHash(hashed), "props": props,
	}
}

// WriteOrders stores orders with their line items and products.
func (s *IngestStore) WriteOrders(ctx context.Context, orders []cdp.Order) (cdp.WriteStats, error) {
	rows := make([]row, len(orders))
	for i := range orders {
		o := &orders[i]
		items := make([]any, len(o.Items))
		for j, it := range o.Items {
			items[j] = row{
				"line": int64(j + 1), "sku": it.Product.SKU,
				"name": nullable(it.Product.Name), "category": nullable(it.Product.Category),
				"quantity": int64(it.Quantity), "unitPrice": it.UnitPrice.Amount, "unitPriceMinor": it.UnitPrice.Minor,
				"lineTotal": it.LineTotal.Amount, "lineTotalMinor": it.LineTotal.Minor,
			}
		}
		rows[i] = ownedRow(o.Source, o.SourceID, o.CustomerSourceID, o, row{
			"orderedAt": o.OrderedAt.UTC(), "total": o.Total.Amount, "totalMinor": o.Total.Minor,
			"currency": o.Total.Currency, "status": nullable(o.Status), "channel": nullable(o.Channel),
			"storeId": nullable(o.StoreID),
		})
		rows[i]["items"] = items
	}
	return s.writeKeyed(ctx, orderWrites, rows, nil)
}

// WriteEvents stores behaviour events.
func (s *IngestStore) WriteEvents(ctx context.Context, events []cdp.Event) (cdp.WriteStats, error) {
	rows := make([]row, len(events))
	for i := range events {
		e := &events[i]
		rows[i] = ownedRow(e.Source, e.SourceID, e.CustomerSourceID, e, row{
			"type": e.Type, "occurredAt": e.OccurredAt.UTC(), "channel": nullable(e.Channel),
			"sku": nullable(e.SKU), "query": nullable(e.Query), "url": nullable(e.URL), "sessionId": nullable(e.SessionID),
		})
		rows[i]["sku"] = nullable(e.SKU)
	}
	return s.writeKeyed(ctx, eventWrites, rows, nil)
}

// WriteFeedback stores reviews, surveys, complaints, tickets and posts.
func (s *IngestStore) WriteFeedback(ctx context.Context, feedback []cdp.Feedback) (cdp.WriteStats, error) {
	rows := make([]row, len(feedback))
	for i := range feedback {
		f := &feedback[i]
		rows[i] = ownedRow(f.Source, f.SourceID, f.CustomerSourceID, f, feedbackProps(f))
		rows[i]["sku"] = nullable(f.SKU)
	}
	return s.writeKeyed(ctx, feedbackWrites, rows, nil)
}

// feedbackProps are a feedback node's properties; sentiment is flattened (aspects as
// parallel lists) so it can be filtered and aggregated in Cypher.
func feedbackProps(f *cdp.Feedback) row {
	p := row{
		"kind": f.Kind, "createdAt": f.CreatedAt.UTC(), "channel": nullable(f.Channel),
		"rating": nullable(f.Rating), "text": nullable(f.Text), "status": nullable(f.Status), "sku": nullable(f.SKU),
		"sentiment": nil, "sentimentLabel": nil, "language": nil, "complaint": nil, "aspects": nil, "aspectScores": nil,
	}
	if s := f.Sentiment; s != nil {
		p["sentiment"], p["sentimentLabel"], p["language"], p["complaint"] = s.Score, s.Label, s.Language, s.Complaint
		names, scores := make([]any, len(s.Aspects)), make([]any, len(s.Aspects))
		for i, a := range s.Aspects {
			names[i], scores[i] = a.Aspect, a.Score
		}
		p["aspects"], p["aspectScores"] = names, scores
	}
	return p
}

// WriteConsents stores consent decisions.
func (s *IngestStore) WriteConsents(ctx context.Context, consents []cdp.Consent) (cdp.WriteStats, error) {
	rows := make([]row, len(consents))
	for i := range consents {
		c := &consents[i]
		rows[i] = ownedRow(c.Source, c.SourceID, c.CustomerSourceID, c, row{
			"purpose": c.Purpose, "granted": c.Granted, "occurredAt": c.OccurredAt.UTC(),
		})
	}
	return s.writeKeyed(ctx, consentWrites, rows, nil)
}

// Social ties are relationships whose type is the tie type. Cypher cannot take a
// relationship type as a parameter, so each validated type maps to its own constant
// statements; a type outside this map never reaches the database.
var socialWrites = map[string]keyedWrite{
	"follows":   socialStatements("FOLLOWS"),
	"referred":  socialStatements("REFERRED"),
	"shared":    socialStatements("SHARED"),
	"mentioned": socialStatements("MENTIONED"),
}

// socialStatements is evaluated once at package init with the fixed names above.
func socialStatements(relType string) keyedWrite {
	return keyedWrite{
		hashes: `UNWIND $keys AS k
MATCH (a:SourceRecord {key: k[0]})-[t:` + relType + `]->(b)
WHERE b.key = k[1]
RETURN k[2], t.hash`,
		write: `
UNWIND $rows AS row
MERGE (a:SourceRecord {key: row.fromKey})
  ON CREATE SET a.source = row.source, a.sourceId = row.fromSourceId, a.placeholder = true, a.firstSeenAt = $now
MERGE (b:SourceRecord {key: row.toKey})
  ON CREATE SET b.source = row.source, b.sourceId = row.toSourceId, b.placeholder = true, b.firstSeenAt = $now
MERGE (a)-[t:` + relType + `]->(b)
SET t.hash = row.hash, t.source = row.source, t.occurredAt = row.occurredAt, t.count = row.count, t.ingestedAt = $now`,
	}
}

// WriteSocialTies stores follows, referrals, shares and mentions between accounts.
func (s *IngestStore) WriteSocialTies(ctx context.Context, ties []cdp.SocialTie) (cdp.WriteStats, error) {
	byType := map[string][]row{}
	for i := range ties {
		t := &ties[i]
		fromKey, toKey := cdp.RecordKey(t.Source, t.FromSourceID), cdp.RecordKey(t.Source, t.ToSourceID)
		tieKey := fromKey + ">" + t.Type + ">" + toKey
		byType[t.Type] = append(byType[t.Type], row{
			// The hashes statement finds a tie by its two endpoints.
			"key": tieKey, "match": []any{fromKey, toKey, tieKey},
			"fromKey": fromKey, "toKey": toKey, "source": t.Source,
			"fromSourceId": t.FromSourceID, "toSourceId": t.ToSourceID,
			"hash": contentHash(t), "occurredAt": nullable(t.OccurredAt), "count": int64(t.Count),
		})
	}
	var total cdp.WriteStats
	for _, typ := range cdp.SocialTieTypes {
		rows := byType[typ]
		if len(rows) == 0 {
			continue
		}
		q, ok := socialWrites[typ]
		if !ok {
			return total, cdp.Errorf(cdp.EINVALID, "unknown social tie type %q", typ)
		}
		// A new or changed tie may change who is near a detractor.
		stats, err := s.writeKeyed(ctx, q, rows, func(t *tx, changed []row) error { return markIf(t, len(changed) > 0) })
		if err != nil {
			return total, err
		}
		total.Add(stats)
	}
	return total, nil
}
