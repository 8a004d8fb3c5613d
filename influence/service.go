package influence

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/internal/every"
)

// Service runs influence analysis over the platform's social graph: it reads the ties
// between customers, ranks, groups and measures them, and writes the results back.
type Service struct {
	Store   cdp.InfluenceStore
	Weights Weights
	Log     *slog.Logger
	Now     func() time.Time
	// ReachLimit caps reach counts (see ReachAll); 0 means 10,000.
	ReachLimit int

	mu sync.Mutex // one run at a time
}

// NewService returns a service with the default weights.
func NewService(store cdp.InfluenceStore, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{Store: store, Weights: DefaultWeights(), Log: log, Now: time.Now}
}

// RunReport describes an influence run.
type RunReport struct {
	ComputedAt   time.Time
	Customers    int
	Ties         int
	Communities  int
	Modularity   float64
	BrokenCycles int
	Iterations   int
	ReadTime     time.Duration
	ComputeTime  time.Duration
	WriteTime    time.Duration
}

// Run computes influence for every customer with a social tie and stores it.
func (s *Service) Run(ctx context.Context) (*RunReport, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rep := &RunReport{}
	// Changes arriving while the run reads are the next run's: the run is recorded as of
	// its start.
	runStart := s.Now().UTC()
	start := time.Now()
	ties, err := s.Store.SocialEdges(ctx)
	if err != nil {
		return nil, err
	}
	revenue, err := s.Store.Revenues(ctx)
	if err != nil {
		return nil, err
	}
	rep.ReadTime = time.Since(start)

	start = time.Now()
	results, err := s.compute(ties, revenue, rep)
	if err != nil {
		return nil, err
	}
	rep.ComputeTime = time.Since(start)

	start = time.Now()
	now := s.Now().UTC()
	for i := range results {
		results[i].ComputedAt = now
	}
	if err := s.Store.WriteInfluence(ctx, results, now); err != nil {
		return nil, err
	}
	rep.WriteTime = time.Since(start)
	rep.ComputedAt = now
	b, err := json.Marshal(rep)
	if err != nil {
		return nil, err
	}
	if err := s.Store.SaveInfluenceRun(ctx, runStart, b); err != nil {
		return nil, err
	}
	s.Log.Info("influence computed", "customers", rep.Customers, "ties", rep.Ties, "communities", rep.Communities,
		"modularity", fmt.Sprintf("%.4f", rep.Modularity), "read", rep.ReadTime.Round(time.Millisecond),
		"compute", rep.ComputeTime.Round(time.Millisecond), "write", rep.WriteTime.Round(time.Millisecond))
	return rep, nil
}

// RefreshIfChanged reruns influence when ties arrived or customers changed since the last
// run (or there was none) and reports whether it ran.
func (s *Service) RefreshIfChanged(ctx context.Context) (bool, error) {
	last, _, err := s.Store.LastInfluenceRun(ctx)
	if err != nil {
		return false, err
	}
	if !last.IsZero() {
		changed, err := s.Store.SocialChangedSince(ctx, last)
		if err != nil || !changed {
			return false, err
		}
	}
	_, err = s.Run(ctx)
	return err == nil, err
}

// Watch refreshes influence every interval until ctx ends; errors are logged.
func (s *Service) Watch(ctx context.Context, interval time.Duration) {
	every.Tick(ctx, interval, s.Log, "influence refresh", func(ctx context.Context) error {
		_, err := s.RefreshIfChanged(ctx)
		return err
	})
}

// compute turns ties and revenue into per-customer influence.
func (s *Service) compute(ties []cdp.SocialEdge, revenue map[string]float64, rep *RunReport) ([]cdp.Influence, error) {
	edges := make([]Edge, len(ties))
	for i, t := range ties {
		edges[i] = Edge{From: t.From, To: t.To, Type: t.Type, Count: t.Count}
	}
	g, err := Build(edges, s.Weights)
	if err != nil {
		return nil, err
	}
	rank, err := g.PageRank(RankOptions{})
	if err != nil {
		return nil, err
	}
	comm, err := g.Louvain(CommunityOptions{Seed: 1})
	if err != nil {
		return nil, err
	}
	limit := s.ReachLimit
	if limit == 0 {
		limit = 10000
	}
	reach := g.ReachAll(3, limit)
	casc := g.Cascades(revenue)
	rep.Customers, rep.Ties, rep.Communities, rep.Modularity = g.Len(), len(ties), len(comm.Sizes), comm.Modularity
	rep.BrokenCycles, rep.Iterations = len(casc.BrokenCycles), rank.Iterations

	out := make([]cdp.Influence, g.Len())
	for u := range out {
		c := casc.Nodes[u]
		x := cdp.Influence{CustomerID: g.ID(u), Score: rank.Scores[u], Rank: rank.Rank[u],
			Reach:     [3]int{reach.Within(u, 1), reach.Within(u, 2), reach.Within(u, 3)},
			Community: CommunityID(comm.Of[u]), Referred: c.Direct, Downstream: c.Downstream, CascadeDepth: c.Depth,
			DrivenRevenue: c.DirectRevenue, DownstreamRevenue: c.DownstreamRevenue}
		if c.Referrer >= 0 {
			x.ReferredBy = g.ID(c.Referrer)
		}
		out[u] = x
	}
	return out, nil
}

