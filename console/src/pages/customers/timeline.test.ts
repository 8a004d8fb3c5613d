import { describe, expect, it } from 'vitest';
import { isComplaint, mergeTimeline, sentimentTone, type TimelineEvent, type TimelineFeedback, type TimelineOrder } from './timeline';

const order = (id: string, orderedAt: string): TimelineOrder => ({
  id,
  source: 'shop',
  sourceId: id,
  orderedAt,
  status: 'paid',
  channel: null,
  total: { amount: '10.00', currency: 'EUR' },
  itemCount: 0,
  items: [],
});
const event = (occurredAt: string): TimelineEvent => ({ source: 'web', type: 'view', occurredAt, channel: null, sku: null, query: null, url: null });
const feedback = (createdAt: string, extra: Partial<TimelineFeedback> = {}): TimelineFeedback => ({
  source: 'crm',
  sourceId: createdAt,
  kind: 'review',
  createdAt,
  channel: null,
  rating: null,
  text: null,
  status: null,
  sku: null,
  sentiment: null,
  ...extra,
});

describe('timeline', () => {
  it('merges the three lists newest first', () => {
    const items = mergeTimeline(
      [order('o1', '2024-01-01T00:00:00Z'), order('o2', '2024-03-01T00:00:00Z')],
      [event('2024-02-01T00:00:00Z')],
      [feedback('2024-04-01T00:00:00Z')],
    );
    expect(items.map((i) => i.kind)).toEqual(['feedback', 'order', 'event', 'order']);
    expect(items.map((i) => i.at)).toEqual(['2024-04-01T00:00:00Z', '2024-03-01T00:00:00Z', '2024-02-01T00:00:00Z', '2024-01-01T00:00:00Z']);
  });

  it('puts an order before what happened at the same instant, and keys stay unique', () => {
    const at = '2024-05-05T10:00:00Z';
    const items = mergeTimeline([order('o', at)], [event(at), event(at)], [feedback(at)]);
    expect(items.map((i) => i.kind)).toEqual(['order', 'feedback', 'event', 'event']);
    expect(new Set(items.map((i) => i.key)).size).toBe(4);
  });

  it('colours feedback by sentiment, else by rating on its own scale', () => {
    const s = (label: string) => ({ score: 0, label, language: 'en', complaint: false, aspects: [] });
    expect(sentimentTone(feedback('x', { sentiment: s('negative') }))).toBe('bad');
    expect(sentimentTone(feedback('x', { sentiment: s('positive') }))).toBe('good');
    expect(sentimentTone(feedback('x', { rating: 5 }))).toBe('good');
    expect(sentimentTone(feedback('x', { rating: 2 }))).toBe('bad');
    expect(sentimentTone(feedback('x', { kind: 'survey', rating: 9 }))).toBe('good');
    expect(sentimentTone(feedback('x', { kind: 'survey', rating: 6 }))).toBe('neutral');
    expect(sentimentTone(feedback('x'))).toBe('neutral');
  });

  it('marks complaints by kind or by the model', () => {
    expect(isComplaint(feedback('x', { kind: 'complaint' }))).toBe(true);
    expect(isComplaint(feedback('x', { sentiment: { score: -0.8, label: 'negative', language: 'zh', complaint: true, aspects: [] } }))).toBe(true);
    expect(isComplaint(feedback('x'))).toBe(false);
  });
});
