package segment

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	background "github.com/cdpgraph/cdpgraph/internal/every"
)

// Evaluator runs compiled definitions against the graph.
type Evaluator interface {
	// Preview counts the matching customers and returns the first sample ids.
	Preview(ctx context.Context, q Query, sample int) (int, []string, error)
	// MemberIDs returns every matching customer id, sorted.
	MemberIDs(ctx context.Context, q Query) ([]string, error)
}

// Service previews definitions and keeps saved segments' membership up to date.
type Service struct {
	Store     cdp.SegmentStore
	Evaluator Evaluator
	// Derived, if set, keeps the precomputed hops to a detractor; RefreshAll brings them
	// up to date first. Without it (or while they are out of date) nearDetractor walks
	// the graph, with the same answers.
	Derived DerivedStore
	// OnChange, if set, hears of customers entering and leaving segments (subscriptions).
	OnChange func([]cdp.MembershipChange)
	Log      *slog.Logger
	Now      func() time.Time
	// RFMSegments are the configured RFM segment names (nil: the default map's), Actions
	// the playbook's actions, and Values reads what the data holds (NewService takes it
	// from the evaluator when that can): the parts of Vocabulary this package does not own.
	RFMSegments []string
	Actions     []string
	Values      VocabularyReader

	mu sync.Mutex // refreshes one at a time

	held heldValues // what the data holds, read at most once per heldValuesTTL
}

// NewService returns a segment service.
func NewService(store cdp.SegmentStore, ev Evaluator, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	s := &Service{Store: store, Evaluator: ev, Log: log, Now: time.Now}
	s.Values, _ = ev.(VocabularyReader)
	return s
}

// Preview counts the customers a definition selects now, with a sample.
func (s *Service) Preview(ctx context.Context, d Definition, sample int) (int, []string, error) {
	if sample < 0 || sample > 100 {
		return 0, nil, &cdp.Error{Code: cdp.EINVALID, Field: "sample", Message: "must be between 0 and 100"}
	}
	if err := s.prepare(ctx, &d); err != nil {
		return 0, nil, err
	}
	q, err := Compile(d, s.Now().UTC())
	if err != nil {
		return 0, nil, err
	}
	return s.Evaluator.Preview(ctx, q, sample)
}

// Create saves a segment and computes its members.
func (s *Service) Create(ctx context.Context, name, description string, d Definition) (*cdp.Segment, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "name", Message: "must be 1 to 200 characters"}
	}
	def, err := s.encode(ctx, d)
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	seg := &cdp.Segment{ID: newID(), Name: name, Description: strings.TrimSpace(description), Definition: def, CreatedAt: now, UpdatedAt: now}
	if err := s.Store.CreateSegment(ctx, seg); err != nil {
		return nil, err
	}
	return s.Refresh(ctx, seg.ID)
}

// Update changes a segment's name, description or definition and recomputes members.
func (s *Service) Update(ctx context.Context, id string, name, description *string, d *Definition) (*cdp.Segment, error) {
	seg, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if name != nil {
		if n := strings.TrimSpace(*name); n == "" || len(n) > 200 {
			return nil, &cdp.Error{Code: cdp.EINVALID, Field: "name", Message: "must be 1 to 200 characters"}
		}
		seg.Name = strings.TrimSpace(*name)
	}
	if description != nil {
		seg.Description = strings.TrimSpace(*description)
	}
	if d != nil {
		if seg.Definition, err = s.encode(ctx, *d); err != nil {
			return nil, err
		}
	}
	seg.UpdatedAt = s.Now().UTC()
	if err := s.Store.UpdateSegment(ctx, seg); err != nil {
		return nil, err
	}
	return s.Refresh(ctx, id)
}

// List returns the saved segments by name: the first `first` of them, and how many are saved.
// They are an analyst-made set (hundreds at most), read whole.
func (s *Service) List(ctx context.Context, first int) ([]*cdp.Segment, int, error) {
	segs, err := s.Store.ListSegments(ctx)
	if err != nil {
		return nil, 0, err
	}
	return segs[:min(first, len(segs))], len(segs), nil
}

