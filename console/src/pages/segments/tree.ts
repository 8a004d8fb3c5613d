// The segment builder's model: an editable tree of groups (and / or / not) and predicates,
// the operations the editor performs on it (all pure: each returns a new tree), its
// conversion to the API's SegmentDefinition input, parsing a saved definition (JSON) back,
// and the validation messages shown next to each node. Paths in messages are spelled as the
// server spells them (definition.and[1].purchased.withinDays) so an API error can be
// pinned to the node it names.
import type { SegmentDefinition } from '../../gql/graphql';

export type GroupOp = 'and' | 'or' | 'not';

export const PREDICATE_KINDS = [
  'churnBands',
  'rfmSegments',
  'score',
  'profile',
  'age',
  'identifier',
  'consent',
  'purchased',
  'event',
  'nearDetractor',
  'referredByInfluencer',
  'inCommunity',
  'householdHighValue',
] as const;
export type PredicateKind = (typeof PREDICATE_KINDS)[number];

export const PREDICATE_LABELS: Record<PredicateKind, string> = {
  churnBands: 'Churn band',
  rfmSegments: 'RFM segment',
  score: 'Score range',
  profile: 'Profile field',
  age: 'Age',
  identifier: 'Has identifier',
  consent: 'Consent',
  purchased: 'Purchased',
  event: 'Event',
  nearDetractor: 'Near a detractor',
  referredByInfluencer: 'Referred by an influencer',
  inCommunity: 'In community',
  householdHighValue: 'High-value household',
};

// Numbers are kept as the text typed ('' = not set) so a half-typed value is not lost and
// a wrong one gets a message instead of silently becoming NaN.
export type Predicate =
  | { kind: 'profile'; field: string; op: string; values: string[] }
  | { kind: 'age'; min: string; max: string }
  | { kind: 'identifier'; type: string; present: boolean }
  | { kind: 'consent'; purpose: string; granted: boolean }
  | { kind: 'score'; field: string; min: string; max: string }
  | { kind: 'rfmSegments'; values: string[] }
  | { kind: 'churnBands'; values: string[] }
  | { kind: 'purchased'; category: string; sku: string; minTimes: string; withinDays: string }
  | { kind: 'event'; type: string; minCount: string; withinDays: string; absent: boolean }
  | { kind: 'nearDetractor'; hops: string }
  | { kind: 'referredByInfluencer'; topRank: string }
  | { kind: 'inCommunity'; id: string }
  | { kind: 'householdHighValue'; minClv: string };

export interface GroupNode {
  id: string;
  type: 'group';
  op: GroupOp;
  children: TreeNode[];
}

export interface PredicateNode {
  id: string;
  type: 'predicate';
  predicate: Predicate;
}

export type TreeNode = GroupNode | PredicateNode;

/** Limits the server enforces (segment.MaxDepth, MaxNodes). */
export const MAX_DEPTH = 10;
export const MAX_NODES = 100;

let counter = 0;
/** A node id unique within this page's life; ids are never sent to the server. */
export function newId(): string {
  counter += 1;
  return `n${counter}`;
}

export function group(op: GroupOp, children: TreeNode[] = []): GroupNode {
  return { id: newId(), type: 'group', op, children };
}

export function predicateNode(predicate: Predicate): PredicateNode {
  return { id: newId(), type: 'predicate', predicate };
}

/** A new predicate of a kind with sensible starting values (the first offered value where one is needed). */
export function defaultPredicate(kind: PredicateKind, first: Partial<Record<'scoreField' | 'profileField' | 'identifierType' | 'consentPurpose' | 'eventType', string>> = {}): Predicate {
  switch (kind) {
    case 'profile':
      return { kind, field: first.profileField ?? 'country', op: 'eq', values: [] };
    case 'age':
      return { kind, min: '', max: '' };
    case 'identifier':
      return { kind, type: first.identifierType ?? 'email', present: true };
    case 'consent':
      return { kind, purpose: first.consentPurpose ?? '', granted: true };
    case 'score':
      return { kind, field: first.scoreField ?? 'clv', min: '', max: '' };
    case 'rfmSegments':
      return { kind, values: [] };
    case 'churnBands':
      return { kind, values: [] };
    case 'purchased':
      return { kind, category: '', sku: '', minTimes: '', withinDays: '' };
    case 'event':
      return { kind, type: first.eventType ?? '', minCount: '', withinDays: '', absent: false };
    case 'nearDetractor':
      return { kind, hops: '1' };
    case 'referredByInfluencer':
      return { kind, topRank: '10' };
    case 'inCommunity':
      return { kind, id: '' };
    case 'householdHighValue':
      return { kind, minClv: '' };
  }
}

