import { Link } from 'react-router';
import { Badge } from '../../components/Badge';
import type { Column } from '../../components/DataTable';
import type { CustomersListQuery } from '../../gql/graphql';
import { formatNumber } from '../../lib/format';
import { pathTo } from '../../pages';
import { ChurnBadge } from './ChurnBadge';

export type CustomerRow = CustomersListQuery['customers']['nodes'][number];

/** The name as the API gives it (pseudonyms for analysts without the grant). */
export function displayName(p: { fullName?: string | null; givenName?: string | null; familyName?: string | null }): string {
  return p.fullName || [p.givenName, p.familyName].filter(Boolean).join(' ') || '(no name)';
}

function place(p: CustomerRow['profile']): string {
  return [p.city, p.country].filter(Boolean).join(', ');
}

export function customerColumns({ nameSortable }: { nameSortable: boolean }): Column<CustomerRow>[] {
  return [
    {
      key: 'name',
      header: 'Name',
      serverSortable: nameSortable,
      cell: (c) => (
        <Link to={pathTo('customer', { id: c.customerId })} data-testid="cell-name" onClick={(e) => e.stopPropagation()}>
          {displayName(c.profile)}
        </Link>
      ),
      csv: (c) => displayName(c.profile),
    },
    { key: 'customerId', header: 'Customer id', csv: (c) => c.customerId, cell: (c) => <code className="muted">{c.customerId}</code> },
    { key: 'email', header: 'Email', csv: (c) => c.profile.email ?? '' },
    { key: 'place', header: 'City / country', csv: (c) => place(c.profile) },
    {
      key: 'churn',
      header: 'Churn',
      serverSortable: true,
      cell: (c) => <ChurnBadge band={c.metrics?.churnBand} risk={c.metrics?.churnRisk} />,
      csv: (c) => c.metrics?.churnBand ?? '',
    },
    {
      key: 'clv',
      header: 'CLV',
      align: 'right',
      serverSortable: true,
      cell: (c) => <span data-testid="cell-clv" data-value={c.metrics?.clv ?? ''}>{formatNumber(c.metrics?.clv, undefined, 0)}</span>,
      csv: (c) => c.metrics?.clv ?? null,
    },
    { key: 'loyalty', header: 'Loyalty', align: 'right', serverSortable: true, cell: (c) => formatNumber(c.metrics?.loyalty, undefined, 0), csv: (c) => c.metrics?.loyalty ?? null },
    { key: 'revenue', header: 'Revenue', align: 'right', serverSortable: true, cell: (c) => formatNumber(c.metrics?.revenue, undefined, 0), csv: (c) => c.metrics?.revenue ?? null },
    {
      key: 'rfm',
      header: 'RFM segment',
      cell: (c) => (c.metrics?.rfm ? <span title={`R${c.metrics.rfm.r} F${c.metrics.rfm.f}`}>{c.metrics.rfm.segment}</span> : '–'),
      csv: (c) => c.metrics?.rfm?.segment ?? '',
    },
    {
      key: 'sources',
      header: 'Sources',
      cell: (c) => (
        <span className="tags">
          {c.sources.map((s) => (
            <Badge key={s}>{s}</Badge>
          ))}
        </span>
      ),
      csv: (c) => c.sources.join(' '),
    },
  ];
}
