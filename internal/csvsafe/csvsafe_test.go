package csvsafe

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFormulaCellsAreNeutralizedAndNumbersKept(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://evil","x")`: `'=HYPERLINK("http://evil","x")`,
		"+cmd|' /C calc'!A0":            "'+cmd|' /C calc'!A0",
		"@SUM(1+1)*cmd|' /C calc'!A0":   "'@SUM(1+1)*cmd|' /C calc'!A0",
		"-2+3+cmd|' /C calc'!A0":        "'-2+3+cmd|' /C calc'!A0",
		"-":                             "'-",
		"\t=1+1":                        "'\t=1+1",
		"\r=1+1":                        "'\r=1+1",
		"＝1+1":                          "'＝1+1",
		"-12.5":                         "-12.5",
		"+8613800138000":                "+8613800138000",
		"1e5":                           "1e5",
		"Shanghai":                      "Shanghai",
		"anon_0123":                     "anon_0123",
		"":                              "",
		"a=b":                           "a=b",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	row := []string{"=1+1", "-3.25", "ok"}
	if err := w.Write(row); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	got, err := csv.NewReader(&buf).Read()
	if err != nil || got[0] != "'=1+1" || got[1] != "-3.25" || got[2] != "ok" || row[0] != "=1+1" {
		t.Fatalf("written %q (%v); caller's row %q", got, err, row)
	}
}

// Every CSV the project writes goes through this package.
func TestNoOtherCSVWriter(t *testing.T) {
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "../.." || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.Contains(path, "internal/csvsafe") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err == nil && bytes.Contains(b, []byte("csv.NewWriter(")) {
			t.Errorf("%s writes CSV with encoding/csv; use csvsafe.NewWriter", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
