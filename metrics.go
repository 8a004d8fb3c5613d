package cdpgraph

import (
	"context"
	"time"
)

// Metrics are a customer's loyalty and churn scores as of a date, written by the scoring
// job (analytics.Scorer). Pointer fields are nil when the customer has no purchase to
// score: a prospect has no recency, lifetime value or churn risk.
type Metrics struct {
	CustomerID   string
	AsOf         time.Time // the date the scores describe
	ComputedAt   time.Time
	ModelVersion string // the ScoreModel whose parameters produced them

	Orders       int     // purchase days up to AsOf (several orders on one day count once)
	Revenue      float64 // total spend, in the reporting currency
	FirstOrderAt *time.Time
	LastOrderAt  *time.Time

	RFM                 *RFM
	PAlive              *float64 // BG/NBD probability that the customer is still active
	ExpectedPurchases90 *float64 // BG/NBD expected purchases in the next 90 days
	ExpectedSpend       *float64 // Gamma-Gamma expected value of a purchase
	CLV                 *float64 // discounted value over the model's horizon
	ChurnRisk           *float64 // probability of no purchase in the churn horizon
	ChurnBand           string   // low, medium, high, critical; empty without a purchase
	Loyalty             *float64 // 0–100
	Trend               Trend
}

// RFM is a customer's recency, frequency and monetary value with their quintile scores.
type RFM struct {
	RecencyDays float64
	Frequency   int
	Monetary    float64
	R, F, M     int // 1–5, 5 best
	Segment     string
}

// Trend describes how a customer's behaviour is changing as of the metrics' date.
type Trend struct {
	MeanIntervalDays *float64 // mean gap between purchase days; nil with fewer than two
	IntervalSlope    *float64 // days added to each successive gap; > 0 means slowing down
	EventsLast30     int
	EventsPrevious30 int
	EngagementChange float64 // smoothed ratio of the two windows; 1 means steady
	NegativeFeedback int     // low ratings and negative texts in the last 180 days
	Complaints       int     // complaints in the last 180 days
	OpenComplaints   int     // complaints and tickets not yet resolved
	LapsedNeighbours float64 // share of social neighbours who have stopped buying
	SocialNeighbours int
	SentimentAvg     *float64 // mean sentiment of feedback texts in the last 365 days
}

// Behaviour is what a customer buys and where, read live rather than scored.
type Behaviour struct {
	Categories []Share // by spend, largest first
	Channels   []Share // by orders, largest first
}

// BehaviourRow is one category's spend or one channel's orders in one currency, as the
// store aggregates them before currencies are converted.
type BehaviourRow struct {
	Kind     string // "category" or "channel"
	Name     string
	Currency string
	Count    int
	Amount   float64
}

// Share is one part of a whole: a category's spend or a channel's orders.
type Share struct {
	Name  string
	Count int
	Value float64
	Share float64 // of the total, 0–1
}

// ScoreModel is one scoring run: the fitted parameters every score of that run came
// from, and how good they were. It is stored so scores can be explained and new activity
// scored with the same parameters before the next full run.
type ScoreModel struct {
	Version    string
	AsOf       time.Time
	ComputedAt time.Time
	Currency   string
	Customers  int // scored
	Buyers     int // with at least one purchase
	// UnconvertedOrders were left out of monetary figures: no exchange rate for their currency.
	UnconvertedOrders int
	Notes             []string // what could not be fitted, and why

	BGNBD      *ModelFit
	GammaGamma *ModelFit
	Churn      *ChurnFit
	RFM        RFMCuts
	Cohorts    []Cohort

	// Settings the run used.
	HorizonDays       int     // CLV horizon
	AnnualDiscount    float64 // CLV discount rate per year
	ChurnHorizonDays  int     // "churned" means no purchase within this many days
	ChurnBandCutoffs  [3]float64
	SegmentMapJSON    string
	ChurnModelJSON    string // the trained classifier, to score new activity
	LastIncrementalAt *time.Time
	// Live runs were "as of now": incremental runs after them score as of their own
	// time. A run as of a fixed date keeps that date.
	Live bool
}

// ModelFit is a maximum-likelihood fit: parameters with standard errors.
type ModelFit struct {
	Name          string
	Parameters    []Parameter
	LogLikelihood float64
	Customers     int
}

// Parameter is one estimated parameter.
type Parameter struct {
	Name     string
	Value    float64
	StdError float64
}

// ChurnFit reports the churn classifier: its coefficients and how well it ranked a
// later period it was not trained on.
type ChurnFit struct {
	TrainCutoff    time.Time // features as of this date, labels from the horizon after it
	TestCutoff     time.Time
	TrainCustomers int
	TestCustomers  int
	TrainChurnRate float64
	TestChurnRate  float64
	AUC            float64     // of the classifier on the test period
	BaselineAUC    float64     // of the BG/NBD probability of no purchase alone, same customers
	Coefficients   []Parameter // per standardized feature (StdError unused)
	Features       []string
	Method         string // "logistic regression", or the BG/NBD probability of no purchase without enough history
	Note           string // why the classifier was not used
}

// Value returns the named parameter's estimate (0 if absent).
func (f *ModelFit) Value(name string) float64 {
	for _, p := range f.Parameters {
		if p.Name == name {
			return p.Value
		}
	}
	return 0
}

// RFMCuts are the lowest value of each quintile score (index 0 is score 1) so a single
// customer can be scored between full runs. Recency cuts are on "days since", where lower
// is better, so they hold the highest value of each score.
type RFMCuts struct {
	Recency   []float64
	Frequency []float64
	Monetary  []float64
}

