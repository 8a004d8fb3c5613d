// Package config reads cdpgraph's settings from flags and environment variables in one
// place: every setting has an environment variable, a flag of the same meaning, and a
// default that works on a laptop. Flags win over the environment.
package config

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/observe"
)

// Config is every setting.
type Config struct {
	HTTPAddr          string
	Neo4jURI          string
	Neo4jUser         string
	Neo4jPassword     string
	Neo4jDatabase     string
	Neo4jRetryTime    time.Duration
	CypherTimeout     OptionalDuration
	DefaultRegion     string
	Timezone          string
	DayFirst          bool
	GraphiQL          bool
	Introspection     bool
	ComplexityLimit   int
	TokenLimit        int
	MaxBodyBytes      int64
	LoaderWait        time.Duration
	IdentityRules     string
	Currency          string
	FXRates           string
	CLVHorizonDays    int
	CLVDiscount       float64
	ChurnHorizon      int
	RFMSegments       string
	ScoreInterval     time.Duration
	InfluenceWeights  string
	InfluenceInterval time.Duration
	Playbook          string
	SegmentInterval   time.Duration
	RecommendInterval time.Duration
	SkipMigrate       bool // serve only: leave the graph schema as it is on start
	// AnalyticsStaleness bounds how late another server's writes show in the cached
	// aggregates over all customers (this server's own writes show at once).
	AnalyticsStaleness time.Duration
	LogLevel           string
	LogFormat          string
	Access             Access
	Observe            Observe
}

// Observe is where metrics, profiles and traces go.
type Observe struct {
	// AdminAddr, if set, serves /metrics, /debug/pprof/ and the health checks on their own
	// listener; /metrics then leaves the main one.
	AdminAddr string
	Metrics   bool // serve /metrics at all
	// TraceEndpoint is the OTLP/HTTP collector's URL; empty (and no OTEL_EXPORTER_OTLP_*
	// endpoint variable) leaves tracing off.
	TraceEndpoint string
	TraceSample   float64
}

// Access is who may call the API, and the limits on what they may ask.
type Access struct {
	Partners       string // JSON file of partner contracts
	JWTSecret      string
	JWKSFile       string
	JWTIssuer      string
	JWTAudience    string
	PseudonymKey   string
	AuthFailures   int // failed authentications a minute per client address
	RequestTimeout time.Duration
	MaxDepth       int
	MaxAliases     int
	MaxRootFields  int
	// MaxResponseFields bounds the fields one answer may resolve.
	MaxResponseFields int
	MaxSelections     int
	// WebsocketInitTimeout and CredentialRecheck bound subscription connections.
	WebsocketInitTimeout time.Duration
	CredentialRecheck    time.Duration

	// Request rates per caller, for every role (rate-limit) and by role
	// (rate-limit-frontend...); see Rates.
	rateAll   optionalNumber[float64]
	burstAll  optionalNumber[int]
	rateRole  map[cdp.Role]*optionalNumber[float64]
	burstRole map[cdp.Role]*optionalNumber[int]
}

// ServeCypherTimeout is the server's Cypher timeout unless one is set; batch commands have
// none unless one is set (their transactions are large on purpose).
const ServeCypherTimeout = 30 * time.Second

// OptionalDuration is a duration flag that knows whether it was given.
type OptionalDuration struct {
	D     time.Duration
	Given bool
}

func (o *OptionalDuration) String() string {
	if o == nil || !o.Given {
		return ""
	}
	return o.D.String()
}

func (o *OptionalDuration) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	o.D, o.Given = d, true
	return nil
}

// Or returns the duration, or def when none was given.
func (o OptionalDuration) Or(def time.Duration) time.Duration {
	if o.Given {
		return o.D
	}
	return def
}

