package http

import (
	"cmp"
	"context"
	"fmt"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// DefaultMaxSelections bounds the fields an operation expands to when
// GraphQLOptions.MaxSelections is 0. GraphiQL's introspection query expands to a few
// hundred; the largest pages the API serves to a few hundred more.
const DefaultMaxSelections = 5000

// shapeLimit rejects operations that expand to too many fields, are too deep, alias a
// field too often or ask for too many root fields. It runs before gqlgen validates the
// document or prices its complexity: those walks (and execution) expand every fragment
// spread, so `fragment F0 { ...F1 ...F1 } fragment F1 { ...F2 ...F2 } ...` costs 2^n of
// them. shapeLimit measures each fragment once, in time linear in the document.
// Introspection's own nesting (__schema, __type) does not count towards depth or aliases.
type shapeLimit struct {
	depth, aliases, roots, selections int
	tokens                            int // the parser's token limit
	cache                             graphql.Cache[*ast.QueryDocument]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                          { return "ShapeLimit" }
func (shapeLimit) Validate(schema graphql.ExecutableSchema) error { return nil }

func (l shapeLimit) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	doc, ok := l.cache.Get(ctx, params.Query)
	if !ok {
		var err error
		if doc, err = parser.ParseQueryWithTokenLimit(&ast.Source{Input: params.Query}, l.tokens); err != nil {
			return nil // gqlgen parses again and reports the error
		}
	}
	// gqlgen validates the whole document before it picks the operation to run (or finds
	// that operationName names none), so what validation costs is bounded for every
	// document; what execution and pricing cost, for the operation that would run.
	if err := documentLimits(doc); err != nil {
		return err
	}
	op := doc.Operations.ForName(params.OperationName)
	if op == nil {
		return nil // gqlgen reports the missing operation
	}
	return l.check(newMeasure(doc), op)
}

// maxFragments and maxFieldPairs bound gqlparser's OverlappingFieldsCanBeMerged rule,
// which compares every pair of fragments spread together and every pair of fields sharing
// a response name: quadratic, so 5,000 `__typename` in one query took 3 s to validate.
const (
	maxFragments  = 200
	maxFieldPairs = 1 << 20 // over the document, the sum of each response name's occurrences squared
)

// documentLimits bounds what validation costs for the document as a whole.
func documentLimits(doc *ast.QueryDocument) *gqlerror.Error {
	if len(doc.Fragments) > maxFragments {
		return limitError("QUERY_TOO_LARGE", fmt.Sprintf("the document defines %d fragments; at most %d are allowed", len(doc.Fragments), maxFragments))
	}
	if len(doc.Operations) > maxFragments {
		return limitError("QUERY_TOO_LARGE", fmt.Sprintf("the document defines %d operations; at most %d are allowed", len(doc.Operations), maxFragments))
	}
	if pairs := fieldPairs(doc); pairs > maxFieldPairs {
		return limitError("QUERY_TOO_LARGE", fmt.Sprintf("the document repeats response names too often (%d field pairs to compare; at most %d are allowed)", pairs, maxFieldPairs))
	}
	return nil
}

// check measures one operation; m memoizes fragments across the document's operations.
func (l shapeLimit) check(m *measure, op *ast.OperationDefinition) *gqlerror.Error {
	s := m.set(op.SelectionSet)
	roots := m.roots(op.SelectionSet, map[string]bool{})
	switch {
	case s.fields > l.selections:
		return limitError("QUERY_TOO_LARGE", fmt.Sprintf("the operation expands to %s fields (fragments counted each time they are spread); at most %d are allowed",
			atLeast(s.fields), l.selections))
	case l.depth > 0 && s.depth > l.depth:
		return limitError("QUERY_TOO_DEEP", fmt.Sprintf("the operation is %d levels deep; at most %d are allowed", s.depth, l.depth))
	case l.aliases > 0 && s.aliases > l.aliases:
		return limitError("TOO_MANY_ALIASES", fmt.Sprintf("the operation uses %s aliases; at most %d are allowed", atLeast(s.aliases), l.aliases))
	case l.roots > 0 && roots > l.roots:
		return limitError("TOO_MANY_ROOT_FIELDS", fmt.Sprintf("the operation asks for %d root fields; at most %d are allowed", roots, l.roots))
	}
	return nil
}

func limitError(code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
}

// saturated is where counts stop growing: a bomb's 2^n never overflows.
const saturated = 1 << 40

func add(a, b int) int { return min(a+b, saturated) }

func atLeast(n int) string {
	if n >= saturated {
		return fmt.Sprintf("more than %d", saturated)
	}
	return fmt.Sprint(n)
}

// shape is what a selection set expands to: its fields, its depth below the set and its
// aliases.
type shape struct{ fields, depth, aliases int }

// measure computes shapes with each fragment's shape computed once (frags), so the walk
// visits every selection of the document at most once.
type measure struct {
	byName map[string]*ast.FragmentDefinition
	frags  map[string]*shape // nil while the fragment is being measured (a cycle: validation refuses it)
}

// shapeVisits counts selections measured, so tests can check the walk is linear.
var shapeVisits atomic.Int64

func newMeasure(doc *ast.QueryDocument) *measure {
	m := &measure{byName: make(map[string]*ast.FragmentDefinition, len(doc.Fragments)), frags: map[string]*shape{}}
	for _, f := range doc.Fragments {
		if _, dup := m.byName[f.Name]; !dup {
			m.byName[f.Name] = f
		}
	}
	return m
}

func (m *measure) set(set ast.SelectionSet) shape {
	var out shape
	merge := func(s shape, depth int) {
		out.fields = add(out.fields, s.fields)
		out.aliases = add(out.aliases, s.aliases)
		out.depth = max(out.depth, depth)
	}
	for _, sel := range set {
		shapeVisits.Add(1)
		switch s := sel.(type) {
		case *ast.Field:
			alias := 0
			if s.Alias != "" && s.Alias != s.Name {
				alias = 1
			}
			if s.Name == "__schema" || s.Name == "__type" {
				merge(shape{fields: add(1, m.set(s.SelectionSet).fields), aliases: alias}, 1)
				continue
			}
			sub := m.set(s.SelectionSet)
			merge(shape{fields: add(1, sub.fields), aliases: add(alias, sub.aliases)}, 1+sub.depth)
		case *ast.InlineFragment:
			sub := m.set(s.SelectionSet)
			merge(sub, sub.depth)
		case *ast.FragmentSpread:
			if sub := m.fragment(s.Name); sub != nil {
				merge(*sub, sub.depth)
			}
		}
	}
	return out
}

func (m *measure) fragment(name string) *shape {
	if s, seen := m.frags[name]; seen {
		return s
	}
	f := m.byName[name]
	if f == nil {
		return nil
	}
	m.frags[name] = nil
	s := m.set(f.SelectionSet)
	m.frags[name] = &s
	return &s
}

// roots counts the operation's root fields; a fragment spread twice at the root asks for
// its fields once.
func (m *measure) roots(set ast.SelectionSet, seen map[string]bool) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name != "__typename" {
				n++
			}
		case *ast.InlineFragment:
			n += m.roots(s.SelectionSet, seen)
		case *ast.FragmentSpread:
			if f := m.byName[s.Name]; f != nil && !seen[s.Name] {
				seen[s.Name] = true
				n += m.roots(f.SelectionSet, seen)
			}
		}
	}
	return n
}

// fieldPairs is, over every selection set of the document as written (fragments not
// expanded), the sum of each response name's occurrences squared.
func fieldPairs(doc *ast.QueryDocument) int {
	seen := map[string]int{}
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				seen[cmp.Or(s.Alias, s.Name)]++
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			}
		}
	}
	for _, op := range doc.Operations {
		walk(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		walk(f.SelectionSet)
	}
	pairs := 0
	for _, n := range seen {
		pairs = add(pairs, n*n)
	}
	return pairs
}
