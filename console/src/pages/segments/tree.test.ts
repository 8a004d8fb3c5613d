import { describe, expect, it } from 'vitest';
import {
  addChild,
  countNodes,
  defaultPredicate,
  DefinitionParseError,
  emptyTree,
  findNode,
  fromDefinition,
  group,
  moveInto,
  moveNode,
  nodeForPath,
  parentOf,
  predicateNode,
  PREDICATE_KINDS,
  removeNode,
  setGroupOp,
  setPredicate,
  toDefinition,
  wrapInGroup,
  type GroupNode,
  type Predicate,
} from './tree';

const bands = (...values: string[]): Predicate => ({ kind: 'churnBands', values });
const rfm = (...values: string[]): Predicate => ({ kind: 'rfmSegments', values });

describe('tree operations', () => {
  it('adds, changes, moves and removes nodes without touching the old tree', () => {
    const root = emptyTree();
    const a = predicateNode(bands('high', 'critical'));
    const b = predicateNode(rfm('Champions'));
    const t1 = addChild(addChild(root, root.id, a), root.id, b);
    expect(root.children).toHaveLength(0);
    expect(t1.children.map((c) => c.id)).toEqual([a.id, b.id]);

    const t2 = moveNode(t1, b.id, -1);
    expect(t2.children.map((c) => c.id)).toEqual([b.id, a.id]);
    expect(moveNode(t2, b.id, -1)).toBe(t2); // already first
    expect(moveNode(t2, a.id, 1)).toBe(t2); // already last

    const t3 = setPredicate(t2, a.id, bands('low'));
    expect(toDefinition(t3).definition).toEqual({ and: [{ rfmSegments: ['Champions'] }, { churnBands: ['low'] }] });

    const t4 = removeNode(t3, b.id);
    expect(t4.children.map((c) => c.id)).toEqual([a.id]);
    expect(removeNode(t4, t4.id)).toBe(t4); // the root stays
  });

  it('adds to a nested group and ignores a predicate or an unknown id as the target', () => {
    const r = emptyTree();
    const inner = group('or');
    const p = predicateNode(bands('high'));
    expect(addChild(r, 'missing', p)).toBe(r);
    const t = addChild(addChild(r, r.id, inner), inner.id, p);
    expect(findNode(t, p.id)).not.toBeNull();
    expect(parentOf(t, p.id)?.id).toBe(inner.id);
    expect(parentOf(t, t.id)).toBeNull();
    expect(addChild(t, p.id, predicateNode(rfm('Lost')))).toBe(t);
  });

  it('moves a node into another group but never into itself', () => {
    const r = emptyTree();
    const inner = group('or');
    const a = predicateNode(bands('high'));
    let t = addChild(addChild(r, r.id, a), r.id, inner);
    t = moveInto(t, a.id, inner.id);
    expect(t.children.map((c) => c.id)).toEqual([inner.id]);
    expect(parentOf(t, a.id)?.id).toBe(inner.id);
    expect(moveInto(t, inner.id, inner.id)).toBe(t);
    const deeper = group('and');
    const t2 = addChild(t, inner.id, deeper);
    expect(moveInto(t2, inner.id, deeper.id)).toBe(t2);
    // and back out, at the front
    const t3 = moveInto(t2, a.id, t2.id, 0);
    expect(t3.children[0]?.id).toBe(a.id);
  });

  it('changes a group operator and wraps a node in a not', () => {
    const r = emptyTree();
    const a = predicateNode(rfm('Champions'));
    const b = predicateNode(bands('high'));
    let t = addChild(addChild(r, r.id, a), r.id, b);
    t = wrapInGroup(t, a.id, 'not');
    expect(toDefinition(t).definition).toEqual({ and: [{ not: { rfmSegments: ['Champions'] } }, { churnBands: ['high'] }] });
    t = setGroupOp(t, t.id, 'or');
    expect(toDefinition(t).definition).toEqual({ or: [{ not: { rfmSegments: ['Champions'] } }, { churnBands: ['high'] }] });
    expect(countNodes(t)).toBe(4);
  });
});

