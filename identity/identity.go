// Package identity holds the rules of identity resolution: which identifiers may merge
// records, how records group into customers, and how a customer's golden record is
// chosen from its source records. It is pure logic; the Neo4j store applies it.
package identity

import (
	"sort"
	"strings"
	"time"
	"unicode"

	cdp "github.com/cdpgraph/cdpgraph"
)

// UnionFind groups string keys into disjoint sets.
type UnionFind struct {
	parent map[string]string
}

// NewUnionFind returns an empty UnionFind.
func NewUnionFind() *UnionFind { return &UnionFind{parent: map[string]string{}} }

// Add makes sure k is known, alone in its set if new.
func (u *UnionFind) Add(k string) {
	if _, ok := u.parent[k]; !ok {
		u.parent[k] = k
	}
}

// Find returns the representative of k's set.
func (u *UnionFind) Find(k string) string {
	u.Add(k)
	root := k
	for u.parent[root] != root {
		root = u.parent[root]
	}
	for u.parent[k] != root { // path compression
		u.parent[k], k = root, u.parent[k]
	}
	return root
}

// Union joins the sets of a and b. The smaller key becomes the root so that results do not
// depend on the order of calls.
func (u *UnionFind) Union(a, b string) {
	ra, rb := u.Find(a), u.Find(b)
	if ra == rb {
		return
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	u.parent[rb] = ra
}

// Groups returns every set with its members sorted, keyed by representative.
func (u *UnionFind) Groups() map[string][]string {
	out := map[string][]string{}
	for k := range u.parent {
		r := u.Find(k)
		out[r] = append(out[r], k)
	}
	for _, g := range out {
		sort.Strings(g)
	}
	return out
}

// Golden chooses each profile field of a customer from its records: the value of the most
// recently updated record that has one, then the higher-priority source, then the smaller
// record key, so the same records always give the same golden record.
func (r Rules) Golden(records []*cdp.SourceRecord) (cdp.Profile, []cdp.Provenance) {
	ordered := make([]*cdp.SourceRecord, 0, len(records))
	for _, rec := range records {
		if !rec.Placeholder {
			ordered = append(ordered, rec)
		}
	}
	sort.SliceStable(ordered, func(i, j int) bool {
		a, b := ordered[i], ordered[j]
		ta, tb := recordTime(a), recordTime(b)
		if !ta.Equal(tb) {
			return ta.After(tb)
		}
		if pa, pb := r.SourcePriority[a.Source], r.SourcePriority[b.Source]; pa != pb {
			return pa > pb
		}
		return a.Key() < b.Key()
	})
	var p cdp.Profile
	var prov []cdp.Provenance
	for _, field := range cdp.ProfileFields {
		for _, rec := range ordered {
			if v := rec.Profile.Get(field); v != "" {
				p.Set(field, v)
				prov = append(prov, cdp.Provenance{Field: field, Source: rec.Source, SourceID: rec.SourceID})
				break
			}
		}
	}
	return p, prov
}

func recordTime(r *cdp.SourceRecord) time.Time {
	if !r.UpdatedAt.IsZero() {
		return r.UpdatedAt
	}
	return r.IngestedAt
}

// HouseholdKey is the key of the household at a profile's address: the first address line
// and the postcode (or city), folded so that case, spacing and punctuation do not split a
// household. Without an address line there is no household.
func HouseholdKey(p cdp.Profile) string {
	line := foldAddress(p.AddressLine1)
	if line == "" {
		return ""
	}
	area := foldAddress(p.Postcode)
	if area == "" {
		area = foldAddress(p.City)
	}
	if area == "" {
		return ""
	}
	return strings.ToLower(p.Country) + "|" + area + "|" + line
}

func foldAddress(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
