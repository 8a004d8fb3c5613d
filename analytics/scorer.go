package analytics

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/internal/every"
)

// Scorer runs scoring against a store: a full run fits every model and scores every
// customer; an incremental run scores the customers with new activity using the last
// full run's parameters.
type Scorer struct {
	Store    cdp.AnalyticsStore
	Settings Settings
	Log      *slog.Logger
	Now      func() time.Time
	// OnBandChange, if set, hears of customers whose churn band changed (subscriptions).
	OnBandChange func([]cdp.ChurnBandChange)

	mu sync.Mutex // one run at a time: an incremental run must not interleave with a full one
	// aggregates caches what the API asks over all customers (see aggregates.go).
	aggregates aggregateCache
}

// NewScorer returns a scorer over store.
func NewScorer(store cdp.AnalyticsStore, settings Settings, log *slog.Logger) *Scorer {
	if log == nil {
		log = slog.Default()
	}
	return &Scorer{Store: store, Settings: settings, Log: log, Now: time.Now}
}

var _ cdp.AnalyticsService = (*Scorer)(nil)

// RunScoring is Run for the API.
func (s *Scorer) RunScoring(ctx context.Context, asOfDate string) (*cdp.ScoreModel, error) {
	asOf, err := s.AsOf(asOfDate)
	if err != nil {
		return nil, err
	}
	m, _, err := s.Run(ctx, asOf)
	return m, err
}

// AsOf reads a scoring date, YYYY-MM-DD, as the last moment of that day in the
// configured time zone, so the whole day's activity counts; "" is the zero time (now).
func (s *Scorer) AsOf(date string) (time.Time, error) {
	if date == "" {
		return time.Time{}, nil
	}
	loc := s.Settings.Location
	if loc == nil {
		loc = time.UTC
	}
	d, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		return time.Time{}, &cdp.Error{Code: cdp.EINVALID, Field: "asOf", Message: "want a date as YYYY-MM-DD, got " + strconv.Quote(date)}
	}
	return d.AddDate(0, 0, 1).Add(-time.Second), nil
}

// LatestModel returns the latest scoring run, nil before the first. It is shared with
// other callers: do not modify it. (Runs read the store's, never a cached one.)
func (s *Scorer) LatestModel(ctx context.Context) (*cdp.ScoreModel, error) {
	return cached(ctx, s, "model", s.Store.LatestModel)
}

// MetricsHistoryByCustomerIDs returns each customer's first scores per full run, newest first.
func (s *Scorer) MetricsHistoryByCustomerIDs(ctx context.Context, ids []string, first int) (map[string][]*cdp.Metrics, error) {
	return s.Store.MetricsHistoryByCustomerIDs(ctx, ids, first)
}

// RFMGrid counts buyers and revenue per RFM cell.
func (s *Scorer) RFMGrid(ctx context.Context) ([]cdp.RFMCell, error) {
	return cloneCells(cached(ctx, s, "rfm", s.Store.RFMGrid))
}

// ChurnDistribution counts buyers per churn band, lowest risk first.
func (s *Scorer) ChurnDistribution(ctx context.Context) ([]cdp.Bucket, error) {
	return cloneBuckets(cached(ctx, s, "churn", func(ctx context.Context) ([]cdp.Bucket, error) {
		b, err := s.Store.ChurnDistribution(ctx)
		rank := map[string]int{"low": 0, "medium": 1, "high": 2, "critical": 3}
		sort.Slice(b, func(i, j int) bool { return rank[b[i].Label] < rank[b[j].Label] })
		return b, err
	}))
}

// DefaultCLVBounds are the CLV buckets' upper edges when the caller gives none.
var DefaultCLVBounds = []float64{0, 100, 500, 1000, 2000, 5000, 10000}

