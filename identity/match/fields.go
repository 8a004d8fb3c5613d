package match

import (
	"slices"
	"strings"
)

// Level names. Each field has its own ordered subset, best agreement first. "missing"
// is not a level of the model: a field missing on either side contributes weight 0.
const (
	LevelExact     = "exact"
	LevelClose     = "close"
	LevelFuzzy     = "fuzzy"
	LevelInitial   = "initial"
	LevelTypo      = "typo"
	LevelDifferent = "different"
	LevelMissing   = "missing"
)

// Field names, as they appear in Comparison.Field and the model report.
const (
	FieldGivenName    = "given_name"
	FieldFamilyName   = "family_name"
	FieldBirthDate    = "birth_date"
	FieldGender       = "gender"
	FieldNationalID   = "external_id" // Record.NationalID: an external id, compared with typos allowed
	FieldPersonalID   = "personal_id"
	FieldStreetNumber = "street_number"
	FieldAddressLine1 = "address_line1"
	FieldAddressLine2 = "address_line2"
	FieldCity         = "city"
	FieldRegion       = "region"
	FieldPostcode     = "postcode"
	FieldCountry      = "country"
	FieldEmail        = "email"
	FieldPhone        = "phone"
	FieldWeakIDs      = "weak_identifiers"
	FieldGivenNameCJK = "given_name_cjk"
	FieldFamilyCJK    = "family_name_cjk"
	FieldGivenFreq    = "given_name_frequency"
)

// field indexes into a comparison vector.
const (
	fGiven = iota
	fFamily
	fBirth
	fGender
	fNID
	fStreetNo
	fAddr1
	fAddr2
	fCity
	fRegion
	fPostcode
	fCountry
	fEmail
	fPhone
	fWeak
	fGivenCJK
	fFamilyCJK
	fGivenFreq
	fPersonal
	numFields
)

var (
	nameLevels   = []string{LevelExact, LevelClose, LevelFuzzy, LevelInitial, LevelDifferent}
	textLevels   = []string{LevelExact, LevelClose, LevelFuzzy, LevelDifferent}
	editLevels   = []string{LevelExact, LevelClose, LevelDifferent}
	binaryLevels = []string{LevelExact, LevelDifferent}
	// personalLevels grade exclusive identifiers: a typo links, a different value is
	// another person's document.
	personalLevels = []string{LevelExact, LevelTypo, LevelDifferent}
	// frequencyLevels band how many records hold an agreed value; EM weighs each band.
	frequencyLevels = []string{"held by 2", "held by 3-5", "held by 6-20", "held by 21+"}
)

// fieldSpec describes one compared field: its name, how it is compared and its levels.
type fieldSpec struct {
	name   string
	method string
	levels []string
}

var fieldSpecs = [numFields]fieldSpec{
	fGiven:     {FieldGivenName, "Jaro-Winkler (also given/family swapped; characters for CJK); close: JW>=0.92 or one edit; fuzzy: JW>=0.80 or two edits; initial: one side is the other's initial", nameLevels},
	fFamily:    {FieldFamilyName, "as given_name", nameLevels},
	fBirth:     {FieldBirthDate, "close: one digit wrong, two adjacent digits swapped, or day and month transposed", editLevels},
	fGender:    {FieldGender, "equality", binaryLevels},
	fNID:       {FieldNationalID, "external_id values (Febrl's soc_sec_id) by Damerau-Levenshtein; close: one edit; fuzzy: two edits (6+ characters)", textLevels},
	fStreetNo:  {FieldStreetNumber, "Damerau-Levenshtein; close: one edit (2+ characters)", editLevels},
	fAddr1:     {FieldAddressLine1, "max(Monge-Elkan over words with Jaro-Winkler, Jaro-Winkler without spaces); close >=0.92; fuzzy >=0.84", textLevels},
	fAddr2:     {FieldAddressLine2, "as address_line1", textLevels},
	fCity:      {FieldCity, "as address_line1", textLevels},
	fRegion:    {FieldRegion, "equality", binaryLevels},
	fPostcode:  {FieldPostcode, "Damerau-Levenshtein; close: one edit", editLevels},
	fCountry:   {FieldCountry, "equality", binaryLevels},
	fEmail:     {FieldEmail, "close: same local part or one edit", editLevels},
	fPhone:     {FieldPhone, "exact: equal or one a 7+ digit suffix of the other; close: one edit in the last 10 digits", editLevels},
	fWeak:      {FieldWeakIDs, "identifiers not trusted to merge alone (device and cookie ids); exact: the records share one", binaryLevels},
	fGivenCJK:  {FieldGivenNameCJK, "given_name when both names are Chinese, Japanese or Korean: a naming culture with its own weights", nameLevels},
	fFamilyCJK: {FieldFamilyCJK, "family_name when both names are Chinese, Japanese or Korean", nameLevels},
	fGivenFreq: {FieldGivenFreq, "when given names agree exactly: how many records hold that name", frequencyLevels},
	fPersonal: {FieldPersonalID, "exclusive identifiers of one type on both records (national id, passport, tax id), the best agreement of any type; " +
		"typo: one edit or two adjacent characters swapped (5+ characters), or, for two 18-character Chinese resident ids, up to two edits where one fails its GB 11643 check digit; " +
		"different: any other difference, including two resident ids that both pass their check digit", personalLevels},
}

