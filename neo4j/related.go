package neo4j

import (
	"context"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Reading customers with their related lists in one statement. Each list a request asked
// for (cdp.Related) adds one constant CALL subquery per customer row, with its own
// parameters; nothing of the caller's becomes statement text. The subqueries keep the
// order and limits of the per-field loaders' statements (lists.go, customers.go), so a
// list reads the same whichever way it is asked.

// relatedPart is one list's subquery: the columns it binds and its parameters.
type relatedPart struct {
	cypher  string
	columns []string
}

var (
	relIdentifiers = relatedPart{`
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()-[:HAS_IDENTIFIER]->(i)
  WITH DISTINCT i ORDER BY i.type, i.value LIMIT $identifiersFirst
  RETURN collect([i.type, i.value]) AS identifiers
}`, []string{"identifiers"}}
	relIdentifierCount = relatedPart{`
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()-[:HAS_IDENTIFIER]->(i)
  RETURN count(DISTINCT i) AS identifierCount
}`, []string{"identifierCount"}}
	relOrders = relatedPart{`
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)<-[:PLACED_BY]-(o)
  WITH o, r ORDER BY o.orderedAt DESC, o.key DESC LIMIT $ordersLimit
  CALL (o) {
    OPTIONAL MATCH (o)-[l:CONTAINS]->(p)
    WITH l, p ORDER BY l.line
    RETURN collect([p.sku, p.name, p.category, l.quantity, l.unitPrice, l.unitPriceMinor, l.lineTotal, l.lineTotalMinor]) AS items
  }
  RETURN collect([properties(o), r.sourceId, items]) AS orders
}`, []string{"orders"}}
	relOrderCount = relatedPart{`
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:PLACED_BY]-(o)
  RETURN count(o) AS orderCount
}`, []string{"orderCount"}}
	relEvents = relatedPart{`
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)<-[:BY]-(e)
  WHERE $eventTypes IS NULL OR e.type IN $eventTypes
  WITH e, r ORDER BY e.occurredAt DESC, e.key DESC LIMIT $eventsLimit
  RETURN collect([properties(e), r.sourceId]) AS events
}`, []string{"events"}}
	relEventCount = relatedPart{`
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:BY]-(e)
  WHERE $eventTypes IS NULL OR e.type IN $eventTypes
  RETURN count(e) AS eventCount
}`, []string{"eventCount"}}
	relFeedback = relatedPart{`
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)<-[:GIVEN_BY]-(f)
  WITH f, r ORDER BY f.createdAt DESC, f.key DESC LIMIT $feedbackLimit
  RETURN collect([properties(f), r.sourceId]) AS feedback
}`, []string{"feedback"}}
	relFeedbackCount = relatedPart{`
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:GIVEN_BY]-(f)
  RETURN count(f) AS feedbackCount
}`, []string{"feedbackCount"}}
	relConsentHistory = relatedPart{`
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)<-[:CONSENT_OF]-(k)
  WITH r, k ORDER BY k.occurredAt DESC, k.key LIMIT $consentsFirst
  RETURN collect([properties(k), r.sourceId]) AS consentHistory
}`, []string{"consentHistory"}}
	relConsentCount = relatedPart{`
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:CONSENT_OF]-(k)
  RETURN count(k) AS consentCount
}`, []string{"consentCount"}}
	// The decision in force per purpose: the database keeps only the latest per purpose,
	// so the answer is small whatever the history (as CurrentConsentsByCustomerIDs).
	relCurrentConsents = relatedPart{`
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-(r)<-[:CONSENT_OF]-(k)
  WITH r, k ORDER BY k.occurredAt DESC, k.key
  WITH k.purpose AS purpose, head(collect([properties(k), r.sourceId])) AS latest
  RETURN collect(latest) AS currentConsents
}`, []string{"currentConsents"}}
)

// relatedStatement appends to head (which binds c, one row per customer, possibly a null
// c) the subqueries rel asks for, and returns the statement and its parameters; ret is
// the RETURN clause's leading columns (c's properties included), the lists' columns follow.
func relatedStatement(head, ret string, rel cdp.Related, params map[string]any) string {
	var b strings.Builder
	b.WriteString(head)
	cols := []string{}
	add := func(p relatedPart) {
		b.WriteString(p.cypher)
		cols = append(cols, p.columns...)
	}
	if l := rel.Identifiers; l != nil {
		params["identifiersFirst"] = int64(l.First)
		add(relIdentifiers)
		if l.Count {
			add(relIdentifierCount)
		}
	}
	if l := rel.Orders; l != nil {
		// An empty page that is counted needs no orders: its next page is known from the count.
		if l.First > 0 || !l.Count {
			params["ordersLimit"] = int64(l.First + 1)
			add(relOrders)
		}
		if l.Count {
			add(relOrderCount)
		}
	}
	if l := rel.Events; l != nil {
		params["eventsLimit"] = int64(l.First + 1)
		params["eventTypes"] = nil
		if len(l.Types) > 0 {
			params["eventTypes"] = toAny(l.Types)
		}
		add(relEvents)
		if l.Count {
			add(relEventCount)
		}
	}
	if l := rel.Feedback; l != nil {
		params["feedbackLimit"] = int64(l.First + 1)
		add(relFeedback)
		if l.Count {
			add(relFeedbackCount)
		}
	}
	if l := rel.ConsentHistory; l != nil {
		params["consentsFirst"] = int64(l.First)
		add(relConsentHistory)
		if l.Count {
			add(relConsentCount)
		}
	}
	if rel.CurrentConsents {
		add(relCurrentConsents)
	}
	b.WriteString("\nRETURN ")
	b.WriteString(ret)
	for _, c := range cols {
		b.WriteString(", ")
		b.WriteString(c)
	}
	return b.String()
}

// relatedFrom decodes the lists of one row; values maps column names to values.
func relatedFrom(c *cdp.Customer, rel cdp.Related, get func(string) any) *cdp.CustomerWith {
	w := &cdp.CustomerWith{Customer: c}
	count := func(col string) int {
		n, _ := get(col).(int64)
		return int(n)
	}
	if l := rel.Identifiers; l != nil {
		w.Identifiers = &cdp.Page[cdp.Identifier]{}
		for _, v := range get("identifiers").([]any) {
			pair := v.([]any)
			if pair[0] == nil {
				continue
			}
			w.Identifiers.Items = append(w.Identifiers.Items, cdp.Identifier{Type: cdp.IdentifierType(str(pair[0])), Value: str(pair[1])})
		}
		if l.Count {
			w.Identifiers.TotalCount = count("identifierCount")
			w.Identifiers.HasNextPage = len(w.Identifiers.Items) < w.Identifiers.TotalCount
		}
	}
	if l := rel.Orders; l != nil {
		rows, _ := get("orders").([]any)
		w.Orders = relatedPage(rows, l.First, func(v any) (*cdp.Order, time.Time, string) {
			parts := v.([]any)
			o := orderFromProps(parts[0].(map[string]any))
			o.CustomerSourceID, _ = parts[1].(string)
			o.Items = itemsFromRows(parts[2], o.Total.Currency)
			return o, o.OrderedAt, o.Key()
		})
		if l.Count {
			w.Orders.TotalCount = count("orderCount")
			w.Orders.HasNextPage = w.Orders.HasNextPage || (l.First == 0 && w.Orders.TotalCount > 0)
		}
	}
	if l := rel.Events; l != nil {
		w.Events = relatedPage(get("events"), l.First, func(v any) (*cdp.Event, time.Time, string) {
			parts := v.([]any)
			e := eventFromProps(parts[0].(map[string]any))
			e.CustomerSourceID, _ = parts[1].(string)
			return e, e.OccurredAt, e.Key()
		})
		if l.Count {
			w.Events.TotalCount = count("eventCount")
		}
	}
	if l := rel.Feedback; l != nil {
		w.Feedback = relatedPage(get("feedback"), l.First, func(v any) (*cdp.Feedback, time.Time, string) {
			parts := v.([]any)
			f := feedbackFromProps(parts[0].(map[string]any))
			f.CustomerSourceID, _ = parts[1].(string)
			return f, f.CreatedAt, f.Key()
		})
		if l.Count {
			w.Feedback.TotalCount = count("feedbackCount")
		}
	}
	if l := rel.ConsentHistory; l != nil {
		w.ConsentHistory = &cdp.Page[cdp.Consent]{}
		for _, v := range get("consentHistory").([]any) {
			if v.([]any)[0] == nil {
				continue
			}
			w.ConsentHistory.Items = append(w.ConsentHistory.Items, consentFromRow(v))
		}
		if l.Count {
			w.ConsentHistory.TotalCount = count("consentCount")
			w.ConsentHistory.HasNextPage = len(w.ConsentHistory.Items) < w.ConsentHistory.TotalCount
		}
	}
	if rel.CurrentConsents {
		var latest []cdp.Consent
		for _, v := range get("currentConsents").([]any) {
			if v.([]any)[0] == nil {
				continue
			}
			latest = append(latest, consentFromRow(v))
		}
		w.CurrentConsents = cdp.CurrentConsents(latest)
	}
	return w
}

// relatedPage is the first `first` of rows read with one extra (to know there is a next
// page), with the cursors the per-field loaders would give them.
func relatedPage[T any](rows any, first int, decode func(any) (T, time.Time, string)) *cdp.Page[T] {
	list, _ := rows.([]any)
	return firstPage(&cdp.Page[T]{}, list, first, func(v any) bool { return v.([]any)[0] == nil }, // OPTIONAL MATCH found nothing
		func(v any) (T, string) {
			item, at, key := decode(v)
			return item, timeCursor(at, key)
		})
}

// CustomersWith returns the customers with the given ids and the lists rel asks for, in one
// statement; unknown ids are absent.
func (s *CustomerStore) CustomersWith(ctx context.Context, ids []string, rel cdp.Related) (map[string]*cdp.CustomerWith, error) {
	params := map[string]any{"ids": toAny(ids)}
	query := relatedStatement(`
UNWIND $ids AS id
MATCH (c:Customer {id: id})`, "properties(c) AS c", rel, params)
	recs, err := s.db.read(ctx, query, params)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*cdp.CustomerWith, len(recs))
	for _, rec := range recs {
		c := customerFromProps(rec.Values[0].(map[string]any))
		out[c.ID] = relatedFrom(c, rel, func(col string) any { v, _ := rec.Get(col); return v })
	}
	return out, nil
}

