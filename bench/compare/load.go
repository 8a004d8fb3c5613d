package compare

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// cell is one measured run: one system, one workload, one concurrency, one round.
type cell struct {
	Round    int                `json:"round"`
	Workload string             `json:"workload"`
	Conc     int                `json:"conc"`
	System   string             `json:"system"`
	Kind     string             `json:"kind"`
	OK       int                `json:"ok"`
	Errors   int                `json:"errors"`
	Wrong    int                `json:"wrong"` // answered, but not what the truth says
	Secs     float64            `json:"secs"`
	RPS      float64            `json:"rps"` // correct answers per second
	P50      float64            `json:"p50_ms"`
	P90      float64            `json:"p90_ms"`
	P99      float64            `json:"p99_ms"`
	Max      float64            `json:"max_ms"`
	CPUms    map[string]float64 `json:"cpu_ms_per_req,omitempty"` // CPU time per correct answer, by process
	Busy     float64            `json:"machine_busy_pct"`
	FirstErr string             `json:"first_error,omitempty"`
}

// meta describes a run; it is the first line of the results file.
type meta struct {
	Meta     bool     `json:"meta"`
	Started  string   `json:"started"`
	Machine  string   `json:"machine"`
	Software string   `json:"software"`
	Settings string   `json:"settings"`
	Systems  []string `json:"systems"`
}

// A system under test: how to ask it for one request of a workload.
type system struct {
	name, kind, url string
	key             string // bearer key (cdpgraph)
	client          *http.Client
}

func parseSystems(spec string, client *http.Client) ([]*system, error) {
	var out []*system
	for _, s := range strings.Split(spec, ",") {
		name, rest, ok1 := strings.Cut(s, "=")
		kind, u, ok2 := strings.Cut(rest, "@")
		if !ok1 || !ok2 || kindLabel[kind] == "" {
			return nil, fmt.Errorf("bad system %q (want name=kind@url, kind cdp, ngql or raw)", s)
		}
		sys := &system{name: name, kind: kind, url: u, client: client}
		if kind == kindCDP {
			if sys.key = os.Getenv("CDP_KEY"); sys.key == "" {
				return nil, fmt.Errorf("system %s: set CDP_KEY to an admin API key of cdpgraph", name)
			}
		}
		out = append(out, sys)
	}
	return out, nil
}

// do sends one request and returns the normalized answer.
func (s *system) do(w *workload, param string) (string, error) {
	var req *http.Request
	var err error
	if s.kind == kindRaw {
		u := strings.TrimRight(s.url, "/") + "/" + w.name
		if q := w.rawQuery(param); len(q) > 0 {
			u += "?" + q.Encode()
		}
		req, err = http.NewRequest(http.MethodGet, u, nil)
	} else {
		doc := w.cdp
		if s.kind == kindNGQL {
			doc = w.ngql
		}
		body, _ := json.Marshal(map[string]any{"query": doc, "variables": w.vars(s.kind, param)})
		req, err = http.NewRequest(http.MethodPost, s.url, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json")
			if s.key != "" {
				req.Header.Set("Authorization", "Bearer "+s.key)
			}
		}
	}
	if err != nil {
		return "", err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return "", err
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, data)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return "", fmt.Errorf("bad JSON: %v", err)
	}
	if errs := arr(doc["errors"]); len(errs) > 0 {
		return "", fmt.Errorf("GraphQL error: %.200s", str(get(errs[0], "message")))
	}
	if e, ok := doc["error"]; ok {
		return "", fmt.Errorf("raw error: %.200v", e)
	}
	if s.kind == kindRaw {
		return w.norm[s.kind](doc)
	}
	return w.norm[s.kind](doc["data"])
}

// rotation is the order systems are loaded in, in a round (1-based): A B C, then B C A,
// then C A B..., so that drift of a shared machine hits all alike.
func rotation(round, n int) []int {
	out := make([]int, n)
	for k := range out {
		out[k] = (k + round - 1) % n
	}
	return out
}