// maxLevels bounds the number of levels of any field.
const maxLevels = 5

func frequencyBand(k int) int8 {
	switch {
	case k <= 0:
		return missing
	case k <= 2:
		return 0
	case k <= 5:
		return 1
	case k <= 20:
		return 2
	}
	return 3
}

// vector is the comparison of one pair: a level index per field, -1 when missing.
type vector [numFields]int8

// compared is one field's outcome with its similarity in [0,1].
type compared struct {
	level int8
	sim   float64
}

const missing = -1

// compareAll compares two prepared records field by field.
// With explain false, edit distances beyond what decides the level are not computed, and
// the similarities of "different" edit-distance comparisons are lower bounds.
func compareAll(a, b *prepared, out *[numFields]compared, explain bool) {
	if compareNames(a, b, &out[fGiven], &out[fFamily]) {
		out[fGivenCJK], out[fFamilyCJK] = out[fGiven], out[fFamily]
		out[fGiven], out[fFamily] = compared{missing, 0}, compared{missing, 0}
	} else {
		out[fGivenCJK], out[fFamilyCJK] = compared{missing, 0}, compared{missing, 0}
	}
	out[fGivenFreq] = compared{missing, 0}
	if out[fGiven].level == 0 || out[fGivenCJK].level == 0 {
		if k := agreedGivenCount(a, b); k > 0 {
			out[fGivenFreq] = compared{frequencyBand(k), 1}
		}
	}
	out[fBirth] = compareDate(a.dob, b.dob, explain)
	out[fGender] = compareEqual(a.gender, b.gender)
	out[fNID] = compareID(a.nidR, b.nidR, explain)
	out[fStreetNo] = compareShort(a.stno, b.stno, 2, explain)
	out[fAddr1] = compareText(a.addr1, b.addr1, a.addr1Tok, b.addr1Tok, a.addr1R, b.addr1R)
	out[fAddr2] = compareText(a.addr2, b.addr2, a.addr2Tok, b.addr2Tok, a.addr2R, b.addr2R)
	out[fCity] = compareText(a.city, b.city, nil, nil, a.cityR, b.cityR)
	out[fRegion] = compareEqual(a.region, b.region)
	out[fPostcode] = compareShort(a.postcode, b.postcode, 1, explain)
	out[fCountry] = compareEqual(a.country, b.country)
	out[fEmail] = compareEmail(a, b, explain)
	out[fPhone] = comparePhone(a.phone, b.phone, explain)
	out[fWeak] = compareSets(a.weak, b.weak)
	out[fPersonal] = comparePersonal(a.pids, b.pids)
}

// Levels of comparePersonal.
const (
	personalExact     = 0
	personalTypo      = 1
	personalDifferent = 2
)

// comparePersonal compares the exclusive identifiers of two records: per type both hold,
// the best agreement of any two values; across types, the best. Missing when the records
// hold no type in common.
func comparePersonal(a, b []preparedID) compared {
	best := compared{missing, 0}
	for i := range a {
		for j := range b {
			if a[i].typ != b[j].typ {
				continue
			}
			c := compareDocument(&a[i], &b[j])
			if best.level == missing || c.level < best.level {
				best = c
			}
		}
	}
	return best
}

