// Package model holds the GraphQL types that have no domain type of their own; most
// types are bound to the domain types in package cdpgraph (see gqlgen.yml).
package model

// Node is any object with a global id. It is deliberately empty so that domain types
// implement it without knowing about GraphQL; the executor switches on the concrete type.
type Node any
