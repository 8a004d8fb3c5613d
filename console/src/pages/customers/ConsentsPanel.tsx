import { Badge } from '../../components/Badge';
import { DataTable } from '../../components/DataTable';
import type { Customer360Query } from '../../gql/graphql';
import { formatCount, formatDateTime } from '../../lib/format';

type C = NonNullable<Customer360Query['customer']>;
type Row = C['consentHistory'][number];

const historyColumns = [
  { key: 'at', header: 'When', cell: (c: Row) => formatDateTime(c.occurredAt), csv: (c: Row) => c.occurredAt, sortValue: (c: Row) => c.occurredAt },
  { key: 'purpose', header: 'Purpose', csv: (c: Row) => c.purpose, sortValue: (c: Row) => c.purpose },
  { key: 'granted', header: 'Decision', cell: (c: Row) => (c.granted ? 'granted' : 'refused'), csv: (c: Row) => (c.granted ? 'granted' : 'refused') },
  { key: 'source', header: 'Source', csv: (c: Row) => c.source },
];

export function ConsentsPanel({ current, history, historyCount }: { current: C['consents']; history: C['consentHistory']; historyCount: number }) {
  return (
    <section className="panel" data-testid="section-consents">
      <h2>Consents</h2>
      {current.length === 0 ? (
        <p className="muted">No consent decision recorded: nothing is granted.</p>
      ) : (
        <ul className="tags">
          {current.map((c) => (
            <li key={c.purpose}>
              <Badge tone={c.granted ? 'good' : 'bad'} title={`${formatDateTime(c.occurredAt)} via ${c.source}`}>
                {c.granted ? '✓' : '✗'} {c.purpose.replace(/_/g, ' ')}
              </Badge>
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>History ({formatCount(historyCount)} decisions)</summary>
        <DataTable rows={history} columns={historyColumns} rowKey={(c) => `${c.purpose}:${c.occurredAt}:${c.granted}`} caption="Consent history" />
      </details>
    </section>
  );
}
