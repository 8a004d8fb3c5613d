"""Regenerates the PageRank reference values in this directory with networkx.

    pip install networkx scipy
    python3 reference.py

karate_pagerank.txt: networkx.pagerank on the UNWEIGHTED karate club graph
(networkx.karate_club_graph() carries interaction counts as "weight"; weight=None
ignores them), alpha=0.85, tol=1e-12.

ties_pagerank.txt: networkx.pagerank on the attention graph of ties.txt with the
package's default weights, translated here independently of the Go code:
u->v when u follows or mentions v, or v referred u or shared with u; the arc weight is
type weight * max(count, 1), parallel arcs summed, self-loops dropped.
"""
import os

import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))
WEIGHTS = {"referred": 3.0, "shared": 2.0, "mentioned": 1.5, "follows": 1.0}
REVERSED = {"referred", "shared"}  # the attention arc runs against the tie


def lines(name):
    with open(os.path.join(HERE, name)) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line.split()


def write(name, pr, header):
    with open(os.path.join(HERE, name), "w") as f:
        f.write(f"# {header}\n# networkx {nx.__version__}; node score\n")
        for n in sorted(pr, key=str):
            f.write(f"{n} {pr[n]:.17g}\n")


karate = nx.Graph()
karate.add_edges_from((int(u), int(v)) for u, v in lines("karate.txt"))
assert karate.number_of_nodes() == 34 and karate.number_of_edges() == 78
write("karate_pagerank.txt",
      nx.pagerank(karate, alpha=0.85, tol=1e-12, max_iter=10000, weight=None),
      "networkx.pagerank(karate, alpha=0.85, tol=1e-12, weight=None)")

att = nx.DiGraph()
for u, v, typ, count in lines("ties.txt"):
    att.add_node(u)
    att.add_node(v)
    if u == v:
        continue
    if typ in REVERSED:
        u, v = v, u
    w = WEIGHTS[typ] * max(int(count), 1)
    if att.has_edge(u, v):
        att[u][v]["weight"] += w
    else:
        att.add_edge(u, v, weight=w)
write("ties_pagerank.txt",
      nx.pagerank(att, alpha=0.85, tol=1e-12, max_iter=10000, weight="weight"),
      "networkx.pagerank(attention graph of ties.txt, alpha=0.85, tol=1e-12, weight='weight')")
