import { formatCount } from '../lib/format';

export interface PagerProps {
  /** 0 for the first page. */
  pageIndex: number;
  pageSize: number;
  /** Rows on this page. */
  rowCount: number;
  totalCount?: number | null;
  hasNextPage: boolean;
  onNext(): void;
  onPrevious(): void;
}

/** Cursor paging (the API's connections go forward; previous cursors are kept in the URL). */
export function Pager({ pageIndex, pageSize, rowCount, totalCount, hasNextPage, onNext, onPrevious }: PagerProps) {
  const from = rowCount === 0 ? 0 : pageIndex * pageSize + 1;
  const to = pageIndex * pageSize + rowCount;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" onClick={onPrevious} disabled={pageIndex === 0}>
        ← Previous
      </button>
      <span className="pager-position">
        {formatCount(from)}–{formatCount(to)}
        {totalCount !== undefined && totalCount !== null ? ` of ${formatCount(totalCount)}` : ''}
      </span>
      <button type="button" onClick={onNext} disabled={!hasNextPage}>
        Next →
      </button>
    </nav>
  );
}
