import { useState } from 'react';
import { useApiQuery } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import type { CommunitiesTableQuery } from '../../gql/graphql';
import { formatCount, formatMoney, formatNumber, formatPercent } from '../../lib/format';
import { communityColor } from './graphModel';
import { CommunitiesQuery } from './influenceQueries';

type Row = CommunitiesTableQuery['communities'][number];

/** Rows shown until "Show all": the biggest communities, without a page of scrolling. */
const FIRST = 10;

/** Communities, largest first; a click lists the community's influencers. */
export function CommunitiesTable({ selected, onPick }: { selected: string | null; onPick(id: string): void }) {
  const q = useApiQuery(CommunitiesQuery, { first: 50 });
  const [all, setAll] = useState(false);
  const rows = q.data?.communities ?? [];
  // The selected community stays in view even when it is not among the first ones.
  const shown = all ? rows : rows.filter((r, i) => i < FIRST || r.id === selected);
  const currency = q.data?.scoringModel?.currency ?? 'EUR';
  const columns: Column<Row>[] = [
    {
      key: 'id',
      header: 'Community',
      cell: (r) => (
        <span className={`community-chip${r.id === selected ? ' selected-row' : ''}`} data-testid="community-row" data-id={r.id}>
          <span className="swatch" style={{ background: communityColor(r.id) }} />
          {r.id}
        </span>
      ),
      csv: (r) => r.id,
      sortValue: (r) => r.id,
    },
    { key: 'size', header: 'Size', cell: (r) => formatCount(r.size), csv: (r) => r.size, sortValue: (r) => r.size, align: 'right' },
    { key: 'revenue', header: 'Revenue', cell: (r) => formatMoney(r.revenue, currency), csv: (r) => r.revenue, sortValue: (r) => r.revenue, align: 'right' },
    {
      key: 'churn',
      header: 'Avg churn risk',
      cell: (r) => formatPercent(r.averageChurnRisk),
      csv: (r) => r.averageChurnRisk,
      sortValue: (r) => r.averageChurnRisk,
      align: 'right',
    },
    {
      key: 'sentiment',
      header: 'Avg sentiment',
      cell: (r) => <span className={sentimentClass(r.averageSentiment)}>{formatNumber(r.averageSentiment, undefined, 2)}</span>,
      csv: (r) => r.averageSentiment,
      sortValue: (r) => r.averageSentiment,
      align: 'right',
    },
    {
      key: 'top',
      header: 'Most influential',
      cell: (r) => r.topMembers.map((m) => m.profile.fullName || m.customerId).join(', '),
      csv: (r) => r.topMembers.map((m) => m.profile.fullName || m.customerId).join('; '),
    },
  ];
  return (
    <section className="panel" data-testid="communities-panel">
      <header className="chart-panel-head">
        <div>
          <h2>Communities</h2>
          <p className="chart-panel-sub">Click one to list its influencers.</p>
        </div>
      </header>
      {q.isPending ? <Loading label="Loading communities…" /> : null}
      {q.isError ? <ErrorBox error={q.error} onRetry={() => void q.refetch()} /> : null}
      {q.data ? (
        <DataTable
          rows={shown}
          exportRows={() => Promise.resolve({ rows })}
          columns={columns}
          rowKey={(r) => r.id}
          caption="Communities"
          onRowClick={(r) => onPick(r.id)}
          empty={<EmptyState title="No communities">The influence run has not found any yet.</EmptyState>}
          footer={
            rows.length > FIRST ? (
              <button type="button" className="link-button" onClick={() => setAll((a) => !a)} data-testid="communities-show-all">
                {all ? `Show the ${FIRST} largest` : `Show all ${formatCount(rows.length)}`}
              </button>
            ) : null
          }
        />
      ) : null}
    </section>
  );
}

function sentimentClass(s: number | null | undefined): string | undefined {
  if (s == null) return undefined;
  return s >= 0.3 ? 'tone-good' : s <= -0.3 ? 'tone-bad' : undefined;
}
