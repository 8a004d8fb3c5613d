package observe_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cdpgraph/cdpgraph/internal/every"
	"github.com/cdpgraph/cdpgraph/observe"
)

func scrape(t *testing.T, m *observe.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return rec.Body.String()
}

// Callers choose operation names and source systems: past the bound they all count as
// "other", so a client cannot grow the series without end.
func TestCallerChosenLabelsAreBounded(t *testing.T) {
	m := observe.NewMetrics()
	for i := range observe.MaxOperations + 50 {
		m.Operation(m.OperationName(fmt.Sprintf("Op%d", i)), "query", 0, false)
	}
	if got := m.OperationName(fmt.Sprintf("Op%d", observe.MaxOperations-1)); got != fmt.Sprintf("Op%d", observe.MaxOperations-1) {
		t.Errorf("a name seen before the bound became %q", got)
	}
	for name, want := range map[string]string{"": observe.Anonymous, "Op9999": observe.Other, "not a name!": observe.Other} {
		if got := m.OperationName(name); got != want {
			t.Errorf("OperationName(%q) = %q, want %q", name, got, want)
		}
	}
	body := scrape(t, m)
	if n := strings.Count(body, "cdpgraph_graphql_operation_duration_seconds_count{"); n != observe.MaxOperations+1 {
		t.Errorf("%d operation series, want %d (the bound and other)", n, observe.MaxOperations+1)
	}
	for i := range observe.MaxSources + 10 {
		m.IngestBatch(fmt.Sprintf("src%d", i), "orders", 1, 0, 0, 1, 0, 0)
	}
	body = scrape(t, m)
	if !strings.Contains(body, `cdpgraph_ingest_records_total{kind="orders",outcome="accepted",source="other"} 10`) {
		t.Errorf("sources past the bound are not counted as other:\n%s", grep(body, "source=\"other\""))
	}
	for code, want := range map[string]string{"NOT_FOUND": "NOT_FOUND", "not a code": observe.Other, "": observe.Other} {
		if got := m.Code(code); got != want {
			t.Errorf("Code(%q) = %q, want %q", code, got, want)
		}
	}
}

// A background job run through every.Run reports its outcome, duration and times.
func TestJobRuns(t *testing.T) {
	m := observe.NewMetrics()
	ctx := every.WithObserver(context.Background(), m.Job)
	if err := every.Run(ctx, "segment refresh", func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := every.Run(ctx, "segment refresh", func(context.Context) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("Run returned %v, want the job's error", err)
	}
	body := scrape(t, m)
	for _, series := range []string{
		`cdpgraph_job_runs_total{job="segment_refresh",outcome="ok"} 1`,
		`cdpgraph_job_runs_total{job="segment_refresh",outcome="error"} 1`,
		`cdpgraph_job_duration_seconds_count{job="segment_refresh"} 2`,
		`cdpgraph_job_last_run_timestamp_seconds{job="segment_refresh"}`,
		`cdpgraph_job_last_success_timestamp_seconds{job="segment_refresh"}`,
	} {
		if !strings.Contains(body, series) {
			t.Errorf("/metrics lacks %s", series)
		}
	}
}

// A nil *Metrics records nothing and does not fail: --metrics=false.
func TestNilMetrics(t *testing.T) {
	var m *observe.Metrics
	m.HTTPRequest("/graphql", "POST", 200, 0)
	m.Statement("x", 0, nil)
	m.IngestBatch("crm", "orders", 1, 1, 0, 0, 0, 0)
	_, done := m.Job(context.Background(), "j")
	done(nil)
	if got := m.OperationName("Q"); got != observe.Other {
		t.Errorf("OperationName on nil = %q", got)
	}
}

func grep(body, s string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
