package neo4j

import (
	"context"
	"strconv"
	"strings"

	cdp "github.com/cdpgraph/cdpgraph"
)

var _ cdp.SocialReader = (*InfluenceStore)(nil)

// TiesOfCustomers returns the ties between resolved customers touching any of ids, one
// edge per (from, to, type) in stored direction: the record ties behind it summed, dated
// by the earliest and latest of them. Since applies to the edge's latest date.
func (s *InfluenceStore) TiesOfCustomers(ctx context.Context, ids []string, f cdp.TieFilter) ([]cdp.SocialEdge, error) {
	params := map[string]any{"ids": toAny(ids), "types": nil, "since": nil}
	if f.Types != nil {
		types := make([]any, len(f.Types))
		for i, t := range f.Types {
			types[i] = strings.ToUpper(t) // follows is stored as FOLLOWS, and so on
		}
		params["types"] = types
	}
	if f.Since != nil {
		params["since"] = f.Since.UTC()
	}
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
MATCH (:Customer {id: id})<-[:RESOLVES_TO]-(r)-[t:FOLLOWS|REFERRED|SHARED|MENTIONED]-(o)-[:RESOLVES_TO]->(n)
WHERE n.id <> id AND ($types IS NULL OR type(t) IN $types)
WITH DISTINCT t, CASE WHEN startNode(t) = r THEN id ELSE n.id END AS from,
     CASE WHEN startNode(t) = r THEN n.id ELSE id END AS to
WITH from, to, type(t) AS type, sum(coalesce(t.count, 1)) AS count, min(t.occurredAt) AS firstAt, max(t.occurredAt) AS lastAt
WHERE $since IS NULL OR lastAt >= $since
RETURN from, to, type, count, firstAt, lastAt`, params)
	if err != nil {
		return nil, err
	}
	out := make([]cdp.SocialEdge, len(recs))
	for i, r := range recs {
		out[i] = cdp.SocialEdge{From: r.Values[0].(string), To: r.Values[1].(string),
			Type: strings.ToLower(r.Values[2].(string)), Count: intProp(r.Values[3]),
			FirstAt: timeProp(r.Values[4]), LastAt: timeProp(r.Values[5])}
	}
	return out, nil
}

// pathQueries hold one statement per tie limit: a variable-length bound cannot be a
// parameter. A chain of k ties is at most 3k + 2 hops: a tie between two records, and a
// hop to and from a customer wherever the chain changes records within one customer.
var pathQueries = func() map[int]string {
	out := map[int]string{}
	for ties := 1; ties <= 6; ties++ {
		out[ties] = `
MATCH (a:Customer {id: $from})
MATCH (b:Customer {id: $to})
MATCH p = shortestPath((a)-[:RESOLVES_TO|FOLLOWS|REFERRED|SHARED|MENTIONED*..` + strconv.Itoa(3*ties+2) + `]-(b))
UNWIND range(0, size(relationships(p)) - 1) AS i
WITH p, i, relationships(p)[i] AS rel, nodes(p)[i] AS here
OPTIONAL MATCH (here)-[:RESOLVES_TO]->(owner:Customer)
RETURN i, coalesce(owner.id, here.id), type(rel), startNode(rel) = here, nodes(p)[size(nodes(p)) - 1].id
ORDER BY i`
	}
	return out
}()

// ShortestSocialPath finds a shortest chain of ties between two customers.
func (s *InfluenceStore) ShortestSocialPath(ctx context.Context, from, to string, maxTies int) ([]cdp.SocialStep, error) {
	if from == to {
		return []cdp.SocialStep{{CustomerID: from}}, nil
	}
	query, ok := pathQueries[maxTies]
	if !ok {
		return nil, &cdp.Error{Code: cdp.EINVALID, Field: "maxTies", Message: "must be between 1 and 6"}
	}
	recs, err := s.db.read(ctx, query, map[string]any{"from": from, "to": to})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	// Walk the path's relationships: a tie ends a step at the customer who owns its
	// start; RESOLVES_TO hops only move between a customer and its records.
	var steps []cdp.SocialStep
	for _, r := range recs {
		if r.Values[2].(string) == "RESOLVES_TO" {
			continue
		}
		steps = append(steps, cdp.SocialStep{CustomerID: str(r.Values[1]), Tie: strings.ToLower(r.Values[2].(string)), Outgoing: r.Values[3].(bool)})
	}
	steps = append(steps, cdp.SocialStep{CustomerID: str(recs[0].Values[4])})
	if len(steps)-1 > maxTies {
		return nil, nil // the hop bound let a longer chain of ties through
	}
	return steps, nil
}

// Communities lists the communities of the last influence run, largest first.
func (s *InfluenceStore) Communities(ctx context.Context, first int) ([]cdp.Community, error) {
	recs, err := s.db.read(ctx, `
MATCH (c:Customer) WHERE c.community IS NOT NULL
WITH c.community AS id, count(*) AS size, sum(coalesce(c.revenue, 0.0)) AS revenue,
     avg(c.churnRisk) AS churn, avg(c.sentimentAvg) AS sentiment
RETURN id, size, revenue, churn, sentiment ORDER BY size DESC, id LIMIT $first`, map[string]any{"first": int64(first)})
	if err != nil {
		return nil, err
	}
	out := make([]cdp.Community, len(recs))
	for i, r := range recs {
		out[i] = communityFromRow(r.Values)
	}
	return out, nil
}

// CommunitiesByIDs returns the named communities with their aggregates.
func (s *InfluenceStore) CommunitiesByIDs(ctx context.Context, ids []string) (map[string]*cdp.Community, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
MATCH (c:Customer {community: id})
WITH id, count(*) AS size, sum(coalesce(c.revenue, 0.0)) AS revenue, avg(c.churnRisk) AS churn, avg(c.sentimentAvg) AS sentiment
RETURN id, size, revenue, churn, sentiment`, map[string]any{"ids": toAny(ids)})
	if err != nil {
		return nil, err
	}
	out := make(map[string]*cdp.Community, len(recs))
	for _, r := range recs {
		c := communityFromRow(r.Values)
		out[c.ID] = &c
	}
	return out, nil
}

