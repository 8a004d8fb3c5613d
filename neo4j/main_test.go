package neo4j_test

import (
	"flag"
	"os"
	"testing"

	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
)

func TestMain(m *testing.M) {
	if withoutDatabase() {
		os.Exit(m.Run())
	}
	os.Exit(neo4jtest.Main(m))
}

// withoutDatabase reports a run that needs no Neo4j: listing tests, a fuzz worker, or a
// fuzz run that runs no tests (go test -run='^$' -fuzz=...; see scripts/fuzz.sh). The
// fuzzers touch no database, and fuzz workers re-run this binary: they must not wait for
// the database lock their coordinator holds.
func withoutDatabase() bool {
	flag.Parse()
	get := func(name string) string {
		if f := flag.Lookup(name); f != nil {
			return f.Value.String()
		}
		return ""
	}
	return get("test.list") != "" || get("test.fuzzworker") == "true" ||
		get("test.fuzz") != "" && get("test.run") == "^$"
}
