// Membership changes (newest first, as the API gives them) as per-day counts of customers
// entering and leaving, oldest day first, with the running net change.
export interface HistoryChange {
  kind: 'ENTERED' | 'LEFT';
  at: string;
}

export interface HistoryDay {
  day: string;
  entered: number;
  left: number;
  /** Entered minus left, summed from the first day shown. */
  net: number;
}

export function historyByDay(changes: readonly HistoryChange[]): HistoryDay[] {
  const days = new Map<string, { entered: number; left: number }>();
  for (const c of changes) {
    const t = new Date(c.at);
    if (Number.isNaN(t.getTime())) continue;
    const day = t.toISOString().slice(0, 10); // UTC days, as the server's dates
    const d = days.get(day) ?? { entered: 0, left: 0 };
    if (c.kind === 'ENTERED') d.entered += 1;
    else d.left += 1;
    days.set(day, d);
  }
  let net = 0;
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([day, d]) => {
      net += d.entered - d.left;
      return { day, ...d, net };
    });
}
