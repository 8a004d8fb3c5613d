// Command cdpgraph runs the customer data platform: the GraphQL server, file imports and
// the demo company loader.
//
//	cdpgraph serve                       start the GraphQL server
//	cdpgraph import --source crm --kind customers FILE...
//	cdpgraph demo [--if-empty] [--reset] load the generated demo company
//	cdpgraph migrate                     apply the graph schema
//	cdpgraph score [--as-of DATE]        score every customer for loyalty and churn
//	cdpgraph eval identity|clv ...       measure identity resolution or the CLV models
//	cdpgraph keys create|list|revoke     manage API keys
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones work on machines without a zoneinfo database

	cdp "github.com/cdpgraph/cdpgraph"
)

var commands = map[string]func(ctx context.Context, args []string) error{
	"serve":     runServe,
	"import":    runImport,
	"demo":      runDemo,
	"migrate":   runMigrate,
	"bench":     runBench,
	"resolve":   runResolve,
	"eval":      runEval,
	"score":     runScore,
	"influence": runInfluence,
	"sentiment": runSentiment,
	"keys":      runKeys,
}

func main() {
	if len(os.Args) < 2 || commands[os.Args[1]] == nil {
		usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := commands[os.Args[1]](ctx, os.Args[2:])
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cdpgraph:", message(err))
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprint(os.Stderr, `usage: cdpgraph COMMAND [flags]

commands:
  serve     start the GraphQL server (GraphiQL at /, API at /graphql)
  import    load CSV or NDJSON files: cdpgraph import --source crm --kind customers FILE...
  demo      generate and load the demo company (--if-empty loads it only into an empty graph)
  migrate   apply the graph schema (constraints and indexes)
  resolve   recompute identity resolution over every record (after changing identity rules)
  score     fit loyalty and churn models and score every customer (--as-of DATE, --incremental)
  influence rank customers by social influence, find communities and referral cascades
  sentiment rescore the sentiment of every stored feedback text (after a model change)
  eval      eval identity: precision, recall and F1 of resolution on labelled data;
            eval clv: BG/NBD and Gamma-Gamma fit and holdout accuracy on transactions;
            eval sentiment: accuracy of the sentiment model on label<TAB>text files
  keys      manage API keys: keys create --role ROLE --name NAME, keys list, keys revoke ID
  bench     measure import throughput and query latency (make bench; wipes the database);
            bench compare: the read path beside @neo4j/graphql and the raw driver (make bench-compare; only reads)

Run 'cdpgraph COMMAND -h' for a command's flags. Every flag also reads an environment
variable, named in its help.
`)
}

// message shows application errors by their safe message and anything else in full: this
// is the operator's own terminal.
func message(err error) string {
	var e *cdp.Error
	if errors.As(err, &e) {
		if e.Field != "" {
			return e.Field + ": " + e.Message
		}
		return e.Message
	}
	return err.Error()
}
