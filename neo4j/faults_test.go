package neo4j_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/demo"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/ingest"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

// These tests make Neo4j go away with a TCP proxy (internal/faultproxy) between a second DB
// and the shared test database: Cut is the server gone, Restore the server back.

// bounded is a context for a call that must fail fast: if it expires the call hung.
func bounded(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// unavailable checks that err is the application's "database unavailable" error.
func unavailable(t *testing.T, what string, err error, took time.Duration) {
	t.Helper()
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%s hung until the test's deadline (%s)", what, took)
	}
	if code := cdp.ErrorCode(err); code != cdp.EUNAVAILABLE {
		t.Fatalf("%s while Neo4j is gone: error code %q (%v), want %q", what, code, err, cdp.EUNAVAILABLE)
	}
	t.Logf("%s failed with %q after %s", what, cdp.ErrorMessage(err), took.Round(time.Millisecond))
}

// recovers waits until the DB answers again by itself (it probes at most once a second).
func recovers(t *testing.T, db *neo4j.DB, call func(context.Context) error) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := call(bounded(t))
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the DB did not recover after Neo4j came back: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestFaultCutFailsFastAndRecovers(t *testing.T) {
	neo4jtest.DB(t)
	// Left alone, the driver would retry a call for a minute, beyond the 20s bound of every
	// call below: the DB itself must find Neo4j gone and end the call.
	p, db := neo4jtest.Proxied(t, neo4j.Config{RetryTime: time.Minute})
	store := neo4j.NewIngestStore(db, identity.DefaultRules())
	customers := neo4j.NewCustomerStore(db)
	ann := rec("crm", "1", cdp.Profile{GivenName: "Ann", FamilyName: "Lee"}, email("ann@x.com"))
	if _, err := store.WriteCustomers(bounded(t), []cdp.SourceRecord{ann}); err != nil {
		t.Fatal(err)
	}
	lookup := func(ctx context.Context) error {
		_, err := customers.CustomerIDByIdentifier(ctx, email("ann@x.com"))
		return err
	}
	write := func(ctx context.Context) error {
		_, err := store.WriteCustomers(ctx, []cdp.SourceRecord{rec("crm", "2", cdp.Profile{GivenName: "Bo"}, email("bo@x.com"))})
		return err
	}
	timed := func(call func(context.Context) error) (error, time.Duration) {
		start := time.Now()
		err := call(bounded(t))
		return err, time.Since(start)
	}

	// Gone: the first call finds out (a probe made while it runs), the next fail at once.
	p.Cut()
	err, took := timed(write)
	unavailable(t, "a write (first call after the cut)", err, took)
	if db.Available() {
		t.Fatal("the DB still counts as available after failing to reach Neo4j")
	}
	err, took = timed(lookup)
	unavailable(t, "a read (next call)", err, took)
	err, took = timed(db.Ping)
	if err == nil {
		t.Fatal("Ping succeeded while Neo4j is gone")
	}
	t.Logf("Ping failed after %s: %v", took.Round(time.Millisecond), err)

	// Back: the same DB works again without being reopened.
	p.Restore()
	recovers(t, db, lookup)
	if !db.Available() {
		t.Fatal("the DB answered but does not count as available")
	}
	if err := write(bounded(t)); err != nil {
		t.Fatalf("write after Neo4j came back: %v", err)
	}
	if err := db.Ping(bounded(t)); err != nil {
		t.Fatalf("Ping after Neo4j came back: %v", err)
	}

	// Gone again, this time a read is the first to find out (ExecuteQuery, not a
	// transaction function).
	p.Cut()
	err, took = timed(lookup)
	unavailable(t, "a read (first call after the second cut)", err, took)
	err, took = timed(write)
	unavailable(t, "a write (next call)", err, took)

	// Ping alone brings it back: readiness checks are probes too.
	p.Restore()
	recovers(t, db, db.Ping)
	if !db.Available() {
		t.Fatal("a successful Ping did not end fast failing")
	}
	if err := lookup(bounded(t)); err != nil {
		t.Fatalf("read after Ping saw Neo4j back: %v", err)
	}
}