describe('toDefinition', () => {
  it('converts every predicate to the API input, leaving unset numbers out', () => {
    const r = emptyTree();
    const preds: Predicate[] = [
      { kind: 'profile', field: 'country', op: 'in', values: [' CN ', 'DE', ''] },
      { kind: 'age', min: '18', max: '' },
      { kind: 'identifier', type: 'phone', present: false },
      { kind: 'consent', purpose: 'sms_marketing', granted: true },
      { kind: 'score', field: 'clv', min: '100.5', max: '' },
      rfm('Champions', 'At Risk'),
      bands('high', 'critical'),
      { kind: 'purchased', category: 'tea', sku: '', minTimes: '2', withinDays: '90' },
      { kind: 'event', type: 'login', minCount: '', withinDays: '30', absent: true },
      { kind: 'nearDetractor', hops: '2' },
      { kind: 'referredByInfluencer', topRank: '10' },
      { kind: 'inCommunity', id: 'c7' },
      { kind: 'householdHighValue', minClv: '2000' },
    ];
    const t = preds.reduce((acc, p) => addChild(acc, r.id, predicateNode(p)), r as GroupNode);
    const { definition, issues } = toDefinition(t);
    expect(issues).toEqual([]);
    expect(definition).toEqual({
      and: [
        { profile: { field: 'country', op: 'in', values: ['CN', 'DE'] } },
        { age: { min: 18 } },
        { identifier: { type: 'phone', present: false } },
        { consent: { purpose: 'sms_marketing', granted: true } },
        { score: { field: 'clv', min: 100.5 } },
        { rfmSegments: ['Champions', 'At Risk'] },
        { churnBands: ['high', 'critical'] },
        { purchased: { category: 'tea', minTimes: 2, withinDays: 90 } },
        { event: { type: 'login', withinDays: 30, absent: true } },
        { nearDetractor: { hops: 2 } },
        { referredByInfluencer: { topRank: 10 } },
        { inCommunity: { id: 'c7' } },
        { householdHighValue: { minClv: 2000 } },
      ],
    });
  });

  it('offers a default for every predicate kind', () => {
    for (const kind of PREDICATE_KINDS) expect(defaultPredicate(kind).kind).toBe(kind);
  });

  it('names every problem with the server\'s path', () => {
    const r = emptyTree();
    const inner = group('or');
    const not = group('not');
    let t = addChild(addChild(r, r.id, inner), r.id, not);
    t = addChild(t, inner.id, predicateNode({ kind: 'purchased', category: 'tea', sku: 'SKU-1', minTimes: '0', withinDays: '-5' }));
    t = addChild(t, inner.id, predicateNode({ kind: 'age', min: '40', max: '30' }));
    t = addChild(t, inner.id, predicateNode({ kind: 'score', field: 'clv', min: 'abc', max: '' }));
    t = addChild(t, inner.id, predicateNode({ kind: 'nearDetractor', hops: '4' }));
    t = addChild(t, inner.id, predicateNode({ kind: 'event', type: 'login', minCount: '2', withinDays: '', absent: true }));
    t = addChild(t, inner.id, predicateNode(bands()));
    t = addChild(t, inner.id, predicateNode({ kind: 'profile', field: 'country', op: 'eq', values: ['CN', 'DE'] }));
    const { definition, issues } = toDefinition(t);
    expect(definition).toBeNull();
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath).toMatchObject({
      'definition.and[0].or[0].purchased': 'sets both category and sku: name one, or neither for any purchase',
      'definition.and[0].or[0].purchased.minTimes': 'must be between 1 and 10000, not 0',
      'definition.and[0].or[0].purchased.withinDays': 'must be between 0 and 36500 days (0 means ever), not -5',
      'definition.and[0].or[1].age': 'min 40 is greater than max 30',
      'definition.and[0].or[2].score.min': 'must be a number, not "abc"',
      'definition.and[0].or[3].nearDetractor.hops': 'must be between 1 and 3 ties, not 4',
      'definition.and[0].or[5].churnBands': 'is an empty list: pick at least one',
      'definition.and[0].or[6].profile.values': 'eq takes exactly one value, got 2',
      'definition.and[1].not': 'needs one condition to negate',
    });
    expect(byPath['definition.and[0].or[4].event.minCount']).toMatch(/cannot be combined/);
  });

  it('rejects an empty tree and a not with two children', () => {
    expect(toDefinition(emptyTree()).issues.map((i) => i.path)).toEqual(['definition.and']);
    const r = emptyTree();
    const t = setGroupOp(addChild(addChild(r, r.id, predicateNode(bands('low'))), r.id, predicateNode(rfm('Lost'))), r.id, 'not');
    expect(toDefinition(t).issues[0]?.message).toMatch(/negates one condition, not 2/);
  });

  it('enforces the server\'s depth and size limits', () => {
    let t: GroupNode = group('and', [predicateNode(bands('low'))]);
    for (let i = 0; i < 10; i++) t = group('and', [t]);
    expect(toDefinition(t).issues.some((i) => /nested more than 10/.test(i.message))).toBe(true);
    const wide = group('or', Array.from({ length: 100 }, () => predicateNode(bands('low'))));
    expect(toDefinition(wide).issues.some((i) => /more than 100/.test(i.message))).toBe(true);
  });

  it('pins a server error path to the deepest node it names', () => {
    const r = emptyTree();
    const inner = group('or');
    const p = predicateNode({ kind: 'event', type: 'nope', minCount: '', withinDays: '', absent: false });
    const t = addChild(addChild(r, r.id, inner), inner.id, p);
    const { paths } = toDefinition(t);
    expect(nodeForPath(paths, 'definition.and[0].or[0].event.type')).toBe(p.id);
    expect(nodeForPath(paths, 'definition.and[0]')).toBe(inner.id);
    expect(nodeForPath(paths, 'definition')).toBe(r.id);
    expect(nodeForPath(paths, 'name')).toBeNull();
  });
});

