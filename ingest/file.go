package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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
	// DryRun validates and reports without writing: nothing reaches the store.
	DryRun bool
	// Strict refuses fields the kind does not know: a CSV file with an unknown column is
	// refused before a row is read, an NDJSON record with an unknown key is rejected.
	// Otherwise they are ignored and listed in Result.Unknown.
	Strict bool
	// StopAfterRejects stops the import once this many records are rejected (the records
	// read until then are stored); 0 reads to the end.
	StopAfterRejects int
}

// Import streams records from r and ingests them in batches. A line that cannot be parsed
// (too long, not a record, not UTF-8) is reported like any invalid record; reading goes
// on. Errors carry the record's 0-based position in the file in Index and its line number
// in Line. Only a failure to read r or to write stops the import, and the records read
// before a read failure are still stored.
func (s *Service) Import(ctx context.Context, r io.Reader, opts ImportOptions) (*Result, error) {
	if err := CheckSource(opts.Source); err != nil {
		return nil, err
	}
	if opts.BatchSize <= 0 || opts.BatchSize > MaxBatch {
		opts.BatchSize = 2000
	}
	svc := s
	if opts.DryRun {
		dry := *s
		dry.dryRun = true
		svc = &dry
	}
	ingestBatch, ok := svc.batchFunc(opts.Kind, opts.Strict)
	if !ok {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "kind", Message: fmt.Sprintf("unknown kind %q; expected one of %s", opts.Kind, kindList())}
	}
	var rows rowReader
	var unknown []UnknownField // CSV: the header's unknown columns
	switch opts.Format {
	case FormatNDJSON:
		rows = newNDJSONReader(r)
	case FormatCSV:
		c, err := newCSVReader(r, opts.Kind == cdp.KindOrders)
		if err != nil {
			return nil, err
		}
		unknown = unknownCSVColumns(opts.Kind, c.header)
		if len(unknown) > 0 && opts.Strict {
			msgs := make([]string, len(unknown))
			for i, u := range unknown {
				msgs[i] = u.String()
			}
			return nil, &cdp.Error{Code: cdp.EINVALID, Field: "header",
				Message: "unknown column: " + strings.Join(msgs, "; ") + "; without --strict the file would be read without them"}
		}
		c.ignore = map[string]bool{}
		for _, u := range unknown {
			c.ignore[u.Name] = true
		}
		rows = c
	default:
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "format", Message: fmt.Sprintf("unknown format %q; expected csv or ndjson", opts.Format)}
	}

	total := &Result{Kind: opts.Kind, DryRun: opts.DryRun}
	var keys unknownTracker
	var batch []json.RawMessage
	var lines, positions []int // of each record in batch; unreadable lines leave gaps
	position := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, unknownOf, err := ingestBatch(ctx, opts.Source, batch)
		if err != nil {
			return err
		}
		for i, us := range unknownOf {
			for _, u := range us {
				keys.add(u.Name, u.Suggestion, lines[i])
			}
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
	// finish orders the errors by line (a batch reports its unreadable lines before the
	// records it validates) and names the unknown fields.
	finish := func(err error) (*Result, error) {
		slices.SortStableFunc(total.Errors, func(a, b RecordError) int { return a.Index - b.Index })
		total.Unknown = append(unknown, keys.fields...)
		return total, err
	}
	tooMany := func() bool { return opts.StopAfterRejects > 0 && total.Rejected >= opts.StopAfterRejects }
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
			if tooMany() {
				total.StoppedAtLine = line
				return finish(flush())
			}
			continue
		} else if err != nil {
			// The file cannot be read on: keep what was read before.
			if ferr := flush(); ferr != nil {
				return finish(ferr)
			}
			return finish(fmt.Errorf("line %d: %w", line, err))
		}
		batch = append(batch, raw)
		lines = append(lines, line)
		positions = append(positions, position)
		position++
		if len(batch) == opts.BatchSize {
			if err := flush(); err != nil {
				return finish(err)
			}
			if tooMany() {
				total.StoppedAtLine = line
				return finish(nil)
			}
		}
	}
	if err := flush(); err != nil {
		return finish(err)
	}
	return finish(nil)
}

