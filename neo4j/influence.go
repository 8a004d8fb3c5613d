package neo4j

import (
	"context"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
)

// InfluenceStore reads customers' social ties and stores influence on the customers.
type InfluenceStore struct{ db *DB }

// NewInfluenceStore returns the influence store of db.
func NewInfluenceStore(db *DB) *InfluenceStore { return &InfluenceStore{db: db} }

var _ cdp.InfluenceStore = (*InfluenceStore)(nil)

// SocialEdges returns every tie between two different resolved customers. Ties are stored
// between source records; a tie whose end is not resolved yet (a placeholder) is skipped.
// Customers are read in pages of 5,000, two pages at a time: with a million ties the
// work is in producing and decoding rows, which then uses both cores.
func (s *InfluenceStore) SocialEdges(ctx context.Context) ([]cdp.SocialEdge, error) {
	return readPerCustomerPage(ctx, s.db, 5000, s.edgesFrom)
}

// edgesFrom returns the ties whose source record belongs to one of the customers.
func (s *InfluenceStore) edgesFrom(ctx context.Context, ids []string) ([]cdp.SocialEdge, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
MATCH (ca:Customer {id: id})<-[:RESOLVES_TO]-(a)-[t:FOLLOWS|REFERRED|SHARED|MENTIONED]->(b)-[:RESOLVES_TO]->(cb)
WHERE ca <> cb
RETURN id, collect(cb.id), collect(type(t)), collect(coalesce(t.count, 1))`, map[string]any{"ids": toAny(ids)})
	if err != nil {
		return nil, err
	}
	var out []cdp.SocialEdge
	for _, r := range recs {
		from := r.Values[0].(string)
		to, types, counts := r.Values[1].([]any), r.Values[2].([]any), r.Values[3].([]any)
		for k := range to {
			out = append(out, cdp.SocialEdge{From: from, To: to[k].(string), Type: strings.ToLower(types[k].(string)), Count: intProp(counts[k])})
		}
	}
	return out, nil
}

// Revenues returns the revenue of every scored buyer.
func (s *InfluenceStore) Revenues(ctx context.Context) (map[string]float64, error) {
	recs, err := s.db.read(ctx, `
MATCH (c:Customer) WHERE c.revenue > 0
RETURN c.id, c.revenue`, nil)
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(recs))
	for _, r := range recs {
		out[r.Values[0].(string)], _ = r.Values[1].(float64)
	}
	return out, nil
}

// WriteInfluence sets influence on the customers, 5,000 per transaction, and clears it
// from customers that are no longer in the social graph.
func (s *InfluenceStore) WriteInfluence(ctx context.Context, results []cdp.Influence, computedAt time.Time) error {
	const batch = 5000
	for i := 0; i < len(results); i += batch {
		rows := make([]any, 0, batch)
		for _, x := range results[i:min(i+batch, len(results))] {
			rows = append(rows, map[string]any{"id": x.CustomerID, "props": map[string]any{
				"influenceScore": x.Score, "influenceRank": int64(x.Rank),
				"reach1": int64(x.Reach[0]), "reach2": int64(x.Reach[1]), "reach3": int64(x.Reach[2]),
				"community": nullable(x.Community), "referred": int64(x.Referred), "referralDownstream": int64(x.Downstream),
				"referralDepth": int64(x.CascadeDepth), "referredBy": nullable(x.ReferredBy),
				"drivenRevenue": x.DrivenRevenue, "downstreamRevenue": x.DownstreamRevenue,
				"influenceAt": computedAt.UTC(),
			}})
		}
		err := s.db.write(ctx, func(tx *tx) error {
			_, err := tx.run(`
UNWIND $rows AS row
MATCH (c:Customer {id: row.id})
SET c += row.props`, map[string]any{"rows": rows})
			return err
		})
		if err != nil {
			return err
		}
	}
	return s.db.write(ctx, func(tx *tx) error {
		_, err := tx.run(`
MATCH (c:Customer) WHERE c.influenceAt < $at
REMOVE c.influenceScore, c.influenceRank, c.reach1, c.reach2, c.reach3, c.community, c.referred,
  c.referralDownstream, c.referralDepth, c.referredBy, c.drivenRevenue, c.downstreamRevenue, c.influenceAt`,
			map[string]any{"at": computedAt.UTC()})
		return err
	})
}

// influenceFromProps reads influence back from a Customer node; nil if it has none.
func influenceFromProps(id string, p map[string]any) *cdp.Influence {
	at, ok := p["influenceAt"].(time.Time)
	if !ok {
		return nil
	}
	x := &cdp.Influence{CustomerID: id, ComputedAt: at, Rank: intProp(p["influenceRank"]),
		Reach:     [3]int{intProp(p["reach1"]), intProp(p["reach2"]), intProp(p["reach3"])},
		Community: str(p["community"]), Referred: intProp(p["referred"]), Downstream: intProp(p["referralDownstream"]),
		CascadeDepth: intProp(p["referralDepth"]), ReferredBy: str(p["referredBy"])}
	x.Score, _ = p["influenceScore"].(float64)
	x.DrivenRevenue, _ = p["drivenRevenue"].(float64)
	x.DownstreamRevenue, _ = p["downstreamRevenue"].(float64)
	return x
}

// SaveInfluenceRun records the latest influence run.
func (s *InfluenceStore) SaveInfluenceRun(ctx context.Context, at time.Time, report []byte) error {
	return s.db.write(ctx, func(tx *tx) error {
		_, err := tx.run(`
MERGE (r:InfluenceRun {name: 'latest'})
SET r.computedAt = $at, r.report = $report`, map[string]any{"at": at.UTC(), "report": string(report)})
		return err
	})
}

// LastInfluenceRun returns the latest run's time and report.
func (s *InfluenceStore) LastInfluenceRun(ctx context.Context) (time.Time, []byte, error) {
	recs, err := s.db.read(ctx, `MATCH (r:InfluenceRun {name: 'latest'}) RETURN r.computedAt, r.report`, nil)
	if err != nil || len(recs) == 0 {
		return time.Time{}, nil, err
	}
	at, _ := recs[0].Values[0].(time.Time)
	return at, []byte(str(recs[0].Values[1])), nil
}

// SocialChangedSince looks for ties ingested, or customers updated, after t; each branch
// starts from an index and stops at the first hit.
func (s *InfluenceStore) SocialChangedSince(ctx context.Context, t time.Time) (bool, error) {
	recs, err := s.db.read(ctx, `
RETURN EXISTS { MATCH ()-[x:FOLLOWS]->() WHERE x.ingestedAt > $t }
    OR EXISTS { MATCH ()-[x:REFERRED]->() WHERE x.ingestedAt > $t }
    OR EXISTS { MATCH ()-[x:SHARED]->() WHERE x.ingestedAt > $t }
    OR EXISTS { MATCH ()-[x:MENTIONED]->() WHERE x.ingestedAt > $t }
    OR EXISTS { MATCH (c:Customer) WHERE c.updatedAt > $t }`, map[string]any{"t": t.UTC()})
	if err != nil {
		return false, err
	}
	changed, _ := recs[0].Values[0].(bool)
	return changed, nil
}
