import { describe, expect, it } from 'vitest';
import { MISSING, daysBetween, formatCount, formatDate, formatDateTime, formatMoney, formatNumber, formatPercent, formatRelativeDays } from './format';

describe('numbers and money', () => {
  it('formats money in its currency and the given locale', () => {
    expect(formatMoney(1234.5, 'EUR', 'en-US')).toBe('€1,234.50');
    expect(formatMoney(1234.5, 'EUR', 'de-DE')).toBe('1.234,50\u00a0€');
    expect(formatMoney(99, 'CNY', 'zh-CN')).toBe('¥99.00');
  });
  it('still shows the amount for a currency code Intl does not know', () => {
    expect(formatMoney(5, 'not a code', 'en-US')).toBe('5 not a code');
  });
  it('shows missing and non-finite values as a dash', () => {
    expect(formatMoney(null, 'EUR')).toBe(MISSING);
    expect(formatNumber(Number.NaN)).toBe(MISSING);
    expect(formatPercent(undefined)).toBe(MISSING);
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe(MISSING);
  });
  it('formats shares as percentages and counts with grouping', () => {
    expect(formatPercent(0.1234, 'en-US')).toBe('12.3%');
    expect(formatPercent(1, 'en-US', 0)).toBe('100%');
    expect(formatCount(12345.6, 'en-US')).toBe('12,346');
  });
});

describe('dates', () => {
  it('formats a time and a bare date in the locale, the bare date on its own day', () => {
    expect(formatDate('2025-03-04', 'en-US')).toBe('Mar 4, 2025');
    expect(formatDate('2025-03-04T12:00:00Z', 'en-GB')).toBe('4 Mar 2025');
    expect(formatDateTime('2025-03-04T12:00:00Z', 'en-US')).toMatch(/^Mar 4, 2025/);
  });
  it('shows bad or missing dates as a dash', () => {
    expect(formatDate('yesterday-ish')).toBe(MISSING);
    expect(formatDate(null)).toBe(MISSING);
    expect(formatDateTime('')).toBe(MISSING);
    expect(formatRelativeDays(undefined)).toBe(MISSING);
  });
  it('says how many days ago or ahead', () => {
    const now = new Date('2025-03-10T09:00:00Z');
    expect(formatRelativeDays('2025-03-10T01:00:00Z', now, 'en')).toBe('today');
    expect(formatRelativeDays('2025-03-09T23:00:00Z', now, 'en')).toBe('yesterday');
    expect(formatRelativeDays('2025-02-28', now, 'en')).toBe('10 days ago');
    expect(formatRelativeDays('2025-03-13', now, 'en')).toBe('in 3 days');
    expect(daysBetween(new Date('2024-12-31T23:59:00Z'), new Date('2025-01-01T00:01:00Z'))).toBe(1);
  });
});
