// Numbers, money and dates in the user's locale (the browser's, unless a locale is given;
// tests pass one). Missing values show as an en dash, never as "NaN" or "Invalid Date".

export const MISSING = '–';

type Num = number | null | undefined;

function isNum(n: Num): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

export function formatNumber(n: Num, locale?: string, maximumFractionDigits = 2): string {
  return isNum(n) ? new Intl.NumberFormat(locale, { maximumFractionDigits }).format(n) : MISSING;
}

/** Whole counts with grouping: 12,345. */
export function formatCount(n: Num, locale?: string): string {
  return formatNumber(n, locale, 0);
}

/** Money in an ISO 4217 currency; an unknown code still shows the amount and the code. */
export function formatMoney(amount: Num, currency: string, locale?: string): string {
  if (!isNum(amount)) return MISSING;
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
  } catch {
    return `${formatNumber(amount, locale)} ${currency}`;
  }
}

/** A share from 0 to 1 as a percentage: 0.1234 → 12.3%. */
export function formatPercent(share: Num, locale?: string, digits = 1): string {
  if (!isNum(share)) return MISSING;
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(share);
}

function toDate(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A calendar date (the API's Time or a YYYY-MM-DD): 3 Mar 2025 in en-GB. */
export function formatDate(value: string | Date | null | undefined, locale?: string): string {
  const d = toDate(value);
  if (!d) return MISSING;
  // A bare date is midnight UTC; showing it in UTC keeps it the same day everywhere.
  const dateOnly = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(dateOnly ? { timeZone: 'UTC' } : {}) }).format(d);
}

export function formatDateTime(value: string | Date | null | undefined, locale?: string): string {
  const d = toDate(value);
  return d ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d) : MISSING;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from a to b (positive when b is later), by calendar day in UTC. */
export function daysBetween(a: Date, b: Date): number {
  const utc = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Math.round((utc(b) - utc(a)) / DAY_MS);
}

/** "today", "yesterday", "12 days ago", "in 3 days", relative to now. */
export function formatRelativeDays(value: string | Date | null | undefined, now: Date = new Date(), locale?: string): string {
  const d = toDate(value);
  if (!d) return MISSING;
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(daysBetween(now, d), 'day');
}
