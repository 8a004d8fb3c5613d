import { Badge } from '../../components/Badge';
import type { Customer360Query } from '../../gql/graphql';
import { formatNumber } from '../../lib/format';

type C = NonNullable<Customer360Query['customer']>;

export function ActionsPanel({ actions, recommendations }: { actions: C['nextBestActions']; recommendations: C['recommendations'] }) {
  return (
    <section className="panel" data-testid="section-actions">
      <h2>Next-best actions</h2>
      {actions.length === 0 ? (
        <p className="muted">No playbook rule suggests an action now.</p>
      ) : (
        <ul className="plain-list">
          {actions.map((a) => (
            <li key={`${a.action}:${a.channel}`} data-testid="nba" className={a.suppressed ? 'suppressed' : undefined}>
              <strong>{a.action.replace(/_/g, ' ')}</strong> <Badge tone="info">{a.channel}</Badge>{' '}
              {a.suppressed ? <Badge tone="warn">suppressed</Badge> : <Badge tone="good">allowed</Badge>}
              <div className="muted">{a.reason}</div>
              {a.suppressed ? <div className="why-suppressed">Why not now: {a.suppressed}</div> : null}
            </li>
          ))}
        </ul>
      )}
      <h2>Recommendations</h2>
      {recommendations.length === 0 ? (
        <p className="muted">No recommendation.</p>
      ) : (
        <ol className="plain-list">
          {recommendations.map((r) => (
            <li key={r.sku} data-testid="recommendation">
              <strong>{r.product?.name ?? r.sku}</strong> <code className="muted">{r.sku}</code>
              {r.product?.category ? <Badge>{r.product.category}</Badge> : null} <span className="muted">score {formatNumber(r.score)}</span>
              <div className="muted">{r.reason}</div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
