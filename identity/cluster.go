package identity

import (
	"sort"
)

// Link kinds, strongest first: the order in which links are applied when they conflict
// with a "not the same person" fact.
const (
	LinkManual     = "manual"            // an analyst said these records are the same person
	LinkIdentifier = "shared_identifier" // the records share a trusted identifier
	LinkMatch      = "probabilistic"     // the matcher scored the pair above the merge threshold
)

var linkStrength = map[string]int{LinkManual: 0, LinkIdentifier: 1, LinkMatch: 2}

// Link says two records belong together, and why.
type Link struct {
	A, B  string
	Kind  string
	Via   string  // the identifier key, for shared identifiers
	Score float64 // match probability, for probabilistic links
}

// Apart says two records are not the same person; no cluster may hold both.
type Apart struct {
	A, B string
}

// Cluster groups records into people: links are applied strongest first (manual, then
// shared identifiers, then probabilistic matches by score), and a link is skipped when it
// would put two records that are known apart into one cluster. The result maps each record
// to its cluster's smallest record key, and is the same whatever order links arrive in.
//
// It also returns the links it applied: together they are the explanation of every cluster.
func Cluster(records []string, links []Link, apart []Apart) (map[string]string, []Link) {
	sorted := append([]Link(nil), links...)
	for i := range sorted {
		if sorted[i].B < sorted[i].A {
			sorted[i].A, sorted[i].B = sorted[i].B, sorted[i].A
		}
	}
	sort.SliceStable(sorted, func(i, j int) bool { return stronger(sorted[i], sorted[j]) })

	uf := NewUnionFind()
	for _, r := range records {
		uf.Add(r)
	}
	// cannot[root] holds the records that may never join root's cluster.
	cannot := map[string]map[string]bool{}
	for _, ap := range apart {
		if ap.A == ap.B {
			continue
		}
		uf.Add(ap.A)
		uf.Add(ap.B)
		addCannot(cannot, uf.Find(ap.A), ap.B)
		addCannot(cannot, uf.Find(ap.B), ap.A)
	}
	members := map[string][]string{}
	for _, r := range records {
		members[uf.Find(r)] = append(members[uf.Find(r)], r)
	}
	var applied []Link
	for _, l := range sorted {
		ra, rb := uf.Find(l.A), uf.Find(l.B)
		if ra == rb || conflicts(cannot[ra], members[rb]) || conflicts(cannot[rb], members[ra]) {
			continue
		}
		applied = append(applied, l)
		uf.Union(ra, rb)
		root := uf.Find(ra)
		other := ra
		if root == ra {
			other = rb
		}
		members[root] = append(members[root], members[other]...)
		delete(members, other)
		for k := range cannot[other] {
			addCannot(cannot, root, k)
		}
		delete(cannot, other)
	}
	out := make(map[string]string, len(records))
	for _, r := range records {
		out[r] = uf.Find(r)
	}
	return out, applied
}

func addCannot(cannot map[string]map[string]bool, root, key string) {
	if cannot[root] == nil {
		cannot[root] = map[string]bool{}
	}
	cannot[root][key] = true
}

func conflicts(cannot map[string]bool, members []string) bool {
	if len(cannot) == 0 {
		return false
	}
	for _, m := range members {
		if cannot[m] {
			return true
		}
	}
	return false
}
