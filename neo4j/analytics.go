package neo4j

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/segment"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// AnalyticsStore reads activity for the scoring job and stores the scores: the latest on
// the Customer node (so listings sort and filter on them and the 360 view needs no extra
// query) and a dated ScoreSnapshot per run for trends.
type AnalyticsStore struct {
	db *DB
	// Staleness bounds how late another process's writes show in cached aggregates
	// (AggregatesVersion); this process's own writes show at once.
	Staleness time.Duration
}

// NewAnalyticsStore returns the analytics store of db.
func NewAnalyticsStore(db *DB) *AnalyticsStore {
	return &AnalyticsStore{db: db, Staleness: DefaultAggregateStaleness}
}

// AggregatesVersion is a key that changes whenever an aggregate over all customers may
// have changed (see aggregates.go).
func (s *AnalyticsStore) AggregatesVersion(ctx context.Context) (string, error) {
	return s.db.AggregatesVersion(ctx, s.Staleness)
}

var _ cdp.AnalyticsStore = (*AnalyticsStore)(nil)

// notRevenue are order statuses that are not a purchase.
var notRevenue = []any{"cancelled", "returned", "refunded"}

// CustomerIDs pages through every customer in id order.
func (s *AnalyticsStore) CustomerIDs(ctx context.Context, after string, limit int) ([]string, error) {
	recs, err := s.db.read(ctx, `
MATCH (c:Customer) WHERE c.id > $after
RETURN c.id AS id ORDER BY id LIMIT $limit`, map[string]any{"after": after, "limit": int64(limit)})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.Values[0].(string)
	}
	return ids, nil
}

// ChangedCustomerIDs finds customers whose golden record changed, or who received orders,
// events or feedback, after since. Each branch starts from an ingestedAt/updatedAt index.
func (s *AnalyticsStore) ChangedCustomerIDs(ctx context.Context, since time.Time) ([]string, error) {
	recs, err := s.db.read(ctx, `
CALL () {
  MATCH (c:Customer) WHERE c.updatedAt > $since RETURN c.id AS id
  UNION
  MATCH (o:Order) WHERE o.ingestedAt > $since
  MATCH (o)-[:PLACED_BY]->()-[:RESOLVES_TO]->(c) RETURN c.id AS id
  UNION
  MATCH (e:Event) WHERE e.ingestedAt > $since
  MATCH (e)-[:BY]->()-[:RESOLVES_TO]->(c) RETURN c.id AS id
  UNION
  MATCH (f:Feedback) WHERE f.ingestedAt > $since
  MATCH (f)-[:GIVEN_BY]->()-[:RESOLVES_TO]->(c) RETURN c.id AS id
}
RETURN id ORDER BY id`, map[string]any{"since": since.UTC()})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.Values[0].(string)
	}
	return ids, nil
}

