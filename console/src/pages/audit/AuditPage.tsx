import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { request } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { Badge } from '../../components/Badge';
import { DataTable, type Column, type ExportedRows } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { Pager } from '../../components/Pager';
import { graphql } from '../../gql';
import type { AuditLogQuery as Result } from '../../gql/graphql';
import { EXPORT_LIMIT, exportAllPages } from '../../lib/exportPages';
import { formatCount, formatDateTime } from '../../lib/format';
import { param, type Values } from '../../lib/url';
import { useUrlState } from '../../lib/useUrlState';
import { pathTo } from '../../pages';
import { auditFilter } from './filter';

const AuditLogQuery = graphql(`
  query AuditLog($filter: AuditFilter, $first: Int!, $after: String) {
    auditLog(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        at
        actor
        role
        partner
        action
        customers
        detail
      }
    }
  }
`);

type Entry = Result['auditLog']['nodes'][number];
const PAGE = 50;
const SPEC = { actor: param.string(), action: param.string(), customer: param.string(), since: param.string() };
type Filters = Values<typeof SPEC>;

const COLUMNS: readonly Column<Entry>[] = [
  { key: 'at', header: 'When', cell: (e) => formatDateTime(e.at), csv: (e) => e.at, sortValue: (e) => new Date(e.at) },
  { key: 'actor', header: 'Actor', cell: (e) => <code>{e.actor}</code>, csv: (e) => e.actor, sortValue: (e) => e.actor },
  { key: 'role', header: 'Role', cell: (e) => <Badge>{e.role.toLowerCase()}</Badge>, csv: (e) => e.role },
  { key: 'partner', header: 'Partner', csv: (e) => e.partner ?? '' },
  { key: 'action', header: 'Action', cell: (e) => <code data-testid="audit-action">{e.action}</code>, csv: (e) => e.action, sortValue: (e) => e.action },
  {
    key: 'customers',
    header: 'Customers',
    cell: (e) => (
      <span className="id-list">
        {e.customers.slice(0, 5).map((c) => (
          <Link key={c} to={pathTo('customer', { id: c })}>
            {c}
          </Link>
        ))}
        {e.customers.length > 5 ? ` +${e.customers.length - 5}` : ''}
      </span>
    ),
    csv: (e) => e.customers.join(' '),
  },
  { key: 'detail', header: 'Detail', csv: (e) => e.detail },
];

export default function AuditPage() {
  const { values, set, cursor, goNext, goPrevious } = useUrlState(SPEC);
  const filter = auditFilter(values);
  const q = useApiQuery(AuditLogQuery, { filter: filter.filter, first: PAGE, after: cursor.after }, { enabled: filter.error === null });
  const ready = filter.error !== null || !q.isPending;
  const exportAll = (): Promise<ExportedRows<Entry>> =>
    exportAllPages(async (first, after) => (await request(AuditLogQuery, { filter: filter.filter, first, after })).auditLog);
  return (
    <section className="page" data-testid="page-audit" data-ready={ready}>
      <h1>Audit log</h1>
      <p className="lead">Administrative actions and partners' access to personal data, newest first.</p>
      <AuditFilters values={values} onApply={set} />
      {filter.error ? <ErrorBox error={filter.error} title="Check the filters" /> : null}
      {q.isPending && filter.error === null ? <Loading /> : null}
      {q.isError ? <ErrorBox error={q.error} onRetry={() => void q.refetch()} /> : null}
      {q.data ? (
        <div data-testid="audit-table" data-total={q.data.auditLog.totalCount}>
          <DataTable
            caption="Audit log"
            rows={q.data.auditLog.nodes}
            columns={COLUMNS}
            rowKey={(e) => e.id}
            exportRows={exportAll}
            empty={<EmptyState title="No entries">Nothing in the log matches these filters.</EmptyState>}
            footer={
              <Pager
                pageIndex={cursor.pageIndex}
                pageSize={PAGE}
                rowCount={q.data.auditLog.nodes.length}
                totalCount={q.data.auditLog.totalCount}
                hasNextPage={q.data.auditLog.pageInfo.hasNextPage}
                onNext={() => q.data.auditLog.pageInfo.endCursor && goNext(q.data.auditLog.pageInfo.endCursor)}
                onPrevious={goPrevious}
              />
            }
          />
          <p className="hint">{formatCount(q.data.auditLog.totalCount)} entries match. Export CSV writes all of them (up to {formatCount(EXPORT_LIMIT)}).</p>
        </div>
      ) : null}
    </section>
  );
}

/** The filters as a form: typing does not query; Apply (or Enter) writes them to the URL. */
function AuditFilters({ values, onApply }: { values: Filters; onApply(v: Partial<Filters>): void }) {
  const [draft, setDraft] = useState(values);
  useEffect(() => setDraft(values), [values]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply({ actor: draft.actor.trim(), action: draft.action.trim(), customer: draft.customer.trim(), since: draft.since });
  };
  const field = (name: keyof Filters, label: string, placeholder: string, type = 'text') => (
    <label className="field inline">
      <span>{label}</span>
      <input type={type} value={draft[name]} placeholder={placeholder} onChange={(e) => setDraft({ ...draft, [name]: e.target.value })} data-testid={`audit-filter-${name}`} />
    </label>
  );
  return (
    <form className="filters" onSubmit={submit} role="search">
      {field('actor', 'Actor', 'key id or jwt:subject')}
      {field('action', 'Action', 'e.g. decideReview')}
      {field('customer', 'Customer', 'customer id')}
      {field('since', 'Since', '', 'date')}
      <button type="submit" className="primary" data-testid="audit-apply">
        Apply
      </button>
      <button type="button" onClick={() => onApply({ actor: '', action: '', customer: '', since: '' })}>
        Clear
      </button>
    </form>
  );
}
