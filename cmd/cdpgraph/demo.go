package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/auth"
	"github.com/cdpgraph/cdpgraph/demo"
	"github.com/cdpgraph/cdpgraph/ingest"
	"github.com/cdpgraph/cdpgraph/segment"
)

func runDemo(ctx context.Context, args []string) error {
	var a app
	fs := newFlags("demo", &a.cfg)
	ifEmpty := fs.Bool("if-empty", false, "load only into an empty graph; resume a demo load that was interrupted")
	reset := fs.Bool("reset", false, "delete ALL data in the database first")
	people := fs.Int("people", 10000, "people in the demo company")
	seed := fs.Uint64("seed", 42, "random seed; the same seed gives the same company")
	dir := fs.String("dir", filepath.Join("data", "demo"), "where to write the generated files and truth.json")
	kinds := fs.String("kinds", "", "load only these kinds, comma separated (e.g. customers); all by default")
	keysFile := fs.String("keys-file", filepath.Join("data", "demo-keys.env"), "where to write the demo's API keys (one per role); empty writes none")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	defer a.close()
	if err := a.open(ctx); err != nil {
		return err
	}
	if *reset {
		if err := a.db.DeleteAllData(ctx); err != nil {
			return err
		}
	} else if *ifEmpty {
		done, err := a.db.Loaded(ctx, "demo")
		if err != nil {
			return err
		}
		started, err := a.db.Loaded(ctx, "demo-started")
		if err != nil {
			return err
		}
		n, err := a.db.CountNodes(ctx, "SourceRecord")
		if err != nil {
			return err
		}
		switch {
		case done:
			fmt.Fprintln(os.Stderr, "demo: already loaded (make demo reloads it from scratch)")
			return nil
		case n > 0 && !started:
			fmt.Fprintf(os.Stderr, "demo: the graph holds %d records that are not the demo's; not loading it on top\n", n)
			return nil
		case n > 0:
			// An earlier load was interrupted; imports are idempotent, so loading again completes it.
			fmt.Fprintln(os.Stderr, "demo: resuming an interrupted demo load")
		}
	}
	start := time.Now()
	ds := demo.Generate(demo.Config{Seed: *seed, People: *people})
	files, err := demo.WriteFiles(ds, *dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "demo: generated %d files in %s (%.1fs); ground truth in %s\n",
		len(files), *dir, time.Since(start).Seconds(), filepath.Join(*dir, "truth.json"))
	if err := a.db.MarkLoaded(ctx, "demo-started", nil); err != nil {
		return err
	}
	total := &ingest.Result{}
	for _, f := range files {
		source, kind, ok := demoFileKind(*dir, f)
		if !ok || (*kinds != "" && !slices.Contains(strings.Split(*kinds, ","), string(kind))) {
			continue
		}
		res, err := importFile(ctx, a.ingest, f, ingest.ImportOptions{Source: source, Kind: kind, BatchSize: 2000})
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		report(os.Stderr, f, res, 3, nil)
		total.Add(res, 0)
	}
	// Records that share no identifier are linked by the matcher in a full resolve.
	resolveStart := time.Now()
	stats, err := a.identity.Recompute(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "demo: resolve linked %d pairs probabilistically, %d pairs wait for review (%.1fs)\n",
		stats.Matches, stats.Review, time.Since(resolveStart).Seconds())
	// The demo's history ends on demo.DefaultEnd: score as of that day, not today.
	asOf, err := a.scorer.AsOf(demo.DefaultEnd.Format(time.DateOnly))
	if err != nil {
		return err
	}
	model, runStats, err := a.scorer.Run(ctx, asOf)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "demo: scored %d customers as of %s (churn model test AUC %.3f) in %.1fs\n",
		runStats.Customers, asOf.Format(time.DateOnly), model.Churn.AUC, (runStats.ReadTime + runStats.FitTime + runStats.WriteTime).Seconds())
	rep, err := a.social.Run(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "demo: influence of %d customers over %d ties, %d communities (modularity %.3f) in %.1fs\n",
		rep.Customers, rep.Ties, rep.Communities, rep.Modularity, (rep.ReadTime + rep.ComputeTime + rep.WriteTime).Seconds())
	derivedStart := time.Now()
	if err := a.segments.RefreshDerived(ctx); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "demo: hops to detractors computed in %.1fs\n", time.Since(derivedStart).Seconds())
	// Two saved segments so the tour has something to open, under ids that are the same on
	// every load (the README names them); a resumed load refreshes them.
	for _, ex := range []struct{ id, name, def string }{
		{demoSegmentHighValueAtRisk, "High-value at risk", `{"and":[{"rfmSegments":["Champions","Loyal","Can't Lose Them"]},{"churnBands":["high","critical"]}]}`},
		{demoSegmentNearDetractor, "Close to a detractor", `{"nearDetractor":{"hops":1}}`},
	} {
		var d segment.Definition
		if err := json.Unmarshal([]byte(ex.def), &d); err != nil {
			return err
		}
		existing, err := a.segments.Store.SegmentsByIDs(ctx, []string{ex.id})
		if err != nil {
			return err
		}
		var seg *cdp.Segment
		if existing[ex.id] != nil {
			seg, err = a.segments.Refresh(ctx, ex.id)
		} else {
			seg, err = a.segments.CreateWithID(ctx, ex.id, ex.name, "example from the demo load", d)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "demo: segment %q (%s) has %d members\n", seg.Name, seg.ID, seg.MemberCount)
	}
	if *keysFile != "" {
		if err := a.demoKeys(ctx, *keysFile); err != nil {
			return err
		}
	}
	if err := a.db.MarkLoaded(ctx, "demo", map[string]any{"seed": int64(*seed), "people": int64(*people)}); err != nil {
		return err
	}
	customers, _ := a.db.CountNodes(ctx, "Customer")
	elapsed := time.Since(start)
	fmt.Fprintf(os.Stderr, "demo: loaded %d records (%d rejected on purpose: the demo includes bad data) into %d customers in %.1fs (%.0f records/s)\n",
		total.Received, total.Rejected, customers, elapsed.Seconds(), float64(total.Received)/elapsed.Seconds())
	return nil
}

