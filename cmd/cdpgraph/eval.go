package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/demo"
	"github.com/cdpgraph/cdpgraph/identity/match"
	"github.com/cdpgraph/cdpgraph/ingest"
	"github.com/cdpgraph/cdpgraph/neo4j"
	"github.com/cdpgraph/cdpgraph/normalize"
)

// runEval measures the platform against labelled data. `eval identity` loads a labelled
// data set into an empty database through the normal ingest path and prints pairwise
// precision, recall and F1 of the customers it resolves to, F1 on the last line.
func runEval(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "identity" {
		return runEvalIdentity(ctx, args)
	}
	if len(args) > 0 && args[0] == "clv" {
		return runEvalCLV(ctx, args)
	}
	if len(args) > 0 && args[0] == "sentiment" {
		return runEvalSentiment(ctx, args)
	}
	return groupHelp("eval", args)
}

func runEvalIdentity(ctx context.Context, args []string) error {
	var a app
	fs := newFlags("eval identity", &a.cfg)
	format := fs.String("format", "febrl", "febrl: Febrl CSV files (one source per file); ndjson: customer NDJSON files as 'import' reads them, one source per file named after it, each record labelled with \"true_person\"; demo: a directory written by 'cdpgraph demo' (truth.json + NDJSON)")
	reset := fs.Bool("reset", false, "delete ALL data in the database first (required unless it is empty)")
	showErrors := fs.Int("errors", 0, "print this many wrongly split and wrongly merged pairs, to see what the rules miss")
	review := fs.Int("review", 0, "settle this many review-queue pairs by the truth, as an analyst would, then resolve again: the refit uses them as labelled pairs, and what they changed is printed")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErrorf(fs, "name the labelled files (or, with --format demo, the directory)")
	}
	defer a.close()
	if err := a.open(ctx); err != nil {
		return err
	}
	if err := a.emptyDatabase(ctx, "eval", *reset); err != nil {
		return err
	}
	start := time.Now()
	var truth map[string]string
	var groups map[string]string // demo only: record -> evidence group of its person
	var err error
	switch *format {
	case "febrl":
		truth, err = loadFebrl(ctx, a.ingest, fs.Args())
	case "ndjson":
		truth, err = loadLabelledNDJSON(ctx, a.ingest, fs.Args())
	case "demo":
		truth, groups, err = loadDemo(ctx, a.ingest, fs.Arg(0))
	default:
		return fmt.Errorf("eval identity: unknown format %q", *format)
	}
	if err != nil {
		return err
	}
	stats, err := a.identity.Recompute(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "resolve: %d probabilistic matches, %d pairs for review\n", stats.Matches, stats.Review)
	pred, err := predictedCustomers(ctx, &a, truth)
	if err != nil {
		return err
	}
	if *review > 0 {
		if pred, err = reviewByTruth(ctx, &a, truth, pred, *review); err != nil {
			return err
		}
	}
	if *showErrors > 0 {
		if err := printErrors(ctx, &a, pred, truth, *showErrors); err != nil {
			return err
		}
	}
	p, r, f1, counts := match.Evaluate(pred, truth)
	fmt.Printf("records: %d, true pairs: %d, predicted pairs: %d, time: %.1fs\n", len(truth), counts.TP+counts.FN, counts.TP+counts.FP, time.Since(start).Seconds())
	if groups != nil {
		l := evaluateLinkable(pred, truth, groups)
		fmt.Printf("linkable pairs: %d of %d (the records carry evidence of them; see docs/identity.md)\n", l.linkable, counts.TP+counts.FN)
		fmt.Printf("against linkable pairs: precision %.4f, recall %.4f, F1 %.4f (%d found, %d missed, %d wrong merges; %d unlinkable true pairs merged anyway, not counted)\n",
			l.precision, l.recall, l.f1, l.tp, l.fn, l.fp, l.unlinkableMerged)
		fmt.Println("against all true pairs:")
	}
	fmt.Printf("precision: %.4f\nrecall: %.4f\nF1: %.4f\n", p, r, f1)
	return nil
}

