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

// Survivorship strategies: how a golden-record field is chosen among a customer's records.
const (
	MostRecent     = "most_recent"     // the most recently updated record that has a value
	SourcePriority = "source_priority" // the most trusted source that has a value
	MostFrequent   = "most_frequent"   // the value most records give
)

// addressFields are chosen together, from one record, so that a street never pairs with
// another record's postcode.
var addressFields = []string{"addressLine1", "addressLine2", "city", "region", "postcode", "country"}

// DefaultSurvivorship suits retail: names from the most trusted source (the CRM's form
// beats a till's "Ms Qiu"), contact points and the address as last updated (people move,
// change numbers), birth date and gender as most records say (a typo loses to agreement).
func DefaultSurvivorship() map[string]string {
	return map[string]string{
		"givenName": SourcePriority, "familyName": SourcePriority, "fullName": SourcePriority,
		"email": MostRecent, "phone": MostRecent, "address": MostRecent,
		"birthDate": MostFrequent, "gender": MostFrequent,
	}
}

// Golden chooses each profile field of a customer from its records by the field's
// survivorship strategy (the address as one group), breaking ties by recency, source
// priority, then record key, so the same records always give the same golden record.
func (r Rules) Golden(records []*cdp.SourceRecord) (cdp.Profile, []cdp.Provenance) {
	recent := make([]*cdp.SourceRecord, 0, len(records))
	for _, rec := range records {
		if !rec.Placeholder {
			recent = append(recent, rec)
		}
	}
	sort.SliceStable(recent, func(i, j int) bool { return r.newer(recent[i], recent[j]) })
	trusted := append([]*cdp.SourceRecord(nil), recent...)
	sort.SliceStable(trusted, func(i, j int) bool {
		if pa, pb := r.SourcePriority[trusted[i].Source], r.SourcePriority[trusted[j].Source]; pa != pb {
			return pa > pb
		}
		return r.newer(trusted[i], trusted[j])
	})
	pick := func(strategy string, has func(*cdp.SourceRecord) bool, value func(*cdp.SourceRecord) string) *cdp.SourceRecord {
		order := recent
		switch strategy {
		case SourcePriority:
			order = trusted
		case MostFrequent:
			counts := map[string]int{}
			for _, rec := range recent {
				if has(rec) {
					counts[value(rec)]++
				}
			}
			var best *cdp.SourceRecord
			for _, rec := range recent { // recency breaks ties: the first seen wins
				if has(rec) && (best == nil || counts[value(rec)] > counts[value(best)]) {
					best = rec
				}
			}
			return best
		}
		for _, rec := range order {
			if has(rec) {
				return rec
			}
		}
		return nil
	}
	strategy := func(field string) string {
		if s := r.Survivorship[field]; s != "" {
			return s
		}
		return MostRecent
	}
	var p cdp.Profile
	var prov []cdp.Provenance
	isAddress := map[string]bool{}
	for _, f := range addressFields {
		isAddress[f] = true
	}
	home := pick(strategy("address"), func(rec *cdp.SourceRecord) bool {
		return rec.Profile.AddressLine1 != "" || rec.Profile.City != "" || rec.Profile.Postcode != ""
	}, func(rec *cdp.SourceRecord) string {
		return rec.Profile.AddressLine1 + "|" + rec.Profile.Postcode + "|" + rec.Profile.City
	})
	if home == nil { // no record has a street, city or postcode: keep the region and country one states
		home = pick(strategy("address"), func(rec *cdp.SourceRecord) bool {
			return rec.Profile.Region != "" || rec.Profile.Country != ""
		}, func(rec *cdp.SourceRecord) string { return rec.Profile.Region + "|" + rec.Profile.Country })
	}
	for _, field := range cdp.ProfileFields {
		var from *cdp.SourceRecord
		if isAddress[field] {
			from = home
		} else {
			from = pick(strategy(field), func(rec *cdp.SourceRecord) bool { return rec.Profile.Get(field) != "" },
				func(rec *cdp.SourceRecord) string { return strings.ToLower(rec.Profile.Get(field)) })
		}
		if from != nil && from.Profile.Get(field) != "" {
			p.Set(field, from.Profile.Get(field))
			prov = append(prov, cdp.Provenance{Field: field, Source: from.Source, SourceID: from.SourceID})
		}
	}
	return p, prov
}

// newer orders records most recent first, then by source priority, then by key.
func (r Rules) newer(a, b *cdp.SourceRecord) bool {
	if ta, tb := recordTime(a), recordTime(b); !ta.Equal(tb) {
		return ta.After(tb)
	}
	if pa, pb := r.SourcePriority[a.Source], r.SourcePriority[b.Source]; pa != pb {
		return pa > pb
	}
	return a.Key() < b.Key()
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
