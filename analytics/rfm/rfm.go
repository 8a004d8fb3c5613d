// Package rfm scores customers by Recency, Frequency and Monetary value as of a date and
// names the segment each customer falls in.
//
// Each dimension is scored 1–5 by quintile of the customers scored together, so a score
// says where a customer stands among the others, not against a fixed threshold: the top
// fifth by spend gets M = 5 whatever the currency or the size of the business. Quintiles are
// cut on ranks (see [Quintiles]) and never split a block of equal values, so two customers
// with the same data always get the same scores and the result does not depend on the order
// of the input.
//
// Segments come from a [SegmentMap], an ordered list of rules over the three scores; the
// default is the classic R × F grid (see [DefaultSegmentMap] and README.md).
package rfm

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"
)

// Customer is one customer's purchase history summarised as of the scoring date.
type Customer struct {
	ID string
	// Recency is the number of days from the last purchase to the as-of date (see
	// [RecencyDays]); smaller is better. It must be finite and not negative.
	Recency float64
	// Frequency is the number of orders. A customer with no orders (Frequency <= 0) is
	// not ranked and gets no score; see [ScoreAll].
	Frequency int
	// Monetary is the total spend. It must be finite; it may be negative (refunds
	// exceeding purchases), which simply ranks lowest. Values are compared exactly, so pass
	// amounts rounded to the currency's minor unit if they come from float arithmetic.
	Monetary float64
}

// Score is the RFM result for one customer. R, F and M are 1–5 (5 best); all three are 0
// and Segment is empty for a customer with no purchases.
type Score struct {
	ID      string
	R, F, M int
	Segment string
}

// Code is the conventional three-digit RFM cell, e.g. "545"; "000" for an unscored
// customer.
func (s Score) Code() string {
	return strconv.Itoa(s.R) + strconv.Itoa(s.F) + strconv.Itoa(s.M)
}

// Scored reports whether the customer was ranked (had at least one purchase).
func (s Score) Scored() bool { return s.R != 0 }

// RecencyDays is the fractional number of days from last to asOf, the value
// [Customer.Recency] expects.
func RecencyDays(asOf, last time.Time) float64 {
	return asOf.Sub(last).Hours() / 24
}

// ScoreAll scores customers against each other and names their segments with m. The
// result has one Score per customer, in input order.
//
// Customers with Frequency <= 0 have no purchases: they are left out of the ranking, so
// they do not push buyers into higher quintiles, and get a zero Score with an empty
// Segment. Callers who prefer can drop them before calling; the scores of the others are
// the same either way.
//
// It returns an error, and no scores, if m is invalid or a customer has a non-finite
// Recency or Monetary or a negative Recency (a last purchase after the as-of date means the
// date or the data is wrong, and scoring around it would hide that). The error names the
// customer's position and ID.
func ScoreAll(customers []Customer, m SegmentMap) ([]Score, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	var idx []int // positions of scored customers
	for i, c := range customers {
		switch {
		case math.IsNaN(c.Recency) || math.IsInf(c.Recency, 0):
			return nil, fmt.Errorf("rfm: customer %d (%q): recency is %v", i, c.ID, c.Recency)
		case c.Recency < 0:
			return nil, fmt.Errorf("rfm: customer %d (%q): recency %v is negative: last purchase after the as-of date", i, c.ID, c.Recency)
		case math.IsNaN(c.Monetary) || math.IsInf(c.Monetary, 0):
			return nil, fmt.Errorf("rfm: customer %d (%q): monetary is %v", i, c.ID, c.Monetary)
		}
		if c.Frequency > 0 {
			idx = append(idx, i)
		}
	}
	rec := make([]float64, len(idx))
	freq := make([]float64, len(idx))
	mon := make([]float64, len(idx))
	for k, i := range idx {
		// Negated so that more recent (fewer days) ranks higher.
		rec[k] = -customers[i].Recency
		freq[k] = float64(customers[i].Frequency)
		mon[k] = customers[i].Monetary
	}
	r, f, mo := Quintiles(rec), Quintiles(freq), Quintiles(mon)

	out := make([]Score, len(customers))
	for i, c := range customers {
		out[i].ID = c.ID
	}
	for k, i := range idx {
		s := &out[i]
		s.R, s.F, s.M = r[k], f[k], mo[k]
		s.Segment = m.Segment(s.R, s.F, s.M)
	}
	return out, nil
}

// Quintiles scores values 1–5 by rank, higher values scoring higher, and returns the
// scores in input order.
//
// Values are sorted and each is given a position 0..n-1. A value's score is the fifth of
// the range [0, n) in which the midpoint of its position falls: score = ⌊5(p + ½)/n⌋ + 1.
// Without ties this cuts n values into five groups whose sizes differ by at most one, and
// it is symmetric: reversing the order turns every score s into 6 − s. For small n it
// spreads the scores rather than piling them at the bottom: one value scores 3, two score
// 2 and 4, three score 1, 3 and 5.
//
// Equal values form a block that takes the average position of the block, so the whole
// block gets one score, the one where its average rank falls; a tie never straddles a
// quintile boundary. The price is that groups can be uneven when ties are large: if every
// value is equal, all score 3. Because only values, never input positions, decide the
// score, the result does not depend on input order.
//
// NaN values are not ranked and score 0.
func Quintiles(values []float64) []int {
	out := make([]int, len(values))
	order := make([]int, 0, len(values))
	for i, v := range values {
		if !math.IsNaN(v) {
			order = append(order, i)
		}
	}
	n := len(order)
	sort.Slice(order, func(a, b int) bool { return values[order[a]] < values[order[b]] })
	for s := 0; s < n; {
		e := s + 1
		for e < n && values[order[e]] == values[order[s]] {
			e++
		}
		// The block occupies positions s..e-1; its average position plus ½ is (s+e)/2, so
		// the score is ⌊5(s+e)/(2n)⌋ + 1, computed in integers to keep boundaries exact.
		q := 5*(s+e)/(2*n) + 1
		if q > 5 {
			q = 5
		}
		for _, i := range order[s:e] {
			out[i] = q
		}
		s = e
	}
	return out
}

// errNoRules is returned for a map that would segment nothing.
var errNoRules = errors.New("rfm: segment map has no rules")
