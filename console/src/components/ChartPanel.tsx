import type { ReactNode } from 'react';
import { csvFileName, toCsv, type CsvValue } from '../lib/csv';
import { downloadText } from '../lib/download';

/** A chart's data as a table: what "Export CSV" of a chart downloads. */
export interface ChartData {
  header: readonly string[];
  rows: readonly (readonly CsvValue[])[];
}

export interface ChartPanelProps {
  title: string;
  /** A line under the title: what is counted, and how. */
  subtitle?: ReactNode;
  /** The chart's data; offers "Export CSV" when given. */
  data?: ChartData;
  /** Controls beside the title (toggles, selects). */
  tools?: ReactNode;
  testId?: string;
  className?: string;
  children: ReactNode;
}

/** A titled panel around a chart, offering the chart's data as CSV. */
export function ChartPanel({ title, subtitle, data, tools, testId, className, children }: ChartPanelProps) {
  const exportCsv = data ? () => downloadText(csvFileName(title), toCsv(data.header, data.rows)) : undefined;
  return (
    <section className={`panel chart-panel${className ? ` ${className}` : ''}`} data-testid={testId}>
      <header className="chart-panel-head">
        <div>
          <h2>{title}</h2>
          {subtitle ? <p className="chart-panel-sub">{subtitle}</p> : null}
        </div>
        <div className="chart-panel-tools">
          {tools}
          {exportCsv ? (
            <button type="button" onClick={exportCsv} disabled={data?.rows.length === 0}>
              Export CSV
            </button>
          ) : null}
        </div>
      </header>
      {children}
    </section>
  );
}
