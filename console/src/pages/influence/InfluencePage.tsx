import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApiQuery } from '../../api/hooks';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { GraphView, type ElementData } from '../../components/GraphView';
import { Loading } from '../../components/Loading';
import { formatCount } from '../../lib/format';
import { param } from '../../lib/url';
import { useUrlState } from '../../lib/useUrlState';
import { CommunitiesTable } from './CommunitiesTable';
import { GraphControls, type GraphFilters } from './GraphControls';
import { GraphLegend } from './GraphLegend';
import { addedNodes, communityCounts, mergeGraphs, mostInfluential, pathGraph, tieDateRange, toElements } from './graphModel';
import { InfluencersTable, INFLUENCER_ORDERS } from './InfluencersTable';
import { MarkersQuery, PathQuery, TopInfluencerQuery } from './influenceQueries';
import { edgeLook, makeNodeLook } from './looks';
import { NodeList } from './NodeList';
import { NodePanel } from './NodePanel';
import { PathFinder } from './PathFinder';
import { useExplorerGraph } from './useExplorerGraph';
import './influence.css';

const spec = {
  customer: param.string(),
  // One hop by default: two hops of a big influencer is a few hundred nodes, a hairball.
  hops: param.number(1),
  maxNodes: param.number(200),
  types: param.list(),
  since: param.string(),
  order: param.oneOf(INFLUENCER_ORDERS, 'SCORE'),
  community: param.string(),
  from: param.string(),
  to: param.string(),
};

const clampHops = (h: number | null) => Math.min(3, Math.max(1, Math.round(h ?? 1)));
/** How many of the most influential nodes in view get their name on the canvas. */
const LABELLED = 15;
/** How long an expansion's new nodes stay ringed (or until the next click). */
const FRESH_MS = 6000;
const NONE: ReadonlySet<string> = new Set();
const clampNodes = (n: number | null) => Math.min(1000, Math.max(10, Math.round(n ?? 200)));

