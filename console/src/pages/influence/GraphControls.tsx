import { TIE_TYPES } from './graphModel';

export interface GraphFilters {
  hops: number;
  maxNodes: number;
  types: string[];
  since: string;
}

const MAX_NODES = [50, 100, 200, 350, 500];

/** Hops, node cap, tie types and the tie-date filter; every change is a new neighbourhood query. */
export function GraphControls({
  value,
  tieTypes,
  dateRange,
  onChange,
}: {
  value: GraphFilters;
  tieTypes: readonly string[];
  dateRange: { min: string; max: string } | null;
  onChange(patch: Partial<GraphFilters>): void;
}) {
  const all = tieTypes.length ? tieTypes : TIE_TYPES;
  const active = value.types.length ? value.types : all;
  const toggle = (t: string) => {
    const next = active.includes(t) ? active.filter((x) => x !== t) : [...active, t];
    // All types selected is the default (no filter); none selected would draw nothing.
    onChange({ types: next.length === all.length || next.length === 0 ? [] : next });
  };
  return (
    <div className="graph-controls" data-testid="graph-controls">
      <label className="inline-field">
        hops
        <select value={value.hops} onChange={(e) => onChange({ hops: Number(e.target.value) })} data-testid="graph-hops">
          {[1, 2, 3].map((h) => (
            <option key={h} value={h}>
              {h}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        max nodes
        <select value={value.maxNodes} onChange={(e) => onChange({ maxNodes: Number(e.target.value) })} data-testid="graph-max-nodes">
          {[...new Set([...MAX_NODES, value.maxNodes])].sort((a, b) => a - b).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="tie-types">
        <legend>ties</legend>
        {all.map((t) => (
          <label key={t}>
            <input type="checkbox" checked={active.includes(t)} onChange={() => toggle(t)} data-testid={`tie-type-${t}`} /> {t}
          </label>
        ))}
      </fieldset>
      <label className="inline-field" title={dateRange ? `ties in view dated ${dateRange.min} to ${dateRange.max}` : 'no tie in view is dated'}>
        seen since
        <input type="date" value={value.since} min={dateRange?.min} max={dateRange?.max} onChange={(e) => onChange({ since: e.target.value })} data-testid="graph-since" />
        {value.since ? (
          <button type="button" className="link-button" onClick={() => onChange({ since: '' })}>
            any time
          </button>
        ) : null}
      </label>
    </div>
  );
}
