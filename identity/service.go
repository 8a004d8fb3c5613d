package identity

import (
	"context"
	"encoding/json"
	"strings"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity/match"
)

// Service explains and corrects identity resolution. Every correction is stored as a fact
// between source records (same person, not the same person) and the affected components
// are recomputed at once, so corrections hold through later ingests and full recomputes.
type Service struct {
	store    Store
	resolver *Resolver
}

var _ cdp.IdentityService = (*Service)(nil)

// NewService returns the identity service over a store, deciding by rules.
func NewService(store Store, rules Rules) *Service {
	return &Service{store: store, resolver: NewResolver(rules)}
}

// checkRecords fails with not-found naming the first key that is not a resolved record.
func checkRecords(g Graph, keys []string) error {
	found, err := g.ExistingRecords(keys)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if !found[k] {
			return &cdp.Error{Code: cdp.ENOTFOUND, Message: "no source record " + k}
		}
	}
	return nil
}

// ExplainMatch returns the chain of links that puts two records in one customer: shared
// identifiers, matches and analysts' decisions, as applied by the clustering.
func (s *Service) ExplainMatch(ctx context.Context, a, b string) (*cdp.MatchExplanation, error) {
	var out *cdp.MatchExplanation
	err := s.store.View(ctx, func(g Graph) error {
		if err := checkRecords(g, []string{a, b}); err != nil {
			return err
		}
		c, err := g.Component([]string{a}, s.resolver.Rules.LinkPolicy())
		if err != nil {
			return err
		}
		records, links, apart, _ := s.resolver.links(c)
		clusters, applied := Cluster(records, links, apart)
		out = &cdp.MatchExplanation{CustomerA: currentCustomers(c)[a]}
		if out.CustomerB, err = g.CustomerOf(b); err != nil {
			return err
		}
		if clusters[a] == "" || clusters[a] != clusters[b] {
			out.WhyApart, err = s.whyApart(g, a, b)
			return err
		}
		out.SameCustomer = true
		out.Steps = ShortestLinkPath(applied, a, b)
		return nil
	})
	return out, err
}

// whyApart reads the facts about two records in different customers and has the rules
// explain them.
func (s *Service) whyApart(g Graph, a, b string) (*cdp.WhyApart, error) {
	f, err := g.PairFacts(a, b)
	if err != nil {
		return nil, err
	}
	rows, err := g.MatchRecords([]string{a, b})
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		if m := s.resolver.Rules.matchRecordOfRow(row); m.ID == a {
			f.A = m
		} else {
			f.B = m
		}
	}
	stored, err := g.MatchModel()
	if err != nil {
		return nil, err
	}
	return s.resolver.Rules.WhyApart(usableModel(stored), *f), nil
}

// usableModel is the stored matcher ingest scores with; nil when there is none, or it is
// unreadable or from an older version (nothing is scored with it then either).
func usableModel(st *StoredModel) *match.Model {
	if st == nil {
		return nil
	}
	m, err := decodeModel(st)
	if err != nil || m.Version != match.ModelVersion {
		return nil
	}
	return m
}

// currentCustomers maps a component's people to the customers they resolve to now.
func currentCustomers(c *Component) map[string]string {
	out := map[string]string{}
	for _, rec := range c.Records {
		if rec.Customer != "" && !rec.Record.Placeholder {
			out[rec.Key] = rec.Customer
		}
	}
	return out
}

// ShortestLinkPath finds the fewest applied links from a to b (breadth first, neighbours in
// sorted order so the answer is stable).
func ShortestLinkPath(links []Link, a, b string) []cdp.MatchStep {
	adj := map[string][]Link{}
	for _, l := range links {
		adj[l.A] = append(adj[l.A], l)
		adj[l.B] = append(adj[l.B], Link{A: l.B, B: l.A, Kind: l.Kind, Via: l.Via, Score: l.Score})
	}
	prev := map[string]Link{a: {}}
	queue := []string{a}
	for len(queue) > 0 && !has(prev, b) {
		cur := queue[0]
		queue = queue[1:]
		for _, l := range adj[cur] {
			if !has(prev, l.B) {
				prev[l.B] = l
				queue = append(queue, l.B)
			}
		}
	}
	if !has(prev, b) || a == b {
		return nil
	}
	var steps []cdp.MatchStep
	for cur := b; cur != a; {
		l := prev[cur]
		steps = append([]cdp.MatchStep{{From: l.A, To: l.B, Kind: l.Kind, Via: l.Via, Score: l.Score}}, steps...)
		cur = l.A
	}
	return steps
}

