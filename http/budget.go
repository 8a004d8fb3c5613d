package http

import (
	"context"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	cdp "github.com/cdpgraph/cdpgraph"
)

// gqlgen resolves every field of an answer even after the request's context has ended,
// and builds the whole answer before sending it. workBudget stops both: once the deadline
// (CDP_REQUEST_TIMEOUT) has passed, or an answer has resolved maxFields fields, no further
// resolver runs (the loaders and the store check the context too), and the answer is one
// error without data, however much had been resolved.
type workBudget struct {
	maxFields int64 // 0: no limit
}

type budgetKey struct{}

type budget struct {
	fields   atomic.Int64
	exceeded atomic.Bool
}

var errTooLarge = &cdp.Error{Code: cdp.EINVALID, Message: "the answer would be larger than the server sends; ask for fewer items or fields"}

// aroundResponses gives each answer (each event of a subscription) its own count and
// replaces an answer cut short with a single error.
func (w workBudget) aroundResponses(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	b := &budget{}
	ctx = context.WithValue(ctx, budgetKey{}, b)
	resp := next(ctx)
	switch {
	case resp == nil:
		return nil
	case ctx.Err() != nil:
		return &graphql.Response{Errors: gqlerror.List{{Message: "the request was cancelled or timed out",
			Extensions: map[string]any{"code": "TIMEOUT"}}}}
	case b.exceeded.Load():
		return &graphql.Response{Errors: gqlerror.List{{Message: errTooLarge.Message,
			Extensions: map[string]any{"code": "RESPONSE_TOO_LARGE"}}}}
	}
	return resp
}

// take runs before every field's resolver: it fails once the request has ended or the
// answer has resolved maxFields fields.
func (w workBudget) take(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if w.maxFields <= 0 {
		return nil
	}
	if b, _ := ctx.Value(budgetKey{}).(*budget); b != nil && b.fields.Add(1) > w.maxFields {
		b.exceeded.Store(true)
		return errTooLarge
	}
	return nil
}
