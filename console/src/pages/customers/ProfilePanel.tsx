import type { Customer360Query } from '../../gql/graphql';
import { Withheld } from './Withheld';

type C = NonNullable<Customer360Query['customer']>;

export const PROFILE_FIELDS: readonly { key: keyof C['profile']; label: string }[] = [
  { key: 'givenName', label: 'Given name' },
  { key: 'familyName', label: 'Family name' },
  { key: 'fullName', label: 'Full name' },
  { key: 'email', label: 'Email' },
  { key: 'phone', label: 'Phone' },
  { key: 'birthDate', label: 'Birth date' },
  { key: 'gender', label: 'Gender' },
  { key: 'addressLine1', label: 'Address' },
  { key: 'addressLine2', label: 'Address (2)' },
  { key: 'postcode', label: 'Postcode' },
  { key: 'city', label: 'City' },
  { key: 'region', label: 'Region' },
  { key: 'country', label: 'Country' },
];

/** The golden record, each field with the source record that supplied it. */
export function ProfilePanel({ profile, provenance }: { profile: C['profile']; provenance: C['provenance'] }) {
  const from = new Map(provenance.map((p) => [p.field, p]));
  return (
    <section className="panel" data-testid="section-profile">
      <h2>Golden profile</h2>
      <table className="kv profile-kv">
        <tbody>
          {PROFILE_FIELDS.map(({ key, label }) => {
            const p = from.get(key);
            return (
              <tr key={key}>
                <th scope="row">{label}</th>
                <td data-testid={`profile-${key}`}>
                  <Withheld value={profile[key]} />
                </td>
                <td className="muted provenance" title={p ? `${p.source}:${p.sourceId}` : undefined}>
                  {p ? `${p.source}:${p.sourceId}` : ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
