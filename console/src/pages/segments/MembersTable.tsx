import { Link } from 'react-router';
import { useApiQuery } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { Pager } from '../../components/Pager';
import type { SegmentMembersQuery as MembersResult } from '../../gql/graphql';
import { formatNumber, formatPercent } from '../../lib/format';
import { pathTo } from '../../pages';
import { SegmentMembersQuery } from './queries';

type Member = NonNullable<MembersResult['segment']>['members']['nodes'][number];

export const MEMBERS_PAGE_SIZE = 25;

const COLUMNS: readonly Column<Member>[] = [
  {
    key: 'name',
    header: 'Customer',
    cell: (c) => <Link to={pathTo('customer', { id: c.id })}>{c.profile.fullName ?? c.customerId}</Link>,
    csv: (c) => c.profile.fullName ?? '',
    sortValue: (c) => c.profile.fullName,
  },
  { key: 'customerId', header: 'Customer id', cell: (c) => <code>{c.customerId}</code>, csv: (c) => c.customerId },
  { key: 'city', header: 'City', csv: (c) => c.profile.city ?? '', sortValue: (c) => c.profile.city },
  { key: 'country', header: 'Country', csv: (c) => c.profile.country ?? '', sortValue: (c) => c.profile.country },
  { key: 'rfm', header: 'RFM segment', csv: (c) => c.metrics?.rfm?.segment ?? '', sortValue: (c) => c.metrics?.rfm?.segment },
  { key: 'band', header: 'Churn band', csv: (c) => c.metrics?.churnBand?.toLowerCase() ?? '', sortValue: (c) => c.metrics?.churnBand },
  {
    key: 'risk',
    header: 'Churn risk',
    align: 'right',
    cell: (c) => formatPercent(c.metrics?.churnRisk),
    csv: (c) => c.metrics?.churnRisk ?? '',
    sortValue: (c) => c.metrics?.churnRisk,
  },
  { key: 'clv', header: 'CLV', align: 'right', cell: (c) => formatNumber(c.metrics?.clv), csv: (c) => c.metrics?.clv ?? '', sortValue: (c) => c.metrics?.clv },
];

export function MembersTable({ segmentId, after, pageIndex, onNext, onPrevious }: { segmentId: string; after: string | null; pageIndex: number; onNext(cursor: string): void; onPrevious(): void }) {
  const q = useApiQuery(SegmentMembersQuery, { id: segmentId, first: MEMBERS_PAGE_SIZE, after });
  if (q.isPending) return <Loading label="Loading members…" />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const members = q.data.segment?.members;
  if (!members) return <EmptyState title="This segment no longer exists" />;
  return (
    <div data-testid="segment-members" data-total={members.totalCount}>
      <DataTable
        caption="Segment members"
        rows={members.nodes}
        columns={COLUMNS}
        rowKey={(c) => c.id}
        empty={<EmptyState title="No members">No customer matches the definition now.</EmptyState>}
        footer={
          <Pager
            pageIndex={pageIndex}
            pageSize={MEMBERS_PAGE_SIZE}
            rowCount={members.nodes.length}
            totalCount={members.totalCount}
            hasNextPage={members.pageInfo.hasNextPage}
            onNext={() => members.pageInfo.endCursor && onNext(members.pageInfo.endCursor)}
            onPrevious={onPrevious}
          />
        }
      />
    </div>
  );
}
