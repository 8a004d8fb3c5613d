import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Badge } from '../../components/Badge';
import type { ReviewQueueQuery, ReviewRecordFragment } from '../../gql/graphql';
import { formatNumber, formatPercent } from '../../lib/format';
import { pathTo } from '../../pages';
import { alignEvidence, log2Odds, type ProfileField } from './evidence';
import { WeightWaterfall } from './WeightWaterfall';

export type Pair = ReviewQueueQuery['reviewQueue']['nodes'][number];

const FIELD_LABELS: Record<ProfileField, string> = {
  givenName: 'Given name',
  familyName: 'Family name',
  fullName: 'Full name',
  email: 'Email',
  phone: 'Phone',
  birthDate: 'Birth date',
  gender: 'Gender',
  addressLine1: 'Address',
  addressLine2: 'Address 2',
  city: 'City',
  region: 'Region',
  postcode: 'Postcode',
  country: 'Country',
};

function Weight({ w }: { w: number }) {
  return <span className={w >= 0 ? 'weight-pos' : 'weight-neg'}>{w >= 0 ? '+' : ''}{formatNumber(w, undefined, 2)}</span>;
}

function RecordHead({ r }: { r: ReviewRecordFragment }) {
  return (
    <span>
      <Badge tone="info">{r.source}</Badge> <code>{r.sourceId}</code>
      {r.customer ? (
        <>
          {' '}
          → <Link to={pathTo('customer', { id: r.customer.id })}>{r.customer.customerId}</Link>
        </>
      ) : null}
    </span>
  );
}

/** One review pair: both records side by side with the evidence per field, and the waterfall of weights. */
export function PairCard({ pair, prior, actions }: { pair: Pair; prior: number | null; actions?: ReactNode }) {
  const a = pair.recordA;
  const b = pair.recordB;
  const rows = alignEvidence(pair.evidence).filter((r) => r.evidence.length > 0 || (r.field !== null && (a.profile[r.field] || b.profile[r.field])));
  const total = pair.evidence.reduce((s, e) => s + e.weight, 0);
  const ids = (r: ReviewRecordFragment) => r.identifiers.map((i) => `${i.type.toLowerCase()}: ${i.value}`).join('\n');
  return (
    <article className="panel pair" data-testid="review-pair" data-record-a={a.id} data-record-b={b.id}>
      <div className="pair-head">
        <h3>
          <RecordHead r={a} /> vs <RecordHead r={b} />
        </h3>
        <span>
          <Badge tone={pair.probability >= 0.5 ? 'warn' : 'neutral'} title="Posterior probability that the two records are one person">
            {formatPercent(pair.probability)} same person
          </Badge>
          {actions}
        </span>
      </div>
      <div className="pair-grid">
        <table>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">{a.source}</th>
              <th scope="col">{b.source}</th>
              <th scope="col">Evidence</th>
              <th scope="col" className="num">Weight (bits)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const va = r.field ? (a.profile[r.field] ?? '') : '';
              const vb = r.field ? (b.profile[r.field] ?? '') : '';
              const w = r.evidence.reduce((s, e) => s + e.weight, 0);
              const tone = r.evidence.length === 0 ? '' : w > 0 ? 'agree' : w < 0 ? 'differ' : '';
              return (
                <tr key={r.field ?? `x${i}`}>
                  <th scope="row">{r.field ? FIELD_LABELS[r.field] : (r.evidence[0]?.field ?? '')}</th>
                  <td className={tone}>{va}</td>
                  <td className={tone}>{vb}</td>
                  <td>
                    {r.evidence.map((e) => (
                      <div key={e.field} className="evidence-line">
                        {e.field} <strong>{e.level}</strong> {formatPercent(e.similarity, undefined, 0)} <Weight w={e.weight} />
                      </div>
                    ))}
                  </td>
                  <td className="num">{r.evidence.length ? <Weight w={w} /> : ''}</td>
                </tr>
              );
            })}
            <tr>
              <th scope="row">Identifiers</th>
              <td className="pre">{ids(a)}</td>
              <td className="pre">{ids(b)}</td>
              <td />
              <td />
            </tr>
            <tr>
              <th scope="row">Total</th>
              <td colSpan={3}>
                {prior !== null ? `prior ${formatNumber(log2Odds(prior), undefined, 2)} bits + evidence ` : 'evidence '}
                <Weight w={total} /> → {formatPercent(pair.probability)}
              </td>
              <td className="num">
                <Weight w={total} />
              </td>
            </tr>
          </tbody>
        </table>
        <WeightWaterfall prior={prior} evidence={pair.evidence} probability={pair.probability} />
      </div>
    </article>
  );
}
