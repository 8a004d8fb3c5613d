import { Link } from 'react-router';
import { Badge, type Tone } from '../../components/Badge';
import { formatCount, formatNumber } from '../../lib/format';
import { pathTo } from '../../pages';
import type { GraphNode } from './graphModel';

const BAND_TONES: Record<string, Tone> = { LOW: 'good', MEDIUM: 'neutral', HIGH: 'warn', CRITICAL: 'bad' };

export interface NodePanelProps {
  node: GraphNode | null;
  isCentre: boolean;
  expanded: boolean;
  expanding: boolean;
  advocate: boolean;
  detractor: boolean;
  degree: number;
  onExpand(): void;
  onCentre(): void;
  onPathFrom(): void;
  onPathTo(): void;
}

/** The selected customer: what the graph knows of them, and what to do next. */
export function NodePanel(p: NodePanelProps) {
  if (!p.node) {
    return (
      <aside className="panel node-panel" data-testid="node-panel">
        <p className="muted">Click a customer in the graph (or in the node list) to see them here and expand their ties. Double-click to re-centre.</p>
      </aside>
    );
  }
  const n = p.node;
  return (
    <aside className="panel node-panel" data-testid="node-panel" data-id={n.id}>
      <h2 data-testid="node-name">{n.name}</h2>
      <p className="muted">
        <code>{n.customerId}</code>
      </p>
      <div className="badges">
        {p.isCentre ? <Badge tone="info">centre</Badge> : null}
        {p.advocate ? <Badge tone="good">advocate</Badge> : null}
        {p.detractor ? <Badge tone="bad">detractor</Badge> : null}
        {n.churnBand ? <Badge tone={BAND_TONES[n.churnBand] ?? 'neutral'}>churn {n.churnBand.toLowerCase()}</Badge> : null}
      </div>
      <table className="kv">
        <tbody>
          <tr>
            <th scope="row">Influence score</th>
            <td data-testid="node-score">{formatNumber(n.score, undefined, 5)}</td>
          </tr>
          <tr>
            <th scope="row">Rank</th>
            <td data-testid="node-rank">{formatCount(n.rank)}</td>
          </tr>
          <tr>
            <th scope="row">Community</th>
            <td>{n.community ?? '–'}</td>
          </tr>
          <tr>
            <th scope="row">Ties drawn</th>
            <td>{formatCount(p.degree)}</td>
          </tr>
        </tbody>
      </table>
      <div className="node-actions">
        <button type="button" onClick={p.onExpand} disabled={p.expanded || p.expanding} data-testid="node-expand">
          {p.expanding ? 'Expanding…' : p.expanded ? 'Expanded' : 'Expand ties'}
        </button>
        <button type="button" onClick={p.onCentre} disabled={p.isCentre} data-testid="node-centre">
          Re-centre here
        </button>
        <button type="button" onClick={p.onPathFrom}>
          Path from here
        </button>
        <button type="button" onClick={p.onPathTo} data-testid="node-path-to">
          Path to here
        </button>
        <Link to={pathTo('customer', { id: n.id })} data-testid="node-360">
          Open 360 →
        </Link>
      </div>
    </aside>
  );
}