// ReadActivity returns the orders, recent events, feedback and social neighbours of the
// given customers, nothing after q.AsOf. Aggregating subqueries return one row per
// customer even when a customer has none of something.
func (s *AnalyticsStore) ReadActivity(ctx context.Context, ids []string, q cdp.ActivityQuery) ([]cdp.CustomerActivity, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:PLACED_BY]-(o)
  WHERE o.orderedAt <= $asOf AND NOT coalesce(o.status, '') IN $notRevenue
  RETURN collect([o.orderedAt, o.total, o.currency, o.channel]) AS orders
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:BY]-(e)
  WHERE e.occurredAt >= $eventsSince AND e.occurredAt <= $asOf
  RETURN collect(e.occurredAt) AS events
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:GIVEN_BY]-(f)
  WHERE f.createdAt <= $asOf
  RETURN collect([f.createdAt, f.kind, f.rating, f.status, f.sentiment]) AS feedback
}
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()-[:FOLLOWS|REFERRED|SHARED|MENTIONED]-()-[:RESOLVES_TO]->(n)
  WHERE n <> c
  RETURN collect(DISTINCT n.id) AS neighbours
}
RETURN c.id, c.createdAt, orders, events, feedback, neighbours`, map[string]any{
		"ids": toAny(ids), "asOf": q.AsOf.UTC(), "eventsSince": q.EventsSince.UTC(), "notRevenue": notRevenue,
	})
	if err != nil {
		return nil, err
	}
	out := make([]cdp.CustomerActivity, 0, len(recs))
	for _, r := range recs {
		a := cdp.CustomerActivity{CustomerID: r.Values[0].(string)}
		a.CreatedAt, _ = r.Values[1].(time.Time)
		for _, x := range r.Values[2].([]any) {
			o := x.([]any)
			at, _ := o[0].(time.Time)
			a.Orders = append(a.Orders, cdp.OrderFact{At: at, Amount: str(o[1]), Currency: str(o[2]), Channel: str(o[3])})
		}
		for _, x := range r.Values[3].([]any) {
			if t, ok := x.(time.Time); ok {
				a.Events = append(a.Events, t)
			}
		}
		for _, x := range r.Values[4].([]any) {
			f := x.([]any)
			at, _ := f[0].(time.Time)
			fact := cdp.FeedbackFact{At: at, Kind: str(f[1]), Open: str(f[3]) == "open"}
			if n, ok := f[2].(int64); ok {
				v := int(n)
				fact.Rating = &v
			}
			if v, ok := f[4].(float64); ok {
				fact.Sentiment = &v
			}
			a.Feedback = append(a.Feedback, fact)
		}
		a.Neighbours = toStrings(r.Values[5])
		out = append(out, a)
	}
	return out, nil
}

// LastOrderTimes returns each customer's latest purchase up to asOf; customers who never
// bought are absent.
func (s *AnalyticsStore) LastOrderTimes(ctx context.Context, ids []string, asOf time.Time) (map[string]time.Time, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
MATCH (c:Customer {id: id})<-[:RESOLVES_TO]-()<-[:PLACED_BY]-(o)
WHERE o.orderedAt <= $asOf AND NOT coalesce(o.status, '') IN $notRevenue
RETURN id, max(o.orderedAt)`, map[string]any{"ids": toAny(ids), "asOf": asOf.UTC(), "notRevenue": notRevenue})
	if err != nil {
		return nil, err
	}
	out := make(map[string]time.Time, len(recs))
	for _, r := range recs {
		if t, ok := r.Values[1].(time.Time); ok {
			out[r.Values[0].(string)] = t
		}
	}
	return out, nil
}

// SaveModel stores a scoring run. The whole report is one JSON property: it is read
// whole, and only version and computedAt are ever searched.
func (s *AnalyticsStore) SaveModel(ctx context.Context, m *cdp.ScoreModel) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("score model: %w", err)
	}
	return s.db.write(ctx, func(tx *tx) error {
		_, err := tx.run(`
MERGE (m:ScoreModel {version: $version})
SET m.report = $report, m.asOf = $asOf, m.computedAt = $computedAt`, map[string]any{
			"version": m.Version, "report": string(b), "asOf": m.AsOf.UTC(), "computedAt": m.ComputedAt.UTC(),
		})
		if err != nil {
			return err
		}
		return tx.bumpAggregates() // the latest model (and its cohorts) is one of them
	})
}

// LatestModel returns the most recent scoring run, or nil before the first.
func (s *AnalyticsStore) LatestModel(ctx context.Context) (*cdp.ScoreModel, error) {
	recs, err := s.db.read(ctx, `
MATCH (m:ScoreModel) WHERE m.computedAt IS NOT NULL
RETURN m.report ORDER BY m.computedAt DESC LIMIT 1`, nil)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	var m cdp.ScoreModel
	if err := json.Unmarshal([]byte(str(recs[0].Values[0])), &m); err != nil {
		return nil, fmt.Errorf("score model: %w", err)
	}
	return &m, nil
}

