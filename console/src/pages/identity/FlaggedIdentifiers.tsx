import { useEffect } from 'react';
import { useApiQuery } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { Pager } from '../../components/Pager';
import type { FlaggedIdentifiersQuery as Result } from '../../gql/graphql';
import { formatCount } from '../../lib/format';
import { FlaggedIdentifiersQuery } from './queries';

type Row = Result['flaggedIdentifiers']['nodes'][number];
const PAGE = 25;

const REASONS: Record<string, string> = {
  too_many_records: 'held by more records than its type allows: it links nothing',
  conflicting_holders: 'held by clearly different people: links only the holders that agree',
};

const COLUMNS: readonly Column<Row>[] = [
  { key: 'type', header: 'Type', csv: (r) => r.identifier.type.toLowerCase(), sortValue: (r) => r.identifier.type },
  { key: 'value', header: 'Value', cell: (r) => <code>{r.identifier.value}</code>, csv: (r) => r.identifier.value },
  { key: 'records', header: 'Records', align: 'right', cell: (r) => formatCount(r.records), csv: (r) => r.records, sortValue: (r) => r.records },
  { key: 'limit', header: 'Limit', align: 'right', cell: (r) => formatCount(r.limit), csv: (r) => r.limit },
  { key: 'reason', header: 'Why flagged', cell: (r) => REASONS[r.reason] ?? r.reason, csv: (r) => r.reason },
];

export function FlaggedIdentifiers({ after, pageIndex, onNext, onPrevious, onReady }: { after: string | null; pageIndex: number; onNext(c: string): void; onPrevious(): void; onReady(): void }) {
  const q = useApiQuery(FlaggedIdentifiersQuery, { first: PAGE, after });
  const settled = !q.isPending;
  useEffect(() => {
    if (settled) onReady();
  }, [settled, onReady]);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const f = q.data.flaggedIdentifiers;
  return (
    <div data-testid="flagged-identifiers" data-total={f.totalCount}>
      <p className="lead">Identifier values that bridge people; the matcher does not link records through them.</p>
      <DataTable
        caption="Flagged identifiers"
        rows={f.nodes}
        columns={COLUMNS}
        rowKey={(r) => `${r.identifier.type}:${r.identifier.value}`}
        empty={<EmptyState title="No bridging identifiers">No identifier is shared beyond its limit or by clearly different people.</EmptyState>}
        footer={
          <Pager pageIndex={pageIndex} pageSize={PAGE} rowCount={f.nodes.length} totalCount={f.totalCount} hasNextPage={f.pageInfo.hasNextPage}
            onNext={() => f.pageInfo.endCursor && onNext(f.pageInfo.endCursor)} onPrevious={onPrevious} />
        }
      />
    </div>
  );
}
