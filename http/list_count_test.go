package http_test

import (
	"context"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/client"

	cdp "github.com/cdpgraph/cdpgraph"
	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/resolvers"
)

// pageRecorder answers every listing with an empty page counting 7 and records whether
// it was asked to skip the count.
type pageRecorder struct {
	cdp.CustomerReader
	mu    sync.Mutex
	skips []bool
}

func (r *pageRecorder) FindCustomersWith(_ context.Context, _ cdp.CustomerFilter, _ cdp.CustomerOrder, p cdp.PageArgs, _ cdp.Related) (*cdp.Page[*cdp.CustomerWith], error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.skips = append(r.skips, p.SkipCount)
	page := &cdp.Page[*cdp.CustomerWith]{}
	if !p.SkipCount {
		page.TotalCount = 7
	}
	return page, nil
}

// A customer listing is counted only when the request selects totalCount, whether
// directly, under an alias, through a fragment or an included directive.
func TestListingsCountOnlyWhenTotalCountIsSelected(t *testing.T) {
	rec := &pageRecorder{}
	h := cdphttp.NewHandler(&resolvers.Resolver{CustomerReader: rec}, downDB{}, options(), quiet)
	c := client.New(h, client.Path("/graphql"), client.AddHeader("Authorization", "Bearer "+memAdminKey))
	for _, tc := range []struct {
		query string
		vars  map[string]any
		skip  bool
	}{
		{`{ customers(first: 2) { nodes { customerId } pageInfo { hasNextPage } } }`, nil, true},
		{`{ customers { edges { cursor } } }`, nil, true},
		{`{ customers { totalCount } }`, nil, false},
		{`{ customers { n: totalCount } }`, nil, false},
		{`{ customers { ...Counted } } fragment Counted on CustomerConnection { totalCount }`, nil, false},
		{`{ customers { ... on CustomerConnection { totalCount } } }`, nil, false},
		{`query($c: Boolean!) { customers { totalCount @include(if: $c) nodes { customerId } } }`, map[string]any{"c": false}, true},
		{`query($c: Boolean!) { customers { totalCount @include(if: $c) nodes { customerId } } }`, map[string]any{"c": true}, false},
		{`{ customers { totalCount @skip(if: true) nodes { customerId } } }`, nil, true},
		{`{ influencers(first: 5) { nodes { customerId } } }`, nil, true},
		{`{ advocates { totalCount } }`, nil, false},
	} {
		rec.skips = nil
		var opts []client.Option
		for k, v := range tc.vars {
			opts = append(opts, client.Var(k, v))
		}
		var out map[string]map[string]any
		post(t, c, tc.query, &out, opts...)
		if len(rec.skips) != 1 || rec.skips[0] != tc.skip {
			t.Errorf("%s %v: SkipCount %v, want [%v]", tc.query, tc.vars, rec.skips, tc.skip)
		}
		for _, conn := range out {
			if n, ok := conn["totalCount"]; ok && n != float64(7) {
				t.Errorf("%s: totalCount %v, want 7", tc.query, n)
			}
			if n, ok := conn["n"]; ok && n != float64(7) {
				t.Errorf("%s: aliased totalCount %v, want 7", tc.query, n)
			}
		}
	}

	// Two listings in one request: each by its own selection.
	rec.skips = nil
	var out map[string]any
	post(t, c, `{ a: customers { totalCount } b: customers(first: 3) { nodes { customerId } } }`, &out)
	if len(rec.skips) != 2 || rec.skips[0] == rec.skips[1] {
		t.Fatalf("two listings: SkipCount %v, want one of each", rec.skips)
	}
}
