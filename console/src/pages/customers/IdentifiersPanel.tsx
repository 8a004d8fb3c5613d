import { DataTable } from '../../components/DataTable';
import type { Customer360Query } from '../../gql/graphql';
import { formatCount } from '../../lib/format';

type C = NonNullable<Customer360Query['customer']>;
type Row = C['identifiers'][number];

const columns = [
  { key: 'type', header: 'Type', csv: (i: Row) => i.type, sortValue: (i: Row) => i.type },
  { key: 'value', header: 'Value (normalized)', csv: (i: Row) => i.value, cell: (i: Row) => <code>{i.value}</code> },
];

export function IdentifiersPanel({ identifiers, total }: { identifiers: C['identifiers']; total: number }) {
  return (
    <section className="panel" data-testid="section-identifiers">
      <h2>
        Identifiers <span className="muted">({formatCount(total)})</span>
      </h2>
      <DataTable rows={identifiers} columns={columns} rowKey={(i) => `${i.type}:${i.value}`} caption="Identifiers" />
      {total > identifiers.length ? <p className="hint">The first {identifiers.length} of {formatCount(total)}.</p> : null}
    </section>
  );
}
