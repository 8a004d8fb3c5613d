// Package csvsafe writes CSV that spreadsheets open as data, never as formulas. Every CSV
// the project writes goes through Writer.
package csvsafe

import (
	"encoding/csv"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// number is a plain decimal number: a spreadsheet reads it as a number, not a formula, so
// "-12.5" and "+86" stay as they are.
var number = regexp.MustCompile(`^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$`)

// Cell neutralizes a value a spreadsheet would evaluate: one starting with =, +, -, @, a
// tab or a carriage return gets a leading single quote, as OWASP's CSV-injection guidance
// says. Full-width forms of the four signs are treated alike (some spreadsheets accept them).
func Cell(v string) string {
	if v == "" || number.MatchString(v) {
		return v
	}
	if r, _ := utf8.DecodeRuneInString(v); strings.ContainsRune("=+-@\t\r＝＋－＠", r) {
		return "'" + v
	}
	return v
}

// Writer is a csv.Writer whose cells go through Cell.
type Writer struct {
	w   *csv.Writer
	row []string
}

// NewWriter writes CSV to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write writes one row, neutralized; the caller's slice is not changed.
func (w *Writer) Write(row []string) error {
	w.row = w.row[:0]
	for _, v := range row {
		w.row = append(w.row, Cell(v))
	}
	return w.w.Write(w.row)
}

// Flush writes buffered rows out.
func (w *Writer) Flush() { w.w.Flush() }

// Error reports an error of an earlier Write or Flush.
func (w *Writer) Error() error { return w.w.Error() }
