import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { Chart, type ChartClick, type ChartOption } from '../../components/Chart';
import { ChartPanel } from '../../components/ChartPanel';
import { DataTable, type Column } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { formatCount, formatMoney } from '../../lib/format';
import { pathTo } from '../../pages';
import { labelInk, rfmCellAt, rfmHeatmapPoints, type RfmMeasure } from './loyaltyData';
import type { RfmCell } from './loyaltyQuery';

const SCORES = ['1', '2', '3', '4', '5'];

/** The customers page filtered to one RFM cell. */
export function rfmCellPath(cell: { r: number; f: number }): string {
  return pathTo('customers', {}, { rfmR: String(cell.r), rfmF: String(cell.f) });
}

/** The RFM grid (recency × frequency) as a heatmap of buyers or revenue; a click lists the cell's customers. */
export function RfmHeatmap({ cells, currency }: { cells: readonly RfmCell[]; currency: string }) {
  const [measure, setMeasure] = useState<RfmMeasure>('customers');
  const navigate = useNavigate();
  const money = (n: number) => formatMoney(n, currency);
  const show = (n: number) => (measure === 'customers' ? formatCount(n) : money(n));

  const option = useMemo<ChartOption>(() => {
    const points = rfmHeatmapPoints(cells, measure);
    const max = Math.max(points.reduce((m, p) => Math.max(m, p[2]), 0), 1);
    return {
      grid: { left: 56, right: 16, top: 12, bottom: 84 },
      tooltip: {
        formatter: (p: { value: [number, number, number] }) => {
          const c = rfmCellAt(cells, p.value[0], p.value[1]);
          return c ? `R${c.r} F${c.f} · ${c.segment}\n${formatCount(c.customers)} buyers · ${money(c.revenue)}` : '';
        },
      },
      xAxis: { type: 'category', data: SCORES, name: 'Frequency score', nameLocation: 'middle', nameGap: 26, splitArea: { show: true } },
      yAxis: { type: 'category', data: SCORES, name: 'Recency score', nameLocation: 'middle', nameGap: 36, splitArea: { show: true } },
      visualMap: {
        min: 0,
        max,
        calculable: false,
        // The scale's ends as numbers: how many buyers (or how much revenue) the darkest cell means.
        text: [show(max), show(0)],
        textGap: 8,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 120,
        inRange: { color: ['#eef2ff', '#8da2fb', '#3552d4', '#1e2f87'] },
      },
      series: [
        {
          type: 'heatmap',
          // Each cell carries its label's ink: white on the dark end of the scale.
          data: points.map((p) => ({ value: p, label: { color: labelInk(p[2], 0, max) } })),
          label: { show: true, formatter: (p: { value: [number, number, number] }) => show(p.value[2]), fontSize: 12 },
          emphasis: { itemStyle: { borderColor: '#f59e0b', borderWidth: 2 } },
          cursor: 'pointer',
        },
      ],
    };
  }, [cells, measure, currency]); // money and show follow measure and currency

  const onClick = (e: ChartClick) => {
    const v = e.value as [number, number, number] | undefined;
    const cell = v ? rfmCellAt(cells, v[0], v[1]) : undefined;
    if (cell) void navigate(rfmCellPath(cell));
  };

  const columns: Column<RfmCell>[] = [
    { key: 'r', header: 'R', csv: (c) => c.r, sortValue: (c) => c.r, align: 'right' },
    { key: 'f', header: 'F', csv: (c) => c.f, sortValue: (c) => c.f, align: 'right' },
    {
      key: 'segment',
      header: 'Segment',
      cell: (c) => (
        <span data-testid="rfm-cell" data-r={c.r} data-f={c.f} data-customers={c.customers} data-revenue={c.revenue}>
          {c.segment}
        </span>
      ),
      csv: (c) => c.segment,
      sortValue: (c) => c.segment,
    },
    { key: 'customers', header: 'Buyers', cell: (c) => formatCount(c.customers), csv: (c) => c.customers, sortValue: (c) => c.customers, align: 'right' },
    { key: 'revenue', header: `Revenue (${currency})`, cell: (c) => money(c.revenue), csv: (c) => c.revenue, sortValue: (c) => c.revenue, align: 'right' },
  ];

  const toggle = (
    <div className="segmented" role="group" aria-label="Measure">
      {(['customers', 'revenue'] as const).map((m) => (
        <button key={m} type="button" aria-pressed={measure === m} className={measure === m ? 'on' : undefined} onClick={() => setMeasure(m)} data-testid={`rfm-measure-${m}`}>
          {m === 'customers' ? 'Buyers' : 'Revenue'}
        </button>
      ))}
    </div>
  );

  return (
    <ChartPanel
      title="RFM grid"
      subtitle="Scored buyers by recency × frequency score (5 best). Click a cell to list its customers."
      tools={toggle}
      testId="rfm-panel"
      className="span-2"
    >
      {cells.length === 0 ? (
        <EmptyState title="No RFM cells">Run scoring to place buyers in the grid.</EmptyState>
      ) : (
        <div className="rfm-layout">
          <Chart option={option} height={460} ariaLabel="RFM heatmap: recency score by frequency score" onClick={onClick} />
          <DataTable
            rows={cells}
            columns={columns}
            rowKey={(c) => `${c.r}-${c.f}`}
            caption="RFM grid"
            onRowClick={(c) => void navigate(rfmCellPath(c))}
          />
        </div>
      )}
    </ChartPanel>
  );
}
