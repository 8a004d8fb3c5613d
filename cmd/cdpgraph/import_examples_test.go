package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

const examplesDir = "../../examples/import"

// exampleFiles are the sample files of examples/import with what importing them must
// report: accepted and rejected counts and, per rejected line, the field and part of
// the message. docs/import.md shows the same errors.
var exampleFiles = []struct {
	kind, file         string
	accepted, rejected int
	errors             map[string]string // "line field" -> part of the message
	warning            string            // part of an unknown-field warning, if any
}{
	{"customers", "customers.csv", 3, 4, map[string]string{
		"4 email":      "domain has no dot",
		"5 birth_date": "1990-02 has 28 days",
		"6 source_id":  "is required",
		"8 phone":      "not a valid phone number for region IN",
	}, ""},
	{"customers", "customers.ndjson", 3, 3, map[string]string{
		"3 identifiers[0].type": `unknown identifier type "fax"`,
		"4 social_handle":       `must be "platform:handle"`,
		"6 birth_date":          "date is in the future",
	}, ""},
	{"orders", "orders.csv", 4, 3, map[string]string{
		"5 items[0].quantity":   `"two" is not a whole number`,
		"6 items[0].unit_price": `"299.999" has 3 decimal places; CNY allows 2`,
		"9 currency":            `unknown currency code "EURO"`,
	}, ""},
	{"orders", "orders.ndjson", 3, 3, map[string]string{
		"3 items":               "an order needs at least one item",
		"4 status":              `"shipped" is not one of completed, pending`,
		"5 items[0].unit_price": "must not be negative",
	}, ""},
	{"events", "events.csv", 4, 3, map[string]string{
		"5 type":        `"purchase" is not one of view, search`,
		"6 occurred_at": "is required",
		"8 occurred_at": "not a recognized timestamp",
	}, ""},
	{"events", "events.ndjson", 4, 2, map[string]string{
		"5 customer_source_id": "is required",
		"6 occurred_at":        "month out of range",
	}, `unknown key "sesion_id" in 1 record(s) from line 3: its values were ignored; did you mean "session_id"?`},
}

// The sample files import as docs/import.md says: each file's good records are stored,
// each bad one is reported by line and field, the exit status is 3, and the report (on
// standard output) lists the errors in line order after the file's summary line.
func TestImportExamples(t *testing.T) {
	db := neo4jtest.DB(t)
	t.Setenv("NEO4J_URI", neo4jtest.URI())
	ctx := context.Background()
	dir := t.TempDir()
	for _, f := range exampleFiles {
		errorsFile := filepath.Join(dir, f.file+".errors")
		var err error
		out := captureStdout(t, func() {
			err = runImport(ctx, []string{"--source", "shop", "--kind", f.kind, "--score=false", "--errors-file", errorsFile, filepath.Join(examplesDir, f.file)})
		})
		if exitCode(err) != exitRejected {
			t.Errorf("%s: %v, want exit status 3", f.file, err)
		}
		summary := fmt.Sprintf("%s: %s: %d read, %d accepted", filepath.Join(examplesDir, f.file), f.kind, f.accepted+f.rejected, f.accepted)
		if !strings.HasPrefix(out, summary) || !strings.Contains(out, fmt.Sprintf("), %d rejected", f.rejected)) {
			t.Errorf("%s: report\n%s\nwant it to start %q and count %d rejected", f.file, out, summary, f.rejected)
		}
		if (f.warning == "") != !strings.Contains(out, "warning:") || !strings.Contains(out, f.warning) {
			t.Errorf("%s: report\n%s\nwant the warning %q and no other", f.file, out, f.warning)
		}
		got := readErrors(t, errorsFile)
		if len(got) != len(f.errors) {
			t.Errorf("%s: errors %v, want %v", f.file, got, f.errors)
		}
		for k, part := range f.errors {
			if !strings.Contains(got[f.file+":"+k], part) {
				t.Errorf("%s line %s: got %q, want it to contain %q", f.file, k, got[f.file+":"+k], part)
			}
		}
		var lines []int
		for _, l := range strings.Split(out, "\n") {
			var n int
			if _, err := fmt.Sscanf(strings.TrimSpace(l), "line %d", &n); err == nil {
				lines = append(lines, n)
			}
		}
		if !slices.IsSorted(lines) || len(lines) != f.rejected {
			t.Errorf("%s: error lines %v, want %d in line order", f.file, lines, f.rejected)
		}
	}
	customers, _ := db.CountNodes(ctx, "SourceRecord")
	orders, _ := db.CountNodes(ctx, "Order")
	events, _ := db.CountNodes(ctx, "Event")
	// Orders and events of customers whose record was rejected land on placeholder records
	// (C1003, C1007...), which count as source records too.
	if orders != 7 || events != 8 || customers < 6 {
		t.Errorf("stored %d source records, %d orders, %d events; want at least 6, 7 and 8", customers, orders, events)
	}
}

