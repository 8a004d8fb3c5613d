// Package compare is the read-path benchmark behind `make bench-compare`: cdpgraph, the
// @neo4j/graphql library (7.6.3 on Apollo Server 5, neo4j-graphql/) and a raw Go-driver
// baseline (one hand-written statement per request, neo4j/baseline) side by side over the
// same Neo4j and the same demo company, with every answer checked against a truth
// computed separately. scripts/bench-compare.sh starts the three servers and runs it;
// docs/benchmarks.md describes the method.
//
//	cdpgraph bench compare raw     serve the raw baseline over HTTP
//	cdpgraph bench compare load    run the workloads against the systems (-verify: check once and stop)
//	cdpgraph bench compare report  summarize the cells as Markdown
//
// Neo4j is NEO4J_URI (default bolt://127.0.0.1:7687), NEO4J_USER and NEO4J_PASSWORD (no
// auth when empty). The benchmark only reads.
package compare

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/cdpgraph/cdpgraph/neo4j/baseline"
)

// Main runs `cdpgraph bench compare COMMAND ...`.
func Main(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: cdpgraph bench compare raw|load|report [flags] (make bench-compare runs them all)")
		return flag.ErrHelp
	}
	switch args[0] {
	case "raw":
		return runRaw(ctx, args[1:])
	case "load":
		return runLoad(ctx, args[1:])
	case "report":
		return runReport(args[1:])
	}
	return fmt.Errorf("bench compare: unknown command %q (raw, load or report)", args[0])
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func openDB(ctx context.Context) (*baseline.DB, error) {
	return baseline.Open(ctx, envOr("NEO4J_URI", "bolt://127.0.0.1:7687"), os.Getenv("NEO4J_USER"), os.Getenv("NEO4J_PASSWORD"))
}
