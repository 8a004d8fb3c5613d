package neo4j

import (
	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/identity"
)

// pairFacts reads, in one statement, what resolution knew about two records: the
// identifiers both hold (with their holders), the blocking keys both have (with their
// sizes), a stored match between them, and analysts' not-same-person decisions between
// the records of their two customers (the first 20).
const pairFacts = `
MATCH (a:SourceRecord {key: $a}), (b:SourceRecord {key: $b})
CALL (a, b) {
  OPTIONAL MATCH (a)-[:HAS_IDENTIFIER]->(i)<-[:HAS_IDENTIFIER]-(b)
  WITH i WHERE i IS NOT NULL
  RETURN collect([i.type, i.value, COUNT { (i)<-[:HAS_IDENTIFIER]-() }]) AS shared
}
CALL (a, b) {
  OPTIONAL MATCH (a)-[:IN_BLOCK]->(k)<-[:IN_BLOCK]-(b)
  WITH k WHERE k IS NOT NULL
  RETURN collect([k.key, COUNT { (k)<-[:IN_BLOCK]-() }]) AS blocks
}
CALL (a, b) {
  OPTIONAL MATCH (a)-[m:MATCHED]-(b)
  RETURN max(m.probability) AS matched
}
CALL (a, b) {
  OPTIONAL MATCH (a)-[:RESOLVES_TO]->(:Customer)<-[:RESOLVES_TO]-(x)
  WITH a, b, collect(DISTINCT x) AS mates
  OPTIONAL MATCH (b)-[:RESOLVES_TO]->(:Customer)<-[:RESOLVES_TO]-(y)
  WITH a, mates, b, collect(DISTINCT y) AS others
  WITH CASE WHEN a IN mates THEN mates ELSE mates + a END AS sideA,
    CASE WHEN b IN others THEN others ELSE others + b END AS sideB
  UNWIND sideA AS x
  OPTIONAL MATCH (x)-[n:NOT_SAME_PERSON]-(y) WHERE y IN sideB
  WITH x, y, n WHERE n IS NOT NULL
  RETURN collect([x.key, y.key, n.reason])[0..20] AS decisions
}
RETURN shared, blocks, matched, decisions`

// PairFacts reads what the graph holds about two records, in one statement.
func (g graph) PairFacts(a, b string) (*identity.PairFacts, error) {
	recs, err := g.t.run(pairFacts, map[string]any{"a": a, "b": b})
	if err != nil {
		return nil, err
	}
	f := &identity.PairFacts{}
	if len(recs) == 0 {
		return f, nil
	}
	row := recs[0].Values
	for _, s := range row[0].([]any) {
		v := s.([]any)
		f.Shared = append(f.Shared, identity.SharedIdentifier{
			Identifier: cdp.Identifier{Type: cdp.IdentifierType(str(v[0])), Value: str(v[1])}, Holders: intProp(v[2])})
	}
	for _, s := range row[1].([]any) {
		v := s.([]any)
		f.Blocks = append(f.Blocks, identity.Block{Key: str(v[0]), Size: intProp(v[1])})
	}
	if p, ok := row[2].(float64); ok {
		f.Matched = &p
	}
	for _, s := range row[3].([]any) {
		v := s.([]any)
		f.Decisions = append(f.Decisions, identity.Decision{A: str(v[0]), B: str(v[1]), Reason: str(v[2])})
	}
	return f, nil
}
