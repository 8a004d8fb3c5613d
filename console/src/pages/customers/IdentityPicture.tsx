import { useCallback, useMemo, useState } from 'react';
import { useApiQuery } from '../../api/hooks';
import { ErrorBox } from '../../components/ErrorBox';
import { GraphView, type EdgeLook, type ElementData, type NodeLook } from '../../components/GraphView';
import { Loading } from '../../components/Loading';
import { CustomerIdentityQuery } from './customer360Queries';
import { ExplainMatchPanel } from './ExplainMatchPanel';
import { buildIdentityGraph, recordLabel, togglePick } from './identityGraph';
import { IdentityAdminActions } from './IdentityAdminActions';
import { Withheld } from './Withheld';

const SOURCE_COLOURS = ['#3552d4', '#177245', '#b5470b', '#7a3fb8', '#0f7c8c', '#a31d5c', '#5b6b00'];

function sourceColour(source: string): string {
  let h = 0;
  for (const ch of source) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return SOURCE_COLOURS[h % SOURCE_COLOURS.length] ?? '#3552d4';
}

const EDGE_LOOKS: Record<string, EdgeLook> = {
  has: { color: '#c3c9d5', width: 1 },
  matched: { color: '#3552d4', width: 2.5, lineStyle: 'dashed' },
  same_person: { color: '#177245', width: 3 },
  not_same_person: { color: '#b42318', width: 2.5, lineStyle: 'dotted' },
};

export function IdentityPicture({ customerId, isAdmin, onChanged }: { customerId: string; isAdmin: boolean; onChanged(): void }) {
  const q = useApiQuery(CustomerIdentityQuery, { id: customerId });
  const [picked, setPicked] = useState<string[]>([]);
  const c = q.data?.customer;
  const graph = useMemo(() => (c ? buildIdentityGraph(c.sourceRecords, c.recordLinks) : null), [c]);
  const pick = useCallback((id: string) => setPicked((p) => togglePick(p, id)), []);

  const nodeLook = useCallback(
    (d: ElementData): NodeLook => {
      const chosen = picked.includes(d.id);
      if (d.kind === 'record') {
        return {
          shape: 'round-rectangle',
          size: 30,
          color: d.outside ? '#ffffff' : sourceColour(String(d.source)),
          label: String(d.label) + (d.outside ? ` (${String(d.otherCustomerId ?? 'other customer')})` : ''),
          borderColor: chosen ? '#f59e0b' : d.outside ? '#b42318' : '#ffffff',
          borderWidth: chosen ? 5 : d.outside ? 2 : 1,
        };
      }
      return { shape: 'diamond', size: d.shared ? 16 : 10, color: d.shared ? '#f59e0b' : '#a3adc2', label: d.shared ? String(d.label) : '' };
    },
    [picked],
  );
  const edgeLook = useCallback((d: ElementData): EdgeLook => {
    const look = EDGE_LOOKS[String(d.kind)] ?? {};
    const p = typeof d.probability === 'number' ? ` ${Math.round(d.probability * 100)}%` : '';
    return d.kind === 'has' ? look : { ...look, label: String(d.kind).replace(/_/g, ' ') + p };
  }, []);

  if (q.isPending) return <section className="panel"><h2>Identity picture</h2><Loading label="Loading source records…" /></section>;
  if (q.isError || !c || !graph)
    return (
      <section className="panel">
        <h2>Identity picture</h2>
        <ErrorBox error={q.error ?? new Error('the customer is gone')} onRetry={() => void q.refetch()} />
      </section>
    );
  const byId = new Map(c.sourceRecords.map((r) => [r.id, r]));
  const label = (id: string) => {
    const r = byId.get(id);
    const el = graph.elements.find((e) => e.data.id === id);
    return r ? recordLabel(r) : String(el?.data.label ?? id);
  };

  return (
    <section className="panel" data-testid="section-identity">
      <h2>Identity picture</h2>
      <p className="muted">
        {c.recordCount} source records, {graph.identifiers} identifiers ({graph.sharedIdentifiers} shared, in orange), {graph.links} direct links. Click two records (or tick
        them below) to see why they are one customer.
      </p>
      <ul className="legend">
        <li><span className="swatch swatch-shared" /> shared identifier</li>
        <li><span className="line line-matched" /> probabilistic match</li>
        <li><span className="line line-same" /> analyst: same person</li>
        <li><span className="line line-not" /> analyst: not the same person</li>
        <li><span className="swatch swatch-outside" /> record of another customer</li>
      </ul>
      <div className="identity-layout">
        <div data-testid="identity-graph" data-nodes={graph.elements.filter((e) => e.group === 'nodes').length} data-records={graph.records} data-edges={graph.elements.filter((e) => e.group === 'edges').length}>
          <GraphView
            elements={graph.elements}
            nodeLook={nodeLook}
            edgeLook={edgeLook}
            onTapNode={(d) => d.kind === 'record' && pick(d.id)}
            height={460}
            ariaLabel={`Identity graph: ${graph.records} records and ${graph.identifiers} identifiers`}
          />
        </div>
        <div className="identity-side">
          <table className="records">
            <thead>
              <tr>
                <th />
                <th>Record</th>
                <th>Name / email</th>
                <th>Ids</th>
              </tr>
            </thead>
            <tbody>
              {c.sourceRecords.map((r) => (
                <tr key={r.id} className={picked.includes(r.id) ? 'picked' : undefined}>
                  <td>
                    <input type="checkbox" data-testid="record-pick" data-record={r.id} aria-label={`Pick ${recordLabel(r)}`} checked={picked.includes(r.id)} onChange={() => pick(r.id)} />
                  </td>
                  <td>
                    <code>{recordLabel(r)}</code> {r.placeholder ? <span className="muted">(placeholder)</span> : null}
                  </td>
                  <td>
                    <Withheld value={r.profile.fullName} />
                    <br />
                    <Withheld value={r.profile.email} />
                  </td>
                  <td className="num">{r.identifiers.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {picked.length === 2 && picked[0] && picked[1] ? (
            <ExplainMatchPanel a={picked[0]} b={picked[1]} label={label} />
          ) : (
            <p className="hint">{picked.length === 1 ? 'Pick one more record.' : 'Pick two records to explain their match.'}</p>
          )}
          {isAdmin ? <IdentityAdminActions customerId={customerId} picked={picked} label={label} onDone={() => { setPicked([]); void q.refetch(); onChanged(); }} /> : null}
        </div>
      </div>
    </section>
  );
}
