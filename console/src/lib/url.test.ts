import { describe, expect, expectTypeOf, it } from 'vitest';
import { nextPage, param, previousPage, readCursor, readState, writeState, type Values } from './url';

const spec = {
  q: param.string(),
  band: param.optionalOf(['LOW', 'MEDIUM', 'HIGH'] as const),
  minClv: param.number(),
  source: param.list(),
  raw: param.boolean(),
  size: param.oneOf(['20', '50', '100'] as const, '50'),
  sort: param.sort(['name', 'clv'] as const, { key: 'clv', dir: 'desc' }),
};

describe('Values', () => {
  it('gives each param its own codec\'s type, with no any', () => {
    expectTypeOf<Values<typeof spec>>().toEqualTypeOf<{
      q: string;
      band: 'LOW' | 'MEDIUM' | 'HIGH' | null;
      minClv: number | null;
      source: string[];
      raw: boolean;
      size: '20' | '50' | '100';
      sort: { key: 'name' | 'clv'; dir: 'asc' | 'desc' };
    }>();
    expectTypeOf(readState(new URLSearchParams(), spec).sort.key).toEqualTypeOf<'name' | 'clv'>();
    // A patch is checked against the params' types.
    // @ts-expect-error minClv is a number, not a string
    writeState(new URLSearchParams(), spec, { minClv: '3' });
  });
});

describe('readState', () => {
  it('reads typed values and falls back to defaults for missing or bad input', () => {
    const v = readState(new URLSearchParams('q=王&band=HIGH&minClv=12.5&source=shop&source=crm&raw=1&size=100&sort=name'), spec);
    expect(v).toEqual({ q: '王', band: 'HIGH', minClv: 12.5, source: ['shop', 'crm'], raw: true, size: '100', sort: { key: 'name', dir: 'asc' } });
    const bad = readState(new URLSearchParams('band=HUGE&minClv=lots&size=7&sort=-password'), spec);
    expect(bad).toEqual({ q: '', band: null, minClv: null, source: [], raw: false, size: '50', sort: { key: 'clv', dir: 'desc' } });
  });
  it('reads a descending sort', () => {
    expect(readState(new URLSearchParams('sort=-name'), spec).sort).toEqual({ key: 'name', dir: 'desc' });
  });
});

describe('writeState', () => {
  it('writes changed values, leaves defaults out and keeps params it does not own', () => {
    const next = writeState(new URLSearchParams('tab=orders'), spec, { q: 'ann', band: 'LOW', source: ['a', 'b'], sort: { key: 'clv', dir: 'desc' } });
    expect(next.toString()).toBe('tab=orders&q=ann&band=LOW&source=a&source=b');
    const cleared = writeState(next, spec, { q: '', band: null, source: [] });
    expect(cleared.toString()).toBe('tab=orders');
  });
  it('round-trips through readState', () => {
    const values = { q: 'x y', band: 'MEDIUM' as const, minClv: 0, source: ['s'], raw: true, size: '20' as const, sort: { key: 'name' as const, dir: 'desc' as const } };
    expect(readState(writeState(new URLSearchParams(), spec, values), spec)).toEqual(values);
  });
  it('drops the page cursors when a filter or the sort changes, not otherwise', () => {
    const paged = new URLSearchParams('q=ann&after=c2&prev=c1');
    expect(writeState(paged, spec, { q: 'bob' }).toString()).toBe('q=bob');
    expect(writeState(paged, spec, { q: 'ann' }).toString()).toBe('q=ann&after=c2&prev=c1');
  });
});

describe('cursor paging', () => {
  it('walks forward and back through pages, knowing the page number', () => {
    let p = new URLSearchParams('q=ann');
    expect(readCursor(p)).toEqual({ after: null, pageIndex: 0 });
    p = nextPage(p, 'c1');
    expect(readCursor(p)).toEqual({ after: 'c1', pageIndex: 1 });
    p = nextPage(p, 'c2');
    expect(p.toString()).toBe('q=ann&after=c2&prev=c1');
    expect(readCursor(p)).toEqual({ after: 'c2', pageIndex: 2 });
    p = previousPage(p);
    expect(readCursor(p)).toEqual({ after: 'c1', pageIndex: 1 });
    p = previousPage(p);
    expect(p.toString()).toBe('q=ann');
    expect(readCursor(previousPage(p))).toEqual({ after: null, pageIndex: 0 });
  });
});
