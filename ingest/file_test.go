package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/ingest"
)

// badLine is what an import should report for a line: the field at fault and a part of
// the message.
type badLine struct{ field, msg string }

// importFile imports data into the in-memory store and checks the result: every record
// either stored or reported, and exactly the bad lines reported, each once.
func importFile(t *testing.T, kind cdp.RecordKind, format ingest.Format, data string, want map[int]badLine) (*ingest.Result, *memStore) {
	t.Helper()
	svc, store := fuzzService(t)
	res, err := svc.Import(context.Background(), strings.NewReader(data), ingest.ImportOptions{Source: fuzzSource, Kind: kind, Format: format, BatchSize: 2})
	if err != nil {
		t.Fatalf("import stopped: %v", err)
	}
	checkResult(t, res, store, 1+strings.Count(data, "\n"))
	got := map[int]ingest.RecordError{}
	for _, e := range res.Errors {
		if _, dup := got[e.Line]; dup {
			t.Errorf("line %d reported twice: %+v", e.Line, res.Errors)
		}
		got[e.Line] = e
	}
	for line, w := range want {
		e, ok := got[line]
		if !ok || e.Field != w.field || !strings.Contains(e.Message, w.msg) {
			t.Errorf("line %d: got %+v, want field %s, message with %q", line, e, w.field, w.msg)
		}
	}
	for line, e := range got {
		if _, ok := want[line]; !ok {
			t.Errorf("line %d reported, but it is good: %+v", line, e)
		}
	}
	return res, store
}

func event(id, query string) string {
	return fmt.Sprintf(`{"source_id":%q,"customer_source_id":"u1","type":"search","occurred_at":"2026-01-01T10:00:00Z","query":"%s"}`, id, query)
}

func eventIDs(store *memStore) []string {
	var ids []string
	for _, e := range store.events {
		ids = append(ids, e.SourceID)
	}
	slices.Sort(ids)
	return ids
}

// An NDJSON line over 4 MiB, a line with invalid UTF-8 and a BOM cost at most their own
// line: every other record lands and each bad line is reported with its number and field.
func TestImportNDJSONBadLinesCostOnlyThemselves(t *testing.T) {
	long := event("E-long", strings.Repeat("x", 4<<20))
	data := "\ufeff" + event("E1", "tea") + "\n" + // a BOM before the first record
		event("E2", "cups") + "\n" +
		long + "\n" + // line 3: too long
		event("E3", "pot") + "\n" +
		event("E4", "caf\xe9") + "\n" + // line 5: Latin-1, not UTF-8
		`{"source_id":"E5","customer_source_id":"u1","type":"search","occurred_at":"2026-01-01T10:00:00Z","query":"\udc00"}` + "\n" + // line 6: decodes to U+FFFD
		`{"source_id":"E6","customer_source_id":"u1","type":"view","occurred_at":"2026-01-01T10:00:00Z","sku":"S1","Qu` + "\xe9" + `ry":"x"}` + "\n" + // line 7: a bad key
		event("E7", "茶杯") + "\r\n" +
		long // line 9: too long, at the end of the file without a newline
	res, store := importFile(t, cdp.KindEvents, ingest.FormatNDJSON, data, map[int]badLine{
		3: {"record", "longer than 4 MiB"},
		5: {"query", "not valid UTF-8"},
		6: {"query", "U+FFFD"},
		7: {"record", "key is not valid UTF-8"},
		9: {"record", "longer than 4 MiB"},
	})
	if res.Received != 9 || !slices.Equal(eventIDs(store), []string{"E1", "E2", "E3", "E7"}) {
		t.Fatalf("received %d, stored %v", res.Received, eventIDs(store))
	}
}

