package clv

import (
	"math"
	"strings"
	"testing"
	"time"
)

func date(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, time.UTC)
}

func TestSummarize(t *testing.T) {
	tx := []Transaction{
		// b: two purchases on the first day, two on day 7 (one repeat
		// transaction of 30), one on day 14, one after calibration.
		{"b", date(2024, 1, 8, 15), 12},
		{"b", date(2024, 1, 1, 9), 10},
		{"b", date(2024, 1, 1, 18), 5},
		{"b", date(2024, 1, 8, 10), 18},
		{"b", date(2024, 1, 15, 0), 6},
		{"b", date(2024, 2, 1, 0), 100},
		// a: a single day with three purchases: no repeat.
		{"a", date(2024, 1, 10, 8), 1},
		{"a", date(2024, 1, 10, 9), 2},
		{"a", date(2024, 1, 10, 23), 3},
		// c: first purchase after calibration end: left out.
		{"c", date(2024, 2, 2, 0), 50},
		// d: buys on the last calibration day, late in the evening.
		{"d", date(2024, 1, 31, 23), 7},
	}
	end := date(2024, 1, 31, 12) // clock time ignored: all of Jan 31 counts
	s, err := Summarize(tx, end, week)
	if err != nil {
		t.Fatal(err)
	}
	want := []Summary{
		{Customer: "a", Frequency: 0, Recency: 0, T: 21.0 / 7, MonetaryValue: 0,
			First: date(2024, 1, 10, 8), Last: date(2024, 1, 10, 23), Transactions: 3, Total: 6},
		{Customer: "b", Frequency: 2, Recency: 2, T: 30.0 / 7, MonetaryValue: 18,
			First: date(2024, 1, 1, 9), Last: date(2024, 1, 15, 0), Transactions: 5, Total: 51},
		{Customer: "d", Frequency: 0, Recency: 0, T: 0, MonetaryValue: 0,
			First: date(2024, 1, 31, 23), Last: date(2024, 1, 31, 23), Transactions: 1, Total: 7},
	}
	if len(s) != len(want) {
		t.Fatalf("got %d summaries %+v, want %d", len(s), s, len(want))
	}
	for i := range want {
		g, w := s[i], want[i]
		if g.Customer != w.Customer || g.Frequency != w.Frequency || math.Abs(g.Recency-w.Recency) > 1e-12 ||
			math.Abs(g.T-w.T) > 1e-12 || g.MonetaryValue != w.MonetaryValue || !g.First.Equal(w.First) ||
			!g.Last.Equal(w.Last) || g.Transactions != w.Transactions || g.Total != w.Total {
			t.Errorf("summary %d = %+v\nwant %+v", i, g, w)
		}
	}

	// Days in the calibration end's location: in New York, b's purchase at
	// 2024-01-08 03:00 UTC falls on Jan 7 and is a day of its own.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	tz := []Transaction{
		{"b", date(2024, 1, 1, 15), 10},
		{"b", date(2024, 1, 8, 3), 20},  // Jan 7 in New York
		{"b", date(2024, 1, 8, 15), 30}, // Jan 8 in New York
	}
	s, err = Summarize(tz, time.Date(2024, 1, 31, 0, 0, 0, 0, ny), 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 1 || s[0].Frequency != 2 || s[0].Recency != 7 || s[0].T != 30 || s[0].MonetaryValue != 25 {
		t.Errorf("New York days: got %+v, want x=2, t_x=7, T=30, m=25", s)
	}
	s, _ = Summarize(tz, date(2024, 1, 31, 0), 24*time.Hour)
	if len(s) != 1 || s[0].Frequency != 1 || s[0].MonetaryValue != 50 {
		t.Errorf("UTC days: got %+v, want x=1, m=50", s)
	}
}

