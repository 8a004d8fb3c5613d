package ingest_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/ingest"
)

// docs/import.md documents every field of every kind, under the kind's heading: the
// fields come from the record types' tags, so a field added there fails this test until
// the page describes it; a field the page names that no type has fails it too.
func TestImportFormatDocumentsEveryField(t *testing.T) {
	b, err := os.ReadFile("../docs/import.md")
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]string{}
	for _, part := range strings.Split(string(b), "\n## ")[1:] {
		title, body, _ := strings.Cut(part, "\n")
		sections[strings.TrimSpace(title)] = body
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z_\\[\\].0-9]+)` \\|")
	for _, kind := range cdp.RecordKinds {
		body, ok := sections[string(kind)]
		if !ok {
			t.Errorf("docs/import.md has no section %q", kind)
			continue
		}
		documented := map[string]bool{}
		for _, m := range row.FindAllStringSubmatch(body, -1) {
			documented[m[1]] = true
		}
		fields := ingest.Fields(kind)
		for _, f := range fields {
			if !documented[f] {
				t.Errorf("docs/import.md, %s: field %s is not documented", kind, f)
			}
			delete(documented, f)
		}
		for f := range documented {
			t.Errorf("docs/import.md, %s: documents %s, which %s records do not have", kind, f, kind)
		}
	}
}
