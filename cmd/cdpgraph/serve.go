package main

import (
	"context"
	"os"
	"runtime/debug"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
	"github.com/cdpgraph/cdpgraph/config"
	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/neo4j"
	"github.com/cdpgraph/cdpgraph/privacy"
	"github.com/cdpgraph/cdpgraph/resolvers"
)

func runServe(ctx context.Context, args []string) error { return serve(ctx, args, nil) }

// serve runs the API server until ctx ends; ready, if given, learns its base URL once it
// listens. The binary and the end-to-end tests (adversarial_test.go) share it.
func serve(ctx context.Context, args []string, ready func(url string)) error {
	var a app
	fs := newFlags("serve", &a.cfg)
	a.cfg.RegisterServer(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	a.cfg.CypherTimeout = config.OptionalDuration{D: a.cfg.CypherTimeout.Or(config.ServeCypherTimeout), Given: true}
	serverGC()
	defer a.close()
	if err := a.open(ctx); err != nil {
		return err
	}
	obs, err := startObserving(ctx, &a)
	if err != nil {
		return err
	}
	defer obs.stop()
	ctx = obs.jobs
	access, keys, err := a.access()
	if err != nil {
		return err
	}
	r := &resolvers.Resolver{Keys: keys, Audit: access.Audit, CustomerReader: neo4j.NewCustomerStore(a.db), Identity: a.identity, Ingest: a.ingest, Analytics: a.scorer,
		Social: neo4j.NewInfluenceStore(a.db), SegmentService: a.segments, Actions: a.actions, Recommender: a.recs, Events: a.events,
		Privacy: privacy.NewService(neo4j.NewCustomerStore(a.db), neo4j.NewErasureStore(a.db)),
		Cursors: auth.NewCursorSealer(a.cfg.Access.PseudonymKey)}
	if a.cfg.ScoreInterval > 0 {
		go a.scorer.Watch(ctx, a.cfg.ScoreInterval)
	}
	if a.cfg.InfluenceInterval > 0 {
		go a.social.Watch(ctx, a.cfg.InfluenceInterval)
	}
	if a.cfg.SegmentInterval > 0 {
		go a.segments.Watch(ctx, a.cfg.SegmentInterval)
	}
	if a.cfg.RecommendInterval > 0 {
		go a.recs.Watch(ctx, max(a.cfg.RecommendInterval, time.Minute))
	}
	opts := cdphttp.Options{
		Addr: a.cfg.HTTPAddr, GraphiQL: a.cfg.GraphiQL, MaxBodyBytes: a.cfg.MaxBodyBytes, LoaderWait: a.cfg.LoaderWait,
		GraphQL: cdphttp.GraphQLOptions{Introspection: a.cfg.Introspection, ComplexityLimit: a.cfg.ComplexityLimit,
			TokenLimit: a.cfg.TokenLimit, QueryCacheSize: 1000, MaxDepth: a.cfg.Access.MaxDepth, MaxAliases: a.cfg.Access.MaxAliases,
			MaxRootFields: a.cfg.Access.MaxRootFields, MaxResponseFields: a.cfg.Access.MaxResponseFields, MaxSelections: a.cfg.Access.MaxSelections},
		Access: access,
		Limits: cdphttp.Limits{Rates: rates(a.cfg.Access.Rates()), FailedAuthPerMinute: a.cfg.Access.AuthFailures, RequestTimeout: a.cfg.Access.RequestTimeout,
			WebsocketInitTimeout: a.cfg.Access.WebsocketInitTimeout, CredentialRecheck: a.cfg.Access.CredentialRecheck},
		Metrics: obs.metrics, MetricsOnMain: a.cfg.Observe.AdminAddr == "",
	}
	srv, err := cdphttp.New(cdphttp.NewHandler(r, a.db, opts, a.log), opts)
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve() }()
	if err := obs.serveAdmin(&a, errc); err != nil {
		return err
	}
	a.log.Info("serving", "graphql", srv.URL()+"/graphql", "graphiql", a.cfg.GraphiQL, "neo4j", a.cfg.Neo4jURI,
		"admin", obs.adminURL(), "metrics", obs.metrics != nil, "tracing", obs.tracing)
	if ready != nil {
		ready(srv.URL())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down: draining requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	return <-errc
}

func rates(in map[cdp.Role]config.Rate) map[cdp.Role]cdphttp.Rate {
	out := make(map[cdp.Role]cdphttp.Rate, len(in))
	for role, r := range in {
		out[role] = cdphttp.Rate{PerSecond: r.PerSecond, Burst: r.Burst}
	}
	return out
}

// serverGCPercent is the server's garbage-collection target unless GOGC says otherwise. A
// response allocates tens of thousands of short-lived values (gqlgen's field contexts, the
// driver's rows) while the live heap stays small, so the default 100 % made collection
// about a tenth of the server's CPU; at 400 % the heap grows to a few hundred MB at most.
const serverGCPercent = 400

func serverGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serverGCPercent)
	}
}
