package compare

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/cdpgraph/cdpgraph/graph"
	"github.com/cdpgraph/cdpgraph/neo4j/baseline"
)

func TestRotationLoadsEachSystemInEachPlace(t *testing.T) {
	want := [][]int{{0, 1, 2}, {1, 2, 0}, {2, 0, 1}, {0, 1, 2}}
	for i, w := range want {
		if got := rotation(i+1, 3); !slices.Equal(got, w) {
			t.Errorf("round %d: %v, want %v", i+1, got, w)
		}
	}
	// Over n rounds every system is loaded once in every place.
	for place := 0; place < 4; place++ {
		seen := map[int]bool{}
		for round := 1; round <= 4; round++ {
			seen[rotation(round, 4)[place]] = true
		}
		if len(seen) != 4 {
			t.Errorf("place %d holds only systems %v over 4 rounds", place, seen)
		}
	}
}

func TestMedianAndQuantile(t *testing.T) {
	cases := []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{1, 2, 9}, 2}, {[]float64{1, 2, 4, 9}, 3}}
	for _, c := range cases {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	if s := spreadOf([]float64{9, 1, 2}); s != (spread{2, 1, 9}) {
		t.Errorf("spreadOf = %+v", s)
	}
	lat := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if q := quantile(lat, 0.5); q != 6 {
		t.Errorf("p50 of 1..10 = %v, want 6 (nearest rank above)", q)
	}
	if q := quantile(lat, 0.99); q != 10 {
		t.Errorf("p99 of 1..10 = %v, want 10", q)
	}
}

// cells of one workload and concurrency over three rounds for the three systems.
func threeRounds(w string, conc int, cdpRPS, ngqlRPS, rawRPS [3]float64, cdpP50, rawP50 float64) []cell {
	var out []cell
	for r := 0; r < 3; r++ {
		out = append(out,
			cell{Round: r + 1, Workload: w, Conc: conc, System: "cdpgraph", Kind: kindCDP, RPS: cdpRPS[r], P50: cdpP50, OK: 10,
				CPUms: map[string]float64{"cdpgraph": float64(r + 1), "neo4j": 2}},
			cell{Round: r + 1, Workload: w, Conc: conc, System: "ngql", Kind: kindNGQL, RPS: ngqlRPS[r], P50: 10, OK: 10},
			cell{Round: r + 1, Workload: w, Conc: conc, System: "raw", Kind: kindRaw, RPS: rawRPS[r], P50: rawP50, OK: 10})
	}
	return out
}

func TestRatiosAreOfMediansAndTheGoalNeedsAllThree(t *testing.T) {
	cells := threeRounds("w2", 50, [3]float64{300, 100, 200}, [3]float64{90, 100, 110}, [3]float64{250, 300, 280}, 3, 2)
	cells = append(cells, threeRounds("w1", 1, [3]float64{100, 100, 100}, [3]float64{40, 50, 60}, [3]float64{140, 150, 130}, 2, 1.5)...)
	cells[0].Wrong = 1 // one wrong answer of cdpgraph's in W2
	sums := summarize(cells)
	if len(sums) != 6 || sums[0].workload != "w1" || sums[3].workload != "w2" || sums[0].system != "cdpgraph" {
		t.Fatalf("summaries out of order: %+v", sums)
	}
	if s := sums[3]; s.rps != (spread{200, 100, 300}) || s.cpu["cdpgraph"] != 2 || s.cpu["neo4j"] != 2 || s.wrong != 1 {
		t.Errorf("W2 cdpgraph summary %+v", s)
	}
	cs := compare(sums)
	if len(cs) != 2 {
		t.Fatalf("%d comparisons", len(cs))
	}
	w1 := cs[0]
	if w1.vsNGQL != 2 || w1.vsRaw != 100.0/140 || w1.p50VsRaw != 2/1.5 || w1.p50VsNGQL != 0.2 {
		t.Errorf("W1 ratios %+v", w1)
	}
	if !w1.goalMet {
		t.Errorf("W1: 2.0× @neo4j/graphql, %.2f× raw, p50 %.2f× raw should meet the goal", w1.vsRaw, w1.p50VsRaw)
	}
	if w2 := cs[1]; w2.goalMet || w2.allCorrect {
		t.Errorf("W2 has a wrong answer: the goal is not met, %+v", w2)
	}
	// Without the raw baseline there is nothing to judge the goal by.
	only := summarize(threeRounds("w3", 1, [3]float64{300, 300, 300}, [3]float64{1, 1, 1}, [3]float64{1, 1, 1}, 1, 1)[:2])
	if c := compare(only); len(c) != 1 || c[0].goalMeasured || c[0].goalMet || c[0].vsRaw != 0 {
		t.Errorf("comparison without raw: %+v", c)
	}
}

