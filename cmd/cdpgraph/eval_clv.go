package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/analytics"
	"github.com/cdpgraph/cdpgraph/analytics/clv"
	"github.com/cdpgraph/cdpgraph/config"
	"github.com/cdpgraph/cdpgraph/ingest"
)

// runEvalCLV fits BG/NBD and Gamma-Gamma on a calibration period of a transaction file
// and compares their predictions with the holdout period. It needs no database: files
// in the product's order format go through the ingest service's validation into memory.
func runEvalCLV(ctx context.Context, args []string) error {
	var a app
	fs := newFlags("eval clv", &a.cfg)
	format := fs.String("format", "cdnow", "cdnow: CDNOW's log, 'master_id sample_id YYYYMMDD cds dollars' (the sample) or 'customer_id YYYYMMDD cds dollars' (the master file), with or without a header line; orders: the product's order files (CSV or NDJSON, as for import --kind orders)")
	source := fs.String("source", "eval", "source name for order files (customer ids are per source)")
	calEnd := fs.String("calibration-end", "1997-09-30", "last day of the calibration period, YYYY-MM-DD")
	holdEnd := fs.String("holdout-end", "", "last day of the holdout period, YYYY-MM-DD (default: the last transaction's day)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("eval clv: name the transaction files")
	}
	a.log = a.cfg.Logger()
	loc := time.UTC
	if *format == "orders" {
		var err error
		if loc, err = a.cfg.Location(); err != nil {
			return err
		}
	}
	settings, err := a.scoreSettings(loc)
	if err != nil {
		return err
	}
	var tx []clv.Transaction
	switch *format {
	case "cdnow":
		for _, name := range fs.Args() {
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			t, err := clv.ReadCDNOW(f)
			f.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			tx = append(tx, t...)
		}
	case "orders":
		if tx, err = readOrderFiles(ctx, fs.Args(), *source, loc, &a.cfg, settings); err != nil {
			return err
		}
	default:
		return fmt.Errorf("eval clv: unknown format %q (cdnow or orders)", *format)
	}
	if len(tx) == 0 {
		return fmt.Errorf("eval clv: no transactions read")
	}
	cal, err := time.ParseInLocation(time.DateOnly, *calEnd, loc)
	if err != nil {
		return fmt.Errorf("--calibration-end: want YYYY-MM-DD")
	}
	hold := lastDay(tx, loc)
	if *holdEnd != "" {
		if hold, err = time.ParseInLocation(time.DateOnly, *holdEnd, loc); err != nil {
			return fmt.Errorf("--holdout-end: want YYYY-MM-DD")
		}
	}
	// Dates name whole days: the calibration period includes its last day.
	cal, hold = cal.AddDate(0, 0, 1).Add(-time.Second), hold.AddDate(0, 0, 1).Add(-time.Second)
	ev, err := analytics.EvaluateCLV(tx, cal, hold, settings)
	if err != nil {
		return err
	}
	printEvaluation(ev, cal, hold)
	return nil
}

func printEvaluation(ev *analytics.CLVEvaluation, cal, hold time.Time) {
	fmt.Printf("calibration to %s: %d customers, %d with repeat purchases\n", cal.Format(time.DateOnly), ev.Customers, ev.RepeatBuyers)
	printFit(os.Stdout, ev.BGNBD)
	if ev.GammaGamma != nil {
		printFit(os.Stdout, ev.GammaGamma)
	}
	fmt.Printf("\nholdout to %s (%.1f weeks): repeat purchases predicted %.1f, actual %d (%+.1f%%)\n",
		hold.Format(time.DateOnly), ev.HoldoutWeeks, ev.PredictedRepeat, ev.ActualRepeat,
		100*(ev.PredictedRepeat-float64(ev.ActualRepeat))/float64(max(ev.ActualRepeat, 1)))
	fmt.Println("repeat purchases in calibration | customers | mean predicted in holdout | mean actual")
	for _, r := range ev.ByFrequency {
		fmt.Printf("%32s | %9d | %25.3f | %11.3f\n", r.Frequency, r.Customers, r.Predicted, r.Actual)
	}
	c := ev.Churn
	fmt.Printf("\nchurn risk: %s", c.Method)
	if c.Note != "" {
		fmt.Printf(" (%s)", c.Note)
	}
	fmt.Println()
	fmt.Printf("AUC against no purchase in the holdout: 1 - P(alive) %.4f, churn risk %.4f\n", ev.PAliveAUC, ev.ChurnAUC)
}