// batchFunc returns the ingest function of a kind over raw JSON records.
func (s *Service) batchFunc(kind cdp.RecordKind, strict bool) (rawBatchFunc, bool) {
	fs := kindFields[kind]
	switch kind {
	case cdp.KindCustomers:
		return decoded(s.IngestCustomers, kind, fs, strict), true
	case cdp.KindOrders:
		return decoded(s.IngestOrders, kind, fs, strict), true
	case cdp.KindEvents:
		return decoded(s.IngestEvents, kind, fs, strict), true
	case cdp.KindFeedback:
		return decoded(s.IngestFeedback, kind, fs, strict), true
	case cdp.KindSocial:
		return decoded(s.IngestSocial, kind, fs, strict), true
	case cdp.KindConsents:
		return decoded(s.IngestConsents, kind, fs, strict), true
	}
	return nil, false
}

// rawBatchFunc ingests raw JSON records and names, per record, the keys it did not know.
type rawBatchFunc func(ctx context.Context, source string, raws []json.RawMessage) (*Result, [][]UnknownField, error)

// decoded adapts a typed ingest function to raw records. A record whose JSON does not fit
// the kind's shape is rejected with the field at fault; its batch goes on. Keys the kind
// does not know are ignored and named, or with strict reject their record.
func decoded[R any](ingest func(context.Context, string, []R) (*Result, error), kind cdp.RecordKind, fs *fieldSet, strict bool) rawBatchFunc {
	return func(ctx context.Context, source string, raws []json.RawMessage) (*Result, [][]UnknownField, error) {
		recs := make([]R, 0, len(raws))
		at := make([]int, 0, len(raws)) // position in raws of each decoded record
		var bad []RecordError
		var unknownOf [][]UnknownField
		for i, raw := range raws {
			r, unknown, err := decodeRecord[R](raw, fs)
			if len(unknown) > 0 {
				if unknownOf == nil {
					unknownOf = make([][]UnknownField, len(raws))
				}
				unknownOf[i] = unknown
			}
			if err != nil {
				bad = append(bad, RecordError{Index: i, Field: jsonField(err), Message: jsonMessage(err)})
				continue
			}
			if strict && len(unknown) > 0 {
				for _, u := range unknown {
					msg := fmt.Sprintf("not a field of %s", kind)
					if u.Suggestion != "" {
						msg += fmt.Sprintf(" (did you mean %q?)", u.Suggestion)
					}
					bad = append(bad, RecordError{Index: i, Field: u.Name, Message: msg + "; --strict rejects records with unknown fields"})
				}
				continue
			}
			recs = append(recs, r)
			at = append(at, i)
		}
		res, err := ingest(ctx, source, recs)
		if err != nil {
			return nil, nil, err
		}
		for i := range res.Errors {
			res.Errors[i].Index = at[res.Errors[i].Index]
		}
		res.Received += len(raws) - len(recs)
		res.Rejected += len(raws) - len(recs)
		res.Errors = append(res.Errors, bad...)
		return res, unknownOf, nil
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

// maxRecordBytes bounds one NDJSON line, or one CSV row with the line breaks of its quoted
// fields. A longer one is one bad record; reading goes on after it.
const maxRecordBytes = 4 << 20

var tooLongMsg = fmt.Sprintf("the line is longer than %d MiB; it was skipped", maxRecordBytes>>20)

// physLine is one line of a file: its bytes with the newline, its number from 1, and
// whether it was longer than maxRecordBytes (then b is nil: it was read past, not kept).
type physLine struct {
	b       []byte
	n       int
	tooLong bool
}

// lineSource reads a file a line at a time, each line bounded in length, skipping a UTF-8
// byte order mark at the start. Lines given back with unread are read again first.
type lineSource struct {
	r    *bufio.Reader
	n    int // number of the last line read from r
	back []physLine
}

func newLineSource(r io.Reader) *lineSource {
	return &lineSource{r: bufio.NewReaderSize(r, 64<<10)}
}

var bom = []byte("\ufeff")

func (s *lineSource) next() (physLine, error) {
	if len(s.back) > 0 {
		l := s.back[0]
		s.back = s.back[1:]
		return l, nil
	}
	var b []byte
	tooLong := false
	for {
		chunk, err := s.r.ReadSlice('\n')
		if !tooLong && len(b)+len(chunk) > maxRecordBytes {
			tooLong, b = true, nil
		} else if !tooLong {
			b = append(b, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return physLine{}, err
		}
		if err != nil && len(b) == 0 && !tooLong {
			return physLine{}, io.EOF
		}
		break
	}
	s.n++
	if s.n == 1 {
		b = bytes.TrimPrefix(b, bom)
	}
	return physLine{b: b, n: s.n, tooLong: tooLong}, nil
}

// unread gives lines back, to be read again before any other.
func (s *lineSource) unread(lines []physLine) {
	s.back = append(slices.Clone(lines), s.back...)
}

// content is a line without its newline, as encoding/csv sees it: "\r\n" counts as "\n",
// and a "\r" ending the file is dropped. eol says whether the line had a newline.
func content(b []byte) (line []byte, eol bool) {
	line, eol = bytes.CutSuffix(b, []byte("\n"))
	line, _ = bytes.CutSuffix(line, []byte("\r"))
	return line, eol
}

type ndjsonReader struct {
	src *lineSource
}

func newNDJSONReader(r io.Reader) *ndjsonReader {
	return &ndjsonReader{src: newLineSource(r)}
}

func (n *ndjsonReader) next() (json.RawMessage, int, error) {
	for {
		l, err := n.src.next()
		if err != nil {
			return nil, n.src.n, err
		}
		if l.tooLong {
			return nil, l.n, &parseError{field: "record", msg: tooLongMsg}
		}
		b := bytes.TrimSpace(l.b)
		if len(b) == 0 {
			continue
		}
		if b[0] != '{' || !json.Valid(b) {
			return nil, l.n, &parseError{field: "record", msg: "line is not a JSON object"}
		}
		if !utf8.Valid(b) {
			// encoding/json would quietly turn the bad bytes into U+FFFD.
			return nil, l.n, invalidUTF8InJSON(b)
		}
		return json.RawMessage(b), l.n, nil
	}
}

// fieldName is the shape of a field name in an error: an NDJSON key or CSV column, perhaps
// of a list element ("items[2].unit_price").
var fieldName = regexp.MustCompile(`^[a-z][a-z0-9_]*(\[\d+\])?(\.[a-z][a-z0-9_]*)*$`)

// invalidUTF8InJSON reports the first key or value of a JSON object whose text is not valid
// UTF-8, named by its path ("email", "items[1].name").
func invalidUTF8InJSON(b []byte) *parseError {
	const msg = "not valid UTF-8 text (a file in another encoding, such as GBK or Latin-1?)"
	type level struct {
		object  bool
		wantKey bool
		key     string
		index   int
	}
	var stack []level
	path := func() string {
		var p strings.Builder
		for i, l := range stack {
			switch {
			case !l.object:
				fmt.Fprintf(&p, "[%d]", l.index)
			case i > 0:
				p.WriteString("." + strings.ToLower(l.key))
			default:
				p.WriteString(strings.ToLower(l.key))
			}
		}
		return p.String()
	}
	found := func(p, what string) *parseError {
		if fieldName.MatchString(p) {
			return &parseError{field: p, msg: what}
		}
		return &parseError{field: "record", msg: fmt.Sprintf("field %s: %s", strconv.QuoteToASCII(p), what)}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var prev int64
	for {
		tok, err := dec.Token()
		if err != nil {
			return &parseError{field: "record", msg: msg}
		}
		end := dec.InputOffset()
		bad := !utf8.Valid(b[prev:end]) // the token, and the ASCII punctuation before it
		prev = end
		if len(stack) == 0 && tok != json.Delim('{') {
			return &parseError{field: "record", msg: msg}
		}
		var top *level
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if key, ok := tok.(string); ok && top != nil && top.object && top.wantKey {
			top.key, top.wantKey = key, false
			if bad {
				return found(path(), "the key is not valid UTF-8 (a file in another encoding?)")
			}
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, level{object: true, wantKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, level{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return &parseError{field: "record", msg: msg}
			}
			top = &stack[len(stack)-1]
		}
		if bad {
			return found(path(), msg)
		}
		// A value is complete: the next token of an object is a key, of a list the next element.
		if top.object {
			top.wantKey = true
		} else {
			top.index++
		}
	}
}

// csvReader reads CSV with a header row naming the NDJSON fields. For orders, consecutive
// rows with the same source_id are one order, one row per line item (columns sku, name,
// category, quantity, unit_price).
type csvReader struct {
	src      *lineSource
	header   []string
	orders   bool
	pending  map[string]string // the first row of the next order
	pendErr  error             // a row error met while gathering an order
	pendLine int
	ignore   map[string]bool // columns the kind does not know (reported once, from the header)
}

var orderItemColumns = map[string]bool{"sku": true, "name": true, "category": true, "quantity": true, "unit_price": true}

func newCSVReader(r io.Reader, orders bool) (*csvReader, error) {
	c := &csvReader{src: newLineSource(r), orders: orders}
	header, _, err := c.record(0)
	var perr *parseError
	switch {
	case errors.As(err, &perr):
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "header", Message: "the CSV header row cannot be read: " + perr.msg}
	case errors.Is(err, io.EOF):
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "header", Message: "the CSV file has no header row"}
	case err != nil:
		return nil, err
	}
	for i, h := range header {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	}
	c.header = header
	return c, nil
}

// record reads the next record as encoding/csv reads it (RFC 4180: fields in double quotes
// may hold commas, doubled quotes and line breaks) and returns it with its first line. A
// bad record is one error, and reading goes on: a record that spans lines is kept only if
// it parses and has width fields (any number if width is 0); otherwise its opening quote
// was most likely a stray one, and the lines after its first are read again as rows of
// their own. So an unclosed quote costs its row, not the rest of the file.
func (c *csvReader) record(width int) ([]string, int, error) {
	var first physLine
	for {
		l, err := c.src.next()
		if err != nil {
			return nil, c.src.n, err
		}
		if l.tooLong {
			return nil, l.n, &parseError{field: "record", msg: tooLongMsg}
		}
		if line, _ := content(l.b); len(line) > 0 {
			first = l
			break
		}
		// encoding/csv skips empty lines too.
	}
	lines := []physLine{first}
	size := len(first.b)
	line, eol := content(first.b)
	var fields []string
	var field []byte
	msg, unclosed := "", false
parse:
	for {
		column := len(fields) + 1
		if len(line) == 0 || line[0] != '"' {
			f, rest, more := bytes.Cut(line, []byte(","))
			if bytes.IndexByte(f, '"') >= 0 {
				msg = fmt.Sprintf(`has a quote in unquoted column %d; quote the whole field and double the quotes inside ("a ""b"" c")`, column)
				break
			}
			fields = append(fields, string(f))
			if !more {
				break
			}
			line = rest
			continue
		}
		line, field = line[1:], field[:0]
		for {
			if i := bytes.IndexByte(line, '"'); i >= 0 {
				field = append(field, line[:i]...)
				line = line[i+1:]
				switch {
				case len(line) > 0 && line[0] == '"':
					field, line = append(field, '"'), line[1:]
				case len(line) > 0 && line[0] == ',':
					fields, line = append(fields, string(field)), line[1:]
					continue parse
				case len(line) == 0:
					fields = append(fields, string(field))
					break parse
				default:
					msg = fmt.Sprintf(`has text after the closing quote of column %d; double the quotes inside a quoted field ("a ""b"" c")`, column)
					break parse
				}
				continue
			}
			// The quoted field goes on on the next line.
			field = append(field, line...)
			var l physLine
			var err error
			if eol {
				field = append(field, '\n')
				l, err = c.src.next()
			}
			if !eol || errors.Is(err, io.EOF) {
				msg, unclosed = fmt.Sprintf("column %d opens a quote that the end of the file does not close", column), true
				break parse
			} else if err != nil {
				return nil, first.n, err
			}
			lines = append(lines, l)
			if size += len(l.b); l.tooLong || size > maxRecordBytes {
				msg, unclosed = fmt.Sprintf("column %d opens a quote not closed within %d MiB", column, maxRecordBytes>>20), true
				break parse
			}
			line, eol = content(l.b)
		}
	}
	if msg == "" && width > 0 && len(fields) != width {
		msg = fmt.Sprintf("has %d columns, the header has %d", len(fields), width)
	}
	if msg == "" {
		return fields, first.n, nil
	}
	if len(lines) > 1 {
		// Most likely a quote left open: read what follows this line as rows again.
		c.src.unread(lines[1:])
		if !unclosed {
			msg = fmt.Sprintf("a quoted field runs on from this line to line %d, where the row %s", lines[len(lines)-1].n, msg)
		}
		msg += "; the lines after this one are read as rows of their own"
	}
	return nil, first.n, &parseError{field: "record", msg: msg}
}

func (c *csvReader) row() (map[string]string, int, error) {
	fields, line, err := c.record(len(c.header))
	if err != nil {
		return nil, line, err
	}
	m := make(map[string]string, len(fields))
	for i, f := range fields {
		if !utf8.ValidString(f) {
			// encoding/json would quietly turn the bad bytes into U+FFFD.
			const msg = "not valid UTF-8 text (a file in another encoding, such as GBK or Latin-1?)"
			if h := c.header[i]; fieldName.MatchString(h) {
				return nil, line, &parseError{field: h, msg: msg}
			}
			return nil, line, &parseError{field: "record", msg: fmt.Sprintf("column %d: %s", i+1, msg)}
		}
		if f != "" && !c.ignore[c.header[i]] {
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
