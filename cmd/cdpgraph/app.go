package main

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"strings"
	"time"

	"github.com/cdpgraph/cdpgraph/actions"
	"github.com/cdpgraph/cdpgraph/analytics"
	"github.com/cdpgraph/cdpgraph/analytics/rfm"
	"github.com/cdpgraph/cdpgraph/auth"
	"github.com/cdpgraph/cdpgraph/config"
	"github.com/cdpgraph/cdpgraph/events"
	cdphttp "github.com/cdpgraph/cdpgraph/http"
	"github.com/cdpgraph/cdpgraph/identity"
	"github.com/cdpgraph/cdpgraph/influence"
	"github.com/cdpgraph/cdpgraph/ingest"
	"github.com/cdpgraph/cdpgraph/neo4j"
	"github.com/cdpgraph/cdpgraph/recommend"
	"github.com/cdpgraph/cdpgraph/segment"
)

// app is what every command wires: the settings, the database and the services.
type app struct {
	cfg    config.Config
	log    *slog.Logger
	db     *neo4j.DB
	ingest *ingest.Service
	// identity explains and corrects resolution over the records the ingest store writes.
	identity *identity.Service
	// identityStore is the store under it; evaluation reads every record's customer from it.
	identityStore *neo4j.IdentityStore
	scorer        *analytics.Scorer
	social        *influence.Service
	segments      *segment.Service
	// segmentStore evaluates segments; the benchmark also asks it for plans' db hits.
	segmentStore *neo4j.SegmentStore
	actions      *actions.Service
	recs         *recommend.Service
	events       *events.Broker
}

// open connects to Neo4j, applies the schema (unless told not to) and builds the services.
func (a *app) open(ctx context.Context) error {
	a.log = a.cfg.Logger()
	loc, err := a.cfg.Location()
	if err != nil {
		return err
	}
	a.db, err = neo4j.Open(ctx, neo4j.Config{URI: a.cfg.Neo4jURI, User: a.cfg.Neo4jUser,
		Password: a.cfg.Neo4jPassword, Database: a.cfg.Neo4jDatabase,
		RetryTime: a.cfg.Neo4jRetryTime, TxTimeout: a.cfg.CypherTimeout.Or(0)}, a.log)
	if err != nil {
		return fmt.Errorf("cannot reach Neo4j at %s (start it with 'make neo4j-start' or set NEO4J_URI): %w", a.cfg.Neo4jURI, err)
	}
	if !a.cfg.SkipMigrate {
		if err := a.db.Migrate(ctx); err != nil {
			return err
		}
	}
	rules := identity.DefaultRules()
	if a.cfg.IdentityRules != "" {
		if rules, err = identity.LoadRules(a.cfg.IdentityRules); err != nil {
			return err
		}
	}
	store := neo4j.NewIngestStore(a.db, rules)
	a.identityStore = neo4j.NewIdentityStore(store)
	a.identity = identity.NewService(a.identityStore, rules)
	a.ingest = ingest.NewService(store, ingest.Options{
		DefaultRegion: a.cfg.DefaultRegion, Location: loc, DayFirst: a.cfg.DayFirst,
	})
	settings, err := a.scoreSettings(loc)
	if err != nil {
		return err
	}
	analyticsStore := neo4j.NewAnalyticsStore(a.db)
	analyticsStore.Staleness = a.cfg.AnalyticsStaleness
	a.scorer = analytics.NewScorer(analyticsStore, settings, a.log)
	a.social = influence.NewService(neo4j.NewInfluenceStore(a.db), a.log)
	a.events = events.NewBroker()
	a.scorer.OnBandChange = a.events.PublishChurnBands
	a.segmentStore = neo4j.NewSegmentStore(a.db)
	a.segments = segment.NewService(neo4j.NewSavedSegments(a.db), a.segmentStore, a.log)
	a.segments.Derived = a.segmentStore
	a.segments.OnChange = a.events.PublishMembership
	playbook := actions.DefaultPlaybook()
	if a.cfg.Playbook != "" {
		f, err := os.Open(a.cfg.Playbook)
		if err != nil {
			return err
		}
		playbook, err = actions.LoadPlaybook(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", a.cfg.Playbook, err)
		}
	}
	if err := playbook.Validate(); err != nil {
		return err
	}
	a.actions = actions.NewService(playbook, neo4j.NewActionStore(a.db), neo4j.NewCustomerStore(a.db))
	// The vocabulary offers the names scoring and the playbook actually use.
	a.segments.RFMSegments = settings.Segments.Names()
	a.segments.Actions = playbook.Actions()
	a.recs = recommend.NewService(neo4j.NewRecommendStore(a.db), a.log)
	if a.cfg.InfluenceWeights != "" {
		if a.social.Weights, err = influence.ParseWeights(a.cfg.InfluenceWeights); err != nil {
			return err
		}
	}
	return nil
}

