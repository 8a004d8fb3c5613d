import { useMemo } from 'react';
import { Chart, type ChartOption } from '../../components/Chart';
import { ChartPanel } from '../../components/ChartPanel';
import { EmptyState } from '../../components/EmptyState';
import { formatCount, formatPercent } from '../../lib/format';
import { cohortTriangle } from './loyaltyData';
import type { Cohort } from './loyaltyQuery';

/** Cohort retention: first-purchase month × months since, coloured by the share still buying. */
export function CohortTriangle({ cohorts }: { cohorts: readonly Cohort[] }) {
  const tri = useMemo(() => cohortTriangle(cohorts), [cohorts]);
  const sizes = useMemo(() => new Map(cohorts.map((c) => [c.month, c.customers])), [cohorts]);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 96, right: 16, top: 8, bottom: 78 },
      tooltip: {
        formatter: (p: { value: [number, number, number] }) => {
          const month = tri.months[p.value[1]] ?? '';
          return `${month} cohort (${formatCount(sizes.get(month))} buyers)\nmonth ${p.value[0]}: ${formatPercent(p.value[2])} retained`;
        },
      },
      xAxis: { type: 'category', data: tri.offsets.map(String), name: 'Months since first purchase', nameLocation: 'middle', nameGap: 26 },
      yAxis: {
        type: 'category',
        data: tri.months.map((m) => `${m} · ${formatCount(sizes.get(m))}`),
        inverse: true,
        axisLabel: { fontSize: 10 },
      },
      visualMap: {
        min: 0,
        max: 1,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 120,
        formatter: (v: number) => formatPercent(v, undefined, 0),
        inRange: { color: ['#fff7ed', '#fdba74', '#ea580c', '#7c2d12'] },
      },
      series: [
        {
          type: 'heatmap',
          data: tri.points,
          label: { show: tri.offsets.length <= 14, formatter: (p: { value: [number, number, number] }) => formatPercent(p.value[2], undefined, 0), fontSize: 9 },
        },
      ],
    }),
    [tri, sizes],
  );
  const data = {
    header: ['cohort', 'buyers', 'revenue', ...tri.offsets.map((o) => `month ${o}`)],
    rows: cohorts.map((c) => [c.month, c.customers, c.revenue, ...c.retained]),
  };
  const height = Math.max(220, 80 + tri.months.length * 22);
  return (
    <ChartPanel title="Cohort retention" subtitle="Share of each first-purchase cohort buying again n months later." data={data} testId="cohort-panel" className="span-2">
      {cohorts.length === 0 ? <EmptyState title="No cohorts yet" /> : <Chart option={option} height={height} ariaLabel="Cohort retention triangle" />}
    </ChartPanel>
  );
}
