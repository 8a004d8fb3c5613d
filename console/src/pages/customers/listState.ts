// The customers list's state in the URL and its translation into the API's filter and order.
// Kept apart from the page so the rules (what a URL means as a query) are unit-tested.
import type { ChurnBand, CustomerFilter, CustomerOrder, CustomerOrderField } from '../../gql/graphql';
import { param, type Sort } from '../../lib/url';

export const CHURN_BANDS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const satisfies readonly ChurnBand[];

/** Sortable columns of the list and the API order field each uses. */
export const SORT_FIELDS = {
  name: 'FAMILY_NAME',
  churn: 'CHURN_RISK',
  clv: 'CLV',
  loyalty: 'LOYALTY',
  revenue: 'REVENUE',
  created: 'CREATED_AT',
} as const satisfies Record<string, CustomerOrderField>;

export type SortKey = keyof typeof SORT_FIELDS;
export const SORT_KEYS = Object.keys(SORT_FIELDS) as SortKey[];
export const DEFAULT_SORT: Sort<SortKey> = { key: 'clv', dir: 'desc' };

export const PAGE_SIZE = 25;

/** The list's URL params (module level: useUrlState wants a stable spec). */
export const listSpec = {
  q: param.string(),
  rfmSegment: param.string(),
  churn: param.list(),
  clvMin: param.number(),
  clvMax: param.number(),
  source: param.string(),
  segment: param.string(),
  rfmR: param.number(),
  rfmF: param.number(),
  sort: param.sort(SORT_KEYS, DEFAULT_SORT),
};

export interface ListValues {
  q: string;
  rfmSegment: string;
  churn: string[];
  clvMin: number | null;
  clvMax: number | null;
  source: string;
  segment: string;
  rfmR: number | null;
  rfmF: number | null;
  sort: Sort<SortKey>;
}

function isBand(v: string): v is ChurnBand {
  return (CHURN_BANDS as readonly string[]).includes(v);
}

/** An RFM score from the URL: 1–5, anything else ignored (the chip then does not show). */
export function rfmScore(n: number | null): number | null {
  return n !== null && Number.isInteger(n) && n >= 1 && n <= 5 ? n : null;
}

/** The API filter for the URL's values; empty values are left out, so no filter is null. */
export function toFilter(v: ListValues): CustomerFilter | null {
  const f: CustomerFilter = {};
  const search = v.q.trim();
  if (search) f.search = search;
  if (v.rfmSegment) f.rfmSegment = v.rfmSegment;
  const bands = v.churn.map((b) => b.toUpperCase()).filter(isBand);
  if (bands.length) f.churnBands = [...new Set(bands)];
  if (v.clvMin !== null) f.minClv = v.clvMin;
  if (v.clvMax !== null) f.maxClv = v.clvMax;
  if (v.source) f.source = v.source;
  if (v.segment) f.segment = v.segment;
  const r = rfmScore(v.rfmR);
  const fr = rfmScore(v.rfmF);
  if (r !== null) f.rfmR = r;
  if (fr !== null) f.rfmF = fr;
  return Object.keys(f).length ? f : null;
}

/**
 * The API order for the URL's sort. Sorting by family name is personal data: a viewer who
 * gets pseudonyms may not order by it (the server refuses), so it falls back to the default.
 */
export function toOrder(sort: Sort<SortKey>, rawPersonalData: boolean): CustomerOrder {
  const s = sort.key === 'name' && !rawPersonalData ? DEFAULT_SORT : sort;
  return { field: SORT_FIELDS[s.key], direction: s.dir === 'desc' ? 'DESC' : 'ASC' };
}

/** How many filters are set (the search not counted), for the "Clear filters" button. */
export function activeFilterCount(v: ListValues): number {
  const f = toFilter({ ...v, q: '' });
  return f ? Object.keys(f).length : 0;
}

/** A whole decimal number: digits with an optional fraction and exponent, nothing partial ("1.", "1e", "-"). */
const COMPLETE_NUMBER = /^[+-]?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * What an amount box's draft means: a finite number, null when empty (no bound), or
 * undefined while it is not (yet) a whole number, which must not be written to the URL.
 */
export function amountDraft(draft: string): number | null | undefined {
  const s = draft.trim();
  if (s === '') return null;
  if (!COMPLETE_NUMBER.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}
