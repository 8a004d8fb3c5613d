import type { ExportedRows } from '../components/DataTable';

/** One page of a Relay connection, as a full export reads it. */
export interface ConnectionPage<T> {
  nodes: readonly T[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null | undefined };
}

/** The server's cap on `first` for connections. */
export const EXPORT_PAGE = 100;
/** How many rows a CSV export reads at most; beyond it the file says it was cut short. */
export const EXPORT_LIMIT = 10_000;

/**
 * Every row of a connection for a CSV export, a page of EXPORT_PAGE at a time, up to `limit`
 * rows; `cutShortOf` tells how many matched when the cap stopped it.
 */
export async function exportAllPages<T>(
  fetchPage: (first: number, after: string | null) => Promise<ConnectionPage<T>>,
  limit = EXPORT_LIMIT,
): Promise<ExportedRows<T>> {
  const rows: T[] = [];
  let after: string | null = null;
  let total = 0;
  do {
    const page: ConnectionPage<T> = await fetchPage(Math.min(EXPORT_PAGE, limit - rows.length), after);
    rows.push(...page.nodes);
    total = page.totalCount;
    after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null;
  } while (after !== null && rows.length < limit);
  return { rows, cutShortOf: after !== null ? total : undefined };
}