/** The tree a new segment starts with: an empty "all of". */
export function emptyTree(): GroupNode {
  return group('and');
}

// ---- operations ---------------------------------------------------------------------------

function mapNode(node: TreeNode, id: string, f: (n: TreeNode) => TreeNode | null): TreeNode | null {
  if (node.id === id) return f(node);
  if (node.type === 'predicate') return node;
  let changed = false;
  const children: TreeNode[] = [];
  for (const c of node.children) {
    const next = mapNode(c, id, f);
    if (next !== c) changed = true;
    if (next !== null) children.push(next);
  }
  return changed ? { ...node, children } : node;
}

function mapRoot(root: GroupNode, id: string, f: (n: TreeNode) => TreeNode | null): GroupNode {
  const next = mapNode(root, id, f);
  // The root is a group and stays one: it cannot be removed or replaced by a predicate.
  return next !== null && next.type === 'group' ? next : root;
}

export function findNode(root: TreeNode, id: string): TreeNode | null {
  if (root.id === id) return root;
  if (root.type === 'predicate') return null;
  for (const c of root.children) {
    const found = findNode(c, id);
    if (found) return found;
  }
  return null;
}

/** The group holding a node, or null for the root (or an unknown id). */
export function parentOf(root: GroupNode, id: string): GroupNode | null {
  for (const c of root.children) {
    if (c.id === id) return root;
    if (c.type === 'group') {
      const p = parentOf(c, id);
      if (p) return p;
    }
  }
  return null;
}

/** Appends a node to a group (a predicate id, or an unknown one, leaves the tree as it is). */
export function addChild(root: GroupNode, groupId: string, child: TreeNode): GroupNode {
  return mapRoot(root, groupId, (n) => (n.type === 'group' ? { ...n, children: [...n.children, child] } : n));
}

/** Removes a node and everything under it; the root stays. */
export function removeNode(root: GroupNode, id: string): GroupNode {
  if (id === root.id) return root;
  return mapRoot(root, id, () => null);
}

/** Moves a node one place up (-1) or down (+1) among its siblings; at an end, nothing changes. */
export function moveNode(root: GroupNode, id: string, delta: -1 | 1): GroupNode {
  const parent = parentOf(root, id);
  if (!parent) return root;
  const i = parent.children.findIndex((c) => c.id === id);
  const j = i + delta;
  if (j < 0 || j >= parent.children.length) return root;
  const children = [...parent.children];
  [children[i], children[j]] = [children[j] as TreeNode, children[i] as TreeNode];
  return mapRoot(root, parent.id, (n) => ({ ...(n as GroupNode), children }));
}

/**
 * Moves a node into another group at an index (default: the end). Moving a group into
 * itself or its own descendants is refused (the tree is returned unchanged).
 */
export function moveInto(root: GroupNode, id: string, groupId: string, index?: number): GroupNode {
  const node = findNode(root, id);
  const target = findNode(root, groupId);
  if (!node || !target || target.type !== 'group' || id === root.id) return root;
  if (findNode(node, groupId)) return root;
  const without = removeNode(root, id);
  return mapRoot(without, groupId, (n) => {
    const g = n as GroupNode;
    const children = [...g.children];
    const at = index === undefined ? children.length : Math.max(0, Math.min(index, children.length));
    children.splice(at, 0, node);
    return { ...g, children };
  });
}

export function setGroupOp(root: GroupNode, id: string, op: GroupOp): GroupNode {
  return mapRoot(root, id, (n) => (n.type === 'group' ? { ...n, op } : n));
}

export function setPredicate(root: GroupNode, id: string, predicate: Predicate): GroupNode {
  return mapRoot(root, id, (n) => (n.type === 'predicate' ? { ...n, predicate } : n));
}

/** Puts a node inside a new group of its own (e.g. to negate one condition), in its place. */
export function wrapInGroup(root: GroupNode, id: string, op: GroupOp): GroupNode {
  if (id === root.id) return { ...group(op, [root]) };
  return mapRoot(root, id, (n) => group(op, [n]));
}

