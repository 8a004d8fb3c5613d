import { describe, expect, it } from 'vitest';
import { readState, writeState } from '../../lib/url';
import { activeFilterCount, amountDraft, DEFAULT_SORT, listSpec, rfmScore, toFilter, toOrder, type ListValues } from './listState';

const none: ListValues = {
  q: '',
  rfmSegment: '',
  churn: [],
  clvMin: null,
  clvMax: null,
  source: '',
  segment: '',
  rfmR: null,
  rfmF: null,
  sort: DEFAULT_SORT,
};

describe('customers list state', () => {
  it('gives no filter when nothing is set', () => {
    expect(toFilter(none)).toBeNull();
    expect(activeFilterCount(none)).toBe(0);
  });

  it('reads the Loyalty heatmap link as one RFM cell', () => {
    const v = readState(new URLSearchParams('rfmR=5&rfmF=4'), listSpec);
    expect(toFilter(v)).toEqual({ rfmR: 5, rfmF: 4 });
  });

  it('ignores RFM scores outside 1–5 rather than sending them', () => {
    expect(rfmScore(0)).toBeNull();
    expect(rfmScore(6)).toBeNull();
    expect(rfmScore(2.5)).toBeNull();
    expect(toFilter({ ...none, rfmR: 9, rfmF: 3 })).toEqual({ rfmF: 3 });
  });

  it('keeps only known churn bands, in API spelling, once each', () => {
    expect(toFilter({ ...none, churn: ['high', 'HIGH', 'nope', 'critical'] })).toEqual({ churnBands: ['HIGH', 'CRITICAL'] });
  });

  it('trims the search and keeps a CLV range of 0', () => {
    expect(toFilter({ ...none, q: '  Wang ', clvMin: 0, clvMax: 500 })).toEqual({ search: 'Wang', minClv: 0, maxClv: 500 });
    expect(activeFilterCount({ ...none, q: 'x', clvMin: 0 })).toBe(1);
  });

  it('round-trips filters through the URL', () => {
    const params = writeState(new URLSearchParams(), listSpec, { churn: ['HIGH', 'LOW'], source: 'crm', sort: { key: 'revenue', dir: 'asc' } });
    expect(params.toString()).toBe('churn=HIGH&churn=LOW&source=crm&sort=revenue');
    const v = readState(params, listSpec);
    expect(toFilter(v)).toEqual({ churnBands: ['HIGH', 'LOW'], source: 'crm' });
    expect(toOrder(v.sort, false)).toEqual({ field: 'REVENUE', direction: 'ASC' });
  });

  it('orders by family name only for viewers who read raw personal data', () => {
    expect(toOrder({ key: 'name', dir: 'asc' }, true)).toEqual({ field: 'FAMILY_NAME', direction: 'ASC' });
    expect(toOrder({ key: 'name', dir: 'asc' }, false)).toEqual({ field: 'CLV', direction: 'DESC' });
  });
});

describe('an amount box draft', () => {
  it('is a number only when it parses completely', () => {
    expect(amountDraft('1')).toBe(1);
    expect(amountDraft(' 1.5 ')).toBe(1.5);
    expect(amountDraft('-2')).toBe(-2);
    expect(amountDraft('.5')).toBe(0.5);
    expect(amountDraft('1e3')).toBe(1000);
  });
  it('is no bound when empty', () => {
    expect(amountDraft('')).toBeNull();
    expect(amountDraft('  ')).toBeNull();
  });
  it('is not committed while partial or not finite', () => {
    for (const d of ['1.', '1e', '1e+', '-', '+', '.', 'abc', '1,5', '0x10', 'Infinity', '1e999']) expect(amountDraft(d), d).toBeUndefined();
  });
});