func has[V any](m map[string]V, k string) bool { _, ok := m[k]; return ok }

// MarkNotSamePerson records that two records are different people and splits their
// customer if they shared one.
func (s *Service) MarkNotSamePerson(ctx context.Context, a, b, reason string) error {
	if a == b {
		return &cdp.Error{Code: cdp.EINVALID, Field: "recordB", Message: "a record is always the same person as itself"}
	}
	return s.store.Update(ctx, func(g Graph) error {
		if err := checkRecords(g, []string{a, b}); err != nil {
			return err
		}
		now := s.store.Now().UTC()
		if err := g.MarkApart([][2]string{{a, b}}, reason, now); err != nil {
			return err
		}
		_, err := s.resolver.Resolve(g, []string{a, b}, nonEmpty(reason, "not_same_person"), now)
		return err
	})
}

// Unmerge moves the given records of one customer into a customer of their own: they are
// marked not the same person as the customer's other records, and the same as each other.
func (s *Service) Unmerge(ctx context.Context, keys []string, reason string) (string, error) {
	if len(keys) == 0 {
		return "", &cdp.Error{Code: cdp.EINVALID, Field: "records", Message: "name at least one record to split off"}
	}
	var newCustomer string
	err := s.store.Update(ctx, func(g Graph) error {
		if err := checkRecords(g, keys); err != nil {
			return err
		}
		c, err := g.Component(keys[:1], s.resolver.Rules.LinkPolicy())
		if err != nil {
			return err
		}
		current := currentCustomers(c)
		apart, same, err := unmergeFacts(current, keys)
		if err != nil {
			return err
		}
		now := s.store.Now().UTC()
		reason = nonEmpty(reason, "unmerge")
		if err := g.MarkApart(apart, reason, now); err != nil {
			return err
		}
		if len(same) > 0 {
			if err := g.MarkSame(same, reason, now); err != nil {
				return err
			}
		}
		if _, err := s.resolver.Resolve(g, keys, reason, now); err != nil {
			return err
		}
		newCustomer, err = g.CustomerOf(keys[0])
		return err
	})
	return newCustomer, err
}

// unmergeFacts are the decisions an unmerge stores: each record split off is apart from
// each of the customer's other records, and the same person as the other records split off.
func unmergeFacts(current map[string]string, keys []string) (apart, same [][2]string, err error) {
	owner := current[keys[0]]
	moving := map[string]bool{}
	for _, k := range keys {
		if current[k] != owner {
			return nil, nil, &cdp.Error{Code: cdp.EINVALID, Field: "records", Message: "the records to split off must belong to one customer"}
		}
		moving[k] = true
	}
	for _, r := range sortedKeys(current) {
		if current[r] == owner && !moving[r] {
			for _, k := range keys {
				apart = append(apart, [2]string{k, r})
			}
		}
	}
	if len(apart) == 0 {
		return nil, nil, &cdp.Error{Code: cdp.EINVALID, Field: "records", Message: "these are all of the customer's records; nothing to split from"}
	}
	for _, k := range keys[1:] {
		same = append(same, [2]string{keys[0], k})
	}
	return apart, same, nil
}

