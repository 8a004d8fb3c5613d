// Package http serves the GraphQL API, GraphiQL, the console and the health endpoints.
package http

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"

	"github.com/cdpgraph/cdpgraph/console"
	"github.com/cdpgraph/cdpgraph/http/graphiql"
	"github.com/cdpgraph/cdpgraph/loaders"
	"github.com/cdpgraph/cdpgraph/observe"
	"github.com/cdpgraph/cdpgraph/resolvers"
)

// Options configure the HTTP server.
type Options struct {
	Addr         string
	GraphiQL     bool
	MaxBodyBytes int64
	LoaderWait   time.Duration // 0 is loaders.DefaultWait
	GraphQL      GraphQLOptions
	// Access authenticates callers and holds partner contracts; it is required.
	Access Access
	Limits Limits
	// Metrics, if set, is filled as requests are served; MetricsOnMain also serves it at
	// /metrics on this handler (else only AdminHandler serves it).
	Metrics       *observe.Metrics
	MetricsOnMain bool
}

// Pinger reports whether the database answers; /readyz uses it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Server is the HTTP server.
type Server struct {
	srv *http.Server
	ln  net.Listener
}

// NewHandler returns the server's routes.
func NewHandler(r *resolvers.Resolver, db Pinger, opts Options, log *slog.Logger) http.Handler {
	if opts.Access.Auth == nil || opts.Access.Pseudo == nil {
		panic("http: Options.Access needs an authenticator and a pseudonymizer")
	}
	mux := http.NewServeMux()
	failures := newFailedAuthLimiter(opts.Limits.FailedAuthPerMinute)
	limiter := newRateLimiter(opts.Limits)
	gql, pol := newGraphQLHandler(r, opts.GraphQL, opts.Access, limiter, newWebsocketTransport(opts.Access.Auth, limiter, failures, opts.Limits, log), opts.Metrics, log)
	authed := func(h http.Handler) http.Handler {
		return limitFailedAuth(failures, authenticate(opts.Access.Auth, limiter, opts.Limits.RequestTimeout, log, h))
	}
	src := loaders.Sources{Customers: r.CustomerReader, Identity: r.Identity, Analytics: r.Analytics, Social: r.Social,
		Segments: segmentStore(r), Actions: actionReader(r)}
	if opts.Metrics != nil {
		src.OnBatch = opts.Metrics.LoaderBatch
	}
	mux.Handle("/graphql", keepUpgradeRequest(authed(limitBody(opts.MaxBodyBytes, loaders.Middleware(src, cmp.Or(opts.LoaderWait, loaders.DefaultWait), gql)))))
	if st := segmentStore(r); st != nil {
		mux.Handle("GET /segments/{id}/{file}", authed(exportSegment(st, pol, log)))
	}
	health(mux, db, log)
	if opts.Metrics != nil && opts.MetricsOnMain {
		mux.Handle("GET /metrics", opts.Metrics.Handler())
	}
	// The console is served without authentication: the page holds no data, and every
	// request it makes to /graphql carries the user's key and is checked there.
	ui := console.Handler()
	mux.Handle("/console/", ui)
	mux.Handle("/console", ui)
	if opts.GraphiQL {
		mux.Handle("/", graphiql.Handler("cdpgraph", "/graphql"))
	}
	return observeRequests(log, opts.Metrics, mux)
}

// health registers the liveness and readiness checks.
func health(mux *http.ServeMux, db Pinger, log *slog.Logger) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeText(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := context.WithTimeout(req.Context(), 2*time.Second)
		defer cancel()
		if err := db.Ping(ctx); err != nil {
			log.WarnContext(ctx, "not ready", "err", err)
			writeText(w, http.StatusServiceUnavailable, "neo4j unavailable")
			return
		}
		writeText(w, http.StatusOK, "ready")
	})
}

// New returns a server listening on opts.Addr (":0" picks a free port).
func New(h http.Handler, opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, err
	}
	return &Server{
		ln: ln,
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       60 * time.Second,
			WriteTimeout:      120 * time.Second,
			IdleTimeout:       120 * time.Second,
		},
	}, nil
}

// URL is the server's base URL.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Serve serves until Shutdown.
func (s *Server) Serve() error {
	if err := s.srv.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops accepting requests and waits for those in flight, up to ctx's deadline.
func (s *Server) Shutdown(ctx context.Context) error { return s.srv.Shutdown(ctx) }

const tooLarge = "the request body is larger than the server accepts"

// limitBody rejects bodies over max bytes with 413: at once when Content-Length says so,
// else when the GraphQL transport's read passes max. It reads nothing itself and runs
// after authentication, so a caller without valid credentials cannot make the server read
// (or hold) its body.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			writeGraphQLError(w, r, http.StatusRequestEntityTooLarge, "REQUEST_TOO_LARGE", tooLarge)
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, max)
		}
		next.ServeHTTP(w, r)
	})
}

// writeGraphQLError answers a request refused before GraphQL ran, in the GraphQL response
// shape and the media type the client accepts.
func writeGraphQLError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	refused(r, code)
	media, ok := negotiateMedia(r.Header.Get("Accept"))
	if !ok {
		media = mediaJSON
	}
	writeRequestError(w, status, media, code, msg)
}

func writeText(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, body+"\n")
}

// statusWriter remembers the response status for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }

// Unwrap lets http.ResponseController reach the connection (flushing exports).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack hands the connection to websocket subscriptions; the upgrade is logged as 101.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.status = http.StatusSwitchingProtocols
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// segmentStore and actionReader give the loaders what the resolver has; nil services leave
// their loaders out (tests that do not need them).
func segmentStore(r *resolvers.Resolver) cdp.SegmentStore {
	if r.SegmentService == nil {
		return nil
	}
	return r.SegmentService.Store
}

func actionReader(r *resolvers.Resolver) loaders.ActionReader {
	if r.Actions == nil {
		return nil
	}
	return r.Actions
}
