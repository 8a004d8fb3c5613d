package resolvers

import (
	"context"
	"fmt"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/loaders"
)

// maxSegments is the most saved segments Query.segments lists at once.
const maxSegments = 500

// listFirst validates a bounded list's `first` (0 to most).
func listFirst(first, most int) error {
	if first < 0 || first > most {
		return &cdp.Error{Code: cdp.EINVALID, Field: "first", Message: fmt.Sprintf("first must be between 0 and %d", most)}
	}
	return nil
}

// loadFirst validates `first` (0 to most) and loads a parent's bounded list of that length.
func loadFirst[V any](ctx context.Context, l *loaders.Loader[loaders.PageKey, V], parent string, first, most int) (V, error) {
	if err := listFirst(first, most); err != nil {
		var zero V
		return zero, err
	}
	return l.Load(ctx, loaders.PageKey{CustomerID: parent, First: first})
}

// firstOf is the first `first` items of a parent's bounded list.
func firstOf[T any](ctx context.Context, l *loaders.Loader[loaders.PageKey, *cdp.Page[T]], parent string, first int) ([]T, error) {
	p, err := loadFirst(ctx, l, parent, first, cdp.MaxListFirst)
	if err != nil || p == nil {
		return []T{}, err
	}
	return p.Items, nil
}

// countOf is how many items a parent's bounded list holds in all.
func countOf[T any](ctx context.Context, l *loaders.Loader[loaders.PageKey, *cdp.Page[T]], parent string) (int, error) {
	p, err := l.Load(ctx, loaders.PageKey{CustomerID: parent})
	if err != nil || p == nil {
		return 0, err
	}
	return p.TotalCount, nil
}

// firstList is firstOf for loaders that read lists without a count.
func firstList[T any](ctx context.Context, l *loaders.Loader[loaders.PageKey, []T], parent string, first int) ([]T, error) {
	return firstListUpTo(ctx, l, parent, first, cdp.MaxListFirst)
}

// firstListUpTo is firstList for a list with its own bound.
func firstListUpTo[T any](ctx context.Context, l *loaders.Loader[loaders.PageKey, []T], parent string, first, most int) ([]T, error) {
	items, err := loadFirst(ctx, l, parent, first, most)
	if items == nil {
		items = []T{}
	}
	return items, err
}
