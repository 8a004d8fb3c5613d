package identity

import (
	"fmt"
	"math"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity/match"
)

// Why two records are not one customer. The answer replays the decisions resolution made
// about the pair, from the facts the store read: analysts' decisions, each shared
// identifier against the rules (trust, block list, bridge limit, conflicting holders), the
// matcher's score of the pair field by field against the thresholds, the personal-evidence
// veto, and whether blocking ever brought the two together.

// PairFacts is what the graph says about two records that are in different customers.
type PairFacts struct {
	A, B match.Record // the records as the matcher reads them
	// Shared are the identifiers both records hold.
	Shared []SharedIdentifier
	// Decisions are analysts' not-same-person facts between a record of A's customer (or A)
	// and a record of B's (or B): any of them keeps the customers apart.
	Decisions []Decision
	// Blocks are the blocking keys both records have, with the number of records in each.
	Blocks []Block
	// Matched is the probability of a stored MATCHED link between them, if there is one.
	Matched *float64
}

// SharedIdentifier is an identifier both records hold, with its number of holders.
type SharedIdentifier struct {
	Identifier cdp.Identifier
	Holders    int
}

// Decision is an analyst's "not the same person" between two records.
type Decision struct {
	A, B, Reason string
}

// Block is a blocking key and the number of records in it.
type Block struct {
	Key  string
	Size int
}

// WhyApart explains why the two records of facts are in different customers. The model is
// the fitted matcher, nil before the first full resolve.
func (r Rules) WhyApart(model *match.Model, f PairFacts) *cdp.WhyApart {
	out := &cdp.WhyApart{}
	opts := r.Matching
	out.MatchProbability, out.ReviewProbability = opts.MatchProbability, opts.ReviewProbability
	if out.MatchProbability <= 0 {
		out.MatchProbability = match.DefaultMatchProbability
	}
	if out.ReviewProbability <= 0 {
		out.ReviewProbability = match.DefaultReviewProbability
	}
	add := func(reason cdp.ApartReason) { out.Reasons = append(out.Reasons, reason) }

	for _, d := range f.Decisions {
		msg := "an analyst decided " + d.A + " and " + d.B + " are not the same person"
		if d.A != f.A.ID && d.A != f.B.ID || d.B != f.A.ID && d.B != f.B.ID {
			msg += "; they are in these records' customers, which therefore stay apart"
		}
		add(cdp.ApartReason{Kind: cdp.ApartNotSamePerson, Message: msg, RecordA: d.A, RecordB: d.B, Reason: d.Reason})
	}

	names, dates := match.Conflict(&f.A, &f.B)
	for _, s := range f.Shared {
		id := s.Identifier
		rule := r.Identifiers[id.Type]
		reason := cdp.ApartReason{Identifier: &id, Records: s.Holders}
		switch {
		case rule == nil || !rule.Trusted:
			reason.Kind = cdp.ApartUntrusted
			reason.Message = fmt.Sprintf("they share a %s, a type that does not link records on its own; the matcher weighs it as evidence", id.Type)
		case r.Blocked(id):
			reason.Kind = cdp.ApartBlockedIdentifier
			reason.Message = fmt.Sprintf("they share a %s on the block list (a placeholder value), which links nobody", id.Type)
		case s.Holders > rule.MaxRecords:
			reason.Kind, reason.Limit = cdp.ApartBridgeLimit, rule.MaxRecords
			reason.Message = fmt.Sprintf("they share a %s held by %d records, more than the %d a %s may have: a shared one, which links nobody",
				id.Type, s.Holders, rule.MaxRecords, id.Type)
		case names || dates:
			reason.Kind = cdp.ApartConflictingHolders
			reason.Message = fmt.Sprintf("they share a %s, but their %s clearly differ: a shared identifier does not link different people",
				id.Type, conflictWords(names, dates))
		default:
			continue // it would link them; only a decision above can have stopped it
		}
		add(reason)
	}

	if model == nil {
		add(cdp.ApartReason{Kind: cdp.ApartNoModel, Message: "no matcher is fitted yet (run a full resolve): only shared identifiers link records"})
		return out
	}
	pair := model.Score(&f.A, &f.B)
	sc := &cdp.PairScore{Probability: pair.Probability, Weight: pair.Weight, PriorWeight: log2Odds(pair.Probability) - pair.Weight}
	for _, c := range pair.Comparisons {
		sc.Evidence = append(sc.Evidence, cdp.FieldEvidence{Field: c.Field, Level: c.Level, Similarity: c.Similarity, Weight: c.Weight})
	}
	out.Score = sc
	if !f.compared(opts) {
		add(cdp.ApartReason{Kind: cdp.ApartNotCompared,
			Message: "they have no blocking key in common (or only keys shared by too many records), so the matcher never compares them"})
	}
	score := fmt.Sprintf("the matcher gives P = %.4g (%+.1f bits of evidence, %+.1f prior)", pair.Probability, pair.Weight, sc.PriorWeight)
	switch {
	case pair.Probability < out.ReviewProbability:
		add(cdp.ApartReason{Kind: cdp.ApartBelowReview, Message: fmt.Sprintf("%s, below the review threshold %.3g", score, out.ReviewProbability)})
	case pair.Probability < out.MatchProbability:
		add(cdp.ApartReason{Kind: cdp.ApartAwaitingReview,
			Message: fmt.Sprintf("%s, between the review threshold %.3g and the match threshold %.3g: an analyst decides", score, out.ReviewProbability, out.MatchProbability)})
	case (names || dates) && !personalAgreement(&f.A, &f.B):
		add(cdp.ApartReason{Kind: cdp.ApartVeto, Message: fmt.Sprintf(
			"%s, above the match threshold %.3g, but their %s clearly differ and neither a birth date nor a personal id agrees: a match needs personal evidence",
			score, out.MatchProbability, conflictWords(names, dates))})
	case len(f.Decisions) == 0 && f.Matched == nil:
		add(cdp.ApartReason{Kind: cdp.ApartNotLinkedYet, Message: fmt.Sprintf(
			"%s, above the match threshold %.3g, but no resolve has linked them yet (the model or the records changed since)", score, out.MatchProbability)})
	}
	return out
}

// compared: blocking brings the two together through a key whose block is within the
// size bound.
func (f PairFacts) compared(opts match.Options) bool {
	limit := opts.MaxBlockSize
	if limit <= 0 {
		limit = match.DefaultMaxBlockSize
	}
	for _, b := range f.Blocks {
		if b.Size <= limit {
			return true
		}
	}
	return false
}

func conflictWords(names, dates bool) string {
	switch {
	case names && dates:
		return "given names and birth dates"
	case names:
		return "given names"
	}
	return "birth dates"
}

func log2Odds(p float64) float64 {
	p = min(max(p, 1e-15), 1-1e-15)
	return math.Log2(p / (1 - p))
}
