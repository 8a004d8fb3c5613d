package resolvers

import (
	"context"
	"slices"
	"strings"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/graph/model"
	"github.com/cdpgraph/cdpgraph/loaders"
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

func customerFilter(f *model.CustomerFilter) cdp.CustomerFilter {
	if f == nil {
		return cdp.CustomerFilter{}
	}
	return cdp.CustomerFilter{Search: deref(f.Search), Country: strings.ToUpper(deref(f.Country)), City: deref(f.City),
		Source: deref(f.Source), CreatedAfter: f.CreatedAfter, CreatedBefore: f.CreatedBefore}
}

func customerOrder(o *model.CustomerOrder) cdp.CustomerOrder {
	if o == nil {
		return cdp.CustomerOrder{Field: cdp.CustomerOrderCreatedAt}
	}
	fields := map[model.CustomerOrderField]cdp.CustomerOrderField{
		model.CustomerOrderFieldCreatedAt:  cdp.CustomerOrderCreatedAt,
		model.CustomerOrderFieldUpdatedAt:  cdp.CustomerOrderUpdatedAt,
		model.CustomerOrderFieldFamilyName: cdp.CustomerOrderFamilyName,
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
