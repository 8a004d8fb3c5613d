import { describe, expect, it } from 'vitest';
import { alignEvidence, log2Odds, probabilityOfLog2Odds, waterfall, waterfallBars } from './evidence';

describe('waterfall', () => {
  it('climbs from the prior log-odds by each weight to the total', () => {
    const steps = waterfall(1 / 9, [
      { field: 'email', level: 'exact', similarity: 1, weight: 8 },
      { field: 'birth_date', level: 'different', similarity: 0, weight: -2 },
    ]);
    expect(steps.map((s) => s.kind)).toEqual(['prior', 'up', 'down', 'total']);
    expect(steps[0]?.to).toBeCloseTo(-3); // log2(1/8)
    expect(steps[1]).toMatchObject({ from: steps[0]?.to, label: 'email (exact)' });
    expect(steps[2]?.to).toBeCloseTo(3);
    expect(steps[3]).toMatchObject({ from: 0 });
    expect(probabilityOfLog2Odds(steps[3]?.to ?? 0)).toBeCloseTo(8 / 9);
  });

  it('leaves out fields that moved nothing', () => {
    expect(waterfall(0.5, [{ field: 'gender', level: 'missing', similarity: 0, weight: 0 }]).map((s) => s.kind)).toEqual(['prior', 'total']);
  });

  it('starts at zero without a model', () => {
    expect(waterfall(null, [{ field: 'email', level: 'exact', similarity: 1, weight: 2 }]).map((s) => [s.from, s.to])).toEqual([
      [0, 2],
      [0, 2],
    ]);
  });

  it('keeps log-odds finite at certainty', () => {
    expect(Number.isFinite(log2Odds(1))).toBe(true);
    expect(Number.isFinite(log2Odds(0))).toBe(true);
    expect(log2Odds(0.5)).toBe(0);
  });
});

describe('waterfallBars', () => {
  it('floats bars above, below and across zero', () => {
    const bars = waterfallBars([
      { label: 'a', from: 2, to: 5, kind: 'up' },
      { label: 'b', from: -1, to: -4, kind: 'down' },
      { label: 'c', from: -3, to: 2, kind: 'up' },
    ]);
    expect(bars.base).toEqual([2, -1, 0]);
    expect(bars.positive).toEqual([3, 0, 2]);
    expect(bars.negative).toEqual([0, -3, -3]);
    expect(bars.labels).toEqual(['a', 'b', 'c']);
  });
});

describe('alignEvidence', () => {
  it('puts each compared field next to its profile field and keeps the rest apart', () => {
    const rows = alignEvidence([
      { field: 'given_name', level: 'close', similarity: 0.9, weight: 3 },
      { field: 'given_name_cjk', level: 'exact', similarity: 1, weight: 1 },
      { field: 'weak_identifiers', level: 'missing', similarity: 0, weight: 0 },
    ]);
    expect(rows.find((r) => r.field === 'givenName')?.evidence.map((e) => e.field)).toEqual(['given_name', 'given_name_cjk']);
    expect(rows.at(-1)).toEqual({ field: null, evidence: [{ field: 'weak_identifiers', level: 'missing', similarity: 0, weight: 0 }] });
    expect(rows.find((r) => r.field === 'email')?.evidence).toEqual([]);
  });
});
