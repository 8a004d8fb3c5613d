package identity

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestClusterRespectsApartFacts(t *testing.T) {
	records := []string{"a", "b", "c", "d", "e"}
	links := []Link{
		{A: "a", B: "b", Kind: LinkIdentifier, Via: "email:x"},
		{A: "b", B: "c", Kind: LinkIdentifier, Via: "phone:1"},
		{A: "c", B: "d", Kind: LinkMatch, Score: 0.99},
		{A: "d", B: "e", Kind: LinkMatch, Score: 0.97},
	}
	got, _ := Cluster(records, links, nil)
	for _, r := range records {
		if got[r] != "a" {
			t.Fatalf("without apart facts everything chains: %v", got)
		}
	}
	// "a and c are not the same person": the weaker identifier link b-c is the one cut,
	// since a-b is applied first (same strength, smaller keys) and then b-c would join a's
	// cluster with c.
	got, applied := Cluster(records, links, []Apart{{A: "c", B: "a"}})
	if len(applied) != 3 {
		t.Fatalf("applied %d links, want 3 (b-c cut): %v", len(applied), applied)
	}
	want := map[string]string{"a": "a", "b": "a", "c": "c", "d": "c", "e": "c"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("clusters = %v, want %v", got, want)
	}
	// A manual link beats identifier links: a-c manual, so b (linked to both by
	// identifiers) can only follow one side once b and c are declared apart.
	got, _ = Cluster(records, append(links, Link{A: "a", B: "c", Kind: LinkManual}), []Apart{{A: "b", B: "c"}})
	if got["a"] != got["c"] || got["b"] == got["c"] {
		t.Fatalf("manual link or apart fact ignored: %v", got)
	}
}

func TestClusterIsOrderIndependent(t *testing.T) {
	records := []string{"r1", "r2", "r3", "r4", "r5", "r6"}
	links := []Link{
		{A: "r1", B: "r2", Kind: LinkIdentifier, Via: "email:a"},
		{A: "r2", B: "r3", Kind: LinkMatch, Score: 0.96},
		{A: "r3", B: "r4", Kind: LinkMatch, Score: 0.99},
		{A: "r4", B: "r5", Kind: LinkIdentifier, Via: "phone:1"},
		{A: "r5", B: "r6", Kind: LinkManual},
	}
	apart := []Apart{{A: "r1", B: "r4"}}
	want, _ := Cluster(records, links, apart)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 50; i++ {
		shuffled := append([]Link(nil), links...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		for j := range shuffled {
			if rng.IntN(2) == 0 {
				shuffled[j].A, shuffled[j].B = shuffled[j].B, shuffled[j].A
			}
		}
		if got, _ := Cluster(records, shuffled, apart); !reflect.DeepEqual(got, want) {
			t.Fatalf("order changed the result: %v vs %v", got, want)
		}
	}
	// The weakest link on the r1..r4 chain (the 0.96 match) is the one that gives way.
	if want["r2"] == want["r3"] || want["r3"] != want["r4"] || want["r1"] != want["r2"] {
		t.Fatalf("clusters = %v", want)
	}
}
