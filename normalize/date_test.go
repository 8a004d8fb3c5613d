package normalize

import (
	"strings"
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	now := time.Date(2024, 6, 15, 12, 0, 0, 0, time.UTC)
	dmy := func(s string) (string, error) { return Date(s, true, now) }
	run(t, "Date/dayFirst", dmy, []tc{
		{in: "2006-01-02", want: "2006-01-02"},
		{in: " 2006-1-2 ", want: "2006-01-02"},
		{in: "2006/01/02", want: "2006-01-02"},
		{in: "2006.01.02", want: "2006-01-02"},
		{in: "20060102", want: "2006-01-02"},
		{in: "2006年1月2日", want: "2006-01-02"},
		{in: "2006 年 01 月 02 日", want: "2006-01-02"},
		{in: "２００６年１月２日", want: "2006-01-02"},
		{in: "２００６－０１－０２", want: "2006-01-02"},
		{in: "02.01.2006", want: "2006-01-02"},
		{in: "02/01/2006", want: "2006-01-02"},
		{in: "2/1/2006", want: "2006-01-02"},
		{in: "31/12/1999", want: "1999-12-31"},
		{in: "2006-01-02T15:04:05Z", want: "2006-01-02"},
		{in: "2006-01-02T23:30:00-05:00", want: "2006-01-02"}, // date as written, not UTC
		{in: "2006-01-02T01:00:00.123456789+08:00", want: "2006-01-02"},
		{in: "2006-01-02 15:04:05", want: "2006-01-02"},
		{in: "2024-02-29", want: "2024-02-29"}, // leap day
		{in: "2000-02-29", want: "2000-02-29"}, // divisible by 400: leap
		{in: "1900-01-01", want: "1900-01-01"},
		{in: "2024-06-15", want: "2024-06-15"}, // today is not the future

		{in: "", err: "empty"},
		{in: "  ", err: "empty"},
		{in: "2023-02-29", err: "day out of range"},
		{in: "1900-02-29", err: "day out of range"}, // divisible by 100: not leap
		{in: "2023-02-30", err: "day out of range"},
		{in: "2023-04-31", err: "day out of range"},
		{in: "2023-13-01", err: "month out of range"},
		{in: "2023-00-10", err: "month out of range"},
		{in: "2023-01-00", err: "day out of range"},
		{in: "13/13/2006", err: "month out of range"},
		{in: "1899-12-31", err: "year before 1900"},
		{in: "0001-01-01", err: "year before 1900"},
		{in: "2024-06-16", err: "future"},
		{in: "2999-01-01", err: "future"},
		{in: "2006-01/02", err: "not a recognized date"},
		{in: "02/01-2006", err: "not a recognized date"},
		{in: "2006-01-02T25:00:00Z", err: "time of day"},
		{in: "2006-02-30T10:00:00Z", err: "day out of range"},
		{in: "06-01-02", err: "not a recognized date"},
		{in: "2006-001-02", err: "not a recognized date"},
		{in: "Jan 2, 2006", err: "not a recognized date"},
		{in: "2006-01-02x", err: "not a recognized date"},
		{in: "2006年1月2", err: "not a recognized date"},
		{in: "\xff", err: "UTF-8"},
		{in: strings.Repeat("2", 1000), err: "not a recognized date"},
	})
	mdy := func(s string) (string, error) { return Date(s, false, time.Time{}) }
	run(t, "Date/monthFirst", mdy, []tc{
		{in: "01/02/2006", want: "2006-01-02"},
		{in: "12/31/1999", want: "1999-12-31"},
		{in: "02.01.2006", want: "2006-02-01"}, // dayFirst decides, not the separator
		{in: "2999-01-01", want: "2999-01-01"}, // zero notAfter: no future check
		{in: "2/29/2024", want: "2024-02-29"},
		{in: "31/12/1999", err: "month out of range"},
		{in: "2/29/2023", err: "day out of range"},
	})

	// notAfter is compared by its own calendar day.
	shanghai := time.FixedZone("CST", 8*3600)
	late := time.Date(2024, 6, 15, 23, 0, 0, 0, time.UTC) // already June 16 in Shanghai
	if got, err := Date("2024-06-16", true, late.In(shanghai)); err != nil || got != "2024-06-16" {
		t.Errorf("Date in Shanghai = %q, %v", got, err)
	}
	if _, err := Date("2024-06-16", true, late); err == nil {
		t.Errorf("Date 2024-06-16 with notAfter %v accepted", late)
	}
}

