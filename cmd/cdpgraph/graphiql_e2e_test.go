package main

// The GraphiQL page's end-to-end test (console/e2e/graphiql, run by node in Debian's headless
// Chromium) against the server as the binary runs it, on real Neo4j with a few customers.

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/http/graphiql"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
)

func TestGraphiQLE2E(t *testing.T) {
	root, e2eDir, chromium, node, tests := browserTests(t, "graphiql", "the GraphiQL end-to-end test", false)

	neo4jtest.DB(t)
	t.Setenv("NEO4J_URI", neo4jtest.URI())
	t.Setenv("CDP_PARTNERS", filepath.Join(root, "config", "partners.example.json"))
	t.Setenv("CDP_PSEUDONYM_KEY", "graphiql-e2e-pseudonym-key")
	t.Setenv("CDP_LOG_LEVEL", "warn")
	tg := &target{keys: map[string]string{}, ids: map[string]string{}}
	out := captureStdout(t, func() {
		if err := runKeys(context.Background(), []string{"create", "--role", "admin", "--name", "graphiql-e2e"}); err != nil {
			t.Fatal(err)
		}
	})
	tg.keys["admin"] = strings.TrimSpace(out)
	t.Cleanup(tg.serve(t))
	tg.mustIngest(t, "crm", "ingestCustomers", []string{
		`{sourceId: "G1", givenName: "Grace", familyName: "Hopper", email: "grace@example.com", city: "Shanghai", country: "CN"}`,
		`{sourceId: "G2", givenName: "Alan", familyName: "Turing", email: "alan@example.com", city: "Beijing", country: "CN"}`,
	})

	var titles []string
	for _, tab := range graphiql.TourTabs(cdp.README) {
		titles = append(titles, tab.Title)
	}
	tour, err := json.Marshal(titles)
	if err != nil {
		t.Fatal(err)
	}

	shots := filepath.Join(e2eDir, "screenshots")
	budget := 5 * time.Minute
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
	cmd.Env = append(os.Environ(), "CONSOLE_URL="+tg.url, "SCREENSHOT_DIR="+shots, "CHROMIUM="+chromium, "NO_COLOR=1",
		"CDP_ADMIN_KEY="+tg.keys["admin"], "CDP_TOUR_TITLES="+string(tour))
	pipe, err := cmd.StdoutPipe()
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
		logLines(t, pipe)
	}()
	wg.Wait()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the GraphiQL end-to-end test failed (%v); screenshots in %s", err, shots)
	}
}
