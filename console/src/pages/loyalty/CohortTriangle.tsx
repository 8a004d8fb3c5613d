import { useMemo } from 'react';
import { Chart, type ChartOption } from '../../components/Chart';
import { ChartPanel } from '../../components/ChartPanel';
import { EmptyState } from '../../components/EmptyState';
import { formatCount, formatPercent } from '../../lib/format';
import { cohortTriangle, labelInk, retentionScaleMax } from './loyaltyData';
import type { Cohort } from './loyaltyQuery';

/** Cohort retention: first-purchase month × months since, coloured by the share still buying. */
export function CohortTriangle({ cohorts }: { cohorts: readonly Cohort[] }) {
  const tri = useMemo(() => cohortTriangle(cohorts), [cohorts]);
  const sizes = useMemo(() => new Map(cohorts.map((c) => [c.month, c.customers])), [cohorts]);
  const option = useMemo<ChartOption>(() => {
    // Month 0 is 100% for every cohort: drawn in grey on its own series, outside the colour
    // scale, so the scale spans the later months and their differences show.
    const top = retentionScaleMax(tri.points);
    const pct = (p: { value: [number, number, number] }) => formatPercent(p.value[2], undefined, 0);
    const labels = { show: tri.offsets.length <= 30, formatter: pct, fontSize: tri.offsets.length <= 16 ? 11 : 9 };
    return {
      grid: { left: 150, right: 16, top: 8, bottom: 78 },
      tooltip: {
        formatter: (p: { value: [number, number, number] }) => {
          const month = tri.months[p.value[1]] ?? '';
          return `${month} cohort (${formatCount(sizes.get(month))} buyers)\nmonth ${p.value[0]}: ${formatPercent(p.value[2])} retained`;
        },
      },
      xAxis: { type: 'category', data: tri.offsets.map(String), name: 'Months since first purchase', nameLocation: 'middle', nameGap: 26 },
      yAxis: {
        type: 'category',
        data: tri.months.map((m) => `${m} · ${formatCount(sizes.get(m))} buyers`),
        inverse: true,
        axisLabel: { fontSize: 12 },
      },
      visualMap: {
        seriesIndex: 1,
        min: 0,
        max: top,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 160,
        calculable: false,
        text: [formatPercent(top, undefined, 0), '0%'],
        textGap: 8,
        inRange: { color: ['#fff7ed', '#fdba74', '#ea580c', '#7c2d12'] },
      },
      series: [
        {
          type: 'heatmap',
          name: 'month 0',
          data: tri.points.filter((p) => p[0] === 0),
          itemStyle: { color: '#e9ecef' },
          label: { ...labels, color: '#495057' },
        },
        {
          type: 'heatmap',
          name: 'retained',
          data: tri.points.filter((p) => p[0] > 0).map((p) => ({ value: p, label: { color: labelInk(p[2], 0, top, 0.5) } })),
          label: labels,
        },
      ],
    };
  }, [tri, sizes]);
  const data = {
    header: ['cohort', 'buyers', 'revenue', ...tri.offsets.map((o) => `month ${o}`)],
    rows: cohorts.map((c) => [c.month, c.customers, c.revenue, ...c.retained]),
  };
  const height = Math.max(240, 90 + tri.months.length * 26);
  return (
    <ChartPanel title="Cohort retention" subtitle="Share of each first-purchase cohort buying again n months later. Month 0 (grey) is 100% by definition; the colours span the later months." data={data} testId="cohort-panel" className="span-2">
      {cohorts.length === 0 ? <EmptyState title="No cohorts yet" /> : <Chart option={option} height={height} ariaLabel="Cohort retention triangle" />}
    </ChartPanel>
  );
}
