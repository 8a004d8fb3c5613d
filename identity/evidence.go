package identity

import (
	"sort"
	"strings"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity/match"
)

// Contrary evidence: what keeps records apart although something links them. A family
// email, a shared flat or a copied birth date make records look alike; their stated given
// names, birth dates and personal ids say whether they are one person.

// person is what the contrary-evidence rules read of a record: its stated names, birth
// date, external id (compared with a typo allowed), exclusive identifiers (national id,
// passport, tax id: the rules say which types; blocked placeholders left out) and handles
// (a handle may spell the name).
func (r Rules) person(rec ComponentRecord) *match.Record {
	p := rec.Record.Profile
	m := &match.Record{ID: rec.Key, GivenName: p.GivenName, FamilyName: p.FamilyName, FullName: p.FullName, BirthDate: p.BirthDate}
	for _, id := range rec.Identifiers {
		r.addPersonalEvidence(m, cdp.IdentifierType(id.Type), id.Value, id.Blocked)
	}
	sortPersonalIDs(m)
	return m
}

// addPersonalEvidence files one identifier of a record where the matcher and the
// contrary-evidence rules read it; it reports whether it did (other identifiers are the
// caller's to weigh).
func (r Rules) addPersonalEvidence(m *match.Record, typ cdp.IdentifierType, value string, blocked bool) bool {
	switch {
	case typ == cdp.IdentifierExternalID:
		if m.NationalID == "" || value < m.NationalID { // the same one in any order
			m.NationalID = value
		}
	case typ == cdp.IdentifierSocialHandle:
		m.Handles = append(m.Handles, value)
	case r.Exclusive(typ):
		if !blocked {
			m.PersonalIDs = append(m.PersonalIDs, match.PersonalID{Type: string(typ), Value: value})
		}
	default:
		return false
	}
	return true
}

// sortPersonalIDs puts a record's exclusive identifiers in one order, so that the same
// record reads the same however the store listed them.
func sortPersonalIDs(m *match.Record) {
	sort.Slice(m.PersonalIDs, func(a, b int) bool {
		x, y := m.PersonalIDs[a], m.PersonalIDs[b]
		return x.Type < y.Type || x.Type == y.Type && x.Value < y.Value
	})
}

// MatchAgainstContraryEvidence reports whether a probabilistic match between two records
// must be dropped: their given names or birth dates clearly differ and no personal evidence
// (an agreeing birth date or personal id) stands for the match. The matcher counts a shared
// flat, its postcode and a family email as independent clues, and a household has all of
// them (its members' names may be in two scripts, their dates tell them apart).
func MatchAgainstContraryEvidence(a, b *match.Record) bool {
	names, dates := match.Conflict(a, b)
	return (names || dates) && !personalAgreement(a, b)
}

// HoldersDiffer reports whether two records sharing an identifier are clearly different
// people (their stated given names or birth dates differ), so that the identifier does not
// link them: a family email links nobody.
func HoldersDiffer(a, b *match.Record) bool {
	names, dates := match.Conflict(a, b)
	return names || dates
}

// personalAgreement: both records give a birth date, an external id or a document of one
// exclusive type, and they agree, allowing a typo.
func personalAgreement(a, b *match.Record) bool {
	if l := match.DateLevel(a.BirthDate, b.BirthDate); l == match.LevelExact || l == match.LevelClose {
		return true
	}
	for _, x := range a.PersonalIDs {
		for _, y := range b.PersonalIDs {
			if x.Type == y.Type && match.PersonalIDLevel(x.Type, x.Value, y.Value) != match.LevelDifferent {
				return true
			}
		}
	}
	return a.NationalID != "" && b.NationalID != "" && match.DamerauLevenshtein(a.NationalID, b.NationalID) <= 1
}

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
