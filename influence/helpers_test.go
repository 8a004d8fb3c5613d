package influence

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// readFields returns the whitespace-separated fields of each non-comment line.
func readFields(t testing.TB, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rows = append(rows, strings.Fields(line))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// karateEdges is the karate club as ties: each friendship becomes a follow in both
// directions, which is how networkx treats an undirected Graph in pagerank.
func karateEdges(t testing.TB) []Edge {
	var edges []Edge
	for _, r := range readFields(t, "karate.txt") {
		edges = append(edges, Edge{From: r[0], To: r[1], Type: Follows}, Edge{From: r[1], To: r[0], Type: Follows})
	}
	if len(edges) != 2*78 {
		t.Fatalf("karate: %d edges, want 156", len(edges))
	}
	return edges
}

func tiesEdges(t testing.TB) []Edge {
	var edges []Edge
	for _, r := range readFields(t, "ties.txt") {
		c, err := strconv.Atoi(r[3])
		if err != nil {
			t.Fatal(err)
		}
		edges = append(edges, Edge{From: r[0], To: r[1], Type: r[2], Count: c})
	}
	return edges
}

func readScores(t testing.TB, name string) map[string]float64 {
	out := map[string]float64{}
	for _, r := range readFields(t, name) {
		v, err := strconv.ParseFloat(r[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		out[r[0]] = v
	}
	return out
}

func mustBuild(t testing.TB, edges []Edge) *Graph {
	t.Helper()
	g, err := Build(edges, DefaultWeights())
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// node returns the node of id, failing the test if it is missing.
func node(t testing.TB, g *Graph, id string) int {
	t.Helper()
	i, ok := g.Index(id)
	if !ok {
		t.Fatalf("no node %q", id)
	}
	return i
}

// ids maps nodes to ids.
func ids(g *Graph, nodes []int) []string {
	out := make([]string, len(nodes))
	for i, u := range nodes {
		out[i] = g.ID(u)
	}
	return out
}

// tie is shorthand for an edge in hand-made test graphs.
func tie(from, to, typ string, count int) Edge {
	return Edge{From: from, To: to, Type: typ, Count: count}
}
