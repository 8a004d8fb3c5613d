import { useEffect, useState } from 'react';
import { activeFilterCount, amountDraft, CHURN_BANDS, rfmScore, type ListValues } from './listState';

export interface CustomerFiltersProps {
  values: ListValues;
  set(patch: Partial<ListValues>): void;
  rfmSegments: readonly string[];
  sources: readonly string[];
  segments: readonly { id: string; name: string }[];
  /** The key may look customers up by personal data (the server refuses it otherwise). */
  canSearch: boolean;
  /** Open a customer by id (what a key without the grant can do in the search box). */
  onOpenId(id: string): void;
}

const DEBOUNCE_MS = 350;

/** A text that is written to the URL once typing pauses (one request per pause, not per key). */
function useDebounced(value: string, commit: (v: string) => void) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  useEffect(() => {
    if (draft === value) return;
    const t = setTimeout(() => commit(draft), DEBOUNCE_MS);
    return () => clearTimeout(t);
    // commit is a fresh closure each render; the draft and the committed value decide.
  }, [draft, value]);
  return [draft, setDraft] as const;
}

export function CustomerFilters({ values, set, rfmSegments, sources, segments, canSearch, onOpenId }: CustomerFiltersProps) {
  const [search, setSearch] = useDebounced(values.q, (q) => canSearch && set({ q }));
  const [openId, setOpenId] = useState('');
  // Only a whole number (or an empty box) reaches the URL: a draft like "1." or "1e" stays in
  // the box as typed instead of being committed and rewritten.
  const commitAmount = (key: 'clvMin' | 'clvMax') => (draft: string) => {
    const n = amountDraft(draft);
    if (n !== undefined && n !== values[key]) set({ [key]: n });
  };
  const [clvMin, setClvMin] = useDebounced(values.clvMin === null ? '' : String(values.clvMin), commitAmount('clvMin'));
  const [clvMax, setClvMax] = useDebounced(values.clvMax === null ? '' : String(values.clvMax), commitAmount('clvMax'));
  const r = rfmScore(values.rfmR);
  const f = rfmScore(values.rfmF);
  const toggleBand = (band: string) =>
    set({ churn: values.churn.includes(band) ? values.churn.filter((b) => b !== band) : [...values.churn, band] });
  const count = activeFilterCount(values);
  // A saved value no longer offered (a deleted segment) still shows, so the URL stays honest.
  const segmentKnown = !values.segment || segments.some((s) => s.id === values.segment);

  return (
    <form
      className="filter-bar panel"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (!canSearch && openId.trim()) onOpenId(openId.trim());
      }}
    >
      {canSearch ? (
        <label className="field grow">
          Search
          <input
            type="search"
            data-testid="customers-search"
            placeholder="Name prefix, email or phone"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
      ) : (
        <label className="field grow">
          Open a customer by id
          <input data-testid="customers-open-id" placeholder="cus_… then Enter" value={openId} onChange={(e) => setOpenId(e.target.value)} />
          <span className="hint" data-testid="search-needs-grant">
            Searching by name, email or phone needs a key with the personal-data grant (it would tie pseudonyms to people).
          </span>
        </label>
      )}
      <label className="field">
        RFM segment
        <select data-testid="filter-rfm-segment" value={values.rfmSegment} onChange={(e) => set({ rfmSegment: e.target.value })}>
          <option value="">Any</option>
          {rfmSegments.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
          {values.rfmSegment && !rfmSegments.includes(values.rfmSegment) ? <option value={values.rfmSegment}>{values.rfmSegment}</option> : null}
        </select>
      </label>
      <fieldset className="field band-picker">
        <legend>Churn band</legend>
        {CHURN_BANDS.map((b) => (
          <label key={b} className="check">
            <input type="checkbox" data-testid={`filter-churn-${b}`} checked={values.churn.includes(b)} onChange={() => toggleBand(b)} />
            {b.toLowerCase()}
          </label>
        ))}
      </fieldset>
      {/* Text boxes: a number box reports "" for a partial number, which would read as "no bound". */}
      <label className="field narrow">
        CLV from
        <input
          type="text"
          inputMode="decimal"
          data-testid="filter-clv-min"
          value={clvMin}
          aria-invalid={amountDraft(clvMin) === undefined}
          onChange={(e) => setClvMin(e.target.value)}
        />
      </label>
      <label className="field narrow">
        CLV to
        <input
          type="text"
          inputMode="decimal"
          data-testid="filter-clv-max"
          value={clvMax}
          aria-invalid={amountDraft(clvMax) === undefined}
          onChange={(e) => setClvMax(e.target.value)}
        />
      </label>
      <label className="field">
        Source
        <select data-testid="filter-source" value={values.source} onChange={(e) => set({ source: e.target.value })}>
          <option value="">Any</option>
          {sources.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
          {values.source && !sources.includes(values.source) ? <option value={values.source}>{values.source}</option> : null}
        </select>
      </label>
      <label className="field">
        Segment
        <select data-testid="filter-segment" value={values.segment} onChange={(e) => set({ segment: e.target.value })}>
          <option value="">Any</option>
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
          {segmentKnown ? null : <option value={values.segment}>{values.segment}</option>}
        </select>
      </label>
      <div className="chips">
        {r !== null || f !== null ? (
          <span className="chip" data-testid="chip-rfm">
            RFM cell {r !== null ? `R${r}` : ''}
            {f !== null ? ` F${f}` : ''}
            <button type="button" aria-label="Remove the RFM cell filter" data-testid="chip-rfm-remove" onClick={() => set({ rfmR: null, rfmF: null })}>
              ×
            </button>
          </span>
        ) : null}
        {count > 0 ? (
          <button
            type="button"
            className="link-button"
            onClick={() => set({ rfmSegment: '', churn: [], clvMin: null, clvMax: null, source: '', segment: '', rfmR: null, rfmF: null })}
          >
            Clear {count === 1 ? 'filter' : `${count} filters`}
          </button>
        ) : null}
      </div>
    </form>
  );
}
