// Package ingest validates and normalizes what source systems send and hands the clean
// records to the store. Every path in (GraphQL mutations, the import command, the demo)
// goes through Service, so a record is judged the same way wherever it came from.
//
// A bad record never spoils its batch: it is reported with its position, field and reason,
// and the batch's valid records are written. Within a batch the last record with a given
// source id wins; across batches the store makes replays change nothing.
package ingest

import (
	"context"
	"fmt"
	"regexp"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/normalize"
)

// MaxBatch is the most records one call may carry; larger loads are split by the caller
// (the import command streams files in batches of this size or less).
const MaxBatch = 5000

// Options set how ambiguous input is read.
type Options struct {
	DefaultRegion string         // phone region for numbers without +country, e.g. "CN"
	Location      *time.Location // zone of timestamps that carry none
	DayFirst      bool           // 02/01/2006 is 2 January, not February 1
	Now           func() time.Time
}

// Service validates, normalizes and stores batches.
type Service struct {
	store cdp.IngestStore
	opts  Options
	// OnBatch, if set, learns what became of every batch that was judged (the metrics);
	// set it before the service is used.
	OnBatch func(source string, res *Result)
}

// NewService returns a Service writing to store.
func NewService(store cdp.IngestStore, opts Options) *Service {
	if opts.DefaultRegion == "" {
		opts.DefaultRegion = "CN"
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Service{store: store, opts: opts}
}

// RecordError says why one record of a batch was rejected.
type RecordError struct {
	Index    int    // position in the batch (or file), from 0
	Line     int    // line in the file, for imports; 0 otherwise
	SourceID string // the record's source id, when it had one
	Field    string // the input field at fault, as named in NDJSON/CSV
	Message  string
}

func (e RecordError) Error() string {
	return fmt.Sprintf("record %d (%s): %s: %s", e.Index, e.SourceID, e.Field, e.Message)
}

// Result reports what happened to a batch.
type Result struct {
	Kind       cdp.RecordKind
	Received   int
	Accepted   int
	Rejected   int
	Duplicates int // records superseded by a later record with the same source id in the batch
	cdp.WriteStats
	Errors  []RecordError
	Elapsed time.Duration // set by callers that time the work
}

// Add folds another batch's result into r, shifting its record positions by offset.
func (r *Result) Add(other *Result, offset int) {
	r.Received += other.Received
	r.Accepted += other.Accepted
	r.Rejected += other.Rejected
	r.Duplicates += other.Duplicates
	r.WriteStats.Add(other.WriteStats)
	for _, e := range other.Errors {
		e.Index += offset
		r.Errors = append(r.Errors, e)
	}
}

var sourceName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)

// CheckSource validates a source system's name.
func CheckSource(source string) error {
	if !sourceName.MatchString(source) {
		return &cdp.Error{Code: cdp.EINVALID, Field: "source",
			Message: fmt.Sprintf("source %q must be 1-40 lower-case letters, digits, '-' or '_', starting with a letter", source)}
	}
	return nil
}

// run is the shape every kind shares: check the batch, clean each record, keep the last of
// each key, write the survivors, and report.
func run[R, C any](ctx context.Context, s *Service, kind cdp.RecordKind, source string, recs []R,
	clean func(*recordCheck, R) C, key func(C) string, about func(C) []string, write func(context.Context, []C) (cdp.WriteStats, error)) (*Result, error) {
	if err := CheckSource(source); err != nil {
		return nil, err
	}
	if len(recs) > MaxBatch {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "records",
			Message: fmt.Sprintf("a batch holds at most %d records, got %d; split it", MaxBatch, len(recs))}
	}
	res := &Result{Kind: kind, Received: len(recs)}
	cleaned := make([]C, 0, len(recs))
	index := make([]int, 0, len(recs)) // position in recs of each cleaned record
	position := map[string]int{}       // key -> index in cleaned
	for i, r := range recs {
		chk := &recordCheck{index: i}
		c := clean(chk, r)
		if len(chk.errs) > 0 {
			res.Rejected++
			res.Errors = append(res.Errors, chk.errs...)
			continue
		}
		k := key(c)
		if at, dup := position[k]; dup {
			cleaned[at] = c
			res.Duplicates++
			continue
		}
		position[k] = len(cleaned)
		cleaned = append(cleaned, c)
		index = append(index, i)
	}
	cleaned, err := dropErased(ctx, s, res, cleaned, index, key, about)
	if err != nil {
		return nil, err
	}
	res.Accepted = res.Received - res.Rejected
	if len(cleaned) > 0 {
		stats, err := write(ctx, cleaned)
		if err != nil {
			return nil, err
		}
		res.WriteStats = stats
	}
	if s.OnBatch != nil {
		s.OnBatch(source, res)
	}
	return res, nil
}

// recordCheck collects the field errors of one record.
type recordCheck struct {
	index    int
	sourceID string
	errs     []RecordError
}

func (c *recordCheck) fail(field, format string, args ...any) {
	c.errs = append(c.errs, RecordError{Index: c.index, SourceID: c.sourceID, Field: field, Message: fmt.Sprintf(format, args...)})
}

// ok returns a function that records a normalizer's error against field, if any, and
// passes its value on: c.ok("email")(normalize.Email(v)).
func (c *recordCheck) ok(field string) func(string, error) string {
	return func(v string, err error) string {
		if err != nil {
			c.fail(field, "%s", err.Error())
		}
		return v
	}
}

// NormalizeIdentifier normalizes an identifier value the way ingest does, so lookups find
// what ingest stored whatever format the caller typed.
func (s *Service) NormalizeIdentifier(typ cdp.IdentifierType, value string) (cdp.Identifier, error) {
	v, err := normalize.Identifier(string(typ), value, s.opts.DefaultRegion)
	if err != nil {
		return cdp.Identifier{}, &cdp.Error{Code: cdp.EINVALID, Field: "value", Message: err.Error()}
	}
	return cdp.Identifier{Type: typ, Value: v}, nil
}

// dropErased rejects records about people erased at their request: a customer record
// whose key or identifier, or any record whose customer, is on the suppression list. A
// replayed batch thus cannot bring an erased person back.
func dropErased[C any](ctx context.Context, s *Service, res *Result, cleaned []C, index []int, key func(C) string, about func(C) []string) ([]C, error) {
	var keys []string
	for _, c := range cleaned {
		keys = append(keys, about(c)...)
	}
	if len(keys) == 0 {
		return cleaned, nil
	}
	erased, err := s.store.Suppressed(ctx, keys)
	if err != nil || len(erased) == 0 {
		return cleaned, err
	}
	kept := cleaned[:0]
	for i, c := range cleaned {
		blocked := false
		for _, k := range about(c) {
			blocked = blocked || erased[k]
		}
		if !blocked {
			kept = append(kept, c)
			continue
		}
		res.Rejected++
		res.Errors = append(res.Errors, RecordError{Index: index[i], SourceID: key(c), Field: "source_id",
			Message: "this person's data was erased at their request; it is not accepted again"})
	}
	return kept, nil
}