describe('fromDefinition', () => {
  const example = {
    and: [
      { profile: { field: 'country', op: 'eq', values: ['CN'] } },
      { purchased: { category: 'tea', minTimes: 2, withinDays: 90 } },
      { event: { type: 'login', withinDays: 30, absent: true } },
      { or: [{ churnBands: ['high', 'critical'] }, { nearDetractor: { hops: 2 } }] },
      { consent: { purpose: 'sms_marketing', granted: true } },
      { not: { rfmSegments: ['Champions'] } },
      { age: { min: 20, max: 60 } },
      { identifier: { type: 'email', present: false } },
      { score: { field: 'churnRisk', min: 0.5 } },
      { referredByInfluencer: { topRank: 5 } },
      { inCommunity: { id: 'c1' } },
      { householdHighValue: { minClv: 1500.5 } },
    ],
  };

  it('round-trips the README example and every predicate', () => {
    const tree = fromDefinition(JSON.stringify(example));
    expect(toDefinition(tree)).toMatchObject({ definition: example, issues: [] });
  });

  it('wraps a definition that is one predicate, or a not, in an all-of root', () => {
    const t = fromDefinition({ churnBands: ['low'] });
    expect(t.op).toBe('and');
    expect(toDefinition(t).definition).toEqual({ and: [{ churnBands: ['low'] }] });
    expect(toDefinition(fromDefinition({ not: { churnBands: ['low'] } })).definition).toEqual({ and: [{ not: { churnBands: ['low'] } }] });
  });

  it('ignores null fields as the server writes them', () => {
    const t = fromDefinition('{"and":[{"churnBands":["low"],"profile":null}],"or":null}');
    expect(toDefinition(t).definition).toEqual({ and: [{ churnBands: ['low'] }] });
  });

  it('says where a definition it cannot read is wrong', () => {
    const bad = (input: unknown) => {
      try {
        fromDefinition(input);
      } catch (e) {
        expect(e).toBeInstanceOf(DefinitionParseError);
        return (e as DefinitionParseError).message;
      }
      return 'parsed';
    };
    expect(bad('{nope')).toMatch(/^definition: is not JSON/);
    expect(bad({ and: [{ frobnicate: {} }] })).toBe('definition.and[0].frobnicate: unknown condition "frobnicate"');
    expect(bad({ and: [{ churnBands: ['low'], rfmSegments: ['Lost'] }] })).toBe('definition.and[0]: sets churnBands and rfmSegments: a node holds exactly one');
    expect(bad({ or: {} })).toBe('definition.or: is not a list');
    expect(bad({})).toBe('definition: is empty');
    expect(bad({ churnBands: 'low' })).toBe('definition.churnBands: is not a list');
  });
});