// Score places one customer on the stored cut points.
func (c RFMCuts) Score(recencyDays, frequency, monetary float64) (r, f, m int) {
	r, f, m = 1, 1, 1
	for q := 2; q <= 5; q++ {
		if q <= len(c.Recency) && recencyDays <= c.Recency[q-1] {
			r = q
		}
		if q <= len(c.Frequency) && frequency >= c.Frequency[q-1] {
			f = q
		}
		if q <= len(c.Monetary) && monetary >= c.Monetary[q-1] {
			m = q
		}
	}
	return r, f, m
}

// Cohort is the retention of customers by the month of their first purchase.
type Cohort struct {
	Month     string // YYYY-MM
	Customers int
	Revenue   float64
	Retained  []float64 // share buying in month 0, 1, 2... after the first
}

// RFMCell is one cell of the RFM grid: customers with these recency and frequency scores.
type RFMCell struct {
	R, F      int
	Customers int
	Revenue   float64
	Segment   string // of the cell's most common segment
}

// Bucket is one bar of a distribution.
type Bucket struct {
	Label     string
	Low, High float64 // [Low, High); High is +Inf for the last bucket
	Customers int
	Revenue   float64
}

// CustomerActivity is what the scoring job reads about a customer, everything up to the
// scoring date.
type CustomerActivity struct {
	CustomerID string
	CreatedAt  time.Time
	Orders     []OrderFact
	Events     []time.Time // behaviour events in the engagement windows
	Feedback   []FeedbackFact
	Neighbours []string // customers tied socially, either direction
}

// OrderFact is the part of an order scoring needs. Cancelled, returned and refunded
// orders are not read.
type OrderFact struct {
	At       time.Time
	Amount   string // exact decimal
	Currency string
	Channel  string
}

// FeedbackFact is the part of a feedback item scoring needs.
type FeedbackFact struct {
	At        time.Time
	Kind      string
	Rating    *int
	Open      bool
	Sentiment *float64
}

// ActivityQuery bounds what ReadActivity returns.
type ActivityQuery struct {
	AsOf        time.Time // nothing after this
	EventsSince time.Time // events only from here on (they are many)
}

// AnalyticsStore reads activity for scoring and stores and serves the scores.
type AnalyticsStore interface {
	// CustomerIDs returns up to limit customer ids greater than after, in id order.
	CustomerIDs(ctx context.Context, after string, limit int) ([]string, error)
	// ChangedCustomerIDs returns customers updated, or whose orders, events or feedback
	// arrived, after since.
	ChangedCustomerIDs(ctx context.Context, since time.Time) ([]string, error)
	ReadActivity(ctx context.Context, ids []string, q ActivityQuery) ([]CustomerActivity, error)
	LastOrderTimes(ctx context.Context, ids []string, asOf time.Time) (map[string]time.Time, error)

	SaveModel(ctx context.Context, m *ScoreModel) error
	LatestModel(ctx context.Context) (*ScoreModel, error)
	MarkIncremental(ctx context.Context, version string, at time.Time) error
	// WriteMetrics stores scores and returns the customers whose churn band changed.
	WriteMetrics(ctx context.Context, metrics []*Metrics, snapshot bool) ([]ChurnBandChange, error)

	// MetricsHistoryByCustomerIDs returns each customer's first snapshots, newest first.
	MetricsHistoryByCustomerIDs(ctx context.Context, ids []string, first int) (map[string][]*Metrics, error)
	BehaviourByCustomerIDs(ctx context.Context, ids []string) (map[string][]BehaviourRow, error)

	RFMGrid(ctx context.Context) ([]RFMCell, error)
	ChurnDistribution(ctx context.Context) ([]Bucket, error)
	CLVDistribution(ctx context.Context, bounds []float64) ([]Bucket, error)
	// ChurnRiskDistribution counts the buyers ChurnDistribution counts per churn-risk
	// interval; bounds are the inner edges, ascending, within (0, 1).
	ChurnRiskDistribution(ctx context.Context, bounds []float64) ([]Bucket, error)
}

// AnalyticsService is what the API asks of scoring: runs, the latest model, per-customer
// history and behaviour, and the analysts' aggregates.
type AnalyticsService interface {
	// RunScoring scores everyone as of the end of a day (YYYY-MM-DD in the configured
	// time zone), or now when the date is empty.
	RunScoring(ctx context.Context, asOfDate string) (*ScoreModel, error)
	LatestModel(ctx context.Context) (*ScoreModel, error)
	// MetricsHistoryByCustomerIDs returns each customer's first snapshots, newest first.
	MetricsHistoryByCustomerIDs(ctx context.Context, ids []string, first int) (map[string][]*Metrics, error)
	BehaviourByCustomerIDs(ctx context.Context, ids []string) (map[string]*Behaviour, error)
	RFMGrid(ctx context.Context) ([]RFMCell, error)
	ChurnDistribution(ctx context.Context) ([]Bucket, error)
	CLVDistribution(ctx context.Context, bounds []float64) ([]Bucket, error)
	// ChurnRiskHistogram counts scored buyers per equal-width churn-risk interval of [0, 1].
	ChurnRiskHistogram(ctx context.Context, buckets int) ([]Bucket, error)
	// Cohorts is retention by first-purchase month for the given customers.
	Cohorts(ctx context.Context, ids []string) ([]Cohort, error)
}
