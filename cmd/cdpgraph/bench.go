package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
	"github.com/cdpgraph/cdpgraph/bench/compare"
	"github.com/cdpgraph/cdpgraph/demo"
	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/ingest"
	"github.com/cdpgraph/cdpgraph/loaders"
	"github.com/cdpgraph/cdpgraph/neo4j"
	"github.com/cdpgraph/cdpgraph/resolvers"
)

// The 360 query the latency figures are measured on: everything a customer page shows.
const bench360 = `query($id: ID!) { customer(id: $id) {
  id customerId sources
  profile { fullName givenName familyName email phone birthDate city country }
  provenance { field source sourceId }
  identifiers { type value }
  sourceRecords { source sourceId placeholder identifiers { type value } }
  orders(first: 10) { totalCount nodes { orderedAt status total { amount currency } items { quantity unitPrice { amount } product { sku name category } } } }
  events(first: 20) { totalCount nodes { type occurredAt sku } }
  feedback(first: 10) { totalCount nodes { kind rating text createdAt } }
  socialTies { type direction customer { customerId profile { fullName } } }
  consents { purpose granted occurredAt }
} }`

const benchPage = `{ customers(first: 50) { totalCount nodes {
  customerId profile { fullName email } identifiers { type value }
  orders(first: 5) { totalCount nodes { total { amount currency } } }
  events(first: 5) { totalCount } feedback(first: 5) { totalCount }
  socialTies { type } consents { purpose granted }
} } }`

