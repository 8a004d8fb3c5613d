package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/ingest"
)

// rejectedError ends an import whose records were rejected: the valid ones are stored,
// and the exit status is exitRejected so that scripts notice.
type rejectedError struct {
	rejected, allowed int
	stopped, dryRun   bool
}

func (e *rejectedError) Error() string {
	stored := "the valid records were stored"
	if e.dryRun {
		stored = "dry run: nothing was written"
	}
	switch {
	case e.stopped:
		return fmt.Sprintf("import stopped: more than %d record(s) rejected (--max-rejects %d); %s", e.allowed, e.allowed, stored)
	case e.allowed > 0:
		return fmt.Sprintf("%d record(s) rejected, more than --max-rejects %d allows; %s", e.rejected, e.allowed, stored)
	}
	return fmt.Sprintf("%d record(s) rejected; %s (--max-rejects N tolerates N)", e.rejected, stored)
}

func runImport(ctx context.Context, args []string) error {
	var a app
	fs := newFlags("import", &a.cfg)
	source := fs.String("source", "", "source system the records come from, e.g. crm, pos, web (required)")
	kind := fs.String("kind", "", "customers, orders, events, feedback, social or consents (required)")
	format := fs.String("format", "", "csv or ndjson; by default from the file name (.csv, .ndjson, .jsonl)")
	batch := fs.Int("batch-size", 2000, "records per write transaction (at most 5000)")
	showErrors := fs.Int("show-errors", 20, "rejected records to list per file; all are counted (and all go to --errors-file)")
	errorsFile := fs.String("errors-file", "", "write every rejected record's error to this NDJSON file")
	dryRun := fs.Bool("dry-run", false, "validate and report without writing anything to Neo4j (no schema, no records, no scores)")
	strict := fs.Bool("strict", false, "refuse a file with a column or key its kind does not know (by default they are ignored with a warning)")
	maxRejects := fs.Int("max-rejects", -1, "tolerate this many rejected records (exit 0) and stop the import once more are rejected; by default every file is read to its end and any rejected record makes the exit status 3")
	score := fs.Bool("score", true, "rescore customers with new activity afterwards (with the last scoring run's parameters)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := required(fs, "source", "kind"); err != nil {
		return err
	}
	if !slices.Contains(cdp.RecordKinds, cdp.RecordKind(*kind)) {
		return usageErrorf(fs, "--kind %q is not a kind; expected one of %s", *kind, kindNames())
	}
	if err := ingest.CheckSource(*source); err != nil {
		return usageErrorf(fs, "--%s", message(err))
	}
	if fs.NArg() == 0 {
		return usageErrorf(fs, "name the files to import ('-' reads standard input)")
	}
	if *dryRun {
		// Nothing is written, not even the schema.
		a.cfg.SkipMigrate, *score = true, false
	}
	defer a.close()
	if err := a.open(ctx); err != nil {
		return err
	}
	var errOut io.Writer
	if *errorsFile != "" {
		f, err := os.Create(*errorsFile)
		if err != nil {
			return err
		}
		defer f.Close()
		errOut = f
	}
	out := os.Stdout
	total := &ingest.Result{Kind: cdp.RecordKind(*kind), DryRun: *dryRun}
	refused, stopped := 0, false
	for _, name := range fs.Args() {
		opts := ingest.ImportOptions{Source: *source, Kind: cdp.RecordKind(*kind), Format: ingest.Format(*format),
			BatchSize: *batch, DryRun: *dryRun, Strict: *strict}
		if *maxRejects >= 0 {
			// The limit is over the whole command, not per file.
			opts.StopAfterRejects = *maxRejects + 1 - total.Rejected
		}
		res, err := importFile(ctx, a.ingest, name, opts)
		var bad *cdp.Error
		if errors.As(err, &bad) && bad.Code == cdp.EINVALID {
			// The file as a whole is wrong (no header, unknown columns with --strict...): the
			// others may be fine.
			fmt.Fprintf(out, "%s: refused: %s\n", name, message(err))
			if res != nil {
				for _, u := range res.Unknown {
					fmt.Fprintf(out, "  %s\n", unknownWarning(u))
				}
			}
			refused++
			continue
		}
		if res != nil {
			report(out, name, res, *showErrors, errOut)
			total.Add(res, 0)
			total.Elapsed += res.Elapsed
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if res.StoppedAtLine > 0 {
			fmt.Fprintf(out, "%s: stopped after line %d: more than %d record(s) rejected (--max-rejects); the rest was not read\n", name, res.StoppedAtLine, *maxRejects)
			stopped = true
			break
		}
	}
	if len(fs.Args()) > 1 {
		report(out, "total", total, 0, nil)
	}
	if *score && total.Accepted > 0 {
		// New activity gets scores with the last scoring run's parameters (none before the first run).
		n, err := a.scorer.ScoreChanged(ctx)
		if err != nil {
			return fmt.Errorf("records stored; rescoring failed (run 'cdpgraph score --incremental' to retry): %w", err)
		}
		if n > 0 {
			fmt.Fprintf(out, "rescored %d customers with new activity\n", n)
		}
	}
	if refused > 0 {
		return fmt.Errorf("%d file(s) refused", refused)
	}
	if total.Rejected > 0 && (*maxRejects < 0 || total.Rejected > *maxRejects) {
		return &rejectedError{rejected: total.Rejected, allowed: max(*maxRejects, 0), stopped: stopped, dryRun: *dryRun}
	}
	return nil
}

func kindNames() string {
	names := make([]string, len(cdp.RecordKinds))
	for i, k := range cdp.RecordKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// importFile imports one file (or standard input for "-"). On a terminal a progress line
// on standard error shows the share of the file read and the time left; it is cleared
// when the file is done, for the report's summary line to take its place.
func importFile(ctx context.Context, svc *ingest.Service, name string, opts ingest.ImportOptions) (*ingest.Result, error) {
	var r io.Reader = os.Stdin
	var size int64
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			size = st.Size()
		}
		r = f
	}
	if opts.Format == "" {
		var err error
		if opts.Format, err = ingest.FormatOf(name); err != nil {
			return nil, err
		}
	}
	if opts.Strict && opts.Format == ingest.FormatNDJSON {
		if f, ok := r.(*os.File); ok && size > 0 {
			// Refuse the file as a whole before writing any of it: read its keys first.
			unknown, err := ingest.ScanFields(f, opts.Kind, opts.Format)
			if err != nil {
				return nil, err
			}
			if len(unknown) > 0 {
				return &ingest.Result{Kind: opts.Kind, Unknown: unknown}, &cdp.Error{Code: cdp.EINVALID, Field: "file",
					Message: fmt.Sprintf("%d unknown key(s) and --strict; nothing was imported", len(unknown))}
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return nil, err
			}
		}
		// From standard input, --strict rejects each record with an unknown key instead.
	}
	counted := &countingReader{r: r}
	start := time.Now()
	if isTerminal(os.Stderr) {
		p := &progress{name: name, size: size, read: &counted.n, start: start}
		opts.Progress = func(n int) { p.records.Store(int64(n)) }
		stop := p.run(os.Stderr)
		defer stop()
	}
	res, err := svc.Import(ctx, counted, opts)
	if res != nil {
		res.Elapsed = time.Since(start)
	}
	return res, err
}

