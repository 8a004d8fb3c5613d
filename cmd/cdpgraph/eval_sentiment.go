package main

import (
	"context"
	"fmt"
	"os"

	"github.com/cdpgraph/cdpgraph/sentiment"
)

// runEvalSentiment scores `label<TAB>text` lines (label pos or neg) with the embedded
// model and prints the accuracy per file and language, the overall accuracy last.
func runEvalSentiment(_ context.Context, args []string) error {
	var a app
	fs := newFlags("eval sentiment", &a.cfg)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErrorf(fs, "name the labelled files (label<TAB>text per line, label pos or neg)")
	}
	correct, total := 0, 0
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		res, err := sentiment.Evaluate(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Printf("%s:\n%s\n", name, res)
		correct += res.Overall.Correct
		total += res.Overall.N
	}
	if total == 0 {
		return fmt.Errorf("eval sentiment: no labelled lines")
	}
	fmt.Printf("accuracy: %.4f\n", float64(correct)/float64(total))
	return nil
}
