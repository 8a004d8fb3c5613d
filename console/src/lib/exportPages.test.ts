import { describe, expect, it } from 'vitest';
import { exportAllPages, type ConnectionPage } from './exportPages';

// A connection of `n` numbered rows served `first` at a time after a numeric cursor.
function connection(n: number) {
  const asked: number[] = [];
  const fetchPage = async (first: number, after: string | null): Promise<ConnectionPage<number>> => {
    asked.push(first);
    const start = after === null ? 0 : Number(after);
    const nodes = Array.from({ length: Math.max(0, Math.min(first, n - start)) }, (_, i) => start + i);
    const end = start + nodes.length;
    return { nodes, totalCount: n, pageInfo: { hasNextPage: end < n, endCursor: String(end) } };
  };
  return { fetchPage, asked };
}

describe('exportAllPages', () => {
  it('reads every page of a connection in order', async () => {
    const c = connection(250);
    const got = await exportAllPages(c.fetchPage);
    expect(got.rows).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(got.cutShortOf).toBeUndefined();
    expect(c.asked).toEqual([100, 100, 100]);
  });
  it('stops at the limit and says how many matched', async () => {
    const c = connection(250);
    const got = await exportAllPages(c.fetchPage, 150);
    expect(got.rows).toHaveLength(150);
    expect(got.cutShortOf).toBe(250);
    expect(c.asked).toEqual([100, 50]);
  });
  it('gives no rows for an empty connection', async () => {
    const got = await exportAllPages(connection(0).fetchPage);
    expect(got.rows).toEqual([]);
    expect(got.cutShortOf).toBeUndefined();
  });
});
