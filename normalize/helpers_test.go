package normalize

import (
	"strings"
	"testing"
)

// tc is one case of a string normalizer: the input, and either the output or a
// substring of the error (err non-empty means an error is expected).
type tc struct {
	in, want, err string
}

// run checks f against the cases.
func run(t *testing.T, name string, f func(string) (string, error), cases []tc) {
	t.Helper()
	for _, c := range cases {
		got, err := f(c.in)
		switch {
		case c.err != "" && err == nil:
			t.Errorf("%s(%q) = %q, want error containing %q", name, c.in, got, c.err)
		case c.err != "" && !strings.Contains(err.Error(), c.err):
			t.Errorf("%s(%q) error = %q, want it to contain %q", name, c.in, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("%s(%q) unexpected error %q", name, c.in, err)
		case c.err == "" && got != c.want:
			t.Errorf("%s(%q) = %q, want %q", name, c.in, got, c.want)
		}
		if err != nil && got != "" {
			t.Errorf("%s(%q) returned %q together with error %q", name, c.in, got, err)
		}
	}
}

// checkIdempotent fails when f accepted in and produced out, but does not give out
// back for out: re-importing clean data must change nothing.
func checkIdempotent(t *testing.T, f func(string) (string, error), in string) {
	t.Helper()
	out, err := f(in)
	if err != nil {
		return
	}
	again, err := f(out)
	if err != nil {
		t.Fatalf("input %q gave %q, which is then rejected: %v", in, out, err)
	}
	if again != out {
		t.Fatalf("input %q gave %q, which re-normalizes to %q", in, out, again)
	}
}
