package normalize

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// minYear is the earliest year accepted: older dates in customer data are placeholders
// ("1900-01-01", "0001-01-01") or typos, not facts.
const minYear = 1900

// maxDateLen bounds the raw input of Date and Timestamp; the longest accepted form, an
// RFC 3339 timestamp with nanoseconds and offset, has 35 characters.
const maxDateLen = 64

var (
	// 2006-01-02, 2006/1/2, 2006.01.02 (one separator used twice).
	dateYMD = regexp.MustCompile(`^(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})$`)
	// 20060102.
	dateCompact = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	// 2006年1月2日 (号 is the colloquial 日).
	dateCJK = regexp.MustCompile(`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]$`)
	// 02.01.2006, 02/01/2006, 02-01-2006: day or month first, as the caller says.
	dateDMY = regexp.MustCompile(`^(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4})$`)
	// 2006-01-02T15:04:05.999999999+08:00 and its relatives: "T" or space, optional
	// seconds and fraction, zone "Z", "UTC", "GMT", "+08", "+0800" or "+08:00" or none.
	dateTime = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$`)
)

// Date parses a calendar date and returns it as "YYYY-MM-DD". It accepts 2006-01-02,
// 2006/01/02, 2006.01.02, 20060102, 2006年1月2日, the day-first 02.01.2006 / 02/01/2006
// when dayFirst is true or the month-first 01/02/2006 when it is false (the separator
// does not decide: the caller knows its source), and timestamps such as RFC 3339, whose
// date is taken as written, in their own offset. It rejects impossible dates
// (2023-02-30), years before 1900 and, when notAfter is not zero, dates after the
// calendar day of notAfter (in notAfter's location), such as a birth date in the future.
func Date(s string, dayFirst bool, notAfter time.Time) (string, error) {
	if err := checkUTF8(s); err != nil {
		return "", err
	}
	s = strings.TrimSpace(foldWidth(s))
	if s == "" {
		return "", errEmpty
	}
	if len(s) > maxDateLen {
		return "", errors.New("not a recognized date")
	}
	y, m, d, err := parseDate(s, dayFirst)
	if err != nil {
		return "", err
	}
	if err := checkDate(y, m, d); err != nil {
		return "", err
	}
	if !notAfter.IsZero() {
		ny, nm, nd := notAfter.Date()
		if y*10000+m*100+d > ny*10000+int(nm)*100+nd {
			return "", errors.New("date is in the future")
		}
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), nil
}

// parseDate reads the forms Date accepts and returns the date fields, unchecked unless
// they came with a time of day.
func parseDate(s string, dayFirst bool) (y, m, d int, err error) {
	if ts, ok, err := parseDateTime(s); ok {
		return ts.year, ts.month, ts.day, err
	}
	if y, m, d, ok := parseYearFirst(s); ok {
		return y, m, d, nil
	}
	if p := dateDMY.FindStringSubmatch(s); p != nil && p[2] == p[4] {
		a, b := atoi(p[1]), atoi(p[3])
		if dayFirst {
			return atoi(p[5]), b, a, nil
		}
		return atoi(p[5]), a, b, nil
	}
	return 0, 0, 0, errors.New("not a recognized date; use YYYY-MM-DD")
}

// parseYearFirst reads the unambiguous year-first forms shared by Date and Timestamp.
func parseYearFirst(s string) (y, m, d int, ok bool) {
	if p := dateYMD.FindStringSubmatch(s); p != nil && p[2] == p[4] {
		return atoi(p[1]), atoi(p[3]), atoi(p[5]), true
	}
	if p := dateCompact.FindStringSubmatch(s); p != nil {
		return atoi(p[1]), atoi(p[2]), atoi(p[3]), true
	}
	if p := dateCJK.FindStringSubmatch(s); p != nil {
		return atoi(p[1]), atoi(p[2]), atoi(p[3]), true
	}
	return 0, 0, 0, false
}

// checkDate rejects dates that do not exist and years before minYear.
func checkDate(y, m, d int) error {
	switch {
	case m < 1 || m > 12:
		return errors.New("month out of range")
	case d < 1 || d > daysIn(y, m):
		return fmt.Errorf("day out of range: %04d-%02d has %d days", y, m, daysIn(y, m))
	case y < minYear:
		return fmt.Errorf("year before %d", minYear)
	}
	return nil
}

// daysIn returns the number of days of month m (1..12) in year y.
func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// atoi converts a string of at most a few ASCII digits, which the patterns guarantee.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// dateTimeParts is a parsed dateTime match; loc is nil when the input had no zone.
type dateTimeParts struct {
	year, month, day, hour, min, sec, nsec int
	loc                                    *time.Location
}

// parseDateTime reads the dateTime pattern. ok reports whether s has that shape; err
// then says what is wrong with its fields.
func parseDateTime(s string) (p dateTimeParts, ok bool, err error) {
	m := dateTime.FindStringSubmatch(strings.ToUpper(s))
	if m == nil {
		return p, false, nil
	}
	p = dateTimeParts{year: atoi(m[1]), month: atoi(m[2]), day: atoi(m[3]), hour: atoi(m[4]), min: atoi(m[5])}
	if m[6] != "" {
		p.sec = atoi(m[6])
	}
	if m[7] != "" {
		p.nsec = atoi((m[7] + "00000000")[:9])
	}
	if err := checkDate(p.year, p.month, p.day); err != nil {
		return p, true, err
	}
	if p.hour > 23 || p.min > 59 || p.sec > 59 {
		return p, true, errors.New("time of day out of range")
	}
	switch zone := m[8]; {
	case zone == "":
	case zone == "Z" || zone == "UTC" || zone == "GMT":
		p.loc = time.UTC
	default:
		digits := strings.ReplaceAll(zone[1:], ":", "")
		h, mm := atoi(digits[:2]), 0
		if len(digits) == 4 {
			mm = atoi(digits[2:])
		}
		if h > 23 || mm > 59 {
			return p, true, errors.New("zone offset out of range")
		}
		off := h*3600 + mm*60
		if zone[0] == '-' {
			off = -off
		}
		p.loc = time.FixedZone("", off)
	}
	return p, true, nil
}

// Timestamp parses an instant and returns it in UTC. It accepts RFC 3339 (with or
// without fractional seconds), "2006-01-02 15:04:05" and "2006-01-02T15:04:05" with
// optional seconds, fraction and zone ("Z", "UTC", "+08:00", "+0800", "+08"), a bare
// year-first date (midnight), and unix epoch seconds (10 digits) or milliseconds (13
// digits). Inputs without a zone are read in loc (UTC when nil). Instants before 1900 or
// after 9999 in UTC are rejected: they are placeholders, and could not be written back
// as RFC 3339.
func Timestamp(s string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	if err := checkUTF8(s); err != nil {
		return time.Time{}, err
	}
	s = strings.TrimSpace(foldWidth(s))
	if s == "" {
		return time.Time{}, errEmpty
	}
	if len(s) > maxDateLen {
		return time.Time{}, errors.New("not a recognized timestamp")
	}
	var t time.Time
	if p, ok, err := parseDateTime(s); ok {
		if err != nil {
			return time.Time{}, err
		}
		if p.loc == nil {
			p.loc = loc
		}
		t = time.Date(p.year, time.Month(p.month), p.day, p.hour, p.min, p.sec, p.nsec, p.loc)
	} else if n, err := strconv.ParseInt(s, 10, 64); err == nil && s[0] != '+' && s[0] != '-' && len(s) != 8 {
		switch len(s) {
		case 10:
			t = time.Unix(n, 0)
		case 13:
			t = time.UnixMilli(n)
		default:
			return time.Time{}, errors.New("epoch time must have 10 digits (seconds) or 13 (milliseconds)")
		}
	} else if y, m, d, ok := parseYearFirst(s); ok {
		if err := checkDate(y, m, d); err != nil {
			return time.Time{}, err
		}
		t = time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	} else {
		return time.Time{}, errors.New("not a recognized timestamp; use RFC 3339 (2006-01-02T15:04:05Z)")
	}
	t = t.UTC()
	if y := t.Year(); y < minYear || y > 9999 {
		return time.Time{}, errors.New("year out of range 1900..9999")
	}
	return t, nil
}
