import { Badge } from '../../components/Badge';
import type { Customer360Query } from '../../gql/graphql';
import { formatCount, formatDate, formatMoney, formatNumber } from '../../lib/format';
import { ChurnBadge } from './ChurnBadge';
import { displayName } from './customerColumns';

type C = NonNullable<Customer360Query['customer']>;

export function Customer360Header({ customer: c }: { customer: C }) {
  const spent = c.orders.nodes[0]?.total.currency;
  return (
    <header className="header-360">
      <h1 data-testid="customer-name">{displayName(c.profile)}</h1>
      <p className="lead">
        <code>{c.customerId}</code> ·{' '}
        <span title="When cdpgraph first saw this person (its first source record), not when they became a customer">in cdpgraph since {formatDate(c.createdAt)}</span>
        {c.metrics?.firstOrderAt ? <> · first order {formatDate(c.metrics.firstOrderAt)}</> : null} · known to{' '}
        {c.sources.map((s) => (
          <Badge key={s}>{s}</Badge>
        ))}
      </p>
      <dl className="stats kpis">
        <div>
          <dt>Orders</dt>
          <dd data-testid="stat-orders" data-value={c.orders.totalCount}>
            {formatCount(c.orders.totalCount)}
          </dd>
        </div>
        <div>
          <dt>Revenue</dt>
          <dd>{c.metrics ? (spent ? formatMoney(c.metrics.revenue, spent) : formatNumber(c.metrics.revenue, undefined, 0)) : '–'}</dd>
        </div>
        <div>
          <dt>CLV</dt>
          <dd data-testid="stat-clv" data-value={c.metrics?.clv ?? ''}>
            {c.metrics?.clv != null && spent ? formatMoney(c.metrics.clv, spent) : formatNumber(c.metrics?.clv, undefined, 0)}
          </dd>
        </div>
        <div>
          <dt>Churn</dt>
          <dd>
            <ChurnBadge band={c.metrics?.churnBand} risk={c.metrics?.churnRisk} />
          </dd>
        </div>
        <div>
          <dt>Identifiers</dt>
          <dd data-testid="stat-identifiers" data-value={c.identifierCount}>
            {formatCount(c.identifierCount)}
          </dd>
        </div>
        <div>
          <dt>Source records</dt>
          <dd data-testid="stat-records" data-value={c.recordCount}>
            {formatCount(c.recordCount)}
          </dd>
        </div>
        <div>
          <dt>Feedback</dt>
          <dd data-testid="stat-feedback" data-value={c.feedback.totalCount}>
            {formatCount(c.feedback.totalCount)}
          </dd>
        </div>
      </dl>
    </header>
  );
}
