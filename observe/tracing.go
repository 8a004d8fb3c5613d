package observe

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// TracingConfig says where traces go. Without an Endpoint, and without the standard
// OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT variables, tracing is
// off: the OpenTelemetry API then hands out spans that record nothing.
type TracingConfig struct {
	// Endpoint is the OTLP/HTTP collector's base URL, e.g. http://127.0.0.1:4318 (traces
	// go to its /v1/traces unless the URL has a path). The standard OTEL_EXPORTER_OTLP_*
	// variables add headers, timeouts and TLS settings.
	Endpoint string
	// SampleRatio is the share of traces kept when the caller sent no sampled parent
	// (traceparent); 0 is 1 (all).
	SampleRatio float64
	// Service and Version name this process in the traces.
	Service, Version string
}

// StartTracing installs the global tracer provider and the W3C trace-context propagator.
// The returned function flushes and stops the exporter; call it on shutdown.
func StartTracing(ctx context.Context, cfg TracingConfig) (shutdown func(context.Context) error, err error) {
	if !TracingEnabled(cfg) {
		return func(context.Context) error { return nil }, nil
	}
	if cfg.SampleRatio < 0 || cfg.SampleRatio > 1 {
		return nil, fmt.Errorf("trace sample ratio %g: must be between 0 and 1", cfg.SampleRatio)
	}
	var opts []otlptracehttp.Option
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("OTLP endpoint %q: want a URL such as http://127.0.0.1:4318", cfg.Endpoint)
		}
		if u.Path == "" || u.Path == "/" {
			u.Path = "/v1/traces"
		}
		opts = append(opts, otlptracehttp.WithEndpointURL(u.String()))
	}
	exp, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("OTLP exporter: %w", err)
	}
	ratio := cfg.SampleRatio
	if ratio == 0 {
		ratio = 1
	}
	service := cfg.Service
	if service == "" {
		service = "cdpgraph"
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(
		attribute.String("service.name", service), attribute.String("service.version", cfg.Version)))
	if err != nil {
		return nil, err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(ratio))))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		return errors.Join(tp.ForceFlush(ctx), tp.Shutdown(ctx))
	}, nil
}

// TracingEnabled reports whether StartTracing would export traces.
func TracingEnabled(cfg TracingConfig) bool {
	return cfg.Endpoint != "" || os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// Tracer is cdpgraph's tracer for a package; it follows the global provider, so it may
// be taken before StartTracing runs.
func Tracer(pkg string) trace.Tracer {
	return otel.Tracer("github.com/cdpgraph/cdpgraph/" + pkg)
}

// EndSpan records err on span (if any) and ends it.
func EndSpan(span trace.Span, err error) {
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, "")
	}
	span.End()
}
