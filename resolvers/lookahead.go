package resolvers

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Look-ahead: a root field that returns customers reads, with them, the lists its selection
// asks for (cdp.Related), so that one request costs one statement per root field where the
// shape allows. Only first pages are read ahead; a list asked with a cursor, with arguments
// out of bounds, or a second time with other arguments is left to its loader, which also
// answers its errors.

// customerTypes are the type conditions a selection on a Customer matches.
var customerTypes = []string{"Customer", "Node"}

// relatedOfCustomer is what the selection of the current field (a Customer) reads.
func relatedOfCustomer(ctx context.Context) cdp.Related {
	var la lookahead
	la.customer(graphql.GetOperationContext(ctx), graphql.GetFieldContext(ctx).Field.Selections)
	return la.rel
}

// relatedOfConnection is what the selection of the current field (a CustomerConnection)
// reads of each customer, and whether it reads totalCount.
func relatedOfConnection(ctx context.Context) (cdp.Related, bool) {
	op := graphql.GetOperationContext(ctx)
	var la lookahead
	count := false
	for _, f := range graphql.CollectFields(op, graphql.GetFieldContext(ctx).Field.Selections, []string{"CustomerConnection"}) {
		switch f.Name {
		case "totalCount":
			count = true
		case "nodes":
			la.customer(op, f.Selections)
		case "edges":
			for _, e := range graphql.CollectFields(op, f.Selections, []string{"CustomerEdge"}) {
				if e.Name == "node" {
					la.customer(op, e.Selections)
				}
			}
		}
	}
	return la.rel, count
}

// selectsTotalCount reports whether the current field's selection (a connection) reads totalCount.
func selectsTotalCount(ctx context.Context) bool {
	op := graphql.GetOperationContext(ctx)
	return slices.ContainsFunc(graphql.CollectFields(op, graphql.GetFieldContext(ctx).Field.Selections, nil),
		func(f graphql.CollectedField) bool { return f.Name == "totalCount" })
}

type lookahead struct {
	rel cdp.Related
	// seen marks lists already planned, so a second selection with other arguments is left
	// to its loader rather than read twice.
	seen map[string]bool
}

func (la *lookahead) first(name string) bool {
	if la.seen == nil {
		la.seen = map[string]bool{}
	}
	if la.seen[name] {
		return false
	}
	la.seen[name] = true
	return true
}

// customer plans the lists of one selection on a Customer.
func (la *lookahead) customer(op *graphql.OperationContext, sel ast.SelectionSet) {
	for _, f := range graphql.CollectFields(op, sel, customerTypes) {
		args := f.ArgumentMap(op.Variables)
		switch f.Name {
		case "identifiers":
			if n, ok := firstArg(args); ok && la.first("identifiers") {
				la.list(&la.rel.Identifiers).First = n
			}
		case "identifierCount":
			la.list(&la.rel.Identifiers).Count = true
		case "consentHistory":
			if n, ok := firstArg(args); ok && la.first("consentHistory") {
				la.list(&la.rel.ConsentHistory).First = n
			}
		case "consentHistoryCount":
			la.list(&la.rel.ConsentHistory).Count = true
		case "consents":
			la.rel.CurrentConsents = true
		case "orders":
			if l, ok := la.page(op, f, args); ok {
				la.rel.Orders = l
			}
		case "feedback":
			if l, ok := la.page(op, f, args); ok {
				la.rel.Feedback = l
			}
		case "events":
			types, _ := args["types"].([]any)
			if l, ok := la.page(op, f, args); ok {
				strs := make([]string, 0, len(types))
				for _, t := range types {
					s, _ := t.(string)
					strs = append(strs, s)
				}
				la.rel.Events = &cdp.EventListArgs{ListArgs: *l}
				if key := eventTypesKey(strs); key != "" {
					la.rel.Events.Types = strings.Split(key, ",")
				}
			}
		}
	}
}

// list returns the ListArgs at p, making it when absent.
func (la *lookahead) list(p **cdp.ListArgs) *cdp.ListArgs {
	if *p == nil {
		*p = &cdp.ListArgs{}
	}
	return *p
}

// page plans a connection's first page, counted when its selection reads totalCount.
func (la *lookahead) page(op *graphql.OperationContext, f graphql.CollectedField, args map[string]any) (*cdp.ListArgs, bool) {
	n, ok := firstArg(args)
	if !ok || args["after"] != nil || !la.first(f.Name) {
		return nil, false
	}
	l := &cdp.ListArgs{First: n}
	for _, c := range graphql.CollectFields(op, f.Selections, nil) {
		if c.Name == "totalCount" {
			l.Count = true
		}
	}
	return l, true
}

// firstArg is a list's `first`, when it is within the bounds its resolver accepts.
func firstArg(args map[string]any) (int, bool) {
	var n int
	switch v := args["first"].(type) {
	case int:
		n = v
	case int64:
		n = int(v)
	case json.Number:
		i, err := v.Int64()
		if err != nil {
			return 0, false
		}
		n = int(i)
	default:
		return 0, false
	}
	return n, n >= 0 && n <= cdp.MaxListFirst
}
