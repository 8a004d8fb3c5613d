// Pure shaping of the loyalty page's API data into chart series (unit-tested).

export interface RfmCellLike {
  r: number;
  f: number;
  customers: number;
  revenue: number;
  segment: string;
}

export type RfmMeasure = 'customers' | 'revenue';

/** Heatmap points [f - 1, r - 1, value] for every cell the API gave (RFM scores are 1–5). */
export function rfmHeatmapPoints(cells: readonly RfmCellLike[], measure: RfmMeasure): [number, number, number][] {
  return cells
    .filter((c) => c.r >= 1 && c.r <= 5 && c.f >= 1 && c.f <= 5)
    .map((c) => [c.f - 1, c.r - 1, c[measure]]);
}

/** The cell at heatmap coordinates, or undefined for an empty square. */
export function rfmCellAt(cells: readonly RfmCellLike[], x: number, y: number): RfmCellLike | undefined {
  return cells.find((c) => c.f === x + 1 && c.r === y + 1);
}

export interface CohortLike {
  month: string;
  customers: number;
  retained: readonly number[];
}

/**
 * The retention triangle: oldest cohort on the first row, months since the first purchase
 * along x; only the months a cohort has lived through are points, so the later cohorts'
 * rows are shorter and the picture is a triangle.
 */
export function cohortTriangle(cohorts: readonly CohortLike[]): {
  months: string[];
  offsets: number[];
  points: [number, number, number][];
} {
  const sorted = [...cohorts].sort((a, b) => a.month.localeCompare(b.month));
  const width = sorted.reduce((w, c) => Math.max(w, c.retained.length), 0);
  const points: [number, number, number][] = [];
  sorted.forEach((c, y) => c.retained.forEach((share, x) => points.push([x, y, share])));
  return { months: sorted.map((c) => c.month), offsets: Array.from({ length: width }, (_, i) => i), points };
}

/** Label ink for a cell of a light-to-dark scale: white once the cell is past `dark` of the scale. */
export function labelInk(value: number, min: number, max: number, dark = 0.45): string {
  const t = max > min ? (value - min) / (max - min) : 0;
  return t >= dark ? '#ffffff' : '#1f2633';
}

/** The colour scale's top for the retention triangle: month 0 is 100% by definition, so it is left out. */
export function retentionScaleMax(points: readonly [number, number, number][]): number {
  const later = points.filter((p) => p[0] > 0).map((p) => p[2]);
  return later.length ? Math.max(...later, 0.01) : 1;
}

/** Coefficients largest effect first (by absolute weight), for a readable bar chart. */
export function byEffect<T extends { value: number }>(params: readonly T[]): T[] {
  return [...params].sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
}

/** A bucket's label for an axis: the API's label, or its edges when it gives none. */
export function bucketLabel(b: { label: string; low?: number | null; high?: number | null }): string {
  if (b.label) return b.label;
  const lo = b.low ?? null;
  const hi = b.high ?? null;
  if (lo === null && hi !== null) return `< ${hi}`;
  if (hi === null && lo !== null) return `≥ ${lo}`;
  return `${lo ?? ''}–${hi ?? ''}`;
}