// Register declares the flags on fs, with defaults taken from the environment.
func (c *Config) Register(fs *flag.FlagSet) {
	fs.StringVar(&c.Neo4jURI, "neo4j-uri", env("NEO4J_URI", "bolt://127.0.0.1:7687"), "Neo4j URI (bolt://, neo4j://, neo4j+s://...) [NEO4J_URI]")
	fs.StringVar(&c.Neo4jUser, "neo4j-user", env("NEO4J_USER", ""), "Neo4j user; empty connects without auth (the embedded dev database) [NEO4J_USER]")
	fs.StringVar(&c.Neo4jPassword, "neo4j-password", env("NEO4J_PASSWORD", ""), "Neo4j password [NEO4J_PASSWORD]")
	fs.StringVar(&c.Neo4jDatabase, "neo4j-database", env("NEO4J_DATABASE", ""), "Neo4j database; empty is the server default [NEO4J_DATABASE]")
	fs.DurationVar(&c.Neo4jRetryTime, "neo4j-retry-time", envDuration("CDP_NEO4J_RETRY_TIME", 5*time.Second), "longest a transaction is retried after a transient Neo4j error [CDP_NEO4J_RETRY_TIME]")
	if v := os.Getenv("CDP_CYPHER_TIMEOUT"); v != "" {
		if err := c.CypherTimeout.Set(v); err != nil {
			fmt.Fprintf(os.Stderr, "CDP_CYPHER_TIMEOUT=%q is not a duration; ignored\n", v)
		}
	}
	fs.Var(&c.CypherTimeout, "cypher-timeout", "server-side `duration` limit of every Neo4j transaction; 0 leaves Neo4j's own setting; by default 30s for serve and none for batch commands (import, demo, resolve, score...) [CDP_CYPHER_TIMEOUT]")
	fs.StringVar(&c.DefaultRegion, "default-region", env("CDP_DEFAULT_REGION", "CN"), "phone region for numbers without +country [CDP_DEFAULT_REGION]")
	fs.StringVar(&c.Timezone, "timezone", env("CDP_TIMEZONE", "Asia/Shanghai"), "zone of timestamps that carry none [CDP_TIMEZONE]")
	fs.BoolVar(&c.DayFirst, "day-first", envBool("CDP_DAY_FIRST", true), "read 02/01/2006 as 2 January [CDP_DAY_FIRST]")
	fs.StringVar(&c.IdentityRules, "identity-rules", env("CDP_IDENTITY_RULES", ""), "JSON file overriding identifier rules (trust, limits, block lists); see docs/identity.md [CDP_IDENTITY_RULES]")
	fs.StringVar(&c.Currency, "currency", env("CDP_CURRENCY", "CNY"), "reporting currency of revenue and CLV [CDP_CURRENCY]")
	fs.StringVar(&c.FXRates, "fx-rates", env("CDP_FX_RATES", ""), "exchange rates into the reporting currency, e.g. USD=7.1,EUR=7.7; added to built-in approximations [CDP_FX_RATES]")
	fs.IntVar(&c.CLVHorizonDays, "clv-horizon-days", envInt("CDP_CLV_HORIZON_DAYS", 365), "CLV horizon in days [CDP_CLV_HORIZON_DAYS]")
	fs.Float64Var(&c.CLVDiscount, "clv-discount", envFloat("CDP_CLV_DISCOUNT", 0.10), "annual discount rate of CLV [CDP_CLV_DISCOUNT]")
	fs.IntVar(&c.ChurnHorizon, "churn-horizon-days", envInt("CDP_CHURN_HORIZON_DAYS", 90), "a customer has churned after this many days without a purchase [CDP_CHURN_HORIZON_DAYS]")
	fs.StringVar(&c.RFMSegments, "rfm-segments", env("CDP_RFM_SEGMENTS", ""), "JSON file replacing the RFM segment map; see analytics/rfm/README.md [CDP_RFM_SEGMENTS]")
	fs.StringVar(&c.InfluenceWeights, "influence-weights", env("CDP_INFLUENCE_WEIGHTS", ""), "influence weight per tie type, e.g. referred=3,shared=2,mentioned=1.5,follows=1 (the default) [CDP_INFLUENCE_WEIGHTS]")
	fs.StringVar(&c.Playbook, "playbook", env("CDP_PLAYBOOK", ""), "JSON file replacing the retention playbook (rules: situation → action); see docs/segments.md [CDP_PLAYBOOK]")
	fs.StringVar(&c.Access.Partners, "partners", env("CDP_PARTNERS", ""), "JSON file of partner contracts (which personal fields each partner receives); see docs/privacy.md [CDP_PARTNERS]")
	fs.StringVar(&c.LogLevel, "log-level", env("CDP_LOG_LEVEL", "info"), "debug, info, warn or error [CDP_LOG_LEVEL]")
	fs.StringVar(&c.LogFormat, "log-format", env("CDP_LOG_FORMAT", "text"), "text or json [CDP_LOG_FORMAT]")
}

