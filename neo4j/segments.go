package neo4j

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cdp "github.com/cdpgraph/cdpgraph"
)

// SavedSegments stores saved segments and their materialized membership: (c)-[:IN_SEGMENT
// {since}]->(s:Segment), and a SegmentChange node per customer entering or leaving.
type SavedSegments struct{ db *DB }

// NewSavedSegments returns the saved-segment store of db.
func NewSavedSegments(db *DB) *SavedSegments { return &SavedSegments{db: db} }

var _ cdp.SegmentStore = (*SavedSegments)(nil)

func segmentRow(s *cdp.Segment) map[string]any {
	return map[string]any{"id": s.ID, "name": s.Name, "description": nullable(s.Description), "definition": s.Definition,
		"createdAt": s.CreatedAt.UTC(), "updatedAt": s.UpdatedAt.UTC()}
}

// CreateSegment stores a new segment; a taken name is a conflict.
func (st *SavedSegments) CreateSegment(ctx context.Context, s *cdp.Segment) error {
	return st.db.write(ctx, func(tx *tx) error {
		recs, err := tx.run(`MATCH (s:Segment {name: $name}) RETURN s.id`, map[string]any{"name": s.Name})
		if err != nil {
			return err
		}
		if len(recs) > 0 {
			return &cdp.Error{Code: cdp.ECONFLICT, Field: "name", Message: "a segment named " + s.Name + " exists"}
		}
		_, err = tx.run(`CREATE (s:Segment) SET s = $row, s.members = 0`, map[string]any{"row": segmentRow(s)})
		return err
	})
}

// UpdateSegment replaces a segment's name, description and definition.
func (st *SavedSegments) UpdateSegment(ctx context.Context, s *cdp.Segment) error {
	return st.db.write(ctx, func(tx *tx) error {
		recs, err := tx.run(`MATCH (s:Segment {name: $name}) WHERE s.id <> $id RETURN s.id`, map[string]any{"name": s.Name, "id": s.ID})
		if err != nil {
			return err
		}
		if len(recs) > 0 {
			return &cdp.Error{Code: cdp.ECONFLICT, Field: "name", Message: "a segment named " + s.Name + " exists"}
		}
		recs, err = tx.run(`
MATCH (s:Segment {id: $id})
SET s.name = $name, s.description = $description, s.definition = $definition, s.updatedAt = $updatedAt
RETURN s.id`, segmentRow(s))
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return &cdp.Error{Code: cdp.ENOTFOUND, Field: "id", Message: "no segment " + s.ID}
		}
		return nil
	})
}

// DeleteSegment removes a segment, its membership and its history.
func (st *SavedSegments) DeleteSegment(ctx context.Context, id string) (bool, error) {
	found := false
	err := st.db.write(ctx, func(tx *tx) error {
		recs, err := tx.run(`
MATCH (s:Segment {id: $id})
OPTIONAL MATCH (ch:SegmentChange {segmentId: $id})
DETACH DELETE ch
WITH DISTINCT s
DETACH DELETE s
RETURN count(*)`, map[string]any{"id": id})
		found = err == nil && len(recs) > 0 && intProp(recs[0].Values[0]) > 0
		return err
	})
	return found, err
}

func segmentFromProps(p map[string]any) *cdp.Segment {
	s := &cdp.Segment{ID: str(p["id"]), Name: str(p["name"]), Description: str(p["description"]), Definition: str(p["definition"]),
		MemberCount: intProp(p["members"]), RefreshedAt: timeProp(p["refreshedAt"])}
	s.CreatedAt, _ = p["createdAt"].(time.Time)
	s.UpdatedAt, _ = p["updatedAt"].(time.Time)
	return s
}

// SegmentsByIDs returns the segments with the given ids.
func (st *SavedSegments) SegmentsByIDs(ctx context.Context, ids []string) (map[string]*cdp.Segment, error) {
	recs, err := st.db.read(ctx, `UNWIND $ids AS id MATCH (s:Segment {id: id}) RETURN properties(s)`, map[string]any{"ids": toAny(ids)})
	if err != nil {
		return nil, err
	}
	out := make(map[string]*cdp.Segment, len(recs))
	for _, r := range recs {
		s := segmentFromProps(r.Values[0].(map[string]any))
		out[s.ID] = s
	}
	return out, nil
}

// ListSegments returns every saved segment by name.
func (st *SavedSegments) ListSegments(ctx context.Context) ([]*cdp.Segment, error) {
	recs, err := st.db.read(ctx, `MATCH (s:Segment) RETURN properties(s) ORDER BY s.name`, nil)
	if err != nil {
		return nil, err
	}
	out := make([]*cdp.Segment, len(recs))
	for i, r := range recs {
		out[i] = segmentFromProps(r.Values[0].(map[string]any))
	}
	return out, nil
}

