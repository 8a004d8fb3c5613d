package http

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/observe"
)

var tracer = observe.Tracer("http")

// requestInfo is what one request's log line and metrics learn as the request passes the
// layers: the caller (authentication), the GraphQL operation and the error codes of its
// response or refusal.
type requestInfo struct {
	id      string
	metrics *observe.Metrics

	mu        sync.Mutex
	caller    *cdp.Principal
	operation string // as the document names it; "" for none
	opType    string
	codes     []string // distinct, in order of appearance
}

type requestInfoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	i, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	return i
}

// maxLoggedCodes bounds the codes one log line lists.
const maxLoggedCodes = 8

func (i *requestInfo) addCode(code string) {
	if i == nil {
		return
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	if len(i.codes) < maxLoggedCodes && !slices.Contains(i.codes, code) {
		i.codes = append(i.codes, code)
	}
}

func (i *requestInfo) setCaller(p *cdp.Principal) {
	if i == nil {
		return
	}
	i.mu.Lock()
	i.caller = p
	i.mu.Unlock()
}

func (i *requestInfo) setOperation(name, typ string) {
	if i == nil {
		return
	}
	i.mu.Lock()
	i.operation, i.opType = name, typ
	i.mu.Unlock()
}

// refused records a request answered with an error before GraphQL ran.
func refused(r *http.Request, code string) {
	if i := infoFrom(r.Context()); i != nil {
		i.addCode(code)
		i.metrics.Refused(code)
	}
}

// rateLimited records a request a rate limiter refused.
func rateLimited(ctx context.Context, limiter string, p *cdp.Principal) {
	if i := infoFrom(ctx); i != nil {
		role := ""
		if p != nil {
			role = string(p.Role)
		}
		i.metrics.RateLimited(limiter, role)
	}
}

// Request ids: a caller's X-Request-Id is kept when it looks like an id; otherwise the
// server makes one from a per-process prefix and a counter.
var (
	requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)
	requestIDPrefix  = func() string {
		var b [6]byte
		_, _ = rand.Read(b[:])
		return hex.EncodeToString(b[:])
	}()
	requestCounter atomic.Uint64
)

func requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); requestIDPattern.MatchString(id) {
		return id
	}
	return requestIDPrefix + "-" + strconv.FormatUint(requestCounter.Add(1), 36)
}

// observeRequests gives every request an id (X-Request-Id, in and out), a server span
// (continuing the caller's trace context, if tracing is on), metrics, and one structured
// log line; bodies are never logged. GraphQL answers errors with status 200, so the line
// lists the error codes of the response as well.
func observeRequests(log *slog.Logger, m *observe.Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{id: requestID(r), metrics: m}
		w.Header().Set("X-Request-Id", info.id)
		ctx := otel.GetTextMapPropagator().Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := tracer.Start(ctx, "HTTP "+r.Method, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("http.request.method", r.Method), attribute.String("cdpgraph.request_id", info.id)))
		ctx = context.WithValue(ctx, requestInfoKey{}, info)
		sw := &statusWriter{ResponseWriter: w}
		r = r.WithContext(ctx)
		next.ServeHTTP(sw, r)
		d := time.Since(start)
		route := routeOf(r)
		m.HTTPRequest(route, r.Method, sw.status, d)

		info.mu.Lock()
		attrs := []any{"method", r.Method, "path", r.URL.Path, "status", sw.status, "bytes", sw.bytes,
			"duration_ms", float64(d.Microseconds()) / 1000, "request_id", info.id}
		if info.opType != "" {
			attrs = append(attrs, "operation", cmpOr(info.operation, observe.Anonymous), "operation_type", info.opType)
		}
		if p := info.caller; p != nil {
			if p.Via == "api_key" {
				attrs = append(attrs, "key", p.Subject)
			} else {
				attrs = append(attrs, "subject", p.Subject)
			}
			attrs = append(attrs, "role", string(p.Role))
		}
		if len(info.codes) > 0 {
			attrs = append(attrs, "errors", slices.Clone(info.codes))
		}
		opName := info.operation
		info.mu.Unlock()

		span.SetName(spanName(r.Method, route, opName))
		span.SetAttributes(attribute.String("http.route", route), attribute.Int("http.response.status_code", sw.status))
		if sw.status >= 500 {
			span.SetStatus(2, http.StatusText(sw.status)) // codes.Error
		}
		span.End()
		level := slog.LevelInfo
		switch {
		case route == "/healthz" || route == "/readyz" || route == "/metrics":
			level = slog.LevelDebug
		case sw.status >= 500:
			level = slog.LevelWarn
		}
		log.Log(ctx, level, "http", attrs...)
	})
}

