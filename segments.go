package cdpgraph

import (
	"context"
	"time"
)

// Segment is a saved segment: a definition (the JSON of a segment.Definition) whose
// members are kept materialized in the graph as IN_SEGMENT relationships.
type Segment struct {
	ID          string
	Name        string
	Description string
	Definition  string // JSON
	CreatedAt   time.Time
	UpdatedAt   time.Time
	MemberCount int
	RefreshedAt *time.Time
}

// MembershipChange is a customer entering or leaving a segment.
type MembershipChange struct {
	SegmentID  string
	CustomerID string
	Kind       string // entered, left
	At         time.Time
}

// ChurnBandChange is a customer's churn band moving between scoring runs.
type ChurnBandChange struct {
	CustomerID string
	From, To   string // From is empty for a first score
	At         time.Time
}

// SegmentStore keeps saved segments and their membership.
type SegmentStore interface {
	CreateSegment(ctx context.Context, s *Segment) error
	UpdateSegment(ctx context.Context, s *Segment) error
	DeleteSegment(ctx context.Context, id string) (bool, error)
	SegmentsByIDs(ctx context.Context, ids []string) (map[string]*Segment, error)
	ListSegments(ctx context.Context) ([]*Segment, error)
	// ApplyMembership makes members the segment's members as of at, recording who
	// entered and who left, and returns those changes.
	ApplyMembership(ctx context.Context, segmentID string, members []string, at time.Time) ([]MembershipChange, error)
	SegmentMembers(ctx context.Context, segmentID string, page PageArgs) (*Page[*Customer], error)
	SegmentHistory(ctx context.Context, segmentID string, page PageArgs) (*Page[MembershipChange], error)
	// SegmentsOfCustomers returns the first segments each customer is in, by name, and their number.
	SegmentsOfCustomers(ctx context.Context, ids []string, first int) (map[string]*Page[*Segment], error)
}

// Action statuses.
const (
	ActionPlanned   = "planned"
	ActionSent      = "sent"
	ActionDone      = "done"
	ActionDismissed = "dismissed"
)

// ActionStatuses are the valid action statuses.
var ActionStatuses = map[string]bool{ActionPlanned: true, ActionSent: true, ActionDone: true, ActionDismissed: true}

// Action is a retention action for one customer, planned from the playbook; its status
// and outcome let campaigns be measured later.
type Action struct {
	ID         string
	CustomerID string
	Kind       string
	Channel    string
	Reason     string
	Status     string
	Outcome    string
	SegmentID  string
	Campaign   string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Suggestion is a next-best action for a customer; Suppressed says why it may not be
// sent now (consent, frequency cap), empty when it may.
type Suggestion struct {
	Action     string
	Channel    string
	Reason     string
	Priority   int
	Suppressed string
}
