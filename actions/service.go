package actions

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/segment"
)

// Store is what the service needs from the graph.
type Store interface {
	// MatchRules evaluates each compiled rule for each customer: result[id][k] says
	// whether rule k holds for customer id.
	MatchRules(ctx context.Context, ids []string, rules []segment.Query) (map[string][]bool, error)
	// RecentActions returns the actions planned or sent to the customers since a time.
	RecentActions(ctx context.Context, ids []string, since time.Time) (map[string][]cdp.Action, error)
	CreateActions(ctx context.Context, actions []cdp.Action) error
	UpdateAction(ctx context.Context, id, status, outcome string, at time.Time) (*cdp.Action, error)
	// ActionsByCustomerIDs returns each customer's first actions, newest first, and their number.
	ActionsByCustomerIDs(ctx context.Context, ids []string, first int) (map[string]*cdp.Page[cdp.Action], error)
}

// ConsentReader gives the consent decisions in force.
type ConsentReader interface {
	ConsentsByCustomerIDs(ctx context.Context, ids []string) (map[string][]cdp.Consent, error)
}

// Service suggests and plans actions.
type Service struct {
	Playbook Playbook
	Store    Store
	Consents ConsentReader
	Now      func() time.Time
}

// NewService returns a service over store with the playbook.
func NewService(p Playbook, store Store, consents ConsentReader) *Service {
	return &Service{Playbook: p, Store: store, Consents: consents, Now: time.Now}
}

// NextBestActions returns each customer's actions, best first. Suppressed ones (no
// consent, frequency cap) are included only with includeSuppressed, marked with why.
func (s *Service) NextBestActions(ctx context.Context, ids []string, includeSuppressed bool) (map[string][]cdp.Suggestion, error) {
	now := s.Now().UTC()
	queries := make([]segment.Query, len(s.Playbook.Rules))
	for k, r := range s.Playbook.Rules {
		q, err := segment.Compile(r.When, now)
		if err != nil {
			return nil, fmt.Errorf("playbook rule %d (%s): %w", k, r.Action, err)
		}
		queries[k] = q
	}
	matched, err := s.Store.MatchRules(ctx, ids, queries)
	if err != nil {
		return nil, err
	}
	consents, err := s.Consents.ConsentsByCustomerIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	maxCap := 7
	for _, r := range s.Playbook.Rules {
		maxCap = max(maxCap, r.CapDays)
	}
	recent, err := s.Store.RecentActions(ctx, ids, now.AddDate(0, 0, -maxCap))
	if err != nil {
		return nil, err
	}
	out := make(map[string][]cdp.Suggestion, len(ids))
	for _, id := range ids {
		granted := map[string]bool{}
		for _, c := range cdp.CurrentConsents(consents[id]) {
			granted[c.Purpose] = c.Granted
		}
		contactsThisWeek := 0
		for _, a := range recent[id] {
			if a.Channel != "app" && a.CreatedAt.After(now.AddDate(0, 0, -7)) {
				contactsThisWeek++
			}
		}
		var list []cdp.Suggestion
		for k, r := range s.Playbook.Rules {
			if !matched[id][k] {
				continue
			}
			sg := cdp.Suggestion{Action: r.Action, Channel: r.Channel, Reason: r.Reason, Priority: r.Priority}
			if p := ChannelPurpose[r.Channel]; p != "" && !granted[p] {
				sg.Suppressed = "no " + p + " consent"
			}
			for _, a := range recent[id] {
				if sg.Suppressed == "" && a.Kind == r.Action && a.CreatedAt.After(now.AddDate(0, 0, -r.CapDays)) {
					sg.Suppressed = fmt.Sprintf("%s already %s on %s (cap %d days)", r.Action, a.Status, a.CreatedAt.Format(time.DateOnly), r.CapDays)
				}
			}
			if sg.Suppressed == "" && r.Channel != "app" && s.Playbook.MaxPerWeek > 0 && contactsThisWeek >= s.Playbook.MaxPerWeek {
				sg.Suppressed = fmt.Sprintf("already contacted %d times in 7 days", contactsThisWeek)
			}
			if sg.Suppressed == "" || includeSuppressed {
				list = append(list, sg)
			}
		}
		sort.SliceStable(list, func(i, j int) bool {
			if (list[i].Suppressed == "") != (list[j].Suppressed == "") {
				return list[i].Suppressed == ""
			}
			return list[i].Priority > list[j].Priority
		})
		out[id] = list
	}
	return out, nil
}

