package match

import (
	"slices"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/unicode/norm"

	"github.com/cdpgraph/cdpgraph/normalize"
)

// fold lower-cases s, folds full-width forms (NFKD), strips accents and turns
// punctuation into spaces: "Ｍüller-Lüdenscheidt" -> "muller ludenscheidt". Apostrophes
// and dots are dropped rather than spaced ("o'brien" -> "obrien"). Runs of space are
// collapsed. Han, kana and Hangul pass through unchanged.
func fold(s string) string {
	if s == "" {
		return ""
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if !ascii {
		s = norm.NFKD.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := true // suppress leading space
	for _, r := range s {
		switch {
		case r < 0x80:
			switch {
			case r >= 'A' && r <= 'Z':
				b.WriteByte(byte(r) + 'a' - 'A')
				space = false
			case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
				b.WriteByte(byte(r))
				space = false
			case r == '\'' || r == '.' || r == '`':
				// dropped
			default:
				if !space {
					b.WriteByte(' ')
					space = true
				}
			}
		case r == '’' || r == '‘' || r == 'ʼ':
			// apostrophes: dropped like the ASCII one
		case unicode.Is(unicode.Mn, r):
			// combining mark left by NFKD: drop the accent
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if rep, ok := foldSpecial[r]; ok {
				b.WriteString(rep)
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	out := strings.TrimRight(b.String(), " ")
	if !ascii {
		out = norm.NFC.String(out) // recompose Hangul syllables split by NFKD
	}
	return out
}

// foldSpecial maps the Latin letters that NFKD does not decompose.
var foldSpecial = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d",
	'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'þ': "th", 'Þ': "th", 'ı': "i",
}

// isCJK reports whether r is a Han ideograph, kana or Hangul syllable: scripts written
// without spaces between name parts, compared character by character.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

func hasCJK(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 && isCJK(r) {
			return true
		}
	}
	return false
}

// stripSpace removes all spaces (CJK text has none between words; stray ones are typing
// noise).
func stripSpace(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	return strings.ReplaceAll(s, " ", "")
}

// foldText folds s and, when it is CJK, removes spaces.
func foldText(s string) string {
	s = fold(s)
	if hasCJK(s) {
		return stripSpace(s)
	}
	return s
}

// digits keeps the ASCII digits of s (after width folding).
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0xFF10 && r <= 0xFF19 {
			r -= 0xFF10 - '0'
		}
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// alnum keeps the letters and digits of fold(s), without spaces: identifiers.
func alnum(s string) string {
	return strings.ReplaceAll(fold(s), " ", "")
}

// compoundSurnames are the common two-character Chinese family names; any other CJK full
// name is split after its first character.
var compoundSurnames = map[string]bool{
	"欧阳": true, "歐陽": true, "司马": true, "司馬": true, "诸葛": true, "諸葛": true,
	"上官": true, "东方": true, "東方": true, "皇甫": true, "尉迟": true, "尉遲": true,
	"公孙": true, "公孫": true, "慕容": true, "长孙": true, "長孫": true, "宇文": true,
	"司徒": true, "夏侯": true, "轩辕": true, "軒轅": true, "令狐": true, "钟离": true,
	"鍾離": true, "澹台": true, "太史": true, "端木": true, "申屠": true, "南宫": true,
	"南宮": true, "独孤": true, "獨孤": true, "西门": true, "西門": true, "闻人": true,
	"聞人": true, "赫连": true, "赫連": true, "呼延": true, "万俟": true, "左丘": true,
}

// splitFullName derives (given, family) from a full name when the parts are absent. A
// CJK name is family name first without a space ("王小明" -> 小明, 王); a Latin "Smith,
// John" is family first; otherwise the last word is the family name.
// Till staff often write only the family name and a form of address: 龙先生 (Mr Long),
// 邱女士 (Ms Qiu). The form of address is not a given name.
var cjkTitles = []string{"先生", "女士", "小姐", "太太", "夫人", "老师", "同学"}

var latinTitles = map[string]bool{"mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "dr": true, "prof": true, "sir": true, "madam": true}

// stripTitles removes forms of address from a folded full name.
func stripTitles(f string) string {
	if hasCJK(f) {
		for _, t := range cjkTitles {
			if rest, ok := strings.CutSuffix(f, t); ok && rest != "" {
				return rest
			}
		}
		return f
	}
	words := strings.Fields(f)
	for len(words) > 1 && latinTitles[words[0]] {
		words = words[1:]
	}
	return strings.Join(words, " ")
}

// diminutives open Chinese pet names made from a given name (阿巧, 小素).
var diminutives = map[rune]bool{'阿': true, '小': true}

// splitFullName splits a name written in one field. Chinese names put the family name
// first; Latin ones last, or first before a comma.
func splitFullName(raw string) (given, family string) {
	if strings.Contains(raw, ",") {
		parts := strings.SplitN(raw, ",", 2)
		return foldText(parts[1]), foldText(parts[0])
	}
	f := stripTitles(foldText(raw))
	if f == "" {
		return "", ""
	}
	if hasCJK(f) {
		r := []rune(f)
		if len(r) == 1 {
			return "", f
		}
		if len(r) == 2 && (r[0] == r[1] || diminutives[r[0]]) {
			return string(r[1:]), "" // 涵涵, 阿巧, 小素: a pet name from the given name
		}
		n := 1
		if len(r) >= 3 && compoundSurnames[string(r[:2])] {
			n = 2
		}
		return string(r[n:]), string(r[:n])
	}
	i := strings.LastIndexByte(f, ' ')
	if i < 0 {
		return f, "" // "Amy": a full name of one word is what friends call them
	}
	return f[:i], f[i+1:]
}

// prepared is a record folded once for comparison and blocking.
type prepared struct {
	id                string
	source            string
	given, family     string
	givenR, familyR   []rune
	givenNS, familyNS []rune // without spaces
	cjkName           bool
	// givenPY and familyPY are a Chinese name in toneless pinyin without spaces
	// ("吴帅鹏" -> "shuaipeng", "wu"), to compare with the same name romanized.
	givenPY, familyPY       []rune
	dob                     string // digits, YYYYMMDD when complete
	gender                  string
	nid                     string
	nidR                    []rune
	pids                    []preparedID // exclusive identifiers
	stno                    string
	addr1, addr2            string
	addr1Tok, addr2Tok      [][]rune
	addr1R, addr2R          []rune // without spaces
	city, region, country   string
	cityR                   []rune
	postcode                string
	postcodeR               []rune
	email, emailLocal       string
	phone                   string
	givenSdx, familySdx     string
	givenFirst, familyFirst string
	addr1Key                string    // phonetic code of the first word of address line 1
	weak                    []string  // WeakIDs, sorted and distinct
	handleName              *prepared // the name a social handle spells, if any
	givenN, givenPYN        int       // records holding the given name, and its romanized form
}

// preparedID is an exclusive identifier folded for comparison.
type preparedID struct {
	typ, value string
	r          []rune
	// resident: an 18-character Chinese resident id, whose check digit residentValid says
	// is right.
	resident, residentValid bool
}

func prepareID(id PersonalID) preparedID {
	v := strings.ToUpper(alnum(id.Value))
	p := preparedID{typ: id.Type, value: v, r: []rune(v)}
	p.resident, p.residentValid = normalize.ResidentIDCheck(v)
	return p
}

func toRunes(ss []string) [][]rune {
	out := make([][]rune, len(ss))
	for i, s := range ss {
		out[i] = []rune(s)
	}
	return out
}

func prepare(r *Record) prepared {
	p := prepared{id: r.ID, source: r.Source}
	p.given, p.family = foldText(r.GivenName), foldText(r.FamilyName)
	if p.given == "" && p.family == "" && r.FullName != "" {
		p.given, p.family = splitFullName(r.FullName)
	} else if r.FullName != "" && (p.given == "" || p.family == "") {
		g, f := splitFullName(r.FullName)
		if p.given == "" {
			p.given = g
		}
		if p.family == "" {
			p.family = f
		}
	}
	p.cjkName = hasCJK(p.given) || hasCJK(p.family)
	if p.cjkName {
		p.givenPY, p.familyPY = []rune(toPinyin(p.given)), []rune(toPinyin(p.family))
	}
	p.givenR, p.familyR = []rune(p.given), []rune(p.family)
	p.givenNS, p.familyNS = []rune(stripSpace(p.given)), []rune(stripSpace(p.family))
	p.dob = digits(r.BirthDate)
	p.gender = genderCode(r.Gender)
	p.nid = alnum(r.NationalID)
	p.nidR = []rune(p.nid)
	for _, id := range r.PersonalIDs {
		if pid := prepareID(id); pid.value != "" {
			p.pids = append(p.pids, pid)
		}
	}
	p.stno = alnum(r.StreetNumber)
	p.addr1, p.addr2 = foldText(r.AddressLine1), foldText(r.AddressLine2)
	p.addr1Tok, p.addr2Tok = addrTokens(p.addr1), addrTokens(p.addr2)
	p.addr1R, p.addr2R = []rune(stripSpace(p.addr1)), []rune(stripSpace(p.addr2))
	p.city, p.region, p.country = foldText(r.City), foldText(r.Region), foldText(r.Country)
	p.cityR = []rune(stripSpace(p.city))
	p.postcode = alnum(r.Postcode)
	p.postcodeR = []rune(p.postcode)
	p.email = strings.ToLower(strings.TrimSpace(norm.NFKC.String(r.Email)))
	if i := strings.LastIndexByte(p.email, '@'); i > 0 {
		p.emailLocal = p.email[:i]
	}
	p.phone = digits(r.Phone)
	for _, h := range slices.Sorted(slices.Values(r.Handles)) { // the same record reads the same, in any order
		if given, family, ok := NameFromHandle(h); ok {
			alias := prepare(&Record{ID: r.ID, GivenName: given, FamilyName: family})
			p.handleName = &alias
			break
		}
	}
	if len(r.WeakIDs) > 0 {
		p.weak = slices.Compact(slices.Sorted(slices.Values(r.WeakIDs)))
	}
	if p.cjkName {
		p.givenSdx, p.familySdx = firstRune(p.given), firstRune(p.family)
	} else {
		p.givenSdx, p.familySdx = Soundex(p.given), Soundex(p.family)
	}
	p.givenFirst, p.familyFirst = firstRune(p.given), firstRune(p.family)
	if len(p.addr1Tok) > 0 {
		if hasCJK(p.addr1) {
			p.addr1Key = string(p.addr1Tok[0])
		} else {
			p.addr1Key = Soundex(string(p.addr1Tok[0]))
		}
	}
	return p
}

// addrTokens splits an address into words; a CJK address becomes one token per
// character.
func addrTokens(s string) [][]rune {
	if s == "" {
		return nil
	}
	if hasCJK(s) {
		r := []rune(s)
		out := make([][]rune, len(r))
		for i := range r {
			out[i] = r[i : i+1]
		}
		return out
	}
	return toRunes(tokens(s))
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

// genderCode folds the usual spellings to "f", "m" or the folded value.
func genderCode(s string) string {
	g := fold(s)
	switch g {
	case "f", "female", "w", "woman", "girl", "女", "女性":
		return "f"
	case "m", "male", "man", "boy", "男", "男性":
		return "m"
	case "u", "unknown", "x", "n a", "na", "none":
		return ""
	}
	return g
}

var pinyinArgs = pinyin.NewArgs() // toneless, one reading per character

// toPinyin romanizes a Han name without tones or spaces, or returns "" when any character
// is not Han (kana, Hangul, Latin): only Chinese names have a pinyin form to compare.
// Surnames with a special reading (曾 zeng, 单 shan) get the common reading; the
// comparison tolerates one or two edits.
func toPinyin(s string) string {
	s = stripSpace(s)
	if s == "" {
		return ""
	}
	syllables := pinyin.LazyPinyin(s, pinyinArgs)
	if len(syllables) != len([]rune(s)) {
		return ""
	}
	return strings.Join(syllables, "")
}

// NameFromHandle reads a person's name from a social handle made of it, the way many are
// ("wechat:yayi_xiong5218", "sophie.mcdonald", "kesu-xue"): two words of letters joined by
// one separator, with digits only at the end. Which word is the family name is not known;
// the comparison tries both orders. Generated ids (wxid_...) and anything else are not
// names.
func NameFromHandle(handle string) (first, second string, ok bool) {
	if _, rest, found := strings.Cut(handle, ":"); found {
		handle = rest
	}
	handle = strings.ToLower(strings.TrimRight(handle, "0123456789"))
	sep := strings.IndexAny(handle, "_.-")
	if sep < 0 {
		return "", "", false
	}
	first, second = handle[:sep], handle[sep+1:]
	if first == "wxid" || len(first) < 2 || len(second) < 2 || !isLetters(first) || !isLetters(second) {
		return "", "", false
	}
	return first, second, true
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}
