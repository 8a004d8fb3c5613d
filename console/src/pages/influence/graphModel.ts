// The influence explorer's graph: neighbourhoods from the API merged into one picture as the
// analyst expands nodes, and the path between two customers overlaid on it. Pure functions
// (unit-tested); the page keeps a Graph in state and GraphView draws toElements(graph).
import type { ElementDefinition } from 'cytoscape';

export const TIE_TYPES = ['follows', 'referred', 'shared', 'mentioned'] as const;

export interface GraphNode {
  id: string;
  customerId: string;
  name: string;
  score: number | null;
  rank: number | null;
  community: string | null;
  churnBand: string | null;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  type: string;
  count: number;
  firstAt: string | null;
  lastAt: string | null;
}

export interface Graph {
  nodes: Map<string, GraphNode>;
  edges: Map<string, GraphEdge>;
}

/** What the API gives for a node (a Customer) and an edge (a SocialEdge). */
export interface ApiNode {
  id: string;
  customerId: string;
  profile: { fullName?: string | null };
  influence?: { score: number; rank: number; community?: { id: string } | null } | null;
  metrics?: { churnBand?: string | null } | null;
}
export interface ApiEdge {
  from: { id: string };
  to: { id: string };
  type: string;
  count: number;
  firstAt?: string | null;
  lastAt?: string | null;
}

export const emptyGraph = (): Graph => ({ nodes: new Map(), edges: new Map() });

export function edgeId(source: string, target: string, type: string): string {
  return `${source}>${target}:${type}`;
}

export function toNode(n: ApiNode): GraphNode {
  return {
    id: n.id,
    customerId: n.customerId,
    // The name as the API gives it: a pseudonym for keys without the personal-data grant.
    name: n.profile.fullName || n.customerId,
    score: n.influence?.score ?? null,
    rank: n.influence?.rank ?? null,
    community: n.influence?.community?.id ?? null,
    churnBand: n.metrics?.churnBand ?? null,
  };
}

export function fromNeighbourhood(nodes: readonly ApiNode[], edges: readonly ApiEdge[]): Graph {
  const g = emptyGraph();
  for (const n of nodes) g.nodes.set(n.id, toNode(n));
  for (const e of edges) {
    const id = edgeId(e.from.id, e.to.id, e.type);
    g.edges.set(id, { id, source: e.from.id, target: e.to.id, type: e.type, count: e.count, firstAt: e.firstAt ?? null, lastAt: e.lastAt ?? null });
  }
  return g;
}

/** The union of two graphs; b's data wins for elements in both. A new object: React sees the change. */
export function mergeGraphs(a: Graph, b: Graph): Graph {
  return { nodes: new Map([...a.nodes, ...b.nodes]), edges: new Map([...a.edges, ...b.edges]) };
}

/** The earliest and latest tie dates in a graph (null when no tie is dated), as YYYY-MM-DD. */
export function tieDateRange(g: Graph): { min: string; max: string } | null {
  let min: string | null = null;
  let max: string | null = null;
  for (const e of g.edges.values()) {
    for (const t of [e.firstAt, e.lastAt]) {
      if (!t) continue;
      if (min === null || t < min) min = t;
      if (max === null || t > max) max = t;
    }
  }
  return min && max ? { min: min.slice(0, 10), max: max.slice(0, 10) } : null;
}

export interface PathStepLike {
  customer: ApiNode;
  tie?: string | null;
  direction?: 'IN' | 'OUT' | null;
}

/** A path as a graph: its customers and the tie between each step and the next, in the tie's own direction. */
export function pathGraph(steps: readonly PathStepLike[]): Graph {
  const g = emptyGraph();
  steps.forEach((s, i) => {
    g.nodes.set(s.customer.id, toNode(s.customer));
    const next = steps[i + 1];
    if (!next || !s.tie) return;
    const [source, target] = s.direction === 'IN' ? [next.customer.id, s.customer.id] : [s.customer.id, next.customer.id];
    const id = edgeId(source, target, s.tie);
    g.edges.set(id, { id, source, target, type: s.tie, count: 1, firstAt: null, lastAt: null });
  });
  return g;
}

export interface Marks {
  centre: string | null;
  advocates: ReadonlySet<string>;
  detractors: ReadonlySet<string>;
  path: Graph | null;
}

/** Cytoscape elements for a graph, every node and edge carrying the flags its look depends on. */
export function toElements(g: Graph, marks: Marks): ElementDefinition[] {
  const maxScore = [...g.nodes.values()].reduce((m, n) => Math.max(m, n.score ?? 0), 0);
  const out: ElementDefinition[] = [];
  for (const n of g.nodes.values()) {
    out.push({
      data: {
        ...n,
        weight: maxScore > 0 && n.score !== null ? n.score / maxScore : 0,
        centre: n.id === marks.centre,
        advocate: marks.advocates.has(n.id),
        detractor: marks.detractors.has(n.id),
        onPath: marks.path?.nodes.has(n.id) ?? false,
      },
    });
  }
  for (const e of g.edges.values()) {
    // An edge needs both ends drawn; a path's ties may join customers outside the neighbourhood.
    if (!g.nodes.has(e.source) || !g.nodes.has(e.target)) continue;
    out.push({ data: { ...e, onPath: marks.path?.edges.has(e.id) ?? false } });
  }
  return out;
}

/** The ids of the n most influential nodes in the graph (highest score; unscored never). */
export function mostInfluential(g: Graph, n: number): Set<string> {
  const scored = [...g.nodes.values()].filter((x) => x.score !== null && x.score > 0);
  scored.sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.id.localeCompare(b.id));
  return new Set(scored.slice(0, n).map((x) => x.id));
}

/** The nodes of `after` that `before` did not have. */
export function addedNodes(before: Graph, after: Graph): Set<string> {
  const out = new Set<string>();
  for (const id of after.nodes.keys()) if (!before.nodes.has(id)) out.add(id);
  return out;
}

/** Communities in the graph, most members first (for the legend). */
export function communityCounts(g: Graph): { id: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const n of g.nodes.values()) if (n.community) counts.set(n.community, (counts.get(n.community) ?? 0) + 1);
  return [...counts].map(([id, count]) => ({ id, count })).sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
}

const COMMUNITY_COLORS = ['#4f6bed', '#e8590c', '#12b886', '#ae3ec9', '#f59f00', '#1098ad', '#d6336c', '#5c940d', '#7048e8', '#a61e4d', '#2b8a3e', '#862e9c'];

/** A community's colour: stable for its id, so it keeps its colour as the graph grows. */
export function communityColor(id: string | null): string {
  if (!id) return '#adb5bd';
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return COMMUNITY_COLORS[h % COMMUNITY_COLORS.length] ?? '#adb5bd';
}
