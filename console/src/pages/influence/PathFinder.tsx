import { useEffect, useState } from 'react';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import type { InfluencePathQuery } from '../../gql/graphql';

type Steps = NonNullable<InfluencePathQuery['influencePath']>;

export interface PathFinderProps {
  from: string;
  to: string;
  onChange(patch: { from?: string; to?: string }): void;
  steps: Steps | null | undefined;
  pending: boolean;
  error: unknown;
  onPick(id: string): void;
}

/** The shortest chain of ties between two customers, drawn on the graph and listed here. */
export function PathFinder({ from, to, onChange, steps, pending, error, onPick }: PathFinderProps) {
  const [draft, setDraft] = useState({ from, to });
  useEffect(() => setDraft({ from, to }), [from, to]);
  const asked = from !== '' && to !== '';
  return (
    <section className="panel path-finder" data-testid="path-finder">
      <h2>Path between two customers</h2>
      <form
        className="path-form"
        onSubmit={(e) => {
          e.preventDefault();
          onChange({ from: draft.from.trim(), to: draft.to.trim() });
        }}
      >
        <input aria-label="From customer id" placeholder="from (customer id)" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} data-testid="path-from" />
        <input aria-label="To customer id" placeholder="to (customer id)" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} data-testid="path-to" />
        <button type="submit" className="primary" data-testid="path-submit">
          Find path
        </button>
        {asked ? (
          <button type="button" onClick={() => onChange({ from: '', to: '' })}>
            Clear
          </button>
        ) : null}
      </form>
      {!asked ? <p className="muted">Pick two customers (the node panel's “Path from / to here”, or paste ids).</p> : null}
      {asked && pending ? <Loading label="Searching ties…" /> : null}
      {asked && error ? <ErrorBox error={error} /> : null}
      {asked && !pending && !error && !steps ? (
        <p className="muted" data-testid="path-none">
          No chain of at most 4 ties joins them.
        </p>
      ) : null}
      {steps ? (
        <ol className="path-steps" data-testid="path-steps" data-count={steps.length}>
          {steps.map((s, i) => (
            <li key={`${s.customer.id}-${i}`} data-testid="path-step">
              <button type="button" className="link-button" onClick={() => onPick(s.customer.id)}>
                {s.customer.profile.fullName || s.customer.customerId}
              </button>
              {s.tie ? (
                <span className="muted">
                  {' '}
                  {s.direction === 'IN' ? `← ${s.tie} ←` : `→ ${s.tie} →`}
                </span>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