// compareDocument grades two values of one exclusive identifier type.
func compareDocument(a, b *preparedID) compared {
	if a.value == b.value {
		return compared{personalExact, 1}
	}
	d := damerauWithin(a.r, b.r, 2)
	sim := max(1-float64(d)/float64(max(len(a.r), len(b.r))), 0)
	if a.resident && b.resident {
		// The check digit catches any one wrong digit and any swap of adjacent digits: two
		// numbers that both pass are two people (twins' numbers differ in two or three
		// digits only), a failing near-copy is a typo.
		if (!a.residentValid || !b.residentValid) && d <= 2 {
			return compared{personalTypo, sim}
		}
		return compared{personalDifferent, sim}
	}
	if d <= 1 && max(len(a.r), len(b.r)) >= 5 {
		return compared{personalTypo, sim}
	}
	return compared{personalDifferent, sim}
}

// PersonalIDLevel grades two values of one exclusive identifier type: "exact", "typo" or
// "different" (see the personal_id field).
func PersonalIDLevel(typ, a, b string) string {
	pa, pb := prepareID(PersonalID{typ, a}), prepareID(PersonalID{typ, b})
	return personalLevels[compareDocument(&pa, &pb).level]
}

// PersonalIDsDiffer returns the types of exclusive identifier on which a and b hold only
// different values: each of a's values of the type is neither equal to nor a typo of
// each of b's. Those are the types whose rule may veto a merge of the two.
func PersonalIDsDiffer(a, b []PersonalID) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(out, x.Type) {
			continue
		}
		held, agree := false, false
		for _, y := range b {
			if y.Type != x.Type {
				continue
			}
			held = true
			for _, z := range a {
				if z.Type != x.Type {
					continue
				}
				pz, py := prepareID(z), prepareID(y)
				if compareDocument(&pz, &py).level != personalDifferent {
					agree = true
				}
			}
		}
		if held && !agree {
			out = append(out, x.Type)
		}
	}
	slices.Sort(out)
	return out
}

// compareSets compares two sorted sets of identifiers: exact when they share one.
func compareSets(a, b []string) compared {
	if len(a) == 0 || len(b) == 0 {
		return compared{missing, 0}
	}
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			return compared{0, 1}
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return compared{1, 0}
}

func vectorOf(c *[numFields]compared) vector {
	var v vector
	for i := range c {
		v[i] = c[i].level
	}
	return v
}

// compareNames compares given and family names, trying the parts swapped when both
// records have both parts and keeping the orientation that agrees better. A name read
// from a social handle stands in for a record's own name when it agrees better (the
// WeChat account called "Michael" whose handle is yayi_xiong5218). It reports whether
// the names compared were both Chinese, Japanese or Korean.
func compareNames(a, b *prepared, given, family *compared) (cjk bool) {
	compareNameForms(a, b, given, family)
	cjk = a.cjkName && b.cjkName
	for _, forms := range handleForms(a, b) {
		var g, f compared
		compareNameForms(forms[0], forms[1], &g, &f)
		if nameSim(g)+nameSim(f) > nameSim(*given)+nameSim(*family)+1e-9 {
			*given, *family = g, f
			cjk = forms[0].cjkName && forms[1].cjkName
		}
	}
	return cjk
}

// handleForms are the other pairs of name forms to compare a and b by: a name read from
// either record's handle against the other record's own name.
func handleForms(a, b *prepared) [][2]*prepared {
	var out [][2]*prepared
	if a.handleName != nil {
		out = append(out, [2]*prepared{a.handleName, b})
	}
	if b.handleName != nil {
		out = append(out, [2]*prepared{a, b.handleName})
	}
	return out
}

func nameSim(c compared) float64 {
	if c.level == missing {
		return 0
	}
	return c.sim
}

func compareNameForms(a, b *prepared, given, family *compared) {
	if a.cjkName != b.cjkName && compareRomanized(a, b, given, family) {
		return
	}
	*given = compareName(a.givenR, b.givenR, a.givenNS, b.givenNS, a.cjkName || b.cjkName)
	*family = compareName(a.familyR, b.familyR, a.familyNS, b.familyNS, a.cjkName || b.cjkName)
	if len(a.givenR) == 0 || len(a.familyR) == 0 || len(b.givenR) == 0 || len(b.familyR) == 0 {
		return
	}
	if given.level == 0 && family.level == 0 {
		return
	}
	g2 := compareName(a.givenR, b.familyR, a.givenNS, b.familyNS, a.cjkName || b.cjkName)
	f2 := compareName(a.familyR, b.givenR, a.familyNS, b.givenNS, a.cjkName || b.cjkName)
	if g2.sim+f2.sim > given.sim+family.sim+1e-9 {
		*given, *family = g2, f2
	}
}

