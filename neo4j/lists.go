package neo4j

import (
	"context"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

// The API's bounded child lists. Each statement has one shape: per parent, the total in a
// COUNT-only subquery and the first $first children (LIMIT inside a per-parent subquery),
// all parents of a loader batch in one statement. So a customer with 100,000 ties costs a
// count and $first rows, whatever the caller asks.

// firstByParent runs such a statement, whose rows are [parent, total, items], and decodes it.
func firstByParent[T any](ctx context.Context, db *DB, query string, ids []string, first int, extra map[string]any, decode func(any) T) (map[string]*cdp.Page[T], error) {
	params := map[string]any{"ids": toAny(ids), "first": int64(max(first, 0))}
	for k, v := range extra {
		params[k] = v
	}
	recs, err := db.read(ctx, query, params)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*cdp.Page[T], len(recs))
	for _, rec := range recs {
		p := &cdp.Page[T]{TotalCount: int(rec.Values[1].(int64))}
		for _, v := range rec.Values[2].([]any) {
			p.Items = append(p.Items, decode(v))
		}
		p.HasNextPage = len(p.Items) < p.TotalCount
		out[rec.Values[0].(string)] = p
	}
	return out, nil
}

// FirstIdentifiers returns each customer's first identifiers by type then value, and their number.
func (s *CustomerStore) FirstIdentifiers(ctx context.Context, ids []string, first int) (map[string]*cdp.Page[cdp.Identifier], error) {
	return firstByParent(ctx, s.db, `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()-[:HAS_IDENTIFIER]->(i)
  RETURN count(DISTINCT i) AS total
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()-[:HAS_IDENTIFIER]->(i)
  WITH DISTINCT i ORDER BY i.type, i.value LIMIT $first
  RETURN collect([i.type, i.value]) AS items
}
RETURN id, total, items`, ids, first, nil, func(v any) cdp.Identifier {
		pair := v.([]any)
		return cdp.Identifier{Type: cdp.IdentifierType(str(pair[0])), Value: str(pair[1])}
	})
}

// maxRecordIdentifiers bounds the identifiers read with each source record for the API.
const maxRecordIdentifiers = cdp.MaxListFirst

// FirstSourceRecords returns each customer's first source records by key, with up to
// maxRecordIdentifiers identifiers each, and their number.
func (s *CustomerStore) FirstSourceRecords(ctx context.Context, ids []string, first int) (map[string]*cdp.Page[*cdp.SourceRecord], error) {
	out, err := firstByParent(ctx, s.db, `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)
  RETURN count(r) AS total
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)
  WITH r ORDER BY r.key LIMIT $first
  CALL (r) {
    OPTIONAL MATCH (r)-[:HAS_IDENTIFIER]->(i)
    WITH i ORDER BY i.type, i.value LIMIT $maxIdents
    RETURN collect([i.type, i.value]) AS idents
  }
  RETURN collect([properties(r), idents]) AS items
}
RETURN id, total, items`, ids, first, map[string]any{"maxIdents": int64(maxRecordIdentifiers)}, func(v any) *cdp.SourceRecord {
		parts := v.([]any)
		r := recordFromProps(parts[0].(map[string]any))
		r.Identifiers = identifiersFromPairs(parts[1])
		return r
	})
	for id, p := range out {
		for _, r := range p.Items {
			r.CustomerID = id
		}
	}
	return out, err
}

// FirstTies returns each customer's first social ties, newest first, and their number.
func (s *CustomerStore) FirstTies(ctx context.Context, ids []string, first int) (map[string]*cdp.Page[cdp.CustomerTie], error) {
	return firstByParent(ctx, s.db, `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()-[t:FOLLOWS|REFERRED|SHARED|MENTIONED]-()
  RETURN count(t) AS total
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)-[t:FOLLOWS|REFERRED|SHARED|MENTIONED]-(o)
  WITH r, t, o ORDER BY t.occurredAt DESC, elementId(t) LIMIT $first
  OPTIONAL MATCH (o)-[:RESOLVES_TO]->(oc)
  RETURN collect([toLower(type(t)), startNode(t) = r, oc.id, t.source, t.count, t.occurredAt]) AS items
}
RETURN id, total, items`, ids, first, nil, func(v any) cdp.CustomerTie {
		row := v.([]any)
		tie := cdp.CustomerTie{Type: str(row[0]), Outgoing: row[1] == true, CustomerID: str(row[2]), Source: str(row[3])}
		if n, ok := row[4].(int64); ok {
			tie.Count = int(n)
		}
		tie.OccurredAt, _ = row[5].(time.Time)
		return tie
	})
}

// FirstConsents returns each customer's first consent decisions, newest first, and their number.
func (s *CustomerStore) FirstConsents(ctx context.Context, ids []string, first int) (map[string]*cdp.Page[cdp.Consent], error) {
	return firstByParent(ctx, s.db, `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:CONSENT_OF]-(k)
  RETURN count(k) AS total
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)<-[:CONSENT_OF]-(k)
  WITH r, k ORDER BY k.occurredAt DESC, k.key LIMIT $first
  RETURN collect([properties(k), r.sourceId]) AS items
}
RETURN id, total, items`, ids, first, nil, consentFromRow)
}

