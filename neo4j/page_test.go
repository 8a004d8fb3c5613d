package neo4j

import (
	"slices"
	"testing"

	cdp "github.com/cdpgraph/cdpgraph"
)

// The rows of a page statement: the extra row past `first` says there is a next page, and
// item-less rows (an OPTIONAL CALL's count-only row) neither count nor decode.
func TestFirstPageReadsOneExtraAndSkipsItemlessRows(t *testing.T) {
	rows := []string{"", "a", "b", "", "c"}
	decoded := 0
	decode := func(r string) (string, string) { decoded++; return "item " + r, "cur " + r }
	noItem := func(r string) bool { return r == "" }

	p := firstPage(&cdp.Page[string]{}, rows, 2, noItem, decode)
	if !slices.Equal(p.Items, []string{"item a", "item b"}) || !slices.Equal(p.Cursors, []string{"cur a", "cur b"}) || !p.HasNextPage {
		t.Fatalf("first 2: %+v", p)
	}
	if decoded != 2 {
		t.Fatalf("decoded %d rows, want only the 2 on the page", decoded)
	}
	p = firstPage(&cdp.Page[string]{}, rows, 3, noItem, decode)
	if len(p.Items) != 3 || p.HasNextPage {
		t.Fatalf("first 3 of 3: %+v", p)
	}
	p = firstPage(&cdp.Page[string]{}, []string{""}, 5, noItem, decode)
	if len(p.Items) != 0 || p.HasNextPage {
		t.Fatalf("count-only row: %+v", p)
	}
	p = firstPage(&cdp.Page[string]{}, rows, 0, nil, decode)
	if len(p.Items) != 0 || !p.HasNextPage {
		t.Fatalf("first 0 of some: %+v", p)
	}
}