// MarkIncremental records when new activity was last scored with a model.
func (s *AnalyticsStore) MarkIncremental(ctx context.Context, version string, at time.Time) error {
	m, err := s.LatestModel(ctx)
	if err != nil || m == nil || m.Version != version {
		return err
	}
	at = at.UTC()
	m.LastIncrementalAt = &at
	return s.SaveModel(ctx, m)
}

// WriteMetrics sets the scores on the customers and, for a full run, adds a dated
// snapshot per customer. Customers that no longer exist (merged away meanwhile) are
// skipped by the MATCH. It returns the customers whose churn band changed.
func (s *AnalyticsStore) WriteMetrics(ctx context.Context, metrics []*cdp.Metrics, snapshot bool) ([]cdp.ChurnBandChange, error) {
	rows := make([]any, len(metrics))
	for i, m := range metrics {
		rows[i] = map[string]any{"id": m.CustomerID, "asOfKey": m.AsOf.UTC().Format("2006-01-02"), "props": metricsProps(m)}
	}
	var changes []cdp.ChurnBandChange
	err := s.db.write(ctx, func(tx *tx) error {
		changes = changes[:0]
		// A customer becoming or ceasing to be a detractor changes who is near one.
		flips, err := tx.run(`
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})
WHERE coalesce(c.sentimentAvg <= $threshold, false) <> coalesce(row.props.sentimentAvg <= $threshold, false)
RETURN count(c)`, map[string]any{"rows": rows, "threshold": segment.DetractorSentiment})
		if err != nil {
			return err
		}
		if err := markIf(tx, intProp(flips[0].Values[0]) > 0); err != nil {
			return err
		}
		recs, err := tx.run(`
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})
WITH c, row, c.churnBand AS before
SET c += row.props
WITH c, row, before
CALL (c, row) {
  WITH c, row WHERE $snapshot
  MERGE (s:ScoreSnapshot {key: row.id + '|' + row.asOfKey})
  SET s += row.props, s.customerId = row.id
  MERGE (c)-[:HAS_SCORE]->(s)
}
WITH c, before WHERE coalesce(before, '') <> coalesce(c.churnBand, '')
RETURN c.id, before, c.churnBand, c.scoredAt`, map[string]any{"rows": rows, "snapshot": snapshot})
		if err != nil {
			return err
		}
		for _, r := range recs {
			ch := cdp.ChurnBandChange{CustomerID: str(r.Values[0]), From: str(r.Values[1]), To: str(r.Values[2])}
			ch.At, _ = r.Values[3].(time.Time)
			changes = append(changes, ch)
		}
		return tx.bumpAggregates()
	})
	return changes, err
}

// metricsProps flattens metrics into node properties; nil scores become null, which
// removes a stale property.
func metricsProps(m *cdp.Metrics) map[string]any {
	p := map[string]any{
		"scoreAsOf": m.AsOf.UTC(), "scoredAt": m.ComputedAt.UTC(), "scoreModel": m.ModelVersion,
		"orderDays": int64(m.Orders), "revenue": m.Revenue,
		"firstOrderAt": timeOrNil(m.FirstOrderAt), "lastOrderAt": timeOrNil(m.LastOrderAt),
		"pAlive": floatOrNil(m.PAlive), "expectedPurchases90": floatOrNil(m.ExpectedPurchases90),
		"expectedSpend": floatOrNil(m.ExpectedSpend), "clv": floatOrNil(m.CLV),
		"churnRisk": floatOrNil(m.ChurnRisk), "churnBand": nullable(m.ChurnBand), "loyalty": floatOrNil(m.Loyalty),
		"meanIntervalDays": floatOrNil(m.Trend.MeanIntervalDays), "intervalSlope": floatOrNil(m.Trend.IntervalSlope),
		"eventsLast30": int64(m.Trend.EventsLast30), "eventsPrevious30": int64(m.Trend.EventsPrevious30),
		"engagementChange": m.Trend.EngagementChange, "negativeFeedback": int64(m.Trend.NegativeFeedback),
		"complaints": int64(m.Trend.Complaints), "openComplaints": int64(m.Trend.OpenComplaints),
		"lapsedNeighbours": m.Trend.LapsedNeighbours, "socialNeighbours": int64(m.Trend.SocialNeighbours),
		"sentimentAvg":   floatOrNil(m.Trend.SentimentAvg),
		"rfmRecencyDays": nil, "rfmFrequency": nil, "rfmMonetary": nil,
		"rfmR": nil, "rfmF": nil, "rfmM": nil, "rfmSegment": nil,
	}
	if r := m.RFM; r != nil {
		p["rfmRecencyDays"], p["rfmFrequency"], p["rfmMonetary"] = r.RecencyDays, int64(r.Frequency), r.Monetary
		p["rfmR"], p["rfmF"], p["rfmM"], p["rfmSegment"] = int64(r.R), int64(r.F), int64(r.M), r.Segment
	}
	return p
}

