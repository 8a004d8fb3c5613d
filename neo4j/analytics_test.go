package neo4j_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"reflect"
	"strconv"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/analytics"
	"github.com/cdpgraph/cdpgraph/analytics/simulate"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
	"github.com/cdpgraph/cdpgraph/neo4j"
	"github.com/cdpgraph/cdpgraph/privacy"
)

var scoreAsOf = time.Date(2026, 6, 30, 23, 59, 59, 0, time.UTC)

// loadCompany writes a simulated company of n customers through the ingest store and
// returns each source id's customer id.
func loadCompany(t *testing.T, db *neo4j.DB, n int) (*neo4j.IngestStore, map[string]string) {
	t.Helper()
	ctx := context.Background()
	store := neo4j.NewIngestStore(db, identity.DefaultRules())
	recs := simulate.AsRecords("sim", simulate.Company(n, 11, scoreAsOf))
	must := func(_ cdp.WriteStats, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(store.WriteCustomers(ctx, recs.Customers))
	must(store.WriteOrders(ctx, recs.Orders))
	must(store.WriteEvents(ctx, recs.Events))
	must(store.WriteFeedback(ctx, recs.Feedback))
	must(store.WriteSocialTies(ctx, recs.Ties))
	ids := map[string]string{}
	for _, c := range recs.Customers {
		ids[c.SourceID] = customerOf(t, db, "sim", c.SourceID)
	}
	return store, ids
}

func TestScoringRunWritesScoresAndServesAnalytics(t *testing.T) {
	db := neo4jtest.DB(t)
	ctx := context.Background()
	store, ids := loadCompany(t, db, 300)
	scorer := analytics.NewScorer(neo4j.NewAnalyticsStore(db), analytics.Settings{PageSize: 250}, quietLog())

	m, stats, err := scorer.Run(ctx, scoreAsOf)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Customers != 300 || m.Customers != 300 || m.Buyers != 270 {
		t.Fatalf("scored %d customers, model %d customers %d buyers; want 300, 300, 270", stats.Customers, m.Customers, m.Buyers)
	}
	if m.BGNBD == nil || m.GammaGamma == nil || m.Churn == nil {
		t.Fatalf("model incomplete: %+v", m)
	}
	latest, err := scorer.LatestModel(ctx)
	if err != nil || latest == nil || latest.Version != m.Version || latest.BGNBD.Value("r") != m.BGNBD.Value("r") {
		t.Fatalf("latest model %v, %v; want %s", latest, err, m.Version)
	}

	// The scores are on the customers: a buyer has every score, a prospect none.
	customers := neo4j.NewCustomerStore(db)
	got, err := customers.CustomersByIDs(ctx, []string{ids["cus_0000001"], ids["cus_0000010"]})
	if err != nil {
		t.Fatal(err)
	}
	buyer, prospect := got[ids["cus_0000001"]].Metrics, got[ids["cus_0000010"]].Metrics
	if buyer == nil || buyer.RFM == nil || buyer.PAlive == nil || buyer.CLV == nil || buyer.ChurnRisk == nil ||
		buyer.ChurnBand == "" || buyer.Loyalty == nil || buyer.ModelVersion != m.Version || !buyer.AsOf.Equal(scoreAsOf) {
		t.Fatalf("buyer's metrics incomplete: %+v", buyer)
	}
	if prospect == nil || prospect.RFM != nil || prospect.CLV != nil || prospect.Orders != 0 {
		t.Fatalf("prospect's metrics: %+v", prospect)
	}

	// Aggregates count every buyer once.
	grid, err := scorer.RFMGrid(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := sumCells(grid); n != 270 {
		t.Errorf("RFM grid counts %d buyers, want 270", n)
	}
	bands, err := scorer.ChurnDistribution(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := sumBuckets(bands); n != 270 || bands[0].Label != "low" && bands[0].Label != "medium" {
		t.Errorf("churn bands %+v", bands)
	}
	clvs, err := scorer.CLVDistribution(ctx, []float64{100, 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(clvs) != 3 || sumBuckets(clvs) != 270 || clvs[1].Low != 100 || clvs[1].High != 1000 {
		t.Errorf("CLV buckets %+v", clvs)
	}
	if _, err := scorer.CLVDistribution(ctx, []float64{5, 1}); err == nil {
		t.Error("descending bounds accepted")
	}

	// Listings sort and filter on the scores.
	page, err := customers.FindCustomers(ctx, cdp.CustomerFilter{ChurnBands: []string{"critical", "high"}},
		cdp.CustomerOrder{Field: cdp.CustomerOrderCLV, Desc: true}, cdp.PageArgs{First: 20})
	if err != nil {
		t.Fatal(err)
	}
	if page.TotalCount == 0 || page.TotalCount >= 270 {
		t.Fatalf("%d high or critical risk customers of 270", page.TotalCount)
	}
	for i, c := range page.Items {
		if b := c.Metrics.ChurnBand; b != "high" && b != "critical" {
			t.Errorf("filtered on high and critical, got %s", b)
		}
		if i > 0 && *c.Metrics.CLV > *page.Items[i-1].Metrics.CLV {
			t.Errorf("not sorted by CLV descending at %d", i)
		}
	}
	next, err := customers.FindCustomers(ctx, cdp.CustomerFilter{ChurnBands: []string{"critical", "high"}},
		cdp.CustomerOrder{Field: cdp.CustomerOrderCLV, Desc: true}, cdp.PageArgs{First: 20, After: page.Cursors[len(page.Cursors)-1]})
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Items) > 0 && *next.Items[0].Metrics.CLV > *page.Items[len(page.Items)-1].Metrics.CLV {
		t.Error("second page starts above the first page's end")
	}

	// A second run on the same date replaces that date's snapshot rather than adding one.
	if _, _, err := scorer.Run(ctx, scoreAsOf); err != nil {
		t.Fatal(err)
	}
	hist, err := scorer.MetricsHistoryByCustomerIDs(ctx, []string{ids["cus_0000001"]}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist[ids["cus_0000001"]]) != 1 {
		t.Errorf("%d snapshots after two runs as of one date, want 1", len(hist[ids["cus_0000001"]]))
	}

	// New activity is scored incrementally with the run's parameters; nothing else is.
	before := buyer.Orders
	if _, err := store.WriteOrders(ctx, []cdp.Order{{Source: "sim", SourceID: "late-1", CustomerSourceID: "cus_0000001",
		OrderedAt: scoreAsOf.Add(-time.Hour), Total: cdp.Money{Amount: "88.00", Minor: 8800, Currency: "CNY"}, Status: "completed"}}); err != nil {
		t.Fatal(err)
	}
	n, err := scorer.ScoreChanged(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("rescored %d customers after one new order, want 1", n)
	}
	got, err = customers.CustomersByIDs(ctx, []string{ids["cus_0000001"]})
	if err != nil {
		t.Fatal(err)
	}
	if after := got[ids["cus_0000001"]].Metrics; after.Orders < before || after.Orders > before+1 || after.RFM.RecencyDays > 1 {
		t.Errorf("after a new order: %d purchase days (was %d), recency %.1f days", after.Orders, before, after.RFM.RecencyDays)
	}
	if n, err := scorer.ScoreChanged(ctx); err != nil || n != 0 {
		t.Errorf("second incremental run rescored %d (%v), want 0", n, err)
	}
}

func TestReadActivityLeavesOutWhatIsNotRevenueOrAfterTheDate(t *testing.T) {
	db := neo4jtest.DB(t)
	ctx := context.Background()
	store := neo4j.NewIngestStore(db, identity.DefaultRules())
	if _, err := store.WriteCustomers(ctx, []cdp.SourceRecord{rec("shop", "a", cdp.Profile{FullName: "A"}, email("a@x.example"))}); err != nil {
		t.Fatal(err)
	}
	order := func(id, status string, at time.Time) cdp.Order {
		return cdp.Order{Source: "shop", SourceID: id, CustomerSourceID: "a", OrderedAt: at, Status: status,
			Total: cdp.Money{Amount: "10.00", Minor: 1000, Currency: "CNY"}}
	}
	if _, err := store.WriteOrders(ctx, []cdp.Order{
		order("1", "completed", scoreAsOf.AddDate(0, -1, 0)),
		order("2", "cancelled", scoreAsOf.AddDate(0, -1, 0)),
		order("3", "refunded", scoreAsOf.AddDate(0, -2, 0)),
		order("4", "completed", scoreAsOf.AddDate(0, 1, 0)), // after the date
		order("5", "", scoreAsOf.AddDate(0, -3, 0)),
	}); err != nil {
		t.Fatal(err)
	}
	id := customerOf(t, db, "shop", "a")
	acts, err := neo4j.NewAnalyticsStore(db).ReadActivity(ctx, []string{id, "cus_missing"}, cdp.ActivityQuery{AsOf: scoreAsOf, EventsSince: scoreAsOf.AddDate(-1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) != 1 || len(acts[0].Orders) != 2 {
		t.Fatalf("activity %+v; want one customer with orders 1 and 5", acts)
	}
}

func sumCells(cells []cdp.RFMCell) int {
	n := 0
	for _, c := range cells {
		n += c.Customers
	}
	return n
}

func sumBuckets(bs []cdp.Bucket) int {
	n := 0
	for _, b := range bs {
		n += b.Customers
	}
	return n
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// uncached hides the store's version, so a Scorer over it recomputes every answer.
type uncached struct{ cdp.AnalyticsStore }

// aggregates is every answer over all customers the API serves.
type aggregates struct {
	Grid          []cdp.RFMCell
	Bands, CLV    []cdp.Bucket
	Model         string
	Cohorts       []cdp.Cohort
	LastIncrement *time.Time
}

func readAggregates(t *testing.T, s *analytics.Scorer) aggregates {
	t.Helper()
	ctx := context.Background()
	var a aggregates
	var err error
	if a.Grid, err = s.RFMGrid(ctx); err != nil {
		t.Fatal(err)
	}
	if a.Bands, err = s.ChurnDistribution(ctx); err != nil {
		t.Fatal(err)
	}
	if a.CLV, err = s.CLVDistribution(ctx, nil); err != nil {
		t.Fatal(err)
	}
	m, err := s.LatestModel(ctx)
	if err != nil || m == nil {
		t.Fatalf("latest model %v %v", m, err)
	}
	a.Model, a.Cohorts, a.LastIncrement = m.Version, m.Cohorts, m.LastIncrementalAt
	// Sums are added in index order, which a recomputation may not repeat to the last bit.
	for i := range a.Grid {
		a.Grid[i].Revenue = math.Round(a.Grid[i].Revenue*100) / 100
	}
	for _, b := range [][]cdp.Bucket{a.Bands, a.CLV} {
		for i := range b {
			b[i].Revenue = math.Round(b[i].Revenue*100) / 100
		}
	}
	return a
}

// The cached aggregates equal a fresh recomputation after every write that changes them
// (rescoring, incremental or full, and a merge of scored customers) and after one that
// does not (an erasure keeps scores); repeated reads cost no statement; another process's
// writes show once the staleness has passed.
func TestCachedAggregatesFollowWrites(t *testing.T) {
	db := neo4jtest.DB(t)
	ctx := context.Background()
	ingest, ids := loadCompany(t, db, 300)
	store := neo4j.NewAnalyticsStore(db)
	store.Staleness = time.Hour // only this process's writes: another process comes last
	scorer := analytics.NewScorer(store, analytics.Settings{PageSize: 250}, quietLog())
	fresh := analytics.NewScorer(uncached{store}, analytics.Settings{PageSize: 250}, quietLog())
	if _, _, err := scorer.Run(ctx, scoreAsOf); err != nil {
		t.Fatal(err)
	}
	same := func(what string) aggregates {
		t.Helper()
		got, want := readAggregates(t, scorer), readAggregates(t, fresh)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: cached\n%+v\nrecomputed\n%+v", what, got, want)
		}
		return got
	}
	first := same("after the first run")
	before := db.QueryCount()
	readAggregates(t, scorer)
	if n := db.QueryCount() - before; n != 0 {
		t.Errorf("reading the cached aggregates again took %d statements, want 0", n)
	}
	// A scoring tick that finds no new activity writes nothing, so the cache stays.
	if n, err := scorer.ScoreChanged(ctx); err != nil || n != 0 {
		t.Fatalf("idle tick rescored %d (%v)", n, err)
	}
	before = db.QueryCount()
	readAggregates(t, scorer)
	if n := db.QueryCount() - before; n != 0 {
		t.Errorf("after an idle scoring tick the aggregates took %d statements, want 0 (the tick rewrote the model)", n)
	}

	// An order rescored incrementally moves a buyer's revenue.
	if _, err := ingest.WriteOrders(ctx, []cdp.Order{{Source: "sim", SourceID: "late-1", CustomerSourceID: "cus_0000001",
		OrderedAt: scoreAsOf.Add(-time.Hour), Total: cdp.Money{Amount: "5000.00", Minor: 500000, Currency: "CNY"}, Status: "completed"}}); err != nil {
		t.Fatal(err)
	}
	if n, err := scorer.ScoreChanged(ctx); err != nil || n != 1 {
		t.Fatalf("incremental run rescored %d (%v)", n, err)
	}
	if got := same("after an incremental run"); reflect.DeepEqual(got.Bands, first.Bands) || got.LastIncrement == nil {
		t.Errorf("the incremental run changed nothing: %+v", got.Bands)
	}
	if _, _, err := scorer.Run(ctx, scoreAsOf.AddDate(0, 0, -30)); err != nil {
		t.Fatal(err)
	}
	same("after a full run as of another date")

	// Two scored buyers merge: one of them leaves every aggregate.
	recs := simulate.AsRecords("sim", simulate.Company(300, 11, scoreAsOf))
	var link []cdp.Identifier
	for _, c := range recs.Customers {
		if (c.SourceID == "cus_0000001" || c.SourceID == "cus_0000002") && len(c.Identifiers) > 0 {
			link = append(link, c.Identifiers[0])
		}
	}
	if len(link) != 2 {
		t.Fatalf("identifiers to link: %v", link)
	}
	if _, err := ingest.WriteCustomers(ctx, []cdp.SourceRecord{rec("pos", "link", cdp.Profile{}, link...)}); err != nil {
		t.Fatal(err)
	}
	if customerOf(t, db, "sim", "cus_0000001") != customerOf(t, db, "sim", "cus_0000002") {
		t.Fatal("the two buyers did not merge")
	}
	if got := same("after a merge"); sumBuckets(got.Bands) != sumBuckets(first.Bands)-1 {
		t.Errorf("after the merge %d customers have a band, want %d", sumBuckets(got.Bands), sumBuckets(first.Bands)-1)
	}

	// An erasure keeps the scores (analytics still add up).
	erased := ids["cus_0000003"]
	if _, err := privacy.NewService(neo4j.NewCustomerStore(db), neo4j.NewErasureStore(db)).Erase(ctx, erased); err != nil {
		t.Fatal(err)
	}
	same("after an erasure")

	// Another process rescores: this one shows it once its version is stale.
	other, err := neo4j.Open(ctx, neo4j.Config{URI: neo4jtest.URI()}, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	shown := readAggregates(t, scorer)
	if _, _, err := analytics.NewScorer(neo4j.NewAnalyticsStore(other), analytics.Settings{PageSize: 250}, quietLog()).Run(ctx, scoreAsOf); err != nil {
		t.Fatal(err)
	}
	if got := readAggregates(t, scorer); !reflect.DeepEqual(got, shown) {
		t.Errorf("within the staleness the cache answered %+v, want what it showed before", got)
	}
	later := time.Now().Add(2 * time.Hour)
	db.Now = func() time.Time { return later }
	same("after another process's run, once stale")
}

// Category spend is revenue: an order's total (what was paid) spread over its lines, so a
// discounted order's categories add up to its total, as its channel does and as RFM and CLV
// (ReadActivity) read it.
func TestCategorySpendAddsUpToTheOrderTotals(t *testing.T) {
	db := neo4jtest.DB(t)
	ctx := context.Background()
	store := neo4j.NewIngestStore(db, identity.DefaultRules())
	if _, err := store.WriteCustomers(ctx, []cdp.SourceRecord{rec("shop", "a", cdp.Profile{FullName: "A"}, email("a@x.example"))}); err != nil {
		t.Fatal(err)
	}
	cny := func(minor int64) cdp.Money {
		return cdp.Money{Amount: fmt.Sprintf("%d.%02d", minor/100, minor%100), Minor: minor, Currency: "CNY"}
	}
	line := func(sku, category string, minor int64) cdp.OrderItem {
		return cdp.OrderItem{Product: cdp.Product{SKU: sku, Category: category}, Quantity: 1, UnitPrice: cny(minor), LineTotal: cny(minor)}
	}
	at := scoreAsOf.AddDate(0, -1, 0)
	if _, err := store.WriteOrders(ctx, []cdp.Order{
		// 100.00 of lines, 90.00 paid: tea gets 54.00, cups 36.00.
		{Source: "shop", SourceID: "1", CustomerSourceID: "a", OrderedAt: at, Status: "completed", Channel: "web", Total: cny(9000),
			Items: []cdp.OrderItem{line("T", "tea", 6000), line("C", "cups", 4000)}},
		{Source: "shop", SourceID: "2", CustomerSourceID: "a", OrderedAt: at, Status: "completed", Channel: "web", Total: cny(5000),
			Items: []cdp.OrderItem{line("T", "tea", 5000)}},
	}); err != nil {
		t.Fatal(err)
	}
	id := customerOf(t, db, "shop", "a")
	an := neo4j.NewAnalyticsStore(db)
	rows, err := an.BehaviourByCustomerIDs(ctx, []string{id})
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string]float64{}
	tea := 0.0
	for _, r := range rows[id] {
		byKind[r.Kind] += r.Amount
		if r.Kind == "category" && r.Name == "tea" {
			tea = r.Amount
		}
	}
	if math.Abs(byKind["category"]-140) > 1e-9 || math.Abs(byKind["channel"]-140) > 1e-9 || math.Abs(tea-104) > 1e-9 {
		t.Fatalf("rows %+v; want categories and channels both 140.00, tea 54 + 50", rows[id])
	}
	acts, err := an.ReadActivity(ctx, []string{id}, cdp.ActivityQuery{AsOf: scoreAsOf, EventsSince: scoreAsOf.AddDate(-1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	var revenue float64
	for _, o := range acts[0].Orders {
		v, _ := strconv.ParseFloat(o.Amount, 64)
		revenue += v
	}
	if revenue != 140 {
		t.Fatalf("activity revenue %v, want the same 140.00", revenue)
	}
}