func TestSummarizeErrors(t *testing.T) {
	if s, err := Summarize(nil, date(2024, 1, 1, 0), week); err != nil || len(s) != 0 {
		t.Errorf("Summarize(nil) = %v, %v; want no summaries, no error", s, err)
	}
	for _, p := range []time.Duration{0, -week} {
		if _, err := Summarize([]Transaction{{"a", date(2024, 1, 1, 0), 1}}, date(2024, 2, 1, 0), p); err == nil {
			t.Errorf("period %v: no error", p)
		}
	}
	for _, amt := range []float64{math.NaN(), math.Inf(1)} {
		_, err := Summarize([]Transaction{{"a", date(2024, 1, 1, 0), 1}, {"a", date(2024, 1, 2, 0), amt}}, date(2024, 2, 1, 0), week)
		if err == nil || !strings.Contains(err.Error(), `"a"`) {
			t.Errorf("amount %v: error %v, want one naming the customer", amt, err)
		}
	}
	// Refunds are summed like other amounts.
	s, err := Summarize([]Transaction{{"a", date(2024, 1, 1, 0), 10}, {"a", date(2024, 1, 2, 0), 10}, {"a", date(2024, 1, 2, 5), -15}}, date(2024, 2, 1, 0), week)
	if err != nil || len(s) != 1 || s[0].MonetaryValue != -5 || s[0].Total != 5 {
		t.Errorf("refund: %+v, %v; want m=-5, total 5", s, err)
	}
}

func TestHoldoutCounts(t *testing.T) {
	tx := []Transaction{
		{"a", date(2024, 1, 1, 0), 1},
		{"a", date(2024, 2, 1, 9), 1}, // two purchases on one holdout day
		{"a", date(2024, 2, 1, 17), 1},
		{"a", date(2024, 2, 5, 0), 1},
		{"a", date(2024, 3, 1, 0), 1}, // after the holdout
		{"b", date(2024, 1, 20, 0), 1},
		{"b", date(2024, 1, 31, 23), 1}, // last calibration day: not holdout
		{"c", date(2024, 2, 3, 0), 1},   // new in the holdout: not counted
		{"d", date(2024, 1, 5, 0), 1},
		{"d", date(2024, 2, 29, 23), 1}, // last holdout day
	}
	got := HoldoutCounts(tx, date(2024, 1, 31, 0), date(2024, 2, 29, 0))
	want := map[string]int{"a": 2, "b": 0, "d": 1}
	if len(got) != len(want) {
		t.Errorf("HoldoutCounts = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("HoldoutCounts[%q] = %d, want %d", k, got[k], v)
		}
	}
	if p := PeriodsBetween(date(2024, 1, 31, 23), date(2024, 2, 29, 1), week); p != 29.0/7 {
		t.Errorf("PeriodsBetween = %v, want 29/7", p)
	}
	if p := PeriodsBetween(date(2024, 1, 31, 0), date(2024, 2, 29, 0), 0); !math.IsNaN(p) {
		t.Errorf("PeriodsBetween with a zero period = %v, want NaN", p)
	}
}

