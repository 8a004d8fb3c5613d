package match

// Conflict reports whether two records that share an identifier still cannot be the same
// person: both state a given name (in the given-name field: a full name alone may be a
// nickname or "Ms Qiu"), in the same script, and the names clearly differ (not a typo, an
// initial or a homophone), or both give a birth date and the dates clearly differ. A family email or a shared phone links such records; resolution uses this to
// refuse the link (issue: identity resolution analysts can trust).
//
// It reports the two kinds of disagreement separately: a shared identifier yields to
// either, a probabilistic match (which has already weighed names and dates against the
// rest of the evidence) only to both.
func Conflict(a, b *Record) (names, birthDates bool) {
	pa, pb := prepare(a), prepare(b)
	var given, family compared
	compareNames(&pa, &pb, &given, &family)
	sameScript := pa.cjkName == pb.cjkName
	const nameDifferent, dateDifferent = 4, 2 // the "different" levels of compareName and compareDate
	// Jaro-Winkler is blind to a swapped pair in a three-letter name (Mei/Mie); one edit is a typo.
	names = sameScript && a.GivenName != "" && b.GivenName != "" && given.level == nameDifferent &&
		DamerauLevenshtein(pa.given, pb.given) > 1
	return names, compareDate(pa.dob, pb.dob, false).level == dateDifferent
}
