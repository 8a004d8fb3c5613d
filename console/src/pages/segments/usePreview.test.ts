import { describe, expect, it } from 'vitest';
import { median, previewState } from './usePreview';

describe('previewState', () => {
  const base = { key: 'A', debouncedKey: 'A', fetching: false, failed: false, answeredKey: 'A' };
  it('is fresh when the answer is for what is on screen', () => expect(previewState(base)).toBe('fresh'));
  it('waits while edits are within the debounce', () => expect(previewState({ ...base, key: 'B' })).toBe('waiting'));
  it('is in flight while a request runs', () => expect(previewState({ ...base, fetching: true })).toBe('loading'));
  it('is stale when the answer is for an older definition', () => expect(previewState({ ...base, answeredKey: 'Z' })).toBe('stale'));
  it('shows the error for what is on screen', () => expect(previewState({ ...base, failed: true })).toBe('error'));
  it('has nothing to preview for an invalid tree', () => expect(previewState({ ...base, key: '' })).toBe('invalid'));
});

describe('median', () => {
  it('takes the middle value or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(25);
  });
});
