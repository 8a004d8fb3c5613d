// Package every runs background work on a fixed interval until its context ends.
package every

import (
	"context"
	"log/slog"
	"strings"
	"time"
)

// Observer learns of each run of a background job: it is called as the run starts, may
// return a context for the run (carrying a trace span), and its returned func is called
// with the run's outcome. The job is the name given to Tick or Run, in snake case.
type Observer func(ctx context.Context, job string) (context.Context, func(error))

type observerKey struct{}

// WithObserver returns ctx whose jobs (Tick, Run) report to o.
func WithObserver(ctx context.Context, o Observer) context.Context {
	return context.WithValue(ctx, observerKey{}, o)
}

// Tick calls f every interval until ctx ends. A failure is logged as what failed and the
// next tick tries again: background refreshes must outlive a database restart.
func Tick(ctx context.Context, interval time.Duration, log *slog.Logger, what string, f func(context.Context) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := Run(ctx, what, f); err != nil && ctx.Err() == nil {
				log.WarnContext(ctx, what+" failed", "err", err)
			}
		}
	}
}

// Run runs f once as the job what, reported to the context's Observer if it has one.
func Run(ctx context.Context, what string, f func(context.Context) error) error {
	o, _ := ctx.Value(observerKey{}).(Observer)
	if o == nil {
		return f(ctx)
	}
	runCtx, done := o(ctx, JobName(what))
	err := f(runCtx)
	if ctx.Err() != nil && err != nil {
		err = nil // stopped on shutdown: not a failed run
	}
	done(err)
	return err
}

// JobName is what's label: "incremental scoring" is incremental_scoring.
func JobName(what string) string { return strings.ReplaceAll(strings.TrimSpace(what), " ", "_") }