// predictedCustomers is each labelled record's customer. Only records the truth labels
// count; records rejected by validation count as unresolved singletons, so they lower
// recall rather than vanish.
func predictedCustomers(ctx context.Context, a *app, truth map[string]string) (map[string]string, error) {
	predicted, err := a.identityStore.RecordCustomers(ctx)
	if err != nil {
		return nil, err
	}
	pred := map[string]string{}
	for k := range truth {
		if c, ok := predicted[k]; ok {
			pred[k] = c
		} else {
			pred[k] = "unresolved:" + k
		}
	}
	return pred, nil
}

// reviewByTruth plays the analyst: it settles up to n review-queue pairs (most probable
// first) as the truth says, through the same service call the console uses, then resolves
// again so that the refit uses the decisions as labelled pairs. It prints the scores after
// the first resolve, after the decisions alone, and what the labels changed in the model;
// the caller prints the scores after the refit.
func reviewByTruth(ctx context.Context, a *app, truth, pred map[string]string, n int) (map[string]string, error) {
	p, r, f1, _ := match.Evaluate(pred, truth)
	fmt.Printf("first resolve: precision %.4f recall %.4f F1 %.4f\n", p, r, f1)
	var pairs []*cdp.ReviewPair
	after := ""
	for len(pairs) < n {
		page, err := a.identity.ReviewQueue(ctx, cdp.PageArgs{First: min(n-len(pairs), 100), After: after})
		if err != nil {
			return nil, err
		}
		for _, rp := range page.Items {
			if truth[rp.RecordA] != "" && truth[rp.RecordB] != "" {
				pairs = append(pairs, rp)
			}
		}
		if !page.HasNextPage || len(page.Cursors) == 0 {
			break
		}
		after = page.Cursors[len(page.Cursors)-1]
	}
	same := 0
	for _, rp := range pairs {
		s := truth[rp.RecordA] == truth[rp.RecordB]
		if s {
			same++
		}
		if err := a.identity.DecideReview(ctx, rp.RecordA, rp.RecordB, s, "eval: by the truth"); err != nil {
			return nil, err
		}
	}
	pred, err := predictedCustomers(ctx, a, truth)
	if err != nil {
		return nil, err
	}
	p, r, f1, _ = match.Evaluate(pred, truth)
	fmt.Printf("after %d review decisions (%d same person, %d not): precision %.4f recall %.4f F1 %.4f\n", len(pairs), same, len(pairs)-same, p, r, f1)
	stats, err := a.identity.Recompute(ctx)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "resolve with labels: %d probabilistic matches, %d pairs for review\n", stats.Matches, stats.Review)
	model, err := a.identity.FittedModel(ctx)
	if err != nil {
		return nil, err
	}
	if model != nil && model.Labels != nil {
		fmt.Print(model.Labels.Report())
	}
	fmt.Println("after the refit with labels:")
	return predictedCustomers(ctx, a, truth)
}

// linkableScore scores predicted customers against the true pairs whose records carry
// evidence of them. A true pair without evidence counts neither way: missing it is no
// fault, and finding it (from clues below the generator's bar) is no merit; a merge of two
// different people is a wrong merge as always.
type linkableScore struct {
	linkable, tp, fp, fn, unlinkableMerged int
	precision, recall, f1                  float64
}

// evaluateLinkable counts pairs from the sizes of the cells of predicted customer ×
// person and predicted customer × evidence group; every record of truth is in groups,
// and groups nest in people.
func evaluateLinkable(pred, truth, groups map[string]string) linkableScore {
	pairs := func(n int) int { return n * (n - 1) / 2 }
	type cell struct{ pred, label string }
	predicted, group, byPerson, byGroup := map[string]int{}, map[string]int{}, map[cell]int{}, map[cell]int{}
	for k, person := range truth {
		g, ok := groups[k]
		if !ok {
			g = person + "/?" + k // a record the truth file does not group links nothing
		}
		predicted[pred[k]]++
		group[g]++
		byPerson[cell{pred[k], person}]++
		byGroup[cell{pred[k], g}]++
	}
	var s linkableScore
	var predPairs, truePredicted int
	for _, n := range predicted {
		predPairs += pairs(n)
	}
	for _, n := range group {
		s.linkable += pairs(n)
	}
	for _, n := range byPerson {
		truePredicted += pairs(n)
	}
	for _, n := range byGroup {
		s.tp += pairs(n)
	}
	s.fp = predPairs - truePredicted
	s.fn = s.linkable - s.tp
	s.unlinkableMerged = truePredicted - s.tp
	if s.tp+s.fp > 0 {
		s.precision = float64(s.tp) / float64(s.tp+s.fp)
	}
	if s.linkable > 0 {
		s.recall = float64(s.tp) / float64(s.linkable)
	}
	if s.precision+s.recall > 0 {
		s.f1 = 2 * s.precision * s.recall / (s.precision + s.recall)
	}
	return s
}

