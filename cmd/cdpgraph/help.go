package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cdpgraph/cdpgraph/config"
)

// Exit statuses of the command, as `cdpgraph help` documents them.
const (
	exitOK       = 0
	exitFailed   = 1 // the command could not do its work (Neo4j unreachable, a file missing...)
	exitUsage    = 2 // the command line was wrong: an unknown flag, a required one missing
	exitRejected = 3 // import finished, but records were rejected (more than --max-rejects)
)

// commandHelp is what a command's -h says besides its flags.
type commandHelp struct {
	usage    string   // the synopsis, after "usage: "
	about    string   // what it does, a few lines
	examples []string // command lines, each with an optional "  # why" comment
}

// helps is keyed by the flag set's name without "cdpgraph ".
var helps = map[string]commandHelp{
	"serve": {
		usage: "cdpgraph serve [flags]",
		about: "Start the GraphQL server: the API at /graphql, GraphiQL at / and the console at /console.\n" +
			"Requests need an API key (Authorization: Bearer KEY); 'cdpgraph keys create' makes one.",
		examples: []string{
			"cdpgraph serve                                  # http://127.0.0.1:8080, Neo4j at bolt://127.0.0.1:7687",
			"cdpgraph serve --http-addr :9000 --graphiql=false",
			"NEO4J_URI=neo4j+s://db.example.com NEO4J_USER=neo4j NEO4J_PASSWORD=... cdpgraph serve",
		},
	},
	"import": {
		usage: "cdpgraph import --source SOURCE --kind KIND [flags] FILE...   ('-' reads standard input)",
		about: "Load CSV or NDJSON files of one kind from one source system. Every record is validated;\n" +
			"the valid ones are stored and each bad one is listed by line and field. Importing a file\n" +
			"again changes nothing. Columns are documented in docs/import.md; examples/import/ has samples.\n\n" +
			"The report goes to standard output, logs and the progress line to standard error.\n\n" +
			"Exit status: 0 every record accepted (or no more rejected than --max-rejects allows);\n" +
			"1 the import failed (file unreadable, Neo4j unreachable, --strict refused a file);\n" +
			"2 the command line is wrong; 3 records were rejected (the valid ones were stored).",
		examples: []string{
			"cdpgraph import --source crm --kind customers examples/import/customers.csv",
			"cdpgraph import --source web --kind events examples/import/events.ndjson",
			"cdpgraph import --source pos --kind orders --dry-run examples/import/orders.csv   # validate, write nothing",
			"cdpgraph import --source crm --kind customers --strict --max-rejects 100 export/*.csv",
			"gunzip -c orders.ndjson.gz | cdpgraph import --source shop --kind orders --format ndjson -",
		},
	},
	"demo": {
		usage: "cdpgraph demo [--if-empty] [--reset] [flags]",
		about: "Generate the demo company (the same seed gives the same company) and load it: records of\n" +
			"several sources with deliberate bad data, then resolution, scoring, influence, two saved\n" +
			"segments and one API key per role (written to --keys-file).",
		examples: []string{
			"cdpgraph demo --if-empty          # what 'make run' does: load once",
			"cdpgraph demo --reset             # what 'make demo' does: wipe the graph and load again",
			"cdpgraph demo --reset --people 1000 --seed 7",
		},
	},
	"migrate": {
		usage: "cdpgraph migrate [flags]",
		about: "Apply the graph schema (constraints and indexes). Every command does this on start unless\n" +
			"--skip-migrate is given; this command only migrates.",
		examples: []string{"cdpgraph migrate", "NEO4J_URI=bolt://db:7687 cdpgraph migrate"},
	},
	"resolve": {
		usage:    "cdpgraph resolve [flags]",
		about:    "Recompute identity resolution over every record: after changing the identifier rules\n(--identity-rules), or to check that incremental resolution agrees with a full pass.",
		examples: []string{"cdpgraph resolve", "cdpgraph resolve --identity-rules rules.json"},
	},
	"score": {
		usage:    "cdpgraph score [--as-of DATE] [--incremental] [flags]",
		about:    "Fit the CLV (BG/NBD, Gamma-Gamma) and churn models and score every customer; the model\nreport goes to standard output.",
		examples: []string{"cdpgraph score", "cdpgraph score --as-of 2026-06-30", "cdpgraph score --incremental   # only customers with new activity"},
	},
	"influence": {
		usage:    "cdpgraph influence [flags]",
		about:    "Rank customers by social influence (PageRank over their ties), find communities and\nreferral cascades, and store the results on the customers.",
		examples: []string{"cdpgraph influence", "cdpgraph influence --influence-weights referred=4,shared=2,mentioned=1,follows=1"},
	},
	"sentiment": {
		usage:    "cdpgraph sentiment [flags]",
		about:    "Rescore the sentiment of every stored feedback text with the embedded model. Feedback is\nscored as it arrives; this is for data loaded before a model change.",
		examples: []string{"cdpgraph sentiment && cdpgraph score   # then refresh customers' averages"},
	},
	"keys": {
		usage: "cdpgraph keys create|list|revoke [flags]",
		about: "Manage API keys. The secret of a new key is printed once, on standard output; creating and\n" +
			"revoking are written to the audit log as the operating-system user.",
		examples: []string{
			"cdpgraph keys create --role analyst --name 'BI dashboard'",
			"cdpgraph keys create --role frontend --name 'web shop' --sources web",
			"cdpgraph keys create --role partner --name 'Acme' --partner acme --partners config/partners.example.json",
			"cdpgraph keys list",
			"cdpgraph keys revoke key_01J...",
		},
	},
	"keys create": {
		usage:    "cdpgraph keys create --role ROLE --name NAME [--partner ID] [--sources a,b] [--pii] [flags]",
		about:    "Create an API key and print its secret once, on standard output.",
		examples: []string{"cdpgraph keys create --role admin --name ops", "cdpgraph keys create --role analyst --name 'fraud team' --pii"},
	},
	"keys list": {
		usage:    "cdpgraph keys list [flags]",
		about:    "List every API key (never their secrets).",
		examples: []string{"cdpgraph keys list"},
	},
	"keys revoke": {
		usage:    "cdpgraph keys revoke KEY_ID [flags]",
		about:    "Revoke a key: requests with it fail from now on, and open subscriptions end.",
		examples: []string{"cdpgraph keys revoke key_01J..."},
	},
	"eval": {
		usage: "cdpgraph eval identity|clv|sentiment [flags] FILE...",
		about: "Measure the platform against labelled data:\n" +
			"  eval identity   precision, recall and F1 of identity resolution (wipes the database)\n" +
			"  eval clv        BG/NBD and Gamma-Gamma fit and holdout accuracy (no database)\n" +
			"  eval sentiment  accuracy of the sentiment model on label<TAB>text files (no database)",
		examples: []string{
			"cdpgraph eval identity --reset febrl/dataset4a.csv",
			"cdpgraph eval clv cdnow/CDNOW_sample.txt",
			"cdpgraph eval sentiment sentiment/testdata/*_heldout.tsv",
		},
	},
	"eval identity": {
		usage: "cdpgraph eval identity [--format febrl|ndjson|demo] [--reset] FILE...|DIR",
		about: "Load a labelled data set into an empty database through the normal ingest path, resolve,\n" +
			"and print pairwise precision, recall and F1 (F1 on the last line).",
		examples: []string{
			"cdpgraph eval identity --reset febrl/dataset4a.csv",
			"cdpgraph eval identity --reset --format demo data/demo",
		},
	},
	"eval clv": {
		usage:    "cdpgraph eval clv [--format cdnow|orders] [--calibration-end DATE] [--holdout-end DATE] FILE...",
		about:    "Fit BG/NBD and Gamma-Gamma on a calibration period and compare their predictions with the\nholdout period. Needs no database.",
		examples: []string{"cdpgraph eval clv cdnow/CDNOW_sample.txt", "cdpgraph eval clv --format orders --calibration-end 2026-03-31 data/demo/pos/orders.ndjson"},
	},
	"eval sentiment": {
		usage:    "cdpgraph eval sentiment FILE...",
		about:    "Score label<TAB>text lines (label pos or neg) with the embedded model and print the accuracy\nper file and language, the overall accuracy last. Needs no database.",
		examples: []string{"cdpgraph eval sentiment sentiment/testdata/*_heldout.tsv"},
	},
	"bench": {
		usage: "cdpgraph bench [scoring|segments|influence|compare] [flags]",
		about: "Measure import throughput and query latency on the demo company (wipes the database with\n" +
			"--reset); 'make bench' runs it on a throw-away Neo4j. Subcommands: bench scoring, bench\n" +
			"segments, bench influence, bench compare (docs/benchmarks.md).",
		examples: []string{"cdpgraph bench --reset", "cdpgraph bench --latency-only --queries 1000", "cdpgraph bench scoring --reset --customers 100000"},
	},
	"bench scoring": {
		usage:    "cdpgraph bench scoring [--reset] [--customers N] [--skip-load] [flags]",
		about:    "Load a simulated company and time full and incremental scoring against Neo4j.",
		examples: []string{"cdpgraph bench scoring --reset --customers 100000", "cdpgraph bench scoring --skip-load --runs 3"},
	},
	"bench segments": {
		usage:    "cdpgraph bench segments [--runs N] [flags]",
		about:    "Time previewSegment for each kind of definition on the data already loaded.",
		examples: []string{"cdpgraph bench segments --runs 50"},
	},
	"bench influence": {
		usage:    "cdpgraph bench influence [--customers N] [--ties N] [--skip-load] [flags]",
		about:    "Add social ties among the customers of 'bench scoring' and time an influence run.",
		examples: []string{"cdpgraph bench influence --ties 1000000"},
	},
}

