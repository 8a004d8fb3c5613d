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
	"io"
	"os"
	"os/signal"
	"slices"
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// run runs one command line and returns the exit status (see help.go).
func run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		usage(os.Stderr)
		return exitUsage
	}
	name := args[0]
	if isHelp(name) {
		if name == "help" && len(args) > 1 {
			// cdpgraph help import: the command's own -h.
			if commands[args[1]] == nil {
				fmt.Fprintf(os.Stderr, "cdpgraph help: unknown command %q\n", args[1])
				usage(os.Stderr)
				return exitUsage
			}
			return run(ctx, append(slices.Clone(args[1:]), "-h"))
		}
		usage(os.Stdout)
		return exitOK
	}
	cmd := commands[name]
	if cmd == nil {
		fmt.Fprintf(os.Stderr, "cdpgraph: unknown command %q\n\n", name)
		usage(os.Stderr)
		return exitUsage
	}
	return exitCode(cmd(ctx, args[1:]))
}

// exitCode reports a command's error on standard error and maps it to the exit status.
func exitCode(err error) int {
	var uerr *usageError
	var rejected *rejectedError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK // the help was asked for and printed
	case errors.As(err, &uerr):
		fmt.Fprintf(os.Stderr, "cdpgraph %s: %s\nRun 'cdpgraph %s -h' for its flags and examples.\n", uerr.command, uerr.msg, uerr.command)
		return exitUsage
	case errors.As(err, &rejected):
		fmt.Fprintln(os.Stderr, "cdpgraph:", rejected.Error())
		return exitRejected
	}
	fmt.Fprintln(os.Stderr, "cdpgraph:", message(err))
	return exitFailed
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: cdpgraph COMMAND [flags]

commands:
  serve     start the GraphQL server (GraphiQL at /, API at /graphql, console at /console)
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
  help      this text; 'cdpgraph help COMMAND' is the same as 'cdpgraph COMMAND -h'

Run 'cdpgraph COMMAND -h' for a command's own flags and examples. Every flag also reads an
environment variable, named in its help.

Exit status: 0 done; 1 failed; 2 wrong command line; 3 import rejected records.
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
