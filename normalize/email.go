package normalize

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits from RFC 5321: 64 octets before the "@", 253 for the domain, 254 in all.
const (
	maxEmailLen  = 254
	maxLocalLen  = 64
	maxDomainLen = 253
	maxLabelLen  = 63
)

// Email trims the address, rejects display-name forms ("Ann <a@x.com>"), validates its
// syntax, lower-cases it and strips a trailing dot from the domain. Full-width forms
// typed by CJK input methods ("ａｎｎ＠ｘ．ｃｏｍ") are folded to ASCII first.
//
// The whole address is lower-cased, although RFC 5321 lets the local part be case
// sensitive: no real mailbox provider relies on that, and identity resolution must match
// "Ann@X.com" with "ann@x.com".
//
// Internationalized domains are rejected rather than converted, because
// golang.org/x/net/idna is not a dependency of this module; the message asks for the
// punycode ("xn--") form, which is accepted. Non-ASCII local parts (SMTPUTF8) are
// rejected too.
func Email(s string) (string, error) {
	if err := checkUTF8(s); err != nil {
		return "", err
	}
	s = strings.TrimSpace(foldWidth(s))
	switch {
	case s == "":
		return "", errEmpty
	case strings.ContainsAny(s, "<>"):
		return "", errors.New(`display-name form ("Ann <a@x.com>") not accepted; give the bare address`)
	case strings.IndexFunc(s, unicode.IsSpace) >= 0:
		return "", errors.New("contains a space")
	case len(s) > maxEmailLen:
		return "", errors.New("longer than 254 characters")
	}
	switch strings.Count(s, "@") {
	case 0:
		return "", errors.New(`missing "@"`)
	case 1:
	default:
		return "", errors.New(`more than one "@"`)
	}
	local, domain, _ := strings.Cut(s, "@")
	if err := checkLocalPart(local); err != nil {
		return "", err
	}
	domain, err := checkDomain(domain)
	if err != nil {
		return "", err
	}
	return strings.ToLower(local) + "@" + domain, nil
}

// checkLocalPart accepts the dot-atom form of RFC 5322; quoted local parts are legal but
// in practice only typos, so they are rejected.
func checkLocalPart(local string) error {
	switch {
	case local == "":
		return errors.New(`nothing before "@"`)
	case len(local) > maxLocalLen:
		return errors.New(`part before "@" longer than 64 characters`)
	case local[0] == '.' || local[len(local)-1] == '.':
		return errors.New(`part before "@" starts or ends with a dot`)
	case strings.Contains(local, ".."):
		return errors.New("consecutive dots")
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if c >= utf8.RuneSelf {
			return errors.New(`non-ASCII characters before "@" not supported`)
		}
		if !isAtext(c) && c != '.' {
			return errors.New(`invalid character before "@"`)
		}
	}
	return nil
}

// isAtext reports whether c may appear in an unquoted local part (RFC 5322 atext).
func isAtext(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// checkDomain validates a host name and returns it lower-cased without a trailing dot.
func checkDomain(domain string) (string, error) {
	domain = strings.ToLower(domain)
	domain = strings.TrimSuffix(domain, ".") // "x.com." is the same fully qualified name
	switch {
	case domain == "":
		return "", errors.New(`nothing after "@"`)
	case len(domain) > maxDomainLen:
		return "", errors.New("domain longer than 253 characters")
	case strings.Contains(domain, ".."):
		return "", errors.New("consecutive dots")
	case !strings.Contains(domain, "."):
		return "", errors.New("domain has no dot")
	}
	for i := 0; i < len(domain); i++ {
		if domain[i] >= utf8.RuneSelf {
			return "", errors.New(`non-ASCII domain not supported; give its punycode ("xn--") form`)
		}
	}
	labels := strings.Split(domain, ".")
	for _, l := range labels {
		switch {
		case l == "":
			return "", errors.New("domain starts or ends with a dot")
		case len(l) > maxLabelLen:
			return "", errors.New("domain label longer than 63 characters")
		case l[0] == '-' || l[len(l)-1] == '-':
			return "", errors.New("domain label starts or ends with a hyphen")
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return "", errors.New("domain may contain only letters, digits, hyphens and dots")
			}
		}
	}
	if !validTLD(labels[len(labels)-1]) {
		return "", errors.New("top-level domain must be at least two letters")
	}
	return domain, nil
}

// validTLD accepts alphabetic TLDs of two letters or more and punycode TLDs ("xn--p1ai"),
// the ASCII form of internationalized ones.
func validTLD(tld string) bool {
	if strings.HasPrefix(tld, "xn--") && len(tld) > 4 {
		return true
	}
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if tld[i] < 'a' || tld[i] > 'z' {
			return false
		}
	}
	return true
}
