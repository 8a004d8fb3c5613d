package identity

import (
	"sort"
	"strings"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity/match"
)

// VetoedPairs returns the pairs of records that the rules keep apart on contrary evidence:
// both hold a value of an identifier type whose rule vetoes (an exclusive type: national
// id, passport, tax id), and no value of one is equal to or a typo of a value of the other.
// Clustering treats them as apart, so that neither a probabilistic match nor a shared
// non-exclusive identifier (a family email or phone) joins them, directly or through other
// records. Two kinds of link overrule the veto, and pairs they join are left out: an
// analyst's same-person decision, and a shared value of an exclusive identifier (records
// sharing a passport whose national ids differ beyond a typo hold contradicting documents;
// the shared one is the stronger evidence).
//
// personal holds each record's exclusive identifiers; links are the component's links.
func (r Rules) VetoedPairs(personal map[string][]match.PersonalID, links []Link) []Apart {
	vetoTypes := map[string]bool{}
	for t := range r.Identifiers {
		if r.Vetoes(t) {
			vetoTypes[string(t)] = true
		}
	}
	if len(vetoTypes) == 0 {
		return nil
	}
	held := map[string][]match.PersonalID{}
	var keys []string
	for k, ids := range personal {
		for _, id := range ids {
			if vetoTypes[id.Type] {
				held[k] = append(held[k], id)
			}
		}
		if len(held[k]) > 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) < 2 {
		return nil
	}
	sort.Strings(keys)
	overruled := NewUnionFind()
	for _, l := range links {
		if l.Kind == LinkManual || (l.Kind == LinkIdentifier && r.exclusiveKey(l.Via)) {
			overruled.Union(l.A, l.B)
		}
	}
	var out []Apart
	for x, a := range keys {
		for _, b := range keys[x+1:] {
			if overruled.Find(a) == overruled.Find(b) {
				continue
			}
			if len(match.PersonalIDsDiffer(held[a], held[b])) > 0 {
				out = append(out, Apart{A: a, B: b})
			}
		}
	}
	return out
}

// exclusiveKey reports whether an identifier key ("type:value") is of an exclusive type.
func (r Rules) exclusiveKey(key string) bool {
	typ, _, ok := strings.Cut(key, ":")
	return ok && r.Exclusive(cdp.IdentifierType(typ))
}
