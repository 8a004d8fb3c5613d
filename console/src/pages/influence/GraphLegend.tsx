import { communityColor } from './graphModel';
import { ADVOCATE, DETRACTOR, FRESH, PATH, TIE_LOOKS } from './looks';

/** What the graph's colours, sizes and lines mean. */
export function GraphLegend({ communities }: { communities: { id: string; count: number }[] }) {
  const shown = communities.slice(0, 8);
  return (
    <div className="graph-legend" aria-label="Legend">
      <ul>
        {Object.entries(TIE_LOOKS).map(([type, l]) => (
          <li key={type}>
            <span className={`legend-line line-${l.lineStyle}`} style={{ borderColor: l.color, borderTopWidth: Math.max(2, l.width ?? 1) }} />
            {l.legend}
          </li>
        ))}
      </ul>
      <ul>
        <li>
          <span className="legend-dot ringed" style={{ borderColor: ADVOCATE }} /> advocate
        </li>
        <li>
          <span className="legend-dot ringed" style={{ borderColor: DETRACTOR }} /> detractor
        </li>
        <li>
          <span className="legend-dot ringed" style={{ borderColor: PATH }} /> on the path
        </li>
        <li>
          <span className="legend-dot ringed" style={{ borderColor: FRESH }} /> new from the last expansion
        </li>
        <li>
          <span className="legend-diamond" /> centre · size = influence score
        </li>
      </ul>
      {shown.length > 0 ? (
        <ul>
          {shown.map((c) => (
            <li key={c.id}>
              <span className="legend-dot" style={{ background: communityColor(c.id) }} /> {c.id} ({c.count})
            </li>
          ))}
          {communities.length > shown.length ? <li className="muted">+{communities.length - shown.length} more communities</li> : null}
        </ul>
      ) : null}
    </div>
  );
}