func spanName(method, route, operation string) string {
	if operation != "" {
		return fmt.Sprintf("%s %s %s", method, route, operation)
	}
	return method + " " + route
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// routeOf is the request's route as registered on the mux ("/graphql",
// "GET /segments/{id}/{file}" without the method): bounded, and free of ids.
func routeOf(r *http.Request) string {
	p := r.Pattern
	if p == "" {
		return observe.Other
	}
	for i := 0; i < len(p); i++ {
		if p[i] == ' ' {
			return p[i+1:]
		}
	}
	return p
}

// operationObserver is the GraphQL side of observeRequests: a span per operation and per
// root field, operation and root-field latency, and the error codes of every response.
type operationObserver struct{ metrics *observe.Metrics }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	graphql.ResponseInterceptor
	graphql.RootFieldInterceptor
} = operationObserver{}

func (operationObserver) ExtensionName() string                   { return "Observe" }
func (operationObserver) Validate(graphql.ExecutableSchema) error { return nil }

func (o operationObserver) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	name, typ := oc.OperationName, "unknown"
	if oc.Operation != nil {
		name, typ = oc.Operation.Name, string(oc.Operation.Operation)
	}
	infoFrom(ctx).setOperation(name, typ)
	label := o.metrics.OperationName(name)
	ctx, span := tracer.Start(ctx, "graphql."+typ+" "+label, trace.WithAttributes(
		attribute.String("graphql.operation.name", label), attribute.String("graphql.operation.type", typ)))
	handle := next(ctx)
	if typ == "subscription" {
		// One response per event: the span lasts as long as the subscription.
		return func(ctx context.Context) *graphql.Response {
			resp := handle(ctx)
			if resp == nil {
				span.End()
			}
			return resp
		}
	}
	return func(ctx context.Context) *graphql.Response {
		resp := handle(ctx)
		failed := resp != nil && len(resp.Errors) > 0
		o.metrics.Operation(label, typ, time.Since(oc.Stats.OperationStart), failed)
		if failed {
			span.SetStatus(2, "the response has errors") // codes.Error
		}
		span.End()
		return resp
	}
}

// InterceptResponse sees every response, those of documents that failed to parse or
// validate included, and counts their errors by code.
func (o operationObserver) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	info := infoFrom(ctx)
	for _, e := range resp.Errors {
		code, _ := e.Extensions["code"].(string)
		if code == "" {
			code = "UNKNOWN"
		}
		o.metrics.GraphQLError(code)
		info.addCode(code)
	}
	if len(resp.Errors) > 0 {
		trace.SpanFromContext(ctx).SetAttributes(attribute.StringSlice("graphql.error_codes", infoCodes(info)))
	}
	return resp
}

func infoCodes(i *requestInfo) []string {
	if i == nil {
		return nil
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	return slices.Clone(i.codes)
}

var rootTypes = map[ast.Operation]string{ast.Query: "Query", ast.Mutation: "Mutation", ast.Subscription: "Subscription"}

func (o operationObserver) InterceptRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	fc := graphql.GetRootFieldContext(ctx)
	if fc == nil {
		return next(ctx)
	}
	// gqlgen puts the field's name in fc.Object: the object is the operation's root type.
	field := rootTypes[graphql.GetOperationContext(ctx).Operation.Operation] + "." + fc.Field.Name
	ctx, span := tracer.Start(ctx, "graphql.field "+field, trace.WithAttributes(attribute.String("graphql.field", field)))
	start := time.Now()
	m := next(ctx)
	o.metrics.RootField(field, time.Since(start))
	span.End()
	return m
}

// AdminHandler serves what only operators should reach: /metrics, pprof under
// /debug/pprof/, and the health checks. Serve it on its own address (Options.AdminAddr)
// that only the operators' network reaches.
func AdminHandler(m *observe.Metrics, db Pinger, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	if m != nil {
		mux.Handle("GET /metrics", m.Handler())
	}
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	health(mux, db, log)
	return mux
}