// loadFebrl ingests Febrl CSV files, each as its own source, and returns the truth:
// record key -> person.
func loadFebrl(ctx context.Context, svc *ingest.Service, files []string) (map[string]string, error) {
	truth := map[string]string{}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		records, people, err := match.ReadFebrl(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		source := sourceOfFile(name)
		var batch []cdp.CustomerRecord
		flush := func() error {
			res, err := svc.IngestCustomers(ctx, source, batch)
			if err != nil {
				return err
			}
			report(os.Stderr, name, res, 3, nil)
			batch = batch[:0]
			return nil
		}
		for _, r := range records {
			batch = append(batch, febrlRecord(r))
			truth[cdp.RecordKey(source, r.ID)] = people[r.ID]
			if len(batch) == 2000 {
				if err := flush(); err != nil {
					return nil, err
				}
			}
		}
		if len(batch) > 0 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	return truth, nil
}

// sourceOfFile names the source a labelled file stands for after the file:
// "dataset4a.csv" is source dataset4a, "CRM export.ndjson" is crm_export.
func sourceOfFile(name string) string {
	source := strings.ToLower(strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)))
	source = strings.Map(func(r rune) rune {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			return r
		}
		return '_'
	}, source)
	if source == "" || source[0] < 'a' || source[0] > 'z' {
		source = "f" + source
	}
	return source
}

// loadLabelledNDJSON ingests customer NDJSON files, one source per file, through the
// normal import (validation reports per record as usual), and reads the truth from each
// record's "true_person" label: users' own labelled samples take this shape. A record
// without a label is ingested but not scored, and said so.
func loadLabelledNDJSON(ctx context.Context, svc *ingest.Service, files []string) (map[string]string, error) {
	truth := map[string]string{}
	seen := map[string]string{}
	for _, name := range files {
		source := sourceOfFile(name)
		if other, dup := seen[source]; dup {
			return nil, fmt.Errorf("eval identity: %s and %s would both be source %q; one file per source", other, name, source)
		}
		seen[source] = name
		unlabelled, err := readLabels(name, source, truth)
		if err != nil {
			return nil, err
		}
		if unlabelled > 0 {
			fmt.Fprintf(os.Stderr, "%s: %d records have no \"true_person\" label; they are ingested but not scored\n", name, unlabelled)
		}
		res, err := importFile(ctx, svc, name, ingest.ImportOptions{Source: source, Kind: cdp.KindCustomers, Format: ingest.FormatNDJSON, BatchSize: 2000})
		if err != nil {
			return nil, err
		}
		report(os.Stderr, name, res, 3, nil)
	}
	return truth, nil
}