func communityFromRow(v []any) cdp.Community {
	c := cdp.Community{ID: str(v[0]), Size: intProp(v[1]), AvgChurnRisk: floatProp(v[3]), AvgSentiment: floatProp(v[4])}
	c.Revenue, _ = v[2].(float64)
	return c
}

// ReferralsByCustomerIDs returns the first customers each customer is credited with referring.
func (s *InfluenceStore) ReferralsByCustomerIDs(ctx context.Context, ids []string, first int) (map[string][]*cdp.Customer, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
CALL (id) {
  MATCH (c:Customer {referredBy: id})
  RETURN c ORDER BY c.id LIMIT $first
}
RETURN id, properties(c)`, map[string]any{"ids": toAny(ids), "first": int64(first)})
	if err != nil {
		return nil, err
	}
	out := map[string][]*cdp.Customer{}
	for _, r := range recs {
		id := r.Values[0].(string)
		out[id] = append(out[id], customerFromProps(r.Values[1].(map[string]any)))
	}
	return out, nil
}

// TopMembersByCommunityIDs returns each community's most influential members.
func (s *InfluenceStore) TopMembersByCommunityIDs(ctx context.Context, ids []string, first int) (map[string][]*cdp.Customer, error) {
	recs, err := s.db.read(ctx, `
UNWIND $ids AS id
CALL (id) {
  MATCH (c:Customer {community: id})
  RETURN c ORDER BY c.influenceScore DESC, c.id LIMIT $first
}
RETURN id, properties(c)`, map[string]any{"ids": toAny(ids), "first": int64(first)})
	if err != nil {
		return nil, err
	}
	out := map[string][]*cdp.Customer{}
	for _, r := range recs {
		id := r.Values[0].(string)
		out[id] = append(out[id], customerFromProps(r.Values[1].(map[string]any)))
	}
	return out, nil
}