func TestGoalCutOffs(t *testing.T) {
	for _, c := range []struct {
		name           string
		cdp, ngql, raw float64
		cdpP50, rawP50 float64
		met            bool
	}{
		{"all met", 200, 100, 250, 3, 2, true},
		{"below 2x @neo4j/graphql", 199, 100, 250, 3, 2, false},
		{"below 0.67x raw", 200, 100, 300, 3, 2, false},
		{"p50 over 1.5x raw", 200, 100, 250, 3.1, 2, false},
	} {
		cells := threeRounds("w4", 1, [3]float64{c.cdp, c.cdp, c.cdp}, [3]float64{c.ngql, c.ngql, c.ngql}, [3]float64{c.raw, c.raw, c.raw}, c.cdpP50, c.rawP50)
		if got := compare(summarize(cells))[0].goalMet; got != c.met {
			t.Errorf("%s: goal met %v, want %v", c.name, got, c.met)
		}
	}
}

func TestReportReadsWhatLoadWrites(t *testing.T) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.Encode(meta{Meta: true, Started: "2026-12-07 12:00 UTC", Machine: "2 × test CPU", Software: "Neo4j 5.26", Settings: "1 round"})
	for _, c := range threeRounds("w5", 1, [3]float64{200, 200, 200}, [3]float64{100, 100, 100}, [3]float64{250, 250, 250}, 3, 2) {
		enc.Encode(c)
	}
	m, cells, err := readCells(&buf)
	if err != nil || m == nil || len(cells) != 9 {
		t.Fatalf("readCells: meta %v, %d cells, %v", m, len(cells), err)
	}
	var out bytes.Buffer
	writeReport(&out, m, cells)
	report := out.String()
	for _, want := range []string{
		"Machine: 2 × test CPU",
		"**W5** customerByIdentifier",
		"| W5 | 1 | 200.0 | 100.0 | 250.0 | 2.00 | 0.80 | 3.0 | 10.0 | 2.0 | 0.30 | 1.50 | met |",
		"| W5 | 1 | cdpgraph | 3 | 200.0 | 3.0 | 0.0 | 0 / 0 | 2.00 · 2.00 · – | 0% |",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
}

func TestConsentInForceIsTheNewestThenTheSmallerKey(t *testing.T) {
	history := []consentDecision{
		{"email_marketing", true, "2025-01-01T00:00:00Z", "k2"},
		{"email_marketing", false, "2025-03-01T08:00:00+08:00", "k3"}, // the same instant as k1
		{"email_marketing", true, "2025-03-01T00:00:00Z", "k1"},
		{"profiling", false, "2024-05-01T00:00:00.5Z", "k9"},
		{"partner_sharing:acme", true, "2025-06-01T00:00:00Z", "k4"}, // not a purpose cdpgraph's consents report
	}
	got := inForce(history)
	want := "email_marketing=true@1740787200,profiling=false@1714521600"
	if got != want {
		t.Errorf("inForce = %q, want %q", got, want)
	}
	// The systems' answers are read the same way, whatever form their times take.
	answer := consentsNorm([]any{
		map[string]any{"purpose": "profiling", "granted": false, "occurredAt": "2024-05-01T08:00:00.5+08:00"},
		map[string]any{"purpose": "email_marketing", "granted": true, "occurredAt": "2025-03-01T00:00:00.000000000Z"},
	})
	if answer != want {
		t.Errorf("consentsNorm = %q, want %q", answer, want)
	}
}

func TestIdentifiersCountOnceAcrossRecordsAndCase(t *testing.T) {
	a := []any{map[string]any{"type": "EMAIL", "value": "a@x.cn"}, map[string]any{"type": "PHONE", "value": "+861"}}
	b := []any{map[string]any{"type": "email", "value": "a@x.cn"}, map[string]any{"type": "email", "value": "b@x.cn"}}
	if n := distinctIdents(a, b); n != 3 {
		t.Errorf("distinctIdents = %d, want 3", n)
	}
}

// Every workload is asked of all three systems and read back from each.
func TestEveryWorkloadHasAllThreeForms(t *testing.T) {
	for _, w := range workloads {
		if w.cdp == "" || w.ngql == "" || baseline.Raw[w.name] == "" || w.vars == nil || w.rawQuery == nil {
			t.Errorf("%s lacks a form", w.name)
		}
		for _, k := range []string{kindCDP, kindNGQL, kindRaw} {
			if w.norm[k] == nil {
				t.Errorf("%s cannot read a %s answer", w.name, k)
			}
		}
	}
	if got := w5.vars(kindCDP, "email:a:b@x.cn"); got["type"] != "EMAIL" || got["value"] != "a:b@x.cn" {
		t.Errorf("W5 cdpgraph variables %v", got)
	}
	if got := w5.rawQuery("phone:+8613800000000"); got.Get("type") != "phone" || got.Get("value") != "+8613800000000" {
		t.Errorf("W5 raw query %v", got)
	}
}

// The cdpgraph documents are valid against cdpgraph's schema, so a schema change that
// breaks one shows in make test rather than as errors in a benchmark run.
func TestCDPGraphDocumentsAreValid(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	for _, w := range workloads {
		doc, err := parser.ParseQuery(&ast.Source{Name: w.name, Input: w.cdp})
		if err != nil {
			t.Errorf("%s: %v", w.name, err)
			continue
		}
		if errs := validator.Validate(schema, doc); len(errs) > 0 {
			t.Errorf("%s: %v", w.name, gqlerror.List(errs))
		}
	}
}