// CurrentConsentsByCustomerIDs returns each customer's decision in force per purpose; the
// database keeps only the latest per purpose, so the answer is small whatever the history.
func (s *CustomerStore) CurrentConsentsByCustomerIDs(ctx context.Context, ids []string) (map[string][]cdp.Consent, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
MATCH (:Customer {id: id})<-[:RESOLVES_TO]-(r)<-[:CONSENT_OF]-(k)
WITH id, r, k ORDER BY k.occurredAt DESC, k.key
WITH id, k.purpose AS purpose, head(collect([properties(k), r.sourceId])) AS latest
RETURN id, latest`, map[string]any{"ids": toAny(ids)})
	if err != nil {
		return nil, err
	}
	latest := map[string][]cdp.Consent{}
	for _, rec := range recs {
		id := rec.Values[0].(string)
		latest[id] = append(latest[id], consentFromRow(rec.Values[1]))
	}
	out := make(map[string][]cdp.Consent, len(latest))
	for id, cs := range latest {
		out[id] = cdp.CurrentConsents(cs)
	}
	return out, nil
}

func consentFromRow(v any) cdp.Consent {
	row := v.([]any)
	p := row[0].(map[string]any)
	c := cdp.Consent{CustomerSourceID: str(row[1])}
	c.Source, c.SourceID, c.Purpose = str(p["source"]), str(p["sourceId"]), str(p["purpose"])
	c.Granted, _ = p["granted"].(bool)
	c.OccurredAt, _ = p["occurredAt"].(time.Time)
	return c
}

// HistoryByCustomerIDs returns each customer's first identity events, newest first, and their number.
func (i *IdentityStore) HistoryByCustomerIDs(ctx context.Context, ids []string, first int) (map[string]*cdp.Page[cdp.IdentityEvent], error) {
	return firstByParent(ctx, i.s.db, `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  MATCH (c)<-[:ABOUT]-(e:IdentityEvent)
  RETURN count(e) AS total
}
CALL (c) {
  MATCH (c)<-[:ABOUT]-(e:IdentityEvent)
  WITH e ORDER BY e.at DESC, e.id LIMIT $first
  RETURN collect(properties(e)) AS items
}
RETURN id, total, items`, ids, first, nil, func(v any) cdp.IdentityEvent {
		p := v.(map[string]any)
		e := cdp.IdentityEvent{ID: str(p["id"]), Kind: str(p["kind"]), Customer: str(p["customer"]), Other: str(p["other"]),
			Reason: str(p["reason"]), Via: toStrings(p["via"])}
		e.At, _ = p["at"].(time.Time)
		return e
	})
}

// SegmentsOfCustomers returns the first saved segments each customer is in, by name, and their number.
func (st *SavedSegments) SegmentsOfCustomers(ctx context.Context, ids []string, first int) (map[string]*cdp.Page[*cdp.Segment], error) {
	return firstByParent(ctx, st.db, `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  MATCH (c)-[:IN_SEGMENT]->(s)
  RETURN count(s) AS total
}
CALL (c) {
  MATCH (c)-[:IN_SEGMENT]->(s)
  WITH s ORDER BY s.name, s.id LIMIT $first
  RETURN collect(properties(s)) AS items
}
RETURN id, total, items`, ids, first, nil, func(v any) *cdp.Segment { return segmentFromProps(v.(map[string]any)) })
}

// ActionsByCustomerIDs returns each customer's first actions, newest first, and their number.
func (s *ActionStore) ActionsByCustomerIDs(ctx context.Context, ids []string, first int) (map[string]*cdp.Page[cdp.Action], error) {
	out, err := firstByParent(ctx, s.db, `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  MATCH (c)<-[:FOR]-(a)
  RETURN count(a) AS total
}
CALL (c) {
  MATCH (c)<-[:FOR]-(a)
  WITH a ORDER BY a.createdAt DESC, a.id LIMIT $first
  RETURN collect(properties(a)) AS items
}
RETURN id, total, items`, ids, first, nil, func(v any) cdp.Action { return actionFromProps(v.(map[string]any), "") })
	for id, p := range out {
		for j := range p.Items {
			p.Items[j].CustomerID = id
		}
	}
	return out, err
}

// recordLinkKinds maps the stored relationship types to the domain's link kinds.
var recordLinkKinds = map[string]string{
	"MATCHED": cdp.LinkMatched, "SAME_PERSON": cdp.LinkSamePerson, "NOT_SAME_PERSON": cdp.LinkNotSamePerson,
}

// RecordLinksByCustomerIDs returns each customer's first record links: analysts'
// decisions first (newest first), then matches by falling probability. A link between
// two of the customer's records is found from both ends, hence DISTINCT.
func (i *IdentityStore) RecordLinksByCustomerIDs(ctx context.Context, ids []string, first int) (map[string][]cdp.RecordLink, error) {
	recs, err := i.s.db.read(ctx, `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()-[l:MATCHED|SAME_PERSON|NOT_SAME_PERSON]-()
  WITH DISTINCT l
  WITH l, startNode(l).key AS from, endNode(l).key AS to
  ORDER BY CASE type(l) WHEN 'MATCHED' THEN 1 ELSE 0 END, coalesce(l.probability, 0.0) DESC, l.at DESC, from, to
  LIMIT $first
  RETURN collect([from, to, type(l), l.probability, l.reason, l.at]) AS links
}
RETURN id, links`, map[string]any{"ids": toAny(ids), "first": int64(min(max(first, 0), cdp.MaxRecordLinks))})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]cdp.RecordLink, len(recs))
	for _, rec := range recs {
		var links []cdp.RecordLink
		for _, v := range rec.Values[1].([]any) {
			row := v.([]any)
			links = append(links, cdp.RecordLink{From: str(row[0]), To: str(row[1]), Kind: recordLinkKinds[str(row[2])],
				Probability: floatProp(row[3]), Reason: str(row[4]), At: timeProp(row[5])})
		}
		out[rec.Values[0].(string)] = links
	}
	return out, nil
}