// compareRomanized compares a Chinese name with a Latin one through the Chinese name's
// pinyin ("赵嘉云" with "Jiayun Zhao" or "Zhao Jiayun"), keeping the orientation that agrees
// better. It reports false when either side has no usable form.
func compareRomanized(a, b *prepared, given, family *compared) bool {
	han, latin := a, b
	if !han.cjkName {
		han, latin = b, a
	}
	if len(han.givenPY)+len(han.familyPY) == 0 || len(latin.givenNS)+len(latin.familyNS) == 0 {
		return false
	}
	*given = compareName(han.givenPY, latin.givenNS, han.givenPY, latin.givenNS, false)
	*family = compareName(han.familyPY, latin.familyNS, han.familyPY, latin.familyNS, false)
	if len(latin.givenNS) > 0 && len(latin.familyNS) > 0 && len(han.givenPY) > 0 && len(han.familyPY) > 0 {
		g2 := compareName(han.givenPY, latin.familyNS, han.givenPY, latin.familyNS, false)
		f2 := compareName(han.familyPY, latin.givenNS, han.familyPY, latin.givenNS, false)
		if g2.sim+f2.sim > given.sim+family.sim+1e-9 {
			*given, *family = g2, f2
		}
	}
	return true
}

// compareName compares one name part. Latin names by Jaro-Winkler (with and without
// spaces, and word by word for multi-word names) and edit distance; CJK names by
// characters, where one changed character of a two- or three-character given name is
// close (a homophone typed by the input method) but a different single-character family
// name is different.
func compareName(a, b, aNS, bNS []rune, cjk bool) compared {
	if len(a) == 0 || len(b) == 0 {
		return compared{missing, 0}
	}
	if runesEqual(aNS, bNS) {
		return compared{0, 1}
	}
	maxLen := max(len(aNS), len(bNS))
	if cjk {
		d := damerauRunes(aNS, bNS) // names are short
		sim := max(1-float64(d)/float64(maxLen), 0)
		switch {
		case d <= 1 && maxLen >= 2:
			return compared{1, sim}
		case d <= 2 && maxLen >= 4:
			return compared{2, sim}
		}
		return compared{4, sim}
	}
	sim := jaroWinklerRunes(a, b)
	if len(aNS) != len(a) || len(bNS) != len(b) {
		sim = max(sim, jaroWinklerRunes(aNS, bNS))
		ta, tb := splitRunes(a), splitRunes(b)
		if len(ta) > 1 || len(tb) > 1 {
			sim = max(sim, mongeElkanRunes(ta, tb))
		}
	}
	if sim >= 0.92 {
		return compared{1, sim}
	}
	d := 3 // edit distance, needed only when it can change the level
	if maxLen >= 4 {
		d = damerauWithin(aNS, bNS, 2)
	}
	switch {
	case d <= 1 && maxLen >= 4:
		return compared{1, sim}
	case sim >= 0.80 || (d <= 2 && maxLen >= 6):
		return compared{2, sim}
	case (len(aNS) == 1 && bNS[0] == aNS[0]) || (len(bNS) == 1 && aNS[0] == bNS[0]):
		return compared{3, sim}
	}
	return compared{4, sim}
}

