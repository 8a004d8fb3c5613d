// Package analytics scores customers for loyalty and churn: RFM, BG/NBD purchase
// expectations and probability alive, Gamma-Gamma spend, CLV, a churn classifier trained
// on the data's own history, a loyalty score and behaviour trends.
//
// The models live in subpackages (clv, churn, rfm, trend) and know nothing of the graph.
// This package turns customer activity into their inputs, decides how they are combined,
// and (in Scorer) reads activity from and writes scores to a cdp.AnalyticsStore.
package analytics

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/analytics/churn"
	"github.com/cdpgraph/cdpgraph/analytics/rfm"
)

// Settings say how to score. Zero values take the defaults of DefaultSettings.
type Settings struct {
	// Currency is the reporting currency of revenue, spend and CLV. Orders in another
	// currency are converted with Rates; orders in a currency without a rate are left out
	// of monetary figures and counted in the run's report.
	Currency string
	Rates    map[string]float64 // value of one unit of a currency in Currency; nil: DefaultRatesIn(Currency)

	// Location decides calendar days: several orders on one day count as one purchase.
	Location *time.Location

	HorizonDays      int     // CLV horizon
	AnnualDiscount   float64 // CLV discount rate per year
	ChurnHorizonDays int     // churned = no purchase within this many days
	Bands            churn.Bands
	Segments         rfm.SegmentMap
	PageSize         int // customers per read and write batch
}

// DefaultRates are approximate conversion rates into CNY, for the demo and as a starting
// point; production deployments set CDP_FX_RATES. DefaultRatesIn rebases them.
var DefaultRates = map[string]float64{
	"CNY": 1, "USD": 7.1, "EUR": 7.7, "GBP": 9.0, "HKD": 0.91, "SGD": 5.3, "JPY": 0.047,
	"TWD": 0.22, "KRW": 0.0051, "AUD": 4.6, "CAD": 5.1, "MOP": 0.88,
}

// DefaultRatesIn returns DefaultRates converted to another reporting currency: only the
// currency itself if it is not among them.
func DefaultRatesIn(currency string) map[string]float64 {
	base, ok := DefaultRates[currency]
	if !ok {
		return map[string]float64{currency: 1}
	}
	out := make(map[string]float64, len(DefaultRates))
	for c, r := range DefaultRates {
		out[c] = r / base
	}
	return out
}

// DefaultSettings: CNY, one year of CLV at 10 % a year, churn = no purchase in 90 days.
func DefaultSettings() Settings {
	return Settings{
		Currency: "CNY", Location: time.UTC,
		HorizonDays: 365, AnnualDiscount: 0.10, ChurnHorizonDays: 90,
		Bands: churn.DefaultBands(), Segments: rfm.DefaultSegmentMap(), PageSize: 2000,
	}
}

// withDefaults fills zero fields and checks the rest.
func (s Settings) withDefaults() (Settings, error) {
	d := DefaultSettings()
	if s.Currency == "" {
		s.Currency = d.Currency
	}
	s.Currency = strings.ToUpper(s.Currency)
	if s.Rates == nil {
		s.Rates = DefaultRatesIn(s.Currency)
	}
	if s.Location == nil {
		s.Location = d.Location
	}
	if s.HorizonDays == 0 {
		s.HorizonDays = d.HorizonDays
	}
	if s.AnnualDiscount == 0 {
		s.AnnualDiscount = d.AnnualDiscount
	}
	if s.ChurnHorizonDays == 0 {
		s.ChurnHorizonDays = d.ChurnHorizonDays
	}
	if s.Bands == (churn.Bands{}) {
		s.Bands = d.Bands
	}
	if len(s.Segments.Rules) == 0 {
		s.Segments = d.Segments
	}
	if s.PageSize == 0 {
		s.PageSize = d.PageSize
	}
	switch {
	case s.HorizonDays < 1:
		return s, &cdp.Error{Code: cdp.EINVALID, Field: "horizonDays", Message: "must be at least 1"}
	case s.ChurnHorizonDays < 7:
		return s, &cdp.Error{Code: cdp.EINVALID, Field: "churnHorizonDays", Message: "must be at least 7"}
	case s.AnnualDiscount < 0 || s.AnnualDiscount >= 1 || math.IsNaN(s.AnnualDiscount):
		return s, &cdp.Error{Code: cdp.EINVALID, Field: "annualDiscount", Message: "must be in [0, 1)"}
	case s.PageSize < 1:
		return s, &cdp.Error{Code: cdp.EINVALID, Field: "pageSize", Message: "must be at least 1"}
	}
	if r, ok := s.Rates[s.Currency]; !ok || r != 1 {
		if ok {
			return s, &cdp.Error{Code: cdp.EINVALID, Field: "fxRates", Message: fmt.Sprintf("the reporting currency %s must have rate 1, not %v", s.Currency, r)}
		}
		r := make(map[string]float64, len(s.Rates)+1)
		for k, v := range s.Rates {
			r[k] = v
		}
		r[s.Currency] = 1
		s.Rates = r
	}
	if err := s.Bands.Validate(); err != nil {
		return s, &cdp.Error{Code: cdp.EINVALID, Field: "churnBands", Message: err.Error()}
	}
	if err := s.Segments.Validate(); err != nil {
		return s, &cdp.Error{Code: cdp.EINVALID, Field: "rfmSegments", Message: err.Error()}
	}
	return s, nil
}

// ParseRates reads "USD=7.1,EUR=7.7" (units of the reporting currency per unit).
func ParseRates(s string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		code, val, ok := strings.Cut(part, "=")
		code = strings.ToUpper(strings.TrimSpace(code))
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if !ok || len(code) != 3 || err != nil || !(f > 0) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("exchange rate %q: want CODE=positive number, e.g. USD=7.1", part)
		}
		out[code] = f
	}
	return out, nil
}

// convert turns an exact amount in currency into the reporting currency.
func (s *Settings) convert(amount, currency string) (float64, bool) {
	rate, ok := s.Rates[strings.ToUpper(currency)]
	if !ok {
		return 0, false
	}
	d, err := decimal.NewFromString(amount)
	if err != nil {
		return 0, false
	}
	f, _ := d.Float64()
	return f * rate, true
}

// day is the start of t's calendar day in the settings' location.
func (s *Settings) day(t time.Time) time.Time {
	t = t.In(s.Location)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, s.Location)
}

func sortedTimes(ts []time.Time) []time.Time {
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	return ts
}
