import { describe, expect, it } from 'vitest';
import { addedNodes, communityColor, communityCounts, edgeId, fromNeighbourhood, mergeGraphs, mostInfluential, pathGraph, tieDateRange, toElements } from './graphModel';

const node = (id: string, score: number | null = null, community: string | null = null) => ({
  id,
  customerId: `cus_${id}`,
  profile: { fullName: id === 'b' ? null : `Name ${id}` },
  influence: score === null ? null : { score, rank: 1, community: community ? { id: community } : null },
  metrics: null,
});
const edge = (from: string, to: string, type: string, lastAt: string | null = null) => ({ from: { id: from }, to: { id: to }, type, count: 1, firstAt: lastAt, lastAt });

describe('graph model', () => {
  const g1 = fromNeighbourhood([node('a', 0.2, 'c1'), node('b', 0.1, 'c1')], [edge('a', 'b', 'follows', '2024-03-01T00:00:00Z')]);
  const g2 = fromNeighbourhood([node('b', 0.1, 'c1'), node('c', 0.05, 'c2')], [edge('b', 'c', 'referred', '2023-01-05T10:00:00Z'), edge('a', 'b', 'follows')]);

  it('picks the most influential nodes to label, and the nodes an expansion added', () => {
    const g = mergeGraphs(g1, fromNeighbourhood([node('c', 0.05), node('d', null), node('e', 0.3)], []));
    expect([...mostInfluential(g, 2)]).toEqual(['e', 'a']);
    expect(mostInfluential(g, 10).has('d')).toBe(false);
    expect([...addedNodes(g1, mergeGraphs(g1, g2))]).toEqual(['c']);
  });

  it('names a node by the API name, else its customer id', () => {
    expect(g1.nodes.get('a')?.name).toBe('Name a');
    expect(g1.nodes.get('b')?.name).toBe('cus_b');
  });

  it('merges neighbourhoods without duplicating shared nodes and ties', () => {
    const m = mergeGraphs(g1, g2);
    expect([...m.nodes.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(m.edges.size).toBe(2);
    expect(m).not.toBe(g1);
  });

  it('gives the range of tie dates', () => {
    expect(tieDateRange(mergeGraphs(g2, g1))).toEqual({ min: '2023-01-05', max: '2024-03-01' });
    expect(tieDateRange(fromNeighbourhood([node('a')], []))).toBeNull();
  });

  it('turns a path into ties in their own direction', () => {
    const p = pathGraph([
      { customer: node('a'), tie: 'follows', direction: 'OUT' },
      { customer: node('b'), tie: 'referred', direction: 'IN' },
      { customer: node('c'), tie: null, direction: null },
    ]);
    expect([...p.edges.keys()]).toEqual([edgeId('a', 'b', 'follows'), edgeId('c', 'b', 'referred')]);
  });

  it('flags elements and leaves out ties with a missing end', () => {
    const g = mergeGraphs(g1, fromNeighbourhood([], [edge('a', 'z', 'shared')]));
    const els = toElements(g, { centre: 'a', advocates: new Set(['b']), detractors: new Set(), path: null });
    expect(els).toHaveLength(3);
    const a = els.find((e) => e.data.id === 'a')?.data;
    expect(a).toMatchObject({ centre: true, advocate: false, weight: 1 });
    expect(els.find((e) => e.data.id === 'b')?.data).toMatchObject({ advocate: true, weight: 0.5 });
  });

  it('counts communities and colours them stably', () => {
    expect(communityCounts(mergeGraphs(g1, g2))).toEqual([
      { id: 'c1', count: 2 },
      { id: 'c2', count: 1 },
    ]);
    expect(communityColor('c1')).toBe(communityColor('c1'));
    expect(communityColor(null)).toBe('#adb5bd');
  });
});