// metricsFromProps reads metrics back from a Customer or ScoreSnapshot; nil if unscored.
func metricsFromProps(id string, p map[string]any) *cdp.Metrics {
	asOf, ok := p["scoreAsOf"].(time.Time)
	if !ok {
		return nil
	}
	m := &cdp.Metrics{CustomerID: id, AsOf: asOf, ModelVersion: str(p["scoreModel"]), ChurnBand: str(p["churnBand"])}
	m.ComputedAt, _ = p["scoredAt"].(time.Time)
	m.Orders = intProp(p["orderDays"])
	m.Revenue, _ = p["revenue"].(float64)
	m.FirstOrderAt, m.LastOrderAt = timeProp(p["firstOrderAt"]), timeProp(p["lastOrderAt"])
	m.PAlive, m.ExpectedPurchases90 = floatProp(p["pAlive"]), floatProp(p["expectedPurchases90"])
	m.ExpectedSpend, m.CLV = floatProp(p["expectedSpend"]), floatProp(p["clv"])
	m.ChurnRisk, m.Loyalty = floatProp(p["churnRisk"]), floatProp(p["loyalty"])
	m.Trend = cdp.Trend{
		MeanIntervalDays: floatProp(p["meanIntervalDays"]), IntervalSlope: floatProp(p["intervalSlope"]),
		EventsLast30: intProp(p["eventsLast30"]), EventsPrevious30: intProp(p["eventsPrevious30"]),
		NegativeFeedback: intProp(p["negativeFeedback"]), Complaints: intProp(p["complaints"]),
		OpenComplaints: intProp(p["openComplaints"]), SocialNeighbours: intProp(p["socialNeighbours"]),
		SentimentAvg: floatProp(p["sentimentAvg"]),
	}
	m.Trend.EngagementChange, _ = p["engagementChange"].(float64)
	m.Trend.LapsedNeighbours, _ = p["lapsedNeighbours"].(float64)
	if seg, ok := p["rfmSegment"].(string); ok {
		m.RFM = &cdp.RFM{Segment: seg, Frequency: intProp(p["rfmFrequency"]),
			R: intProp(p["rfmR"]), F: intProp(p["rfmF"]), M: intProp(p["rfmM"])}
		m.RFM.RecencyDays, _ = p["rfmRecencyDays"].(float64)
		m.RFM.Monetary, _ = p["rfmMonetary"].(float64)
	}
	return m
}

