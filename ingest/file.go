package ingest

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Format is a file format the importer reads.
type Format string

const (
	FormatCSV    Format = "csv"
	FormatNDJSON Format = "ndjson"
)

// FormatOf guesses a file's format from its name.
func FormatOf(name string) (Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return FormatCSV, nil
	case ".ndjson", ".jsonl", ".json":
		return FormatNDJSON, nil
	}
	return "", &cdp.Error{Code: cdp.EINVALID, Field: "format", Message: fmt.Sprintf("cannot tell the format of %q; name it .csv or .ndjson, or pass --format", name)}
}

// ImportOptions control a file import.
type ImportOptions struct {
	Source    string
	Kind      cdp.RecordKind
	Format    Format
	BatchSize int
	// Progress, if set, is called after each batch with the records read so far.
	Progress func(records int)
}

// Import streams records from r and ingests them in batches. A line that cannot be parsed
// is reported like any invalid record; reading goes on. Errors carry the record's 0-based
// position in the file in Index and its line number in Line.
func (s *Service) Import(ctx context.Context, r io.Reader, opts ImportOptions) (*Result, error) {
	if err := CheckSource(opts.Source); err != nil {
		return nil, err
	}
	if opts.BatchSize <= 0 || opts.BatchSize > MaxBatch {
		opts.BatchSize = 2000
	}
	ingestBatch, ok := s.batchFunc(opts.Kind)
	if !ok {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "kind", Message: fmt.Sprintf("unknown kind %q; expected one of %s", opts.Kind, kindList())}
	}
	var rows rowReader
	switch opts.Format {
	case FormatNDJSON:
		rows = newNDJSONReader(r)
	case FormatCSV:
		var err error
		if rows, err = newCSVReader(r, opts.Kind == cdp.KindOrders); err != nil {
			return nil, err
		}
	default:
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "format", Message: fmt.Sprintf("unknown format %q; expected csv or ndjson", opts.Format)}
	}

	total := &Result{Kind: opts.Kind}
	var batch []json.RawMessage
	var lines, positions []int // of each record in batch; unreadable lines leave gaps
	position := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := ingestBatch(ctx, opts.Source, batch)
		if err != nil {
			return err
		}
		for i := range res.Errors {
			at := res.Errors[i].Index
			res.Errors[i].Index, res.Errors[i].Line = positions[at], lines[at]
		}
		total.Add(res, 0)
		batch, lines, positions = batch[:0], lines[:0], positions[:0]
		if opts.Progress != nil {
			opts.Progress(position)
		}
		return nil
	}
	for {
		raw, line, err := rows.next()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *parseError
		if errors.As(err, &perr) {
			total.Received++
			total.Rejected++
			total.Errors = append(total.Errors, RecordError{Index: position, Line: line, Field: perr.field, Message: perr.msg})
			position++
			continue
		} else if err != nil {
			return total, err
		}
		batch = append(batch, raw)
		lines = append(lines, line)
		positions = append(positions, position)
		position++
		if len(batch) == opts.BatchSize {
			if err := flush(); err != nil {
				return total, err
			}
		}
	}
	return total, flush()
}

// batchFunc returns the ingest function of a kind over raw JSON records.
func (s *Service) batchFunc(kind cdp.RecordKind) (func(context.Context, string, []json.RawMessage) (*Result, error), bool) {
	switch kind {
	case cdp.KindCustomers:
		return decoded(s.IngestCustomers), true
	case cdp.KindOrders:
		return decoded(s.IngestOrders), true
	case cdp.KindEvents:
		return decoded(s.IngestEvents), true
	case cdp.KindFeedback:
		return decoded(s.IngestFeedback), true
	case cdp.KindSocial:
		return decoded(s.IngestSocial), true
	case cdp.KindConsents:
		return decoded(s.IngestConsents), true
	}
	return nil, false
}

// decoded adapts a typed ingest function to raw records. A record whose JSON does not fit
// the kind's shape is rejected with the field at fault; its batch goes on.
func decoded[R any](ingest func(context.Context, string, []R) (*Result, error)) func(context.Context, string, []json.RawMessage) (*Result, error) {
	return func(ctx context.Context, source string, raws []json.RawMessage) (*Result, error) {
		recs := make([]R, 0, len(raws))
		at := make([]int, 0, len(raws)) // position in raws of each decoded record
		var bad []RecordError
		for i, raw := range raws {
			var r R
			if err := decodeLenient(raw, &r); err != nil {
				bad = append(bad, RecordError{Index: i, Field: jsonField(err), Message: jsonMessage(err)})
				continue
			}
			recs = append(recs, r)
			at = append(at, i)
		}
		res, err := ingest(ctx, source, recs)
		if err != nil {
			return nil, err
		}
		for i := range res.Errors {
			res.Errors[i].Index = at[res.Errors[i].Index]
		}
		res.Received += len(bad)
		res.Rejected += len(bad)
		res.Errors = append(res.Errors, bad...)
		return res, nil
	}
}

