package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	cdp "github.com/cdpgraph/cdpgraph"
)

// The fields a kind knows are read from the JSON tags of its record type (records.go), so
// a field added there is known here, and in the docs test, without another list to keep.

// fieldSet is the keys of one record type: its own, and those of its lists of objects.
type fieldSet struct {
	keys   []string             // in declaration order
	nested map[string]*fieldSet // list field -> the keys of its elements
}

func fieldsOf(t reflect.Type) *fieldSet {
	fs := &fieldSet{nested: map[string]*fieldSet{}}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		fs.keys = append(fs.keys, name)
		if f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct {
			fs.nested[name] = fieldsOf(f.Type.Elem())
		}
	}
	return fs
}

var kindFields = map[cdp.RecordKind]*fieldSet{
	cdp.KindCustomers: fieldsOf(reflect.TypeFor[cdp.CustomerRecord]()),
	cdp.KindOrders:    fieldsOf(reflect.TypeFor[cdp.OrderRecord]()),
	cdp.KindEvents:    fieldsOf(reflect.TypeFor[cdp.EventRecord]()),
	cdp.KindFeedback:  fieldsOf(reflect.TypeFor[cdp.FeedbackRecord]()),
	cdp.KindSocial:    fieldsOf(reflect.TypeFor[cdp.SocialRecord]()),
	cdp.KindConsents:  fieldsOf(reflect.TypeFor[cdp.ConsentRecord]()),
}

// Fields lists the NDJSON keys of a kind; a list of objects is named with its elements'
// keys after it ("items[].sku").
func Fields(kind cdp.RecordKind) []string {
	fs := kindFields[kind]
	if fs == nil {
		return nil
	}
	var out []string
	for _, k := range fs.keys {
		out = append(out, k)
		if n := fs.nested[k]; n != nil {
			for _, nk := range n.keys {
				out = append(out, k+"[]."+nk)
			}
		}
	}
	return out
}

// CSVColumns lists the CSV header columns of a kind: the flat fields, and for orders the
// line-item columns (one row per item). Lists of objects other than order items have no
// CSV column: NDJSON carries them.
func CSVColumns(kind cdp.RecordKind) []string {
	fs := kindFields[kind]
	if fs == nil {
		return nil
	}
	var out []string
	for _, k := range fs.keys {
		if n := fs.nested[k]; n != nil {
			if kind == cdp.KindOrders && k == "items" {
				out = append(out, n.keys...)
			}
			continue
		}
		out = append(out, k)
	}
	return out
}

// UnknownField is a CSV column or NDJSON key the kind does not know: its values were not
// read. Records counts the records that carried it (every row, for a CSV column).
type UnknownField struct {
	Name       string // as written, with its path for nested keys ("items[].qty")
	Records    int
	FirstLine  int
	Suggestion string // the known field it most likely means, if any
}

func (u UnknownField) String() string {
	s := fmt.Sprintf("%q is not a field of this kind; its values were ignored", u.Name)
	if u.Suggestion != "" {
		s += fmt.Sprintf(" (did you mean %q?)", u.Suggestion)
	}
	return s
}

// unknownTracker gathers the unknown fields of one file, in the order first met.
type unknownTracker struct {
	fields []UnknownField
	at     map[string]int
}

func (t *unknownTracker) add(name, suggestion string, line int) {
	if t.at == nil {
		t.at = map[string]int{}
	}
	i, ok := t.at[name]
	if !ok {
		i = len(t.fields)
		t.at[name] = i
		t.fields = append(t.fields, UnknownField{Name: name, FirstLine: line, Suggestion: suggestion})
	}
	t.fields[i].Records++
}

// unknownCSVColumns returns the header columns the kind does not know, each with the
// known column it most likely means.
func unknownCSVColumns(kind cdp.RecordKind, header []string) []UnknownField {
	known := CSVColumns(kind)
	var out []UnknownField
	for _, h := range header {
		if h == "" || slices.Contains(known, h) {
			continue
		}
		out = append(out, UnknownField{Name: h, FirstLine: 1, Suggestion: nearest(h, known)})
	}
	return out
}

