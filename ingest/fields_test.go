package ingest_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/ingest"
)

func importWith(t *testing.T, data string, opts ingest.ImportOptions) (*ingest.Result, *memStore, error) {
	t.Helper()
	svc, store := fuzzService(t)
	opts.Source = fuzzSource
	if opts.BatchSize == 0 {
		opts.BatchSize = 2
	}
	res, err := svc.Import(context.Background(), strings.NewReader(data), opts)
	return res, store, err
}

// A misspelt CSV header is named once, from the header, with the column it most likely
// means; the rows are read without it. --strict refuses the file before reading a row.
func TestUnknownCSVColumnIsNamedWithTheNearestKnownOne(t *testing.T) {
	csv := "source_id,given_name,emial,Phone Number,loyalty-id,shoe_size\n" +
		"C1,Ann,ann@example.com,13800138000,L1,38\n" +
		"C2,Bo,bo@example.com,13800138001,L2,42\n"
	res, store, err := importWith(t, csv, ingest.ImportOptions{Kind: cdp.KindCustomers, Format: ingest.FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"emial": "email", "phone number": "", "loyalty-id": "loyalty_id", "shoe_size": ""}
	if len(res.Unknown) != len(want) {
		t.Fatalf("unknown = %+v, want %v", res.Unknown, want)
	}
	for _, u := range res.Unknown {
		if s, ok := want[u.Name]; !ok || s != u.Suggestion || u.FirstLine != 1 {
			t.Errorf("unknown %+v, want suggestion %q on line 1", u, s)
		}
	}
	if res.Accepted != 2 || len(store.customers) != 2 {
		t.Fatalf("accepted %d, stored %d; want both rows", res.Accepted, len(store.customers))
	}
	if e := store.customers[0].Profile.Email; e != "" {
		t.Errorf("an unknown column's value was stored as the email: %q", e)
	}

	_, store, err = importWith(t, csv, ingest.ImportOptions{Kind: cdp.KindCustomers, Format: ingest.FormatCSV, Strict: true})
	var e *cdp.Error
	if !errors.As(err, &e) || e.Field != "header" || !strings.Contains(e.Message, `"emial" is not a field of this kind`) ||
		!strings.Contains(e.Message, `did you mean "email"?`) {
		t.Fatalf("strict import: %v, want the header refused naming emial and email", err)
	}
	if store.records() != 0 {
		t.Fatalf("strict import stored %d records of a refused file", store.records())
	}
}

// Order CSV files know the line-item columns; NDJSON order items' keys are checked too.
func TestUnknownKeysOfOrdersAndTheirItems(t *testing.T) {
	csv := "source_id,customer_source_id,ordered_at,currency,sku,name,quantity,unit_price\n" +
		"O1,C1,2026-01-01,CNY,S1,Tea,1,10\n"
	res, _, err := importWith(t, csv, ingest.ImportOptions{Kind: cdp.KindOrders, Format: ingest.FormatCSV})
	if err != nil || len(res.Unknown) != 0 || res.Accepted != 1 {
		t.Fatalf("a CSV with only known order columns: %+v, %v", res, err)
	}
	nd := `{"source_id":"O1","customer_source_id":"C1","ordered_at":"2026-01-01","currency":"CNY","items":[{"sku":"S1","qty":1,"quantity":1,"unit_price":"10"}]}` + "\n" +
		`{"source_id":"O2","customer_source_id":"C1","ordered_at":"2026-01-01","currency":"CNY","totl":"5","items":[{"sku":"S1","quantity":"1","unit_price":"5"}]}` + "\n" +
		`{"source_id":"O3","customer_source_id":"C1","ordered_at":"2026-01-02","currency":"CNY","totl":"5","items":[{"sku":"S1","quantity":"1","unit_price":"5"}]}` + "\n"
	res, store, err := importWith(t, nd, ingest.ImportOptions{Kind: cdp.KindOrders, Format: ingest.FormatNDJSON})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]ingest.UnknownField{}
	for _, u := range res.Unknown {
		got[u.Name] = u
	}
	if u := got["items[].qty"]; u.Records != 1 || u.FirstLine != 1 {
		t.Errorf("items[].qty: %+v, want 1 record from line 1", u)
	}
	if u := got["totl"]; u.Records != 2 || u.FirstLine != 2 || u.Suggestion != "total" {
		t.Errorf("totl: %+v, want 2 records from line 2, suggesting total", u)
	}
	if len(store.orders) != 3 {
		t.Errorf("%d orders stored; unknown keys are ignored, not rejected", len(store.orders))
	}

	res, store, err = importWith(t, nd, ingest.ImportOptions{Kind: cdp.KindOrders, Format: ingest.FormatNDJSON, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rejected != 3 || len(store.orders) != 0 {
		t.Fatalf("strict: %d rejected, %d stored; want all 3 refused", res.Rejected, len(store.orders))
	}
	if e := res.Errors[1]; e.Line != 2 || e.Field != "totl" || !strings.Contains(e.Message, `did you mean "total"?`) {
		t.Errorf("strict error %+v", e)
	}
}

// NDJSON keys match fields without regard to case, as encoding/json decodes them: such a
// key is not unknown, its value is read.
func TestNDJSONKeysInAnotherCaseAreKnown(t *testing.T) {
	res, store, err := importWith(t, `{"Source_ID":"C1","EMAIL":"ann@example.com"}`+"\n", ingest.ImportOptions{Kind: cdp.KindCustomers, Format: ingest.FormatNDJSON})
	if err != nil || len(res.Unknown) != 0 || len(store.customers) != 1 || store.customers[0].Profile.Email != "ann@example.com" {
		t.Fatalf("%+v %v", res, err)
	}
}

// A dry run validates every record and reports as an import does, and writes nothing.
func TestDryRunWritesNothing(t *testing.T) {
	nd := event("E1", "tea") + "\n" + `{"source_id":"E2","type":"fly"}` + "\n" + event("E3", "cups") + "\n"
	res, store, err := importWith(t, nd, ingest.ImportOptions{Kind: cdp.KindEvents, Format: ingest.FormatNDJSON, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if store.records() != 0 {
		t.Fatalf("a dry run stored %d records", store.records())
	}
	if !res.DryRun || res.Received != 3 || res.Accepted != 2 || res.Rejected != 1 || res.Errors[0].Line != 2 {
		t.Fatalf("dry run result %+v", res)
	}
}

// Errors come in line order although a batch reports unreadable lines before the records
// it validates; StopAfterRejects stops reading once that many are rejected.
func TestErrorsInLineOrderAndStopAfterRejects(t *testing.T) {
	lines := []string{
		`{"source_id":"E1","type":"fly"}`, // 1: invalid record
		`not json`,                        // 2: unreadable
		event("E3", "tea"),                // 3
		`{"source_id":"E4","type":"fly"}`, // 4: invalid
		`also not json`,                   // 5
		event("E6", "tea"),                // 6
		`{"source_id":"E7","type":"fly"}`, // 7
		event("E8", "tea"),                // 8
	}
	data := strings.Join(lines, "\n") + "\n"
	res, _, err := importWith(t, data, ingest.ImportOptions{Kind: cdp.KindEvents, Format: ingest.FormatNDJSON, BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, e := range res.Errors {
		got = append(got, e.Line)
	}
	if !slices.IsSorted(got) || len(got) < 5 || res.StoppedAtLine != 0 {
		t.Fatalf("error lines %v (stopped at %d), want ascending, every bad line", got, res.StoppedAtLine)
	}
	res, store, err := importWith(t, data, ingest.ImportOptions{Kind: cdp.KindEvents, Format: ingest.FormatNDJSON, BatchSize: 1, StopAfterRejects: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.StoppedAtLine != 4 || res.Rejected != 3 || len(store.events) != 1 {
		t.Fatalf("stopped at line %d with %d rejected and %d stored; want line 4, 3 rejected, E3 stored", res.StoppedAtLine, res.Rejected, len(store.events))
	}
}

// Every field of every kind is one the record types declare.
func TestFieldsComeFromTheRecordTypes(t *testing.T) {
	if f := ingest.Fields(cdp.KindOrders); !slices.Contains(f, "items[].unit_price") || !slices.Contains(f, "customer_source_id") {
		t.Errorf("order fields %v", f)
	}
	if c := ingest.CSVColumns(cdp.KindOrders); !slices.Contains(c, "unit_price") || slices.Contains(c, "items") {
		t.Errorf("order CSV columns %v", c)
	}
	if c := ingest.CSVColumns(cdp.KindCustomers); slices.Contains(c, "identifiers") || !slices.Contains(c, "loyalty_id") {
		t.Errorf("customer CSV columns %v", c)
	}
}
