package main

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
)

// runCaptured runs a command line as main does and returns its exit status and outputs.
func runCaptured(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	pipe := func(f **os.File) (func() string, func()) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		old := *f
		*f = w
		done := make(chan string)
		go func() {
			b, _ := io.ReadAll(r)
			done <- string(b)
		}()
		return func() string { w.Close(); *f = old; return <-done }, func() { *f = old }
	}
	outDone, outRestore := pipe(&os.Stdout)
	defer outRestore()
	errDone, errRestore := pipe(&os.Stderr)
	defer errRestore()
	code = run(context.Background(), args)
	return code, outDone(), errDone()
}

// Help asked for in any of its spellings goes to standard output and exits 0.
func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, _ := runCaptured(t, args...)
		if code != exitOK || !strings.Contains(out, "usage: cdpgraph COMMAND") || !strings.Contains(out, "Exit status") {
			t.Errorf("%v: exit %d, stdout %q", args, code, out)
		}
	}
	code, _, errOut := runCaptured(t)
	if code != exitUsage || !strings.Contains(errOut, "usage: cdpgraph COMMAND") {
		t.Errorf("no command: exit %d, stderr %q; want the usage and exit 2", code, errOut)
	}
	code, _, errOut = runCaptured(t, "imprt")
	if code != exitUsage || !strings.Contains(errOut, `unknown command "imprt"`) {
		t.Errorf("unknown command: exit %d, stderr %q", code, errOut)
	}
}

// Every command's help starts with what it does, lists its own flags before the settings
// every command shares, and gives examples; `help COMMAND` says the same.
func TestEveryCommandsHelpShowsItsOwnFlagsFirstAndExamples(t *testing.T) {
	lines := [][]string{
		{"serve", "-h"}, {"import", "-h"}, {"demo", "-h"}, {"migrate", "-h"}, {"resolve", "-h"},
		{"score", "-h"}, {"influence", "-h"}, {"sentiment", "-h"}, {"bench", "-h"},
		{"bench", "scoring", "-h"}, {"bench", "segments", "-h"}, {"bench", "influence", "-h"},
		{"keys", "-h"}, {"keys", "create", "-h"}, {"keys", "list", "-h"}, {"keys", "revoke", "-h"},
		{"eval", "-h"}, {"eval", "identity", "-h"}, {"eval", "clv", "-h"}, {"eval", "sentiment", "-h"},
		{"help", "import"},
	}
	for name := range commands {
		found := false
		for _, l := range lines {
			found = found || l[0] == name
		}
		if !found {
			t.Errorf("command %s has no help test line", name)
		}
	}
	for _, args := range lines {
		code, out, errOut := runCaptured(t, args...)
		if code != exitOK {
			t.Errorf("%v: exit %d (stderr %q)", args, code, errOut)
			continue
		}
		if !strings.HasPrefix(out, "usage: cdpgraph ") || !strings.Contains(out, "\nExamples:\n  cdpgraph ") {
			t.Errorf("%v: help without usage or examples:\n%s", args, out)
		}
		shared := strings.Index(out, "Settings every command shares")
		if strings.Contains(out, "--neo4j-uri") && shared < 0 {
			t.Errorf("%v: shared settings not under their heading:\n%s", args, out)
		}
		if own := strings.Index(out, "\nFlags of "); own >= 0 && shared >= 0 && own > shared {
			t.Errorf("%v: the command's own flags come after the shared settings", args)
		}
	}
	_, out, _ := runCaptured(t, "import", "-h")
	if s, n := strings.Index(out, "--source"), strings.Index(out, "--neo4j-uri"); s < 0 || n < s {
		t.Errorf("import -h: --source at %d, --neo4j-uri at %d; want the command's flags first", s, n)
	}
	for _, want := range []string{"--dry-run", "--max-rejects", "--strict", "Exit status: 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("import -h does not mention %s", want)
		}
	}
}

// A missing required flag or argument is named, with a pointer to the help, exit 2; no
// database is needed to say so.
func TestMissingRequiredFlagIsNamed(t *testing.T) {
	t.Setenv("NEO4J_URI", "bolt://127.0.0.1:1") // nothing listens: the checks come first
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "--kind", "customers", "a.csv"}, "--source is required"},
		{[]string{"import", "--source", "crm", "a.csv"}, "--kind is required"},
		{[]string{"import", "--source", "crm", "--kind", "customer", "a.csv"}, `--kind "customer" is not a kind; expected one of customers, orders`},
		{[]string{"import", "--source", "CRM", "--kind", "customers", "a.csv"}, "--source: source \"CRM\" must be"},
		{[]string{"import", "--source", "crm", "--kind", "customers"}, "name the files to import"},
		{[]string{"import", "--sauce", "crm"}, "flag provided but not defined: -sauce"},
		{[]string{"keys", "create", "--role", "admin"}, "--name is required"},
		{[]string{"keys", "revoke"}, "name one KEY_ID"},
		{[]string{"keys"}, "name a subcommand"},
		{[]string{"eval", "clv"}, "name the transaction files"},
		{[]string{"bench", "scoring", "extra"}, `unexpected argument "extra"`},
	} {
		code, _, errOut := runCaptured(t, c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) || !strings.Contains(errOut, "-h' for its flags") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, code, errOut, c.want)
		}
	}
}