// PlanResult counts what planning did.
type PlanResult struct {
	Customers  int
	Planned    int
	Suppressed int // a matching action was not allowed (consent, caps)
	NoAction   int // no rule matched
	Actions    []cdp.Action
}

// Plan creates a planned Action for each customer's best allowed action, or for action
// if given (customers for whom that action is not suggested or not allowed get none).
func (s *Service) Plan(ctx context.Context, ids []string, action, segmentID, campaign string) (*PlanResult, error) {
	if action != "" && !s.knows(action) {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "action", Message: "no playbook rule has action " + action}
	}
	res := &PlanResult{Customers: len(ids)}
	now := s.Now().UTC()
	const batch = 1000
	for i := 0; i < len(ids); i += batch {
		page := ids[i:min(i+batch, len(ids))]
		suggestions, err := s.NextBestActions(ctx, page, true)
		if err != nil {
			return nil, err
		}
		var planned []cdp.Action
		for _, id := range page {
			var pick *cdp.Suggestion
			suppressed := false
			for k := range suggestions[id] {
				sg := &suggestions[id][k]
				if action != "" && sg.Action != action {
					continue
				}
				if sg.Suppressed != "" {
					suppressed = true
					continue
				}
				pick = sg
				break
			}
			switch {
			case pick != nil:
				planned = append(planned, cdp.Action{ID: newActionID(), CustomerID: id, Kind: pick.Action, Channel: pick.Channel,
					Reason: pick.Reason, Status: cdp.ActionPlanned, SegmentID: segmentID, Campaign: campaign, CreatedAt: now, UpdatedAt: now})
			case suppressed:
				res.Suppressed++
			default:
				res.NoAction++
			}
		}
		if err := s.Store.CreateActions(ctx, planned); err != nil {
			return nil, err
		}
		res.Planned += len(planned)
		res.Actions = append(res.Actions, planned...)
	}
	return res, nil
}

// ActionsByCustomerIDs returns the customers' first actions, newest first, and their number.
func (s *Service) ActionsByCustomerIDs(ctx context.Context, ids []string, first int) (map[string]*cdp.Page[cdp.Action], error) {
	return s.Store.ActionsByCustomerIDs(ctx, ids, first)
}

// Update records an action's progress.
func (s *Service) Update(ctx context.Context, id, status, outcome string) (*cdp.Action, error) {
	if !cdp.ActionStatuses[status] {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "status", Message: "must be planned, sent, done or dismissed"}
	}
	if len(outcome) > 500 {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "outcome", Message: "at most 500 characters"}
	}
	return s.Store.UpdateAction(ctx, id, status, strings.TrimSpace(outcome), s.Now().UTC())
}

func (s *Service) knows(action string) bool {
	for _, r := range s.Playbook.Rules {
		if r.Action == action {
			return true
		}
	}
	return false
}

func asError(err error, target **cdp.Error) bool { return errors.As(err, target) }

// trimDefinition turns a segment validation path ("definition.and[0]...") into a suffix.
func trimDefinition(field string) string {
	field = strings.TrimPrefix(field, "definition")
	if field != "" && field[0] != '.' && field[0] != '[' {
		field = "." + field
	}
	return field
}

// newActionID is a random action id.
func newActionID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "act_" + hex.EncodeToString(b[:])
}
