// The identity picture as graph elements: the customer's source records, their identifiers
// (an identifier two records share is one node both link to, so sharing shows as a path),
// and the direct links between records (matches and analysts' decisions), including links
// to records kept apart in other customers.
import type { ElementDefinition } from 'cytoscape';
import type { CustomerIdentityQuery } from '../../gql/graphql';

type C = NonNullable<CustomerIdentityQuery['customer']>;
export type IdentityRecord = C['sourceRecords'][number];
export type IdentityLink = C['recordLinks'][number];

export interface RecordNodeData {
  id: string;
  kind: 'record';
  label: string;
  source: string;
  placeholder: boolean;
  /** In another customer (reached by a link, e.g. a not-the-same-person decision). */
  outside: boolean;
  otherCustomerId: string | null;
  [k: string]: unknown;
}

export interface IdentifierNodeData {
  id: string;
  kind: 'identifier';
  label: string;
  /** Held by more than one of the records: the identifier joins them. */
  shared: boolean;
  records: number;
  [k: string]: unknown;
}

export interface EdgeData {
  id: string;
  source: string;
  target: string;
  /** has (record holds identifier), or the link's kind: matched, same_person, not_same_person. */
  kind: string;
  probability: number | null;
  reason: string | null;
  [k: string]: unknown;
}

export interface IdentityGraph {
  elements: ElementDefinition[];
  records: number;
  identifiers: number;
  sharedIdentifiers: number;
  links: number;
}

export function recordLabel(r: { source: string; sourceId: string }): string {
  return `${r.source}:${r.sourceId}`;
}

function identifierId(i: { type: string; value: string }): string {
  return `idf:${i.type}:${i.value}`;
}

export function buildIdentityGraph(records: readonly IdentityRecord[], links: readonly IdentityLink[]): IdentityGraph {
  const nodes = new Map<string, RecordNodeData | IdentifierNodeData>();
  const edges = new Map<string, EdgeData>();
  const holders = new Map<string, Set<string>>();

  for (const r of records) {
    nodes.set(r.id, { id: r.id, kind: 'record', label: recordLabel(r), source: r.source, placeholder: r.placeholder, outside: false, otherCustomerId: null });
  }
  for (const r of records) {
    for (const i of r.identifiers) {
      const id = identifierId(i);
      const set = holders.get(id) ?? new Set<string>();
      set.add(r.id);
      holders.set(id, set);
      if (!nodes.has(id)) nodes.set(id, { id, kind: 'identifier', label: `${i.type.toLowerCase()} ${i.value}`, shared: false, records: 0 });
      const edgeId = `has:${r.id}:${id}`;
      edges.set(edgeId, { id: edgeId, source: r.id, target: id, kind: 'has', probability: null, reason: null });
    }
  }
  let shared = 0;
  for (const [id, set] of holders) {
    const n = nodes.get(id);
    if (n?.kind === 'identifier') {
      n.records = set.size;
      n.shared = set.size > 1;
      if (n.shared) shared++;
    }
  }

  let linkCount = 0;
  for (const l of links) {
    for (const end of [l.from, l.to]) {
      if (!nodes.has(end.id)) {
        nodes.set(end.id, {
          id: end.id,
          kind: 'record',
          label: recordLabel(end),
          source: end.source,
          placeholder: false,
          outside: true,
          otherCustomerId: end.customer?.customerId ?? null,
        });
      }
    }
    const id = `link:${l.kind}:${l.from.id}:${l.to.id}`;
    if (edges.has(id)) continue;
    edges.set(id, { id, source: l.from.id, target: l.to.id, kind: l.kind, probability: l.probability ?? null, reason: l.reason ?? null });
    linkCount++;
  }

  return {
    elements: [...[...nodes.values()].map((data) => ({ data, group: 'nodes' as const })), ...[...edges.values()].map((data) => ({ data, group: 'edges' as const }))],
    records: [...nodes.values()].filter((n) => n.kind === 'record').length,
    identifiers: holders.size,
    sharedIdentifiers: shared,
    links: linkCount,
  };
}

/** Toggle a record in a pick of at most two: a third pick replaces the older one. */
export function togglePick(picked: readonly string[], id: string): string[] {
  if (picked.includes(id)) return picked.filter((p) => p !== id);
  return [...picked, id].slice(-2);
}
