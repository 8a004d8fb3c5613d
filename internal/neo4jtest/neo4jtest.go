// Package neo4jtest gives tests a real Neo4j. `make test` starts one embedded database for
// the whole run and sets NEO4J_URI; a package run on its own (go test ./neo4j) starts a
// private embedded instance instead. Packages share the database one at a time (a file
// lock held for the package's run) and each test starts from an empty graph.
package neo4jtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cdpgraph/cdpgraph/internal/faultproxy"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

var (
	shared    *neo4j.DB
	sharedURI string
	sharedCfg neo4j.Config
)

// Main runs a package's tests with the database; call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(neo4jtest.Main(m)) }
func Main(m *testing.M) int {
	ctx := context.Background()
	cfg := neo4j.Config{URI: os.Getenv("NEO4J_URI"), User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")}
	if cfg.URI == "" {
		uri, stop, err := startEmbedded()
		if err != nil {
			fmt.Fprintln(os.Stderr, "neo4jtest: NEO4J_URI is not set and the embedded Neo4j did not start:", err)
			return 1
		}
		defer stop()
		cfg.URI = uri
	}
	unlock, err := lock(cfg.URI)
	if err != nil {
		fmt.Fprintln(os.Stderr, "neo4jtest:", err)
		return 1
	}
	defer unlock()
	db, err := neo4j.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "neo4jtest: cannot reach Neo4j at", cfg.URI+":", err)
		return 1
	}
	defer db.Close(ctx)
	if err := db.Migrate(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "neo4jtest: migrate:", err)
		return 1
	}
	shared, sharedURI, sharedCfg = db, cfg.URI, cfg
	return m.Run()
}

// DB returns the shared database, emptied of data for this test.
func DB(t testing.TB) *neo4j.DB {
	t.Helper()
	if shared == nil {
		t.Fatal("neo4jtest: call neo4jtest.Main from TestMain")
	}
	if err := shared.DeleteAllData(context.Background()); err != nil {
		t.Fatalf("neo4jtest: empty the database: %v", err)
	}
	shared.Now = time.Now
	return shared
}

// lock serializes test packages on one database: go test runs packages in parallel, and
// each test here expects the graph to itself.
func lock(uri string) (func(), error) {
	sum := sha256.Sum256([]byte(uri))
	path := filepath.Join(os.TempDir(), "cdpgraph-neo4jtest-"+hex.EncodeToString(sum[:6])+".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}

// startEmbedded starts a private embedded Neo4j through scripts/neo4j.sh on a free port.
func startEmbedded() (string, func(), error) {
	root, err := repoRoot()
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "cdpgraph-neo4j-")
	if err != nil {
		return "", nil, err
	}
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	script := filepath.Join(root, "scripts", "neo4j.sh")
	cmd := exec.Command(script, "start", dir, fmt.Sprint(port))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	stop := func() {
		exec.Command(script, "stop", dir).Run()
		os.RemoveAll(dir)
	}
	return fmt.Sprintf("bolt://127.0.0.1:%d", port), stop, nil
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.Contains(string(b), "module github.com/cdpgraph/cdpgraph\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("repository root (go.mod) not found above the test directory")
		}
		dir = parent
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// URI returns the address of the test database, for tests that start commands which read
// NEO4J_URI themselves.
func URI() string { return sharedURI }

// Proxied opens a second DB that reaches the test database through a fault proxy, so a
// test can make Neo4j go away (p.Cut) and come back (p.Restore) without touching the one
// database every package shares. cfg sets the DB's timeouts; where it connects and with
// which credentials come from the test database. The graph is the shared one: call DB(t)
// first to start empty. The DB and the proxy close when the test ends.
func Proxied(t testing.TB, cfg neo4j.Config) (*faultproxy.Proxy, *neo4j.DB) {
	t.Helper()
	if shared == nil {
		t.Fatal("neo4jtest: call neo4jtest.Main from TestMain")
	}
	u, err := url.Parse(sharedCfg.URI)
	if err != nil {
		t.Fatalf("neo4jtest: NEO4J_URI %q: %v", sharedCfg.URI, err)
	}
	p, err := faultproxy.Start(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	// Connect directly (bolt), not through a routing table: the server would advertise its
	// own address and the driver would go round the proxy.
	scheme := strings.Replace(u.Scheme, "neo4j", "bolt", 1)
	cfg.URI = scheme + "://" + p.Addr()
	cfg.User, cfg.Password, cfg.Database = sharedCfg.User, sharedCfg.Password, sharedCfg.Database
	db, err := neo4j.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("neo4jtest: open through the proxy: %v", err)
	}
	t.Cleanup(func() { db.Close(context.Background()) })
	return p, db
}