// scoreSettings turns the configuration into scoring settings.
func (a *app) scoreSettings(loc *time.Location) (analytics.Settings, error) {
	s := analytics.DefaultSettings()
	s.Location = loc
	s.Currency = strings.ToUpper(a.cfg.Currency)
	s.HorizonDays, s.AnnualDiscount, s.ChurnHorizonDays = a.cfg.CLVHorizonDays, a.cfg.CLVDiscount, a.cfg.ChurnHorizon
	if a.cfg.FXRates != "" {
		extra, err := analytics.ParseRates(a.cfg.FXRates)
		if err != nil {
			return s, err
		}
		s.Rates = analytics.DefaultRatesIn(s.Currency)
		maps.Copy(s.Rates, extra)
	}
	if a.cfg.RFMSegments != "" {
		f, err := os.Open(a.cfg.RFMSegments)
		if err != nil {
			return s, err
		}
		defer f.Close()
		if s.Segments, err = rfm.LoadSegmentMap(f); err != nil {
			return s, fmt.Errorf("%s: %w", a.cfg.RFMSegments, err)
		}
	}
	return s, nil
}

func (a *app) close() {
	if a.db != nil {
		a.db.Close(context.Background())
	}
}

func runMigrate(ctx context.Context, args []string) error {
	var a app
	if err := parseFlags(newFlags("migrate", &a.cfg), args); err != nil {
		return err
	}
	defer a.close()
	if err := a.open(ctx); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "schema applied")
	return nil
}

// emptyDatabase wipes the database when reset is set, and otherwise refuses to go on unless
// it holds no records: measuring commands must not mix their data with anyone's.
func (a *app) emptyDatabase(ctx context.Context, command string, reset bool) error {
	if reset {
		return a.db.DeleteAllData(ctx)
	}
	n, err := a.db.CountNodes(ctx, "SourceRecord")
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%s needs an empty database (found %d records); pass --reset to wipe it", command, n)
	}
	return nil
}

// partners reads the partner contracts, checking each field against the schema's
// personal-data fields.
func (a *app) partners() (auth.Partners, error) {
	if a.cfg.Access.Partners == "" {
		return auth.Partners{}, nil
	}
	f, err := os.Open(a.cfg.Access.Partners)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := auth.LoadPartners(f, cdphttp.CheckPersonalField)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.cfg.Access.Partners, err)
	}
	return p, nil
}

// access builds the server's authentication, contracts, pseudonyms and audit log.
func (a *app) access() (cdphttp.Access, *auth.Keys, error) {
	keys, err := a.keys()
	if err != nil {
		return cdphttp.Access{}, nil, err
	}
	c := a.cfg.Access
	jwt, err := auth.NewJWT(auth.JWTConfig{Secret: c.JWTSecret, JWKSFile: c.JWKSFile, Issuer: c.JWTIssuer, Audience: c.JWTAudience})
	if err != nil {
		return cdphttp.Access{}, nil, err
	}
	if c.PseudonymKey == "" {
		a.log.Warn("CDP_PSEUDONYM_KEY is not set: analysts' pseudonyms will change when the server restarts")
	}
	return cdphttp.Access{Auth: &auth.Authenticator{Keys: keys, JWT: jwt}, Partners: keys.Partners,
		Pseudo: auth.NewPseudonymizer(c.PseudonymKey), Audit: neo4j.NewAccessStore(a.db)}, keys, nil
}
