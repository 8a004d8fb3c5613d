package resolvers

import (
	"context"
	"math"
	"slices"
	"strings"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/graph/model"
	"github.com/cdpgraph/cdpgraph/loaders"
	"github.com/cdpgraph/cdpgraph/recommend"
)

// node fetches any object by its global id.
func node(ctx context.Context, id string) (model.Node, error) {
	typ, key, err := parseGlobalID(id)
	if err != nil {
		return nil, err
	}
	l := loaders.For(ctx)
	var n model.Node
	switch typ {
	case typeCustomer:
		n, err = nilIfAbsent(l.Customer.Load(ctx, key))
	case typeSourceRecord:
		n, err = nilIfAbsent(l.SourceRecord.Load(ctx, key))
	case typeOrder:
		n, err = nilIfAbsent(l.Order.Load(ctx, key))
	case typeProduct:
		n, err = nilIfAbsent(l.Product.Load(ctx, key))
	default:
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "id", Message: "not an id returned by this API"}
	}
	return n, err
}

// nilIfAbsent keeps a typed nil pointer from becoming a non-nil interface.
func nilIfAbsent[T any](v *T, err error) (model.Node, error) {
	if v == nil || err != nil {
		return nil, err
	}
	return v, nil
}

// customerFilter converts the filter; values spell as in the vocabulary (an RFM segment
// in any case is the configured name).
func (r *queryResolver) customerFilter(f *model.CustomerFilter) (cdp.CustomerFilter, error) {
	if f == nil {
		return cdp.CustomerFilter{}, nil
	}
	out := cdp.CustomerFilter{Search: deref(f.Search), Country: strings.ToUpper(deref(f.Country)), City: deref(f.City),
		Source: deref(f.Source), CreatedAfter: f.CreatedAfter, CreatedBefore: f.CreatedBefore,
		RFMSegment: deref(f.RfmSegment), MinChurnRisk: f.MinChurnRisk, MaxChurnRisk: f.MaxChurnRisk,
		MinCLV: f.MinClv, MaxCLV: f.MaxClv, MinLoyalty: f.MinLoyalty, RFMR: f.RfmR, RFMF: f.RfmF}
	for _, b := range f.ChurnBands {
		out.ChurnBands = append(out.ChurnBands, strings.ToLower(string(b)))
	}
	if out.RFMSegment != "" && r.SegmentService != nil {
		name, err := r.SegmentService.RFMSegmentName(out.RFMSegment, "filter.rfmSegment")
		if err != nil {
			return out, err
		}
		out.RFMSegment = name
	}
	if f.Segment != nil {
		id, err := segmentKey(*f.Segment, "filter.segment")
		if err != nil {
			return out, err
		}
		out.Segment = id
	}
	return out, out.Validate()
}

func customerOrder(o *model.CustomerOrder) cdp.CustomerOrder {
	if o == nil {
		return cdp.CustomerOrder{Field: cdp.CustomerOrderCreatedAt}
	}
	fields := map[model.CustomerOrderField]cdp.CustomerOrderField{
		model.CustomerOrderFieldCreatedAt:    cdp.CustomerOrderCreatedAt,
		model.CustomerOrderFieldUpdatedAt:    cdp.CustomerOrderUpdatedAt,
		model.CustomerOrderFieldFamilyName:   cdp.CustomerOrderFamilyName,
		model.CustomerOrderFieldChurnRisk:    cdp.CustomerOrderChurnRisk,
		model.CustomerOrderFieldClv:          cdp.CustomerOrderCLV,
		model.CustomerOrderFieldPAlive:       cdp.CustomerOrderPAlive,
		model.CustomerOrderFieldLoyalty:      cdp.CustomerOrderLoyalty,
		model.CustomerOrderFieldRevenue:      cdp.CustomerOrderRevenue,
		model.CustomerOrderFieldClusterDoubt: cdp.CustomerOrderClusterDoubt,
	}
	return cdp.CustomerOrder{Field: fields[o.Field], Desc: o.Direction == model.OrderDirectionDesc}
}

// eventTypesKey makes the type filter a comparable loader key.
func eventTypesKey(types []string) string {
	t := slices.Clone(types)
	for i := range t {
		t[i] = strings.ToLower(strings.TrimSpace(t[i]))
	}
	slices.Sort(t)
	return strings.Join(slices.Compact(t), ",")
}

func values[T any](xs []*T) []T {
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		if x != nil {
			out = append(out, *x)
		}
	}
	return out
}

