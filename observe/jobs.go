package observe

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/trace"
)

var jobTracer = Tracer("jobs")

// Job observes one run of a background job (an every.Observer): each run is its own
// trace, and its duration and outcome go to the job metrics.
func (m *Metrics) Job(ctx context.Context, job string) (context.Context, func(error)) {
	ctx, span := jobTracer.Start(ctx, "job "+job, trace.WithNewRoot())
	start := time.Now()
	return ctx, func(err error) {
		m.JobRun(job, time.Since(start), err)
		EndSpan(span, err)
	}
}
