// Package loaders batches the reads of one GraphQL request: every parent→child field asks
// its loader for one parent, and the loader sends one query for all parents that ask
// before the request's goroutines all wait (see Loader). A page of 50 customers with all
// their fields thus costs one query per field, not one per customer.
package loaders

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

type ctxKey struct{}

// PageKey asks for one page of one customer's children.
type PageKey struct {
	CustomerID string
	First      int
	After      string
	SkipCount  bool // the caller does not read TotalCount
}

// EventsKey asks for one page of one customer's events of some types.
type EventsKey struct {
	PageKey
	Types string // comma-joined, sorted by the caller; "" is all types
}

// Loaders are the per-request loaders.
type Loaders struct {
	reader   cdp.CustomerReader
	deferred deferredReads

	// Bounded lists are keyed by parent and First (0 only counts); their pages carry
	// TotalCount.
	Customer        *Loader[string, *cdp.Customer]
	Identifiers     *Loader[PageKey, *cdp.Page[cdp.Identifier]]
	SourceRecords   *Loader[PageKey, *cdp.Page[*cdp.SourceRecord]]
	Orders          *Loader[PageKey, *cdp.Page[*cdp.Order]]
	Events          *Loader[EventsKey, *cdp.Page[*cdp.Event]]
	Feedback        *Loader[PageKey, *cdp.Page[*cdp.Feedback]]
	Ties            *Loader[PageKey, *cdp.Page[cdp.CustomerTie]]
	ConsentHistory  *Loader[PageKey, *cdp.Page[cdp.Consent]]
	CurrentConsents *Loader[string, []cdp.Consent]
	Consents        *Loader[string, []cdp.Consent] // the whole history, for the partner scope check
	SourceRecord    *Loader[string, *cdp.SourceRecord]
	Order           *Loader[string, *cdp.Order]
	Product         *Loader[string, *cdp.Product]
	History         *Loader[PageKey, *cdp.Page[cdp.IdentityEvent]]
	RecordLinks     *Loader[PageKey, []cdp.RecordLink]
	Household       *Loader[string, *cdp.Household]
	Members         *Loader[PageKey, []*cdp.Customer] // CustomerID holds the household key
	ScoreHistory    *Loader[PageKey, []*cdp.Metrics]
	Behaviour       *Loader[string, *cdp.Behaviour]
	Community       *Loader[string, *cdp.Community]
	Referrals       *Loader[PageKey, []*cdp.Customer]
	TopMembers      *Loader[PageKey, []*cdp.Customer] // CustomerID holds the community id
	Segment         *Loader[string, *cdp.Segment]
	InSegments      *Loader[PageKey, *cdp.Page[*cdp.Segment]]
	Actions         *Loader[PageKey, *cdp.Page[cdp.Action]]
	NextBest        *Loader[string, []cdp.Suggestion]
	AllNextBest     *Loader[string, []cdp.Suggestion] // suppressed included
}

// Sources are the services loaders read from. Identity and Analytics may be nil in tests
// that do not ask for their fields.
type Sources struct {
	Customers cdp.CustomerReader
	Identity  cdp.IdentityService
	Analytics cdp.AnalyticsService
	Social    cdp.SocialReader
	Segments  cdp.SegmentStore
	Actions   ActionReader
	// OnBatch, if set, learns the size of every batch, by loader name (the field of
	// Loaders in lower camel case: "customer", "orders"...).
	OnBatch func(loader string, keys int)
}

// ActionReader is what the loaders read about retention actions.
type ActionReader interface {
	ActionsByCustomerIDs(ctx context.Context, ids []string, first int) (map[string]*cdp.Page[cdp.Action], error)
	NextBestActions(ctx context.Context, ids []string, includeSuppressed bool) (map[string][]cdp.Suggestion, error)
}

// DefaultWait is the longest a loader collects keys before it queries. A batch goes as
// soon as the process has nothing else to run; the bound matters only while it is busy
// (other requests run), where waiting makes fewer, larger batches.
const DefaultWait = 5 * time.Millisecond