// Invalid UTF-8 deep in a record names the field by its path.
func TestImportNDJSONInvalidUTF8NamesTheField(t *testing.T) {
	data := `{"source_id":"C1","given_name":"Ann","identifiers":[{"type":"email","value":"a@example.com"},{"type":"cookie_id","value":"ck` + "\xff" + `"}]}` + "\n" +
		`{"source_id":"C2","given_name":"Bo","Family_Name":"W` + "\xfc" + `"}` + "\n" +
		`{"source_id":"O1","customer_source_id":"C1","ordered_at":"2026-01-01","currency":"CNY","items":[{"sku":"A","quantity":1,"unit_price":"1"},{"sku":"B","name":"` + "\xb2\xe8" + `","quantity":1,"unit_price":"2"}]}` + "\n" +
		`{"source_id":"C3","given_name":"Cai"}` + "\n"
	importFile(t, cdp.KindCustomers, ingest.FormatNDJSON, data, map[int]badLine{
		1: {"identifiers[1].value", "not valid UTF-8"},
		2: {"family_name", "not valid UTF-8"},
		3: {"items[1].name", "not valid UTF-8"},
	})
}

// A quote left open in a CSV row is an error of that row only; the rows after it are read
// as rows. Quoted fields that legitimately hold line breaks still read as one field.
func TestImportCSVBadRowsCostOnlyThemselves(t *testing.T) {
	row := func(id, query string) string { return id + ",u1,search,2026-01-01T10:00:00Z," + query + "\n" }
	data := "\ufeff\"source_id\",customer_source_id,type,occurred_at,query\n" + // BOM, quoted header
		row("E1", "tea") +
		row("E2", `"unclosed`) + // line 3
		row("E3", "pot") +
		row("E4", "\"tea\r\ncups, \"\"good\"\"\"") + // lines 5-6: one quoted field over two lines
		row("E5", "caf\xe9") + // line 7
		row("E6", strings.Repeat("x", 4<<20)) + // line 8
		row("E7", "cup") +
		row("E8", `"view"x`) + // line 10
		row("E9", `a"b`) + // line 11
		row("E10", "x,y") + // line 12: a column too many
		row("E11", "mug") +
		row("E12", `"never closed`) // line 14, at the end of the file
	_, store := importFile(t, cdp.KindEvents, ingest.FormatCSV, data, map[int]badLine{
		3:  {"record", "a quoted field runs on from this line to line 5, where the row has text after the closing quote of column 5"},
		7:  {"query", "not valid UTF-8"},
		8:  {"record", "longer than 4 MiB"},
		10: {"record", "text after the closing quote of column 5"},
		11: {"record", "a quote in unquoted column 5"},
		12: {"record", "has 6 columns, the header has 5"},
		14: {"record", "end of the file does not close"},
	})
	if ids := eventIDs(store); !slices.Equal(ids, []string{"E1", "E11", "E3", "E4", "E7"}) {
		t.Fatalf("stored %v", ids)
	}
	for _, e := range store.events {
		if e.SourceID == "E4" && e.Query != `tea cups, "good"` {
			t.Fatalf("multi-line quoted field read as %q", e.Query)
		}
	}
}

