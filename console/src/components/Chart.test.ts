import { describe, expect, it } from 'vitest';
import { cspSafe } from './Chart';

describe('cspSafe', () => {
  it('draws tooltips in canvas unless the option chooses a render mode', () => {
    expect(cspSafe({ tooltip: { trigger: 'item' } })).toEqual({ tooltip: { trigger: 'item', renderMode: 'richText' } });
    expect(cspSafe({ tooltip: [{}, { renderMode: 'html' }] })).toEqual({ tooltip: [{ renderMode: 'richText' }, { renderMode: 'html' }] });
    const noTooltip = { series: [] };
    expect(cspSafe(noTooltip)).toBe(noTooltip);
  });
});
