package clv

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// Transaction is one purchase by one customer.
type Transaction struct {
	Customer string
	At       time.Time
	Amount   float64
}

// Summary is the per-customer input of the models: the (x, t_x, T) of the
// BG/NBD model and the mean spend m_x of the Gamma-Gamma model, measured
// over the calibration period.
type Summary struct {
	Customer string
	// Frequency (x) is the number of repeat purchase days: distinct calendar
	// days with a purchase, not counting the day of the first purchase.
	Frequency float64
	// Recency (t_x) is the time from the first to the last purchase day, in
	// periods.
	Recency float64
	// T is the time from the first purchase day to the last day of the
	// calibration period, in periods.
	T float64
	// MonetaryValue (m_x) is the mean amount spent per repeat purchase day
	// (same-day purchases summed); 0 when Frequency is 0.
	MonetaryValue float64
	// First and Last are the earliest and latest calibration transactions.
	First, Last time.Time
	// Transactions and Total count and sum all calibration transactions,
	// including the first purchase and before same-day purchases are merged.
	Transactions int
	Total        float64
}

const day = 24 * time.Hour

// civilDay numbers the calendar day of t in loc (days since 1970-01-01).
// Calendar days rather than 24-hour spans keep DST and time-of-day out of
// the counts.
func civilDay(t time.Time, loc *time.Location) int64 {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// daysToPeriods converts a whole number of days to periods.
func daysToPeriods(days int64, period time.Duration) float64 {
	return float64(days) * float64(day) / float64(period)
}

// PeriodsBetween returns the number of periods between the calendar days of
// from and to (to minus from), with days taken in from's location. It is the
// length that Summarize and HoldoutCounts use: for example the CDNOW holdout
// 1997-09-30 to 1998-06-30 is 273 days, 39 weeks.
func PeriodsBetween(from, to time.Time, period time.Duration) float64 {
	if period <= 0 {
		return math.NaN()
	}
	loc := from.Location()
	return daysToPeriods(civilDay(to, loc)-civilDay(from, loc), period)
}

// Summarize turns raw transactions into one Summary per customer, sorted by
// customer.
//
// calibrationEnd names the last calendar day of the calibration period: its
// clock time is ignored, transactions on that day are included, and T runs
// from the first purchase day to that day. Calendar days are those of
// calibrationEnd's location (pass a UTC time for UTC days). This
// reproduces the CDNOW summaries of Fader, Hardie and Lee (also shipped
// with lifetimes): with calibrationEnd 1997-09-30 and a one-week period, a
// customer first seen on 1997-01-01 has T = 272/7 = 38.86.
//
// Customers whose first purchase is after calibrationEnd are left out. It is
// an error for period to be non-positive or for an amount to be NaN or
// infinite; negative amounts (refunds) are summed like any other.
func Summarize(tx []Transaction, calibrationEnd time.Time, period time.Duration) ([]Summary, error) {
	if period <= 0 {
		return nil, fmt.Errorf("clv: period must be positive, got %v", period)
	}
	loc := calibrationEnd.Location()
	endDay := civilDay(calibrationEnd, loc)

	type row struct {
		tx  *Transaction
		day int64
	}
	rows := make([]row, 0, len(tx))
	for i := range tx {
		t := &tx[i]
		if math.IsNaN(t.Amount) || math.IsInf(t.Amount, 0) {
			return nil, fmt.Errorf("clv: customer %q: amount %v at %v is not finite", t.Customer, t.Amount, t.At)
		}
		if d := civilDay(t.At, loc); d <= endDay {
			rows = append(rows, row{t, d})
		}
	}
	slices.SortFunc(rows, func(a, b row) int {
		if c := cmp.Compare(a.tx.Customer, b.tx.Customer); c != 0 {
			return c
		}
		return a.tx.At.Compare(b.tx.At)
	})

	var out []Summary
	for lo := 0; lo < len(rows); {
		hi := lo + 1
		for hi < len(rows) && rows[hi].tx.Customer == rows[lo].tx.Customer {
			hi++
		}
		cust := rows[lo:hi]
		first, last := cust[0], cust[len(cust)-1]
		s := Summary{
			Customer:     first.tx.Customer,
			First:        first.tx.At,
			Last:         last.tx.At,
			Transactions: len(cust),
			Recency:      daysToPeriods(last.day-first.day, period),
			T:            daysToPeriods(endDay-first.day, period),
		}
		var repeat float64
		prevDay := first.day
		for _, r := range cust {
			s.Total += r.tx.Amount
			if r.day == first.day {
				continue
			}
			if r.day != prevDay {
				s.Frequency++
				prevDay = r.day
			}
			repeat += r.tx.Amount
		}
		if s.Frequency > 0 {
			s.MonetaryValue = repeat / s.Frequency
		}
		out = append(out, s)
		lo = hi
	}
	return out, nil
}

// HoldoutCounts returns, for every customer whose first purchase is on or
// before calibrationEnd, the number of distinct purchase days after
// calibrationEnd up to and including holdoutEnd (0 if none). Days are
// calendar days in calibrationEnd's location, as in Summarize, so the
// counts are comparable with BGNBD.ConditionalExpectedPurchases over
// PeriodsBetween(calibrationEnd, holdoutEnd, period).
func HoldoutCounts(tx []Transaction, calibrationEnd, holdoutEnd time.Time) map[string]int {
	loc := calibrationEnd.Location()
	endDay, holdDay := civilDay(calibrationEnd, loc), civilDay(holdoutEnd, loc)

	type purchase struct {
		customer string
		day      int64
	}
	counts := make(map[string]int)
	var later []purchase
	for i := range tx {
		t := &tx[i]
		d := civilDay(t.At, loc)
		switch {
		case d <= endDay:
			counts[t.Customer] = 0
		case d <= holdDay:
			later = append(later, purchase{t.Customer, d})
		}
	}
	slices.SortFunc(later, func(a, b purchase) int {
		if c := cmp.Compare(a.customer, b.customer); c != 0 {
			return c
		}
		return cmp.Compare(a.day, b.day)
	})
	for i, p := range later {
		if i > 0 && later[i-1] == p {
			continue // same customer, same day
		}
		if n, ok := counts[p.customer]; ok {
			counts[p.customer] = n + 1
		}
	}
	return counts
}
