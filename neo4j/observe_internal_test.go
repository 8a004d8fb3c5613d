package neo4j

import "testing"

func TestShortFuncName(t *testing.T) {
	for in, want := range map[string]string{
		"github.com/cdpgraph/cdpgraph/neo4j.(*CustomerStore).CustomersByIDs":  "CustomerStore.CustomersByIDs",
		"github.com/cdpgraph/cdpgraph/neo4j.(*IdentityStore).Merge.func1":     "IdentityStore.Merge",
		"github.com/cdpgraph/cdpgraph/neo4j.(*IdentityStore).Merge.func1.2":   "IdentityStore.Merge",
		"github.com/cdpgraph/cdpgraph/neo4j.firstByParent[...]":               "firstByParent",
		"github.com/cdpgraph/cdpgraph/neo4j.recordsExist":                     "recordsExist",
		"github.com/cdpgraph/cdpgraph/neo4j.(*SegmentStore).Evaluate.gowrap1": "SegmentStore.Evaluate",
		"": "unknown",
	} {
		if got := shortFuncName(in); got != want {
			t.Errorf("shortFuncName(%q) = %q, want %q", in, got, want)
		}
	}
}

//go:noinline
func sendsStatement() string { return statementName(2) }

//go:noinline
func namedCaller() string { return sendsStatement() }

func TestStatementNameIsTheCaller(t *testing.T) {
	if got := namedCaller(); got != "namedCaller" {
		t.Fatalf("statementName = %q, want namedCaller", got)
	}
	func() {
		if got := sendsStatement(); got != "TestStatementNameIsTheCaller" {
			t.Fatalf("statementName in a closure = %q, want TestStatementNameIsTheCaller", got)
		}
	}()
	statementHelpers["namedCaller"] = true
	defer delete(statementHelpers, "namedCaller")
	callSites.Clear()
	defer callSites.Clear()
	if got := namedCaller(); got != "TestStatementNameIsTheCaller" {
		t.Fatalf("statementName through a helper = %q, want TestStatementNameIsTheCaller", got)
	}
}

// BenchmarkStatementName is the cost that naming adds to every Cypher statement.
func BenchmarkStatementName(b *testing.B) {
	for b.Loop() {
		namedCaller()
	}
}

// BenchmarkStatementNameParallel is the same with both cores naming at once (the cache is shared).
func BenchmarkStatementNameParallel(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			namedCaller()
		}
	})
}
