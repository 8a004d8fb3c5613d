package neo4j

import (
	"context"
	"sort"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/sentiment"
)

// CustomerStore reads customers and what is attached to them.
type CustomerStore struct {
	db *DB
}

var _ cdp.CustomerReader = (*CustomerStore)(nil)

// NewCustomerStore returns a CustomerStore.
func NewCustomerStore(db *DB) *CustomerStore { return &CustomerStore{db: db} }

// FindCustomers lists customers matching filter in the given order, a page at a time.
func (s *CustomerStore) FindCustomers(ctx context.Context, f cdp.CustomerFilter, order cdp.CustomerOrder, page cdp.PageArgs) (*cdp.Page[*cdp.Customer], error) {
	p, err := s.FindCustomersWith(ctx, f, order, page, cdp.Related{})
	if err != nil {
		return nil, err
	}
	out := &cdp.Page[*cdp.Customer]{Cursors: p.Cursors, TotalCount: p.TotalCount, HasNextPage: p.HasNextPage, HasPreviousPage: p.HasPreviousPage}
	for _, c := range p.Items {
		out.Items = append(out.Items, c.Customer)
	}
	return out, nil
}

// customerListStatement returns the whole statement and parameters of one page of a
// customer listing (see customerListQuery). It touches no database.
func customerListStatement(f cdp.CustomerFilter, order cdp.CustomerOrder, page cdp.PageArgs) (string, map[string]any, error) {
	prefix, params, err := customerListQuery(f, order, page)
	if err != nil {
		return "", nil, err
	}
	return prefix + "\nRETURN total, properties(c) AS c, sortKey", params, nil
}

// customerOrSurvivor finds the customer c of an id: the customer itself or, for the id of a
// customer merged away, its survivor.
const customerOrSurvivor = `
CALL (id) {
  MATCH (c:Customer {id: id})
  RETURN c
  UNION
  MATCH (:CustomerAlias {id: id})-[:MERGED_INTO]->(c)
  RETURN c
}`

// CustomersByIDs returns the customers with the given ids, keyed by the id asked for (a
// merged-away id finds its survivor); unknown ids are absent.
func (s *CustomerStore) CustomersByIDs(ctx context.Context, ids []string) (map[string]*cdp.Customer, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id`+customerOrSurvivor+`
RETURN id, properties(c)`, map[string]any{"ids": toAny(ids)})
	if err != nil {
		return nil, err
	}
	out := make(map[string]*cdp.Customer, len(recs))
	for _, rec := range recs {
		out[str(rec.Values[0])] = customerFromProps(rec.Values[1].(map[string]any))
	}
	return out, nil
}

// CustomerByIdentifier returns the customer holding an identifier, in one statement. An
// identifier shared by several customers that were not merged (a family email) is a
// conflict, not a guess.
func (s *CustomerStore) CustomerByIdentifier(ctx context.Context, id cdp.Identifier) (*cdp.Customer, error) {
	recs, err := s.db.read(ctx, `
MATCH (:Identifier {key: $key})<-[:HAS_IDENTIFIER]-()-[:RESOLVES_TO]->(c)
WITH DISTINCT c ORDER BY c.id LIMIT 2
RETURN properties(c)`, map[string]any{"key": id.Key()})
	if err != nil {
		return nil, err
	}
	switch len(recs) {
	case 0:
		return nil, &cdp.Error{Code: cdp.ENOTFOUND, Message: "no customer has " + string(id.Type) + " " + id.Value}
	case 1:
		return customerFromProps(recs[0].Values[0].(map[string]any)), nil
	}
	return nil, &cdp.Error{Code: cdp.ECONFLICT, Message: "several customers share " + string(id.Type) + " " + id.Value + "; list them with customers(filter: {search: ...})"}
}

// CustomerIDByIdentifier is CustomerByIdentifier's id.
func (s *CustomerStore) CustomerIDByIdentifier(ctx context.Context, id cdp.Identifier) (string, error) {
	c, err := s.CustomerByIdentifier(ctx, id)
	if err != nil {
		return "", err
	}
	return c.ID, nil
}

// IdentifiersByCustomerIDs returns each customer's identifiers, by type then value.
func (s *CustomerStore) IdentifiersByCustomerIDs(ctx context.Context, ids []string) (map[string][]cdp.Identifier, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
MATCH (:Customer {id: id})<-[:RESOLVES_TO]-()-[:HAS_IDENTIFIER]->(i)
WITH DISTINCT id, i ORDER BY i.type, i.value
RETURN id, i.type, i.value`, map[string]any{"ids": toAny(ids)})
	if err != nil {
		return nil, err
	}
	out := map[string][]cdp.Identifier{}
	for _, rec := range recs {
		id := rec.Values[0].(string)
		out[id] = append(out[id], cdp.Identifier{Type: cdp.IdentifierType(rec.Values[1].(string)), Value: rec.Values[2].(string)})
	}
	return out, nil
}

