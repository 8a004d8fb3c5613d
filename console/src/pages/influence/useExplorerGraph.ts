import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { request } from '../../api/client';
import { operationKey, useApiQuery } from '../../api/hooks';
import type { InfluenceNeighbourhoodQueryVariables } from '../../gql/graphql';
import { addExpansion, expansionsOf, noExpansions, type Expansions } from './expansions';
import { emptyGraph, fromNeighbourhood, mergeGraphs } from './graphModel';
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
  const baseKey = JSON.stringify(vars);
  const [held, setHeld] = useState<Expansions>(() => noExpansions(baseKey));
  const [expanding, setExpanding] = useState<string | null>(null);
  const [expandError, setExpandError] = useState<unknown>(null);
  // The base now shown, for expansions answering later to tell whether they still belong.
  const currentBase = useRef(baseKey);
  currentBase.current = baseKey;
  // Expansions of an earlier base never show, not even in the render before the reset below.
  const { graph: extra, expanded } = expansionsOf(held, baseKey);

  useEffect(() => {
    setHeld((s) => expansionsOf(s, baseKey));
    setExpanding(null);
    setExpandError(null);
  }, [baseKey]);

  const baseGraph = useMemo(() => {
    const n = base.data?.neighbourhood;
    return n ? fromNeighbourhood(n.nodes, n.edges) : emptyGraph();
  }, [base.data]);
  const graph = useMemo(() => (extra.nodes.size ? mergeGraphs(baseGraph, extra) : baseGraph), [baseGraph, extra]);

  const expand = useCallback(
    async (id: string) => {
      const askedFor = baseKey;
      const stale = () => currentBase.current !== askedFor;
      setExpanding(id);
      setExpandError(null);
      try {
        const v = neighbourhoodVars(p, id, 1);
        const data = await queryClient.fetchQuery({ queryKey: operationKey(NeighbourhoodQuery, v), queryFn: ({ signal }) => request(NeighbourhoodQuery, v, { signal }) });
        if (stale()) return;
        const n = data.neighbourhood;
        setHeld((s) => addExpansion(expansionsOf(s, askedFor), askedFor, id, n ? fromNeighbourhood(n.nodes, n.edges) : null));
      } catch (err) {
        if (!stale()) setExpandError(err);
      } finally {
        if (!stale()) setExpanding(null);
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
