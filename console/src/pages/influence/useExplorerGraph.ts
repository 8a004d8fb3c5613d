import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { request } from '../../api/client';
import { operationKey, useApiQuery } from '../../api/hooks';
import type { InfluenceNeighbourhoodQueryVariables } from '../../gql/graphql';
import { emptyGraph, fromNeighbourhood, mergeGraphs, type Graph } from './graphModel';
import { NeighbourhoodQuery } from './influenceQueries';

export interface ExplorerParams {
  customer: string | null;
  hops: number;
  maxNodes: number;
  types: readonly string[];
  /** YYYY-MM-DD or empty. */
  since: string;
}

/** The API's variables for a neighbourhood of `customer` under the explorer's filters. */
export function neighbourhoodVars(p: ExplorerParams, customer: string, hops: number): InfluenceNeighbourhoodQueryVariables {
  return {
    customer,
    hops,
    maxNodes: p.maxNodes,
    types: p.types.length > 0 ? [...p.types] : null,
    since: p.since ? `${p.since}T00:00:00Z` : null,
  };
}

/**
 * The explorer's graph: the neighbourhood of the centre, plus the 1-hop neighbourhoods of the
 * nodes the analyst expanded (same filters), merged. Changing the centre or a filter starts over.
 */
export function useExplorerGraph(p: ExplorerParams) {
  const queryClient = useQueryClient();
  const vars = p.customer ? neighbourhoodVars(p, p.customer, p.hops) : null;
  const base = useApiQuery(NeighbourhoodQuery, vars ?? neighbourhoodVars(p, '', 1), { enabled: vars !== null });
  const [extra, setExtra] = useState<Graph>(emptyGraph);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [expanding, setExpanding] = useState<string | null>(null);
  const [expandError, setExpandError] = useState<unknown>(null);
  const baseKey = JSON.stringify(vars);

  useEffect(() => {
    setExtra(emptyGraph());
    setExpanded(new Set());
    setExpandError(null);
  }, [baseKey]);

  const baseGraph = useMemo(() => {
    const n = base.data?.neighbourhood;
    return n ? fromNeighbourhood(n.nodes, n.edges) : emptyGraph();
  }, [base.data]);
  const graph = useMemo(() => (extra.nodes.size ? mergeGraphs(baseGraph, extra) : baseGraph), [baseGraph, extra]);

  const expand = useCallback(
    async (id: string) => {
      setExpanding(id);
      setExpandError(null);
      try {
        const v = neighbourhoodVars(p, id, 1);
        const data = await queryClient.fetchQuery({ queryKey: operationKey(NeighbourhoodQuery, v), queryFn: ({ signal }) => request(NeighbourhoodQuery, v, { signal }) });
        const n = data.neighbourhood;
        if (n) setExtra((g) => mergeGraphs(g, fromNeighbourhood(n.nodes, n.edges)));
        setExpanded((s) => new Set([...s, id]));
      } catch (err) {
        setExpandError(err);
      } finally {
        setExpanding(null);
      }
    },
    // p's fields are in baseKey
    [queryClient, baseKey],
  );

  return {
    graph,
    base,
    exists: base.data ? base.data.neighbourhood !== null : true,
    truncated: base.data?.neighbourhood?.truncated ?? false,
    expand,
    expanded,
    expanding,
    expandError,
  };
}
