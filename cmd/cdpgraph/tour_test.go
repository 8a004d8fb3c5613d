package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/http/graphiql"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
)

// The README's five-minute tour works when copied: on the demo company `make run` loads
// (seed 42, 10,000 people), every GraphQL example of the tour (the same blocks GraphiQL
// offers as tabs) answers without errors and with data for every root field, and every
// command line of the tour's shell blocks succeeds. The values in the README (a phone,
// record ids, a segment id, file paths) are thus the demo's. Loading the full demo takes
// a few minutes; -short skips it.
func TestReadmeTour(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the full demo company (minutes); run without -short")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	tabs := graphiql.TourTabs(cdp.README)
	commands := tourCommands(t, cdp.README)
	if len(tabs) < 7 || len(commands) < 4 {
		t.Fatalf("found %d GraphQL blocks and %d command lines in the README's tour; the parser lost them", len(tabs), len(commands))
	}

	neo4jtest.DB(t)
	dir := t.TempDir()
	t.Setenv("NEO4J_URI", neo4jtest.URI())
	t.Setenv("CDP_PARTNERS", filepath.Join(root, "config", "partners.example.json"))
	t.Setenv("CDP_PSEUDONYM_KEY", "readme-tour-pseudonym-key")
	t.Setenv("CDP_LOG_LEVEL", "warn")
	keysFile := filepath.Join(dir, "data", "demo-keys.env")
	start := time.Now()
	// The defaults are make run's: seed 42, 10,000 people.
	if err := runDemo(context.Background(), []string{"--dir", filepath.Join(dir, "demo"), "--keys-file", keysFile}); err != nil {
		t.Fatalf("demo: %v", err)
	}
	t.Logf("demo company loaded in %.0fs", time.Since(start).Seconds())
	keys := readEnvFile(t, keysFile)
	tg := &target{keys: map[string]string{"admin": keys["CDP_ADMIN_KEY"]}}
	t.Cleanup(tg.serve(t))

	for _, tab := range tabs {
		ops := operationNames(tab.Query)
		if len(ops) == 0 {
			ops = []string{""}
		}
		for _, op := range ops {
			name := tab.Title
			if op != "" {
				name += " / " + op
			}
			t.Run(name, func(t *testing.T) {
				resp := tg.postOperation(t, "admin", tab.Query, op)
				checkAnswer(t, resp.Status, resp.Body)
			})
		}
	}

	// Command lines run from a directory like the repository root, with the demo's keys in
	// data/demo-keys.env: files they write (--errors-file) stay out of the repository.
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(filepath.Join(work, "data"), 0o700); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "data" && !strings.HasPrefix(e.Name(), ".") {
			if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(work, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.Symlink(keysFile, filepath.Join(work, "data", "demo-keys.env")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	server, err := url.Parse(tg.url)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commands {
		t.Run(c.line, func(t *testing.T) {
			if !strings.HasPrefix(c.line, "bin/cdpgraph ") {
				// A shell line (curl): run its whole block in bash, against the test server.
				script := strings.ReplaceAll(c.block, "localhost:8080", server.Host)
				out, err := exec.Command("bash", "-euo", "pipefail", "-c", script).CombinedOutput()
				if err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
				checkAnswer(t, 200, out)
				return
			}
			args, err := shellWords(strings.TrimPrefix(c.line, "bin/cdpgraph "))
			if err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := runCaptured(t, args...)
			switch {
			case code == exitOK:
			case code == exitRejected && args[0] == "import" && strings.Contains(stdout, " rejected"):
				// The sample files have bad rows on purpose; the report lists them.
			default:
				t.Fatalf("exit status %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
		})
	}
}

// postOperation sends one operation of a document, as GraphiQL does for a tab.
func (tg *target) postOperation(t *testing.T, role, query, operation string) *response {
	t.Helper()
	body := map[string]any{"query": query}
	if operation != "" {
		body["operationName"] = operation
	}
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, tg.url+"/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tg.keys[role])
	return tg.do(t, req)
}

// checkAnswer requires a GraphQL answer without errors whose every root field has data.
func checkAnswer(t *testing.T, status int, body []byte) {
	t.Helper()
	var answer struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors []json.RawMessage          `json:"errors"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		t.Fatalf("HTTP %d, not a GraphQL answer: %s", status, body)
	}
	if status != 200 || len(answer.Errors) > 0 || len(answer.Data) == 0 {
		t.Fatalf("HTTP %d, errors %s, data %s", status, answer.Errors, body)
	}
	for field, v := range answer.Data {
		if string(v) == "null" || string(v) == "[]" {
			t.Errorf("%s is %s: the README shows an example without an answer", field, v)
		}
	}
}

var operationName = regexp.MustCompile(`(?m)^\s*(?:query|mutation|subscription)\s+([A-Za-z_][A-Za-z0-9_]*)`)

// operationNames lists the named operations of a document in order.
func operationNames(doc string) []string {
	var names []string
	for _, m := range operationName.FindAllStringSubmatch(doc, -1) {
		names = append(names, m[1])
	}
	return names
}

// tourCommand is one command line of the tour's ```sh blocks, with its whole block.
type tourCommand struct{ line, block string }

// tourCommands returns the command lines of the tour's shell blocks; a line ending in a
// backslash goes on on the next; `source` lines only set up the others.
func tourCommands(t *testing.T, readme string) []tourCommand {
	t.Helper()
	_, section, ok := strings.Cut(readme, "\n"+graphiql.TourSection+"\n")
	if !ok {
		t.Fatalf("README.md has no %q section", graphiql.TourSection)
	}
	if i := strings.Index(section, "\n## "); i >= 0 {
		section = section[:i]
	}
	var out []tourCommand
	parts := strings.Split(section, "```sh\n")
	for _, p := range parts[1:] {
		block, _, _ := strings.Cut(p, "```")
		joined := strings.ReplaceAll(block, "\\\n", " ")
		for _, line := range strings.Split(joined, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "source ") {
				continue
			}
			out = append(out, tourCommand{line: line, block: block})
		}
	}
	return out
}

// shellWords splits a command line as a POSIX shell would for the tour's simple lines:
// words separated by spaces, single or double quotes around a word.
func shellWords(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord, quote := false, rune(0)
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case strings.ContainsRune("|&;<>$`*?", r):
			return nil, fmt.Errorf("the tour's command %q needs a shell; keep its lines simple", line)
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed quote in %q", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
