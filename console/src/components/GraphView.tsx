import cytoscape, { type Core, type ElementDefinition, type LayoutOptions } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { useEffect, useRef } from 'react';
import { runLayoutSafely, type LayoutRequest } from './graphLayout';

cytoscape.use(fcose);

export type { ElementDefinition };
export type ElementData = Record<string, unknown> & { id: string };

/** How a node looks, computed from its data. */
export interface NodeLook {
  color?: string;
  size?: number;
  label?: string;
  shape?: cytoscape.Css.NodeShape;
  borderColor?: string;
  borderWidth?: number;
}

/** How an edge looks, computed from its data. */
export interface EdgeLook {
  color?: string;
  width?: number;
  lineStyle?: 'solid' | 'dotted' | 'dashed';
  label?: string;
  arrow?: boolean;
}

export interface GraphViewProps {
  /** Nodes and edges ({ data: { id, ... } } and { data: { id, source, target, ... } }). */
  elements: ElementDefinition[];
  nodeLook?: (data: ElementData) => NodeLook;
  edgeLook?: (data: ElementData) => EdgeLook;
  /** Defaults to fcose (force-directed, fast on thousands of nodes). */
  layout?: LayoutOptions;
  onTapNode?: (data: ElementData) => void;
  onTapEdge?: (data: ElementData) => void;
  onDoubleTapNode?: (data: ElementData) => void;
  /** Called once each layout has finished, with what is drawn (e.g. for a page's data-ready). */
  onRendered?: (drawn: { nodes: number; edges: number }) => void;
  /** Fit the whole graph after each layout (default true). */
  fit?: boolean;
  height?: number | string;
  ariaLabel: string;
}

const defaultLayout: LayoutOptions = { name: 'fcose', animate: false, randomize: true, nodeDimensionsIncludeLabels: true } as LayoutOptions;

const PALETTE = { node: '#4f6bed', edge: '#a3adc2', text: '#1f2633', border: '#ffffff' };

/**
 * A Cytoscape graph on a 2D canvas (no WebGL: works in headless Chromium and over remote
 * desktops). New elements are added in place and the layout re-run, so a neighbourhood
 * can grow on click without redrawing from scratch.
 */
export function GraphView({ elements, nodeLook, edgeLook, layout, onTapNode, onTapEdge, onDoubleTapNode, onRendered, fit = true, height = 520, ariaLabel }: GraphViewProps) {
  const el = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const looks = useRef({ nodeLook, edgeLook });
  looks.current = { nodeLook, edgeLook };
  const taps = useRef({ onTapNode, onTapEdge, onDoubleTapNode, onRendered });
  taps.current = { onTapNode, onTapEdge, onDoubleTapNode, onRendered };

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const n = (e: cytoscape.NodeSingular) => looks.current.nodeLook?.(e.data() as ElementData) ?? {};
    const d = (e: cytoscape.EdgeSingular) => looks.current.edgeLook?.(e.data() as ElementData) ?? {};
    const c = cytoscape({
      container: node,
      minZoom: 0.05,
      maxZoom: 4,
      style: [
        {
          selector: 'node',
          style: {
            'background-color': (e: cytoscape.NodeSingular) => n(e).color ?? PALETTE.node,
            width: (e: cytoscape.NodeSingular) => n(e).size ?? 18,
            height: (e: cytoscape.NodeSingular) => n(e).size ?? 18,
            shape: (e: cytoscape.NodeSingular) => n(e).shape ?? 'ellipse',
            label: (e: cytoscape.NodeSingular) => n(e).label ?? '',
            'border-color': (e: cytoscape.NodeSingular) => n(e).borderColor ?? PALETTE.border,
            'border-width': (e: cytoscape.NodeSingular) => n(e).borderWidth ?? 1,
            'font-size': 10,
            color: PALETTE.text,
            'text-valign': 'bottom',
            'text-margin-y': 3,
            'min-zoomed-font-size': 7,
            // A pale halo keeps a label readable where it crosses edges.
            'text-background-color': '#ffffff',
            'text-background-opacity': 0.75,
            'text-background-padding': '1px',
            'text-background-shape': 'roundrectangle',
          },
        },
        {
          selector: 'edge',
          style: {
            'line-color': (e: cytoscape.EdgeSingular) => d(e).color ?? PALETTE.edge,
            'target-arrow-color': (e: cytoscape.EdgeSingular) => d(e).color ?? PALETTE.edge,
            width: (e: cytoscape.EdgeSingular) => d(e).width ?? 1.5,
            'line-style': (e: cytoscape.EdgeSingular) => d(e).lineStyle ?? 'solid',
            'target-arrow-shape': (e: cytoscape.EdgeSingular) => (d(e).arrow ? 'triangle' : 'none'),
            label: (e: cytoscape.EdgeSingular) => d(e).label ?? '',
            'font-size': 8,
            // Along the edge and beside it, not across the line.
            'text-rotation': 'autorotate',
            'text-margin-y': -7,
            color: PALETTE.text,
            'text-background-color': '#ffffff',
            'text-background-opacity': 0.8,
            'text-background-padding': '1px',
            'curve-style': 'bezier',
          },
        },
        { selector: ':selected', style: { 'border-width': 3, 'border-color': '#f59e0b', 'line-color': '#f59e0b' } },
      ] as cytoscape.StylesheetStyle[],
    });
    c.on('tap', 'node', (e) => taps.current.onTapNode?.(e.target.data() as ElementData));
    c.on('tap', 'edge', (e) => taps.current.onTapEdge?.(e.target.data() as ElementData));
    c.on('dbltap', 'node', (e) => taps.current.onDoubleTapNode?.(e.target.data() as ElementData));
    cy.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(node);
    return () => {
      observer.disconnect();
      c.destroy();
      cy.current = null;
    };
  }, []);

  useEffect(() => {
    const c = cy.current;
    if (!c) return;
    const wanted = new Set(elements.map((e) => String(e.data.id)));
    const had = c.elements().length;
    c.batch(() => {
      c.elements().forEach((e) => {
        if (!wanted.has(e.id())) c.remove(e);
      });
      for (const def of elements) {
        const existing = c.getElementById(String(def.data.id));
        if (existing.nonempty()) existing.data(def.data);
        else c.add(def);
      }
    });
    if (c.elements().length === 0) {
      taps.current.onRendered?.({ nodes: 0, edges: 0 });
      return;
    }
    // Growing an existing graph keeps positions, so the picture does not jump. A layout that
    // throws is retried from scratch (graphLayout.ts): it must never replace the page.
    const options = { ...(layout ?? defaultLayout), ...(had > 0 && !layout ? { randomize: false } : {}) } as LayoutRequest;
    runLayoutSafely(
      { layout: (o) => c.layout(o as LayoutOptions) },
      options,
      () => {
        if (c.destroyed()) return;
        if (fit) c.fit(undefined, 24);
        taps.current.onRendered?.({ nodes: c.nodes().length, edges: c.edges().length });
      },
      (err) => console.warn('graph layout failed; retried', err),
    );
  }, [elements, layout, fit]);

  // Looks may change without the elements (a filter); restyle then.
  useEffect(() => {
    cy.current?.style().update();
  }, [nodeLook, edgeLook]);

  return <div ref={el} className="graph-view" style={{ height }} role="img" aria-label={ariaLabel} />;
}