// optionalCustomer loads a customer by plain id, or gives null for "".
// optionalRecord loads a source record by key; none for "".
func optionalRecord(ctx context.Context, key string) (*cdp.SourceRecord, error) {
	if key == "" {
		return nil, nil
	}
	return loaders.For(ctx).SourceRecord.Load(ctx, key)
}

// positive is n, or null when it is not set (0).
func positive(n int) *int {
	if n <= 0 {
		return nil
	}
	return &n
}

// found drops the items a loader did not find (a record erased since).
func found[T any](xs []*T) []*T {
	out := make([]*T, 0, len(xs))
	for _, x := range xs {
		if x != nil {
			out = append(out, x)
		}
	}
	return out
}

func optionalCustomer(ctx context.Context, id string) (*cdp.Customer, error) {
	if id == "" {
		return nil, nil
	}
	return loaders.For(ctx).Customer.Load(ctx, id)
}

// profile shows unknown fields as null rather than "".
func profile(p cdp.Profile) *model.Profile {
	return &model.Profile{
		GivenName: optional(p.GivenName), FamilyName: optional(p.FamilyName), FullName: optional(p.FullName),
		Email: optional(p.Email), Phone: optional(p.Phone), BirthDate: optional(p.BirthDate), Gender: optional(p.Gender),
		AddressLine1: optional(p.AddressLine1), AddressLine2: optional(p.AddressLine2), City: optional(p.City),
		Region: optional(p.Region), Postcode: optional(p.Postcode), Country: optional(p.Country),
	}
}

// finiteOrNil turns the open ends of a distribution (±Inf) into null, which JSON can carry.
func finiteOrNil(f float64) *float64 {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil
	}
	return &f
}

// churnBand maps a stored band to the enum; empty (no purchase to score) is null.
func churnBand(band string) *model.ChurnBand {
	if band == "" {
		return nil
	}
	b := model.ChurnBand(strings.ToUpper(band))
	if !b.IsValid() {
		return nil
	}
	return &b
}

// cohortsBetween keeps the cohorts whose month is within [from, to] (YYYY-MM, either may be empty).
func cohortsBetween(cs []cdp.Cohort, from, to string) []*cdp.Cohort {
	var out []*cdp.Cohort
	for i := range cs {
		if (from == "" || cs[i].Month >= from) && (to == "" || cs[i].Month <= to) {
			out = append(out, &cs[i])
		}
	}
	return out
}

// influencers lists customers in the social graph matching f, most influential first.
func (r *queryResolver) influencers(ctx context.Context, f cdp.CustomerFilter, first int, after *string) (*model.CustomerConnection, error) {
	return r.customerPage(ctx, f, cdp.CustomerOrder{Field: cdp.CustomerOrderInfluence, Desc: true}, first, after)
}

// customerPage is one page of a customer listing as a connection.
func (r *queryResolver) customerPage(ctx context.Context, f cdp.CustomerFilter, o cdp.CustomerOrder, first int, after *string) (*model.CustomerConnection, error) {
	page, err := r.pageArgs(ctx, first, after)
	if err != nil {
		return nil, err
	}
	rel, count := relatedOfConnection(ctx)
	page.SkipCount = !count
	p, err := loaders.For(ctx).FindCustomers(ctx, f, o, page, rel)
	if err != nil {
		return nil, err
	}
	c := &model.CustomerConnection{}
	c.Edges, c.Nodes, c.PageInfo, c.TotalCount = connection(ctx, r.cursors(), p, func(cur string, n *cdp.Customer) *model.CustomerEdge {
		return &model.CustomerEdge{Cursor: cur, Node: n}
	})
	return c, nil
}

// relay turns a channel of events into the pointer channel gqlgen subscriptions want,
// closing it when the source closes or the subscriber leaves.
func relay[T any](ctx context.Context, in <-chan T) <-chan *T {
	out := make(chan *T, 1)
	go func() {
		defer close(out)
		for v := range in {
			select {
			case out <- &v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// roleOf is a role's GraphQL enum value.
func roleOf(r cdp.Role) model.Role { return model.Role(strings.ToUpper(string(r))) }

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// becauseOf is the history product a recommendation follows from, if it has that basis.
func becauseOf(r *recommend.Recommendation, basis recommend.Basis) *string {
	if r.Basis != basis || r.Because == "" {
		return nil
	}
	return &r.Because
}