// The ids of the demo's example segments.
const (
	demoSegmentHighValueAtRisk = "seg_de0000000000a001"
	demoSegmentNearDetractor   = "seg_de0000000000a002"
)

// demoFileKind reads the source and kind from a demo file path: DIR/SOURCE/KIND.ndjson.
func demoFileKind(dir, path string) (string, cdp.RecordKind, bool) {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return "", "", false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if len(parts) != 2 || !strings.HasSuffix(parts[1], ".ndjson") {
		return "", "", false
	}
	return parts[0], cdp.RecordKind(strings.TrimSuffix(parts[1], ".ndjson")), true
}

// demoKeys creates one API key per role for the demo and writes them as shell variables.
// The partner key needs the "acme" contract (config/partners.example.json); without it the
// file has no partner key.
func (a *app) demoKeys(ctx context.Context, path string) error {
	keys, err := a.keys()
	if err != nil {
		return err
	}
	specs := []struct {
		env  string
		spec auth.KeySpec
	}{
		{"CDP_ADMIN_KEY", auth.KeySpec{Name: "demo admin", Role: cdp.RoleAdmin}},
		{"CDP_ANALYST_KEY", auth.KeySpec{Name: "demo analyst", Role: cdp.RoleAnalyst}},
		{"CDP_FRONTEND_KEY", auth.KeySpec{Name: "demo web shop", Role: cdp.RoleFrontend, Sources: []string{"web"}}},
		{"CDP_PARTNER_KEY", auth.KeySpec{Name: "demo partner acme", Role: cdp.RolePartner, Partner: "acme"}},
	}
	var b strings.Builder
	b.WriteString("# API keys of the demo, one per role (cdpgraph demo writes this file; keep it private).\n")
	for _, s := range specs {
		if s.spec.Role == cdp.RolePartner && !keys.Partners.Known("acme") {
			continue
		}
		secret, key, err := keys.Create(ctx, s.spec, "cli:demo")
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s=%s # %s\n", s.env, secret, key.ID)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "demo: API keys for each role written to %s\n", path)
	return nil
}
