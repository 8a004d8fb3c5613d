import { useEffect } from 'react';
import { useApiQuery } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import type { MatchModelQuery as Result } from '../../gql/graphql';
import { formatCount, formatDateTime, formatNumber, formatPercent } from '../../lib/format';
import { log2Odds } from './evidence';
import { MatchModelQuery } from './queries';

type Field = NonNullable<Result['matchModel']>['fields'][number];
interface LevelRow {
  field: string;
  method: string;
  level: string;
  m: number;
  u: number;
  weight: number;
  pairs: number;
}

const COLUMNS: readonly Column<LevelRow>[] = [
  { key: 'field', header: 'Field', csv: (r) => r.field, sortValue: (r) => r.field },
  { key: 'method', header: 'Compared by', csv: (r) => r.method },
  { key: 'level', header: 'Level', csv: (r) => r.level },
  { key: 'm', header: 'm = P(level | same)', align: 'right', cell: (r) => formatNumber(r.m, undefined, 4), csv: (r) => r.m, sortValue: (r) => r.m },
  { key: 'u', header: 'u = P(level | different)', align: 'right', cell: (r) => formatNumber(r.u, undefined, 4), csv: (r) => r.u, sortValue: (r) => r.u },
  {
    key: 'weight',
    header: 'Weight (bits)',
    align: 'right',
    cell: (r) => <span className={r.weight >= 0 ? 'weight-pos' : 'weight-neg'}>{formatNumber(r.weight, undefined, 2)}</span>,
    csv: (r) => r.weight,
    sortValue: (r) => r.weight,
  },
  { key: 'pairs', header: 'Pairs', align: 'right', cell: (r) => formatCount(r.pairs), csv: (r) => r.pairs, sortValue: (r) => r.pairs },
];

const levelRows = (fields: readonly Field[]): LevelRow[] => fields.flatMap((f) => f.levels.map((l) => ({ field: f.field, method: f.method, ...l })));

/** The fitted Fellegi-Sunter model: thresholds, priors, blocking keys and each field's levels. */
export function MatchModelView({ onReady }: { onReady(): void }) {
  const q = useApiQuery(MatchModelQuery, {});
  const settled = !q.isPending;
  useEffect(() => {
    if (settled) onReady();
  }, [settled, onReady]);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const m = q.data.matchModel;
  if (!m) return <EmptyState title="No match model yet">It is fitted by the first full resolve (<code>cdpgraph resolve</code>).</EmptyState>;
  return (
    <div data-testid="match-model">
      <dl className="stats">
        <div>
          <dt>Fitted</dt>
          <dd>{formatDateTime(m.fittedAt)}</dd>
        </div>
        <div>
          <dt>Candidate pairs</dt>
          <dd>{formatCount(m.candidatePairs)}</dd>
        </div>
        <div>
          <dt>Merge at</dt>
          <dd>≥ {formatPercent(m.matchProbability)}</dd>
        </div>
        <div>
          <dt>Review from</dt>
          <dd>≥ {formatPercent(m.reviewProbability)}</dd>
        </div>
        <div>
          <dt>Prior, across sources</dt>
          <dd title={`${formatNumber(log2Odds(m.priorAcrossSources), undefined, 2)} bits`}>{formatPercent(m.priorAcrossSources, undefined, 3)}</dd>
        </div>
        <div>
          <dt>Prior, within a source</dt>
          <dd title={`${formatNumber(log2Odds(m.priorWithinSource), undefined, 2)} bits`}>{formatPercent(m.priorWithinSource, undefined, 3)}</dd>
        </div>
      </dl>
      <p>
        Blocking keys: {m.blockingKeys.map((k) => <code key={k} className="tag">{k}</code>)}
      </p>
      <DataTable caption="Match model levels" rows={levelRows(m.fields)} columns={COLUMNS} rowKey={(r) => `${r.field}/${r.level}`} />
    </div>
  );
}
