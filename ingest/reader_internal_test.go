package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// csvRecords reads every record with the import's CSV reader: fields (nil for a bad
// record), the line each starts on, and how many were bad.
func csvRecords(t *testing.T, data []byte) (recs [][]string, lines []int, bad int) {
	t.Helper()
	c := &csvReader{src: newLineSource(bytes.NewReader(data))}
	for i := 0; ; i++ {
		if i > len(data)+1 {
			t.Fatalf("more records than bytes in %q", data)
		}
		fields, line, err := c.record(0)
		if errors.Is(err, io.EOF) {
			return recs, lines, bad
		}
		var perr *parseError
		if errors.As(err, &perr) {
			bad++
		} else if err != nil {
			t.Fatal(err)
		}
		if len(lines) > 0 && line <= lines[len(lines)-1] {
			t.Fatalf("record on line %d after one on line %d in %q", line, lines[len(lines)-1], data)
		}
		recs, lines = append(recs, fields), append(lines, line)
	}
}

// stdCSV reads data with encoding/csv; ok is false at its first error.
func stdCSV(data []byte) (recs [][]string, lines []int, ok bool) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return recs, lines, true
		}
		if err != nil {
			return nil, nil, false
		}
		line, _ := r.FieldPos(0)
		recs, lines = append(recs, rec), append(lines, line)
	}
}

var csvReaderCases = []string{
	"a,b\n1,2\n",
	"a,b\r\n1,2\r\n",
	"a,b\n\n\r\n1,2",
	"a,\"b\"\"c\",d\n\"x\ny\",\"\r\nz\"\n",
	"\"multi\n\nline\",2\n3,\"4\"\r",
	"a\n\"unclosed\n2\n3\n",
	"a,b\n1,\"x\"y\n2,3\n",
	"a\"b,c\n1,2\n",
	"\"a\"\r\n\"b\"\rc\n",
	" \n\t,\n,,\n\"\"",
	"\"\"\"x\n",
	"x\r",
	"\"x\r",
	"\ufeff\"a\",b\n",
}

// For every input encoding/csv reads without error, the import's reader yields the same
// records on the same lines, and no error; and it finds an error exactly where encoding/csv
// does. So quoted fields with commas, quotes and line breaks read as before.
func FuzzCSVReaderAgreesWithEncodingCSV(f *testing.F) {
	for _, s := range csvReaderCases {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.HasPrefix(data, bom) {
			return // the import skips a BOM, encoding/csv does not
		}
		recs, lines, bad := csvRecords(t, data)
		want, wantLines, ok := stdCSV(data)
		if ok != (bad == 0) {
			t.Fatalf("%q: encoding/csv ok %v, import reader found %d bad records: %q", data, ok, bad, recs)
		}
		if !ok {
			return
		}
		if !slices.EqualFunc(recs, want, slices.Equal) || !slices.Equal(lines, wantLines) {
			t.Fatalf("%q:\nimport reader %q on lines %v\nencoding/csv  %q on lines %v", data, recs, lines, want, wantLines)
		}
	})
}

func TestCSVReaderCases(t *testing.T) {
	for _, s := range csvReaderCases {
		if bytes.HasPrefix([]byte(s), bom) {
			continue
		}
		recs, _, bad := csvRecords(t, []byte(s))
		_, _, ok := stdCSV([]byte(s))
		if ok != (bad == 0) {
			t.Errorf("%q: encoding/csv ok %v, import reader %d bad (%q)", s, ok, bad, recs)
		}
	}
	// An unclosed quote costs its own row only.
	recs, lines, bad := csvRecords(t, []byte("a,b\n1,\"x\n2,y\n3,z\n"))
	if bad != 1 || !slices.Equal(lines, []int{1, 2, 3, 4}) || !slices.Equal(recs[3], []string{"3", "z"}) {
		t.Errorf("unclosed quote: %q on lines %v, %d bad", recs, lines, bad)
	}
	if strings.Contains(strings.Join(recs[2], ","), "\n") {
		t.Errorf("a row swallowed a line: %q", recs)
	}
}
