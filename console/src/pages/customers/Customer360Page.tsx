import { Link, useParams } from 'react-router';
import { useApiQuery } from '../../api/hooks';
import { useSignedIn } from '../../auth/SessionContext';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { pathTo } from '../../pages';
import { ActionsPanel } from './ActionsPanel';
import { ConsentsPanel } from './ConsentsPanel';
import { Customer360Header } from './Customer360Header';
import { Customer360Query } from './customer360Queries';
import { HouseholdPanel } from './HouseholdPanel';
import { IdentifiersPanel } from './IdentifiersPanel';
import { IdentityHistoryPanel } from './IdentityHistoryPanel';
import { IdentityPicture } from './IdentityPicture';
import { ProfilePanel } from './ProfilePanel';
import { ScoresPanel } from './ScoresPanel';
import { TimelinePanel } from './TimelinePanel';

export default function Customer360Page() {
  const { id = '' } = useParams();
  const { viewer } = useSignedIn();
  const q = useApiQuery(Customer360Query, { id });
  const c = q.data?.customer;

  let body;
  if (q.isPending) body = <Loading label="Loading the customer…" />;
  else if (q.isError) body = <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  else if (!c)
    body = (
      <EmptyState title="No such customer">
        No customer has the id <code>{id}</code>; it may have been merged into another or erased. <Link to={pathTo('customers')}>Back to the list</Link>.
      </EmptyState>
    );
  else
    body = (
      <>
        <Customer360Header customer={c} />
        <div className="grid-360">
          <ProfilePanel profile={c.profile} provenance={c.provenance} />
          <ScoresPanel metrics={c.metrics ?? null} history={c.metricsHistory} />
          <IdentifiersPanel identifiers={c.identifiers} total={c.identifierCount} />
          <ActionsPanel actions={c.nextBestActions} recommendations={c.recommendations} />
          <ConsentsPanel current={c.consents} history={c.consentHistory} historyCount={c.consentHistoryCount} />
          <HouseholdPanel household={c.household ?? null} segments={c.segments} segmentCount={c.segmentCount} self={c.customerId} />
        </div>
        <TimelinePanel orders={c.orders} events={c.events} feedback={c.feedback} />
        <IdentityPicture customerId={c.customerId} isAdmin={viewer.role === 'ADMIN'} onChanged={() => void q.refetch()} />
        <IdentityHistoryPanel history={c.identityHistory} total={c.identityHistoryCount} />
      </>
    );

  return (
    <section className="page page-360" data-testid="page-customer360" data-ready={q.isPending ? 'false' : 'true'}>
      <p className="breadcrumb">
        <Link to={pathTo('customers')}>Customers</Link> › <span>{c?.customerId ?? id}</span>
      </p>
      {body}
    </section>
  );
}