// CustomerByIdentifierWith is CustomerByIdentifier with the lists rel asks for, in one statement.
func (s *CustomerStore) CustomerByIdentifierWith(ctx context.Context, id cdp.Identifier, rel cdp.Related) (*cdp.CustomerWith, error) {
	params := map[string]any{"key": id.Key()}
	query := relatedStatement(`
MATCH (:Identifier {key: $key})<-[:HAS_IDENTIFIER]-()-[:RESOLVES_TO]->(c)
WITH DISTINCT c ORDER BY c.id LIMIT 2`, "properties(c) AS c", rel, params)
	recs, err := s.db.read(ctx, query, params)
	if err != nil {
		return nil, err
	}
	switch len(recs) {
	case 0:
		return nil, &cdp.Error{Code: cdp.ENOTFOUND, Message: "no customer has " + string(id.Type) + " " + id.Value}
	case 1:
		rec := recs[0]
		c := customerFromProps(rec.Values[0].(map[string]any))
		return relatedFrom(c, rel, func(col string) any { v, _ := rec.Get(col); return v }), nil
	}
	return nil, &cdp.Error{Code: cdp.ECONFLICT, Message: "several customers share " + string(id.Type) + " " + id.Value + "; list them with customers(filter: {search: ...})"}
}

// FindCustomersWith is FindCustomers with the lists rel asks for of every customer on the
// page, in the page's one statement.
func (s *CustomerStore) FindCustomersWith(ctx context.Context, f cdp.CustomerFilter, order cdp.CustomerOrder, page cdp.PageArgs, rel cdp.Related) (*cdp.Page[*cdp.CustomerWith], error) {
	head, params, err := customerListQuery(f, order, page)
	if err != nil {
		return nil, err
	}
	recs, err := s.db.read(ctx, relatedStatement(head, "total, properties(c) AS c, sortKey", rel, params), params)
	if err != nil {
		return nil, err
	}
	out := &cdp.Page[*cdp.CustomerWith]{HasPreviousPage: page.After != "", TotalCount: totalAt(recs, 0)}
	return firstPage(out, recs, page.First, nilAt(1), func(rec *neo4j.Record) (*cdp.CustomerWith, string) {
		c := customerFromProps(rec.Values[1].(map[string]any))
		return relatedFrom(c, rel, func(col string) any { v, _ := rec.Get(col); return v }), customerCursor(rec.Values[2], c.ID)
	}), nil
}