export function countNodes(node: TreeNode): number {
  return node.type === 'predicate' ? 1 : 1 + node.children.reduce((s, c) => s + countNodes(c), 0);
}

// ---- validation and conversion --------------------------------------------------------------

export interface TreeIssue {
  nodeId: string;
  /** The server's spelling of where, e.g. definition.and[0].score.min. */
  path: string;
  message: string;
}

export interface Conversion {
  /** The API input, when the tree has no issue. */
  definition: SegmentDefinition | null;
  issues: TreeIssue[];
  /** Each node's path, for pinning the server's errors to nodes. */
  paths: Map<string, string>;
}

const INT = /^-?\d+$/;

function parseInt10(text: string): number | null {
  const t = text.trim();
  return INT.test(t) ? Number(t) : null;
}

function parseFloatText(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Converts the tree to the API input, collecting every issue (not only the first, as the server does). */
export function toDefinition(root: GroupNode): Conversion {
  const issues: TreeIssue[] = [];
  const paths = new Map<string, string>();
  const total = countNodes(root);
  if (total > MAX_NODES) issues.push({ nodeId: root.id, path: 'definition', message: `has ${total} nodes, more than ${MAX_NODES}` });
  const definition = convert(root, 'definition', 1, issues, paths);
  return { definition: issues.length === 0 ? definition : null, issues, paths };
}

function convert(node: TreeNode, path: string, depth: number, issues: TreeIssue[], paths: Map<string, string>): SegmentDefinition {
  paths.set(node.id, path);
  const issue = (where: string, message: string) => issues.push({ nodeId: node.id, path: where, message });
  if (depth > MAX_DEPTH) issue(path, `is nested more than ${MAX_DEPTH} levels deep`);
  if (node.type === 'group') {
    const kids = node.children.map((c, i) =>
      convert(c, node.op === 'not' ? `${path}.not` : `${path}.${node.op}[${i}]`, depth + 1, issues, paths),
    );
    if (node.op === 'not') {
      if (kids.length !== 1) issue(`${path}.not`, kids.length === 0 ? 'needs one condition to negate' : `negates one condition, not ${kids.length}: put them in an "all of" or "any of" group`);
      return { not: kids[0] ?? {} };
    }
    if (kids.length === 0) issue(`${path}.${node.op}`, 'is empty: add a condition');
    return node.op === 'and' ? { and: kids } : { or: kids };
  }
  return convertPredicate(node.predicate, path, issue);
}

function convertPredicate(p: Predicate, path: string, issue: (where: string, message: string) => void): SegmentDefinition {
  const at = `${path}.${p.kind}`;
  const int = (name: string, text: string, min: number, max: number, what: string): number | undefined => {
    if (text.trim() === '') return undefined;
    const n = parseInt10(text);
    if (n === null) issue(`${at}.${name}`, `must be a whole number, not "${text}"`);
    else if (n < min || n > max) issue(`${at}.${name}`, `must be between ${min} and ${max}${what}, not ${n}`);
    return n ?? undefined;
  };
  const num = (name: string, text: string): number | undefined => {
    if (text.trim() === '') return undefined;
    const n = parseFloatText(text);
    if (n === null) issue(`${at}.${name}`, `must be a number, not "${text}"`);
    return n ?? undefined;
  };
  const list = (values: string[]) => values.map((v) => v.trim()).filter((v) => v !== '');
  switch (p.kind) {
    case 'profile': {
      const values = list(p.values);
      if (p.field.trim() === '') issue(`${at}.field`, 'choose a field');
      if (values.length === 0) issue(`${at}.values`, 'is missing: enter one or more values');
      else if ((p.op === 'eq' || p.op === 'prefix') && values.length !== 1) issue(`${at}.values`, `${p.op} takes exactly one value, got ${values.length}`);
      return { profile: { field: p.field, op: p.op, values } };
    }
    case 'age': {
      const min = int('min', p.min, 0, 150, ' years');
      const max = int('max', p.max, 0, 150, ' years');
      if (p.min.trim() === '' && p.max.trim() === '') issue(at, 'needs min, max or both');
      if (min !== undefined && max !== undefined && min > max) issue(at, `min ${min} is greater than max ${max}`);
      return { age: { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) } };
    }
    case 'identifier':
      if (p.type === '') issue(`${at}.type`, 'choose an identifier type');
      return { identifier: { type: p.type, present: p.present } };
    case 'consent':
      if (p.purpose === '') issue(`${at}.purpose`, 'choose a purpose');
      return { consent: { purpose: p.purpose, granted: p.granted } };
    case 'score': {
      const min = num('min', p.min);
      const max = num('max', p.max);
      if (p.field === '') issue(`${at}.field`, 'choose a score');
      if (p.min.trim() === '' && p.max.trim() === '') issue(at, 'needs min, max or both');
      if (min !== undefined && max !== undefined && min > max) issue(at, `min ${min} is greater than max ${max}`);
      return { score: { field: p.field, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) } };
    }
    case 'rfmSegments':
    case 'churnBands': {
      const values = list(p.values);
      if (values.length === 0) issue(at, 'is an empty list: pick at least one');
      return p.kind === 'rfmSegments' ? { rfmSegments: values } : { churnBands: values };
    }
    case 'purchased': {
      const category = p.category.trim();
      const sku = p.sku.trim();
      if (category !== '' && sku !== '') issue(at, 'sets both category and sku: name one, or neither for any purchase');
      const minTimes = int('minTimes', p.minTimes, 1, 10_000, '');
      const withinDays = int('withinDays', p.withinDays, 0, 36500, ' days (0 means ever)');
      return {
        purchased: {
          ...(category ? { category } : {}),
          ...(sku ? { sku } : {}),
          ...(minTimes !== undefined ? { minTimes } : {}),
          ...(withinDays !== undefined ? { withinDays } : {}),
        },
      };
    }
    case 'event': {
      if (p.type === '') issue(`${at}.type`, 'choose an event type');
      const minCount = int('minCount', p.minCount, 1, 10_000, '');
      const withinDays = int('withinDays', p.withinDays, 0, 36500, ' days (0 means ever)');
      if (p.absent && minCount !== undefined) issue(`${at}.minCount`, 'cannot be combined with "none at all"; negate a minimum for "fewer than"');
      return {
        event: {
          type: p.type,
          ...(minCount !== undefined && !p.absent ? { minCount } : {}),
          ...(withinDays !== undefined ? { withinDays } : {}),
          ...(p.absent ? { absent: true } : {}),
        },
      };
    }
    case 'nearDetractor': {
      const hops = int('hops', p.hops, 1, 3, ' ties');
      if (p.hops.trim() === '') issue(`${at}.hops`, 'must be 1, 2 or 3');
      return { nearDetractor: { hops: hops ?? 0 } };
    }
    case 'referredByInfluencer': {
      const topRank = int('topRank', p.topRank, 1, 1_000_000, '');
      if (p.topRank.trim() === '') issue(`${at}.topRank`, 'must be at least 1 (the most influential)');
      return { referredByInfluencer: { topRank: topRank ?? 0 } };
    }
    case 'inCommunity':
      if (p.id.trim() === '') issue(`${at}.id`, 'choose a community');
      return { inCommunity: { id: p.id.trim() } };
    case 'householdHighValue': {
      const minClv = num('minClv', p.minClv);
      if (p.minClv.trim() === '') issue(`${at}.minClv`, 'enter the lowest CLV');
      return { householdHighValue: { minClv: minClv ?? 0 } };
    }
  }
}

