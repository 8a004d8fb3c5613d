package http

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/graph"
	"github.com/cdpgraph/cdpgraph/observe"
	"github.com/cdpgraph/cdpgraph/resolvers"
)

// GraphQLOptions are the GraphQL endpoint's limits and switches.
type GraphQLOptions struct {
	Introspection   bool
	ComplexityLimit int
	TokenLimit      int
	QueryCacheSize  int
	// MaxDepth, MaxAliases and MaxRootFields bound an operation's shape; 0: no limit.
	MaxDepth      int
	MaxAliases    int
	MaxRootFields int
	// MaxResponseFields bounds the fields one answer resolves; 0: no limit.
	MaxResponseFields int
	// MaxSelections bounds the fields an operation expands to, fragments counted each time
	// they are spread; 0 is DefaultMaxSelections (the bound cannot be switched off).
	MaxSelections int
}

// newGraphQLHandler builds the GraphQL executor with explicit transports, a parsed-query
// cache, limits, the access policy, and the one place where application errors become
// GraphQL errors.
func newGraphQLHandler(r *resolvers.Resolver, opts GraphQLOptions, access Access, limiter *rateLimiter, ws websocketTransport, metrics *observe.Metrics, log *slog.Logger) (*handler.Server, *policy) {
	cfg := graph.Config{Resolvers: r}
	mustPriceLists(graph.NewExecutableSchema(cfg).Schema(), &cfg.Complexity)
	schema := graph.NewExecutableSchema(cfg)
	pol := newPolicy(schema.Schema(), access, log)
	documentAccess(schema.Schema(), pol)
	srv := handler.New(schema)
	// Subscriptions: graphql-transport-ws and the older graphql-ws (websocket.go).
	srv.AddTransport(ws)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(overHTTP{}) // GET and POST as the GraphQL-over-HTTP spec asks (conformance.go)
	queries := lru.New[*ast.QueryDocument](opts.QueryCacheSize)
	srv.SetQueryCache(queries)
	// Outermost: operation spans, latency and error codes cover everything below.
	srv.Use(operationObserver{metrics})
	// First: websockets refuse all but subscriptions, and rate-limit before anything is parsed.
	srv.Use(websocketGate{limiter})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](opts.QueryCacheSize)})
	// After persisted queries fill in the query, before gqlgen parses and validates it.
	srv.Use(shapeLimit{depth: opts.MaxDepth, aliases: opts.MaxAliases, roots: opts.MaxRootFields,
		selections: cmp.Or(opts.MaxSelections, DefaultMaxSelections), tokens: opts.TokenLimit, cache: queries})
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.FixedComplexityLimit(opts.ComplexityLimit))
	srv.AroundOperations(pol.aroundOperations)
	budget := workBudget{maxFields: int64(opts.MaxResponseFields)}
	srv.AroundResponses(budget.aroundResponses)
	srv.AroundRootFields(pol.aroundRootFields)
	// One field middleware, not two: it runs for every field of every answer, and each
	// layer costs a call chain (and goroutine stack) per field.
	srv.AroundFields(func(ctx context.Context, next graphql.Resolver) (any, error) {
		if err := budget.take(ctx); err != nil { // first: nothing runs past the deadline or the budget
			return nil, err
		}
		return pol.aroundFields(ctx, next)
	})
	srv.SetParserTokenLimit(opts.TokenLimit)
	// Suggestions ("did you mean ...") would reveal the schema even with introspection off.
	srv.SetDisableSuggestion(true)
	srv.SetErrorPresenter(errorPresenter(log))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return errors.New("internal error")
	})
	return srv, pol
}

// GraphQL error codes, in the extensions of every error.
var graphQLCodes = map[string]string{
	cdp.EINVALID:      "BAD_USER_INPUT",
	cdp.ENOTFOUND:     "NOT_FOUND",
	cdp.ECONFLICT:     "CONFLICT",
	cdp.EUNAUTHORIZED: "UNAUTHENTICATED",
	cdp.EFORBIDDEN:    "FORBIDDEN",
	cdp.EUNAVAILABLE:  "UNAVAILABLE",
	cdp.EINTERNAL:     "INTERNAL",
}

// errorPresenter maps every error once: application errors keep their message and get
// their code; anything else is logged in full and shown only as "internal error", so
// driver messages and request data never reach a client.
func errorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var appErr *cdp.Error
		var parsed *gqlerror.Error
		switch {
		case errors.As(err, &appErr):
			gqlErr.Message = appErr.Message
			setExtension(gqlErr, "code", graphQLCodes[appErr.Code])
			if appErr.Field != "" {
				setExtension(gqlErr, "field", appErr.Field)
			}
		case errors.As(err, &parsed) && parsed.Err == nil:
			// Parse and validation errors from gqlgen already carry a code and a safe message.
			if gqlErr.Extensions["code"] == nil {
				setExtension(gqlErr, "code", "BAD_USER_INPUT")
			}
		case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
			gqlErr.Message = "the request was cancelled or timed out"
			setExtension(gqlErr, "code", "TIMEOUT")
		default:
			log.ErrorContext(ctx, "internal error", "err", err, "path", gqlErr.Path.String())
			gqlErr.Message = "internal error"
			gqlErr.Extensions = map[string]any{"code": "INTERNAL"}
		}
		return gqlErr
	}
}

func setExtension(e *gqlerror.Error, k string, v any) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions[k] = v
}
