package main

// The console's end-to-end tests (console/e2e, run by node in Debian's headless Chromium)
// against the real thing: a small demo company loaded by the demo command, served by serve
// exactly as the binary runs it, on real Neo4j. scripts/test.sh installs what they need.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
)

// consoleDemoPeople keeps the load, scoring and influence to about ten seconds on a warm
// database while the company still has RFM cells, a fitted churn model, communities,
// influencers, a review queue and two non-empty saved segments (measured: 342 customers,
// 68 review pairs, 22 communities, segments of 5 and 34 members).
const consoleDemoPeople = 300

func TestConsoleE2E(t *testing.T) {
	root, e2eDir, chromium, node, tests := browserTests(t, "", "the console's end-to-end tests", true)

	neo4jtest.DB(t)
	dir := t.TempDir()
	t.Setenv("NEO4J_URI", neo4jtest.URI())
	t.Setenv("CDP_PARTNERS", filepath.Join(root, "config", "partners.example.json"))
	t.Setenv("CDP_PSEUDONYM_KEY", "console-e2e-pseudonym-key")
	t.Setenv("CDP_LOG_LEVEL", "warn")
	keysFile := filepath.Join(dir, "demo-keys.env")
	start := time.Now()
	if err := runDemo(context.Background(), []string{"--people", fmt.Sprint(consoleDemoPeople), "--seed", "42",
		"--dir", filepath.Join(dir, "demo"), "--keys-file", keysFile}); err != nil {
		t.Fatalf("demo: %v", err)
	}
	t.Logf("demo company of %d people loaded, scored and analysed in %.1fs", consoleDemoPeople, time.Since(start).Seconds())
	keys := readEnvFile(t, keysFile)
	for _, k := range []string{"CDP_ADMIN_KEY", "CDP_ANALYST_KEY", "CDP_FRONTEND_KEY", "CDP_PARTNER_KEY"} {
		if keys[k] == "" {
			t.Fatalf("the demo wrote no %s to %s", k, keysFile)
		}
	}

	tg := &target{}
	t.Cleanup(tg.serve(t))
	res, err := http.Get(tg.url + "/console/")
	if err == nil {
		res.Body.Close()
	}
	if err != nil || res.StatusCode != http.StatusOK {
		status := fmt.Sprint(err)
		if res != nil {
			status = res.Status
		}
		t.Fatalf("GET /console/: %s; the server does not serve the console", status)
	}

	shots := filepath.Join(e2eDir, "screenshots")
	if err := os.RemoveAll(shots); err != nil {
		t.Fatal(err)
	}
	// Stop the browser tests before go test's own deadline would panic and lose their output.
	budget := 10 * time.Minute
	if d, ok := t.Deadline(); ok && time.Until(d)-time.Minute < budget {
		budget = time.Until(d) - time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	args := append([]string{"--test", "--test-concurrency=1", "--test-reporter=spec"}, tests...)
	cmd := exec.CommandContext(ctx, node, args...)
	// node and the Chromium it starts share a process group, so a timeout ends both.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	cmd.Dir = e2eDir
	cmd.Env = append(os.Environ(), "CONSOLE_URL="+tg.url, "SCREENSHOT_DIR="+shots, "CHROMIUM="+chromium, "NO_COLOR=1")
	for k, v := range keys {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		logLines(t, out)
	}()
	wg.Wait()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the console's end-to-end tests failed (%v); screenshots in %s", err, shots)
	}
	t.Logf("screenshots of every page in %s", shots)
}

// logLines copies r into the test log line by line, as it comes (go test -v shows it live).
func logLines(t *testing.T, r io.Reader) {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64*1024), 1024*1024)
	for s.Scan() {
		t.Log(s.Text())
	}
}

// readEnvFile reads NAME=value lines as the demo writes them (a trailing "# comment" is not
// part of the value).
func readEnvFile(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		value, _, _ = strings.Cut(value, " #")
		vars[name] = strings.TrimSpace(value)
	}
	return vars
}

// browserTests finds what the Chromium tests need (the repository root, console/e2e,
// Chromium, node, the console's build when the tests open the console) and the test scripts
// in console/e2e/<dir>, sorted; it fails naming everything missing, since make test
// provides all of it.
func browserTests(t *testing.T, dir, what string, needConsoleBuild bool) (root, e2eDir, chromium, node string, tests []string) {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "console", "package.json")); err != nil {
		t.Skip("console/package.json is not in this tree: no browser tests")
	}
	e2eDir = filepath.Join(root, "console", "e2e")
	chromium = os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	var missing []string
	if _, err := os.Stat(chromium); err != nil {
		missing = append(missing, fmt.Sprintf("%s is missing: run `apt-get install -y chromium fonts-noto-cjk` (or set CHROMIUM to a Chromium binary)", chromium))
	}
	node, err = exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node is not on PATH: install Node.js 20 or later (README)")
	}
	if _, err := os.Stat(filepath.Join(root, "console", "dist", "index.html")); needConsoleBuild && err != nil {
		missing = append(missing, "console/dist/index.html is missing: run `cd console && npm ci && npm run build`, then run go test again (the binary embeds it)")
	}
	if _, err := os.Stat(filepath.Join(e2eDir, "node_modules", "playwright-core")); err != nil {
		missing = append(missing, "console/e2e/node_modules is missing: run `cd console/e2e && npm ci`")
	}
	tests, _ = filepath.Glob(filepath.Join(e2eDir, dir, "*.test.mjs"))
	if len(tests) == 0 {
		missing = append(missing, filepath.Join("console/e2e", dir)+" has no *.test.mjs")
	}
	if len(missing) > 0 {
		t.Fatalf("%s cannot run (make test provides all of this):\n  %s", what, strings.Join(missing, "\n  "))
	}
	sort.Strings(tests)
	return root, e2eDir, chromium, node, tests
}
