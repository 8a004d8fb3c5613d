import { useMemo } from 'react';
import { Chart, type ChartOption } from '../../components/Chart';
import { ChartPanel } from '../../components/ChartPanel';
import { EmptyState } from '../../components/EmptyState';
import { formatCount, formatMoney } from '../../lib/format';
import { bucketLabel } from './loyaltyData';
import type { Bucket } from './loyaltyQuery';

export interface BucketChartProps {
  title: string;
  subtitle: string;
  buckets: readonly Bucket[];
  currency: string;
  /** Draw revenue as a line on a second axis. */
  withRevenue?: boolean;
  /** A colour per bucket (e.g. churn bands); one colour otherwise. */
  colors?: readonly string[];
  xName: string;
  testId: string;
}

/** Buyers per bucket as bars (and their revenue as a line), with the numbers on the panel for tests. */
export function BucketChart({ title, subtitle, buckets, currency, withRevenue = false, colors, xName, testId }: BucketChartProps) {
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 48, right: withRevenue ? 64 : 16, top: 28, bottom: 48 },
      tooltip: {
        trigger: 'axis',
        formatter: (ps: { dataIndex: number }[]) => {
          const b = buckets[ps[0]?.dataIndex ?? -1];
          return b ? `${bucketLabel(b)}\n${formatCount(b.customers)} buyers · ${formatMoney(b.revenue, currency)}` : '';
        },
      },
      legend: withRevenue ? { data: ['Buyers', 'Revenue'], top: 0 } : undefined,
      xAxis: { type: 'category', data: buckets.map(bucketLabel), name: xName, nameLocation: 'middle', nameGap: 30, axisLabel: { hideOverlap: true } },
      yAxis: [
        { type: 'value', name: 'Buyers', minInterval: 1 },
        ...(withRevenue ? [{ type: 'value', name: currency, splitLine: { show: false } }] : []),
      ],
      series: [
        {
          name: 'Buyers',
          type: 'bar',
          data: buckets.map((b, i) => ({ value: b.customers, itemStyle: colors?.[i] ? { color: colors[i] } : undefined })),
          itemStyle: { color: '#4f6bed' },
          barMaxWidth: 48,
          label: { show: buckets.length <= 12, position: 'top', fontSize: 10 },
        },
        ...(withRevenue
          ? [{ name: 'Revenue', type: 'line', yAxisIndex: 1, data: buckets.map((b) => b.revenue), itemStyle: { color: '#d97706' }, smooth: false }]
          : []),
      ],
    }),
    [buckets, currency, withRevenue, colors, xName],
  );
  const data = {
    header: ['bucket', 'low', 'high', 'buyers', `revenue (${currency})`],
    rows: buckets.map((b) => [bucketLabel(b), b.low, b.high, b.customers, b.revenue]),
  };
  return (
    <ChartPanel title={title} subtitle={subtitle} data={data} testId={testId}>
      <div data-testid={`${testId}-data`} data-counts={buckets.map((b) => b.customers).join(',')} data-labels={buckets.map(bucketLabel).join('|')}>
        {buckets.length === 0 ? <EmptyState title="No scored buyers" /> : <Chart option={option} height={260} ariaLabel={title} />}
      </div>
    </ChartPanel>
  );
}