// MetricsHistoryByCustomerIDs returns each customer's first dated snapshots, newest first.
func (s *AnalyticsStore) MetricsHistoryByCustomerIDs(ctx context.Context, ids []string, first int) (map[string][]*cdp.Metrics, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
CALL (id) {
  MATCH (:Customer {id: id})-[:HAS_SCORE]->(s)
  RETURN s ORDER BY s.scoreAsOf DESC, s.scoredAt DESC LIMIT $first
}
RETURN id, properties(s)`, map[string]any{"ids": toAny(ids), "first": int64(first)})
	if err != nil {
		return nil, err
	}
	out := map[string][]*cdp.Metrics{}
	for _, r := range recs {
		id := r.Values[0].(string)
		if m := metricsFromProps(id, r.Values[1].(map[string]any)); m != nil {
			out[id] = append(out[id], m)
		}
	}
	return out, nil
}

// BehaviourByCustomerIDs returns spend by category and orders by channel, per currency;
// the caller converts currencies. Rows: [id, "category"|"channel", name, currency, count, amount].
// Spend is revenue, the orders' totals, as everywhere: an order's total is spread over its
// lines in proportion to their value, so a discount or a tax lowers or raises each line's
// share and the categories add up to the same revenue as the channels.
func (s *AnalyticsStore) BehaviourByCustomerIDs(ctx context.Context, ids []string) (map[string][]cdp.BehaviourRow, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  MATCH (c)<-[:RESOLVES_TO]-()<-[:PLACED_BY]-(o)
  WHERE NOT coalesce(o.status, '') IN $notRevenue
  CALL (o) {
    MATCH (o)-[l:CONTAINS]->(p)
    WITH collect([coalesce(p.category, 'uncategorized'), toFloat(l.lineTotal)]) AS lines, sum(toFloat(l.lineTotal)) AS linesValue
    UNWIND lines AS line
    RETURN line[0] AS category, CASE WHEN linesValue > 0 THEN toFloat(o.total) * line[1] / linesValue ELSE 0.0 END AS paid
  }
  RETURN 'category' AS kind, category AS name, o.currency AS currency, count(DISTINCT o) AS n, sum(paid) AS amount
  UNION ALL
  MATCH (c)<-[:RESOLVES_TO]-()<-[:PLACED_BY]-(o)
  WHERE NOT coalesce(o.status, '') IN $notRevenue
  RETURN 'channel' AS kind, coalesce(o.channel, 'unknown') AS name, o.currency AS currency,
         count(o) AS n, sum(toFloat(o.total)) AS amount
}
RETURN id, kind, name, currency, n, amount`, map[string]any{"ids": toAny(ids), "notRevenue": notRevenue})
	if err != nil {
		return nil, err
	}
	out := map[string][]cdp.BehaviourRow{}
	for _, r := range recs {
		id := r.Values[0].(string)
		amount, _ := r.Values[5].(float64)
		out[id] = append(out[id], cdp.BehaviourRow{Kind: str(r.Values[1]), Name: str(r.Values[2]),
			Currency: str(r.Values[3]), Count: intProp(r.Values[4]), Amount: amount})
	}
	return out, nil
}

// Scores are written together (metricsProps): a customer with rfmR has rfmF, rfmSegment
// and revenue, one with a churn band has a churn risk and revenue, one with a CLV has
// revenue. The aggregates below say so, which lets each read all its values from one
// composite index instead of every customer node; they count the same customers.

// RFMGrid counts scored customers and their revenue per (R, F) cell, with each cell's
// most common segment.
func (s *AnalyticsStore) RFMGrid(ctx context.Context) ([]cdp.RFMCell, error) {
	recs, err := s.db.read(ctx, `
MATCH (c:Customer)
WHERE c.rfmR IS NOT NULL AND c.rfmF IS NOT NULL AND c.rfmSegment IS NOT NULL AND c.revenue IS NOT NULL
RETURN c.rfmR, c.rfmF, c.rfmSegment, count(*), sum(c.revenue)`, nil)
	if err != nil {
		return nil, err
	}
	type cell struct{ r, f int }
	cells := map[cell]*cdp.RFMCell{}
	best := map[cell]int{}
	for _, rec := range recs {
		k := cell{intProp(rec.Values[0]), intProp(rec.Values[1])}
		c := cells[k]
		if c == nil {
			c = &cdp.RFMCell{R: k.r, F: k.f}
			cells[k] = c
		}
		n := intProp(rec.Values[3])
		rev, _ := rec.Values[4].(float64)
		c.Customers += n
		c.Revenue += rev
		if seg := str(rec.Values[2]); n > best[k] || (n == best[k] && seg < c.Segment) {
			best[k], c.Segment = n, seg
		}
	}
	out := make([]cdp.RFMCell, 0, len(cells))
	for _, c := range cells {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].R != out[j].R {
			return out[i].R > out[j].R
		}
		return out[i].F > out[j].F
	})
	return out, nil
}

