package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/ingest"
)

func runImport(ctx context.Context, args []string) error {
	var a app
	fs := newFlags("import", &a.cfg)
	source := fs.String("source", "", "source system the records come from, e.g. crm, pos, web (required)")
	kind := fs.String("kind", "", "customers, orders, events, feedback, social or consents (required)")
	format := fs.String("format", "", "csv or ndjson; by default from the file name")
	batch := fs.Int("batch-size", 2000, "records per write transaction (at most 5000)")
	maxErrors := fs.Int("max-errors", 20, "rejected records to print; all are counted")
	errorsFile := fs.String("errors-file", "", "write every rejected record's error to this NDJSON file")
	score := fs.Bool("score", true, "rescore customers with new activity afterwards (with the last scoring run's parameters)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: cdpgraph import --source SOURCE --kind KIND [flags] FILE... ('-' reads standard input)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *source == "" || *kind == "" || fs.NArg() == 0 {
		fs.Usage()
		return flag.ErrHelp
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
	rejected := 0
	for _, name := range fs.Args() {
		res, err := importFile(ctx, a.ingest, name, ingest.ImportOptions{
			Source: *source, Kind: cdp.RecordKind(*kind), Format: ingest.Format(*format), BatchSize: *batch,
		})
		if res != nil {
			report(os.Stderr, name, res, *maxErrors, errOut)
			rejected += res.Rejected
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if rejected > 0 {
		fmt.Fprintf(os.Stderr, "%d record(s) rejected; the valid records were stored\n", rejected)
	}
	if *score {
		// New activity gets scores with the last scoring run's parameters (none before the first run).
		n, err := a.scorer.ScoreChanged(ctx)
		if err != nil {
			return fmt.Errorf("records stored; rescoring failed (run 'cdpgraph score --incremental' to retry): %w", err)
		}
		if n > 0 {
			fmt.Fprintf(os.Stderr, "rescored %d customers with new activity\n", n)
		}
	}
	return nil
}

// importFile imports one file (or standard input for "-"), with a progress line on a terminal.
func importFile(ctx context.Context, svc *ingest.Service, name string, opts ingest.ImportOptions) (*ingest.Result, error) {
	var r io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	if opts.Format == "" {
		var err error
		if opts.Format, err = ingest.FormatOf(name); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	if isTerminal(os.Stderr) {
		opts.Progress = func(n int) {
			rate := float64(n) / time.Since(start).Seconds()
			fmt.Fprintf(os.Stderr, "\r%-40s %9d records %8.0f/s", truncate(name, 40), n, rate)
		}
		defer fmt.Fprint(os.Stderr, "\r\033[K")
	}
	res, err := svc.Import(ctx, r, opts)
	if res != nil {
		res.Elapsed = time.Since(start)
	}
	return res, err
}

// report prints a batch result: counts, then the first rejected records.
func report(w io.Writer, name string, res *ingest.Result, maxErrors int, all io.Writer) {
	timing := ""
	if res.Elapsed > 0 {
		timing = fmt.Sprintf(" in %.1fs (%.0f records/s)", res.Elapsed.Seconds(), float64(res.Received)/res.Elapsed.Seconds())
	}
	fmt.Fprintf(w, "%s: %s: %d read, %d accepted (%d created, %d updated, %d unchanged, %d duplicates), %d rejected%s\n",
		name, res.Kind, res.Received, res.Accepted, res.Created, res.Updated, res.Unchanged, res.Duplicates, res.Rejected, timing)
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