// flagHelp remembers which flags of a set are the shared settings, to show them after the
// command's own.
type flagHelp struct {
	command string
	common  map[string]bool
}

// newFlags returns a flag set with the common settings registered into cfg. Flags the
// command registers afterwards are its own and come first in its help.
func newFlags(name string, cfg *config.Config) *flag.FlagSet {
	fs := flag.NewFlagSet("cdpgraph "+name, flag.ContinueOnError)
	cfg.Register(fs)
	h := &flagHelp{command: name, common: map[string]bool{}}
	fs.VisitAll(func(f *flag.Flag) { h.common[f.Name] = true })
	// parseFlags reports errors and prints the help; the flag package prints nothing.
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	flagHelps[fs] = h
	return fs
}

// flagHelps is filled as commands build their flag sets (one or two a process).
var flagHelps = map[*flag.FlagSet]*flagHelp{}

// parseFlags parses a command's flags: -h prints its help to standard output (and returns
// flag.ErrHelp, exit 0); a wrong flag is a usage error (exit 2).
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		printHelp(os.Stdout, fs)
		return err
	}
	if err != nil {
		return usageErrorf(fs, "%s", err.Error())
	}
	return nil
}

// usageError is a wrong command line; main prints it with a pointer to the command's help.
type usageError struct {
	command string
	msg     string
}