// SourceRecordsByCustomerIDs returns the records each customer resolves from, with their identifiers.
func (s *CustomerStore) SourceRecordsByCustomerIDs(ctx context.Context, ids []string) (map[string][]*cdp.SourceRecord, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
MATCH (c:Customer {id: id})<-[:RESOLVES_TO]-(r)
OPTIONAL MATCH (r)-[:HAS_IDENTIFIER]->(i)
WITH id, r, i ORDER BY i.type, i.value
WITH id, r, collect([i.type, i.value]) AS idents
RETURN id, properties(r), idents ORDER BY r.key`, map[string]any{"ids": toAny(ids)})
	if err != nil {
		return nil, err
	}
	out := map[string][]*cdp.SourceRecord{}
	for _, rec := range recs {
		id := rec.Values[0].(string)
		r := recordFromProps(rec.Values[1].(map[string]any))
		r.CustomerID = id
		r.Identifiers = identifiersFromPairs(rec.Values[2])
		out[id] = append(out[id], r)
	}
	return out, nil
}

// SourceRecordsByKeys returns source records by key, with their identifiers and customer.
func (s *CustomerStore) SourceRecordsByKeys(ctx context.Context, keys []string) (map[string]*cdp.SourceRecord, error) {
	recs, err := s.db.read(ctx, `
UNWIND $keys AS k
MATCH (r:SourceRecord {key: k})
OPTIONAL MATCH (r)-[:RESOLVES_TO]->(c)
OPTIONAL MATCH (r)-[:HAS_IDENTIFIER]->(i)
WITH k, r, c, i ORDER BY i.type, i.value
RETURN k, properties(r), c.id, collect([i.type, i.value])`, map[string]any{"keys": toAny(keys)})
	if err != nil {
		return nil, err
	}
	out := map[string]*cdp.SourceRecord{}
	for _, rec := range recs {
		r := recordFromProps(rec.Values[1].(map[string]any))
		r.CustomerID, _ = rec.Values[2].(string)
		r.Identifiers = identifiersFromPairs(rec.Values[3])
		out[rec.Values[0].(string)] = r
	}
	return out, nil
}

// The paged child lists below share one shape: per customer, a total count and one page
// in newest-first order, all customers of a loader batch in one statement.

const ordersByCustomers = `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:PLACED_BY]-(o)
  RETURN count(o) AS total
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)<-[:PLACED_BY]-(o)
  WHERE $afterKey IS NULL OR o.orderedAt < $afterAt OR (o.orderedAt = $afterAt AND o.key < $afterKey)
  WITH o, r ORDER BY o.orderedAt DESC, o.key DESC LIMIT $limit
  CALL (o) {
    OPTIONAL MATCH (o)-[l:CONTAINS]->(p)
    WITH l, p ORDER BY l.line
    RETURN collect([p.sku, p.name, p.category, l.quantity, l.unitPrice, l.unitPriceMinor, l.lineTotal, l.lineTotalMinor]) AS items
  }
  RETURN collect([properties(o), r.sourceId, items]) AS orders
}
RETURN id, total, orders`

// OrdersByCustomerIDs returns a page of each customer's orders, newest first, with items.
func (s *CustomerStore) OrdersByCustomerIDs(ctx context.Context, ids []string, page cdp.PageArgs) (map[string]*cdp.Page[*cdp.Order], error) {
	return pagedByCustomer(ctx, s.db, ordersByCustomers, ids, page, nil, func(v any) (*cdp.Order, time.Time) {
		parts := v.([]any)
		o := orderFromProps(parts[0].(map[string]any))
		o.CustomerSourceID, _ = parts[1].(string)
		o.Items = itemsFromRows(parts[2], o.Total.Currency)
		return o, o.OrderedAt
	}, func(o *cdp.Order) string { return o.Key() })
}

const eventsByCustomers = `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:BY]-(e)
  WHERE $types IS NULL OR e.type IN $types
  RETURN count(e) AS total
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)<-[:BY]-(e)
  WHERE ($types IS NULL OR e.type IN $types)
    AND ($afterKey IS NULL OR e.occurredAt < $afterAt OR (e.occurredAt = $afterAt AND e.key < $afterKey))
  WITH e, r ORDER BY e.occurredAt DESC, e.key DESC LIMIT $limit
  RETURN collect([properties(e), r.sourceId]) AS events
}
RETURN id, total, events`

// EventsByCustomerIDs returns a page of each customer's behaviour events, newest first.
func (s *CustomerStore) EventsByCustomerIDs(ctx context.Context, ids []string, f cdp.EventFilter, page cdp.PageArgs) (map[string]*cdp.Page[*cdp.Event], error) {
	var types any
	if len(f.Types) > 0 {
		types = toAny(f.Types)
	}
	return pagedByCustomer(ctx, s.db, eventsByCustomers, ids, page, map[string]any{"types": types}, func(v any) (*cdp.Event, time.Time) {
		parts := v.([]any)
		e := eventFromProps(parts[0].(map[string]any))
		e.CustomerSourceID, _ = parts[1].(string)
		return e, e.OccurredAt
	}, func(e *cdp.Event) string { return e.Key() })
}

const feedbackByCustomers = `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:GIVEN_BY]-(f)
  RETURN count(f) AS total
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)<-[:GIVEN_BY]-(f)
  WHERE $afterKey IS NULL OR f.createdAt < $afterAt OR (f.createdAt = $afterAt AND f.key < $afterKey)
  WITH f, r ORDER BY f.createdAt DESC, f.key DESC LIMIT $limit
  RETURN collect([properties(f), r.sourceId]) AS feedback
}
RETURN id, total, feedback`

// FeedbackByCustomerIDs returns a page of each customer's feedback, newest first.
func (s *CustomerStore) FeedbackByCustomerIDs(ctx context.Context, ids []string, page cdp.PageArgs) (map[string]*cdp.Page[*cdp.Feedback], error) {
	return pagedByCustomer(ctx, s.db, feedbackByCustomers, ids, page, nil, func(v any) (*cdp.Feedback, time.Time) {
		parts := v.([]any)
		f := feedbackFromProps(parts[0].(map[string]any))
		f.CustomerSourceID, _ = parts[1].(string)
		return f, f.CreatedAt
	}, func(f *cdp.Feedback) string { return f.Key() })
}

// pagedByCustomer runs a per-customer paged statement and decodes its rows.
func pagedByCustomer[T any](ctx context.Context, db *DB, query string, ids []string, page cdp.PageArgs, extra map[string]any,
	decode func(any) (T, time.Time), keyOf func(T) string) (map[string]*cdp.Page[T], error) {
	afterAt, afterKey, err := afterTime(page.After)
	if err != nil {
		return nil, err
	}
	params := map[string]any{"ids": toAny(ids), "limit": int64(page.First + 1), "afterAt": afterAt, "afterKey": afterKey}
	for k, v := range extra {
		params[k] = v
	}
	recs, err := db.read(ctx, query, params)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*cdp.Page[T], len(ids))
	for _, rec := range recs {
		p := &cdp.Page[T]{TotalCount: int(rec.Values[1].(int64)), HasPreviousPage: page.After != ""}
		out[rec.Values[0].(string)] = firstPage(p, rec.Values[2].([]any), page.First, nil, func(v any) (T, string) {
			item, at := decode(v)
			return item, timeCursor(at, keyOf(item))
		})
	}
	return out, nil
}

// TiesByCustomerIDs returns each customer's social ties in both directions.
func (s *CustomerStore) TiesByCustomerIDs(ctx context.Context, ids []string) (map[string][]cdp.CustomerTie, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
MATCH (:Customer {id: id})<-[:RESOLVES_TO]-(r)-[t:FOLLOWS|REFERRED|SHARED|MENTIONED]-(o)
OPTIONAL MATCH (o)-[:RESOLVES_TO]->(oc)
RETURN id, toLower(type(t)), startNode(t) = r, oc.id, t.source, t.count, t.occurredAt
ORDER BY id, t.occurredAt DESC`, map[string]any{"ids": toAny(ids)})
	if err != nil {
		return nil, err
	}
	out := map[string][]cdp.CustomerTie{}
	for _, rec := range recs {
		id := rec.Values[0].(string)
		tie := cdp.CustomerTie{Type: rec.Values[1].(string), Outgoing: rec.Values[2].(bool)}
		tie.CustomerID, _ = rec.Values[3].(string)
		tie.Source, _ = rec.Values[4].(string)
		if n, ok := rec.Values[5].(int64); ok {
			tie.Count = int(n)
		}
		tie.OccurredAt, _ = rec.Values[6].(time.Time)
		out[id] = append(out[id], tie)
	}
	return out, nil
}