// decodeLenient decodes a JSON object into a record whose fields are all text, accepting
// numbers and booleans where text is expected (sources write "quantity": 2).
func decodeLenient(raw json.RawMessage, v any) error {
	err := json.Unmarshal(raw, v)
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) {
		return err
	}
	var generic any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return err
	}
	b, _ := json.Marshal(stringifyScalars(generic))
	return json.Unmarshal(b, v)
}

func stringifyScalars(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = stringifyScalars(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = stringifyScalars(e)
		}
		return x
	case json.Number:
		return x.String()
	case bool:
		return fmt.Sprint(x)
	}
	return v
}

func jsonField(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return typeErr.Field
	}
	return "record"
}

func jsonMessage(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return fmt.Sprintf("expected %s, got JSON %s", typeErr.Type, typeErr.Value)
	}
	return "not a JSON object: " + err.Error()
}

func kindList() string {
	names := make([]string, len(cdp.RecordKinds))
	for i, k := range cdp.RecordKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// parseError is a record that could not be read at all.
type parseError struct {
	field, msg string
}

func (e *parseError) Error() string { return e.msg }

// rowReader yields one record's JSON and its line number at a time.
type rowReader interface {
	next() (json.RawMessage, int, error)
}

type ndjsonReader struct {
	sc   *bufio.Scanner
	line int
}

func newNDJSONReader(r io.Reader) *ndjsonReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	return &ndjsonReader{sc: sc}
}

func (n *ndjsonReader) next() (json.RawMessage, int, error) {
	for n.sc.Scan() {
		n.line++
		b := []byte(strings.TrimSpace(n.sc.Text()))
		if len(b) == 0 {
			continue
		}
		if b[0] != '{' || !json.Valid(b) {
			return nil, n.line, &parseError{field: "record", msg: "line is not a JSON object"}
		}
		return json.RawMessage(b), n.line, nil
	}
	if err := n.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, n.line + 1, fmt.Errorf("line %d is longer than 4 MiB", n.line+1)
		}
		return nil, n.line, err
	}
	return nil, n.line, io.EOF
}

// csvReader reads CSV with a header row naming the NDJSON fields. For orders, consecutive
// rows with the same source_id are one order, one row per line item (columns sku, name,
// category, quantity, unit_price).
type csvReader struct {
	r        *csv.Reader
	header   []string
	orders   bool
	pending  map[string]string // the first row of the next order
	pendErr  error             // a row error met while gathering an order
	pendLine int
}

var orderItemColumns = map[string]bool{"sku": true, "name": true, "category": true, "quantity": true, "unit_price": true}

func newCSVReader(r io.Reader, orders bool) (*csvReader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "header", Message: "the CSV file has no header row"}
	}
	for i, h := range header {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	}
	return &csvReader{r: cr, header: header, orders: orders}, nil
}

func (c *csvReader) row() (map[string]string, int, error) {
	fields, err := c.r.Read()
	if err != nil {
		// No FieldPos here: after an error in a record's first field it has no position.
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			return nil, perr.Line, &parseError{field: "record", msg: perr.Err.Error()}
		}
		return nil, 0, err
	}
	line, _ := c.r.FieldPos(0)
	if len(fields) != len(c.header) {
		return nil, line, &parseError{field: "record", msg: fmt.Sprintf("has %d columns, the header has %d", len(fields), len(c.header))}
	}
	m := make(map[string]string, len(fields))
	for i, f := range fields {
		if f != "" {
			m[c.header[i]] = f
		}
	}
	return m, line, nil
}

func (c *csvReader) next() (json.RawMessage, int, error) {
	if !c.orders {
		m, line, err := c.row()
		if err != nil {
			return nil, line, err
		}
		b, _ := json.Marshal(m)
		return b, line, nil
	}
	// Orders: gather the rows of one order.
	var order map[string]any
	var items []map[string]string
	line := 0
	take := func(m map[string]string, l int) {
		order = map[string]any{}
		item := map[string]string{}
		for k, v := range m {
			if orderItemColumns[k] {
				item[k] = v
			} else {
				order[k] = v
			}
		}
		items = []map[string]string{item}
		line = l
	}
	if c.pendErr == nil && c.pending != nil {
		take(c.pending, c.pendLine)
		c.pending = nil
	}
	for {
		if c.pendErr != nil {
			err, l := c.pendErr, c.pendLine
			c.pendErr = nil
			return nil, l, err
		}
		m, l, err := c.row()
		if err != nil {
			if order == nil {
				return nil, l, err
			}
			// Hand out the order gathered so far; the error comes with the next call.
			c.pendErr, c.pendLine = err, l
			break
		}
		if order == nil {
			take(m, l)
			continue
		}
		if m["source_id"] != order["source_id"] {
			c.pending, c.pendLine = m, l
			break
		}
		item := map[string]string{}
		for k := range orderItemColumns {
			if v, ok := m[k]; ok {
				item[k] = v
			}
		}
		items = append(items, item)
	}
	order["items"] = items
	b, _ := json.Marshal(order)
	return b, line, nil
}