func (e *usageError) Error() string { return e.msg }

func usageErrorf(fs *flag.FlagSet, format string, args ...any) error {
	return &usageError{command: strings.TrimPrefix(fs.Name(), "cdpgraph "), msg: fmt.Sprintf(format, args...)}
}

// required names the first missing required flag (value empty) as a usage error.
func required(fs *flag.FlagSet, names ...string) error {
	for _, n := range names {
		if f := fs.Lookup(n); f != nil && f.Value.String() == "" {
			return usageErrorf(fs, "--%s is required: %s", n, strings.TrimSuffix(f.Usage, " (required)"))
		}
	}
	return nil
}

// printHelp writes a command's help: usage, what it does, its own flags, examples, then
// the settings every command shares.
func printHelp(w io.Writer, fs *flag.FlagSet) {
	name := strings.TrimPrefix(fs.Name(), "cdpgraph ")
	h := flagHelps[fs]
	doc, ok := helps[name]
	if !ok {
		doc.usage = fs.Name() + " [flags]"
	}
	fmt.Fprintf(w, "usage: %s\n", doc.usage)
	if doc.about != "" {
		fmt.Fprintf(w, "\n%s\n", doc.about)
	}
	isCommon := func(f *flag.Flag) bool { return h != nil && h.common[f.Name] }
	var own, common []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		if isCommon(f) {
			common = append(common, f)
		} else {
			own = append(own, f)
		}
	})
	if len(own) > 0 {
		fmt.Fprintf(w, "\nFlags of %s:\n", name)
		printFlags(w, own)
	}
	if len(doc.examples) > 0 {
		fmt.Fprintln(w, "\nExamples:")
		for _, e := range doc.examples {
			fmt.Fprintln(w, "  "+e)
		}
	}
	if len(common) > 0 {
		fmt.Fprintln(w, "\nSettings every command shares (each also read from the environment variable in brackets):")
		printFlags(w, common)
	}
}

// printFlags lays flags out as flag.PrintDefaults does, with the double dash the docs use.
func printFlags(w io.Writer, flags []*flag.Flag) {
	for _, f := range flags {
		kind, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if kind != "" {
			line += " " + kind
		}
		fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(usage, "\n", "\n    \t"))
		if def := f.DefValue; def != "" && def != "false" && def != "0" && def != "0s" {
			if kind == "string" {
				def = fmt.Sprintf("%q", def)
			}
			fmt.Fprintf(w, " (default %s)", def)
		}
		fmt.Fprintln(w)
	}
}

// printGroupHelp is the help of a command made of subcommands (keys, eval) asked without one.
func printGroupHelp(w io.Writer, name string) {
	doc := helps[name]
	fmt.Fprintf(w, "usage: %s\n\n%s\n", doc.usage, doc.about)
	if len(doc.examples) > 0 {
		fmt.Fprintln(w, "\nExamples:")
		for _, e := range doc.examples {
			fmt.Fprintln(w, "  "+e)
		}
	}
	fmt.Fprintf(w, "\nRun 'cdpgraph %s SUBCOMMAND -h' for a subcommand's flags.\n", name)
}

// isHelp says whether an argument asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "help"
}

// groupHelp answers a command made of subcommands called without a known one: help on
// request (exit 0), otherwise a usage error naming what is missing.
func groupHelp(name string, args []string) error {
	if len(args) > 0 && isHelp(args[0]) {
		printGroupHelp(os.Stdout, name)
		return flag.ErrHelp
	}
	if len(args) == 0 {
		return &usageError{command: name, msg: "name a subcommand"}
	}
	return &usageError{command: name, msg: fmt.Sprintf("unknown subcommand %q", args[0])}
}
