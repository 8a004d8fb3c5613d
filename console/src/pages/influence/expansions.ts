// The nodes the analyst expanded, tied to the base (centre and filters) they were expanded
// under. An expansion answers asynchronously; when the base changed while it was on its way,
// its answer belongs to a graph no longer shown and is dropped rather than merged in.
import { emptyGraph, mergeGraphs, type Graph } from './graphModel';

export interface Expansions {
  /** The base (the centre's query variables, as a key) these expansions belong to. */
  baseKey: string;
  /** The expanded neighbourhoods merged, without the base graph. */
  graph: Graph;
  /** The node ids expanded so far. */
  expanded: ReadonlySet<string>;
}

export function noExpansions(baseKey: string): Expansions {
  return { baseKey, graph: emptyGraph(), expanded: new Set() };
}

/** The expansions of `baseKey`: none when the ones held belong to another base. */
export function expansionsOf(s: Expansions, baseKey: string): Expansions {
  return s.baseKey === baseKey ? s : noExpansions(baseKey);
}

/**
 * Adds node `id`'s neighbourhood, asked for under base `askedFor`. Unchanged when that base
 * is not the one held (a stale answer), so it never lands in another centre's graph.
 */
export function addExpansion(s: Expansions, askedFor: string, id: string, neighbourhood: Graph | null): Expansions {
  if (s.baseKey !== askedFor) return s;
  return {
    baseKey: s.baseKey,
    graph: neighbourhood ? mergeGraphs(s.graph, neighbourhood) : s.graph,
    expanded: new Set([...s.expanded, id]),
  };
}
