package cdpgraph

import (
	"context"
	"time"
)

// SocialEdge is a social tie between two customers (their source records' tie, resolved):
// From did Type (follows, referred, shared, mentioned) to To, Count times. FirstAt and
// LastAt are the earliest and latest dates of the record ties behind it; nil when no
// source dated any of them.
type SocialEdge struct {
	From, To        string
	Type            string
	Count           int
	FirstAt, LastAt *time.Time
}

// Influence is a customer's place in the social graph, written by an influence run.
type Influence struct {
	CustomerID string
	Score      float64 // weighted PageRank over attention (see package influence); sums to 1 over everyone
	Rank       int     // 1 = most influential
	Reach      [3]int  // customers within 1, 2 and 3 hops of influence
	Community  string
	// Referrals: whom this customer brought in, and what they spent.
	Referred          int     // direct referrals
	Downstream        int     // everyone brought in directly or through them
	CascadeDepth      int     // longest referral chain below this customer
	ReferredBy        string  // who brought this customer in, if anyone
	DrivenRevenue     float64 // revenue of the direct referrals
	DownstreamRevenue float64 // revenue of everyone downstream
	ComputedAt        time.Time
}

// InfluenceStore reads the social graph and stores influence results.
type InfluenceStore interface {
	SocialEdges(ctx context.Context) ([]SocialEdge, error)
	// Revenues returns each scored customer's revenue (from the latest scores).
	Revenues(ctx context.Context) (map[string]float64, error)
	WriteInfluence(ctx context.Context, results []Influence, computedAt time.Time) error
	// SaveInfluenceRun records a finished run's report (JSON); LastInfluenceRun returns
	// the latest run's time and report, zero and nil before the first.
	SaveInfluenceRun(ctx context.Context, at time.Time, report []byte) error
	LastInfluenceRun(ctx context.Context) (time.Time, []byte, error)
	// SocialChangedSince reports whether ties arrived or customers changed (merges and
	// splits move ties between customers) after t.
	SocialChangedSince(ctx context.Context, t time.Time) (bool, error)
}

// SocialStep is one customer on a social path and the tie to the next one.
type SocialStep struct {
	CustomerID string
	Tie        string // follows, referred, shared, mentioned; empty on the last step
	Outgoing   bool   // this customer did Tie to the next (false: the next did it to this one)
}

// TieFilter narrows the ties read. Zero fields do not filter.
type TieFilter struct {
	Types []string   // of SocialTieTypes
	Since *time.Time // only ties last seen at or after this; undated ties are left out
}

// SocialGraph is a customer's neighbourhood for drawing.
type SocialGraph struct {
	Nodes     []string // customer ids, the centre first
	Edges     []SocialEdge
	Truncated bool // more customers were within reach than the cap allowed
}

// Community is a group found by the last influence run, with its members' aggregates.
type Community struct {
	ID           string
	Size         int
	Revenue      float64
	AvgChurnRisk *float64
	AvgSentiment *float64
}

// SocialReader answers the analysts' questions about the social graph.
type SocialReader interface {
	// TiesOfCustomers returns every tie between resolved customers that touches one of ids
	// and passes the filter, one edge per (from, to, type).
	TiesOfCustomers(ctx context.Context, ids []string, f TieFilter) ([]SocialEdge, error)
	// ShortestSocialPath returns the customers on a shortest chain of ties (either
	// direction) from one customer to another, nil if none within maxTies.
	ShortestSocialPath(ctx context.Context, from, to string, maxTies int) ([]SocialStep, error)
	Communities(ctx context.Context, first int) ([]Community, error)
	CommunitiesByIDs(ctx context.Context, ids []string) (map[string]*Community, error)
	// ReferralsByCustomerIDs returns the first customers each one referred, by id.
	ReferralsByCustomerIDs(ctx context.Context, ids []string, first int) (map[string][]*Customer, error)
	TopMembersByCommunityIDs(ctx context.Context, ids []string, first int) (map[string][]*Customer, error)
}
