package http

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// shapeLimit rejects operations that are too deep, alias a field too often or ask for too
// many root fields, before anything runs. Introspection's own nesting (__schema, __type)
// does not count towards depth.
type shapeLimit struct{ depth, aliases, roots int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                          { return "ShapeLimit" }
func (shapeLimit) Validate(schema graphql.ExecutableSchema) error { return nil }

func (l shapeLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	m := measure{doc: oc.Doc}
	depth := m.walk(oc.Operation.SelectionSet, 1, map[string]bool{})
	roots := countRoots(oc.Doc, oc.Operation.SelectionSet, map[string]bool{})
	switch {
	case l.depth > 0 && depth > l.depth:
		return limitError("QUERY_TOO_DEEP", fmt.Sprintf("the operation is %d levels deep; at most %d are allowed", depth, l.depth))
	case l.aliases > 0 && m.aliases > l.aliases:
		return limitError("TOO_MANY_ALIASES", fmt.Sprintf("the operation uses %d aliases; at most %d are allowed", m.aliases, l.aliases))
	case l.roots > 0 && roots > l.roots:
		return limitError("TOO_MANY_ROOT_FIELDS", fmt.Sprintf("the operation asks for %d root fields; at most %d are allowed", roots, l.roots))
	}
	return nil
}

func limitError(code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
}

type measure struct {
	doc     *ast.QueryDocument
	aliases int
}

// walk returns the depth of a selection set; fragments are followed once per path.
func (m *measure) walk(set ast.SelectionSet, depth int, seen map[string]bool) int {
	deepest := depth - 1
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Alias != "" && s.Alias != s.Name {
				m.aliases++
			}
			if s.Name == "__schema" || s.Name == "__type" {
				deepest = max(deepest, depth)
				continue
			}
			deepest = max(deepest, depth, m.walk(s.SelectionSet, depth+1, seen))
		case *ast.InlineFragment:
			deepest = max(deepest, m.walk(s.SelectionSet, depth, seen))
		case *ast.FragmentSpread:
			f := m.doc.Fragments.ForName(s.Name)
			if f == nil || seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			deepest = max(deepest, m.walk(f.SelectionSet, depth, seen))
			delete(seen, s.Name)
		}
	}
	return deepest
}

func countRoots(doc *ast.QueryDocument, set ast.SelectionSet, seen map[string]bool) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name != "__typename" {
				n++
			}
		case *ast.InlineFragment:
			n += countRoots(doc, s.SelectionSet, seen)
		case *ast.FragmentSpread:
			if f := doc.Fragments.ForName(s.Name); f != nil && !seen[s.Name] {
				seen[s.Name] = true
				n += countRoots(doc, f.SelectionSet, seen)
			}
		}
	}
	return n
}
