package main

import (
	"context"
	"time"

	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/ingest"
	"github.com/cdpgraph/cdpgraph/internal/every"
	"github.com/cdpgraph/cdpgraph/observe"
)

// observing is the server's metrics, tracing and admin listener (docs/operations.md).
type observing struct {
	metrics  *observe.Metrics // nil with --metrics=false
	tracing  bool
	jobs     context.Context // the serve context, reporting background jobs
	admin    *cdphttp.Server
	shutdown func(context.Context) error
}

// startObserving starts tracing (when configured) and the metrics, and hooks them to the
// database, ingest, the event broker and the background jobs.
func startObserving(ctx context.Context, a *app) (*observing, error) {
	cfg := a.cfg.Observe
	tc := observe.TracingConfig{Endpoint: cfg.TraceEndpoint, SampleRatio: cfg.TraceSample, Service: "cdpgraph"}
	shutdown, err := observe.StartTracing(ctx, tc)
	if err != nil {
		return nil, err
	}
	o := &observing{tracing: observe.TracingEnabled(tc), shutdown: shutdown}
	if cfg.Metrics {
		m := observe.NewMetrics()
		o.metrics = m
		a.db.SetObserver(m)
		m.WatchPool(a.db)
		m.WatchSubscriptions(a.events)
		a.ingest.OnBatch = func(source string, r *ingest.Result) {
			m.IngestBatch(source, string(r.Kind), r.Accepted, r.Rejected, r.Duplicates, r.Created, r.Updated, r.Unchanged)
		}
	}
	// Jobs get a trace per run with tracing on, and their metrics with metrics on.
	o.jobs = every.WithObserver(ctx, o.metrics.Job)
	return o, nil
}

// serveAdmin starts the admin listener, if one is configured; its failure ends serve.
func (o *observing) serveAdmin(a *app, errc chan<- error) error {
	if a.cfg.Observe.AdminAddr == "" {
		return nil
	}
	srv, err := cdphttp.New(cdphttp.AdminHandler(o.metrics, a.db, a.log), cdphttp.Options{Addr: a.cfg.Observe.AdminAddr})
	if err != nil {
		return err
	}
	o.admin = srv
	go func() {
		if err := srv.Serve(); err != nil {
			errc <- err
		}
	}()
	return nil
}

func (o *observing) adminURL() string {
	if o.admin == nil {
		return ""
	}
	return o.admin.URL()
}

// stop closes the admin listener and flushes the traces still buffered.
func (o *observing) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if o.admin != nil {
		o.admin.Shutdown(ctx)
	}
	o.shutdown(ctx)
}
