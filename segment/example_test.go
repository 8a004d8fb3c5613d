package segment_test

import (
	"fmt"
	"time"

	"github.com/cdpgraph/cdpgraph/segment"
)

// Customers in China who bought tea at least twice in the last 90 days.
func ExampleCompile() {
	def := segment.Definition{And: []segment.Definition{
		{Profile: &segment.Profile{Field: "country", Op: segment.OpEq, Values: []string{"cn"}}},
		{Purchased: &segment.Purchased{Category: "tea", MinTimes: 2, WithinDays: 90}},
	}}
	q, err := segment.Compile(def, time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	fmt.Println("MATCH (c:Customer) WHERE " + q.Where)
	for _, p := range []string{"p0", "p1", "p2", "p3", "p4"} {
		fmt.Printf("%s = %v\n", p, q.Params[p])
	}
	// Output:
	// MATCH (c:Customer) WHERE (c.country = $p0 AND COUNT { MATCH (c)<-[:RESOLVES_TO]-()<-[:PLACED_BY]-(o) WHERE NOT coalesce(o.status, '') IN ['cancelled', 'returned', 'refunded'] AND o.orderedAt >= $p1 AND o.orderedAt <= $p2 AND EXISTS { MATCH (o)-[:CONTAINS]->(p:Product) WHERE p.category = $p3 } RETURN o LIMIT $p4 } >= $p4)
	// p0 = CN
	// p1 = 2026-04-01 00:00:00 +0000 UTC
	// p2 = 2026-06-30 00:00:00 +0000 UTC
	// p3 = tea
	// p4 = 2
}

// A validation error names the node at fault.
func ExampleDefinition_Validate() {
	def := segment.Definition{And: []segment.Definition{
		{ChurnBands: []string{"high"}},
		{Purchased: &segment.Purchased{Category: "tea", WithinDays: -5}},
	}}
	fmt.Println(def.Validate())
	// Output:
	// cdpgraph: invalid: definition.and[1].purchased.withinDays: must be between 1 and 36500 days (0 means ever), not -5
}