// CLVDistribution counts buyers per CLV bucket; bounds must ascend.
func (s *Scorer) CLVDistribution(ctx context.Context, bounds []float64) ([]cdp.Bucket, error) {
	if len(bounds) == 0 {
		bounds = DefaultCLVBounds
	}
	if len(bounds) > 100 {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "bounds", Message: "at most 100 bounds"}
	}
	for i := 1; i < len(bounds); i++ {
		if !(bounds[i] > bounds[i-1]) {
			return nil, &cdp.Error{Code: cdp.EINVALID, Field: "bounds", Message: fmt.Sprintf("must ascend: %v is not above %v", bounds[i], bounds[i-1])}
		}
	}
	bounds = slices.Clone(bounds) // the computation may outlive the caller's slice
	return cloneBuckets(cached(ctx, s, clvKey(bounds), func(ctx context.Context) ([]cdp.Bucket, error) {
		buckets, err := s.Store.CLVDistribution(ctx, bounds)
		for i := range buckets {
			buckets[i].Label = bucketLabel(buckets[i].Low, buckets[i].High)
		}
		return buckets, err
	}))
}

// Churn-risk histogram bucket counts a caller may ask for.
const (
	MinChurnRiskBuckets = 2
	MaxChurnRiskBuckets = 50
)

// ChurnRiskHistogram counts buyers per equal-width churn-risk interval of [0, 1]: the
// same buyers as ChurnDistribution, each interval [Low, High) but the last, which holds 1.
func (s *Scorer) ChurnRiskHistogram(ctx context.Context, buckets int) ([]cdp.Bucket, error) {
	if buckets < MinChurnRiskBuckets || buckets > MaxChurnRiskBuckets {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "buckets", Message: fmt.Sprintf("must be between %d and %d, not %d", MinChurnRiskBuckets, MaxChurnRiskBuckets, buckets)}
	}
	// i/n rather than i*(1/n), so that edges print as 0.1, 0.3 and not 0.30000000000000004.
	bounds := make([]float64, buckets-1)
	for i := range bounds {
		bounds[i] = float64(i+1) / float64(buckets)
	}
	return cloneBuckets(cached(ctx, s, "churnRisk:"+strconv.Itoa(buckets), func(ctx context.Context) ([]cdp.Bucket, error) {
		b, err := s.Store.ChurnRiskDistribution(ctx, bounds)
		if len(b) > 0 {
			b[0].Low, b[len(b)-1].High = 0, 1
		}
		for i := range b {
			b[i].Label = bucketLabel(b[i].Low, b[i].High)
		}
		return b, err
	}))
}

func bucketLabel(lo, hi float64) string {
	switch {
	case math.IsInf(lo, -1):
		return fmt.Sprintf("< %g", hi)
	case math.IsInf(hi, 1):
		return fmt.Sprintf("≥ %g", lo)
	}
	return fmt.Sprintf("%g – %g", lo, hi)
}

// RunStats describe a scoring run.
type RunStats struct {
	Customers int
	ReadTime  time.Duration
	FitTime   time.Duration
	WriteTime time.Duration
}

