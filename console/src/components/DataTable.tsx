import { useMemo, useState, type ReactNode } from 'react';
import { csvFileName, toCsv, type CsvValue } from '../lib/csv';
import { downloadText } from '../lib/download';
import type { Sort } from '../lib/url';
import { EmptyState } from './EmptyState';
import { ErrorBox } from './ErrorBox';

export type SortValue = string | number | boolean | Date | null | undefined;

export interface Column<T> {
  /** Stable id; also the sort key the table reports (use the API's order field for server sort). */
  key: string;
  header: string;
  /** What the cell shows; by default the CSV value. */
  cell?: (row: T) => ReactNode;
  /** Makes the column sortable on the client by this value. */
  sortValue?: (row: T) => SortValue;
  /** Sortable by the server (onSortChange receives the key); no client sort. */
  serverSortable?: boolean;
  /** The value in the CSV export; columns without one are left out of it. */
  csv?: (row: T) => CsvValue;
  align?: 'left' | 'right';
}

/** What a full export read: its rows and, when a row cap cut it short, how many rows there were. */
export interface ExportedRows<T> {
  rows: readonly T[];
  /** Set when the export stopped at a cap before the last row: the number of rows that match. */
  cutShortOf?: number | undefined;
}

export interface DataTableProps<T> {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  /** A caption for screen readers and the CSV file name. */
  caption: string;
  /** Controlled sort (e.g. from the URL). Without it the table keeps its own. */
  sort?: Sort | null;
  /**
   * Server-side sort: called with the new sort, the rows arrive re-ordered. When given, the
   * table does not sort rows itself.
   */
  onSortChange?: (sort: Sort) => void;
  /** Export every row rather than this page (e.g. fetch all pages); defaults to the rows shown. */
  exportRows?: () => Promise<ExportedRows<T>>;
  onRowClick?: (row: T) => void;
  empty?: ReactNode;
  /** Under the table, e.g. a Pager. */
  footer?: ReactNode;
}

function compare(a: SortValue, b: SortValue): number {
  // Missing values sort last in both directions' natural reading: nulls after values.
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

/** Rows sorted by a column's sortValue; a stable sort, missing values last. */
export function sortRows<T>(rows: readonly T[], columns: readonly Column<T>[], sort: Sort | null | undefined): readonly T[] {
  const col = sort ? columns.find((c) => c.key === sort.key) : undefined;
  if (!sort || !col?.sortValue) return rows;
  const value = col.sortValue;
  const sign = sort.dir === 'desc' ? -1 : 1;
  return rows
    .map((row, i) => ({ row, i, v: value(row) }))
    .sort((x, y) => {
      const missing = (v: SortValue) => v === null || v === undefined;
      if (missing(x.v) !== missing(y.v)) return missing(x.v) ? 1 : -1;
      return sign * compare(x.v, y.v) || x.i - y.i;
    })
    .map((e) => e.row);
}

/** The CSV text of rows: the header and value of every column that has a csv value. */
export function rowsToCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cols = columns.filter((c) => c.csv);
  return toCsv(
    cols.map((c) => c.header),
    rows.map((r) => cols.map((c) => c.csv?.(r))),
  );
}

export function DataTable<T>(props: DataTableProps<T>) {
  const { rows, columns, rowKey, caption, onSortChange, exportRows, onRowClick, empty, footer } = props;
  const [ownSort, setOwnSort] = useState<Sort | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const [exportNote, setExportNote] = useState<string | null>(null);
  const sort = props.sort !== undefined ? props.sort : ownSort;
  const shown = useMemo(() => (onSortChange ? rows : sortRows(rows, columns, sort)), [rows, columns, sort, onSortChange]);

  const sortable = (c: Column<T>) => (onSortChange ? c.serverSortable === true : c.sortValue !== undefined);
  const toggle = (c: Column<T>) => {
    const next: Sort = { key: c.key, dir: sort?.key === c.key && sort.dir === 'asc' ? 'desc' : 'asc' };
    if (onSortChange) onSortChange(next);
    else setOwnSort(next);
  };
  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    setExportNote(null);
    try {
      const exported: ExportedRows<T> = exportRows ? await exportRows() : { rows: shown };
      downloadText(csvFileName(caption), rowsToCsv(exported.rows, columns));
      if (exported.cutShortOf !== undefined && exported.cutShortOf > exported.rows.length) {
        setExportNote(`The export stopped at its cap: ${exported.rows.length.toLocaleString()} of ${exported.cutShortOf.toLocaleString()} rows. Narrow the filters to export the rest.`);
      }
    } catch (err) {
      // Shown beside the button: an export that fails must not look like one that did nothing.
      setExportError(err);
    } finally {
      setExporting(false);
    }
  };
  const hasCsv = columns.some((c) => c.csv);

  return (
    <div className="data-table">
      <div className="table-tools">
        <span className="table-count">{rows.length === 1 ? '1 row' : `${rows.length} rows`}</span>
        {hasCsv ? (
          <button type="button" onClick={exportCsv} disabled={exporting || rows.length === 0} data-testid="export-csv">
            {exporting ? 'Exporting…' : 'Export CSV'}
          </button>
        ) : null}
      </div>
      {exportError !== null ? (
        <div data-testid="export-error">
          <ErrorBox error={exportError} title="The export failed" onRetry={() => void exportCsv()} />
        </div>
      ) : null}
      {exportNote !== null ? (
        <p className="hint export-note" role="status" data-testid="export-note">
          {exportNote}
        </p>
      ) : null}
      {rows.length === 0 ? (
        (empty ?? <EmptyState title="Nothing to show" />)
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                {columns.map((c) => {
                  const active = sort?.key === c.key;
                  return (
                    <th
                      key={c.key}
                      scope="col"
                      className={c.align === 'right' ? 'num' : undefined}
                      aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                    >
                      {sortable(c) ? (
                        <button type="button" className="sort" onClick={() => toggle(c)}>
                          {c.header}
                          <span aria-hidden="true">{active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ' ↕'}</span>
                        </button>
                      ) : (
                        c.header
                      )}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => (
                <tr
                  key={rowKey(row)}
                  className={onRowClick ? 'clickable' : undefined}
                  onClick={onRowClick ? () => onRowClick(row) : undefined}
                >
                  {columns.map((c) => (
                    <td key={c.key} className={c.align === 'right' ? 'num' : undefined}>
                      {c.cell ? c.cell(row) : String(c.csv?.(row) ?? '')}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {footer}
    </div>
  );
}
