import { useMemo } from 'react';
import { Chart, type ChartOption } from '../../components/Chart';
import { ChartPanel } from '../../components/ChartPanel';
import { EmptyState } from '../../components/EmptyState';
import { formatNumber } from '../../lib/format';
import { byEffect } from './loyaltyData';
import type { ChurnModel } from './loyaltyQuery';

type Param = ChurnModel['coefficients'][number];

/** The churn classifier's weights per standardized feature, largest effect on top; red raises churn risk. */
export function CoefficientChart({ coefficients }: { coefficients: readonly Param[] }) {
  const sorted = useMemo(() => byEffect(coefficients).reverse(), [coefficients]);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 160, right: 40, top: 8, bottom: 24 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (ps: { dataIndex: number }[]) => {
          const p = sorted[ps[0]?.dataIndex ?? -1];
          return p ? `${p.name}: ${formatNumber(p.value, undefined, 3)}${p.stdError != null ? ` ± ${formatNumber(p.stdError, undefined, 3)}` : ''}` : '';
        },
      },
      xAxis: { type: 'value', name: 'weight' },
      yAxis: { type: 'category', data: sorted.map((p) => p.name), axisLabel: { fontSize: 10 } },
      series: [
        {
          type: 'bar',
          data: sorted.map((p) => ({ value: p.value, itemStyle: { color: p.value >= 0 ? '#b42318' : '#177245' } })),
          label: { show: true, position: 'right', fontSize: 9, formatter: (p: { value: number }) => formatNumber(p.value, undefined, 2) },
        },
      ],
    }),
    [sorted],
  );
  const data = { header: ['feature', 'weight', 'std error'], rows: coefficients.map((p) => [p.name, p.value, p.stdError]) };
  return (
    <ChartPanel title="Churn classifier weights" subtitle="Per standardized feature; red raises the risk, green lowers it." data={data} testId="coefficients-panel">
      {coefficients.length === 0 ? (
        <EmptyState title="No coefficients">The run used the BG/NBD probability instead of a classifier.</EmptyState>
      ) : (
        <Chart option={option} height={Math.max(180, 30 + coefficients.length * 24)} ariaLabel="Churn classifier coefficients" />
      )}
    </ChartPanel>
  );
}
