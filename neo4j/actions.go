package neo4j

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/segment"
)

// ActionStore evaluates playbook rules and keeps Action nodes: (:Action)-[:FOR]->(c).
type ActionStore struct{ db *DB }

// NewActionStore returns the action store of db.
func NewActionStore(db *DB) *ActionStore { return &ActionStore{db: db} }

// compiledParam matches the parameters segment.Compile generates ($p0, $p1, ...).
var compiledParam = regexp.MustCompile(`\$p(\d+)\b`)

// MatchRules evaluates every rule for every customer in one statement: the rules'
// compiled conditions (constant Cypher made by segment.Compile, never user text) become
// the elements of a list, their parameters renamed per rule so they cannot collide.
func (s *ActionStore) MatchRules(ctx context.Context, ids []string, rules []segment.Query) (map[string][]bool, error) {
	if len(rules) == 0 || len(ids) == 0 {
		return map[string][]bool{}, nil
	}
	params := map[string]any{"ids": toAny(ids)}
	conds := make([]string, len(rules))
	for k, q := range rules {
		prefix := fmt.Sprintf("r%d_", k)
		conds[k] = "(" + compiledParam.ReplaceAllString(q.Where, "$$"+prefix+"p$1") + ")"
		for name, v := range q.Params {
			params[prefix+name] = v
		}
	}
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
RETURN id, [`+strings.Join(conds, ", ")+`]`, params)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]bool, len(recs))
	for _, r := range recs {
		list := r.Values[1].([]any)
		row := make([]bool, len(list))
		for k, v := range list {
			row[k], _ = v.(bool)
		}
		out[r.Values[0].(string)] = row
	}
	return out, nil
}

func actionFromProps(p map[string]any, customer string) cdp.Action {
	a := cdp.Action{ID: str(p["id"]), CustomerID: customer, Kind: str(p["kind"]), Channel: str(p["channel"]), Reason: str(p["reason"]),
		Status: str(p["status"]), Outcome: str(p["outcome"]), SegmentID: str(p["segmentId"]), Campaign: str(p["campaign"])}
	a.CreatedAt, _ = p["createdAt"].(time.Time)
	a.UpdatedAt, _ = p["updatedAt"].(time.Time)
	return a
}

// RecentActions returns actions for the customers created since a time, newest first;
// dismissed actions do not count against caps.
func (s *ActionStore) RecentActions(ctx context.Context, ids []string, since time.Time) (map[string][]cdp.Action, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
MATCH (:Customer {id: id})<-[:FOR]-(a)
WHERE a.createdAt >= $since AND a.status <> 'dismissed'
RETURN id, properties(a) ORDER BY id, a.createdAt DESC`, map[string]any{"ids": toAny(ids), "since": since.UTC()})
	if err != nil {
		return nil, err
	}
	out := map[string][]cdp.Action{}
	for _, r := range recs {
		id := r.Values[0].(string)
		out[id] = append(out[id], actionFromProps(r.Values[1].(map[string]any), id))
	}
	return out, nil
}

// CreateActions stores planned actions.
func (s *ActionStore) CreateActions(ctx context.Context, actions []cdp.Action) error {
	if len(actions) == 0 {
		return nil
	}
	rows := make([]any, len(actions))
	for i, a := range actions {
		rows[i] = map[string]any{"customer": a.CustomerID, "props": map[string]any{
			"id": a.ID, "kind": a.Kind, "channel": a.Channel, "reason": a.Reason, "status": a.Status,
			"segmentId": nullable(a.SegmentID), "campaign": nullable(a.Campaign), "createdAt": a.CreatedAt.UTC(), "updatedAt": a.UpdatedAt.UTC(),
		}}
	}
	return s.db.write(ctx, func(tx *tx) error {
		_, err := tx.run(`
UNWIND $rows AS row
MATCH (c:Customer {id: row.customer})
MERGE (a:Action {id: row.props.id})
SET a += row.props
MERGE (a)-[:FOR]->(c)`, map[string]any{"rows": rows})
		return err
	})
}

// UpdateAction sets an action's status and outcome.
func (s *ActionStore) UpdateAction(ctx context.Context, id, status, outcome string, at time.Time) (*cdp.Action, error) {
	var out *cdp.Action
	err := s.db.write(ctx, func(tx *tx) error {
		recs, err := tx.run(`
MATCH (a:Action {id: $id})-[:FOR]->(c)
SET a.status = $status, a.outcome = CASE WHEN $outcome = '' THEN a.outcome ELSE $outcome END, a.updatedAt = $at
RETURN properties(a), c.id`, map[string]any{"id": id, "status": status, "outcome": outcome, "at": at.UTC()})
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return &cdp.Error{Code: cdp.ENOTFOUND, Field: "id", Message: "no action " + id}
		}
		a := actionFromProps(recs[0].Values[0].(map[string]any), str(recs[0].Values[1]))
		out = &a
		return nil
	})
	return out, err
}
