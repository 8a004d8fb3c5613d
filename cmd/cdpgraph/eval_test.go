package main

import "testing"

// Against linkable pairs: a true pair without evidence counts neither way, a merge of two
// people is a wrong merge, a linkable pair left apart is missed.
func TestEvaluateLinkable(t *testing.T) {
	truth := map[string]string{"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"}
	groups := map[string]string{"a1": "A/1", "a2": "A/1", "a3": "A/2", "b1": "B/1", "b2": "B/1", "c1": "C/1"}
	// a1, a2 and a3 merged (a3 without evidence: not counted), b1 apart from b2 (missed),
	// c1 merged with b2 (wrong).
	pred := map[string]string{"a1": "x", "a2": "x", "a3": "x", "b1": "y", "b2": "z", "c1": "z"}
	s := evaluateLinkable(pred, truth, groups)
	if s.linkable != 2 || s.tp != 1 || s.fn != 1 || s.fp != 1 || s.unlinkableMerged != 2 {
		t.Fatalf("%+v", s)
	}
	if s.precision != 0.5 || s.recall != 0.5 || s.f1 != 0.5 {
		t.Fatalf("P %v R %v F1 %v", s.precision, s.recall, s.f1)
	}
}