func runLoad(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench compare load", flag.ContinueOnError)
	systemsFlag := fs.String("systems", "", "name=kind@url,... kind is cdp (uses $CDP_KEY as bearer key), ngql or raw")
	workloadsFlag := fs.String("workloads", strings.Join(names(workloads), ","), "workloads to run")
	concs := fs.String("conc", "1,50", "concurrency levels")
	duration := fs.Duration("duration", 10*time.Second, "measured time per cell")
	warmup := fs.Duration("warmup", 2*time.Second, "unmeasured time before each cell")
	rounds := fs.Int("rounds", 3, "rounds; the system order rotates every round")
	sample := fs.Int("sample", 400, "customers (W1) and identifiers (W5) sampled")
	seed := fs.Uint64("seed", 42, "random seed")
	out := fs.String("out", "results.jsonl", "JSON lines of cells (appended)")
	pids := fs.String("pids", "", "name=pid,... processes whose CPU time is charged per request (e.g. neo4j=123,cdpgraph=456)")
	verify := fs.Bool("verify", false, "send each workload 5 times to each system, print the answers against the truth, and stop")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var ws []*workload
	for _, n := range strings.Split(*workloadsFlag, ",") {
		w, err := workloadByName(strings.TrimSpace(n))
		if err != nil {
			return err
		}
		ws = append(ws, w)
	}
	db, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	t0 := time.Now()
	tr, err := loadTruth(ctx, db, names(ws), *sample, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "truth of %s in %s\n", strings.Join(names(ws), ","), time.Since(t0).Round(time.Millisecond))

	transport := &http.Transport{MaxIdleConns: 200, MaxIdleConnsPerHost: 200, IdleConnTimeout: 90 * time.Second, DisableCompression: true}
	client := &http.Client{Transport: transport, Timeout: 60 * time.Second}
	systems, err := parseSystems(*systemsFlag, client)
	if err != nil {
		return err
	}
	procs := map[string]int{}
	if *pids != "" {
		for _, p := range strings.Split(*pids, ",") {
			n, v, _ := strings.Cut(p, "=")
			pid, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("bad pid %q", p)
			}
			procs[n] = pid
		}
	}
	procs["loadgen"] = os.Getpid()

	if *verify {
		return verifyAll(tr, ws, systems, *seed)
	}

	var concList []int
	for _, c := range strings.Split(*concs, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 {
			return fmt.Errorf("bad concurrency %q", c)
		}
		concList = append(concList, n)
	}
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	var specs []string
	for _, s := range systems {
		specs = append(specs, s.name+"="+s.kind)
	}
	enc.Encode(meta{Meta: true, Started: time.Now().UTC().Format("2006-01-02 15:04 MST"), Machine: machine(),
		Software: software(ctx, db), Systems: specs,
		Settings: fmt.Sprintf("Rounds: %d; per cell %s measured after %s of warm-up; concurrency %s; %d customers (W1) and identifiers (W5) sampled with seed %d",
			*rounds, *duration, *warmup, *concs, *sample, *seed)})
	for round := 1; round <= *rounds; round++ {
		if round > 1 { // others may write to the same graph: re-read what the answers must be
			t2, err := loadTruth(ctx, db, names(ws), *sample, *seed)
			if err != nil {
				return err
			}
			tr = t2
		}
		for _, w := range ws {
			for _, conc := range concList {
				for k, i := range rotation(round, len(systems)) {
					if ctx.Err() != nil {
						return ctx.Err()
					}
					s := systems[i]
					base := *seed + uint64(round*1000+k*10)
					if *warmup > 0 {
						measure(s, w, tr, conc, *warmup, base, nil)
					}
					c := measure(s, w, tr, conc, *duration, base+5, procs)
					c.Round = round
					enc.Encode(c)
					fmt.Fprintf(os.Stderr, "round %d %s c=%-2d %-10s %8.1f req/s  p50 %7.1f  p99 %7.1f ms  ok %d err %d wrong %d  busy %.0f%%  cpu/req %s %s\n",
						round, w.name, conc, s.name, c.RPS, c.P50, c.P99, c.OK, c.Errors, c.Wrong, c.Busy, fmtCPU(c.CPUms), c.FirstErr)
				}
			}
		}
	}
	return nil
}

// verifyAll asks every system each workload five times and compares with the truth.
func verifyAll(tr *truth, ws []*workload, systems []*system, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 99))
	bad := 0
	for _, w := range ws {
		for i := 0; i < 5; i++ {
			ps := tr.params[w.name]
			p := ps[rng.IntN(len(ps))]
			want := tr.want[w.name][p]
			for _, s := range systems {
				got, err := s.do(w, p)
				switch {
				case err != nil || got != want:
					bad++
					fmt.Printf("MISMATCH %s %s %q\n  got:  %.400s (err %v)\n  want: %.400s\n", s.name, w.name, p, got, err, want)
				case i == 0:
					fmt.Printf("ok %s %s %q: %.160s\n", s.name, w.name, p, got)
				}
			}
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d answers differ from the truth", bad)
	}
	fmt.Println("all answers match the truth")
	return nil
}