// RegisterServer declares the flags only the server needs.
func (c *Config) RegisterServer(fs *flag.FlagSet) {
	fs.StringVar(&c.HTTPAddr, "http-addr", env("CDP_HTTP_ADDR", "127.0.0.1:8080"), "HTTP listen address [CDP_HTTP_ADDR]")
	fs.BoolVar(&c.GraphiQL, "graphiql", envBool("CDP_GRAPHIQL", true), "serve GraphiQL at / [CDP_GRAPHIQL]")
	fs.BoolVar(&c.Introspection, "introspection", envBool("CDP_INTROSPECTION", true), "allow schema introspection [CDP_INTROSPECTION]")
	fs.IntVar(&c.ComplexityLimit, "complexity-limit", envInt("CDP_COMPLEXITY_LIMIT", 20000), "largest query complexity accepted [CDP_COMPLEXITY_LIMIT]")
	fs.IntVar(&c.TokenLimit, "token-limit", envInt("CDP_TOKEN_LIMIT", 15000), "most tokens a query may have [CDP_TOKEN_LIMIT]")
	fs.DurationVar(&c.LoaderWait, "loader-wait", envDuration("CDP_LOADER_WAIT", 0), "longest loaders gather keys before querying (a batch goes as soon as nothing else runs); 0 is the default (5ms) [CDP_LOADER_WAIT]")
	fs.DurationVar(&c.ScoreInterval, "score-interval", envDuration("CDP_SCORE_INTERVAL", 30*time.Second), "how often customers with new activity are rescored; 0 turns it off [CDP_SCORE_INTERVAL]")
	fs.DurationVar(&c.InfluenceInterval, "influence-interval", envDuration("CDP_INFLUENCE_INTERVAL", time.Minute), "how often influence is recomputed when ties or customers changed; 0 turns it off [CDP_INFLUENCE_INTERVAL]")
	fs.DurationVar(&c.SegmentInterval, "segment-interval", envDuration("CDP_SEGMENT_INTERVAL", time.Minute), "how often saved segments' members are recomputed; 0 turns it off [CDP_SEGMENT_INTERVAL]")
	fs.DurationVar(&c.AnalyticsStaleness, "analytics-staleness", envDuration("CDP_ANALYTICS_STALENESS", time.Second), "how late scores written by another server may show in the cached RFM grid, churn and CLV distributions and scoring model; this server's writes show at once; 0 checks the graph on every request [CDP_ANALYTICS_STALENESS]")
	fs.DurationVar(&c.RecommendInterval, "recommend-interval", envDuration("CDP_RECOMMEND_INTERVAL", time.Hour), "how often the recommender is retrained (at least a minute); 0 turns it off, and recommendations are then empty [CDP_RECOMMEND_INTERVAL]")
	fs.BoolVar(&c.SkipMigrate, "skip-migrate", envBool("CDP_SKIP_MIGRATE", false), "do not apply the graph schema on start: for a server beside the one that owns the schema, or over a read-only database [CDP_SKIP_MIGRATE]")
	a := &c.Access
	fs.StringVar(&a.JWTSecret, "jwt-secret", env("CDP_JWT_SECRET", ""), "HS256 secret (32+ bytes) of trusted JWTs; empty trusts no HS256 tokens [CDP_JWT_SECRET]")
	fs.StringVar(&a.JWKSFile, "jwt-jwks", env("CDP_JWT_JWKS", ""), "JWKS file of the RSA keys of trusted RS256 JWTs [CDP_JWT_JWKS]")
	fs.StringVar(&a.JWTIssuer, "jwt-issuer", env("CDP_JWT_ISSUER", ""), "required iss of JWTs, if set [CDP_JWT_ISSUER]")
	fs.StringVar(&a.JWTAudience, "jwt-audience", env("CDP_JWT_AUDIENCE", ""), "required aud of JWTs, if set [CDP_JWT_AUDIENCE]")
	fs.StringVar(&a.PseudonymKey, "pseudonym-key", env("CDP_PSEUDONYM_KEY", ""), "secret keying analysts' pseudonyms; empty draws one per start (pseudonyms then change on restart) [CDP_PSEUDONYM_KEY]")
	a.registerRates(fs)
	fs.IntVar(&a.AuthFailures, "auth-failure-limit", envInt("CDP_AUTH_FAILURE_LIMIT", 30), "failed authentications (unknown or revoked keys, bad tokens) a minute per client address, as many at once; over it: 429 for a while; 0 turns it off [CDP_AUTH_FAILURE_LIMIT]")
	fs.DurationVar(&a.RequestTimeout, "request-timeout", envDuration("CDP_REQUEST_TIMEOUT", 30*time.Second), "longest an HTTP request may work [CDP_REQUEST_TIMEOUT]")
	fs.DurationVar(&a.WebsocketInitTimeout, "ws-init-timeout", envDuration("CDP_WS_INIT_TIMEOUT", 10*time.Second), "longest a websocket may take to send connection_init [CDP_WS_INIT_TIMEOUT]")
	fs.DurationVar(&a.CredentialRecheck, "credential-recheck", envDuration("CDP_CREDENTIAL_RECHECK", 15*time.Second), "how often open websockets re-check their credential, so a key revoked elsewhere ends them [CDP_CREDENTIAL_RECHECK]")
	fs.IntVar(&a.MaxDepth, "max-depth", envInt("CDP_MAX_DEPTH", 12), "deepest selection an operation may have [CDP_MAX_DEPTH]")
	fs.IntVar(&a.MaxAliases, "max-aliases", envInt("CDP_MAX_ALIASES", 30), "most aliases an operation may use [CDP_MAX_ALIASES]")
	fs.IntVar(&a.MaxRootFields, "max-root-fields", envInt("CDP_MAX_ROOT_FIELDS", 10), "most root fields an operation may ask for [CDP_MAX_ROOT_FIELDS]")
	fs.IntVar(&a.MaxResponseFields, "max-response-fields", envInt("CDP_MAX_RESPONSE_FIELDS", 200000), "most fields one answer may resolve; 0 turns the bound off [CDP_MAX_RESPONSE_FIELDS]")
	fs.IntVar(&a.MaxSelections, "max-selections", envInt("CDP_MAX_SELECTIONS", 5000), "most fields an operation may expand to, fragments counted each time they are spread [CDP_MAX_SELECTIONS]")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", int64(envInt("CDP_MAX_BODY_BYTES", 16<<20)), "largest request body accepted [CDP_MAX_BODY_BYTES]")
	c.Observe.register(fs)
}