/** The node a server error's field path (definition.and[1].score.min) is about: the deepest whose path starts it. */
export function nodeForPath(paths: Map<string, string>, field: string): string | null {
  let best: { id: string; len: number } | null = null;
  for (const [id, p] of paths) {
    if ((field === p || field.startsWith(`${p}.`) || field.startsWith(`${p}[`)) && (!best || p.length > best.len)) best = { id, len: p.length };
  }
  return best?.id ?? null;
}

// ---- parsing a saved definition ------------------------------------------------------------

export class DefinitionParseError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'DefinitionParseError';
  }
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const strings = (v: unknown, path: string): string[] => {
  if (!Array.isArray(v)) throw new DefinitionParseError(path, 'is not a list');
  return v.map((x) => String(x));
};

/**
 * A saved definition (Segment.definition, JSON text or already parsed) as an editable tree.
 * The root is always a group: a definition that is one predicate, or a not, comes back
 * inside an "all of", which selects the same customers.
 */
export function fromDefinition(input: string | unknown): GroupNode {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new DefinitionParseError('definition', `is not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  const node = parseNode(value, 'definition');
  return node.type === 'group' && node.op !== 'not' ? node : group('and', [node]);
}

function parseNode(v: unknown, path: string): TreeNode {
  if (!isObject(v)) throw new DefinitionParseError(path, 'is not an object');
  const keys = Object.keys(v).filter((k) => v[k] !== null && v[k] !== undefined);
  if (keys.length !== 1) throw new DefinitionParseError(path, keys.length === 0 ? 'is empty' : `sets ${keys.join(' and ')}: a node holds exactly one`);
  const key = keys[0] as string;
  const body = v[key];
  const at = `${path}.${key}`;
  if (key === 'and' || key === 'or') {
    if (!Array.isArray(body)) throw new DefinitionParseError(at, 'is not a list');
    return group(key, body.map((c, i) => parseNode(c, `${at}[${i}]`)));
  }
  if (key === 'not') return group('not', [parseNode(body, at)]);
  if (key === 'rfmSegments' || key === 'churnBands') return predicateNode({ kind: key, values: strings(body, at) });
  if (!isObject(body)) throw new DefinitionParseError(at, 'is not an object');
  switch (key) {
    case 'profile':
      return predicateNode({ kind: 'profile', field: text(body.field), op: text(body.op) || 'eq', values: body.values === undefined ? [] : strings(body.values, `${at}.values`) });
    case 'age':
      return predicateNode({ kind: 'age', min: text(body.min), max: text(body.max) });
    case 'identifier':
      return predicateNode({ kind: 'identifier', type: text(body.type), present: body.present !== false });
    case 'consent':
      return predicateNode({ kind: 'consent', purpose: text(body.purpose), granted: body.granted !== false });
    case 'score':
      return predicateNode({ kind: 'score', field: text(body.field), min: text(body.min), max: text(body.max) });
    case 'purchased':
      return predicateNode({ kind: 'purchased', category: text(body.category), sku: text(body.sku), minTimes: text(body.minTimes), withinDays: text(body.withinDays) });
    case 'event':
      return predicateNode({ kind: 'event', type: text(body.type), minCount: text(body.minCount), withinDays: text(body.withinDays), absent: body.absent === true });
    case 'nearDetractor':
      return predicateNode({ kind: 'nearDetractor', hops: text(body.hops) });
    case 'referredByInfluencer':
      return predicateNode({ kind: 'referredByInfluencer', topRank: text(body.topRank) });
    case 'inCommunity':
      return predicateNode({ kind: 'inCommunity', id: text(body.id) });
    case 'householdHighValue':
      return predicateNode({ kind: 'householdHighValue', minClv: text(body.minClv) });
    default:
      throw new DefinitionParseError(at, `unknown condition "${key}"`);
  }
}

/** A stable text of a definition, for comparing what was previewed with what is on screen. */
export function definitionKey(def: SegmentDefinition | null): string {
  return def === null ? '' : JSON.stringify(def);
}

/** One line saying what a predicate selects, for the tree's collapsed view and titles. */
export function describePredicate(p: Predicate): string {
  switch (p.kind) {
    case 'profile':
      return `${p.field} ${p.op} ${p.values.join(', ')}`;
    case 'age':
      return `age ${p.min || '…'}–${p.max || '…'}`;
    case 'identifier':
      return `${p.present ? 'has' : 'lacks'} ${p.type}`;
    case 'consent':
      return `${p.purpose} ${p.granted ? 'granted' : 'not granted'}`;
    case 'score':
      return `${p.field} in [${p.min || '−∞'}, ${p.max || '∞'}]`;
    case 'rfmSegments':
    case 'churnBands':
      return p.values.join(' or ');
    case 'purchased':
      return `bought ${p.category || p.sku || 'anything'}`;
    case 'event':
      return `${p.absent ? 'no' : ''} ${p.type} events`.trim();
    case 'nearDetractor':
      return `within ${p.hops} ties of a detractor`;
    case 'referredByInfluencer':
      return `referred by a top-${p.topRank} influencer`;
    case 'inCommunity':
      return `community ${p.id}`;
    case 'householdHighValue':
      return `household CLV ≥ ${p.minClv}`;
  }
}