func TestReadCDNOW(t *testing.T) {
	in := " 00004 0001 19970101  2   29.33\r\n\r\n 00004 0001 19970118  2   29.73\r\n00021 0002 19970101 3 63.34"
	tx, err := ReadCDNOW(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Transaction{
		{"00004", date(1997, 1, 1, 0), 29.33},
		{"00004", date(1997, 1, 18, 0), 29.73},
		{"00021", date(1997, 1, 1, 0), 63.34},
	}
	if len(tx) != len(want) {
		t.Fatalf("got %+v, want %+v", tx, want)
	}
	for i := range want {
		if tx[i].Customer != want[i].Customer || !tx[i].At.Equal(want[i].At) || tx[i].Amount != want[i].Amount {
			t.Errorf("transaction %d = %+v, want %+v", i, tx[i], want[i])
		}
	}

	// The full log as published has four columns, with or without a header line.
	for _, in := range []string{
		"   1 19970101 1 11.77\n   1 19970118 2 29.73\n  21 19970101 3 63.34\n",
		"customer_id date cds dollars\n1 19970101 1 11.77\n1 19970118 2 29.73\n21 19970101 3 63.34\n",
		"\ncustomer_id\tdate\tcds\tdollars\r\n1\t19970101\t1\t11.77\r\n1\t19970118\t2\t29.73\r\n21\t19970101\t3\t63.34\r\n",
	} {
		tx, err := ReadCDNOW(strings.NewReader(in))
		want := []Transaction{{"1", date(1997, 1, 1, 0), 11.77}, {"1", date(1997, 1, 18, 0), 29.73}, {"21", date(1997, 1, 1, 0), 63.34}}
		if err != nil || len(tx) != len(want) {
			t.Fatalf("master layout %q: %+v, %v", in, tx, err)
		}
		for i := range want {
			if tx[i].Customer != want[i].Customer || !tx[i].At.Equal(want[i].At) || tx[i].Amount != want[i].Amount {
				t.Errorf("master layout: transaction %d = %+v, want %+v", i, tx[i], want[i])
			}
		}
	}
	if tx, err := ReadCDNOW(strings.NewReader("master_id sample_id date cds dollars\n00004 0001 19970101 2 29.33\n")); err != nil || len(tx) != 1 || tx[0].Customer != "00004" {
		t.Errorf("sample layout with a header: %+v, %v", tx, err)
	}

	for _, c := range []struct{ in, want string }{
		{"00004 0001 19970101 2 29.33\n00004 0001 19970101 2\n", "line 2: want 5 fields"},
		{"1 19970101 2 29.33\n00004 0001 19970101 2 29.33\n", "line 2: want 4 fields"},
		{"00004 0001 19970101 2 29.33 extra\n", "line 1: want 5 fields"},
		{"00004 19970101 2\n", "line 1: want 5 fields"},
		{"1 1997-01-01 2 29.33\n", `line 1: bad date "1997-01-01"`},
		{"customer_id date cds dollars\ncustomer_id date cds dollars\n", `line 2: bad date "date"`},
		{"\n\n00004 0001 1997-01-01 2 29.33\n", `line 3: bad date "1997-01-01"`},
		{"00004 0001 19970231 2 29.33\n", `line 1: bad date "19970231"`},
		{"00004 0001 19970101 two 29.33\n", `line 1: bad number_of_cds "two"`},
		{"00004 0001 19970101 -1 29.33\n", `line 1: bad number_of_cds "-1"`},
		{"00004 0001 19970101 2 $29\n", `line 1: bad dollar_value "$29"`},
		{"00004 0001 19970101 2 NaN\n", `line 1: bad dollar_value "NaN"`},
	} {
		_, err := ReadCDNOW(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadCDNOW(%q) error = %v, want it to contain %q", c.in, err, c.want)
		}
	}
	if tx, err := ReadCDNOW(strings.NewReader("")); err != nil || len(tx) != 0 {
		t.Errorf("empty input: %v, %v", tx, err)
	}
}

func TestCompareHoldout(t *testing.T) {
	m := cdnowParams
	s := []Summary{
		{Customer: "a", Frequency: 0, T: 30},
		{Customer: "b", Frequency: 1, Recency: 10, T: 30},
		{Customer: "c", Frequency: 3, Recency: 25, T: 30},
		{Customer: "d", Frequency: 9, Recency: 29, T: 30},
	}
	actual := map[string]int{"a": 1, "c": 2, "d": 5, "zzz": 7} // b missing: 0; zzz not in s
	c := CompareHoldout(m, s, actual, 39, 2)
	if c.Customers != 4 || c.Actual != 8 || len(c.Buckets) != 3 {
		t.Fatalf("CompareHoldout = %+v", c)
	}
	var total float64
	for _, x := range s {
		total += m.ConditionalExpectedPurchases(39, x.Frequency, x.Recency, x.T)
	}
	if math.Abs(c.Predicted-total) > 1e-12 {
		t.Errorf("Predicted = %v, want %v", c.Predicted, total)
	}
	// Bucket 2 is "2 or more": c and d.
	if b := c.Buckets[2]; b.Frequency != 2 || b.Customers != 2 || b.Actual != 7 {
		t.Errorf("bucket 2+ = %+v", b)
	}
	if b := c.Buckets[1]; b.Customers != 1 || b.Actual != 0 || b.MeanActual() != 0 {
		t.Errorf("bucket 1 = %+v", b)
	}
}
