import { describe, expect, it } from 'vitest';
import { buildIdentityGraph, togglePick, type IdentityLink, type IdentityRecord } from './identityGraph';

const rec = (id: string, source: string, identifiers: { type: 'EMAIL' | 'PHONE'; value: string }[]): IdentityRecord => ({
  id,
  source,
  sourceId: id.toUpperCase(),
  placeholder: false,
  updatedAt: null,
  profile: { fullName: null, email: null, phone: null, city: null },
  identifiers,
});
const end = (id: string, customerId: string | null = null) => ({ id, source: 'crm', sourceId: id.toUpperCase(), customer: customerId ? { customerId } : null });

describe('identity graph', () => {
  it('draws a shared identifier once, linked from each record that holds it', () => {
    const g = buildIdentityGraph(
      [rec('r1', 'crm', [{ type: 'EMAIL', value: 'a@x.com' }, { type: 'PHONE', value: '+1' }]), rec('r2', 'shop', [{ type: 'EMAIL', value: 'a@x.com' }])],
      [],
    );
    expect(g.records).toBe(2);
    expect(g.identifiers).toBe(2);
    expect(g.sharedIdentifiers).toBe(1);
    const email = g.elements.find((e) => e.data.id === 'idf:EMAIL:a@x.com');
    expect(email?.data.shared).toBe(true);
    const has = g.elements.filter((e) => e.data.kind === 'has' && e.data.target === 'idf:EMAIL:a@x.com');
    expect(has.map((e) => e.data.source).sort()).toEqual(['r1', 'r2']);
  });

  it('adds records of other customers that a link reaches, marked as outside', () => {
    const links: IdentityLink[] = [
      { from: end('r1'), to: end('r9', 'cus_other'), kind: 'not_same_person', probability: null, reason: 'twins' },
      { from: end('r1'), to: end('r9', 'cus_other'), kind: 'not_same_person', probability: null, reason: 'twins' },
      { from: end('r1'), to: end('r2'), kind: 'matched', probability: 0.97, reason: null },
    ];
    const g = buildIdentityGraph([rec('r1', 'crm', []), rec('r2', 'shop', [])], links);
    expect(g.links).toBe(2);
    const outside = g.elements.find((e) => e.data.id === 'r9');
    expect(outside?.data).toMatchObject({ kind: 'record', outside: true, otherCustomerId: 'cus_other' });
    expect(g.records).toBe(3);
    const ids = g.elements.map((e) => e.data.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps at most two picked records', () => {
    expect(togglePick([], 'a')).toEqual(['a']);
    expect(togglePick(['a'], 'b')).toEqual(['a', 'b']);
    expect(togglePick(['a', 'b'], 'c')).toEqual(['b', 'c']);
    expect(togglePick(['a', 'b'], 'a')).toEqual(['b']);
  });
});
