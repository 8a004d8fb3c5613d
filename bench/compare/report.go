package compare

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
)

// Issue 15's goal, per workload and concurrency: cdpgraph at least twice the throughput of
// @neo4j/graphql, at least 0.67 of the raw baseline's, with its p50 within 1.5 times the
// raw baseline's, and every answer correct.
const (
	goalVsNGQL  = 2.0
	goalVsRaw   = 0.67
	goalP50Raw  = 1.5
	goalSummary = "cdpgraph ≥ 2× @neo4j/graphql's req/s, ≥ 0.67× the raw driver's, p50 ≤ 1.5× the raw driver's, no errors or wrong answers"
)

// summary is one system's cells of one workload and concurrency, over the rounds.
type summary struct {
	workload      string
	conc          int
	system, kind  string
	rounds        int
	rps, p50, p99 spread
	errors, wrong int
	cpu           map[string]float64 // median CPU ms per request, by process
	busy          float64
}

// spread is the median and range of one measure over rounds.
type spread struct{ med, lo, hi float64 }

func spreadOf(v []float64) spread {
	if len(v) == 0 {
		return spread{}
	}
	s := slices.Sorted(slices.Values(v))
	return spread{median(s), s[0], s[len(s)-1]}
}

// median of sorted values; the mean of the middle two for an even count.
func median(sorted []float64) float64 {
	n := len(sorted)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// summarize groups cells by workload (in workload order), concurrency and system (in the
// order systems first appear).
func summarize(cells []cell) []summary {
	type key struct {
		w      string
		conc   int
		system string
	}
	groups := map[key][]cell{}
	var systems []string
	kinds := map[string]string{}
	for _, c := range cells {
		k := key{c.Workload, c.Conc, c.System}
		groups[k] = append(groups[k], c)
		if !slices.Contains(systems, c.System) {
			systems = append(systems, c.System)
		}
		kinds[c.System] = c.Kind
	}
	keys := slices.Collect(maps.Keys(groups))
	slices.SortFunc(keys, func(a, b key) int {
		if a.w != b.w {
			return workloadOrder(a.w) - workloadOrder(b.w)
		}
		if a.conc != b.conc {
			return a.conc - b.conc
		}
		return slices.Index(systems, a.system) - slices.Index(systems, b.system)
	})
	var out []summary
	for _, k := range keys {
		cs := groups[k]
		s := summary{workload: k.w, conc: k.conc, system: k.system, kind: kinds[k.system], rounds: len(cs), cpu: map[string]float64{}}
		measure := func(f func(cell) float64) []float64 {
			v := make([]float64, len(cs))
			for i, c := range cs {
				v[i] = f(c)
			}
			return v
		}
		s.rps = spreadOf(measure(func(c cell) float64 { return c.RPS }))
		s.p50 = spreadOf(measure(func(c cell) float64 { return c.P50 }))
		s.p99 = spreadOf(measure(func(c cell) float64 { return c.P99 }))
		s.busy = spreadOf(measure(func(c cell) float64 { return c.Busy })).med
		procs := map[string]bool{}
		for _, c := range cs {
			s.errors += c.Errors
			s.wrong += c.Wrong
			for p := range c.CPUms {
				procs[p] = true
			}
		}
		for p := range procs {
			s.cpu[p] = spreadOf(measure(func(c cell) float64 { return c.CPUms[p] })).med
		}
		out = append(out, s)
	}
	return out
}

func workloadOrder(name string) int {
	for i, w := range workloads {
		if w.name == name {
			return i
		}
	}
	return len(workloads)
}

// comparison is cdpgraph against the two others on one workload and concurrency.
type comparison struct {
	workload     string
	conc         int
	cdp          *summary
	ngql, raw    *summary // nil when not measured
	vsNGQL       float64  // cdpgraph's req/s ÷ @neo4j/graphql's (0: not measured)
	vsRaw        float64  // cdpgraph's req/s ÷ the raw driver's
	p50VsNGQL    float64  // cdpgraph's p50 ÷ @neo4j/graphql's
	p50VsRaw     float64  // cdpgraph's p50 ÷ the raw driver's
	allCorrect   bool     // no system had an error or a wrong answer
	goalMet      bool
	goalMeasured bool // all three were measured
}

// ratio is a ÷ b, or 0 when b is 0 (nothing to compare with).
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// compare pairs, per workload and concurrency, the first system of each kind.
func compare(sums []summary) []comparison {
	var out []comparison
	for i := 0; i < len(sums); {
		j := i
		c := comparison{workload: sums[i].workload, conc: sums[i].conc, allCorrect: true}
		for ; j < len(sums) && sums[j].workload == c.workload && sums[j].conc == c.conc; j++ {
			s := &sums[j]
			if s.errors > 0 || s.wrong > 0 {
				c.allCorrect = false
			}
			switch {
			case s.kind == kindCDP && c.cdp == nil:
				c.cdp = s
			case s.kind == kindNGQL && c.ngql == nil:
				c.ngql = s
			case s.kind == kindRaw && c.raw == nil:
				c.raw = s
			}
		}
		i = j
		if c.cdp == nil {
			continue
		}
		if c.ngql != nil {
			c.vsNGQL, c.p50VsNGQL = ratio(c.cdp.rps.med, c.ngql.rps.med), ratio(c.cdp.p50.med, c.ngql.p50.med)
		}
		if c.raw != nil {
			c.vsRaw, c.p50VsRaw = ratio(c.cdp.rps.med, c.raw.rps.med), ratio(c.cdp.p50.med, c.raw.p50.med)
		}
		c.goalMeasured = c.ngql != nil && c.raw != nil
		c.goalMet = c.goalMeasured && c.allCorrect && c.vsNGQL >= goalVsNGQL && c.vsRaw >= goalVsRaw && c.p50VsRaw <= goalP50Raw
		out = append(out, c)
	}
	return out
}

func runReport(args []string) error {
	fs := flag.NewFlagSet("bench compare report", flag.ContinueOnError)
	in := fs.String("in", "results.jsonl", "cells written by bench compare load")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	m, cells, err := readCells(f)
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	writeReport(os.Stdout, m, cells)
	return nil
}

func readCells(r io.Reader) (*meta, []cell, error) {
	var m *meta
	var cells []cell
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"meta":true`) {
			var x meta
			if err := json.Unmarshal(sc.Bytes(), &x); err != nil {
				return nil, nil, err
			}
			m = &x
			continue
		}
		var c cell
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, nil, err
		}
		cells = append(cells, c)
	}
	return m, cells, sc.Err()
}

// writeReport prints the run as Markdown: what was run, cdpgraph against the others per
// workload (medians over rounds, ratios, the goal), then each system's figures in full.
func writeReport(w io.Writer, m *meta, cells []cell) {
	if m != nil {
		fmt.Fprintf(w, "Run %s. Machine: %s. Software: %s. %s.\n\n", m.Started, m.Machine, m.Software, m.Settings)
	}
	sums := summarize(cells)
	seen := map[string]bool{}
	fmt.Fprintln(w, "Workloads:")
	for _, s := range sums {
		if !seen[s.workload] {
			seen[s.workload] = true
			if wl, err := workloadByName(s.workload); err == nil {
				fmt.Fprintf(w, "- **%s** %s\n", strings.ToUpper(s.workload), wl.title)
			}
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Medians over rounds of correct answers per second and of p50 latency; ratios are cdpgraph ÷ the other (req/s: above 1 means cdpgraph serves more; p50: below 1 means cdpgraph answers sooner). Goal: %s.\n\n", goalSummary)
	fmt.Fprintln(w, "| workload | conc | req/s cdpgraph | @neo4j/graphql | raw driver | cdpgraph ÷ @neo4j/graphql | cdpgraph ÷ raw | p50 ms cdpgraph | @neo4j/graphql | raw driver | p50 cdpgraph ÷ @neo4j/graphql | p50 cdpgraph ÷ raw | goal |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, c := range compare(sums) {
		verdict := "–"
		switch {
		case c.goalMet:
			verdict = "met"
		case !c.allCorrect:
			verdict = "not met (errors or wrong answers)"
		case c.goalMeasured:
			verdict = "not met"
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			strings.ToUpper(c.workload), c.conc, rps(c.cdp), rps(c.ngql), rps(c.raw), times(c.vsNGQL), times(c.vsRaw),
			p50(c.cdp), p50(c.ngql), p50(c.raw), times(c.p50VsNGQL), times(c.p50VsRaw), verdict)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Each system in full (median, and range over rounds). CPU ms per request: the system's own server process · Neo4j · the load generator, each process's CPU time over the cell divided by the correct answers.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| workload | conc | system | rounds | req/s | p50 ms | p99 ms | errors / wrong | CPU ms per request: own · Neo4j · load generator | machine busy |")
	fmt.Fprintln(w, "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, s := range sums {
		label := kindLabel[s.kind]
		if label != s.system && s.system != s.kind {
			label = s.system + " (" + label + ")"
		}
		fmt.Fprintf(w, "| %s | %d | %s | %d | %s | %s | %s | %d / %d | %s · %s · %s | %.0f%% |\n",
			strings.ToUpper(s.workload), s.conc, label, s.rounds, s.rps.format(1), s.p50.format(1), s.p99.format(1),
			s.errors, s.wrong, cpuOf(s, s.system), cpuOf(s, "neo4j"), cpuOf(s, "loadgen"), s.busy)
	}
}

func (s spread) format(decimals int) string {
	if s.lo == s.hi {
		return fmt.Sprintf("%.*f", decimals, s.med)
	}
	return fmt.Sprintf("%.*f (%.*f–%.*f)", decimals, s.med, decimals, s.lo, decimals, s.hi)
}

func rps(s *summary) string {
	if s == nil {
		return "–"
	}
	return fmt.Sprintf("%.1f", s.rps.med)
}

func p50(s *summary) string {
	if s == nil {
		return "–"
	}
	return fmt.Sprintf("%.1f", s.p50.med)
}

func times(r float64) string {
	if r == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", r)
}

func cpuOf(s summary, process string) string {
	v, ok := s.cpu[process]
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.2f", v)
}
