import { useMemo, useState } from 'react';
import type { Customer360Query } from '../../gql/graphql';
import { formatCount } from '../../lib/format';
import { mergeTimeline, type TimelineKind } from './timeline';
import { TimelineEntry } from './TimelineEntry';

type C = NonNullable<Customer360Query['customer']>;

const KINDS: readonly { kind: TimelineKind; label: string }[] = [
  { kind: 'order', label: 'Orders' },
  { kind: 'event', label: 'Events' },
  { kind: 'feedback', label: 'Feedback' },
];

export function TimelinePanel({ orders, events, feedback }: { orders: C['orders']; events: C['events']; feedback: C['feedback'] }) {
  const [hidden, setHidden] = useState<ReadonlySet<TimelineKind>>(new Set());
  const items = useMemo(() => mergeTimeline(orders.nodes, events.nodes, feedback.nodes), [orders, events, feedback]);
  const shown = items.filter((i) => !hidden.has(i.kind));
  const totals: Record<TimelineKind, { shown: number; total: number }> = {
    order: { shown: orders.nodes.length, total: orders.totalCount },
    event: { shown: events.nodes.length, total: events.totalCount },
    feedback: { shown: feedback.nodes.length, total: feedback.totalCount },
  };
  const toggle = (k: TimelineKind) =>
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(k)) next.delete(k);
      else next.add(k);
      return next;
    });
  return (
    <section className="panel" data-testid="section-timeline">
      <h2>Timeline</h2>
      <div className="chips">
        {KINDS.map(({ kind, label }) => (
          <label key={kind} className="check">
            <input type="checkbox" checked={!hidden.has(kind)} onChange={() => toggle(kind)} />
            {label}{' '}
            <span className="muted">
              {totals[kind].shown < totals[kind].total
                ? `(latest ${formatCount(totals[kind].shown)} of ${formatCount(totals[kind].total)})`
                : `(${formatCount(totals[kind].total)})`}
            </span>
          </label>
        ))}
      </div>
      {shown.length === 0 ? (
        <p className="muted">Nothing has happened yet.</p>
      ) : (
        <ol className="timeline" data-testid="timeline" data-items={shown.length}>
          {shown.map((item) => (
            <TimelineEntry key={item.key} item={item} />
          ))}
        </ol>
      )}
    </section>
  );
}
