import { useMemo } from 'react';
import { Chart, type ChartOption } from '../../components/Chart';
import { waterfall, waterfallBars, type Evidence } from './evidence';

const COLORS = { prior: '#3552d4', up: '#177245', down: '#b42318', total: '#3552d4' } as const;

/** The pair's match weights as a waterfall in bits of log2 odds: prior, each field, total. */
export function WeightWaterfall({ prior, evidence, probability }: { prior: number | null; evidence: readonly Evidence[]; probability: number }) {
  const option: ChartOption = useMemo(() => {
    const steps = waterfall(prior, evidence);
    const bars = waterfallBars(steps);
    const colored = (values: number[]) => values.map((v, i) => ({ value: v, itemStyle: { color: COLORS[steps[i]?.kind ?? 'up'] } }));
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 170, right: 24, top: 24, bottom: 32 },
      xAxis: { type: 'value', name: 'bits (log2 odds)', nameLocation: 'middle', nameGap: 22 },
      yAxis: { type: 'category', inverse: true, data: bars.labels, axisLabel: { width: 160, overflow: 'truncate' } },
      series: [
        { name: 'base', type: 'bar', stack: 'w', data: bars.base, itemStyle: { color: 'transparent' }, silent: true, tooltip: { show: false } },
        { name: 'bits', type: 'bar', stack: 'w', data: colored(bars.positive) },
        {
          name: 'bits',
          type: 'bar',
          stack: 'w',
          data: colored(bars.negative),
          markLine: { symbol: 'none', silent: true, lineStyle: { color: '#5d6778', type: 'dashed' }, data: [{ xAxis: 0 }] },
        },
      ],
    };
  }, [prior, evidence]);
  const moved = evidence.filter((e) => e.weight !== 0).length;
  const height = 70 + (moved + 2) * 24;
  return (
    <figure className="waterfall" data-testid="pair-waterfall" data-steps={moved}>
      <Chart option={option} height={height} ariaLabel={`Match weights of ${evidence.length} fields adding up to a probability of ${(probability * 100).toFixed(1)}%`} />
    </figure>
  );
}
