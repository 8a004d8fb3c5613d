import { Link, useNavigate } from 'react-router';
import { useApiQuery } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import type { SegmentsListQuery as SegmentsListResult } from '../../gql/graphql';
import { formatCount, formatDateTime, formatRelativeDays } from '../../lib/format';
import { pathTo } from '../../pages';
import { SegmentsListQuery } from './queries';

type Row = SegmentsListResult['segments'][number];

const COLUMNS: readonly Column<Row>[] = [
  {
    key: 'name',
    header: 'Name',
    cell: (s) => <Link to={pathTo('segment', { id: s.id })}>{s.name}</Link>,
    sortValue: (s) => s.name,
    csv: (s) => s.name,
  },
  { key: 'description', header: 'Description', cell: (s) => s.description ?? '', csv: (s) => s.description ?? '' },
  {
    key: 'members',
    header: 'Members',
    align: 'right',
    cell: (s) => <span data-testid="segment-member-count">{formatCount(s.memberCount)}</span>,
    sortValue: (s) => s.memberCount,
    csv: (s) => s.memberCount,
  },
  {
    key: 'refreshed',
    header: 'Refreshed',
    cell: (s) => (s.refreshedAt ? <span title={formatDateTime(s.refreshedAt)}>{formatRelativeDays(s.refreshedAt)}</span> : 'never'),
    sortValue: (s) => (s.refreshedAt ? new Date(s.refreshedAt) : null),
    csv: (s) => s.refreshedAt ?? '',
  },
  { key: 'id', header: 'Id', cell: (s) => <code>{s.id}</code>, csv: (s) => s.id },
];

export default function SegmentsPage() {
  const q = useApiQuery(SegmentsListQuery, {});
  const navigate = useNavigate();
  return (
    <section className="page" data-testid="page-segments" data-ready={!q.isPending}>
      <div className="page-head">
        <h1>Segments</h1>
        <Link className="button primary" to={pathTo('segmentNew')} data-testid="new-segment">
          New segment
        </Link>
      </div>
      <p className="lead">Saved segments keep their members up to date after every ingest and scoring run.</p>
      {q.isPending ? <Loading /> : null}
      {q.isError ? <ErrorBox error={q.error} onRetry={() => void q.refetch()} /> : null}
      {q.data ? (
        <DataTable
          caption="Segments"
          rows={q.data.segments}
          columns={COLUMNS}
          rowKey={(s) => s.id}
          onRowClick={(s) => navigate(pathTo('segment', { id: s.id }))}
          empty={
            <EmptyState title="No segments yet">
              <Link to={pathTo('segmentNew')}>Build the first one</Link> from churn bands, RFM segments, purchases, events and social ties.
            </EmptyState>
          }
          footer={
            q.data.segmentCount > q.data.segments.length ? (
              <p className="hint">Showing the first {formatCount(q.data.segments.length)} of {formatCount(q.data.segmentCount)} segments by name.</p>
            ) : null
          }
        />
      ) : null}
    </section>
  );
}