func TestTimestamp(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	cases := []struct {
		in   string
		loc  *time.Location
		want time.Time
		err  string
	}{
		{in: "2024-03-01T10:20:30Z", want: utc("2024-03-01T10:20:30Z")},
		{in: "2024-03-01T10:20:30z", want: utc("2024-03-01T10:20:30Z")},
		{in: "2024-03-01t10:20:30+08:00", want: utc("2024-03-01T02:20:30Z")},
		{in: "2024-03-01T10:20:30.123456789Z", want: utc("2024-03-01T10:20:30.123456789Z")},
		{in: "2024-03-01T10:20:30.5-05:00", want: utc("2024-03-01T15:20:30.5Z")},
		{in: "2024-03-01 10:20:30", loc: shanghai, want: utc("2024-03-01T02:20:30Z")},
		{in: "2024-03-01T10:20:30", loc: shanghai, want: utc("2024-03-01T02:20:30Z")},
		{in: "2024-03-01 10:20:30", want: utc("2024-03-01T10:20:30Z")}, // nil loc: UTC
		{in: "2024-03-01 10:20:30.250", loc: shanghai, want: utc("2024-03-01T02:20:30.25Z")},
		{in: "2024-03-01 10:20:30,250", want: utc("2024-03-01T10:20:30.25Z")},
		{in: "2024-03-01 10:20", want: utc("2024-03-01T10:20:00Z")},
		{in: "2024-03-01 10:20:30+0800", want: utc("2024-03-01T02:20:30Z")},
		{in: "2024-03-01 10:20:30 +08:00", want: utc("2024-03-01T02:20:30Z")},
		{in: "2024-03-01 10:20:30+08", want: utc("2024-03-01T02:20:30Z")},
		{in: "2024-03-01 10:20:30 UTC", loc: shanghai, want: utc("2024-03-01T10:20:30Z")},
		{in: "2024-03-01 10:20:30Z", loc: shanghai, want: utc("2024-03-01T10:20:30Z")},
		{in: "2024-03-01", loc: shanghai, want: utc("2024-02-29T16:00:00Z")},
		{in: "2024/03/01", want: utc("2024-03-01T00:00:00Z")},
		{in: "20240301", want: utc("2024-03-01T00:00:00Z")},
		{in: "2024年3月1日", want: utc("2024-03-01T00:00:00Z")},
		{in: "1709288430", want: utc("2024-03-01T10:20:30Z")},
		{in: "1709288430123", want: utc("2024-03-01T10:20:30.123Z")},
		{in: "  1709288430  ", loc: shanghai, want: utc("2024-03-01T10:20:30Z")}, // epoch ignores loc
		{in: "１７０９２８８４３０", want: utc("2024-03-01T10:20:30Z")},
		{in: "0000000000", want: utc("1970-01-01T00:00:00Z")},
		{in: "2024-02-29T12:00:00Z", want: utc("2024-02-29T12:00:00Z")},
		{in: "1900-01-01T00:00:00Z", want: utc("1900-01-01T00:00:00Z")},
		{in: "9999-12-31T23:59:59Z", want: utc("9999-12-31T23:59:59Z")},

		{in: "", err: "empty"},
		{in: " ", err: "empty"},
		{in: "2023-02-29T12:00:00Z", err: "day out of range"},
		{in: "2023-02-29", err: "day out of range"},
		{in: "2024-03-01T24:00:00Z", err: "time of day"},
		{in: "2024-03-01T23:60:00Z", err: "time of day"},
		{in: "2024-03-01T23:59:60Z", err: "time of day"},
		{in: "2024-03-01T10:20:30+24:00", err: "zone offset"},
		{in: "2024-03-01T10:20:30+08:60", err: "zone offset"},
		{in: "2024-03-01T10:20:30.1234567890Z", err: "not a recognized timestamp"},
		{in: "2024-03-01T10:20:30 PST", err: "not a recognized timestamp"},
		{in: "2024-03-01T10:20:30+8", err: "not a recognized timestamp"},
		{in: "03/01/2024", err: "not a recognized timestamp"}, // ambiguous, no dayFirst here
		{in: "170928843", err: "10 digits"},
		{in: "17092884301", err: "10 digits"},
		{in: "-1709288430", err: "not a recognized timestamp"},
		{in: "+1709288430", err: "not a recognized timestamp"},
		{in: "1899-12-31T23:59:59Z", err: "year before 1900"},
		{in: "1900-01-01T00:00:00+01:00", err: "year out of range"}, // 1899 in UTC
		{in: "9999-12-31T23:00:00-05:00", err: "year out of range"}, // 10000 in UTC
		{in: "\xff", err: "UTF-8"},
		{in: strings.Repeat("1", 100), err: "not a recognized timestamp"},
	}
	for _, c := range cases {
		got, err := Timestamp(c.in, c.loc)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("Timestamp(%q) = %v, %v; want error containing %q", c.in, got, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("Timestamp(%q) unexpected error %v", c.in, err)
		case c.err == "" && (!got.Equal(c.want) || got.Location() != time.UTC):
			t.Errorf("Timestamp(%q) = %v, want %v in UTC", c.in, got, c.want)
		}
	}
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"2006-01-02", "02/01/2006", "2006年1月2日", "20060102", "2024-02-29", "2006-01-02T23:30:00-05:00", "2023-02-30"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string, dayFirst bool) {
		checkIdempotent(t, func(s string) (string, error) { return Date(s, dayFirst, now) }, s)
	})
}

func FuzzTimestamp(f *testing.F) {
	for _, s := range []string{"2024-03-01T10:20:30Z", "2024-03-01 10:20:30.5+0800", "2024-03-01", "1709288430", "1709288430123", "9999-12-31T23:59:59Z"} {
		f.Add(s)
	}
	shanghai := time.FixedZone("CST", 8*3600)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Timestamp(s, shanghai)
		if err != nil {
			return
		}
		again, err := Timestamp(got.Format(time.RFC3339Nano), shanghai)
		if err != nil || !again.Equal(got) {
			t.Fatalf("%q gave %v, which re-parses to %v, %v", s, got, again, err)
		}
	})
}