// MergeCustomers declares customers the same person: one record of each is marked the same
// as one record of the first, and any "not the same person" facts between them are removed.
func (s *Service) MergeCustomers(ctx context.Context, ids []string, reason string) (string, error) {
	if len(ids) < 2 {
		return "", &cdp.Error{Code: cdp.EINVALID, Field: "customerIds", Message: "name at least two customers to merge"}
	}
	var result string
	err := s.store.Update(ctx, func(g Graph) error {
		records, err := g.CustomerRecords(ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if len(records[id]) == 0 {
				return &cdp.Error{Code: cdp.ENOTFOUND, Message: "no customer " + id}
			}
		}
		lift, ties, all := mergeFacts(ids, records)
		now := s.store.Now().UTC()
		reason = nonEmpty(reason, "manual_merge")
		if err := g.LiftApart(lift); err != nil {
			return err
		}
		if err := g.MarkSame(ties, reason, now); err != nil {
			return err
		}
		if _, err := s.resolver.Resolve(g, all, reason, now); err != nil {
			return err
		}
		result, err = g.CustomerOf(records[ids[0]][0])
		return err
	})
	return result, err
}

// mergeFacts: every apart fact between the customers' records is lifted, and one record of
// each later customer is tied to one record of the first.
func mergeFacts(ids []string, records map[string][]string) (lift, ties [][2]string, all []string) {
	for _, id := range ids {
		all = append(all, records[id]...)
	}
	for x, id := range ids {
		for _, other := range ids[x+1:] {
			for _, a := range records[id] {
				for _, b := range records[other] {
					lift = append(lift, [2]string{a, b})
				}
			}
		}
	}
	for _, id := range ids[1:] {
		ties = append(ties, [2]string{records[ids[0]][0], records[id][0]})
	}
	return lift, ties, all
}

// DecideReview settles a review pair: the same person (a manual link) or not (an apart
// fact); either way the pair leaves the queue and the component is recomputed.
func (s *Service) DecideReview(ctx context.Context, a, b string, same bool, reason string) error {
	return s.store.Update(ctx, func(g Graph) error {
		if err := checkRecords(g, []string{a, b}); err != nil {
			return err
		}
		now := s.store.Now().UTC()
		if err := g.DeleteReview(a, b); err != nil {
			return err
		}
		var err error
		if same {
			err = g.MarkSame([][2]string{{a, b}}, nonEmpty(reason, "review: same person"), now)
		} else {
			err = g.MarkApart([][2]string{{a, b}}, nonEmpty(reason, "review: not the same person"), now)
		}
		if err == nil {
			err = g.MarkReviewed(a, b) // a labelled pair for the next fit (match/labels.go)
		}
		if err != nil {
			return err
		}
		_, err = s.resolver.Resolve(g, []string{a, b}, nonEmpty(reason, "review decision"), now)
		return err
	})
}

// FlaggedIdentifiers lists identifiers held by more records than their type allows, or by
// clearly different people, with their type's limit.
func (s *Service) FlaggedIdentifiers(ctx context.Context, page cdp.PageArgs) (*cdp.Page[*cdp.FlaggedIdentifier], error) {
	out, err := s.store.FlaggedIdentifiers(ctx, page)
	if err != nil {
		return nil, err
	}
	for _, f := range out.Items {
		if rule := s.resolver.Rules.Identifiers[f.Identifier.Type]; rule != nil {
			f.Limit = rule.MaxRecords
		}
	}
	return out, nil
}

// HistoryByCustomerIDs returns each customer's first identity events, newest first, and their number.
func (s *Service) HistoryByCustomerIDs(ctx context.Context, ids []string, first int) (map[string]*cdp.Page[cdp.IdentityEvent], error) {
	return s.store.HistoryByCustomerIDs(ctx, ids, first)
}

// RecordLinksByCustomerIDs returns each customer's first record links.
func (s *Service) RecordLinksByCustomerIDs(ctx context.Context, ids []string, first int) (map[string][]cdp.RecordLink, error) {
	return s.store.RecordLinksByCustomerIDs(ctx, ids, first)
}

// ReviewQueue lists undecided pairs, most probable first, with the matcher's evidence.
func (s *Service) ReviewQueue(ctx context.Context, page cdp.PageArgs) (*cdp.Page[*cdp.ReviewPair], error) {
	return s.store.ReviewQueue(ctx, page)
}

// MatchModel is the matcher the last full resolve fitted, for analysts; nil before one.
func (s *Service) MatchModel(ctx context.Context) (*cdp.MatchModel, error) {
	st, err := s.store.StoredModel(ctx)
	if err != nil || st == nil {
		return nil, err
	}
	m, err := decodeModel(st)
	if err != nil {
		return nil, err
	}
	return matchModelView(st, m), nil
}

