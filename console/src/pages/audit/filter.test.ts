import { describe, expect, it } from 'vitest';
import { auditFilter } from './filter';

describe('auditFilter', () => {
  const none = { actor: '', action: '', customer: '', since: '' };
  it('leaves empty filters out', () => expect(auditFilter(none)).toEqual({ filter: null, error: null }));
  it('trims and passes the filters, a date from its start in UTC', () => {
    expect(auditFilter({ actor: ' k1 ', action: 'decideReview', customer: 'cus_1', since: '2026-03-01' }).filter).toEqual({
      actor: 'k1',
      action: 'decideReview',
      customer: 'cus_1',
      since: '2026-03-01T00:00:00.000Z',
    });
  });
  it('names a since that is not a date', () => {
    const { filter, error } = auditFilter({ ...none, since: 'yesterday' });
    expect(filter).toBeNull();
    expect(error?.field).toBe('since');
    expect(error?.code).toBe('BAD_USER_INPUT');
  });
});
