import { useMemo } from 'react';
import { Chart, type ChartOption } from '../../components/Chart';
import { EmptyState } from '../../components/EmptyState';
import type { Customer360Query } from '../../gql/graphql';
import { formatDate, formatNumber, formatPercent } from '../../lib/format';
import { ChurnBadge } from './ChurnBadge';

type C = NonNullable<Customer360Query['customer']>;

/** Churn risk (left axis, 0–1) and CLV (right axis) of each full scoring run, oldest first. */
export function historyOption(history: C['metricsHistory']): ChartOption {
  const runs = [...history].sort((a, b) => Date.parse(a.asOf) - Date.parse(b.asOf));
  return {
    grid: { left: 44, right: 52, top: 28, bottom: 24 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['Churn risk', 'CLV'] },
    xAxis: { type: 'category', data: runs.map((r) => formatDate(r.asOf)) },
    yAxis: [
      { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      { type: 'value', splitLine: { show: false } },
    ],
    series: [
      { name: 'Churn risk', type: 'line', data: runs.map((r) => r.churnRisk ?? null), connectNulls: true, color: '#b42318' },
      { name: 'CLV', type: 'line', yAxisIndex: 1, data: runs.map((r) => r.clv ?? null), connectNulls: true, color: '#3552d4' },
    ],
  };
}

export function ScoresPanel({ metrics: m, history }: { metrics: C['metrics'] | null; history: C['metricsHistory'] }) {
  const option = useMemo(() => historyOption(history), [history]);
  return (
    <section className="panel" data-testid="section-scores">
      <h2>Scores</h2>
      {m ? (
        <>
          <p className="muted">As of {formatDate(m.asOf)}</p>
          <dl className="kv-grid">
            <dt>Churn risk</dt>
            <dd>
              {formatPercent(m.churnRisk)} <ChurnBadge band={m.churnBand} />
            </dd>
            <dt>CLV</dt>
            <dd>{formatNumber(m.clv, undefined, 0)}</dd>
            <dt>P(alive)</dt>
            <dd>{formatPercent(m.pAlive)}</dd>
            <dt>Loyalty</dt>
            <dd>{formatNumber(m.loyalty, undefined, 0)} / 100</dd>
            <dt>Expected purchases (90 d)</dt>
            <dd>{formatNumber(m.expectedPurchases90)}</dd>
            <dt>RFM</dt>
            <dd>{m.rfm ? `${m.rfm.segment} (${m.rfm.code})` : '–'}</dd>
            <dt>Purchase days</dt>
            <dd>{m.orders}</dd>
          </dl>
        </>
      ) : (
        <EmptyState title="Not scored yet">Scores appear after the first scoring run.</EmptyState>
      )}
      {history.length > 1 ? (
        <Chart option={option} height={180} ariaLabel="Churn risk and CLV over scoring runs" />
      ) : (
        <p className="hint">{history.length === 1 ? 'One scoring run so far: the history chart needs two.' : 'No scoring history.'}</p>
      )}
    </section>
  );
}