// FittedModel is the matcher the last full resolve fitted, with what the analysts' labels
// changed in it; nil before the first (for `cdpgraph eval identity`).
func (s *Service) FittedModel(ctx context.Context) (*match.Model, error) {
	st, err := s.store.StoredModel(ctx)
	if err != nil || st == nil {
		return nil, err
	}
	return decodeModel(st)
}

// Recompute re-resolves every record, component by component, in batches. It gives the
// same customers as incremental resolution, and picks up changed rules (trusted types,
// limits, block lists).
func (s *Service) Recompute(ctx context.Context) (cdp.RecomputeStats, error) {
	var stats cdp.RecomputeStats
	// Block flags follow the current rules; matches follow the current data.
	if err := s.refreshIdentifierFlags(ctx); err != nil {
		return stats, err
	}
	if err := s.relink(ctx, &stats); err != nil {
		return stats, err
	}
	done := map[string]bool{}
	after := ""
	for {
		keys, err := s.store.RecordKeysAfter(ctx, after, 2000)
		if err != nil {
			return stats, err
		}
		if len(keys) == 0 {
			break
		}
		after = keys[len(keys)-1]
		var seeds []string
		for _, k := range keys {
			if !done[k] {
				seeds = append(seeds, k)
			}
		}
		if len(seeds) == 0 {
			continue
		}
		err = s.store.Update(ctx, func(g Graph) error {
			p, err := s.resolver.Resolve(g, seeds, "recompute", s.store.Now().UTC())
			if err != nil {
				return err
			}
			for _, k := range p.Records {
				done[k] = true
			}
			return nil
		})
		if err != nil {
			return stats, err
		}
	}
	stats.Records = len(done)
	n, err := s.store.CountCustomers(ctx)
	stats.Customers = n
	return stats, err
}

// refreshIdentifierFlags re-applies block lists and bridge limits to every identifier.
func (s *Service) refreshIdentifierFlags(ctx context.Context) error {
	policy := s.resolver.Rules.LinkPolicy()
	after := ""
	for {
		ids, err := s.store.IdentifiersAfter(ctx, after, 5000)
		if err != nil || len(ids) == 0 {
			return err
		}
		blocked := make(map[string]bool, len(ids))
		for _, id := range ids {
			blocked[id.Key] = s.resolver.Rules.Blocked(cdp.Identifier{Type: cdp.IdentifierType(id.Type), Value: id.Value})
		}
		after = ids[len(ids)-1].Key
		if err := s.store.SetBlocked(ctx, blocked, policy); err != nil {
			return err
		}
	}
}

// relink fits the matcher on every record, with analysts' review decisions as labelled
// pairs, and replaces all matches and review pairs.
func (s *Service) relink(ctx context.Context, stats *cdp.RecomputeStats) error {
	rows, err := s.store.AllMatchRecords(ctx)
	if err != nil {
		return err
	}
	records, stale := s.relinkRecords(rows)
	for start := 0; start < len(stale); start += 2000 {
		batch := stale[start:min(start+2000, len(stale))]
		if err := s.store.Update(ctx, func(g Graph) error { return g.WriteBlockKeys(batch) }); err != nil {
			return err
		}
	}
	labels, err := s.store.ReviewLabels(ctx)
	if err != nil {
		return err
	}
	res, err := s.fitMatches(records, labels)
	if err != nil || res == nil {
		return err
	}
	now := s.store.Now().UTC()
	if err := s.store.ReplaceAllMatches(ctx, res.Matches, res.Review, now); err != nil {
		return err
	}
	stats.Matches, stats.Review = len(res.Matches), len(res.Review)
	if res.Model == nil {
		return nil
	}
	report, _ := json.Marshal(res.Model)
	return s.store.SaveModel(ctx, string(report), ModelStats{Candidates: res.Candidates, Matches: len(res.Matches), Review: len(res.Review)}, now)
}

func nonEmpty(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