// ApplyMembership diffs the stored membership against members in one transaction.
func (st *SavedSegments) ApplyMembership(ctx context.Context, segmentID string, members []string, at time.Time) ([]cdp.MembershipChange, error) {
	var changes []cdp.MembershipChange
	err := st.db.write(ctx, func(tx *tx) error {
		changes = changes[:0]
		recs, err := tx.run(`
MATCH (s:Segment {id: $id})
WITH s, $members AS members
CALL (s, members) {
  MATCH (c)-[m:IN_SEGMENT]->(s) WHERE NOT c.id IN members
  DELETE m
  RETURN collect(c.id) AS left
}
CALL (s, members) {
  UNWIND members AS cid
  MATCH (c:Customer {id: cid})
  WHERE NOT EXISTS { (c)-[:IN_SEGMENT]->(s) }
  CREATE (c)-[:IN_SEGMENT {since: $at}]->(s)
  RETURN collect(cid) AS entered
}
SET s.members = COUNT { (s)<-[:IN_SEGMENT]-() }, s.refreshedAt = $at
WITH s, left, entered
UNWIND [x IN left | [x, 'left']] + [x IN entered | [x, 'entered']] AS ch
CREATE (:SegmentChange {segmentId: s.id, customerId: ch[0], kind: ch[1], at: $at})
RETURN ch[0], ch[1]`, map[string]any{"id": segmentID, "members": toAny(members), "at": at.UTC()})
		if err != nil {
			return err
		}
		for _, r := range recs {
			changes = append(changes, cdp.MembershipChange{SegmentID: segmentID, CustomerID: str(r.Values[0]), Kind: str(r.Values[1]), At: at.UTC()})
		}
		return nil
	})
	return changes, err
}

// SegmentMembers pages through a segment's members by customer id.
func (st *SavedSegments) SegmentMembers(ctx context.Context, segmentID string, page cdp.PageArgs) (*cdp.Page[*cdp.Customer], error) {
	after, err := afterKey(page.After)
	if err != nil {
		return nil, err
	}
	recs, err := st.db.read(ctx, `
MATCH (s:Segment {id: $id})
CALL (s) { MATCH (s)<-[:IN_SEGMENT]-(c) RETURN count(c) AS total }
OPTIONAL CALL (s) {
  MATCH (s)<-[:IN_SEGMENT]-(c) WHERE $after IS NULL OR c.id > $after
  RETURN c ORDER BY c.id LIMIT $limit
}
RETURN total, properties(c)`, map[string]any{"id": segmentID, "after": after, "limit": int64(page.First + 1)})
	if err != nil {
		return nil, err
	}
	out := &cdp.Page[*cdp.Customer]{HasPreviousPage: page.After != "", TotalCount: totalAt(recs, 0)}
	return firstPage(out, recs, page.First, nilAt(1), func(r *neo4j.Record) (*cdp.Customer, string) {
		c := customerFromProps(r.Values[1].(map[string]any))
		return c, encodeCursor("", c.ID)
	}), nil
}

// SegmentHistory pages through who entered and left a segment, newest first.
func (st *SavedSegments) SegmentHistory(ctx context.Context, segmentID string, page cdp.PageArgs) (*cdp.Page[cdp.MembershipChange], error) {
	afterAt, afterID, err := afterTime(page.After)
	if err != nil {
		return nil, err
	}
	recs, err := st.db.read(ctx, `
CALL () { MATCH (ch:SegmentChange {segmentId: $id}) RETURN count(ch) AS total }
OPTIONAL CALL () {
  MATCH (ch:SegmentChange {segmentId: $id})
  WHERE $afterAt IS NULL OR ch.at < $afterAt OR (ch.at = $afterAt AND ch.customerId + ch.kind < $afterID)
  RETURN ch ORDER BY ch.at DESC, ch.customerId + ch.kind DESC LIMIT $limit
}
RETURN total, ch.customerId, ch.kind, ch.at`, map[string]any{"id": segmentID, "afterAt": afterAt, "afterID": afterID, "limit": int64(page.First + 1)})
	if err != nil {
		return nil, err
	}
	out := &cdp.Page[cdp.MembershipChange]{HasPreviousPage: page.After != "", TotalCount: totalAt(recs, 0)}
	return firstPage(out, recs, page.First, nilAt(1), func(r *neo4j.Record) (cdp.MembershipChange, string) {
		ch := cdp.MembershipChange{SegmentID: segmentID, CustomerID: str(r.Values[1]), Kind: str(r.Values[2])}
		ch.At, _ = r.Values[3].(time.Time)
		return ch, timeCursor(ch.At, ch.CustomerID+ch.Kind)
	}), nil
}
