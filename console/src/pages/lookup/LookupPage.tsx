import { useState } from 'react';
import { useApiQuery } from '../../api/hooks';
import { ROLE_LABELS } from '../../auth/roles';
import { useSignedIn } from '../../auth/SessionContext';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import type { IdentifierType, LookupCustomerFragment } from '../../gql/graphql';
import { param } from '../../lib/url';
import { useUrlState } from '../../lib/useUrlState';
import { LookupByIdentifierQuery, LookupByIdQuery } from './lookupQueries';
import { LookupResult } from './LookupResult';

export const IDENTIFIER_TYPES = ['EMAIL', 'PHONE', 'LOYALTY_ID', 'SOCIAL_HANDLE', 'EXTERNAL_ID', 'DEVICE_ID', 'COOKIE_ID'] as const satisfies readonly IdentifierType[];

// The customer id may sit in the URL (it is not personal data); an identifier value (an
// email, a phone) stays in the page's memory so it lands in no history or server log.
const spec = { id: param.string() };

type Search = { by: 'id'; id: string } | { by: 'identifier'; type: IdentifierType; value: string };

export default function LookupPage() {
  const { viewer } = useSignedIn();
  const { values, set } = useUrlState(spec);
  const [mode, setMode] = useState<'id' | 'identifier'>('id');
  const [idDraft, setIdDraft] = useState(values.id);
  const [type, setType] = useState<IdentifierType>('EMAIL');
  const [value, setValue] = useState('');
  const [byIdentifier, setByIdentifier] = useState<{ type: IdentifierType; value: string } | null>(null);
  const search: Search | null = byIdentifier ? { by: 'identifier', ...byIdentifier } : values.id ? { by: 'id', id: values.id } : null;
  const roleVars = { frontend: viewer.role === 'FRONTEND', partner: viewer.role === 'PARTNER' };

  const qId = useApiQuery(LookupByIdQuery, { id: search?.by === 'id' ? search.id : '', ...roleVars }, { enabled: search?.by === 'id' });
  const qIdf = useApiQuery(
    LookupByIdentifierQuery,
    { type: search?.by === 'identifier' ? search.type : 'EMAIL', value: search?.by === 'identifier' ? search.value : '', ...roleVars },
    { enabled: search?.by === 'identifier' },
  );
  const q = search?.by === 'identifier' ? qIdf : qId;
  const customer: LookupCustomerFragment | null | undefined =
    search?.by === 'identifier' ? qIdf.data?.customerByIdentifier : qId.data?.customer;
  const ready = search === null || !q.isPending;

  return (
    <section className="page" data-testid="page-lookup" data-ready={ready ? 'true' : 'false'}>
      <h1>Lookup</h1>
      <p className="lead">
        Find one customer and see exactly what this key ({ROLE_LABELS[viewer.role]}
        {viewer.partner ? ` for ${viewer.partner}` : ''}) may read of them.{' '}
        {viewer.role === 'PARTNER'
          ? 'Only customers who consented to sharing with your company are found; personal data outside your contract is withheld.'
          : `Only customers known to your app's sources (${viewer.sources.join(', ') || 'none'}) are found.`}
      </p>
      <form
        className="filter-bar panel"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (mode === 'id') {
            setByIdentifier(null);
            set({ id: idDraft.trim() });
          } else if (value.trim()) {
            set({ id: '' });
            setByIdentifier({ type, value: value.trim() });
          }
        }}
      >
        <fieldset className="field">
          <legend>Find by</legend>
          <label className="check">
            <input type="radio" name="by" data-testid="lookup-by-id" checked={mode === 'id'} onChange={() => setMode('id')} /> customer id
          </label>
          <label className="check">
            <input type="radio" name="by" data-testid="lookup-by-identifier" checked={mode === 'identifier'} onChange={() => setMode('identifier')} /> identifier
          </label>
        </fieldset>
        {mode === 'id' ? (
          <label className="field grow">
            Customer id
            <input data-testid="lookup-id" placeholder="cus_…" value={idDraft} onChange={(e) => setIdDraft(e.target.value)} />
          </label>
        ) : (
          <>
            <label className="field">
              Type
              <select data-testid="lookup-type" value={type} onChange={(e) => setType(e.target.value as IdentifierType)}>
                {IDENTIFIER_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t.toLowerCase().replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            </label>
            <label className="field grow">
              Value
              <input data-testid="lookup-value" placeholder="any case or format; the API normalizes it" value={value} onChange={(e) => setValue(e.target.value)} />
            </label>
          </>
        )}
        <button type="submit" className="primary" data-testid="lookup-submit">
          Find
        </button>
      </form>
      {search === null ? (
        <EmptyState title="Nobody looked up yet">Enter a customer id, or pick an identifier type and type its value.</EmptyState>
      ) : q.isPending ? (
        <Loading label="Looking up…" />
      ) : q.isError ? (
        <ErrorBox error={q.error} onRetry={() => void q.refetch()} />
      ) : customer ? (
        <LookupResult customer={customer} role={viewer.role} />
      ) : (
        <div data-testid="lookup-none">
          <EmptyState title="No customer found for this key">
            {viewer.role === 'PARTNER'
              ? 'Nobody has this id or identifier, or they have not consented to sharing with your company.'
              : "Nobody has this id or identifier among your app's customers."}
          </EmptyState>
        </div>
      )}
    </section>
  );
}