// graphState is every node's labels and properties and every relationship, hashed, with
// the schema's names: what a dry run must leave as it was.
func graphState(t *testing.T, db *neo4j.DB) string {
	t.Helper()
	ctx := context.Background()
	names, err := db.SchemaNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	props, err := db.AllProperties(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(props)
	h := sha256.Sum256([]byte(strings.Join(props, "\n")))
	return fmt.Sprintf("%d nodes and relationships, digest %x, schema %v", len(props), h[:8], names)
}

// --dry-run validates and reports as an import does, and writes nothing to Neo4j: no
// records (not even updates of stored ones), no scores. (It skips the migration too,
// which TestSkipMigrateAppliesNoSchema shows sends no statement.)
func TestImportDryRunWritesNothing(t *testing.T) {
	db := neo4jtest.DB(t)
	t.Setenv("NEO4J_URI", neo4jtest.URI())
	ctx := context.Background()
	// A stored customer that the dry run's file would change.
	dir := t.TempDir()
	before := filepath.Join(dir, "before.csv")
	if err := os.WriteFile(before, []byte("source_id,given_name,email\nC1001,Old,old@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := runImport(ctx, []string{"--source", "shop", "--kind", "customers", before}); err != nil {
		t.Fatal(err)
	}
	state := graphState(t, db)
	for _, f := range exampleFiles {
		var err error
		out := captureStdout(t, func() {
			err = runImport(ctx, []string{"--source", "shop", "--kind", f.kind, "--dry-run", filepath.Join(examplesDir, f.file)})
		})
		if exitCode(err) != exitRejected || !strings.Contains(err.Error(), "dry run: nothing was written") {
			t.Errorf("%s: %v, want exit status 3 saying nothing was written", f.file, err)
		}
		if want := fmt.Sprintf("(dry run, nothing written): %d read, %d valid", f.accepted+f.rejected, f.accepted); !strings.Contains(out, want) {
			t.Errorf("%s: report %q, want %q", f.file, out, want)
		}
	}
	if after := graphState(t, db); after != state {
		t.Fatalf("the dry run changed the graph:\nbefore %s\nafter  %s", state, after)
	}
}

// --strict refuses a file with an unknown field before writing any of it; --max-rejects
// tolerates that many rejected records and stops the import past them.
func TestImportStrictAndMaxRejects(t *testing.T) {
	db := neo4jtest.DB(t)
	t.Setenv("NEO4J_URI", neo4jtest.URI())
	ctx := context.Background()
	events := filepath.Join(examplesDir, "events.ndjson")
	var err error
	out := captureStdout(t, func() {
		err = runImport(ctx, []string{"--source", "shop", "--kind", "events", "--strict", events})
	})
	if exitCode(err) != exitFailed || !strings.Contains(out, "refused: file: 1 unknown key(s) and --strict; nothing was imported") ||
		!strings.Contains(out, `unknown key "sesion_id"`) {
		t.Errorf("strict NDJSON: %v, report %q", err, out)
	}
	if n, _ := db.CountNodes(ctx, "Event"); n != 0 {
		t.Errorf("strict stored %d events of a refused file", n)
	}
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo.csv")
	if err := os.WriteFile(typo, []byte("source_id,given_name,emial\nC1,Ann,ann@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out = captureStdout(t, func() {
		err = runImport(ctx, []string{"--source", "shop", "--kind", "customers", "--strict", typo})
	})
	if exitCode(err) != exitFailed || !strings.Contains(out, `did you mean "email"?`) {
		t.Errorf("strict CSV: %v, report %q", err, out)
	}
	out = captureStdout(t, func() {
		err = runImport(ctx, []string{"--source", "shop", "--kind", "customers", typo})
	})
	if err != nil || !strings.Contains(out, `warning: unknown column "emial": its values were ignored; did you mean "email"?`) {
		t.Errorf("CSV with a misspelt column: %v, report %q", err, out)
	}

	customers := filepath.Join(examplesDir, "customers.csv") // 4 of 7 rejected
	if err := runImport(ctx, []string{"--source", "shop", "--kind", "customers", "--max-rejects", "4", customers}); err != nil {
		t.Errorf("--max-rejects 4 with 4 rejected: %v, want exit 0", err)
	}
	neo4jtest.DB(t)
	out = captureStdout(t, func() {
		err = runImport(ctx, []string{"--source", "shop", "--kind", "customers", "--max-rejects", "1", "--batch-size", "1", customers})
	})
	if exitCode(err) != exitRejected || !strings.Contains(out, "stopped after line 5: more than 1 record(s) rejected") {
		t.Errorf("--max-rejects 1: %v, report %q", err, out)
	}
	if n, _ := db.CountNodes(ctx, "SourceRecord"); n != 2 {
		t.Errorf("%d records stored, want the 2 good ones before the stop (lines 2 and 3)", n)
	}
}

// The progress line shows the share of the file read and the time left.
func TestProgressLine(t *testing.T) {
	var read atomic.Int64
	read.Store(250)
	p := &progress{name: "orders.csv", size: 1000, read: &read}
	p.records.Store(5000)
	line := p.line(10 * time.Second)
	for _, want := range []string{"orders.csv", "5000 records", "500/s", " 25%", "ETA 30s"} {
		if !strings.Contains(line, want) {
			t.Errorf("progress %q lacks %q", line, want)
		}
	}
	p.size = 0 // standard input: no share, no ETA
	if line := p.line(time.Second); strings.Contains(line, "%") || strings.Contains(line, "ETA") {
		t.Errorf("progress of a stream %q", line)
	}
}
