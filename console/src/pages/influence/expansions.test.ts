import { describe, expect, it } from 'vitest';
import { addExpansion, expansionsOf, noExpansions } from './expansions';
import { fromNeighbourhood } from './graphModel';

const node = (id: string) => ({ id, customerId: `cus_${id}`, profile: { fullName: id } });
const tie = (from: string, to: string) => ({ from: { id: from }, to: { id: to }, type: 'follows', count: 1 });

describe('expansions', () => {
  const aroundB = fromNeighbourhood([node('b'), node('c')], [tie('b', 'c')]);
  const aroundD = fromNeighbourhood([node('d'), node('e')], [tie('d', 'e')]);

  it('merges an answer for the base it was asked under', () => {
    const s = addExpansion(addExpansion(noExpansions('A'), 'A', 'b', aroundB), 'A', 'd', aroundD);
    expect([...s.graph.nodes.keys()].sort()).toEqual(['b', 'c', 'd', 'e']);
    expect([...s.expanded].sort()).toEqual(['b', 'd']);
  });

  it('drops an answer that arrives after the centre or filters changed', () => {
    const before = addExpansion(noExpansions('A'), 'A', 'b', aroundB);
    // The base moved to B; an expansion asked under A answers late.
    const now = expansionsOf(before, 'B');
    const late = addExpansion(now, 'A', 'd', aroundD);
    expect(late).toBe(now);
    expect(late.graph.nodes.size).toBe(0);
    expect(late.expanded.size).toBe(0);
  });

  it('shows no expansions of another base, even before they are reset', () => {
    const s = addExpansion(noExpansions('A'), 'A', 'b', aroundB);
    expect(expansionsOf(s, 'A')).toBe(s);
    expect(expansionsOf(s, 'B').graph.nodes.size).toBe(0);
  });

  it('marks a node expanded even when its neighbourhood is gone', () => {
    const s = addExpansion(noExpansions('A'), 'A', 'b', null);
    expect([...s.expanded]).toEqual(['b']);
    expect(s.graph.nodes.size).toBe(0);
  });
});