// countingReader counts the bytes read, for the progress line.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// progress redraws one line on a terminal: records, rate, and from the file's size the
// share read and the time left.
type progress struct {
	name    string
	size    int64
	read    *atomic.Int64
	records atomic.Int64
	start   time.Time
}

// run redraws the line every 200ms until the returned function clears it.
func (p *progress) run(w io.Writer) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-t.C:
				fmt.Fprint(w, "\r\033[K"+p.line(time.Since(p.start)))
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func (p *progress) line(elapsed time.Duration) string {
	n, read := p.records.Load(), p.read.Load()
	s := fmt.Sprintf("%-32s %9d records %8.0f/s", truncate(p.name, 32), n, float64(n)/max(elapsed.Seconds(), 1e-9))
	if p.size > 0 && read > 0 {
		frac := min(float64(read)/float64(p.size), 1)
		left := time.Duration(float64(elapsed) * (1 - frac) / frac).Round(time.Second)
		s += fmt.Sprintf("  %3.0f%%  ETA %s", 100*frac, left)
	}
	return s
}

// report prints a file's result: the summary line, warnings about unknown fields, then the
// first rejected records in line order; all of them to the errors file if there is one.
func report(w io.Writer, name string, res *ingest.Result, maxErrors int, all io.Writer) {
	timing := ""
	if res.Elapsed > 0 {
		timing = fmt.Sprintf(" in %.1fs (%.0f records/s)", res.Elapsed.Seconds(), float64(res.Received)/res.Elapsed.Seconds())
	}
	if res.DryRun {
		fmt.Fprintf(w, "%s: %s (dry run, nothing written): %d read, %d valid (%d duplicates), %d rejected%s\n",
			name, res.Kind, res.Received, res.Accepted, res.Duplicates, res.Rejected, timing)
	} else {
		fmt.Fprintf(w, "%s: %s: %d read, %d accepted (%d created, %d updated, %d unchanged, %d duplicates), %d rejected%s\n",
			name, res.Kind, res.Received, res.Accepted, res.Created, res.Updated, res.Unchanged, res.Duplicates, res.Rejected, timing)
	}
	for _, u := range res.Unknown {
		fmt.Fprintf(w, "  warning: %s\n", unknownWarning(u))
	}
	for i, e := range res.Errors {
		if i == maxErrors {
			fmt.Fprintf(w, "  ... and %d more rejected\n", len(res.Errors)-maxErrors)
			break
		}
		id := ""
		if e.SourceID != "" {
			id = " (" + e.SourceID + ")"
		}
		where := fmt.Sprintf("record %d", e.Index)
		if e.Line > 0 {
			where = fmt.Sprintf("line %d", e.Line)
		}
		fmt.Fprintf(w, "  %s%s: %s: %s\n", where, id, e.Field, e.Message)
	}
	if all != nil {
		enc := json.NewEncoder(all)
		for _, e := range res.Errors {
			enc.Encode(map[string]any{"file": name, "line": e.Line, "record": e.Index, "source_id": e.SourceID, "field": e.Field, "message": e.Message})
		}
	}
}

// unknownWarning says which field was ignored, where, and what it most likely meant.
func unknownWarning(u ingest.UnknownField) string {
	var s string
	if u.Records == 0 {
		s = fmt.Sprintf("unknown column %q: its values were ignored", u.Name)
	} else {
		s = fmt.Sprintf("unknown key %q in %d record(s) from line %d: its values were ignored", u.Name, u.Records, u.FirstLine)
	}
	if u.Suggestion != "" {
		s += fmt.Sprintf("; did you mean %q?", u.Suggestion)
	}
	return s + " (docs/import.md lists the fields; --strict refuses such files)"
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n+3:]
}