// readLabels adds each labelled record of an NDJSON file to truth (record key -> person).
// Lines that are not JSON objects are left to the import, which reports them.
func readLabels(name, source string, truth map[string]string) (unlabelled int, err error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var rec struct {
			SourceID   any `json:"source_id"`
			TruePerson any `json:"true_person"`
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber() // ids as written: 1000000, not 1e+06, as the import reads them
		if dec.Decode(&rec) != nil || rec.SourceID == nil {
			continue
		}
		person := strings.TrimSpace(fmt.Sprint(rec.TruePerson))
		if rec.TruePerson == nil || person == "" {
			unlabelled++
			continue
		}
		id, err := normalize.Text(fmt.Sprint(rec.SourceID), 1<<10) // as the import reads it
		if err != nil || id == "" {
			continue // the import rejects it and says why
		}
		truth[cdp.RecordKey(source, id)] = person
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return unlabelled, nil
}

// febrlRecord maps a Febrl person to a customer record; soc_sec_id is a national id,
// carried as an external identifier.
func febrlRecord(r match.Record) cdp.CustomerRecord {
	c := cdp.CustomerRecord{
		SourceID: r.ID, GivenName: r.GivenName, FamilyName: r.FamilyName, BirthDate: r.BirthDate,
		AddressLine1: strings.TrimSpace(r.StreetNumber + " " + r.AddressLine1), AddressLine2: r.AddressLine2,
		City: r.City, Region: r.Region, Postcode: r.Postcode, Country: "AU",
	}
	if r.NationalID != "" {
		c.Identifiers = []cdp.IdentifierRecord{{Type: "external_id", Value: "au-ssn:" + r.NationalID}}
	}
	return c
}

// loadDemo imports a demo directory's customer files and reads its truth: each record's
// person, and each record's evidence group (which of its person's records it is linked
// to by what the records say; see demo.Evidence).
func loadDemo(ctx context.Context, svc *ingest.Service, dir string) (people, groups map[string]string, err error) {
	b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		return nil, nil, err
	}
	var truth demo.Truth
	if err := json.Unmarshal(b, &truth); err != nil {
		return nil, nil, fmt.Errorf("%s/truth.json: %w", dir, err)
	}
	if len(truth.Evidence.RecordGroup) == 0 {
		fmt.Fprintf(os.Stderr, "%s/truth.json has no evidence groups (an older cdpgraph wrote it): scoring against all true pairs only\n", dir)
	}
	sources, _ := filepath.Glob(filepath.Join(dir, "*", "customers.ndjson"))
	for _, f := range sources {
		source, kind, _ := demoFileKind(dir, f)
		if _, err := importFile(ctx, svc, f, ingest.ImportOptions{Source: source, Kind: kind, BatchSize: 2000}); err != nil {
			return nil, nil, err
		}
	}
	if len(truth.Evidence.RecordGroup) == 0 {
		return truth.RecordPerson, nil, nil
	}
	return truth.RecordPerson, truth.Evidence.RecordGroup, nil
}

// printErrors shows sample pairs that resolution split although they are one person, and
// pairs it merged although they are not, with what each record says.
func printErrors(ctx context.Context, a *app, pred, truth map[string]string, n int) error {
	byTruth, byPred := map[string][]string{}, map[string][]string{}
	for _, k := range sortedKeys(truth) {
		byTruth[truth[k]] = append(byTruth[truth[k]], k)
		byPred[pred[k]] = append(byPred[pred[k]], k)
	}
	var split, merged [][2]string
	for _, group := range byTruth {
		for i := 1; i < len(group) && len(split) < n; i++ {
			if pred[group[0]] != pred[group[i]] {
				split = append(split, [2]string{group[0], group[i]})
			}
		}
	}
	for _, group := range byPred {
		for i := 1; i < len(group) && len(merged) < n; i++ {
			if truth[group[0]] != truth[group[i]] {
				merged = append(merged, [2]string{group[0], group[i]})
			}
		}
	}
	store := neo4j.NewCustomerStore(a.db)
	show := func(title string, pairs [][2]string) error {
		fmt.Printf("%s:\n", title)
		for _, p := range pairs {
			recs, err := store.SourceRecordsByKeys(ctx, p[:])
			if err != nil {
				return err
			}
			for _, k := range p {
				r := recs[k]
				if r == nil {
					fmt.Printf("  %-28s (rejected by validation)\n", k)
					continue
				}
				pr := r.Profile
				fmt.Printf("  %-28s %s | %s %s | %s | %s %s %s | %v\n", k, pr.FullName, pr.GivenName, pr.FamilyName, pr.BirthDate, pr.AddressLine1, pr.City, pr.Postcode, r.Identifiers)
			}
			fmt.Println()
		}
		return nil
	}
	if err := show("split although the same person", split); err != nil {
		return err
	}
	return show("merged although different people", merged)
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