// A quote that never closes is bounded: the rows after it still land, even past 4 MiB.
func TestImportCSVUnclosedQuoteBeforeManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("source_id,customer_source_id,type,occurred_at,query\n")
	b.WriteString(`E0,u1,search,2026-01-01T10:00:00Z,"open` + "\n")
	const rows = 80000 // about 4.7 MiB: the open quote runs past the limit
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&b, "E%d,u1,search,2026-01-01T10:00:00Z,%s\n", i, strings.Repeat("q", 20))
	}
	svc, store := fuzzService(t)
	res, err := svc.Import(context.Background(), strings.NewReader(b.String()), ingest.ImportOptions{Source: fuzzSource, Kind: cdp.KindEvents, Format: ingest.FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	if res.Received != rows+1 || res.Rejected != 1 || len(store.events) != rows || res.Errors[0].Line != 2 || !strings.Contains(res.Errors[0].Message, "within 4 MiB") {
		t.Fatalf("received %d, rejected %d, stored %d: %+v", res.Received, res.Rejected, len(store.events), res.Errors)
	}
}

// CSV orders: a bad row between the rows of orders costs its row; a cell with invalid
// UTF-8 names its column; amounts with more decimals than the currency are refused.
func TestImportCSVOrdersBadRowsAndAmounts(t *testing.T) {
	data := "source_id,customer_source_id,ordered_at,currency,total,sku,name,quantity,unit_price\n" +
		"O1,C1,2026-01-01,CNY,,S1,Tea,1,10\n" +
		"O1,C1,2026-01-01,CNY,,S2,\"Cup,1,5.5\n" + // line 3: open quote
		"O2,C2,2026-01-02,CNY,,S1,Tea,1,1.999\n" + // line 4: 3 decimals in CNY
		"O3,C2,2026-01-02,JPY,1.5,S1,Tea,1,1\n" + // line 5: a decimal in JPY
		"O4,C2,2026-01-02,KWD,,S1,Tea,2,1.234\n" +
		"O5,C2,2026-01-02,JPY,,S1,T\x93,1,100\n" + // line 7: Windows-1252 quote
		"O6,C3,2026-01-03,JPY,1500.00,S1,Tea,1,1500\n"
	_, store := importFile(t, cdp.KindOrders, ingest.FormatCSV, data, map[int]badLine{
		3: {"record", "opens a quote"},
		4: {"items[0].unit_price", `"1.999" has 3 decimal places; CNY allows 2`},
		5: {"total", `"1.5" has 1 decimal place; JPY allows no decimal places`},
		7: {"name", "not valid UTF-8"},
	})
	totals := map[string]string{}
	for _, o := range store.orders {
		totals[o.SourceID] = o.Total.Amount + " " + o.Total.Currency
	}
	if want := map[string]string{"O1": "10.00 CNY", "O4": "2.468 KWD", "O6": "1500 JPY"}; fmt.Sprint(totals) != fmt.Sprint(want) {
		t.Fatalf("orders stored %v, want %v", totals, want)
	}
}

// The mutations get their strings already decoded: invalid bytes in a GraphQL request
// arrive as U+FFFD (or, from Go callers, as they are). Either is refused by field, and the
// batch's other records land, as in a file.
func TestIngestRefusesInvalidUTF8ByField(t *testing.T) {
	svc, store := fuzzService(t)
	res, err := svc.IngestCustomers(context.Background(), "crm", []cdp.CustomerRecord{
		{SourceID: "C1", GivenName: "Ann"},
		{SourceID: "C2", GivenName: "Bo\uFFFD"},
		{SourceID: "C3", City: "Z\xfcrich"},
		{SourceID: "C4", Identifiers: []cdp.IdentifierRecord{{Type: "cookie_id", Value: "ck_\uFFFD"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res, store, 0)
	got := map[string]string{}
	for _, e := range res.Errors {
		got[e.SourceID] = e.Field + ": " + e.Message
	}
	if len(store.customers) != 1 || !strings.HasPrefix(got["C2"], "given_name: contains U+FFFD") ||
		!strings.HasPrefix(got["C3"], "city: not valid UTF-8") || !strings.HasPrefix(got["C4"], "identifiers[0].value: contains U+FFFD") {
		t.Fatalf("stored %d, errors %v", len(store.customers), got)
	}
}

// A file that cannot be read to its end stops the import, but the records read before
// the failure are stored, not dropped with their unfinished batch.
func TestImportKeepsRecordsReadBeforeAReadError(t *testing.T) {
	svc, store := fuzzService(t)
	data := event("E1", "a") + "\n" + event("E2", "b") + "\n" + event("E3", "c") + "\n"
	r := io.MultiReader(strings.NewReader(data), iotest.ErrReader(errors.New("disk gone")))
	res, err := svc.Import(context.Background(), r, ingest.ImportOptions{Source: fuzzSource, Kind: cdp.KindEvents, Format: ingest.FormatNDJSON, BatchSize: 2})
	if err == nil || !strings.Contains(err.Error(), "disk gone") {
		t.Fatalf("err = %v", err)
	}
	if !slices.Equal(eventIDs(store), []string{"E1", "E2", "E3"}) || res.Accepted != 3 {
		t.Fatalf("stored %v, result %+v", eventIDs(store), res)
	}
}