// New returns fresh loaders reading from src that wait at most wait to batch keys. They
// cache for their lifetime, so make new ones for every request.
func New(src Sources, wait time.Duration) *Loaders {
	r := src.Customers
	l := &Loaders{
		reader:        r,
		Customer:      byKey(wait, r.CustomersByIDs),
		Identifiers:   byFirst(wait, r.FirstIdentifiers),
		SourceRecords: byFirst(wait, r.FirstSourceRecords),
		Orders: paged(wait, func(ctx context.Context, ids []string, p cdp.PageArgs, _ string) (map[string]*cdp.Page[*cdp.Order], error) {
			return r.OrdersByCustomerIDs(ctx, ids, p)
		}, func(k PageKey) (PageKey, string) { return k, "" }),
		Events: paged(wait, func(ctx context.Context, ids []string, p cdp.PageArgs, types string) (map[string]*cdp.Page[*cdp.Event], error) {
			var f cdp.EventFilter
			if types != "" {
				f.Types = strings.Split(types, ",")
			}
			return r.EventsByCustomerIDs(ctx, ids, f, p)
		}, func(k EventsKey) (PageKey, string) { return k.PageKey, k.Types }),
		Feedback: paged(wait, func(ctx context.Context, ids []string, p cdp.PageArgs, _ string) (map[string]*cdp.Page[*cdp.Feedback], error) {
			return r.FeedbackByCustomerIDs(ctx, ids, p)
		}, func(k PageKey) (PageKey, string) { return k, "" }),
		Ties:            byFirst(wait, r.FirstTies),
		ConsentHistory:  byFirst(wait, r.FirstConsents),
		CurrentConsents: byKey(wait, r.CurrentConsentsByCustomerIDs),
		Consents:        byKey(wait, r.ConsentsByCustomerIDs),
		SourceRecord:    byKey(wait, r.SourceRecordsByKeys),
		Order:           byKey(wait, r.OrdersByKeys),
		Product:         byKey(wait, r.ProductsBySKUs),
		Household:       byKey(wait, r.HouseholdsByCustomerIDs),
		Members:         byFirst(wait, r.MembersByHouseholdKeys),
	}
	if src.Identity != nil {
		l.History = byFirst(wait, src.Identity.HistoryByCustomerIDs)
		l.RecordLinks = byFirst(wait, src.Identity.RecordLinksByCustomerIDs)
	}
	if a := src.Analytics; a != nil {
		l.ScoreHistory = byFirst(wait, a.MetricsHistoryByCustomerIDs)
		l.Behaviour = byKey(wait, a.BehaviourByCustomerIDs)
	}
	if so := src.Social; so != nil {
		l.Community = byKey(wait, so.CommunitiesByIDs)
		l.Referrals = byFirst(wait, so.ReferralsByCustomerIDs)
		l.TopMembers = byFirst(wait, so.TopMembersByCommunityIDs)
	}
	if sg := src.Segments; sg != nil {
		l.Segment = byKey(wait, sg.SegmentsByIDs)
		l.InSegments = byFirst(wait, sg.SegmentsOfCustomers)
	}
	if ac := src.Actions; ac != nil {
		l.Actions = byFirst(wait, ac.ActionsByCustomerIDs)
		l.NextBest = byKey(wait, func(ctx context.Context, ids []string) (map[string][]cdp.Suggestion, error) {
			return ac.NextBestActions(ctx, ids, false)
		})
		l.AllNextBest = byKey(wait, func(ctx context.Context, ids []string) (map[string][]cdp.Suggestion, error) {
			return ac.NextBestActions(ctx, ids, true)
		})
	}
	l.name(src.OnBatch)
	return l
}

type nameable interface {
	setName(name string, onBatch func(string, int))
}

// loaderFields are the indexes of Loaders' loader fields and their names.
var loaderFields = sync.OnceValue(func() (fields []struct {
	index int
	name  string
}) {
	t := reflect.TypeFor[Loaders]()
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && f.Type.Implements(reflect.TypeFor[nameable]()) {
			fields = append(fields, struct {
				index int
				name  string
			}{i, strings.ToLower(f.Name[:1]) + f.Name[1:]})
		}
	}
	return fields
})

// name names every loader after its field, so that each reports its own batches.
func (l *Loaders) name(onBatch func(string, int)) {
	v := reflect.ValueOf(l).Elem()
	for _, f := range loaderFields() {
		if fv := v.Field(f.index); !fv.IsNil() {
			fv.Interface().(nameable).setName(f.name, onBatch)
		}
	}
}