// runBench loads the demo company into an empty database and measures import throughput
// and query latency; `make bench` runs it on a throw-away embedded Neo4j.
func runBench(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "scoring" {
		return runBenchScore(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "segments" {
		return runBenchSegments(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "influence" {
		return runBenchInfluence(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "compare" {
		// The read path side by side with @neo4j/graphql and the raw driver; only reads.
		return compare.Main(ctx, args[1:])
	}
	var a app
	fs := newFlags("bench", &a.cfg)
	reset := fs.Bool("reset", false, "delete ALL data in the database first (required unless it is empty)")
	people := fs.Int("people", 10000, "people in the demo company")
	queries := fs.Int("queries", 300, "360 queries to time")
	dir := fs.String("dir", filepath.Join(os.TempDir(), "cdpgraph-bench"), "where to write the generated files")
	fs.DurationVar(&a.cfg.LoaderWait, "loader-wait", 0, "longest loaders gather keys; 0 is the default")
	latencyOnly := fs.Bool("latency-only", false, "skip the import; time queries on the data already loaded")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	defer a.close()
	if err := a.open(ctx); err != nil {
		return err
	}
	host, _ := os.Hostname()
	fmt.Printf("## Benchmark run %s\n\nMachine: %s, %d CPUs (%s/%s), Go %s. Neo4j: %s. Demo company: %d people.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), host, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), a.cfg.Neo4jURI, *people)
	if !*latencyOnly {
		if err := benchImport(ctx, &a, *reset, *people, *dir); err != nil {
			return err
		}
	}
	return benchLatency(ctx, &a, *queries)
}

// benchImport loads the demo company twice (the second pass is a replay) and prints throughput.
func benchImport(ctx context.Context, a *app, reset bool, people int, dir string) error {
	if err := a.emptyDatabase(ctx, "bench", reset); err != nil {
		return err
	}
	ds := demo.Generate(demo.Config{Seed: 42, People: people})
	files, err := demo.WriteFiles(ds, dir)
	if err != nil {
		return err
	}

	fmt.Printf("### Import (cdpgraph import path, batches of 2000)\n\n| kind | records | first load s | records/s | replay s | replay records/s |\n|---|---:|---:|---:|---:|---:|\n")
	first, replay := map[cdp.RecordKind]*ingest.Result{}, map[cdp.RecordKind]*ingest.Result{}
	for _, pass := range []map[cdp.RecordKind]*ingest.Result{first, replay} {
		for _, f := range files {
			source, kind, ok := demoFileKind(dir, f)
			if !ok {
				continue
			}
			start := time.Now()
			fh, err := os.Open(f)
			if err != nil {
				return err
			}
			res, err := a.ingest.Import(ctx, fh, ingest.ImportOptions{Source: source, Kind: kind, Format: ingest.FormatNDJSON, BatchSize: 2000})
			fh.Close()
			if err != nil {
				return err
			}
			res.Elapsed = time.Since(start)
			if pass[kind] == nil {
				pass[kind] = &ingest.Result{Kind: kind}
			}
			pass[kind].Add(res, 0)
			pass[kind].Elapsed += res.Elapsed
		}
	}
	var total, totalReplay ingest.Result
	for _, k := range cdp.RecordKinds {
		f, r := first[k], replay[k]
		if f == nil {
			continue
		}
		fmt.Printf("| %s | %d | %.1f | %.0f | %.1f | %.0f |\n", k, f.Received, f.Elapsed.Seconds(), rate(f), r.Elapsed.Seconds(), rate(r))
		total.Add(f, 0)
		total.Elapsed += f.Elapsed
		totalReplay.Add(r, 0)
		totalReplay.Elapsed += r.Elapsed
	}
	fmt.Printf("| **all** | %d | %.1f | **%.0f** | %.1f | %.0f |\n\n", total.Received, total.Elapsed.Seconds(), rate(&total), totalReplay.Elapsed.Seconds(), rate(&totalReplay))
	customers, _ := a.db.CountNodes(ctx, "Customer")
	fmt.Printf("%d records (%d rejected on purpose) resolved to %d customers. The replay wrote nothing (%d unchanged).\n\n",
		total.Received, total.Rejected, customers, totalReplay.Unchanged)
	return nil
}

// benchLatency times the 360 query on random customers and a 50-customer page.
func benchLatency(ctx context.Context, a *app, queries int) error {
	// Query latency through the real HTTP handler, sequential requests on a warm database.
	store := neo4j.NewCustomerStore(a.db)
	r := &resolvers.Resolver{CustomerReader: store, Identity: a.identity, Ingest: a.ingest}
	wait := cmp.Or(a.cfg.LoaderWait, loaders.DefaultWait)
	opts := cdphttp.Options{MaxBodyBytes: 1 << 20, LoaderWait: wait, GraphQL: cdphttp.GraphQLOptions{ComplexityLimit: 100000, TokenLimit: 15000, QueryCacheSize: 100}}
	access, keys, err := a.access()
	if err != nil {
		return err
	}
	opts.Access = access
	// Measured as an admin, whose reads are not masked and not audited per read.
	key, _, err := keys.Create(ctx, auth.KeySpec{Name: "bench", Role: cdp.RoleAdmin}, "bench")
	if err != nil {
		return err
	}
	srv := httptest.NewServer(cdphttp.NewHandler(r, a.db, opts, a.log))
	defer srv.Close()
	var ids []string
	for after := ""; ; {
		p, err := store.FindCustomers(ctx, cdp.CustomerFilter{}, cdp.CustomerOrder{Field: cdp.CustomerOrderCreatedAt}, cdp.PageArgs{First: 100, After: after})
		if err != nil {
			return err
		}
		for _, c := range p.Items {
			ids = append(ids, c.ID)
		}
		if !p.HasNextPage {
			break
		}
		after = p.Cursors[len(p.Cursors)-1]
	}
	rng := rand.New(rand.NewPCG(1, 2))
	warm := min(50, queries)
	var lat []time.Duration
	queriesBefore := a.db.QueryCount()
	for i := 0; i < queries+warm; i++ {
		id := ids[rng.IntN(len(ids))]
		d, err := timeQuery(srv.URL, key, bench360, map[string]any{"id": id})
		if err != nil {
			return err
		}
		if i >= warm {
			lat = append(lat, d)
		}
	}
	perQuery := float64(a.db.QueryCount()-queriesBefore) / float64(queries+warm)
	var pageLat []time.Duration
	pageBefore := a.db.QueryCount()
	for i := 0; i < 30; i++ {
		d, err := timeQuery(srv.URL, key, benchPage, nil)
		if err != nil {
			return err
		}
		if i >= 5 {
			pageLat = append(pageLat, d)
		}
	}
	fmt.Printf("### Query latency (HTTP, sequential, loader wait at most %s)\n\n| query | n | p50 ms | p90 ms | p99 ms | Cypher round trips |\n|---|---:|---:|---:|---:|---:|\n", wait)
	fmt.Printf("| customer 360, random customer | %d | %.1f | %.1f | %.1f | %.1f |\n", len(lat), ms(pct(lat, 50)), ms(pct(lat, 90)), ms(pct(lat, 99)), perQuery)
	fmt.Printf("| customers(first: 50) with 360 fields | %d | %.1f | %.1f | %.1f | %.1f |\n\n", len(pageLat), ms(pct(pageLat, 50)), ms(pct(pageLat, 90)), ms(pct(pageLat, 99)),
		float64(a.db.QueryCount()-pageBefore)/30)
	return nil
}

func timeQuery(url, key, query string, vars map[string]any) (time.Duration, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	start := time.Now()
	req, _ := http.NewRequest("POST", url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	d := time.Since(start)
	var out struct{ Errors []any }
	if json.Unmarshal(b, &out); res.StatusCode != 200 || len(out.Errors) > 0 {
		return 0, fmt.Errorf("query failed: %d %s", res.StatusCode, b)
	}
	return d, nil
}

func rate(r *ingest.Result) float64 { return float64(r.Received) / max(r.Elapsed.Seconds(), 1e-9) }

func pct(xs []time.Duration, p int) time.Duration {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(len(s)-1, (len(s)*p+99)/100-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
