package normalize

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Shared errors, so that every normalizer words the common failures alike.
var (
	errEmpty       = errors.New("empty")
	errInvalidUTF8 = errors.New("not valid UTF-8 text (a file in another encoding, such as GBK or Latin-1?)")
	errReplacement = errors.New("contains U+FFFD, which a decoder leaves where it met invalid UTF-8: the original text is lost")
)

// checkUTF8 rejects invalid UTF-8, and also U+FFFD: JSON and GraphQL decoders turn invalid
// bytes into it, so a value holding it has already lost its original text.
func checkUTF8(s string) error {
	if !utf8.ValidString(s) {
		return errInvalidUTF8
	}
	if strings.ContainsRune(s, utf8.RuneError) {
		return errReplacement
	}
	return nil
}

// maxNameRunes bounds a person's name; anything longer is a pasted address or a note.
const maxNameRunes = 100

// foldWidth maps full-width ASCII forms (U+FF01..U+FF5E) and the ideographic space to
// plain ASCII, because Chinese and Japanese input methods often type "１３８" or "＠".
func foldWidth(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

// collapseSpace trims and replaces every run of Unicode white space (including NBSP and
// the ideographic space) by one ASCII space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// quote renders user input for an error message, cut short so that a pasted essay does
// not end up in a log line or API response.
func quote(s string) string {
	const max = 32
	if utf8.RuneCountInString(s) <= max {
		return fmt.Sprintf("%q", s)
	}
	r := []rune(s)
	return fmt.Sprintf("%q...", string(r[:max]))
}

// Text trims, collapses runs of white space (newlines included) to one space, removes
// control characters and the invisible BOM / zero-width space, and rejects text longer
// than maxRunes characters. maxRunes <= 0 means no limit. Invalid UTF-8 (and U+FFFD, its
// trace after decoding) is rejected rather than repaired, since it usually means a file in
// the wrong encoding.
func Text(s string, maxRunes int) (string, error) {
	if err := checkUTF8(s); err != nil {
		return "", err
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return r
		case unicode.IsControl(r), r == '\uFEFF', r == '\u200B':
			return -1
		}
		return r
	}, s)
	s = collapseSpace(s)
	if maxRunes > 0 && utf8.RuneCountInString(s) > maxRunes {
		return "", fmt.Errorf("longer than %d characters", maxRunes)
	}
	return s, nil
}

// Name collapses white space, rejects digits, control characters and names over 100
// characters, and title-cases a Latin-script name only when it arrived all upper or all
// lower case: mixed case ("McDonald", "van der Berg") is the person's own spelling and is
// kept. Scripts without case (CJK) pass through unchanged. Empty input returns "".
func Name(s string) (string, error) {
	if err := checkUTF8(s); err != nil {
		return "", err
	}
	s = collapseSpace(s)
	if s == "" {
		return "", nil
	}
	if utf8.RuneCountInString(s) > maxNameRunes {
		return "", fmt.Errorf("longer than %d characters", maxNameRunes)
	}
	hasUpper, hasLower, allLatin := false, false, true
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			return "", errors.New("contains a control character")
		case unicode.IsNumber(r):
			return "", errors.New("contains a digit")
		case unicode.IsLetter(r):
			if !unicode.Is(unicode.Latin, r) {
				allLatin = false
			}
			if unicode.IsUpper(r) {
				hasUpper = true
			} else if unicode.IsLower(r) {
				hasLower = true
			}
		}
	}
	if allLatin && hasUpper != hasLower {
		s = titleCase(s)
	}
	return s, nil
}

// titleCase upper-cases the first letter of every word and lower-cases the rest. A word
// starts after any non-letter, so "o'neil" and "anne-marie" become "O'Neil" and
// "Anne-Marie"; combining marks do not end a word.
func titleCase(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inWord := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			if inWord {
				b.WriteRune(unicode.ToLower(r))
			} else {
				b.WriteRune(unicode.ToTitle(r))
			}
			inWord = true
		case unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		default:
			b.WriteRune(r)
			inWord = false
		}
	}
	return b.String()
}

// genders maps the spellings seen in source systems to the four canonical values.
var genders = map[string]string{
	"male": "male", "m": "male", "man": "male", "boy": "male",
	"男": "male", "男性": "male", "男士": "male", "先生": "male",

	"female": "female", "f": "female", "woman": "female", "girl": "female",
	"女": "female", "女性": "female", "女士": "female",

	"other": "other", "x": "other", "o": "other", "nonbinary": "other", "non binary": "other",
	"nb": "other", "enby": "other", "genderqueer": "other", "diverse": "other",
	"其他": "other", "其它": "other",

	"unknown": "unknown", "u": "unknown", "unk": "unknown", "n/a": "unknown",
	"na": "unknown", "not specified": "unknown", "unspecified": "unknown",
	"undisclosed": "unknown", "prefer not to say": "unknown", "?": "unknown",
	"未知": "unknown", "保密": "unknown", "不详": "unknown",
}

// Gender maps the usual spellings (m/male/man/男, f/female/woman/女,
// x/other/nonbinary/其他, unknown/n/a/保密...) to "male", "female", "other" or
// "unknown". Empty input returns "".
func Gender(s string) (string, error) {
	if err := checkUTF8(s); err != nil {
		return "", err
	}
	key := strings.ToLower(foldWidth(s))
	key = strings.NewReplacer("_", " ", "-", " ", ".", "").Replace(key)
	key = collapseSpace(key)
	if key == "" {
		return "", nil
	}
	if g, ok := genders[key]; ok {
		return g, nil
	}
	return "", fmt.Errorf("unknown gender %s; use male, female, other or unknown", quote(strings.TrimSpace(s)))
}

// maxPostcodeLen is the longest postcode kept; the longest real formats (with a
// country prefix such as "GB-SW1A 1AA") stay well inside it.
const maxPostcodeLen = 12

// Postcode trims, upper-cases and collapses inner white space to one space, and rejects
// codes over 12 characters or with characters other than ASCII letters, digits, space
// and hyphen. Empty input returns "".
func Postcode(s string) (string, error) {
	if err := checkUTF8(s); err != nil {
		return "", err
	}
	s = collapseSpace(foldWidth(s))
	if s == "" {
		return "", nil
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == ' ' || c == '-') {
			return "", errors.New("may contain only letters, digits, space and hyphen")
		}
	}
	if len(s) > maxPostcodeLen {
		return "", fmt.Errorf("longer than %d characters", maxPostcodeLen)
	}
	return strings.ToUpper(s), nil
}
