package churn

import (
	"fmt"
	"math"
)

// Risk band names returned by [Bands.Band].
const (
	Low      = "low"
	Medium   = "medium"
	High     = "high"
	Critical = "critical"
)

// BandNames are the band names, lowest risk first.
var BandNames = []string{Low, Medium, High, Critical}

// Bands are the lower edges of the medium, high and critical risk bands; probabilities
// below Medium are low. Each edge belongs to the band above it: with the defaults 0.5 is
// high, not medium.
type Bands struct {
	Medium   float64 `json:"medium"`
	High     float64 `json:"high"`
	Critical float64 `json:"critical"`
}

// DefaultBands cuts the probability range into even quarters: low below 0.25, medium from
// 0.25, high from 0.5 (churn more likely than not) and critical from 0.75. Even cuts are
// a neutral start; a business that can only call its top hundred customers should move
// them to match its capacity or its base churn rate.
func DefaultBands() Bands { return Bands{Medium: 0.25, High: 0.5, Critical: 0.75} }

// Validate checks 0 < Medium < High < Critical < 1.
func (b Bands) Validate() error {
	if !(0 < b.Medium && b.Medium < b.High && b.High < b.Critical && b.Critical < 1) {
		return fmt.Errorf("churn: bands %v/%v/%v must increase strictly within (0, 1)", b.Medium, b.High, b.Critical)
	}
	return nil
}

// Band names the band of probability p: "low", "medium", "high" or "critical". It
// returns "" for NaN, which has no band.
func (b Bands) Band(p float64) string {
	switch {
	case math.IsNaN(p):
		return ""
	case p >= b.Critical:
		return Critical
	case p >= b.High:
		return High
	case p >= b.Medium:
		return Medium
	default:
		return Low
	}
}