// ChurnDistribution counts scored buyers per churn band, with their revenue and CLV.
func (s *AnalyticsStore) ChurnDistribution(ctx context.Context) ([]cdp.Bucket, error) {
	recs, err := s.db.read(ctx, `
MATCH (c:Customer) WHERE c.churnBand IS NOT NULL AND c.churnRisk IS NOT NULL AND c.revenue IS NOT NULL
RETURN c.churnBand, count(*), sum(c.revenue), min(c.churnRisk), max(c.churnRisk)`, nil)
	if err != nil {
		return nil, err
	}
	out := make([]cdp.Bucket, 0, len(recs))
	for _, r := range recs {
		b := cdp.Bucket{Label: str(r.Values[0]), Customers: intProp(r.Values[1])}
		b.Revenue, _ = r.Values[2].(float64)
		b.Low, _ = r.Values[3].(float64)
		b.High, _ = r.Values[4].(float64)
		out = append(out, b)
	}
	return out, nil
}

// CLVDistribution counts scored buyers per CLV bucket; bounds are the buckets' lower
// edges after the first (which starts at -Inf... in practice 0).
func (s *AnalyticsStore) CLVDistribution(ctx context.Context, bounds []float64) ([]cdp.Bucket, error) {
	recs, err := s.db.read(ctx, `
MATCH (c:Customer) WHERE c.clv IS NOT NULL AND c.revenue IS NOT NULL
WITH c, size([b IN $bounds WHERE b <= c.clv]) AS bucket
RETURN bucket, count(*), sum(c.revenue) ORDER BY bucket`, map[string]any{"bounds": toAny(bounds)})
	if err != nil {
		return nil, err
	}
	return countedBuckets(bounds, recs), nil
}

// ChurnRiskDistribution counts the buyers ChurnDistribution counts per churn-risk
// interval, with their revenue; bounds are the inner edges, ascending. The first bucket
// is open below and the last above: the caller names their edges.
func (s *AnalyticsStore) ChurnRiskDistribution(ctx context.Context, bounds []float64) ([]cdp.Bucket, error) {
	recs, err := s.db.read(ctx, `
MATCH (c:Customer) WHERE c.churnBand IS NOT NULL AND c.churnRisk IS NOT NULL AND c.revenue IS NOT NULL
WITH c, size([b IN $bounds WHERE b <= c.churnRisk]) AS bucket
RETURN bucket, count(*), sum(c.revenue) ORDER BY bucket`, map[string]any{"bounds": toAny(bounds)})
	if err != nil {
		return nil, err
	}
	return countedBuckets(bounds, recs), nil
}

// countedBuckets makes the buckets of bounds (inner edges) and fills them from rows of
// [bucket index, count, revenue].
func countedBuckets(bounds []float64, recs []*neo4j.Record) []cdp.Bucket {
	out := make([]cdp.Bucket, len(bounds)+1)
	for i := range out {
		out[i].Low, out[i].High = math.Inf(-1), math.Inf(1)
		if i > 0 {
			out[i].Low = bounds[i-1]
		}
		if i < len(bounds) {
			out[i].High = bounds[i]
		}
	}
	for _, r := range recs {
		i := intProp(r.Values[0])
		out[i].Customers = intProp(r.Values[1])
		out[i].Revenue, _ = r.Values[2].(float64)
	}
	return out
}

func floatOrNil(f *float64) any {
	if f == nil || math.IsNaN(*f) || math.IsInf(*f, 0) {
		return nil
	}
	return *f
}

func floatProp(v any) *float64 {
	if f, ok := v.(float64); ok {
		return &f
	}
	return nil
}

func intProp(v any) int {
	n, _ := v.(int64)
	return int(n)
}

func timeProp(v any) *time.Time {
	if t, ok := v.(time.Time); ok {
		return &t
	}
	return nil
}
