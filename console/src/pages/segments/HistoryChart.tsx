import { useMemo } from 'react';
import { useApiQuery } from '../../api/hooks';
import { Chart, type ChartOption } from '../../components/Chart';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { formatCount } from '../../lib/format';
import { historyByDay } from './history';
import { SegmentHistoryQuery } from './queries';

/** The newest changes read for the chart (the connection's page limit). */
const HISTORY_LIMIT = 500;

/** Who entered and left the segment per day: bars up for entries, down for exits, the net as a line. */
export function HistoryChart({ segmentId }: { segmentId: string }) {
  const q = useApiQuery(SegmentHistoryQuery, { id: segmentId, first: HISTORY_LIMIT });
  const history = q.data?.segment?.history;
  const days = useMemo(() => historyByDay(history?.nodes ?? []), [history]);
  const option: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: ['Entered', 'Left', 'Net change'] },
      grid: { left: 48, right: 48, top: 36, bottom: 56 },
      dataZoom: days.length > 30 ? [{ type: 'slider', bottom: 8 }] : [],
      xAxis: { type: 'category', data: days.map((d) => d.day) },
      yAxis: [{ type: 'value', name: 'customers' }, { type: 'value', name: 'net' }],
      series: [
        { name: 'Entered', type: 'bar', stack: 'moves', data: days.map((d) => d.entered), itemStyle: { color: '#2f855a' } },
        { name: 'Left', type: 'bar', stack: 'moves', data: days.map((d) => -d.left), itemStyle: { color: '#c53030' } },
        { name: 'Net change', type: 'line', yAxisIndex: 1, data: days.map((d) => d.net), itemStyle: { color: '#2b6cb0' } },
      ],
    }),
    [days],
  );
  if (q.isPending) return <Loading label="Loading the membership history…" />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  if (!history || history.totalCount === 0) return <EmptyState title="No one has entered or left yet">Changes appear after the next refresh that moves someone.</EmptyState>;
  return (
    <div data-testid="segment-history" data-changes={history.totalCount}>
      <p className="hint">
        {formatCount(history.totalCount)} changes
        {history.totalCount > history.nodes.length ? `; the chart shows the newest ${formatCount(history.nodes.length)}` : ''}.
      </p>
      <Chart option={option} height={300} ariaLabel="Customers entering and leaving the segment per day" />
    </div>
  );
}
