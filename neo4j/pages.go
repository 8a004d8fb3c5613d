package neo4j

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// customerPages lists every customer id in pages of size, in id order.
func (db *DB) customerPages(ctx context.Context, size int) ([][]string, error) {
	var pages [][]string
	for after := ""; ; {
		recs, err := db.read(ctx, `
MATCH (c:Customer) WHERE c.id > $after
RETURN c.id AS id ORDER BY id LIMIT $limit`, map[string]any{"after": after, "limit": int64(size)})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return pages, nil
		}
		ids := make([]string, len(recs))
		for i, r := range recs {
			ids[i] = r.Values[0].(string)
		}
		pages = append(pages, ids)
		after = ids[len(ids)-1]
	}
}

// readPerCustomerPage reads something about every customer, a page of customers per
// statement and two statements at a time: with millions of rows the work is in producing
// and decoding them, which then uses both cores. Results keep the pages' order.
func readPerCustomerPage[T any](ctx context.Context, db *DB, size int, read func(ctx context.Context, ids []string) ([]T, error)) ([]T, error) {
	pages, err := db.customerPages(ctx, size)
	if err != nil {
		return nil, err
	}
	parts := make([][]T, len(pages))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	for i, ids := range pages {
		g.Go(func() error {
			var err error
			parts[i], err = read(ctx, ids)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]T, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out, nil
}
