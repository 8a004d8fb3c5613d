import { Link } from 'react-router';
import { Badge } from '../../components/Badge';
import { DataTable } from '../../components/DataTable';
import type { Customer360Query } from '../../gql/graphql';
import { formatCount, formatDateTime } from '../../lib/format';
import { pathTo } from '../../pages';

type C = NonNullable<Customer360Query['customer']>;
type Row = C['identityHistory'][number];

const columns = [
  { key: 'at', header: 'When', cell: (e: Row) => formatDateTime(e.at), csv: (e: Row) => e.at, sortValue: (e: Row) => e.at },
  { key: 'kind', header: 'What', cell: (e: Row) => <Badge tone={e.kind === 'merge' ? 'info' : 'warn'}>{e.kind}</Badge>, csv: (e: Row) => e.kind },
  {
    key: 'other',
    header: 'Other customer',
    cell: (e: Row) => <Link to={pathTo('customer', { id: e.otherCustomerId })}>{e.otherCustomerId}</Link>,
    csv: (e: Row) => e.otherCustomerId,
  },
  { key: 'via', header: 'Via', cell: (e: Row) => e.via.join(', '), csv: (e: Row) => e.via.join(' ') },
  { key: 'reason', header: 'Reason', csv: (e: Row) => e.reason ?? '' },
];

export function IdentityHistoryPanel({ history, total }: { history: C['identityHistory']; total: number }) {
  return (
    <section className="panel" data-testid="section-identity-history">
      <h2>Identity history ({formatCount(total)})</h2>
      <DataTable rows={history} columns={columns} rowKey={(e) => e.id} caption="Identity history" empty={<p className="muted">No merge or split has shaped this customer.</p>} />
    </section>
  );
}
