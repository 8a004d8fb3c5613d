import { useApiQuery } from '../../api/hooks';
import { Badge } from '../../components/Badge';
import { DataTable, type Column } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { Pager } from '../../components/Pager';
import type { InfluencerOrder, InfluencersTableQuery } from '../../gql/graphql';
import { formatCount, formatMoney, formatNumber } from '../../lib/format';
import { communityColor } from './graphModel';
import { InfluencersQuery } from './influenceQueries';

type Row = InfluencersTableQuery['influencers']['nodes'][number];

export const INFLUENCER_ORDERS: readonly InfluencerOrder[] = ['SCORE', 'REACH', 'DRIVEN_REVENUE'];
const ORDER_LABELS: Record<InfluencerOrder, string> = { SCORE: 'Influence score', REACH: '2-hop reach', DRIVEN_REVENUE: 'Driven revenue' };
const PAGE_SIZE = 20;

export interface InfluencersTableProps {
  orderBy: InfluencerOrder;
  community: string | null;
  cursor: { after: string | null; pageIndex: number };
  selected: string | null;
  onOrder(order: InfluencerOrder): void;
  onClearCommunity(): void;
  onPick(id: string): void;
  onNext(endCursor: string): void;
  onPrevious(): void;
}

/** Top influencers by score, reach or driven revenue; a click centres the graph on one. */
export function InfluencersTable(p: InfluencersTableProps) {
  const q = useApiQuery(InfluencersQuery, { orderBy: p.orderBy, community: p.community, first: PAGE_SIZE, after: p.cursor.after });
  const currency = q.data?.scoringModel?.currency ?? 'EUR';
  const columns: Column<Row>[] = [
    { key: 'rank', header: '#', cell: (r) => formatCount(r.influence?.rank), csv: (r) => r.influence?.rank, align: 'right' },
    {
      key: 'name',
      header: 'Customer',
      cell: (r) => (
        <span data-testid="influencer-row" data-id={r.id} className={r.id === p.selected ? 'selected-row' : undefined}>
          {r.profile.fullName || r.customerId}
        </span>
      ),
      csv: (r) => r.profile.fullName || r.customerId,
    },
    { key: 'score', header: 'Score', cell: (r) => formatNumber(r.influence?.score, undefined, 4), csv: (r) => r.influence?.score, align: 'right' },
    { key: 'reach', header: 'Reach (2 hops)', cell: (r) => formatCount(r.influence?.reach), csv: (r) => r.influence?.reach, align: 'right' },
    { key: 'referred', header: 'Referred', cell: (r) => formatCount(r.influence?.referred), csv: (r) => r.influence?.referred, align: 'right' },
    { key: 'downstream', header: 'Downstream', cell: (r) => formatCount(r.influence?.downstream), csv: (r) => r.influence?.downstream, align: 'right' },
    {
      key: 'driven',
      header: `Driven revenue`,
      cell: (r) => formatMoney(r.influence?.drivenRevenue, currency),
      csv: (r) => r.influence?.drivenRevenue,
      align: 'right',
    },
    {
      key: 'community',
      header: 'Community',
      cell: (r) =>
        r.influence?.community ? (
          <span className="community-chip">
            <span className="swatch" style={{ background: communityColor(r.influence.community.id) }} />
            {r.influence.community.id}
          </span>
        ) : (
          '–'
        ),
      csv: (r) => r.influence?.community?.id,
    },
  ];
  return (
    <section className="panel" data-testid="influencers-panel">
      <header className="chart-panel-head">
        <div>
          <h2>Top influencers</h2>
          <p className="chart-panel-sub">Click one to centre the graph on them.</p>
        </div>
        <div className="chart-panel-tools">
          {p.community ? (
            <Badge tone="info">
              community {p.community}{' '}
              <button type="button" className="link-button" onClick={p.onClearCommunity} aria-label="Show all communities">
                ×
              </button>
            </Badge>
          ) : null}
          <label className="inline-field">
            by{' '}
            <select value={p.orderBy} onChange={(e) => p.onOrder(e.target.value as InfluencerOrder)} data-testid="influencer-order">
              {INFLUENCER_ORDERS.map((o) => (
                <option key={o} value={o}>
                  {ORDER_LABELS[o]}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>
      {q.isPending ? <Loading label="Loading influencers…" /> : null}
      {q.isError ? <ErrorBox error={q.error} onRetry={() => void q.refetch()} /> : null}
      {q.data ? (
        <DataTable
          rows={q.data.influencers.nodes}
          columns={columns}
          rowKey={(r) => r.id}
          caption={`Influencers by ${ORDER_LABELS[p.orderBy]}`}
          onRowClick={(r) => p.onPick(r.id)}
          empty={<EmptyState title="No influencers">Run <code>cdpgraph influence</code> once social ties are loaded.</EmptyState>}
          footer={
            <Pager
              pageIndex={p.cursor.pageIndex}
              pageSize={PAGE_SIZE}
              rowCount={q.data.influencers.nodes.length}
              totalCount={q.data.influencers.totalCount}
              hasNextPage={q.data.influencers.pageInfo.hasNextPage}
              onNext={() => q.data.influencers.pageInfo.endCursor && p.onNext(q.data.influencers.pageInfo.endCursor)}
              onPrevious={p.onPrevious}
            />
          }
        />
      ) : null}
    </section>
  );
}
