package match

import "strings"

// Conflict reports whether two records that share an identifier still cannot be the same
// person: both state a given name (in the given-name field: a full name alone may be a
// nickname or "Ms Qiu"), in the same script, and the names clearly differ (not a typo, an
// initial or a homophone), or both state a Chinese family name and the two differ, or both
// give a birth date and the dates clearly differ. A family email or a shared phone links such records; resolution uses this to
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
		DamerauLevenshtein(pa.given, pb.given) > 1 || chineseFamilyNamesDiffer(a, b)
	return names, compareDate(pa.dob, pb.dob, false).level == dateDifferent
}

// chineseFamilyNamesDiffer: both records state their own family name in Chinese characters
// and the names differ in sound as well as in writing (a homophone or a traditional form is a
// typo; 欧 against 欧阳 is a compound cut short). A Chinese family name does not change at
// marriage, so 李女士 on 王倩倩's phone is her relative, not her.
func chineseFamilyNamesDiffer(a, b *Record) bool {
	fa, fb := ownFamilyName(a), ownFamilyName(b)
	if !hasCJK(fa) || !hasCJK(fb) || fa == fb || strings.HasPrefix(fa, fb) || strings.HasPrefix(fb, fa) {
		return false
	}
	return toPinyin(fa) != toPinyin(fb)
}

// ownTitles are the forms of address that follow the person's own family name (李女士, 龙先生);
// 太太 and 夫人 follow the husband's.
var ownTitles = []string{"先生", "女士", "小姐", "老师", "同学"}

// ownFamilyName is the family name a record states as such: its family-name field, or the
// name before a form of address that carries the person's own name. A full name alone says
// none: it may be a nickname (春暖花开).
func ownFamilyName(r *Record) string {
	if f := foldText(r.FamilyName); f != "" {
		return f
	}
	full := foldText(r.FullName)
	for _, t := range ownTitles {
		if rest, ok := strings.CutSuffix(full, t); ok && len([]rune(rest)) <= 2 {
			return rest
		}
	}
	return ""
}
