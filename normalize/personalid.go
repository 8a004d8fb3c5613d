package normalize

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Personal document numbers (national_id, passport, tax_id) are printed and typed in
// groups ("110105 19900307 8712", "E1234-5678"), in either case, sometimes in full-width
// digits from a Chinese input method. Their normalized form is upper-case letters and
// digits only.
const (
	minPersonalIDLen = 5
	maxPersonalIDLen = 40
)

// personalID normalizes a national id, passport or tax number: width folded, white space
// and hyphens removed, upper-cased; what remains must be 5 to 40 letters and digits. A
// Chinese resident id whose check digit is wrong is kept as sent: it is most likely a
// typo of the right one, and the matcher treats it as such (see ResidentIDCheck).
func personalID(s string) (string, error) {
	if err := checkUTF8(s); err != nil {
		return "", err
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '‐' || r == '–' || r == '—' {
			return -1
		}
		return unicode.ToUpper(r)
	}, foldWidth(s))
	if s == "" {
		return "", errEmpty
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return "", fmt.Errorf("may contain only letters and digits (spaces and hyphens are removed), got %s", quote(string(r)))
		}
	}
	if n := len(s); n < minPersonalIDLen || n > maxPersonalIDLen {
		return "", fmt.Errorf("must have %d to %d letters and digits, got %d", minPersonalIDLen, maxPersonalIDLen, n)
	}
	return s, nil
}

// ResidentIDCheck tells whether id has the form of an 18-character Chinese resident
// identity number (GB 11643-1999: 17 digits and a check character, a digit or X) and, if
// so, whether its check character is right (ISO 7064 MOD 11-2). The check catches every
// single wrong digit and every swap of two adjacent digits, so two different numbers that
// both pass are two different people, and one that fails is a mistyped number.
func ResidentIDCheck(id string) (isResidentID, valid bool) {
	if len(id) != 18 {
		return false, false
	}
	sum := 0
	weight := 1 // 2^(17-i) mod 11, computed from the right
	weights := [17]int{}
	for i := 16; i >= 0; i-- {
		weight = weight * 2 % 11
		weights[i] = weight
	}
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return false, false
		}
		sum += int(c-'0') * weights[i]
	}
	last := id[17]
	if (last < '0' || last > '9') && last != 'X' {
		return false, false
	}
	want := (12 - sum%11) % 11
	if want == 10 {
		return true, last == 'X'
	}
	return true, last == byte('0'+want)
}

// ResidentIDCheckDigit returns the check character of the first 17 digits of a Chinese
// resident identity number; it errs when they are not 17 digits.
func ResidentIDCheckDigit(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, errors.New("need 17 digits")
	}
	for x := byte('0'); x <= '9'; x++ {
		if _, ok := ResidentIDCheck(first17 + string(x)); ok {
			return x, nil
		}
	}
	if is, ok := ResidentIDCheck(first17 + "X"); is && ok {
		return 'X', nil
	}
	return 0, errors.New("need 17 digits")
}