func fmtCPU(m map[string]float64) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s=%.2fms", k, m[k]))
	}
	return strings.Join(parts, " ")
}

// measure runs conc closed-loop workers against s for dur and summarizes the answers.
func measure(s *system, w *workload, tr *truth, conc int, dur time.Duration, seed uint64, procs map[string]int) cell {
	var (
		mu       sync.Mutex
		lat      []float64
		errs     atomic.Int64
		wrong    atomic.Int64
		firstErr atomic.Value
	)
	params, want := tr.params[w.name], tr.want[w.name]
	// Fresh connections: one idle past a server's keep-alive timeout (Node's is 5 s) may be
	// closed by it just as a request goes out, and a POST is not retried.
	s.client.CloseIdleConnections()
	cpu0, busy0, idle0 := cpuTimes(procs)
	start := time.Now()
	deadline := start.Add(dur)
	var wg sync.WaitGroup
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(i)))
			var mine []float64
			for time.Now().Before(deadline) {
				p := params[rng.IntN(len(params))]
				t := time.Now()
				got, err := s.do(w, p)
				ms := float64(time.Since(t).Microseconds()) / 1000
				switch {
				case err != nil:
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				case got != want[p]:
					wrong.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("wrong answer for %q: got %.200s want %.200s", p, got, want[p]))
				default:
					mine = append(mine, ms)
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	cpu1, busy1, idle1 := cpuTimes(procs)
	c := cell{Workload: w.name, Conc: conc, System: s.name, Kind: s.kind, OK: len(lat), Errors: int(errs.Load()), Wrong: int(wrong.Load()), Secs: secs}
	if v := firstErr.Load(); v != nil {
		c.FirstErr = v.(string)
	}
	c.RPS = float64(c.OK) / secs
	if len(lat) > 0 {
		slices.Sort(lat)
		c.P50, c.P90, c.P99, c.Max = quantile(lat, 0.50), quantile(lat, 0.90), quantile(lat, 0.99), lat[len(lat)-1]
	}
	if procs != nil && c.OK > 0 {
		c.CPUms = map[string]float64{}
		for name := range procs {
			c.CPUms[name] = (cpu1[name] - cpu0[name]) / float64(c.OK)
		}
		if db, di := busy1-busy0, idle1-idle0; db+di > 0 {
			c.Busy = 100 * db / (db + di)
		}
	}
	return c
}

// quantile of sorted values: the smallest value at or above the q-th share (nearest rank).
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

// cpuTimes returns each process's CPU time (user+system, ms) and the machine's busy and
// idle jiffies, from /proc.
func cpuTimes(procs map[string]int) (map[string]float64, float64, float64) {
	out := map[string]float64{}
	for name, pid := range procs {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		s := string(b)
		if i := strings.LastIndexByte(s, ')'); i >= 0 {
			f := strings.Fields(s[i+1:])
			if len(f) > 13 {
				u, _ := strconv.ParseFloat(f[11], 64)
				st, _ := strconv.ParseFloat(f[12], 64)
				out[name] = (u + st) * 10 // 100 clock ticks per second
			}
		}
	}
	var busy, idle float64
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		f := strings.Fields(line)
		for i, v := range f[1:] {
			x, _ := strconv.ParseFloat(v, 64)
			if i == 3 || i == 4 { // idle, iowait
				idle += x
			} else if i < 8 {
				busy += x
			}
		}
	}
	return out, busy, idle
}

// machine describes the hardware, from /proc where there is one.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if f := strings.Fields(l); len(f) >= 2 && f[0] == "MemTotal:" {
				kb, _ := strconv.ParseFloat(f[1], 64)
				mem = fmt.Sprintf(", %.0f GB RAM", kb/1024/1024)
			}
		}
	}
	kernel := ""
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = ", Linux " + strings.TrimSpace(string(b))
	}
	return fmt.Sprintf("%d × %s%s (%s/%s%s)", runtime.NumCPU(), model, mem, runtime.GOOS, runtime.GOARCH, kernel)
}

func software(ctx context.Context, db interface{ Version(context.Context) string }) string {
	node := "node not found"
	if b, err := exec.CommandContext(ctx, "node", "--version").Output(); err == nil {
		node = "Node " + strings.TrimSpace(string(b))
	}
	return fmt.Sprintf("%s, Go %s, %s", db.Version(ctx), strings.TrimPrefix(runtime.Version(), "go"), node)
}