// editDistance is the Damerau distance, exact when explain is set and otherwise only
// exact up to k (k+1 meaning "more than k").
func editDistance(a, b []rune, k int, explain bool) int {
	if explain {
		return damerauRunes(a, b)
	}
	return damerauWithin(a, b, k)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func splitRunes(r []rune) [][]rune {
	var out [][]rune
	start := -1
	for i, c := range r {
		if c == ' ' {
			if start >= 0 {
				out = append(out, r[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, r[start:])
	}
	return out
}

func runesEqual(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// compareDate compares two dates given as digit strings (YYYYMMDD when complete). Close:
// one digit wrong, two adjacent digits swapped, or day and month transposed.
func compareDate(a, b string, explain bool) compared {
	if a == "" || b == "" {
		return compared{missing, 0}
	}
	if a == b {
		return compared{0, 1}
	}
	d := editDistance([]rune(a), []rune(b), 1, explain)
	sim := max(1-float64(d)/float64(max(len(a), len(b))), 0)
	if d <= 1 {
		return compared{1, sim}
	}
	if len(a) == 8 && len(b) == 8 && a[:4] == b[:4] && a[4:6] == b[6:8] && a[6:8] == b[4:6] {
		return compared{1, sim}
	}
	return compared{2, sim}
}

// DateLevel returns the comparison level of two dates (YYYY-MM-DD or any digits):
// "exact", "close", "different" or "missing".
func DateLevel(a, b string) string {
	c := compareDate(digits(a), digits(b), true)
	if c.level == missing {
		return LevelMissing
	}
	return fieldSpecs[fBirth].levels[c.level]
}

func compareEqual(a, b string) compared {
	if a == "" || b == "" {
		return compared{missing, 0}
	}
	if a == b {
		return compared{0, 1}
	}
	return compared{1, 0}
}

// compareID compares identifiers by Damerau-Levenshtein distance: one edit is close, two
// edits fuzzy when the identifier has six or more characters.
func compareID(a, b []rune, explain bool) compared {
	if len(a) == 0 || len(b) == 0 {
		return compared{missing, 0}
	}
	if runesEqual(a, b) {
		return compared{0, 1}
	}
	maxLen := max(len(a), len(b))
	d := editDistance(a, b, 2, explain)
	sim := max(1-float64(d)/float64(maxLen), 0)
	switch {
	case d <= 1 && maxLen >= 2:
		return compared{1, sim}
	case d <= 2 && maxLen >= 6:
		return compared{2, sim}
	}
	return compared{3, sim}
}

// compareShort compares short codes (street numbers, postcodes): one edit is close when
// the longer has at least minClose characters.
func compareShort(a, b string, minClose int, explain bool) compared {
	if a == "" || b == "" {
		return compared{missing, 0}
	}
	if a == b {
		return compared{0, 1}
	}
	ra, rb := []rune(a), []rune(b)
	maxLen := max(len(ra), len(rb))
	d := editDistance(ra, rb, 1, explain)
	sim := max(1-float64(d)/float64(maxLen), 0)
	if d <= 1 && maxLen >= minClose {
		return compared{1, sim}
	}
	return compared{2, sim}
}

// compareText compares free text (address lines, city): the better of Monge-Elkan over
// words and Jaro-Winkler of the text without spaces.
func compareText(a, b string, ta, tb [][]rune, aNS, bNS []rune) compared {
	if a == "" || b == "" {
		return compared{missing, 0}
	}
	if runesEqual(aNS, bNS) {
		return compared{0, 1}
	}
	sim := jaroWinklerRunes(aNS, bNS)
	if ta == nil {
		ta, tb = splitRunes([]rune(a)), splitRunes([]rune(b))
	}
	if len(ta) > 1 || len(tb) > 1 {
		sim = max(sim, mongeElkanRunes(ta, tb))
	}
	switch {
	case sim >= 0.92:
		return compared{1, sim}
	case sim >= 0.84:
		return compared{2, sim}
	}
	return compared{3, sim}
}

func compareEmail(a, b *prepared, explain bool) compared {
	if a.email == "" || b.email == "" {
		return compared{missing, 0}
	}
	if a.email == b.email {
		return compared{0, 1}
	}
	d := editDistance([]rune(a.email), []rune(b.email), 1, explain)
	sim := max(1-float64(d)/float64(max(len(a.email), len(b.email))), 0)
	if d <= 1 || (a.emailLocal != "" && a.emailLocal == b.emailLocal && len(a.emailLocal) >= 4) {
		return compared{1, sim}
	}
	return compared{2, sim}
}

func comparePhone(a, b string, explain bool) compared {
	if a == "" || b == "" {
		return compared{missing, 0}
	}
	if a == b {
		return compared{0, 1}
	}
	// "+61 2 9876 5432" and "02 9876 5432": country code and trunk prefix differ
	ta, tb := strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(ta) >= 7 && len(tb) >= 7 && (strings.HasSuffix(ta, tb) || strings.HasSuffix(tb, ta)) {
		return compared{0, 1}
	}
	la, lb := lastN(a, 10), lastN(b, 10)
	d := editDistance([]rune(la), []rune(lb), 1, explain)
	sim := max(1-float64(d)/float64(max(len(la), len(lb))), 0)
	if d <= 1 && min(len(a), len(b)) >= 7 {
		return compared{1, sim}
	}
	return compared{2, sim}
}

func lastN(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
