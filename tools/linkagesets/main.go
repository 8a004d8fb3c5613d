// Command linkagesets writes a labelled customer data set (crm.ndjson, pos.ndjson,
// web.ndjson, every record labelled "true_person") for `cdpgraph eval identity --format
// ndjson`; see internal/linkagesets for what it models.
//
//	go run ./tools/linkagesets -seed 101 -households 1500 -out /tmp/sets/101
//	cdpgraph eval identity --format ndjson --reset /tmp/sets/101/*.ndjson
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/cdpgraph/cdpgraph/internal/linkagesets"
)

func main() {
	seed := flag.Uint64("seed", 1, "random seed; the same seed writes the same files")
	households := flag.Int("households", 1500, "households to draw (about 2.5 people and 3.5 records each)")
	out := flag.String("out", "", "directory to write into")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "linkagesets: name the output directory with -out")
		os.Exit(2)
	}
	st, err := linkagesets.Generate(*out, linkagesets.Config{Seed: *seed, Households: *households})
	if err != nil {
		fmt.Fprintln(os.Stderr, "linkagesets:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "%d households, %d people, %d records (", st.Households, st.People, st.Records)
	for i, s := range st.SortedSources() {
		if i > 0 {
			fmt.Fprint(os.Stderr, ", ")
		}
		fmt.Fprintf(os.Stderr, "%s %d", s, st.Sources[s])
	}
	fmt.Fprintf(os.Stderr, "); %d twin pairs, %d records with a parent's birth date\n", st.Twins, st.CopiedBirthDates)
}
