package identity

import (
	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity/match"
)

// Contrary evidence: what keeps records apart although something links them. A family
// email, a shared flat or a copied birth date make records look alike; their stated given
// names, birth dates and personal ids say whether they are one person.

// personalIdentifierTypes are the identifier types that belong to one person and are
// compared as personal evidence (a typo allowed).
var personalIdentifierTypes = map[string]bool{string(cdp.IdentifierExternalID): true}

// person is what the contrary-evidence rules read of a record: its stated names, birth
// date, personal id and handles (a handle may spell the name).
func person(r ComponentRecord) *match.Record {
	p := r.Record.Profile
	m := &match.Record{ID: r.Key, GivenName: p.GivenName, FamilyName: p.FamilyName, FullName: p.FullName, BirthDate: p.BirthDate}
	for _, id := range r.Identifiers {
		switch {
		case id.Type == string(cdp.IdentifierSocialHandle):
			m.Handles = append(m.Handles, id.Value)
		case personalIdentifierTypes[id.Type]:
			if m.NationalID == "" || id.Value < m.NationalID { // the same one in any order
				m.NationalID = id.Value
			}
		}
	}
	return m
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

// personalAgreement: both records give a birth date, or a personal id, and they agree,
// allowing a typo.
func personalAgreement(a, b *match.Record) bool {
	if l := match.DateLevel(a.BirthDate, b.BirthDate); l == match.LevelExact || l == match.LevelClose {
		return true
	}
	return a.NationalID != "" && b.NationalID != "" && match.DamerauLevenshtein(a.NationalID, b.NationalID) <= 1
}