// Refresh recomputes one segment's members and records who entered and left.
func (s *Service) Refresh(ctx context.Context, id string) (*cdp.Segment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seg, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.refresh(ctx, seg); err != nil {
		return nil, err
	}
	return s.get(ctx, id)
}

// RefreshDerived recomputes the hops to a detractor if a write may have changed them
// since they were last computed.
func (s *Service) RefreshDerived(ctx context.Context) error {
	if s.Derived == nil {
		return nil
	}
	start := s.Now()
	refreshed, err := s.Derived.RefreshDetractorHops(ctx, DetractorHops)
	if err != nil {
		return err
	}
	if refreshed {
		s.Log.Info("hops to detractors recomputed", "ms", s.Now().Sub(start).Milliseconds())
	}
	return nil
}

// RefreshAll recomputes every saved segment (after ingest and scoring), and first the
// hops to a detractor if they are out of date.
func (s *Service) RefreshAll(ctx context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.RefreshDerived(ctx); err != nil {
		return 0, err
	}
	segs, err := s.Store.ListSegments(ctx)
	if err != nil {
		return 0, err
	}
	changed := 0
	for _, seg := range segs {
		if err := s.refresh(ctx, seg); err != nil {
			return changed, err
		}
		changed++
	}
	return changed, nil
}

func (s *Service) refresh(ctx context.Context, seg *cdp.Segment) error {
	var d Definition
	if err := json.Unmarshal([]byte(seg.Definition), &d); err != nil {
		return &cdp.Error{Code: cdp.EINTERNAL, Message: "segment " + seg.ID + " has an unreadable definition"}
	}
	s.migrate(ctx, seg, &d)
	now := s.Now().UTC()
	q, err := Compile(d, now)
	if err != nil {
		return err
	}
	ids, err := s.Evaluator.MemberIDs(ctx, q)
	if err != nil {
		return err
	}
	changes, err := s.Store.ApplyMembership(ctx, seg.ID, ids, now)
	if err != nil {
		return err
	}
	if len(changes) > 0 {
		s.Log.Info("segment refreshed", "segment", seg.Name, "members", len(ids), "changes", len(changes))
		if s.OnChange != nil {
			s.OnChange(changes)
		}
	}
	return nil
}

// MemberIDs returns a saved segment's current members (as last refreshed).
func (s *Service) MemberIDs(ctx context.Context, id string) ([]string, error) {
	var ids []string
	page := cdp.PageArgs{First: 5000}
	for {
		p, err := s.Store.SegmentMembers(ctx, id, page)
		if err != nil {
			return nil, err
		}
		for _, c := range p.Items {
			ids = append(ids, c.ID)
		}
		if !p.HasNextPage {
			return ids, nil
		}
		page.After = p.Cursors[len(p.Cursors)-1]
	}
}

// Watch refreshes every saved segment each interval until ctx ends.
func (s *Service) Watch(ctx context.Context, interval time.Duration) {
	background.Tick(ctx, interval, s.Log, "segment refresh", func(ctx context.Context) error {
		_, err := s.RefreshAll(ctx)
		return err
	})
}

func (s *Service) get(ctx context.Context, id string) (*cdp.Segment, error) {
	m, err := s.Store.SegmentsByIDs(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if m[id] == nil {
		return nil, &cdp.Error{Code: cdp.ENOTFOUND, Field: "id", Message: "no segment " + id}
	}
	return m[id], nil
}

// encode validates a definition and stores it as JSON, in the canonical spelling.
func (s *Service) encode(ctx context.Context, d Definition) (string, error) {
	if err := s.prepare(ctx, &d); err != nil {
		return "", err
	}
	b, err := json.Marshal(d)
	return string(b), err
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "seg_" + hex.EncodeToString(b[:])
}