// unknownKeys returns the keys of an NDJSON record the kind does not know, nested ones
// with their path ("items[].qty"). encoding/json matches keys without regard to case,
// and so does this.
func unknownKeys(fs *fieldSet, raw json.RawMessage) []UnknownField {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return nil // not an object: the decoder reports it
	}
	var out []UnknownField
	for k, v := range obj {
		known := fs.lookup(k)
		if known == "" {
			out = append(out, UnknownField{Name: k, Suggestion: nearest(k, fs.keys)})
			continue
		}
		n := fs.nested[known]
		if n == nil {
			continue
		}
		var elems []json.RawMessage
		if json.Unmarshal(v, &elems) != nil {
			continue
		}
		seen := map[string]bool{}
		for _, e := range elems {
			for _, u := range unknownKeys(n, e) {
				u.Name = known + "[]." + u.Name
				if u.Suggestion != "" {
					u.Suggestion = known + "[]." + u.Suggestion
				}
				if !seen[u.Name] {
					seen[u.Name] = true
					out = append(out, u)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b UnknownField) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// lookup returns the known key that k names, ignoring case as encoding/json does, or "".
func (fs *fieldSet) lookup(k string) string {
	for _, known := range fs.keys {
		if strings.EqualFold(known, k) {
			return known
		}
	}
	return ""
}

// nearest returns the known name a misspelt one most likely means: the same once case,
// spaces and dashes are set aside, or within a small edit distance; "" if none is close.
func nearest(name string, known []string) string {
	canon := func(s string) string {
		return strings.NewReplacer(" ", "_", "-", "_", ".", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
	}
	c := canon(name)
	best, bestDist := "", 0
	for _, k := range known {
		if canon(k) == c || strings.ReplaceAll(k, "_", "") == strings.ReplaceAll(c, "_", "") {
			return k
		}
		d := editDistance(c, k)
		// One edit in four characters at most, so that "zip" does not become "sku".
		if d <= max(1, len(k)/4) && (best == "" || d < bestDist) {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Damerau-Levenshtein distance (adjacent swaps count one) in bytes.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// decodeRecord decodes one NDJSON record and names the keys it does not know. The first
// decode refuses unknown keys, which costs what a plain decode does; only a record that
// fails it (an unknown key, or a number where text is expected) gets the slower look at
// every key and the lenient decode.
func decodeRecord[R any](raw json.RawMessage, fs *fieldSet) (R, []UnknownField, error) {
	var r R
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err == nil {
		return r, nil, nil
	}
	unknown := unknownKeys(fs, raw)
	var lenient R
	err := decodeLenient(raw, &lenient)
	return lenient, unknown, err
}

// ScanFields reads a file only for the fields its kind does not know, validating and
// storing nothing: the import command's --strict uses it to refuse an NDJSON file as a
// whole before writing any of it. A CSV file is judged by its header alone.
func ScanFields(r io.Reader, kind cdp.RecordKind, format Format) ([]UnknownField, error) {
	fs := kindFields[kind]
	if fs == nil {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "kind", Message: fmt.Sprintf("unknown kind %q; expected one of %s", kind, kindList())}
	}
	if format == FormatCSV {
		c, err := newCSVReader(r, kind == cdp.KindOrders)
		if err != nil {
			return nil, err
		}
		return unknownCSVColumns(kind, c.header), nil
	}
	rows := newNDJSONReader(r)
	var t unknownTracker
	for {
		raw, line, err := rows.next()
		if errors.Is(err, io.EOF) {
			return t.fields, nil
		}
		var perr *parseError
		if errors.As(err, &perr) {
			continue // the import reports it
		} else if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		for _, u := range unknownKeys(fs, raw) {
			t.add(u.Name, u.Suggestion, line)
		}
	}
}
