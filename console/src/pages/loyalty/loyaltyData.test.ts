import { describe, expect, it } from 'vitest';
import { bucketLabel, byEffect, cohortTriangle, labelInk, retentionScaleMax, rfmCellAt, rfmHeatmapPoints } from './loyaltyData';

const cells = [
  { r: 5, f: 5, customers: 12, revenue: 3400, segment: 'Champions' },
  { r: 1, f: 2, customers: 30, revenue: 800, segment: 'Hibernating' },
  { r: 0, f: 3, customers: 1, revenue: 1, segment: 'bad' },
];

describe('rfm heatmap', () => {
  it('places r on y and f on x, zero-based, leaving out scores outside 1–5', () => {
    expect(rfmHeatmapPoints(cells, 'customers')).toEqual([
      [4, 4, 12],
      [1, 0, 30],
    ]);
    expect(rfmHeatmapPoints(cells, 'revenue')[0]).toEqual([4, 4, 3400]);
  });
  it('finds the cell back from a click', () => {
    expect(rfmCellAt(cells, 1, 0)?.segment).toBe('Hibernating');
    expect(rfmCellAt(cells, 2, 2)).toBeUndefined();
  });
});

describe('cohort triangle', () => {
  it('orders cohorts oldest first and keeps only lived months', () => {
    const t = cohortTriangle([
      { month: '2024-02', customers: 5, retained: [1, 0.4] },
      { month: '2024-01', customers: 8, retained: [1, 0.5, 0.25] },
    ]);
    expect(t.months).toEqual(['2024-01', '2024-02']);
    expect(t.offsets).toEqual([0, 1, 2]);
    expect(t.points).toEqual([
      [0, 0, 1],
      [1, 0, 0.5],
      [2, 0, 0.25],
      [0, 1, 1],
      [1, 1, 0.4],
    ]);
  });
});

describe('helpers', () => {
  it('sorts coefficients by absolute effect', () => {
    expect(byEffect([{ value: 0.1 }, { value: -2 }, { value: 1 }]).map((p) => p.value)).toEqual([-2, 1, 0.1]);
  });
  it('labels open buckets by their edge', () => {
    expect(bucketLabel({ label: '', low: null, high: 100 })).toBe('< 100');
    expect(bucketLabel({ label: '', low: 5000, high: null })).toBe('≥ 5000');
    expect(bucketLabel({ label: '0–100', low: 0, high: 100 })).toBe('0–100');
  });

  it('writes white on dark cells and leaves month 0 out of the retention scale', () => {
    expect(labelInk(90, 0, 100)).toBe('#ffffff');
    expect(labelInk(10, 0, 100)).toBe('#1f2633');
    expect(labelInk(5, 5, 5)).toBe('#1f2633');
    expect(retentionScaleMax([[0, 0, 1], [1, 0, 0.3], [2, 0, 0.2], [0, 1, 1]])).toBe(0.3);
    expect(retentionScaleMax([[0, 0, 1]])).toBe(1);
  });
});
