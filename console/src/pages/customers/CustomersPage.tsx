import { useNavigate } from 'react-router';
import { request } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { useSignedIn } from '../../auth/SessionContext';
import { DataTable } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { Pager } from '../../components/Pager';
import { graphql } from '../../gql';
import { exportAllPages } from '../../lib/exportPages';
import { formatCount } from '../../lib/format';
import { useUrlState } from '../../lib/useUrlState';
import { pathTo } from '../../pages';
import { useVocabulary } from '../segments/vocabulary';
import { CustomerFilters } from './CustomerFilters';
import { customerColumns } from './customerColumns';
import { listSpec, PAGE_SIZE, toFilter, toOrder, type SortKey } from './listState';

// One request per view: the page of customers with their scores. The values the filters
// offer (vocabulary, saved segments) come from the shared, long-cached vocabulary query, so a
// filter or page change does not fetch them again and their failure does not blank the list.
export const CustomersListQuery = graphql(`
  query CustomersList($filter: CustomerFilter, $orderBy: CustomerOrder, $first: Int!, $after: String) {
    customers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        customerId
        profile {
          fullName
          givenName
          familyName
          email
          city
          country
        }
        sources
        metrics {
          churnBand
          churnRisk
          clv
          loyalty
          revenue
          rfm {
            r
            f
            segment
          }
        }
      }
    }
  }
`);

export default function CustomersPage() {
  const { viewer } = useSignedIn();
  const navigate = useNavigate();
  const { values, set, cursor, goNext, goPrevious } = useUrlState(listSpec);
  const vars = {
    // Searching by name, email or phone is a lookup by personal data: only keys with the grant.
    filter: toFilter(viewer.rawPersonalData ? values : { ...values, q: '' }),
    orderBy: toOrder(values.sort, viewer.rawPersonalData),
    first: PAGE_SIZE,
    after: cursor.after,
  };
  // Keep the last page on screen while the next loads, so the filter bar does not jump.
  const q = useApiQuery(CustomersListQuery, vars, { placeholderData: (prev) => prev });
  const voc = useVocabulary();
  const data = q.data;
  const ready = !q.isPending && !q.isPlaceholderData;
  const columns = customerColumns({ nameSortable: viewer.rawPersonalData });

  return (
    <section className="page" data-testid="page-customers" data-ready={ready ? 'true' : 'false'}>
      <h1>Customers</h1>
      <p className="lead">
        {data ? (
          <>
            <strong data-testid="customers-total">{formatCount(data.customers.totalCount)}</strong>{' '}
            {data.customers.totalCount === 1 ? 'customer matches' : 'customers match'}.
          </>
        ) : (
          'Search and filter every customer; open one for the 360 view.'
        )}{' '}
        {viewer.rawPersonalData ? '' : 'Personal data shows as pseudonyms (anon_…) for this key.'}
      </p>
      <CustomerFilters
        values={values}
        set={set}
        canSearch={viewer.rawPersonalData}
        onOpenId={(id) => void navigate(pathTo('customer', { id }))}
        rfmSegments={voc.vocab?.rfmSegments ?? []}
        sources={voc.vocab?.sources ?? []}
        segments={voc.vocab?.segments ?? []}
      />
      {voc.error ? <ErrorBox error={voc.error} title="The filters' values could not be loaded" onRetry={() => void voc.refetch()} /> : null}
      {q.isError ? <ErrorBox error={q.error} onRetry={() => void q.refetch()} /> : null}
      {q.isPending ? <Loading label="Loading customers…" /> : null}
      {data ? (
        <div className={q.isPlaceholderData ? 'stale' : undefined}>
          <DataTable
            rows={data.customers.nodes}
            columns={columns}
            rowKey={(c) => c.id}
            caption="Customers"
            sort={values.sort}
            onSortChange={(s) => set({ sort: { key: s.key as SortKey, dir: s.dir } })}
            // Export every customer the filters select (page by page, up to the export cap), not this page.
            exportRows={() =>
              exportAllPages(async (first, after) => (await request(CustomersListQuery, { ...vars, first, after })).customers)
            }
            onRowClick={(c) => void navigate(pathTo('customer', { id: c.customerId }))}
            empty={
              <EmptyState title="No customer matches">
                Loosen a filter or clear the search. The search takes a name prefix, or a whole email or phone number.
              </EmptyState>
            }
            footer={
              <Pager
                pageIndex={cursor.pageIndex}
                pageSize={PAGE_SIZE}
                rowCount={data.customers.nodes.length}
                totalCount={data.customers.totalCount}
                hasNextPage={data.customers.pageInfo.hasNextPage}
                onNext={() => data.customers.pageInfo.endCursor && goNext(data.customers.pageInfo.endCursor)}
                onPrevious={goPrevious}
              />
            }
          />
        </div>
      ) : null}
    </section>
  );
}
