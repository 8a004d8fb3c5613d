package neo4j

import (
	"context"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/recommend"
)

// RecommendStore reads what the recommender trains on: resolved customers' purchases and
// product views.
type RecommendStore struct{ db *DB }

// NewRecommendStore returns the recommendation store of db.
func NewRecommendStore(db *DB) *RecommendStore { return &RecommendStore{db: db} }

// recommendPage is how many customers one statement reads: a few hundred thousand rows
// of interactions at most, rather than one result of millions.
const recommendPage = 5000

// Interactions returns every purchase (an order line of an order that was not cancelled,
// returned or refunded) and every product view (an event of type view that names a SKU)
// at or after since, keyed by the customer the buyer's or viewer's source record resolves
// to. Activity of records not resolved to a customer yet (placeholders) is left out.
// Customers are read in pages, two pages at a time, as the influence run reads ties: the
// work is in producing and decoding rows, which then uses both cores.
func (s *RecommendStore) Interactions(ctx context.Context, since time.Time) ([]recommend.Interaction, error) {
	return readPerCustomerPage(ctx, s.db, recommendPage, func(ctx context.Context, ids []string) ([]recommend.Interaction, error) {
		return s.interactionsOf(ctx, ids, since)
	})
}

// interactionsOf reads one page of customers. Each customer's purchases and views come
// back collected into one row, so rows stay few and small.
func (s *RecommendStore) interactionsOf(ctx context.Context, ids []string, since time.Time) ([]recommend.Interaction, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:PLACED_BY]-(o)-[l:CONTAINS]->(p)
  WHERE o.orderedAt >= $since AND NOT coalesce(o.status, '') IN $notRevenue
  RETURN collect([p.sku, o.orderedAt, l.quantity]) AS purchases
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:BY]-(e)
  WHERE e.occurredAt >= $since AND e.type = 'view' AND e.sku IS NOT NULL
  RETURN collect([e.sku, e.occurredAt]) AS views
}
RETURN id, purchases, views`, map[string]any{"ids": toAny(ids), "since": since.UTC(), "notRevenue": notRevenue})
	if err != nil {
		return nil, err
	}
	var out []recommend.Interaction
	for _, r := range recs {
		id := r.Values[0].(string)
		for _, x := range r.Values[1].([]any) {
			p := x.([]any)
			at, _ := p[1].(time.Time)
			out = append(out, recommend.Interaction{Customer: id, SKU: str(p[0]), At: at, Kind: recommend.Purchase, Quantity: intProp(p[2])})
		}
		for _, x := range r.Values[2].([]any) {
			v := x.([]any)
			at, _ := v[1].(time.Time)
			out = append(out, recommend.Interaction{Customer: id, SKU: str(v[0]), At: at, Kind: recommend.View})
		}
	}
	return out, nil
}

// Products returns the catalogue entries of the given SKUs, to show recommendations by
// name; unknown SKUs are absent.
func (s *RecommendStore) Products(ctx context.Context, skus []string) (map[string]cdp.Product, error) {
	recs, err := s.db.read(ctx, `
UNWIND $skus AS sku
MATCH (p:Product {sku: sku})
RETURN p.sku, p.name, p.category`, map[string]any{"skus": toAny(skus)})
	if err != nil {
		return nil, err
	}
	out := make(map[string]cdp.Product, len(recs))
	for _, r := range recs {
		p := cdp.Product{SKU: str(r.Values[0]), Name: str(r.Values[1]), Category: str(r.Values[2])}
		out[p.SKU] = p
	}
	return out, nil
}
