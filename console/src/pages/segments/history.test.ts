import { describe, expect, it } from 'vitest';
import { historyByDay } from './history';

describe('historyByDay', () => {
  it('counts entries and exits per UTC day, oldest first, with the running net', () => {
    const days = historyByDay([
      { kind: 'LEFT', at: '2026-03-02T23:59:00Z' },
      { kind: 'ENTERED', at: '2026-03-02T00:00:00Z' },
      { kind: 'ENTERED', at: '2026-03-01T10:00:00+08:00' }, // 02:00 UTC on the 1st
      { kind: 'ENTERED', at: '2026-03-01T12:00:00Z' },
      { kind: 'LEFT', at: 'not a date' },
    ]);
    expect(days).toEqual([
      { day: '2026-03-01', entered: 2, left: 0, net: 2 },
      { day: '2026-03-02', entered: 1, left: 1, net: 2 },
    ]);
  });
  it('is empty without changes', () => expect(historyByDay([])).toEqual([]));
});
