// Package activation holds the rules for delivering events to destinations: which
// destination receives which event, what a payload may carry, when a failed delivery is
// retried or dead-lettered, and how webhooks are signed. Pure Go; the outbox is in neo4j/.
package activation

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

// Destination kinds.
const (
	KindWebhook = "webhook"
	KindFile    = "file"
)

// Event kinds.
const (
	SegmentEntered   = "segment.entered"
	SegmentLeft      = "segment.left"
	ActionPlanned    = "action.planned"
	ChurnBandChanged = "churn_band.changed"
	CustomerErased   = "customer.erased"
	ConsentWithdrawn = "consent.withdrawn"
)

// EventKinds are the valid event kinds; the value says whether the kind is marketing
// (sent only with the destination's consent purpose granted).
var EventKinds = map[string]bool{
	SegmentEntered: true, SegmentLeft: true, ActionPlanned: true, ChurnBandChanged: true,
	CustomerErased: false, ConsentWithdrawn: false,
}

// Destination is where events go.
type Destination struct {
	ID             string
	Name           string
	Kind           string
	URL            string // webhook
	Folder         string // file
	Events         []string
	Segments       []string // segment ids; empty = all
	Actions        []string // action kinds; empty = all
	ConsentPurpose string
	Fields         []string
	Secret         string
	Headers        map[string]string
	RateLimit      int // events per second, 0 = unlimited
	Paused         bool
}

// Validate checks a destination, naming the field at fault.
func (d *Destination) Validate() error {
	switch {
	case strings.TrimSpace(d.Name) == "":
		return cdp.FieldErrorf("name", "a destination needs a name")
	case d.Kind != KindWebhook && d.Kind != KindFile:
		return cdp.FieldErrorf("kind", "kind %q is not webhook or file", d.Kind)
	case d.Kind == KindWebhook && !strings.HasPrefix(d.URL, "https://") && !strings.HasPrefix(d.URL, "http://"):
		return cdp.FieldErrorf("url", "a webhook needs an http(s) URL")
	case d.Kind == KindWebhook && len(d.Secret) < 16:
		return cdp.FieldErrorf("secret", "a webhook secret needs at least 16 characters")
	case d.Kind == KindFile && d.Folder == "":
		return cdp.FieldErrorf("folder", "a file destination needs a folder")
	case len(d.Events) == 0:
		return cdp.FieldErrorf("events", "a destination receives at least one event kind")
	case d.RateLimit < 0:
		return cdp.FieldErrorf("rateLimit", "rate limit %d is negative", d.RateLimit)
	}
	for i, k := range d.Events {
		if _, ok := EventKinds[k]; !ok {
			return cdp.FieldErrorf("events["+itoa(i)+"]", "unknown event kind %q", k)
		}
	}
	return nil
}

func itoa(i int) string { return strconv.Itoa(i) }

// Event is one thing that happened to a customer.
type Event struct {
	ID         string // idempotency key
	Kind       string
	CustomerID string
	SegmentID  string // segment events
	ActionKind string // action events
	At         time.Time
	Fields     map[string]any // everything known; Payload keeps only what is allowed
}

// Receives says whether d gets e, given the consent purposes the customer has granted.
// Erasure and withdrawal are always sent to a destination that subscribes to them;
// marketing events need the destination's purpose granted, and a destination without a
// purpose gets none.
func (d *Destination) Receives(e Event, granted map[string]bool) bool {
	if !slices.Contains(d.Events, e.Kind) {
		return false
	}
	if (e.Kind == SegmentEntered || e.Kind == SegmentLeft) && len(d.Segments) > 0 && !slices.Contains(d.Segments, e.SegmentID) {
		return false
	}
	if e.Kind == ActionPlanned && len(d.Actions) > 0 && !slices.Contains(d.Actions, e.ActionKind) {
		return false
	}
	if EventKinds[e.Kind] {
		return d.ConsentPurpose != "" && granted[d.ConsentPurpose]
	}
	return true
}

// Payload is what d may see of e: the event's id, kind, time, customer and segment or
// action, plus only the fields on d's list.
func (d *Destination) Payload(e Event) map[string]any {
	p := map[string]any{"id": e.ID, "kind": e.Kind, "customerId": e.CustomerID, "at": e.At.UTC().Format(time.RFC3339Nano)}
	if e.SegmentID != "" {
		p["segmentId"] = e.SegmentID
	}
	if e.ActionKind != "" {
		p["action"] = e.ActionKind
	}
	if e.Kind == CustomerErased || e.Kind == ConsentWithdrawn {
		return p // no personal data travels with an erasure or a withdrawal
	}
	fields := map[string]any{}
	for _, f := range d.Fields {
		if v, ok := e.Fields[f]; ok {
			fields[f] = v
		}
	}
	if len(fields) > 0 {
		p["fields"] = fields
	}
	return p
}

// RetryPolicy says when a failed delivery is tried again.
type RetryPolicy struct {
	Base        time.Duration
	Max         time.Duration
	MaxAttempts int
}

// DefaultRetry is 1 s doubling to at most 1 h, dead after 8 attempts.
var DefaultRetry = RetryPolicy{Base: time.Second, Max: time.Hour, MaxAttempts: 8}

// Backoff is the ceiling of the wait after the given number of failed attempts (1 = first).
func (p RetryPolicy) Backoff(attempts int) time.Duration {
	d := p.Base
	for i := 1; i < attempts && d < p.Max; i++ {
		d *= 2
	}
	return min(d, p.Max)
}

// Next returns when to try again after attempts failed attempts, with full jitter (a
// random wait up to the backoff, from rnd in [0,1)), and whether the event is dead.
// permanent marks a failure that retrying cannot fix (the receiver refused the event).
func (p RetryPolicy) Next(now time.Time, attempts int, permanent bool, rnd float64) (time.Time, bool) {
	if permanent || attempts >= p.MaxAttempts {
		return time.Time{}, true
	}
	wait := time.Duration(rnd * float64(p.Backoff(attempts)))
	return now.Add(max(wait, time.Millisecond)), false
}

// Jitter is the default source of rnd for Next.
func Jitter() float64 { return rand.Float64() }

// Permanent says whether an HTTP status means the receiver refused the event for good:
// a 4xx other than 408 (timeout) and 429 (too many requests).
func Permanent(status int) bool {
	return status >= 400 && status < 500 && status != 408 && status != 429
}
