// A review pair's evidence laid out for reading: the match weights as a waterfall from the
// prior log-odds to the pair's posterior (as record-linkage tools draw them), and each
// compared field next to the profile fields it was compared on.

/** log2 odds of a probability (clamped away from 0 and 1 so certainty stays finite). */
export function log2Odds(p: number): number {
  const q = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
  return Math.log2(q / (1 - q));
}

export function probabilityOfLog2Odds(bits: number): number {
  return 1 / (1 + 2 ** -bits);
}

export interface Evidence {
  field: string;
  level: string;
  similarity: number;
  weight: number;
}

export interface WaterfallStep {
  label: string;
  /** Where the bar starts and ends, in bits of log2 odds. */
  from: number;
  to: number;
  kind: 'prior' | 'up' | 'down' | 'total';
}

/**
 * The prior (λ of the pair's class: two records of one source, or of two), then each field's
 * weight in the order given, then the total. The total is the sum; the API's probability
 * should be its logistic (the page shows both, so a mismatch would be visible).
 */
export function waterfall(prior: number | null, evidence: readonly Evidence[]): WaterfallStep[] {
  const steps: WaterfallStep[] = [];
  let at = prior === null ? 0 : log2Odds(prior);
  if (prior !== null) steps.push({ label: 'prior', from: 0, to: at, kind: 'prior' });
  for (const e of evidence) {
    // A field that moved nothing (missing on a side, or no evidence either way) is no step.
    if (e.weight === 0) continue;
    steps.push({ label: `${e.field} (${e.level})`, from: at, to: at + e.weight, kind: e.weight >= 0 ? 'up' : 'down' });
    at += e.weight;
  }
  steps.push({ label: 'total', from: 0, to: at, kind: 'total' });
  return steps;
}

export interface WaterfallBars {
  labels: string[];
  /** Invisible bars lifting the visible ones (stacked bars, each sign on its own side). */
  base: number[];
  positive: number[];
  negative: number[];
}

/** Floating bars as three stacked series: ECharts stacks positive and negative values apart, so a bar crossing zero is split in two. */
export function waterfallBars(steps: readonly WaterfallStep[]): WaterfallBars {
  const out: WaterfallBars = { labels: [], base: [], positive: [], negative: [] };
  for (const s of steps) {
    const lo = Math.min(s.from, s.to);
    const hi = Math.max(s.from, s.to);
    out.labels.push(s.label);
    if (lo >= 0) {
      out.base.push(lo);
      out.positive.push(hi - lo);
      out.negative.push(0);
    } else if (hi <= 0) {
      out.base.push(hi);
      out.positive.push(0);
      out.negative.push(lo - hi);
    } else {
      out.base.push(0);
      out.positive.push(hi);
      out.negative.push(lo);
    }
  }
  return out;
}

/** The profile fields of a record, in the order the pair shows them. */
export const PROFILE_FIELDS = ['givenName', 'familyName', 'fullName', 'email', 'phone', 'birthDate', 'gender', 'addressLine1', 'addressLine2', 'city', 'region', 'postcode', 'country'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** The matcher's field names (identity/match/fields.go) by the profile field they compare. */
const COMPARED_ON: Record<string, ProfileField> = {
  given_name: 'givenName',
  given_name_cjk: 'givenName',
  given_name_frequency: 'givenName',
  family_name: 'familyName',
  family_name_cjk: 'familyName',
  birth_date: 'birthDate',
  gender: 'gender',
  street_number: 'addressLine1',
  address_line1: 'addressLine1',
  address_line2: 'addressLine2',
  street: 'addressLine1',
  city: 'city',
  region: 'region',
  postcode: 'postcode',
  country: 'country',
  email: 'email',
  phone: 'phone',
};

export interface AlignedRow {
  field: ProfileField | null;
  /** The matcher's fields compared on it (none for a field the matcher does not compare). */
  evidence: Evidence[];
}

/** Profile fields with their evidence, then evidence about no profile field (weak identifiers, national id...). */
export function alignEvidence(evidence: readonly Evidence[]): AlignedRow[] {
  const rows: AlignedRow[] = PROFILE_FIELDS.map((field) => ({ field, evidence: [] }));
  const extra: AlignedRow[] = [];
  for (const e of evidence) {
    const f = COMPARED_ON[e.field];
    const row = f ? rows.find((r) => r.field === f) : undefined;
    if (row) row.evidence.push(e);
    else extra.push({ field: null, evidence: [e] });
  }
  return [...rows, ...extra];
}
