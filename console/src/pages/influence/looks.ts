// How the explorer draws customers and ties: size by influence, colour by community, line by
// tie type, advocates and detractors ringed, the path in amber.
import type { EdgeLook, ElementData, NodeLook } from '../../components/GraphView';
import { communityColor } from './graphModel';

export const TIE_LOOKS: Record<string, EdgeLook & { legend: string }> = {
  follows: { color: '#94a3b8', width: 1.2, lineStyle: 'solid', arrow: true, legend: 'follows' },
  referred: { color: '#177245', width: 2.6, lineStyle: 'solid', arrow: true, legend: 'referred (brought in)' },
  shared: { color: '#3552d4', width: 1.6, lineStyle: 'dashed', arrow: true, legend: 'shared' },
  mentioned: { color: '#d97706', width: 1.4, lineStyle: 'dotted', arrow: true, legend: 'mentioned' },
};
export const ADVOCATE = '#12b886';
export const DETRACTOR = '#e03131';
export const PATH = '#f59e0b';

export const FRESH = '#0ea5e9';

/** Which nodes the picture singles out beyond what their data says. */
export interface Emphasis {
  /** Named on the canvas (the most influential in view, the centre, the selected one). */
  labelled: ReadonlySet<string>;
  /** Added by the last expansion: ringed until the next action. */
  fresh: ReadonlySet<string>;
}

const none: Emphasis = { labelled: new Set(), fresh: new Set() };

/** The node look under an emphasis; a new function when the emphasis changes (GraphView restyles, no re-layout). */
export function makeNodeLook(emphasis: Emphasis = none) {
  return (d: ElementData): NodeLook => {
    const weight = typeof d.weight === 'number' ? d.weight : 0;
    const fresh = emphasis.fresh.has(d.id);
    const ring = d.onPath ? PATH : fresh ? FRESH : d.advocate ? ADVOCATE : d.detractor ? DETRACTOR : '#ffffff';
    return {
      color: communityColor(typeof d.community === 'string' ? d.community : null),
      size: 10 + 34 * Math.sqrt(weight),
      shape: d.centre ? 'diamond' : 'ellipse',
      borderColor: ring,
      borderWidth: fresh ? 5 : d.onPath || d.advocate || d.detractor ? 4 : 1,
      // Labels for the few that matter; hundreds of names would hide the structure.
      label: d.centre || d.onPath || emphasis.labelled.has(d.id) ? String(d.name ?? '') : '',
    };
  };
}

export const nodeLook = makeNodeLook();

export function edgeLook(d: ElementData): EdgeLook {
  const look: EdgeLook = TIE_LOOKS[String(d.type)] ?? { color: '#94a3b8', width: 1.2, arrow: true };
  if (d.onPath) return { ...look, color: PATH, width: 4.5 };
  return look;
}