// ConsentsNow reads one customer's consents at once and primes the Consents loader: the
// scope check of a root lookup has no batch to wait for.
func (l *Loaders) ConsentsNow(ctx context.Context, id string) ([]cdp.Consent, error) {
	m, err := l.reader.ConsentsByCustomerIDs(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	l.Consents.Prime(id, m[id])
	return m[id], nil
}

// Middleware gives every request its own loaders.
func Middleware(src Sources, wait time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		next.ServeHTTP(w, req.WithContext(With(req.Context(), New(src, wait))))
	})
}

// With returns ctx carrying l.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// For returns the request's loaders.
func For(ctx context.Context) *Loaders { return ctx.Value(ctxKey{}).(*Loaders) }

// byKey turns a map-returning batch read into a loader where a missing key yields the zero
// value (nil, or an empty list): an absent child list is not an error. Every batcher
// checks the request's context first, so nothing is read after its deadline.
func byKey[V any](wait time.Duration, fetch func(context.Context, []string) (map[string]V, error)) *Loader[string, V] {
	return NewLoader(wait, func(ctx context.Context, keys []string) ([]V, []error) {
		out := make([]V, len(keys))
		if err := ctx.Err(); err != nil {
			return out, []error{err}
		}
		m, err := fetch(ctx, keys)
		if err != nil {
			return out, []error{err}
		}
		for i, k := range keys {
			out[i] = m[k]
		}
		return out, nil
	})
}

// paged batches per-customer page reads; keys that ask for different pages (rare: nested
// connections are usually all asked with the same arguments) go in separate queries.
func paged[K comparable, T any](wait time.Duration, fetch func(context.Context, []string, cdp.PageArgs, string) (map[string]*cdp.Page[T], error),
	split func(K) (PageKey, string)) *Loader[K, *cdp.Page[T]] {
	type group struct {
		page  cdp.PageArgs
		extra string
	}
	return NewLoader(wait, func(ctx context.Context, keys []K) ([]*cdp.Page[T], []error) {
		out := make([]*cdp.Page[T], len(keys))
		errs := make([]error, len(keys))
		groups := map[group][]int{}
		var order []group
		for i, k := range keys {
			pk, extra := split(k)
			// Keys that skip the count share a batch with those that read it: a counted page serves both.
			g := group{cdp.PageArgs{First: pk.First, After: pk.After}, extra}
			if _, seen := groups[g]; !seen {
				order = append(order, g)
			}
			groups[g] = append(groups[g], i)
		}
		for _, g := range order {
			if err := ctx.Err(); err != nil { // past the deadline: no more statements
				return out, []error{err}
			}
			idx := groups[g]
			ids := make([]string, len(idx))
			for j, i := range idx {
				pk, _ := split(keys[i])
				ids[j] = pk.CustomerID
			}
			m, err := fetch(ctx, ids, g.page, g.extra)
			for j, i := range idx {
				if err != nil {
					errs[i] = err
					continue
				}
				if p := m[ids[j]]; p != nil {
					out[i] = p
				} else {
					out[i] = &cdp.Page[T]{HasPreviousPage: g.page.After != ""}
				}
			}
		}
		return out, errs
	})
}

// byFirst batches reads that take a list size as well as keys; keys asking for different
// sizes go in separate queries.
func byFirst[V any](wait time.Duration, fetch func(context.Context, []string, int) (map[string]V, error)) *Loader[PageKey, V] {
	return NewLoader(wait, func(ctx context.Context, keys []PageKey) ([]V, []error) {
		out := make([]V, len(keys))
		byN := map[int][]int{}
		for i, k := range keys {
			byN[k.First] = append(byN[k.First], i)
		}
		for n, idx := range byN {
			if err := ctx.Err(); err != nil { // past the deadline: no more statements
				return out, []error{err}
			}
			ids := make([]string, len(idx))
			for j, i := range idx {
				ids[j] = keys[i].CustomerID
			}
			m, err := fetch(ctx, ids, n)
			if err != nil {
				return out, []error{err}
			}
			for _, i := range idx {
				out[i] = m[keys[i].CustomerID]
			}
		}
		return out, nil
	})
}