export default function InfluencePage() {
  const { values, set, cursor, goNext, goPrevious } = useUrlState(spec);
  const top = useApiQuery(TopInfluencerQuery, {}, { enabled: values.customer === '' });
  const markers = useApiQuery(MarkersQuery, {});
  const centre = values.customer || top.data?.influencers.nodes[0]?.id || null;
  const filters: GraphFilters = { hops: clampHops(values.hops), maxNodes: clampNodes(values.maxNodes), types: values.types, since: values.since };
  const explorer = useExplorerGraph({ customer: centre, ...filters });
  const [selected, setSelected] = useState<string | null>(null);
  const [drawn, setDrawn] = useState<{ key: string; nodes: number; edges: number } | null>(null);

  const pathAsked = values.from !== '' && values.to !== '';
  const path = useApiQuery(PathQuery, { from: values.from, to: values.to, maxTies: 4 }, { enabled: pathAsked });
  const pathG = useMemo(() => (pathAsked && path.data?.influencePath ? pathGraph(path.data.influencePath) : null), [pathAsked, path.data]);

  const graph = useMemo(() => (pathG ? mergeGraphs(explorer.graph, pathG) : explorer.graph), [explorer.graph, pathG]);
  const advocates = useMemo(() => new Set(markers.data?.advocates.nodes.map((n) => n.id) ?? []), [markers.data]);
  const detractors = useMemo(() => new Set(markers.data?.detractors.nodes.map((n) => n.id) ?? []), [markers.data]);
  const elements = useMemo(() => toElements(graph, { centre, advocates, detractors, path: pathG }), [graph, centre, advocates, detractors, pathG]);
  const elementsKey = `${graph.nodes.size}/${graph.edges.size}/${centre}`;
  const layout = useMemo(
    // Draft quality on big graphs keeps ~500 nodes under a second; growth keeps positions.
    () => ({ name: 'fcose', animate: false, randomize: explorer.expanded.size === 0 && !pathG, quality: graph.nodes.size > 250 ? 'draft' : 'default', nodeRepulsion: 6000, idealEdgeLength: 60 }),
    [elements], // re-layout exactly when the elements change
  );

  // Ring what the last expansion added, so the analyst sees what grew.
  const [fresh, setFresh] = useState<ReadonlySet<string>>(NONE);
  const lastGraph = useRef(explorer.graph);
  useEffect(() => {
    const before = lastGraph.current;
    lastGraph.current = explorer.graph;
    const added = explorer.expanded.size > 0 && before.nodes.size > 0 ? addedNodes(before, explorer.graph) : NONE;
    setFresh(added.size > 0 ? added : NONE);
    if (added.size === 0) return;
    const t = setTimeout(() => setFresh(NONE), FRESH_MS);
    return () => clearTimeout(t);
  }, [explorer.graph, explorer.expanded]);
  const labelled = useMemo(() => {
    const s = mostInfluential(graph, LABELLED);
    if (selected) s.add(selected);
    return s;
  }, [graph, selected]);
  const nodeLook = useMemo(() => makeNodeLook({ labelled, fresh }), [labelled, fresh]);

  const pick = useCallback((id: string) => {
    setSelected(id);
  }, []);
  const expandNode = useCallback(
    (id: string) => {
      setSelected(id);
      setFresh(NONE);
      if (!explorer.expanded.has(id)) void explorer.expand(id);
    },
    [explorer],
  );
  const recentre = useCallback((id: string) => {
    setSelected(id);
    setFresh(NONE);
    set({ customer: id });
  }, [set]);
  const onRendered = useCallback((d: { nodes: number; edges: number }) => setDrawn({ key: elementsKey, ...d }), [elementsKey]);

  const selectedNode = selected ? (graph.nodes.get(selected) ?? null) : null;
  const degree = selected ? [...graph.edges.values()].filter((e) => e.source === selected || e.target === selected).length : 0;
  const noCentre = values.customer === '' && top.isSuccess && !centre;
  const graphDone = explorer.base.isError || noCentre || top.isError || (explorer.base.isSuccess && (graph.nodes.size === 0 || drawn?.key === elementsKey));
  const ready = graphDone && !explorer.expanding;

  return (
    <section className="page influence-page" data-testid="page-influence" data-ready={ready ? 'true' : 'false'}>
      <h1>Influence explorer</h1>
      <div className="influence-layout">
        <section className="panel graph-panel">
          <header className="chart-panel-head">
            <div>
              <h2>Neighbourhood</h2>
              <p className="chart-panel-sub" data-testid="graph-summary">
                {drawn ? `${formatCount(drawn.nodes)} customers, ${formatCount(drawn.edges)} ties` : ' '}
                {explorer.truncated ? ' · capped at max nodes' : ''}
                {explorer.expanded.size ? ` · ${explorer.expanded.size} expanded` : ''}
                {fresh.size ? ` · ${formatCount(fresh.size)} new (ringed)` : ''}
              </p>
            </div>
          </header>
          <GraphControls value={filters} tieTypes={markers.data?.vocabulary.tieTypes ?? []} dateRange={tieDateRange(explorer.graph)} onChange={(patch) => set(patch)} />
          {top.isError ? <ErrorBox error={top.error} /> : null}
          {explorer.base.isError ? <ErrorBox error={explorer.base.error} onRetry={() => void explorer.base.refetch()} /> : null}
          {explorer.expandError ? <ErrorBox error={explorer.expandError} title="Could not expand" /> : null}
          {noCentre ? <EmptyState title="No influencers yet">Run <code>cdpgraph influence</code> once social ties are loaded.</EmptyState> : null}
          {explorer.base.isSuccess && !explorer.exists ? <EmptyState title="No such customer">Nothing in the social graph has id {centre}.</EmptyState> : null}
          {(centre && explorer.base.isPending) || (values.customer === '' && top.isPending) ? <Loading label="Loading the neighbourhood…" /> : null}
          {explorer.base.isSuccess && explorer.exists && graph.nodes.size <= 1 ? (
            <EmptyState title="No ties match">This customer has no ties of the chosen types{values.since ? ` since ${values.since}` : ''}.</EmptyState>
          ) : null}
          <div
            className="graph-wrap"
            data-testid="influence-graph"
            data-nodes={drawn?.nodes ?? 0}
            data-edges={drawn?.edges ?? 0}
            data-centre={centre ?? ''}
            data-expanding={explorer.expanding ? 'true' : 'false'}
            data-fresh={fresh.size}
          >
            <GraphView
              elements={elements}
              nodeLook={nodeLook}
              edgeLook={edgeLook}
              layout={layout}
              onTapNode={(d: ElementData) => expandNode(d.id)}
              onDoubleTapNode={(d: ElementData) => recentre(d.id)}
              onRendered={onRendered}
              height={560}
              ariaLabel="Social neighbourhood graph"
            />
          </div>
          <GraphLegend communities={communityCounts(graph)} />
          <NodeList nodes={[...graph.nodes.values()]} onPick={expandNode} />
        </section>
        <div className="influence-side">
          <NodePanel
            node={selectedNode}
            isCentre={selected === centre}
            expanded={selected ? explorer.expanded.has(selected) : false}
            expanding={explorer.expanding === selected}
            advocate={selected ? advocates.has(selected) : false}
            detractor={selected ? detractors.has(selected) : false}
            degree={degree}
            onExpand={() => selected && void explorer.expand(selected)}
            onCentre={() => selected && recentre(selected)}
            onPathFrom={() => selected && set({ from: selected })}
            onPathTo={() => selected && set({ to: selected, from: values.from || centre || '' })}
          />
          <PathFinder
            from={values.from}
            to={values.to}
            onChange={(patch) => set(patch)}
            steps={path.data?.influencePath}
            pending={path.isPending}
            error={path.error}
            onPick={pick}
          />
        </div>
      </div>
      <div className="influence-tables">
        <InfluencersTable
          orderBy={values.order}
          community={values.community || null}
          cursor={cursor}
          selected={centre}
          onOrder={(order) => set({ order })}
          onClearCommunity={() => set({ community: '' })}
          onPick={recentre}
          onNext={goNext}
          onPrevious={goPrevious}
        />
        <CommunitiesTable selected={values.community || null} onPick={(community) => set({ community })} />
      </div>
    </section>
  );
}
