// The 360 timeline: orders, events and feedback in one list, newest first.
import type { Customer360Query } from '../../gql/graphql';

type C = NonNullable<Customer360Query['customer']>;
export type TimelineOrder = C['orders']['nodes'][number];
export type TimelineEvent = C['events']['nodes'][number];
export type TimelineFeedback = C['feedback']['nodes'][number];

export type TimelineItem =
  | { kind: 'order'; at: string; key: string; order: TimelineOrder }
  | { kind: 'event'; at: string; key: string; event: TimelineEvent }
  | { kind: 'feedback'; at: string; key: string; feedback: TimelineFeedback };

export type TimelineKind = TimelineItem['kind'];

function time(at: string): number {
  const t = Date.parse(at);
  return Number.isNaN(t) ? -Infinity : t;
}

/** Newest first; on equal times orders before feedback before events (a purchase explains the rest). */
export function mergeTimeline(orders: readonly TimelineOrder[], events: readonly TimelineEvent[], feedback: readonly TimelineFeedback[]): TimelineItem[] {
  const rank: Record<TimelineKind, number> = { order: 0, feedback: 1, event: 2 };
  const items: TimelineItem[] = [
    ...orders.map((order) => ({ kind: 'order' as const, at: order.orderedAt, key: `o:${order.id}`, order })),
    ...feedback.map((f, i) => ({ kind: 'feedback' as const, at: f.createdAt, key: `f:${f.source}:${f.sourceId}:${i}`, feedback: f })),
    ...events.map((event, i) => ({ kind: 'event' as const, at: event.occurredAt, key: `e:${event.source}:${event.occurredAt}:${i}`, event })),
  ];
  return items.sort((a, b) => time(b.at) - time(a.at) || rank[a.kind] - rank[b.kind]);
}

export type SentimentTone = 'good' | 'bad' | 'neutral';

/** The colour of a feedback item: its sentiment label, or its rating when it has no text. */
export function sentimentTone(f: Pick<TimelineFeedback, 'sentiment' | 'rating' | 'kind'>): SentimentTone {
  if (f.sentiment) return f.sentiment.label === 'positive' ? 'good' : f.sentiment.label === 'negative' ? 'bad' : 'neutral';
  if (f.rating === null || f.rating === undefined) return 'neutral';
  // Stars are 1–5, NPS 0–10 (surveys).
  const scale = f.kind === 'survey' ? 10 : 5;
  const share = f.rating / scale;
  return share >= 0.8 ? 'good' : share <= 0.4 ? 'bad' : 'neutral';
}

/** A complaint: the kind says so, or the sentiment model found complaint cues in the text. */
export function isComplaint(f: Pick<TimelineFeedback, 'sentiment' | 'kind'>): boolean {
  return f.kind === 'complaint' || f.sentiment?.complaint === true;
}