// Run scores every customer as of asOf; a zero asOf means now, and then later
// incremental runs score as of their own time ("live"). The model is saved after the
// scores, so the latest model always describes a complete run.
func (s *Scorer) Run(ctx context.Context, asOf time.Time) (*cdp.ScoreModel, RunStats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var stats RunStats
	settings, err := s.Settings.withDefaults()
	if err != nil {
		return nil, stats, err
	}
	now := s.Now().UTC()
	live := asOf.IsZero()
	if live {
		asOf = now
	}
	if asOf.After(now) {
		return nil, stats, &cdp.Error{Code: cdp.EINVALID, Field: "asOf", Message: "is in the future"}
	}
	start := time.Now()
	q := cdp.ActivityQuery{AsOf: asOf, EventsSince: EventsSince(asOf, settings)}
	var pages [][]string
	for after := ""; ; {
		ids, err := s.Store.CustomerIDs(ctx, after, settings.PageSize)
		if err != nil {
			return nil, stats, err
		}
		if len(ids) == 0 {
			break
		}
		pages = append(pages, ids)
		after = ids[len(ids)-1]
	}
	read := make([][]cdp.CustomerActivity, len(pages))
	err = inParallel(ctx, len(pages), func(ctx context.Context, i int) error {
		var err error
		read[i], err = s.Store.ReadActivity(ctx, pages[i], q)
		return err
	})
	if err != nil {
		return nil, stats, err
	}
	var acts []cdp.CustomerActivity
	for _, page := range read {
		acts = append(acts, page...)
	}
	stats.ReadTime = time.Since(start)

	start = time.Now()
	res, err := Score(acts, asOf, now, settings)
	if err != nil {
		return nil, stats, err
	}
	res.Model.Live = live
	stats.FitTime = time.Since(start)

	start = time.Now()
	batches := (len(res.Metrics) + settings.PageSize - 1) / settings.PageSize
	err = inParallel(ctx, batches, func(ctx context.Context, i int) error {
		end := min((i+1)*settings.PageSize, len(res.Metrics))
		changes, err := s.Store.WriteMetrics(ctx, res.Metrics[i*settings.PageSize:end], true)
		s.bandsChanged(changes)
		return err
	})
	if err != nil {
		return nil, stats, err
	}
	if err := s.Store.SaveModel(ctx, res.Model); err != nil {
		return nil, stats, err
	}
	stats.WriteTime = time.Since(start)
	stats.Customers = len(res.Metrics)
	s.Log.Info("scored", "customers", stats.Customers, "buyers", res.Model.Buyers, "asOf", asOf.Format(time.DateOnly),
		"model", res.Model.Version, "read", stats.ReadTime.Round(time.Millisecond),
		"fit", stats.FitTime.Round(time.Millisecond), "write", stats.WriteTime.Round(time.Millisecond))
	return res.Model, stats, nil
}

// ScoreChanged scores the customers whose golden record changed or who received orders,
// events or feedback since the last run (full or incremental), with the latest full
// run's parameters. Before the first full run there is nothing to score with, and it
// returns 0.
func (s *Scorer) ScoreChanged(ctx context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	settings, err := s.Settings.withDefaults()
	if err != nil {
		return 0, err
	}
	m, err := s.Store.LatestModel(ctx)
	if err != nil || m == nil {
		return 0, err
	}
	since := m.ComputedAt
	if m.LastIncrementalAt != nil {
		since = *m.LastIncrementalAt
	}
	// Anything arriving from here on is the next run's: taking the time first loses nothing.
	start := s.Now().UTC()
	ids, err := s.Store.ChangedCustomerIDs(ctx, since)
	if err != nil {
		return 0, err
	}
	asOf := m.AsOf
	if m.Live {
		asOf = start
	}
	q := cdp.ActivityQuery{AsOf: asOf, EventsSince: asOf.Add(-60 * day)}
	for i := 0; i < len(ids); i += settings.PageSize {
		page := ids[i:min(i+settings.PageSize, len(ids))]
		acts, err := s.Store.ReadActivity(ctx, page, q)
		if err != nil {
			return 0, err
		}
		lastOrders, err := s.Store.LastOrderTimes(ctx, neighbourIDs(acts), asOf)
		if err != nil {
			return 0, err
		}
		metrics, err := ScoreWith(m, acts, asOf, start, lastOrders, settings)
		if err != nil {
			return 0, err
		}
		changes, err := s.Store.WriteMetrics(ctx, metrics, false)
		if err != nil {
			return 0, err
		}
		s.bandsChanged(changes)
	}
	if len(ids) == 0 {
		// Nothing new: the mark stays, so the model (and with it the cached aggregates'
		// version) is not rewritten every tick; the next tick looks from the same mark.
		return 0, nil
	}
	if err := s.Store.MarkIncremental(ctx, m.Version, start); err != nil {
		return 0, err
	}
	s.Log.Info("scored new activity", "customers", len(ids), "model", m.Version)
	return len(ids), nil
}

// Watch scores new activity every interval until ctx ends; errors are logged and the
// next tick tries again.
func (s *Scorer) Watch(ctx context.Context, interval time.Duration) {
	every.Tick(ctx, interval, s.Log, "incremental scoring", func(ctx context.Context) error {
		_, err := s.ScoreChanged(ctx)
		return err
	})
}