// ConsentsByCustomerIDs returns each customer's consent decisions, newest first.
func (s *CustomerStore) ConsentsByCustomerIDs(ctx context.Context, ids []string) (map[string][]cdp.Consent, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
MATCH (:Customer {id: id})<-[:RESOLVES_TO]-(r)<-[:CONSENT_OF]-(k)
RETURN id, properties(k), r.sourceId ORDER BY id, k.occurredAt DESC, k.key`, map[string]any{"ids": toAny(ids)})
	if err != nil {
		return nil, err
	}
	out := map[string][]cdp.Consent{}
	for _, rec := range recs {
		id := rec.Values[0].(string)
		p := rec.Values[1].(map[string]any)
		c := cdp.Consent{CustomerSourceID: str(rec.Values[2])}
		c.Source, c.SourceID, c.Purpose = str(p["source"]), str(p["sourceId"]), str(p["purpose"])
		c.Granted, _ = p["granted"].(bool)
		c.OccurredAt, _ = p["occurredAt"].(time.Time)
		out[id] = append(out[id], c)
	}
	return out, nil
}

// OrdersByKeys returns orders by key, with items.
func (s *CustomerStore) OrdersByKeys(ctx context.Context, keys []string) (map[string]*cdp.Order, error) {
	recs, err := s.db.read(ctx, `
UNWIND $keys AS k
MATCH (o:Order {key: k})-[:PLACED_BY]->(r)
CALL (o) {
  OPTIONAL MATCH (o)-[l:CONTAINS]->(p)
  WITH l, p ORDER BY l.line
  RETURN collect([p.sku, p.name, p.category, l.quantity, l.unitPrice, l.unitPriceMinor, l.lineTotal, l.lineTotalMinor]) AS items
}
RETURN k, properties(o), r.sourceId, items`, map[string]any{"keys": toAny(keys)})
	if err != nil {
		return nil, err
	}
	out := map[string]*cdp.Order{}
	for _, rec := range recs {
		o := orderFromProps(rec.Values[1].(map[string]any))
		o.CustomerSourceID = str(rec.Values[2])
		o.Items = itemsFromRows(rec.Values[3], o.Total.Currency)
		out[rec.Values[0].(string)] = o
	}
	return out, nil
}

// ProductsBySKUs returns products by SKU.
func (s *CustomerStore) ProductsBySKUs(ctx context.Context, skus []string) (map[string]*cdp.Product, error) {
	recs, err := s.db.read(ctx, `
UNWIND $skus AS sku
MATCH (p:Product {sku: sku})
RETURN p.sku, p.name, p.category`, map[string]any{"skus": toAny(skus)})
	if err != nil {
		return nil, err
	}
	out := map[string]*cdp.Product{}
	for _, rec := range recs {
		p := &cdp.Product{SKU: str(rec.Values[0]), Name: str(rec.Values[1]), Category: str(rec.Values[2])}
		out[p.SKU] = p
	}
	return out, nil
}

func customerFromProps(p map[string]any) *cdp.Customer {
	c := &cdp.Customer{ID: str(p["id"])}
	for _, f := range cdp.ProfileFields {
		c.Profile.Set(f, str(p[f]))
	}
	for _, s := range toStrings(p["provenance"]) {
		c.Provenance = append(c.Provenance, decodeProvenance(s))
	}
	c.Sources = toStrings(p["sources"])
	c.MergedIDs = toStrings(p["mergedIds"])
	if n, ok := p["recordCount"].(int64); ok {
		c.RecordCount = int(n)
	}
	c.CreatedAt, _ = p["createdAt"].(time.Time)
	c.UpdatedAt, _ = p["updatedAt"].(time.Time)
	c.Metrics = metricsFromProps(c.ID, p)
	c.Influence = influenceFromProps(c.ID, p)
	c.Quality = qualityFromProps(p)
	return c
}

func orderFromProps(p map[string]any) *cdp.Order {
	o := &cdp.Order{Source: str(p["source"]), SourceID: str(p["sourceId"]), Status: str(p["status"]),
		Channel: str(p["channel"]), StoreID: str(p["storeId"])}
	o.OrderedAt, _ = p["orderedAt"].(time.Time)
	o.Total = cdp.Money{Amount: str(p["total"]), Currency: str(p["currency"])}
	o.Total.Minor, _ = p["totalMinor"].(int64)
	return o
}

func itemsFromRows(v any, currency string) []cdp.OrderItem {
	var items []cdp.OrderItem
	for _, x := range v.([]any) {
		r := x.([]any)
		if r[0] == nil {
			continue // OPTIONAL MATCH found no line
		}
		it := cdp.OrderItem{Product: cdp.Product{SKU: str(r[0]), Name: str(r[1]), Category: str(r[2])}}
		if q, ok := r[3].(int64); ok {
			it.Quantity = int(q)
		}
		it.UnitPrice = cdp.Money{Amount: str(r[4]), Currency: currency}
		it.UnitPrice.Minor, _ = r[5].(int64)
		it.LineTotal = cdp.Money{Amount: str(r[6]), Currency: currency}
		it.LineTotal.Minor, _ = r[7].(int64)
		items = append(items, it)
	}
	return items
}

func eventFromProps(p map[string]any) *cdp.Event {
	e := &cdp.Event{Source: str(p["source"]), SourceID: str(p["sourceId"]), Type: str(p["type"]), Channel: str(p["channel"]),
		SKU: str(p["sku"]), Query: str(p["query"]), URL: str(p["url"]), SessionID: str(p["sessionId"])}
	e.OccurredAt, _ = p["occurredAt"].(time.Time)
	return e
}

func feedbackFromProps(p map[string]any) *cdp.Feedback {
	f := &cdp.Feedback{Source: str(p["source"]), SourceID: str(p["sourceId"]), Kind: str(p["kind"]), Channel: str(p["channel"]),
		Text: str(p["text"]), Status: str(p["status"]), SKU: str(p["sku"])}
	f.CreatedAt, _ = p["createdAt"].(time.Time)
	if r, ok := p["rating"].(int64); ok {
		n := int(r)
		f.Rating = &n
	}
	if v, ok := p["sentiment"].(float64); ok {
		f.Sentiment = &cdp.Sentiment{Score: v, Label: str(p["sentimentLabel"]), Language: str(p["language"])}
		f.Sentiment.Complaint, _ = p["complaint"].(bool)
		names, _ := p["aspects"].([]any)
		scores, _ := p["aspectScores"].([]any)
		for k := range min(len(names), len(scores)) {
			score, _ := scores[k].(float64)
			f.Sentiment.Aspects = append(f.Sentiment.Aspects, cdp.AspectSentiment{Aspect: str(names[k]), Score: score, Label: sentimentLabel(score)})
		}
	}
	return f
}

func identifiersFromPairs(v any) []cdp.Identifier {
	var out []cdp.Identifier
	for _, x := range v.([]any) {
		pair := x.([]any)
		if pair[0] == nil {
			continue
		}
		out = append(out, cdp.Identifier{Type: cdp.IdentifierType(str(pair[0])), Value: str(pair[1])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func timeOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// HouseholdsByCustomerIDs returns the household of each customer that has one.
func (s *CustomerStore) HouseholdsByCustomerIDs(ctx context.Context, ids []string) (map[string]*cdp.Household, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
MATCH (:Customer {id: id})-[:MEMBER_OF]->(h)
RETURN id, properties(h), COUNT { (h)<-[:MEMBER_OF]-() }`, map[string]any{"ids": toAny(ids)})
	if err != nil {
		return nil, err
	}
	out := map[string]*cdp.Household{}
	for _, rec := range recs {
		p := rec.Values[1].(map[string]any)
		out[rec.Values[0].(string)] = &cdp.Household{Key: str(p["key"]), AddressLine1: str(p["addressLine1"]), City: str(p["city"]),
			Postcode: str(p["postcode"]), Country: str(p["country"]), Size: int(rec.Values[2].(int64))}
	}
	return out, nil
}

// MembersByHouseholdKeys returns the first customers living in each household, by id.
func (s *CustomerStore) MembersByHouseholdKeys(ctx context.Context, keys []string, first int) (map[string][]*cdp.Customer, error) {
	recs, err := s.db.read(ctx, `
UNWIND $keys AS k
CALL (k) {
  MATCH (:Household {key: k})<-[:MEMBER_OF]-(c)
  RETURN c ORDER BY c.id LIMIT $first
}
RETURN k, properties(c)`, map[string]any{"keys": toAny(keys), "first": int64(first)})
	if err != nil {
		return nil, err
	}
	out := map[string][]*cdp.Customer{}
	for _, rec := range recs {
		k := rec.Values[0].(string)
		out[k] = append(out[k], customerFromProps(rec.Values[1].(map[string]any)))
	}
	return out, nil
}

// sentimentLabel labels a stored aspect score the way the sentiment model does.
func sentimentLabel(score float64) string {
	switch {
	case score >= sentiment.NeutralBand:
		return "positive"
	case score <= -sentiment.NeutralBand:
		return "negative"
	}
	return "neutral"
}