func (o *Observe) register(fs *flag.FlagSet) {
	fs.StringVar(&o.AdminAddr, "admin-addr", env("CDP_ADMIN_ADDR", ""), "listen address of the operators' endpoints (/metrics, /debug/pprof/, /healthz, /readyz), e.g. 127.0.0.1:9090; empty: no admin listener, no pprof, and /metrics on the main listener; see docs/operations.md [CDP_ADMIN_ADDR]")
	fs.BoolVar(&o.Metrics, "metrics", envBool("CDP_METRICS", true), "serve Prometheus metrics at /metrics (on the admin address when there is one) [CDP_METRICS]")
	fs.StringVar(&o.TraceEndpoint, "otlp-endpoint", env("CDP_OTLP_ENDPOINT", ""), "OTLP/HTTP collector receiving traces, e.g. http://127.0.0.1:4318; empty: tracing off unless OTEL_EXPORTER_OTLP_ENDPOINT is set [CDP_OTLP_ENDPOINT]")
	fs.Float64Var(&o.TraceSample, "trace-sample", envFloat("CDP_TRACE_SAMPLE", 1), "share of requests traced (0-1) when the caller sent no sampled traceparent [CDP_TRACE_SAMPLE]")
}

// Rate is a sustained rate of requests per caller and how many may come at once above it.
type Rate struct {
	PerSecond float64
	Burst     int
}

// DefaultRates are the request rates per caller (API key or token subject) by role. A
// frontend app sends all its users' requests with one key, and a partner's integration
// syncs in parallel: their rates are above what one server answers (a few hundred
// customer views a second on two cores), so they stop only a runaway client. Analysts
// and admins are people and their scripts; analysts' queries are the heavy ones.
var DefaultRates = map[cdp.Role]Rate{
	cdp.RoleAdmin:    {PerSecond: 100, Burst: 200},
	cdp.RoleAnalyst:  {PerSecond: 20, Burst: 60},
	cdp.RoleFrontend: {PerSecond: 2000, Burst: 4000},
	cdp.RolePartner:  {PerSecond: 500, Burst: 1000},
}

