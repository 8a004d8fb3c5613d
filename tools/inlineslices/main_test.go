package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The generated executor in graph/ is rewritten: a `gqlgen generate` without this step
// (make generate runs both) fails here.
func TestGeneratedExecutorIsRewritten(t *testing.T) {
	changed, err := Rewrite(filepath.Join("..", "..", "graph"), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) > 0 {
		t.Errorf("%v still start a goroutine per item of a leaf list; run make generate", changed)
	}
}

// Leaf lists (identifiers) are marshalled inline; lists of objects with resolver fields
// (customers, orders) keep gqlgen's goroutine per item, which loader batching needs.
func TestOnlyLeafListsAreInlined(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "graph", "customer.generated.go"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	for name, wantInline := range map[string]bool{
		"marshalNIdentifier2ᚕᚖgithubᚗcomᚋcdpgraphᚋcdpgraphᚐIdentifierᚄ": true,
		"marshalNCustomer2ᚕᚖgithubᚗcomᚋcdpgraphᚋcdpgraphᚐCustomerᚄ":     false,
	} {
		i := strings.Index(src, "func (ec *executionContext) "+name+"(")
		if i < 0 {
			t.Fatalf("%s not generated", name)
		}
		body := src[i:]
		body = body[:strings.Index(body, "\n}\n")]
		if got := strings.Contains(body, "marshalSliceInline("); got != wantInline {
			t.Errorf("%s: inline %v, want %v", name, got, wantInline)
		}
	}
}
