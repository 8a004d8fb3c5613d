import { Link } from 'react-router';
import type { Customer360Query } from '../../gql/graphql';
import { pathTo } from '../../pages';
import { displayName } from './customerColumns';
import { Withheld } from './Withheld';

type C = NonNullable<Customer360Query['customer']>;

export function HouseholdPanel({ household: h, segments, segmentCount, self }: { household: C['household'] | null; segments: C['segments']; segmentCount: number; self: string }) {
  return (
    <section className="panel" data-testid="section-household">
      <h2>Segments ({segmentCount})</h2>
      {segments.length === 0 ? (
        <p className="muted">In no saved segment.</p>
      ) : (
        <ul className="tags">
          {segments.map((s) => (
            <li key={s.id}>
              <Link to={pathTo('segment', { id: s.id })}>{s.name}</Link>
            </li>
          ))}
        </ul>
      )}
      <h2>Household</h2>
      {h ? (
        <>
          <p>
            <Withheld value={h.addressLine1} /> · <Withheld value={h.postcode} /> {h.city} {h.country} — {h.size} {h.size === 1 ? 'person' : 'people'}
          </p>
          <ul className="plain-list">
            {h.members.map((m) => (
              <li key={m.id} data-testid="household-member">
                {m.customerId === self ? (
                  <strong>{displayName(m.profile)} (this customer)</strong>
                ) : (
                  <Link to={pathTo('customer', { id: m.customerId })}>{displayName(m.profile)}</Link>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">No household: no address shared with anyone.</p>
      )}
    </section>
  );
}