// BehaviourByCustomerIDs returns what each customer buys (spend by category) and where
// (orders by channel), converted to the reporting currency.
func (s *Scorer) BehaviourByCustomerIDs(ctx context.Context, ids []string) (map[string]*cdp.Behaviour, error) {
	settings, err := s.Settings.withDefaults()
	if err != nil {
		return nil, err
	}
	rows, err := s.Store.BehaviourByCustomerIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*cdp.Behaviour, len(rows))
	for id, rs := range rows {
		out[id] = behaviour(rs, &settings)
	}
	return out, nil
}

func behaviour(rows []cdp.BehaviourRow, s *Settings) *cdp.Behaviour {
	cats, chans := map[string]*cdp.Share{}, map[string]*cdp.Share{}
	for _, r := range rows {
		m := cats
		if r.Kind == "channel" {
			m = chans
		}
		sh := m[r.Name]
		if sh == nil {
			sh = &cdp.Share{Name: r.Name}
			m[r.Name] = sh
		}
		sh.Count += r.Count
		if rate, ok := s.Rates[strings.ToUpper(r.Currency)]; ok {
			sh.Value += r.Amount * rate
		}
	}
	return &cdp.Behaviour{Categories: shares(cats, false), Channels: shares(chans, true)}
}

// shares orders the parts largest first, by count or by value, and gives each its share.
func shares(m map[string]*cdp.Share, byCount bool) []cdp.Share {
	out := make([]cdp.Share, 0, len(m))
	total := 0.0
	for _, sh := range m {
		sh.Value = roundCents(sh.Value)
		out = append(out, *sh)
		if byCount {
			total += float64(sh.Count)
		} else {
			total += sh.Value
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Value, out[j].Value
		if byCount {
			a, b = float64(out[i].Count), float64(out[j].Count)
		}
		if a != b {
			return a > b
		}
		return out[i].Name < out[j].Name
	})
	for i := range out {
		v := out[i].Value
		if byCount {
			v = float64(out[i].Count)
		}
		if total > 0 {
			out[i].Share = v / total
		}
	}
	return out
}

func neighbourIDs(acts []cdp.CustomerActivity) []string {
	seen := map[string]bool{}
	var ids []string
	for _, a := range acts {
		for _, n := range a.Neighbours {
			if !seen[n] {
				seen[n] = true
				ids = append(ids, n)
			}
		}
	}
	return ids
}

// parallelism is how many pages are read or written at once: the database works on one
// while the client decodes or encodes the other. Writes touch disjoint customers.
const parallelism = 2

// inParallel runs f for 0..n-1, parallelism at a time, and returns the first error.
func inParallel(ctx context.Context, n int, f func(ctx context.Context, i int) error) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(parallelism)
	for i := range n {
		g.Go(func() error { return f(ctx, i) })
	}
	return g.Wait()
}

func (s *Scorer) bandsChanged(changes []cdp.ChurnBandChange) {
	if s.OnBandChange != nil && len(changes) > 0 {
		s.OnBandChange(changes)
	}
}

// Cohorts computes retention by first-purchase month for some customers (a segment's
// members) as of the latest run's date, or now before any run.
func (s *Scorer) Cohorts(ctx context.Context, ids []string) ([]cdp.Cohort, error) {
	settings, err := s.Settings.withDefaults()
	if err != nil {
		return nil, err
	}
	asOf := s.Now().UTC()
	if m, err := s.Store.LatestModel(ctx); err != nil {
		return nil, err
	} else if m != nil && !m.Live {
		asOf = m.AsOf
	}
	q := cdp.ActivityQuery{AsOf: asOf, EventsSince: asOf}
	var acts []cdp.CustomerActivity
	for i := 0; i < len(ids); i += settings.PageSize {
		page, err := s.Store.ReadActivity(ctx, ids[i:min(i+settings.PageSize, len(ids))], q)
		if err != nil {
			return nil, err
		}
		acts = append(acts, page...)
	}
	return newPopulation(acts, &settings).cohorts(asOf), nil
}
