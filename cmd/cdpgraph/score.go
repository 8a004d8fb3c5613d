package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	cdp "github.com/cdpgraph/cdpgraph"
)

// runScore fits the loyalty and churn models and scores every customer, or with
// --incremental only those with new activity since the last run.
func runScore(ctx context.Context, args []string) error {
	var a app
	fs := newFlags("score", &a.cfg)
	asOf := fs.String("as-of", "", "score as of the end of this day, YYYY-MM-DD in the configured time zone (default: now)")
	incremental := fs.Bool("incremental", false, "only rescore customers with new activity, with the last run's parameters")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	defer a.close()
	if err := a.open(ctx); err != nil {
		return err
	}
	if *incremental {
		n, err := a.scorer.ScoreChanged(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("rescored %d customers with new activity\n", n)
		return nil
	}
	at, err := a.scorer.AsOf(*asOf)
	if err != nil {
		return err
	}
	m, stats, err := a.scorer.Run(ctx, at)
	if err != nil {
		return err
	}
	printModel(os.Stdout, m)
	fmt.Printf("\nscored %d customers: read %s, fit and score %s, write %s\n", stats.Customers,
		stats.ReadTime.Round(1e6), stats.FitTime.Round(1e6), stats.WriteTime.Round(1e6))
	return nil
}

// printModel writes a scoring run's report for a terminal.
func printModel(w io.Writer, m *cdp.ScoreModel) {
	fmt.Fprintf(w, "model %s: as of %s, %d customers, %d buyers, currency %s\n", m.Version,
		m.AsOf.Format("2006-01-02 15:04 MST"), m.Customers, m.Buyers, m.Currency)
	for _, f := range []*cdp.ModelFit{m.BGNBD, m.GammaGamma} {
		if f != nil {
			printFit(w, f)
		}
	}
	if c := m.Churn; c != nil {
		fmt.Fprintf(w, "churn risk: %s", c.Method)
		if c.Note != "" {
			fmt.Fprintf(w, " (%s)", c.Note)
		}
		fmt.Fprintln(w)
		if c.Method == "logistic regression" {
			fmt.Fprintf(w, "  trained on %d buyers as of %s (churn rate %.3f), tested on %d as of %s (churn rate %.3f)\n",
				c.TrainCustomers, c.TrainCutoff.Format("2006-01-02"), c.TrainChurnRate,
				c.TestCustomers, c.TestCutoff.Format("2006-01-02"), c.TestChurnRate)
			fmt.Fprintf(w, "  test AUC %.4f (BG/NBD P(no purchase) alone: %.4f)\n", c.AUC, c.BaselineAUC)
			for _, p := range c.Coefficients {
				fmt.Fprintf(w, "    %-26s %+.4f\n", p.Name, p.Value)
			}
		}
	}
	if m.UnconvertedOrders > 0 {
		fmt.Fprintf(w, "%d orders left out of monetary figures: no exchange rate for their currency (set CDP_FX_RATES)\n", m.UnconvertedOrders)
	}
	for _, n := range m.Notes {
		fmt.Fprintln(w, "note:", n)
	}
}

func printFit(w io.Writer, f *cdp.ModelFit) {
	parts := make([]string, len(f.Parameters))
	for i, p := range f.Parameters {
		parts[i] = fmt.Sprintf("%s = %.4f (se %.4f)", p.Name, p.Value, p.StdError)
	}
	fmt.Fprintf(w, "%s on %d customers: %s; log-likelihood %.2f\n", f.Name, f.Customers, strings.Join(parts, ", "), f.LogLikelihood)
}
