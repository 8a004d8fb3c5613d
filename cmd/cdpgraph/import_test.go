package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
)

// A file with every kind of bad line the import meets (a BOM, a line over 4 MiB, invalid
// UTF-8 in a value, U+FFFD from an escape, an unclosed CSV quote before good rows, amounts
// with more decimals than their currency) stores every good record in Neo4j and reports
// each bad one by line and field.
func TestImportCommandStoresEveryGoodLineAndReportsEachBadOne(t *testing.T) {
	db := neo4jtest.DB(t)
	t.Setenv("NEO4J_URI", neo4jtest.URI())
	dir := t.TempDir()
	customers := filepath.Join(dir, "customers.ndjson")
	ndjson := "\ufeff" + `{"source_id":"C1","given_name":"Ann","email":"ann@example.com"}` + "\n" +
		`{"source_id":"C2","given_name":"Bo","city":"` + strings.Repeat("x", 4<<20) + `"}` + "\n" + // line 2: too long
		`{"source_id":"C3","given_name":"Cai","city":"Z` + "\xfc" + `rich"}` + "\n" + // line 3: Latin-1
		`{"source_id":"C4","given_name":"D\udc00"}` + "\n" + // line 4: decodes to U+FFFD
		`{"source_id":"C5","given_name":"Eve","identifiers":[{"type":"cookie_id","value":"ck_` + "\xff" + `"}]}` + "\n" + // line 5
		`{"source_id":"C6","given_name":"Fay"}` + "\n"
	orders := filepath.Join(dir, "orders.csv")
	csv := "\ufeffsource_id,customer_source_id,ordered_at,currency,total,sku,name,quantity,unit_price\n" +
		"O1,C1,2026-01-01,CNY,,S1,Tea,1,10\n" +
		"O2,C1,2026-01-01,CNY,,S2,\"Cup,1,5.5\n" + // line 3: a quote never closed
		"O3,C1,2026-01-02,CNY,,S1,Tea,1,1.999\n" + // line 4: 3 decimals in CNY
		"O4,C6,2026-01-02,JPY,1.5,S1,Tea,1,1\n" + // line 5: a decimal in JPY
		"O5,C6,2026-01-02,KWD,,S5,\"Tea\npot\",2,1.234\n" + // lines 6-7: a quoted line break
		"O6,C6,2026-01-03,JPY,,S1,T\x93,1,1500\n" + // line 8: Windows-1252
		"O7,C6,2026-01-03,JPY,1500.00,S1,Tea,1,1500\n"
	for name, data := range map[string]string{customers: ndjson, orders: csv} {
		if err := os.WriteFile(name, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	errorsFile := filepath.Join(dir, "errors.ndjson")
	for _, args := range [][]string{
		{"--source", "crm", "--kind", "customers", "--score=false", "--errors-file", errorsFile, customers},
		{"--source", "crm", "--kind", "orders", "--score=false", "--errors-file", errorsFile + ".orders", orders},
	} {
		if err := runImport(ctx, args); exitCode(err) != exitRejected {
			t.Fatalf("%v: %v, want exit status 3 for the rejected records", args, err)
		}
	}
	got := readErrors(t, errorsFile)
	for k, v := range readErrors(t, errorsFile+".orders") {
		got[k] = v
	}
	want := map[string]string{ // file:line field -> part of the message
		"customers.ndjson:2 record":               "longer than 4 MiB",
		"customers.ndjson:3 city":                 "not valid UTF-8",
		"customers.ndjson:4 given_name":           "U+FFFD",
		"customers.ndjson:5 identifiers[0].value": "not valid UTF-8",
		"orders.csv:3 record":                     "a quoted field runs on from this line to line 6",
		"orders.csv:4 items[0].unit_price":        `"1.999" has 3 decimal places; CNY allows 2`,
		"orders.csv:5 total":                      "JPY allows no decimal places",
		"orders.csv:8 name":                       "not valid UTF-8",
	}
	for k, part := range want {
		if !strings.Contains(got[k], part) {
			t.Errorf("%s: got %q, want it to contain %q", k, got[k], part)
		}
	}
	if len(got) != len(want) {
		t.Errorf("errors %v, want exactly %v", got, want)
	}
	n, err := db.CountNodes(ctx, "SourceRecord")
	if err != nil || n != 2 {
		t.Fatalf("%d customer records stored (%v), want C1 and C6", n, err)
	}
	stored, err := neo4j.NewCustomerStore(db).OrdersByKeys(ctx, []string{"crm:O1", "crm:O5", "crm:O7"})
	if err != nil {
		t.Fatal(err)
	}
	for key, total := range map[string]string{"crm:O1": "10.00", "crm:O5": "2.468", "crm:O7": "1500"} {
		if o := stored[key]; o == nil || o.Total.Amount != total {
			t.Errorf("order %s = %+v, want total %s", key, o, total)
		}
	}
	if o := stored["crm:O5"]; o != nil && o.Items[0].Product.Name != "Tea pot" {
		t.Errorf("quoted line break read as %q", o.Items[0].Product.Name)
	}
	if n, _ := db.CountNodes(ctx, "Order"); n != 3 {
		t.Errorf("%d orders stored, want O1, O5 and O7", n)
	}
}

// readErrors reads an --errors-file: "file:line field" -> message.
func readErrors(t *testing.T, name string) map[string]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e struct {
			File, Field, Message string
			Line                 int
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprintf("%s:%d %s", filepath.Base(e.File), e.Line, e.Field)] = e.Message
	}
	return out
}