// CommunityID names community k of a run: "c1" is the largest. Ids are stable within a
// run, not across runs.
func CommunityID(k int) string { return fmt.Sprintf("c%d", k+1) }

// ParseWeights reads "referred=3,shared=2,mentioned=1.5,follows=1"; types not named keep
// their default weight.
func ParseWeights(s string) (Weights, error) {
	w := DefaultWeights()
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, val, ok := strings.Cut(part, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if _, known := w[name]; !ok || err != nil || !known {
			return nil, fmt.Errorf("influence weight %q: want TYPE=number with TYPE one of follows, referred, shared, mentioned", part)
		}
		w[name] = f
	}
	return w, w.Validate()
}

// NeighbourhoodOf returns the customers within hops ties of a customer (either direction)
// and the ties among them, expanding breadth-first one query per hop, at most maxNodes
// customers. Truncated says some were left out; who is left out of the last hop is
// decided by id order, so the picture is stable. Only ties passing f are walked and shown;
// its types must be SocialTieTypes.
func NeighbourhoodOf(ctx context.Context, r cdp.SocialReader, centre string, hops, maxNodes int, f cdp.TieFilter) (*cdp.SocialGraph, error) {
	if hops < 1 || hops > 3 {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "hops", Message: "must be 1, 2 or 3"}
	}
	if maxNodes < 1 || maxNodes > 1000 {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "maxNodes", Message: "must be between 1 and 1000"}
	}
	types, err := checkTieTypes(f.Types)
	if err != nil {
		return nil, err
	}
	f.Types = types
	g := &cdp.SocialGraph{Nodes: []string{centre}}
	in := map[string]bool{centre: true}
	var ties []cdp.SocialEdge
	frontier := []string{centre}
	for h := 0; h < hops && len(frontier) > 0; h++ {
		found, err := r.TiesOfCustomers(ctx, frontier, f)
		if err != nil {
			return nil, err
		}
		ties = append(ties, found...)
		var next []string
		seen := map[string]bool{}
		for _, t := range found {
			for _, id := range []string{t.From, t.To} {
				if !in[id] && !seen[id] {
					seen[id] = true
					next = append(next, id)
				}
			}
		}
		slices.Sort(next)
		if room := maxNodes - len(g.Nodes); len(next) > room {
			next, g.Truncated = next[:room], true
		}
		for _, id := range next {
			in[id] = true
		}
		g.Nodes = append(g.Nodes, next...)
		frontier = next
	}
	// Ties among the customers shown: those found from the last hop's customers to
	// each other are not in ties yet, so ask once more.
	if len(frontier) > 0 {
		found, err := r.TiesOfCustomers(ctx, frontier, f)
		if err != nil {
			return nil, err
		}
		ties = append(ties, found...)
	}
	// A tie between two customers of one frontier is read from both ends, alike.
	type key struct{ from, to, typ string }
	dup := map[key]bool{}
	for _, t := range ties {
		k := key{t.From, t.To, t.Type}
		if in[t.From] && in[t.To] && !dup[k] {
			dup[k] = true
			g.Edges = append(g.Edges, t)
		}
	}
	return g, nil
}

// checkTieTypes checks a tie-type filter against the vocabulary, lower-cased; nil is every type.
func checkTieTypes(types []string) ([]string, error) {
	if types == nil {
		return nil, nil
	}
	if len(types) == 0 {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "types", Message: "is an empty list: leave it out for every tie type"}
	}
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = strings.ToLower(strings.TrimSpace(t))
		if !slices.Contains(cdp.SocialTieTypes, out[i]) {
			return nil, &cdp.Error{Code: cdp.EINVALID, Field: "types[" + strconv.Itoa(i) + "]",
				Message: fmt.Sprintf("unknown tie type %q; use one of %s", t, strings.Join(cdp.SocialTieTypes, ", "))}
		}
	}
	return out, nil
}
