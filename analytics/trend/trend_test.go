package trend

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestSlope(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name   string
		xs, ys []float64
		want   float64
	}{
		{"line", []float64{0, 1, 2, 3}, []float64{1, 3, 5, 7}, 2},
		{"falling", []float64{1, 2, 3}, []float64{9, 6, 3}, -3},
		{"noisy", []float64{0, 1, 2, 3}, []float64{0, 2, 1, 3}, 0.8},
		{"flat", []float64{1, 2, 3}, []float64{4, 4, 4}, 0},
		{"empty", nil, nil, 0},
		{"one point", []float64{1}, []float64{5}, 0},
		{"same x", []float64{2, 2, 2}, []float64{1, 2, 3}, 0},
		{"large x", []float64{1.7e9, 1.7e9 + 1, 1.7e9 + 2}, []float64{1, 2, 3}, 1},
		{"skips non-finite", []float64{0, 1, nan, 2, 3}, []float64{1, 3, 100, inf, 7}, 2},
		{"one finite pair", []float64{0, nan}, []float64{1, 2}, 0},
	} {
		if got := Slope(tc.xs, tc.ys); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s: Slope = %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := Slope([]float64{1, 2}, []float64{1}); !math.IsNaN(got) {
		t.Errorf("mismatched lengths: %v, want NaN", got)
	}
}

func TestIntervalTrend(t *testing.T) {
	day := 24 * time.Hour
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(days ...float64) []time.Time {
		var ts []time.Time
		for _, d := range days {
			ts = append(ts, t0.Add(time.Duration(d*float64(day))))
		}
		return ts
	}
	for _, tc := range []struct {
		name        string
		times       []time.Time
		mean, slope float64
	}{
		{"none", nil, 0, 0},
		{"one", at(5), 0, 0},
		{"two", at(0, 10), 10, 0},
		{"steady", at(0, 7, 14, 21), 7, 0},
		{"slowing", at(0, 10, 30, 60), 20, 10},      // gaps 10, 20, 30
		{"unsorted", at(30, 0, 60, 10), 20, 10},     // same purchases, any order
		{"speeding up", at(0, 30, 50, 60), 20, -10}, // gaps 30, 20, 10
		{"same day", at(0, 0, 0.5), 0.25, 0.5},      // gaps 0, 0.5
	} {
		orig := slices.Clone(tc.times)
		mean, slope := IntervalTrend(tc.times)
		if math.Abs(mean-tc.mean) > 1e-9 || math.Abs(slope-tc.slope) > 1e-9 {
			t.Errorf("%s: got (%v, %v), want (%v, %v)", tc.name, mean, slope, tc.mean, tc.slope)
		}
		if !slices.Equal(orig, tc.times) {
			t.Errorf("%s: input reordered", tc.name)
		}
	}
}

func TestRatio(t *testing.T) {
	for _, tc := range []struct{ recent, previous, want float64 }{
		{0, 0, 1},
		{3, 0, 4},
		{0, 3, 0.25},
		{10, 10, 1},
		{100, 50, 101.0 / 51},
		{-5, 0, 1},
		{0, -5, 1},
		{math.Inf(1), 1, math.Inf(1)},
	} {
		if got := Ratio(tc.recent, tc.previous); got != tc.want {
			t.Errorf("Ratio(%v, %v) = %v, want %v", tc.recent, tc.previous, got, tc.want)
		}
	}
	if !math.IsNaN(Ratio(math.NaN(), 1)) || !math.IsNaN(Ratio(1, math.NaN())) {
		t.Error("NaN not propagated")
	}
	// Monotone: more recent activity never lowers the ratio.
	for r := 0.0; r < 20; r++ {
		if Ratio(r+1, 7) <= Ratio(r, 7) || Ratio(7, r+1) >= Ratio(7, r) {
			t.Fatalf("not monotone at %v", r)
		}
	}
}

func TestWindowCounts(t *testing.T) {
	day := 24 * time.Hour
	asOf := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	times := []time.Time{
		asOf.Add(day),       // future: ignored
		asOf,                // recent (window end is inclusive)
		asOf.Add(-29 * day), // recent
		asOf.Add(-30 * day), // previous (boundary belongs to the earlier window)
		asOf.Add(-45 * day), // previous
		asOf.Add(-60 * day), // too old
	}
	if r, p := WindowCounts(times, asOf, 30*day); r != 2 || p != 2 {
		t.Errorf("got %d, %d; want 2, 2", r, p)
	}
	if r, p := WindowCounts(times, asOf, 0); r != 0 || p != 0 {
		t.Errorf("zero window: %d, %d", r, p)
	}
}
