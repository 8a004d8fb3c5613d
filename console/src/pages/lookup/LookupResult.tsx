import { Badge } from '../../components/Badge';
import { DataTable } from '../../components/DataTable';
import type { LookupCustomerFragment, Role } from '../../gql/graphql';
import { formatCount, formatDate, formatDateTime, formatMoney, formatNumber, formatPercent } from '../../lib/format';
import { PROFILE_FIELDS } from '../customers/ProfilePanel';
import { Withheld } from '../customers/Withheld';

type C = LookupCustomerFragment;
type Order = NonNullable<C['orders']>['nodes'][number];

const orderColumns = [
  { key: 'at', header: 'When', cell: (o: Order) => formatDateTime(o.orderedAt), csv: (o: Order) => o.orderedAt, sortValue: (o: Order) => o.orderedAt },
  { key: 'total', header: 'Total', align: 'right' as const, cell: (o: Order) => formatMoney(Number(o.total.amount), o.total.currency), csv: (o: Order) => `${o.total.amount} ${o.total.currency}` },
  { key: 'status', header: 'Status', csv: (o: Order) => o.status },
  { key: 'channel', header: 'Channel', csv: (o: Order) => o.channel ?? '' },
  { key: 'lines', header: 'Lines', align: 'right' as const, csv: (o: Order) => o.itemCount },
];

/** What the role may read of the customer, as the API gave it: null shows as "withheld". */
export function LookupResult({ customer: c, role }: { customer: C; role: Role }) {
  return (
    <div className="grid-360" data-testid="lookup-result" data-customer={c.customerId}>
      <section className="panel" data-testid="lookup-profile">
        <h2>Profile</h2>
        <p className="muted">
          <code data-testid="lookup-customer-id">{c.customerId}</code> · since {formatDate(c.createdAt)}
        </p>
        <table className="kv">
          <tbody>
            {PROFILE_FIELDS.map(({ key, label }) => (
              <tr key={key}>
                <th scope="row">{label}</th>
                <td data-testid={`lookup-profile-${key}`}>
                  <Withheld value={c.profile[key]} nullLabel="withheld" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="hint">“withheld” is a field the API returned empty for this key (masked, or not on record).</p>
      </section>
      <section className="panel" data-testid="lookup-identifiers">
        <h2>Identifiers ({formatCount(c.identifierCount)})</h2>
        <ul className="plain-list">
          {c.identifiers.map((i) => (
            <li key={`${i.type}:${i.value}`}>
              <Badge>{i.type.toLowerCase()}</Badge> <code>{i.value}</code>
            </li>
          ))}
        </ul>
        <h2>Consents</h2>
        <ul className="tags">
          {c.consents.map((x) => (
            <li key={x.purpose}>
              <Badge tone={x.granted ? 'good' : 'bad'} title={formatDateTime(x.occurredAt)}>
                {x.granted ? '✓' : '✗'} {x.purpose.replace(/_/g, ' ')}
              </Badge>
            </li>
          ))}
        </ul>
      </section>
      {role === 'PARTNER' ? (
        <section className="panel" data-testid="lookup-metrics">
          <h2>Scores</h2>
          {c.metrics ? (
            <dl className="kv-grid">
              <dt>Churn</dt>
              <dd>
                {c.metrics.churnBand?.toLowerCase() ?? '–'} ({formatPercent(c.metrics.churnRisk)})
              </dd>
              <dt>CLV</dt>
              <dd>{formatNumber(c.metrics.clv, undefined, 0)}</dd>
              <dt>Loyalty</dt>
              <dd>{formatNumber(c.metrics.loyalty, undefined, 0)}</dd>
              <dt>RFM segment</dt>
              <dd>{c.metrics.rfm?.segment ?? '–'}</dd>
            </dl>
          ) : (
            <p className="muted">Not scored.</p>
          )}
          <h2>Segments ({formatCount(c.segmentCount)})</h2>
          <ul className="tags">
            {(c.segments ?? []).map((s) => (
              <li key={s.id}>
                <Badge tone="info">{s.name}</Badge>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {role === 'FRONTEND' && c.orders ? (
        <section className="panel" data-testid="lookup-orders">
          <h2>Orders ({formatCount(c.orders.totalCount)})</h2>
          <DataTable rows={c.orders.nodes} columns={orderColumns} rowKey={(o) => o.id} caption="Orders" />
          {c.nextBestActions && c.nextBestActions.length ? (
            <>
              <h2>Next-best actions</h2>
              <ul className="plain-list">
                {c.nextBestActions.map((a) => (
                  <li key={`${a.action}:${a.channel}`}>
                    <strong>{a.action.replace(/_/g, ' ')}</strong> <Badge tone="info">{a.channel}</Badge> <span className="muted">{a.reason}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
      <section className="panel" data-testid="lookup-recommendations">
        <h2>Recommendations</h2>
        <ol className="plain-list">
          {c.recommendations.map((r) => (
            <li key={r.sku}>
              <strong>{r.product?.name ?? r.sku}</strong> <code className="muted">{r.sku}</code> <span className="muted">{r.reason}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
