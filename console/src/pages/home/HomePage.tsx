import { Link } from 'react-router';
import { useApiQuery } from '../../api/hooks';
import { ROLE_LABELS } from '../../auth/roles';
import { useSignedIn } from '../../auth/SessionContext';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { graphql } from '../../gql';
import { formatCount, formatDate, formatRelativeDays } from '../../lib/format';
import { pagesFor } from '../../pages';

const HomeOverviewQuery = graphql(`
  query HomeOverview {
    scoringModel {
      asOf
      customers
      buyers
      currency
    }
    segmentCount
  }
`);

const BLURBS: Partial<Record<string, string>> = {
  customers: 'Search and filter every customer; open one for the 360 view.',
  lookup: 'Find a customer by id or identifier and see what your key may see.',
  loyalty: 'RFM grid, churn risk, lifetime value, cohorts and the model behind them.',
  influence: 'Influencers, communities and the social graph around any customer.',
  segments: 'Build, preview, save and export segments.',
  identity: 'Review match candidates and flagged identifiers.',
  audit: 'Administrative actions and partner access to personal data.',
};

export default function HomePage() {
  const { viewer } = useSignedIn();
  const analytics = viewer.role === 'ADMIN' || viewer.role === 'ANALYST';
  const pages = pagesFor(viewer.role).filter((p) => p.inNav && p.id !== 'home');
  return (
    <section className="page" data-testid="page-home">
      <h1>Overview</h1>
      <p className="lead">
        Signed in as {ROLE_LABELS[viewer.role]}
        {viewer.partner ? ` for partner ${viewer.partner}` : ''}.{' '}
        {viewer.rawPersonalData ? 'Personal data is shown as stored.' : 'Personal data is pseudonymized or withheld for this key.'}
      </p>
      {analytics ? <Headline /> : null}
      <ul className="card-grid">
        {pages.map((p) => (
          <li key={p.id} className="card">
            <Link to={p.path}>
              <h2>{p.title}</h2>
              <p>{BLURBS[p.id] ?? ''}</p>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Headline() {
  const q = useApiQuery(HomeOverviewQuery, {});
  if (q.isPending) return <Loading label="Loading figures…" />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const m = q.data.scoringModel;
  return (
    <dl className="stats">
      <div>
        <dt>Customers</dt>
        <dd>{formatCount(m?.customers)}</dd>
      </div>
      <div>
        <dt>Buyers</dt>
        <dd>{formatCount(m?.buyers)}</dd>
      </div>
      <div>
        <dt>Segments</dt>
        <dd>{formatCount(q.data.segmentCount)}</dd>
      </div>
      <div>
        <dt>Scores as of</dt>
        <dd title={m?.asOf}>{m ? `${formatDate(m.asOf)} (${formatRelativeDays(m.asOf)})` : 'not scored yet'}</dd>
      </div>
    </dl>
  );
}
