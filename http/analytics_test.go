package http_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/analytics/simulate"
)

// seedSimulated writes a simulated company straight through the ingest store: enough
// history for every model to fit.
func (a *api) seedSimulated(t *testing.T, n int) {
	t.Helper()
	ctx := context.Background()
	recs := simulate.AsRecords("sim", simulate.Company(n, 5, time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)))
	for i := range recs.Orders {
		recs.Orders[i].Items = []cdp.OrderItem{{Product: cdp.Product{SKU: fmt.Sprintf("SKU-%d", i%20), Category: []string{"home", "beauty", "food"}[i%3]},
			Quantity: 1, UnitPrice: recs.Orders[i].Total, LineTotal: recs.Orders[i].Total}}
	}
	for _, err := range []error{
		second(a.store.WriteCustomers(ctx, recs.Customers)), second(a.store.WriteOrders(ctx, recs.Orders)),
		second(a.store.WriteEvents(ctx, recs.Events)), second(a.store.WriteFeedback(ctx, recs.Feedback)),
		second(a.store.WriteSocialTies(ctx, recs.Ties)),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestScoresThroughGraphQL(t *testing.T) {
	opts := options()
	opts.LoaderWait = 50 * time.Millisecond
	a := newAPI(t, opts)
	a.seedSimulated(t, 250)

	var none struct{ ScoringModel *struct{ Version string } }
	post(t, a.c, `{ scoringModel { version } }`, &none)
	if none.ScoringModel != nil {
		t.Fatalf("a model before any run: %+v", none.ScoringModel)
	}

	var run struct {
		RunScoring struct {
			Version, AsOf string
			Customers     int
			Buyers        int
			Bgnbd         struct {
				Parameters []struct {
					Name            string
					Value, StdError float64
				}
			}
			GammaGamma struct{ LogLikelihood float64 }
			Churn      struct {
				Method string
				Auc    float64
			}
		}
	}
	post(t, a.c, `mutation { runScoring(asOf: "2026-06-30") { version asOf customers buyers
	  bgnbd { parameters { name value stdError } } gammaGamma { logLikelihood } churn { method auc } } }`, &run)
	m := run.RunScoring
	if m.Customers != 250 || m.Buyers != 225 || len(m.Bgnbd.Parameters) != 4 || m.GammaGamma.LogLikelihood >= 0 || m.Churn.Method == "" {
		t.Fatalf("run: %+v", m)
	}
	for _, p := range m.Bgnbd.Parameters {
		if p.Value <= 0 || p.StdError <= 0 {
			t.Errorf("BG/NBD %s = %v (se %v)", p.Name, p.Value, p.StdError)
		}
	}

	type metrics struct {
		ChurnRisk *float64
		ChurnBand *string
		Clv       *float64
		PAlive    *float64
		Loyalty   *float64
		Rfm       *struct {
			R, F, M int
			Code    string
			Segment string
		}
		Trend struct{ EventsLast30Days int }
	}
	var list struct {
		Customers struct {
			TotalCount int
			Nodes      []struct {
				CustomerID     string `json:"customerId"`
				Metrics        *metrics
				MetricsHistory []struct{ ModelVersion string }
				Behaviour      struct {
					FavouriteCategories []struct {
						Name  string
						Share float64
					}
					ChannelMix []struct{ Name string }
				}
			}
		}
	}
	before := a.db.QueryCount()
	post(t, a.c, `{ customers(first: 25, orderBy: {field: CHURN_RISK, direction: DESC}, filter: {churnBands: [HIGH, CRITICAL]}) {
	  totalCount nodes { customerId
	    metrics { churnRisk churnBand clv pAlive loyalty rfm { r f m code segment } trend { eventsLast30Days } }
	    metricsHistory { modelVersion }
	    behaviour { favouriteCategories { name share } channelMix { name } } } } }`, &list)
	if trips := a.db.QueryCount() - before; trips > 3 {
		t.Errorf("%d round trips for a page of customers with scores, history and behaviour; want 3", trips)
	}
	nodes := list.Customers.Nodes
	if len(nodes) == 0 || list.Customers.TotalCount >= 225 {
		t.Fatalf("%d high/critical risk customers of 225", list.Customers.TotalCount)
	}
	for i, n := range nodes {
		x := n.Metrics
		if x == nil || x.ChurnRisk == nil || x.ChurnBand == nil || x.Rfm == nil || x.Clv == nil {
			t.Fatalf("%s: metrics %+v", n.CustomerID, x)
		}
		if *x.ChurnBand != "HIGH" && *x.ChurnBand != "CRITICAL" {
			t.Errorf("%s: band %s", n.CustomerID, *x.ChurnBand)
		}
		if i > 0 && *x.ChurnRisk > *nodes[i-1].Metrics.ChurnRisk {
			t.Errorf("not sorted by churn risk at %d", i)
		}
		if x.Rfm.Code != fmt.Sprintf("%d%d%d", x.Rfm.R, x.Rfm.F, x.Rfm.M) || x.Rfm.Segment == "" {
			t.Errorf("%s: RFM %+v", n.CustomerID, x.Rfm)
		}
		if len(n.MetricsHistory) != 1 || n.MetricsHistory[0].ModelVersion != m.Version {
			t.Errorf("%s: history %+v", n.CustomerID, n.MetricsHistory)
		}
		if len(n.Behaviour.FavouriteCategories) == 0 || n.Behaviour.ChannelMix[0].Name != "web" {
			t.Errorf("%s: behaviour %+v", n.CustomerID, n.Behaviour)
		}
	}

	var views struct {
		RfmGrid []struct {
			R, F, Customers int
			Revenue         float64
			Segment         string
		}
		ChurnRiskDistribution []struct {
			Label     string
			Customers int
		}
		ClvDistribution []struct {
			Label     string
			Low, High *float64
			Customers int
		}
		CohortRetention []struct {
			Month     string
			Customers int
			Retained  []float64
		}
	}
	post(t, a.c, `{ rfmGrid { r f customers revenue segment } churnRiskDistribution { label customers }
	  clvDistribution(bounds: [100, 1000]) { label low high customers }
	  cohortRetention(from: "2025-01") { month customers retained } }`, &views)
	cells := 0
	for _, c := range views.RfmGrid {
		cells += c.Customers
	}
	bands := 0
	for _, b := range views.ChurnRiskDistribution {
		bands += b.Customers
	}
	clvs := views.ClvDistribution
	if cells != 225 || bands != 225 || len(clvs) != 3 || clvs[0].Low != nil || clvs[2].High != nil || *clvs[1].Low != 100 {
		t.Errorf("grid %d, bands %d, CLV buckets %+v", cells, bands, clvs)
	}
	if len(views.CohortRetention) == 0 || views.CohortRetention[0].Month < "2025-01" || views.CohortRetention[0].Retained[0] != 1 {
		t.Errorf("cohorts %+v", views.CohortRetention)
	}
}

func TestScoringArgumentsAreValidated(t *testing.T) {
	a := newAPI(t, options())
	for _, q := range []string{
		`mutation { runScoring(asOf: "30/06/2026") { version } }`,
		`mutation { runScoring(asOf: "2999-01-01") { version } }`,
		`{ clvDistribution(bounds: [10, 5]) { label } }`,
	} {
		resp, err := a.c.RawPost(q)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(resp.Errors), `"code":"BAD_USER_INPUT"`) {
			t.Errorf("%s: errors %s, want BAD_USER_INPUT", q, resp.Errors)
		}
	}
}