func TestFaultCypherTimeoutIsATimeout(t *testing.T) {
	neo4jtest.DB(t)
	_, db := neo4jtest.Proxied(t, neo4j.Config{TxTimeout: 300 * time.Millisecond})
	// Counts to a billion: far longer than the timeout.
	const slow = `UNWIND range(1, 1000000000) AS x WITH x WHERE x < 0 RETURN count(x)`
	for name, call := range map[string]func(context.Context) error{
		"read": func(ctx context.Context) error { _, err := db.Read(ctx, slow, nil); return err },
		"write transaction": func(ctx context.Context) error {
			return db.Write(ctx, `UNWIND range(1, 1000000000) AS x WITH x WHERE x < 0 CREATE (:Nothing)`, nil)
		},
	} {
		start := time.Now()
		err := call(bounded(t))
		took := time.Since(start)
		var timeout *neo4j.TimeoutError
		if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &timeout) {
			t.Fatalf("%s over the Cypher timeout: %v (after %s), want a neo4j.TimeoutError matching context.DeadlineExceeded", name, err, took)
		}
		if strings.Contains(err.Error(), "range") {
			t.Errorf("the timeout's message shows the query: %q", err.Error())
		}
		t.Logf("%s timed out after %s: %v", name, took.Round(time.Millisecond), err)
	}
	if !db.Available() {
		t.Fatal("a timeout made the DB count as unreachable")
	}
	// A context can lift the timeout for a batch job; a quick statement is unaffected.
	if _, err := db.Read(neo4j.WithTxTimeout(bounded(t), 0), `RETURN 1`, nil); err != nil {
		t.Fatal(err)
	}
}

