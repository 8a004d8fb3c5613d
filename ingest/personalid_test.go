package ingest_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/ingest"
)

// Personal document numbers arrive as top-level fields or in "identifiers", in NDJSON and
// CSV alike; a bad one rejects its record, naming the field, and the others land.
func TestPersonalDocumentNumbersInEveryForm(t *testing.T) {
	ndjson := `{"source_id":"a","given_name":"Wei","national_id":"110105 19491231 002x","passport":"e1234-5678","tax_id":"DE 123456789"}
{"source_id":"b","given_name":"Li","identifiers":[{"type":"National_ID","value":"440524188001010014"},{"type":"passport","value":"G 2345 6789"}]}
{"source_id":"c","given_name":"Bad","passport":"12.34.56"}
{"source_id":"d","given_name":"Bad","identifiers":[{"type":"tax_id","value":"123"}]}
`
	csv := "source_id,given_name,national_id,passport,tax_id\ne,Ann,,X1234567,\nf,Bob,1234,,\n"
	want := map[string][]cdp.Identifier{
		"a": {{Type: cdp.IdentifierNationalID, Value: "11010519491231002X"}, {Type: cdp.IdentifierPassport, Value: "E12345678"}, {Type: cdp.IdentifierTaxID, Value: "DE123456789"}},
		"b": {{Type: cdp.IdentifierNationalID, Value: "440524188001010014"}, {Type: cdp.IdentifierPassport, Value: "G23456789"}},
		"e": {{Type: cdp.IdentifierPassport, Value: "X1234567"}},
	}
	wantErrors := map[string]string{"c": "passport", "d": "identifiers[0].value", "f": "national_id"}
	for _, in := range []struct {
		format ingest.Format
		data   string
	}{{ingest.FormatNDJSON, ndjson}, {ingest.FormatCSV, csv}} {
		svc, store := fuzzService(t)
		res, err := svc.Import(context.Background(), strings.NewReader(in.data), ingest.ImportOptions{Source: "crm", Kind: cdp.KindCustomers, Format: in.format})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range res.Errors {
			if wantErrors[e.SourceID] != e.Field {
				t.Errorf("%s: error on %s field %q (%s); want field %q", in.format, e.SourceID, e.Field, e.Message, wantErrors[e.SourceID])
			}
		}
		for _, r := range store.customers {
			w, ok := want[r.SourceID]
			if !ok {
				t.Errorf("%s: record %s landed; want it rejected", in.format, r.SourceID)
				continue
			}
			for _, id := range w {
				if !slices.Contains(r.Identifiers, id) {
					t.Errorf("%s: record %s lacks %v; has %v", in.format, r.SourceID, id, r.Identifiers)
				}
			}
		}
		if res.Accepted+res.Rejected != res.Received || res.Rejected != len(res.Errors) {
			t.Errorf("%s: accepted %d rejected %d of %d with %d errors", in.format, res.Accepted, res.Rejected, res.Received, len(res.Errors))
		}
	}
}
