package normalize

import (
	"strings"
	"testing"
)

func TestPersonalID(t *testing.T) {
	cases := []struct {
		typ, value, want, err string
	}{
		{typ: "national_id", value: " 110105 19491231 002x ", want: "11010519491231002X"},
		{typ: "national_id", value: "１１０１０５１９４９１２３１００２Ｘ", want: "11010519491231002X"},
		{typ: "passport", value: "e1234-5678", want: "E12345678"},
		{typ: "PASSPORT", value: "E 1234 5678", want: "E12345678"},
		{typ: "tax_id", value: "DE 123-456-789", want: "DE123456789"},
		{typ: "national_id", value: "11010519491231002", want: "11010519491231002"},   // no check digit: kept, not judged
		{typ: "national_id", value: "110105194912310021", want: "110105194912310021"}, // wrong check digit: a typo, kept
		{typ: "passport", value: "", err: "empty"},
		{typ: "passport", value: " - ", err: "empty"},
		{typ: "tax_id", value: "12.345.678", err: `letters and digits`},
		{typ: "national_id", value: "1234", err: "5 to 40"},
		{typ: "national_id", value: "身份证110105", err: "letters and digits"},
		{typ: "tax_id", value: "\xff12345", err: "UTF-8"},
	}
	for _, c := range cases {
		got, err := Identifier(c.typ, c.value, "CN")
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("Identifier(%q, %q) = %q, %v; want error containing %q", c.typ, c.value, got, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("Identifier(%q, %q) = %q, %v; want %q", c.typ, c.value, got, err, c.want)
		}
	}
}

func TestResidentIDCheck(t *testing.T) {
	cases := []struct {
		id          string
		is, isValid bool
	}{
		{"11010519491231002X", true, true}, // the standard's example
		{"110105194912310021", true, false},
		{"11010519491231020X", true, false}, // two digits swapped
		{"110105194912310029", true, false},
		{"440524188001010014", true, true},
		{"440524188001010041", true, false}, // a typo of the one before
		{"11010519491231002", false, false},
		{"E12345678", false, false},
		{"A1010519491231002X", false, false},
		{"11010519491231002Y", false, false},
	}
	for _, c := range cases {
		is, ok := ResidentIDCheck(c.id)
		if is != c.is || ok != c.isValid {
			t.Errorf("ResidentIDCheck(%s) = %v, %v; want %v, %v", c.id, is, ok, c.is, c.isValid)
		}
	}
	d, err := ResidentIDCheckDigit("11010519491231002")
	if err != nil || d != 'X' {
		t.Errorf("check digit = %c, %v; want X", d, err)
	}
	if _, err := ResidentIDCheckDigit("1101051949"); err == nil {
		t.Error("short prefix: want an error")
	}
}

// Every single wrong digit and every adjacent swap of a valid number fails the check:
// what lets the matcher call a failing near-copy a typo.
func TestResidentIDCheckCatchesTypos(t *testing.T) {
	valid := "440524188001010014"
	for i := 0; i < 18; i++ {
		for d := byte('0'); d <= '9'; d++ {
			if d == valid[i] {
				continue
			}
			b := []byte(valid)
			b[i] = d
			if _, ok := ResidentIDCheck(string(b)); ok {
				t.Errorf("%s (digit %d changed) passes the check", b, i)
			}
		}
		if i < 17 && valid[i] != valid[i+1] {
			b := []byte(valid)
			b[i], b[i+1] = b[i+1], b[i]
			if _, ok := ResidentIDCheck(string(b)); ok {
				t.Errorf("%s (digits %d,%d swapped) passes the check", b, i, i+1)
			}
		}
	}
}