// demoFiles writes a small, deterministic company (four sources, every kind, shared
// e-mails and phones so that identity resolution merges records across sources, some
// deliberately invalid records) as NDJSON files, in load order.
func demoFiles(t *testing.T) []string {
	t.Helper()
	ds := demo.Generate(demo.Config{Seed: 7, People: 40, Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	files, err := demo.WriteFiles(ds, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// importAll imports every file as the import command does, stopping at the first failure.
func importAll(ctx context.Context, db *neo4j.DB, files []string) error {
	svc := ingest.NewService(neo4j.NewIngestStore(db, identity.DefaultRules()), ingest.Options{
		DefaultRegion: "CN", Location: time.UTC, DayFirst: true,
		Now: func() time.Time { return time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC) },
	})
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			return err
		}
		source := filepath.Base(filepath.Dir(f))
		kind := cdp.RecordKind(strings.TrimSuffix(filepath.Base(f), ".ndjson"))
		_, err = svc.Import(ctx, r, ingest.ImportOptions{Source: source, Kind: kind, Format: ingest.FormatNDJSON, BatchSize: 40})
		r.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
	}
	return nil
}

// snapshot describes the graph without the ids and times that differ between loads: node
// counts per label, relationship counts per type, every stored record's content hash,
// which records resolve to one customer (and that customer's golden profile), placeholders
// and flagged identifiers.
func snapshot(t *testing.T, db *neo4j.DB) map[string][]string {
	t.Helper()
	queries := map[string]string{
		"labels":        `MATCH (n) WITH labels(n)[0] AS label, count(*) AS n RETURN label + ' ' + toString(n) AS x`,
		"relationships": `MATCH ()-[r]->() WITH type(r) AS type, count(*) AS n RETURN type + ' ' + toString(n) AS x`,
		"hashes": `MATCH (n) WHERE n.hash IS NOT NULL AND n.key IS NOT NULL
RETURN labels(n)[0] + ' ' + n.key + ' ' + n.hash AS x ORDER BY x`,
		"ties": `MATCH (a:SourceRecord)-[t:FOLLOWS|REFERRED|SHARED|MENTIONED]->(b)
RETURN a.key + ' ' + type(t) + ' ' + b.key + ' ' + t.hash AS x ORDER BY x`,
		"customers": `MATCH (r:SourceRecord)-[:RESOLVES_TO]->(c:Customer)
WITH c, r ORDER BY r.key
WITH c, collect(r.key) AS records
RETURN reduce(s = '', k IN records | s + k + ' ') AS x`,
		"placeholders": `MATCH (r:SourceRecord) WHERE r.placeholder RETURN r.key AS x ORDER BY x`,
		"flagged":      `MATCH (i:Identifier) WHERE i.flagged RETURN i.key + ' ' + coalesce(i.flagReason, '') AS x ORDER BY x`,
		"unresolved": `MATCH (r:SourceRecord) WHERE NOT r.placeholder AND NOT (r)-[:RESOLVES_TO]->()
RETURN r.key AS x ORDER BY x`,
		"golden": `MATCH (r:SourceRecord)-[:RESOLVES_TO]->(c:Customer)
WITH c, min(r.key) AS first
RETURN first + ' ' + coalesce(c.fullName, '') + ' ' + coalesce(c.email, '') + ' ' + coalesce(c.phone, '') + ' ' +
  toString(c.recordCount) + ' ' + reduce(s = '', x IN c.sources | s + x + ',') AS x ORDER BY x`,
	}
	out := map[string][]string{}
	for name, q := range queries {
		recs, err := db.Read(context.Background(), q, nil)
		if err != nil {
			t.Fatalf("snapshot %s: %v", name, err)
		}
		for _, r := range recs {
			out[name] = append(out[name], r.Values[0].(string))
		}
		slices.Sort(out[name])
	}
	return out
}

// diff reports how two snapshots differ, briefly.
func diff(want, got map[string][]string) []string {
	var out []string
	for _, name := range []string{"labels", "relationships", "hashes", "ties", "customers", "golden", "placeholders", "flagged", "unresolved"} {
		w, g := want[name], got[name]
		if slices.Equal(w, g) {
			continue
		}
		var missing, extra []string
		for _, x := range w {
			if !slices.Contains(g, x) {
				missing = append(missing, x)
			}
		}
		for _, x := range g {
			if !slices.Contains(w, x) {
				extra = append(extra, x)
			}
		}
		out = append(out, fmt.Sprintf("%s: %d vs %d entries; missing %s; extra %s", name, len(w), len(g), first(missing, 5), first(extra, 5)))
	}
	return out
}

func first(xs []string, n int) string {
	if len(xs) > n {
		return fmt.Sprintf("%q and %d more", xs[:n], len(xs)-n)
	}
	return fmt.Sprintf("%q", xs)
}

// boltCommit is a Bolt COMMIT message as the driver sends it: a 2-byte chunk (an empty
// struct, signature 0x12) and the end-of-message marker.
var boltCommit = []byte{0x00, 0x02, 0xB0, 0x12, 0x00, 0x00}

// writeCommits recognizes, in the driver's traffic, the commit of the k-th ingest write
// transaction (one whose statements read and write content hashes); k <= 0 only counts.
type writeCommits struct {
	inWrite bool
	n, k    int
}

func (w *writeCommits) see(data []byte) bool {
	if bytes.Contains(data, []byte(".hash")) {
		w.inWrite = true
	}
	if bytes.HasSuffix(data, boltCommit) && w.inWrite {
		w.inWrite = false
		w.n++
		return w.n == w.k
	}
	return false
}

func TestFaultInterruptedImportResumesExactly(t *testing.T) {
	files := demoFiles(t)
	shared := neo4jtest.DB(t)
	// A short retry time: each interruption waits it out before the import gives up.
	p, db := neo4jtest.Proxied(t, neo4j.Config{RetryTime: time.Second})
	ctx := context.Background()

	// The uninterrupted run, through the proxy, is the reference.
	start, sent := time.Now(), p.Forwarded()
	count := &writeCommits{}
	p.CutWhen(count.see)
	if err := importAll(ctx, db, files); err != nil {
		t.Fatal(err)
	}
	total, writes := p.Forwarded()-sent, count.n
	want := snapshot(t, shared)
	t.Logf("uninterrupted import: %s, %d bytes to Neo4j in %d write transactions; %s; %d customers",
		time.Since(start).Round(time.Millisecond), total, writes, want["labels"], len(want["customers"]))
	merged := 0
	for _, c := range want["customers"] {
		if strings.Count(c, " ") > 1 { // two or more record keys
			merged++
		}
	}
	if merged == 0 || writes < 10 {
		t.Fatalf("%d customers hold several records, %d write transactions: the data does not exercise resolution and batching", merged, writes)
	}

	type interruption struct {
		name string
		arm  func()
	}
	var cases []interruption
	// Cut after a number of bytes spread over the import; the odd offset lands inside a
	// message, so mostly in the middle of a batch's transaction.
	for _, frac := range []float64{0.03, 0.5, 0.99} {
		n := int64(frac*float64(total)) + 13
		cases = append(cases, interruption{fmt.Sprintf("after_%d_bytes", n), func() { p.CutAfter(n) }})
	}
	// Cut right after a batch's COMMIT reached Neo4j: the batch may be stored while the
	// import hears only that the connection died, the case where a re-run must not take
	// stored-but-unfinished work for done.
	for _, k := range []int{writes / 2, writes} {
		cases = append(cases, interruption{fmt.Sprintf("after_commit_%d_of_%d", k, writes), func() {
			p.CutWhen((&writeCommits{k: k}).see)
		}})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			neo4jtest.DB(t) // empty graph
			p.Restore()
			recovers(t, db, db.Ping)
			c.arm()
			err := importAll(ctx, db, files)
			if err == nil {
				t.Fatal("the import finished although Neo4j went away")
			}
			if code := cdp.ErrorCode(err); code != cdp.EUNAVAILABLE {
				t.Errorf("interrupted import failed with code %q (%v), want %q", code, err, cdp.EUNAVAILABLE)
			}
			partial := snapshot(t, shared)
			t.Logf("interrupted: %v; the graph then held %d of %d records and ties (%s)",
				err, len(partial["hashes"])+len(partial["ties"]), len(want["hashes"])+len(want["ties"]), partial["labels"])

			p.Restore()
			recovers(t, db, db.Ping)
			if err := importAll(ctx, db, files); err != nil {
				t.Fatalf("re-run after the interruption: %v", err)
			}
			if d := diff(want, snapshot(t, shared)); len(d) > 0 {
				t.Fatalf("re-run after the interruption differs from the uninterrupted import:\n%s", strings.Join(d, "\n"))
			}
		})
	}

	// A flap: Neo4j goes away mid-import and comes back before the retry time runs out.
	// The driver retries the interrupted transaction; the import finishes with no error
	// and nothing doubled.
	t.Run("flap", func(t *testing.T) {
		neo4jtest.DB(t)
		p.Restore()
		recovers(t, db, db.Ping)
		cuts := p.Cuts()
		p.CutAfter(total / 2)
		done := make(chan error, 1)
		go func() { done <- importAll(ctx, db, files) }()
		deadline := time.After(60 * time.Second)
	wait:
		for {
			select {
			case err := <-done:
				t.Fatalf("the import ended before the cut: %v", err)
			case <-deadline:
				t.Fatal("the cut never happened")
			case <-time.After(time.Millisecond):
				if p.Cuts() > cuts {
					break wait
				}
			}
		}
		// Back at once: a probe landing in the outage would (rightly) end the import.
		p.Restore()
		if err := <-done; err != nil {
			t.Fatalf("the import did not ride out a short outage: %v", err)
		}
		if d := diff(want, snapshot(t, shared)); len(d) > 0 {
			t.Fatalf("import across a short outage differs from the uninterrupted import:\n%s", strings.Join(d, "\n"))
		}
	})
}
