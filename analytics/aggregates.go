package analytics

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sync/singleflight"

	cdp "github.com/cdpgraph/cdpgraph"
)

// AggregatesVersioner is a store that can tell when an aggregate over all customers may
// have changed: the version it returns changes whenever scores are written, a scoring
// model is saved or a scored customer is merged away. A Scorer over such a store serves
// the RFM grid, the churn and CLV distributions and the latest model from memory while
// the version stays the same.
type AggregatesVersioner interface {
	AggregatesVersion(ctx context.Context) (string, error)
}

// maxCLVBounds bounds how many distinct CLV bucketings are kept: callers choose them.
const maxCLVBounds = 32

// aggregateCache holds aggregates computed at one version. Every entry is dropped when
// the version moves on.
type aggregateCache struct {
	mu      sync.Mutex
	version string
	values  map[string]any
	group   singleflight.Group // concurrent misses of one key compute it once
}

// cached returns the value of key at the store's current version, computing it on a
// miss. The version is read before computing, so a value is never tagged with a version
// newer than what it saw: a write landing meanwhile only makes the next read recompute.
func cached[T any](ctx context.Context, s *Scorer, key string, compute func(ctx context.Context) (T, error)) (T, error) {
	v, ok := s.Store.(AggregatesVersioner)
	if !ok {
		return compute(ctx)
	}
	version, err := v.AggregatesVersion(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	c := &s.aggregates
	c.mu.Lock()
	if c.version == version {
		if x, ok := c.values[key]; ok {
			c.mu.Unlock()
			return x.(T), nil
		}
	}
	c.mu.Unlock()
	x, err, _ := c.group.Do(version+"\x00"+key, func() (any, error) {
		// Shared by every caller waiting on it: one caller leaving does not cancel it.
		x, err := compute(context.WithoutCancel(ctx))
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.version != version {
			c.version, c.values = version, map[string]any{}
		}
		if strings.HasPrefix(key, "clv:") && len(c.values) >= maxCLVBounds {
			for k := range c.values { // many bucketings: start over rather than grow
				if strings.HasPrefix(k, "clv:") {
					delete(c.values, k)
				}
			}
		}
		c.values[key] = x
		return x, nil
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return x.(T), nil
}

// clvKey names a bucketing.
func clvKey(bounds []float64) string {
	var b strings.Builder
	b.WriteString("clv:")
	for _, x := range bounds {
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
		b.WriteByte(',')
	}
	return b.String()
}

// The cached slices are shared: callers get copies.
func cloneCells(cells []cdp.RFMCell, err error) ([]cdp.RFMCell, error) {
	return slices.Clone(cells), err
}
func cloneBuckets(b []cdp.Bucket, err error) ([]cdp.Bucket, error) { return slices.Clone(b), err }
