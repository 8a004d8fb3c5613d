package neo4j

import (
	"runtime"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/cdpgraph/cdpgraph/observe"
)

// Observer learns how long each Cypher statement and each transaction took;
// observe.Metrics is one. Statements and transactions are named by statementName.
type Observer interface {
	Statement(name string, d time.Duration, err error)
	Transaction(name string, write bool, d time.Duration, err error)
}

type noObserver struct{}

func (noObserver) Statement(string, time.Duration, error)         {}
func (noObserver) Transaction(string, bool, time.Duration, error) {}

// SetObserver makes o learn of every statement and transaction from now on; call it
// before the DB is used.
func (db *DB) SetObserver(o Observer) {
	if o == nil {
		o = noObserver{}
	}
	db.observer = o
}

// poolSize is the driver's connection pool size.
const poolSize = 50

// InFlight is how many driver calls (transactions, queries) run now, each holding a
// pooled connection; at MaxConnections, further calls wait for one.
func (db *DB) InFlight() int64 { return db.inFlight.Load() }

// MaxConnections is the connection pool's size.
func (db *DB) MaxConnections() int { return poolSize }

var tracer = observe.Tracer("neo4j")

func (db *DB) spanAttrs(name, mode string) []attribute.KeyValue {
	attrs := []attribute.KeyValue{attribute.String("db.system.name", "neo4j"), attribute.String("db.operation.name", name)}
	if db.database != "" {
		attrs = append(attrs, attribute.String("db.namespace", db.database))
	}
	if mode != "" {
		attrs = append(attrs, attribute.String("db.neo4j.access_mode", mode))
	}
	return attrs
}

// statementName names the statement (or transaction) about to run after the Go function
// that sends it: "CustomerStore.CustomersByIDs", "IdentityStore.Merge" (closures count as
// their function). The names are stable as long as the code is, bounded by the number of
// call sites, and carry no data. skip is the frames between statementName and the caller
// to name (2: the caller of the function calling statementName), which must not be
// inlined. Generic helpers that run statements for many callers (statementHelpers) are
// looked through. The name is cached per call site, so a call costs one stack walk of a
// few frames (see BenchmarkStatementName).
func statementName(skip int) string {
	var pcs [3]uintptr
	n := runtime.Callers(skip+1, pcs[:])
	for i := range n {
		name, helper := callSiteName(pcs[i])
		if !helper || i == n-1 {
			return name
		}
	}
	return "unknown"
}

type siteName struct {
	name   string
	helper bool
}

var callSites sync.Map // program counter → siteName

func callSiteName(pc uintptr) (string, bool) {
	if v, ok := callSites.Load(pc); ok {
		s := v.(siteName)
		return s.name, s.helper
	}
	frame, _ := runtime.CallersFrames([]uintptr{pc}).Next()
	name := shortFuncName(frame.Function)
	s := siteName{name: name, helper: statementHelpers[name]}
	callSites.Store(pc, s)
	return s.name, s.helper
}

// statementHelpers run statements that their callers build: the statement is named after
// the helper's caller.
var statementHelpers = map[string]bool{"firstByParent": true, "pagedByCustomer": true}

// shortFuncName turns "github.com/cdpgraph/cdpgraph/neo4j.(*CustomerStore).Customer.func1"
// into "CustomerStore.Customer" and "...neo4j.firstByParent[...]" into "firstByParent".
func shortFuncName(f string) string {
	if f == "" {
		return "unknown"
	}
	if i := strings.LastIndexByte(f, '/'); i >= 0 {
		f = f[i+1:]
	}
	if i := strings.IndexByte(f, '.'); i >= 0 {
		f = f[i+1:] // the package
	}
	f = strings.ReplaceAll(f, "[...]", "")
	f = strings.NewReplacer("(*", "", ")", "").Replace(f)
	parts := strings.Split(f, ".")
	for len(parts) > 1 {
		last := parts[len(parts)-1]
		if strings.HasPrefix(last, "func") || strings.HasPrefix(last, "gowrap") || isDigits(last) {
			parts = parts[:len(parts)-1]
			continue
		}
		break
	}
	return strings.Join(parts, ".")
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
