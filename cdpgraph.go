// Package cdpgraph holds the domain of the customer data platform: the records that
// source systems send, the resolved customers they describe, the error type every layer
// speaks, and the interfaces that the Neo4j store implements and the API consumes.
//
// Nothing here knows about Neo4j, GraphQL or HTTP; those live in their own packages and
// depend on this one, never the other way round.
package cdpgraph