func (a *Access) registerRates(fs *flag.FlagSet) {
	fs.Var(optionalFromEnv(&a.rateAll, "CDP_RATE_LIMIT"), "rate-limit", "requests per second per API key or token subject for every role, instead of the role defaults; 0 turns limiting off [CDP_RATE_LIMIT]")
	fs.Var(optionalFromEnv(&a.burstAll, "CDP_RATE_BURST"), "rate-burst", "requests a caller may send at once above the rate, for every role [CDP_RATE_BURST]")
	a.rateRole, a.burstRole = map[cdp.Role]*optionalNumber[float64]{}, map[cdp.Role]*optionalNumber[int]{}
	for _, role := range cdp.Roles {
		a.rateRole[role], a.burstRole[role] = &optionalNumber[float64]{}, &optionalNumber[int]{}
		d, upper := DefaultRates[role], strings.ToUpper(string(role))
		fs.Var(optionalFromEnv(a.rateRole[role], "CDP_RATE_LIMIT_"+upper), "rate-limit-"+string(role),
			fmt.Sprintf("requests per second per %s key or token subject (default %g); 0: unlimited [CDP_RATE_LIMIT_%s]", role, d.PerSecond, upper))
		fs.Var(optionalFromEnv(a.burstRole[role], "CDP_RATE_BURST_"+upper), "rate-burst-"+string(role),
			fmt.Sprintf("requests a %s caller may send at once above its rate (default %d) [CDP_RATE_BURST_%s]", role, d.Burst, upper))
	}
}

// Rates are the request rates per caller of every role: the role's setting, else the
// setting for every role, else DefaultRates.
func (a *Access) Rates() map[cdp.Role]Rate {
	out := make(map[cdp.Role]Rate, len(cdp.Roles))
	for _, role := range cdp.Roles {
		r := DefaultRates[role]
		for _, o := range []*optionalNumber[float64]{&a.rateAll, a.rateRole[role]} {
			if o != nil && o.given {
				r.PerSecond = o.v
			}
		}
		for _, o := range []*optionalNumber[int]{&a.burstAll, a.burstRole[role]} {
			if o != nil && o.given {
				r.Burst = o.v
			}
		}
		out[role] = r
	}
	return out
}

// optionalNumber is a number flag that knows whether it was given, by flag or environment.
type optionalNumber[T int | float64] struct {
	v     T
	given bool
}

func (o *optionalNumber[T]) String() string {
	if o == nil || !o.given {
		return ""
	}
	return fmt.Sprint(o.v)
}

func (o *optionalNumber[T]) Set(s string) error {
	var err error
	switch p := any(&o.v).(type) {
	case *int:
		*p, err = strconv.Atoi(s)
	case *float64:
		*p, err = strconv.ParseFloat(s, 64)
	}
	if err != nil {
		return err
	}
	o.given = true
	return nil
}

// optionalFromEnv sets o from the environment variable name, if set.
func optionalFromEnv[T int | float64](o *optionalNumber[T], name string) *optionalNumber[T] {
	if v, ok := os.LookupEnv(name); ok {
		if err := o.Set(v); err != nil {
			fmt.Fprintf(os.Stderr, "%s=%q is not a number; ignored\n", name, v)
		}
	}
	return o
}

// Location returns the configured time zone.
func (c *Config) Location() (*time.Location, error) {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return nil, fmt.Errorf("timezone %q: %w", c.Timezone, err)
	}
	return loc, nil
}

// Logger returns the configured structured logger, writing to stderr.
func (c *Config) Logger() *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	// Lines logged inside a trace carry its trace_id and span_id.
	if strings.EqualFold(c.LogFormat, "json") {
		return slog.New(observe.TraceIDs(slog.NewJSONHandler(os.Stderr, opts)))
	}
	return slog.New(observe.TraceIDs(slog.NewTextHandler(os.Stderr, opts)))
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envBool(name string, def bool) bool {
	if b, err := strconv.ParseBool(os.Getenv(name)); err == nil {
		return b
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

func envFloat(name string, def float64) float64 {
	if f, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return f
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}