// readOrderFiles reads order files through the ingest service's validation, keeping the
// valid orders in memory; rejected records are reported and skipped.
func readOrderFiles(ctx context.Context, names []string, source string, loc *time.Location, cfg *config.Config, settings analytics.Settings) ([]clv.Transaction, error) {
	sink := &orderSink{}
	svc := ingest.NewService(sink, ingest.Options{DefaultRegion: cfg.DefaultRegion, Location: loc, DayFirst: cfg.DayFirst})
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		format, err := ingest.FormatOf(name)
		if err == nil {
			var res *ingest.Result
			res, err = svc.Import(ctx, f, ingest.ImportOptions{Source: source, Kind: cdp.KindOrders, Format: format})
			if err == nil && res.Rejected > 0 {
				fmt.Fprintf(os.Stderr, "%s: %d invalid orders skipped (first: line %d, %s: %s)\n", filepath.Base(name),
					res.Rejected, res.Errors[0].Line, res.Errors[0].Field, res.Errors[0].Message)
			}
		}
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	rates := settings.Rates
	if rates == nil {
		rates = analytics.DefaultRatesIn(strings.ToUpper(settings.Currency))
	}
	var tx []clv.Transaction
	skipped := 0
	for _, o := range sink.orders {
		if o.Status == "cancelled" || o.Status == "returned" || o.Status == "refunded" {
			continue
		}
		rate, ok := rates[strings.ToUpper(o.Total.Currency)]
		if !ok {
			skipped++
			continue
		}
		amount, err := strconv.ParseFloat(o.Total.Amount, 64)
		if err != nil {
			return nil, fmt.Errorf("order %s: amount %q: %w", o.SourceID, o.Total.Amount, err)
		}
		tx = append(tx, clv.Transaction{Customer: o.CustomerSourceID, At: o.OrderedAt, Amount: amount * rate})
	}
	if skipped > 0 {
		fmt.Fprintf(os.Stderr, "%d orders skipped: no exchange rate for their currency\n", skipped)
	}
	return tx, nil
}

// orderSink is an ingest store that keeps valid orders in memory.
type orderSink struct{ orders []cdp.Order }

func (s *orderSink) WriteOrders(_ context.Context, o []cdp.Order) (cdp.WriteStats, error) {
	s.orders = append(s.orders, o...)
	return cdp.WriteStats{Created: len(o)}, nil
}

func (s *orderSink) WriteCustomers(context.Context, []cdp.SourceRecord) (cdp.WriteStats, error) {
	return cdp.WriteStats{}, errOrdersOnly
}
func (s *orderSink) WriteEvents(context.Context, []cdp.Event) (cdp.WriteStats, error) {
	return cdp.WriteStats{}, errOrdersOnly
}
func (s *orderSink) WriteFeedback(context.Context, []cdp.Feedback) (cdp.WriteStats, error) {
	return cdp.WriteStats{}, errOrdersOnly
}
func (s *orderSink) WriteSocialTies(context.Context, []cdp.SocialTie) (cdp.WriteStats, error) {
	return cdp.WriteStats{}, errOrdersOnly
}
func (s *orderSink) WriteConsents(context.Context, []cdp.Consent) (cdp.WriteStats, error) {
	return cdp.WriteStats{}, errOrdersOnly
}

func (s *orderSink) Suppressed(context.Context, []string) (map[string]bool, error) { return nil, nil }

var errOrdersOnly = errors.New("eval clv reads orders only")

// lastDay is the day of the latest transaction.
func lastDay(tx []clv.Transaction, loc *time.Location) time.Time {
	var last time.Time
	for _, t := range tx {
		if t.At.After(last) {
			last = t.At
		}
	}
	y, m, d := last.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
