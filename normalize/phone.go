package normalize

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// maxPhoneLen bounds the raw input; the longest formatted number with an extension is
// far shorter, and the bound keeps junk away from the parser.
const maxPhoneLen = 64

// phoneExt matches a trailing extension: "x123", "ext. 123", "extension 123", "#123",
// ";ext=123" and the Chinese "转123" / "分机123".
var phoneExt = regexp.MustCompile(`(?i)^(.*?)\s*(?:;\s*ext\s*=|,?\s*(?:extension|ext\.?|x|#|转|分机))\s*\d{1,10}$`)

// Phone parses a phone number and returns it in E.164 form ("+8613812345678").
// A number without a "+" or "00" international prefix is read in defaultRegion (ISO
// 3166-1 alpha-2, e.g. "CN"). Spaces, dashes, dots, slashes, parentheses and a "(0)"
// trunk marker are ignored; an extension is dropped, since E.164 has none and the
// identity of a customer is the line, not the desk. The number must be valid by the
// libphonenumber metadata (right length and prefix for its country), which rejects most
// placeholder values such as "123456".
func Phone(s, defaultRegion string) (out string, err error) {
	// phonenumbers is third-party code run on untrusted input: turn a panic in it into a
	// plain rejection rather than crash an import.
	defer func() {
		if recover() != nil {
			out, err = "", errors.New("not a valid phone number")
		}
	}()
	if err := checkUTF8(s); err != nil {
		return "", err
	}
	s = strings.TrimSpace(foldWidth(s))
	if s == "" {
		return "", errEmpty
	}
	if len(s) > maxPhoneLen {
		return "", fmt.Errorf("longer than %d characters", maxPhoneLen)
	}
	if m := phoneExt.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	plus := strings.HasPrefix(s, "+")
	if plus {
		s = s[1:]
	}
	d, err := phoneDigits(s)
	if err != nil {
		return "", err
	}
	// "00" is the international prefix in most of the world (China, Europe); read it as
	// "+" whatever the default region, so "0086..." works for a US-configured source too.
	prefix00 := !plus && strings.HasPrefix(d, "00")
	if prefix00 {
		plus, d = true, d[2:]
	}
	if plus {
		// "+44 (0)20 ..." writes the national trunk prefix in parentheses; it is not dialled.
		if strings.Contains(s, "(0)") {
			d, _ = phoneDigits(strings.Replace(s, "(0)", "", 1))
			if prefix00 {
				d = strings.TrimPrefix(d, "00")
			}
		}
		if d == "" {
			return "", errors.New("no digits after the country prefix")
		}
		n, err := phonenumbers.Parse("+"+d, "")
		if err != nil || !phonenumbers.IsValidNumber(n) {
			return "", errors.New("not a valid phone number")
		}
		return phonenumbers.Format(n, phonenumbers.E164), nil
	}
	region := strings.ToUpper(strings.TrimSpace(defaultRegion))
	if region == "" {
		return "", errors.New(`no country code ("+...") and no default region`)
	}
	if phonenumbers.GetCountryCodeForRegion(region) == 0 {
		return "", fmt.Errorf("unknown default region %s", quote(region))
	}
	n, err := phonenumbers.Parse(d, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", fmt.Errorf("not a valid phone number for region %s", region)
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// phoneDigits returns the digits of s, ignoring the usual separators.
func phoneDigits(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '/' || r == '(' || r == ')':
		case r == '+':
			return "", errors.New(`"+" only allowed at the start`)
		default:
			return "", errors.New(`may contain only digits, a leading "+", spaces, dashes, dots and parentheses`)
		}
	}
	if b.Len() == 0 {
		return "", errors.New("no digits")
	}
	return b.String(), nil
}
