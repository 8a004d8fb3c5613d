package clv

// HoldoutBucket compares forecast and actual holdout purchases for the
// customers with one calibration frequency.
type HoldoutBucket struct {
	// Frequency is the calibration repeat-purchase count of the bucket; the
	// last bucket holds every customer with this many or more.
	Frequency int
	Customers int
	// Predicted and Actual are sums over the bucket's customers of
	// E[Y(holdout) | x, t_x, T] and of the observed holdout purchases.
	Predicted, Actual float64
}

// MeanPredicted returns the average forecast per customer (NaN if empty).
func (b HoldoutBucket) MeanPredicted() float64 { return b.Predicted / float64(b.Customers) }

// MeanActual returns the average actual purchases per customer (NaN if empty).
func (b HoldoutBucket) MeanActual() float64 { return b.Actual / float64(b.Customers) }

// HoldoutComparison is the result of CompareHoldout.
type HoldoutComparison struct {
	Customers         int
	Predicted, Actual float64 // totals over all customers
	// Buckets are by calibration frequency 0, 1, …, maxBucket (the last one
	// open-ended), as in the conditional-expectation plot of Fader, Hardie
	// and Lee (2005).
	Buckets []HoldoutBucket
}

// CompareHoldout sets the model's conditional forecasts over a holdout of
// the given length (in periods; see PeriodsBetween) against the actual
// repeat-purchase days of each customer, as returned by HoldoutCounts.
// Customers missing from actual count as having bought nothing. Buckets run
// from frequency 0 to maxBucket (values below 0 are treated as 0).
func CompareHoldout(m BGNBD, s []Summary, actual map[string]int, holdout float64, maxBucket int) HoldoutComparison {
	maxBucket = max(maxBucket, 0)
	c := HoldoutComparison{Customers: len(s), Buckets: make([]HoldoutBucket, maxBucket+1)}
	for i := range c.Buckets {
		c.Buckets[i].Frequency = i
	}
	for i := range s {
		p := m.ConditionalExpectedPurchases(holdout, s[i].Frequency, s[i].Recency, s[i].T)
		a := float64(actual[s[i].Customer])
		c.Predicted += p
		c.Actual += a
		k := maxBucket
		if s[i].Frequency < float64(maxBucket) {
			k = max(int(s[i].Frequency), 0)
		}
		b := &c.Buckets[k]
		b.Customers++
		b.Predicted += p
		b.Actual += a
	}
	return c
}
