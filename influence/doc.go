// Package influence measures social influence between customers: who is influential
// (PageRank, ArticleRank), which groups they form (Louvain communities), how far their
// influence can travel (k-hop reach), whom their referrals brought in and what those
// customers spent (referral cascades), and how two customers are connected (shortest
// path, neighbourhood for drawing).
//
// The package is pure computation. The platform reads ties from the graph database into
// []Edge, calls Build once, runs the analyses it needs on the immutable Graph, and writes
// the results back; a Graph is safe for concurrent use.
//
// # Direction of influence
//
// Ties are stored as the platform records them: "A follows B", "A referred B", "A shared
// with B", "A mentioned B". Influence does not always run the same way as the tie. The
// rule used throughout is that influence flows from the customer whose voice is heard to
// the customer who hears it:
//
//	A follows B    influence B -> A  (B's posts reach A; A chose to listen)
//	A mentioned B  influence B -> A  (A paid public attention to B; being mentioned is
//	                                  a classic influence signal, Cha et al. 2010)
//	A referred B   influence A -> B  (B became a customer on A's recommendation)
//	A shared B     influence A -> B  (A put content in front of B)
//
// Reach follows influence arcs forwards ("whom can A influence within k hops"). PageRank
// and ArticleRank run on the reverse, the attention graph ("A pays attention to B"), so
// that a customer many others listen to, directly or through people who are themselves
// listened to, ranks high: an arc from A to B in the attention graph is exactly an arc
// from B to A in the influence graph. Communities, shortest paths and neighbourhoods
// ignore direction.
//
// # Weights
//
// Each tie type has a weight (see DefaultWeights) that is multiplied by the tie's
// interaction count; ties between the same two customers in the same direction are
// summed over counts and types into one weighted arc. Self-ties are dropped: a customer
// cannot influence themselves, and in PageRank a self-loop only keeps a node's own score
// circulating. A type weighted 0 carries no influence (no arc for PageRank, Louvain or
// reach) but its ties still connect customers for paths, neighbourhoods and, for
// referrals, cascades.
//
// Nodes are numbered 0..Len()-1 in ascending order of their ids, so every result is
// deterministic and ties between equal scores are broken by id. Methods that take a
// node number panic if it is out of range, as slice indexing does; Index maps ids.
package influence
