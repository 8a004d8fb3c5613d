import { DataTable, type Column } from '../../components/DataTable';
import { formatCount, formatNumber } from '../../lib/format';
import type { GraphNode } from './graphModel';

const columns: Column<GraphNode>[] = [
  {
    key: 'name',
    header: 'Customer',
    cell: (n) => (
      <span data-testid="graph-node" data-id={n.id}>
        {n.name}
      </span>
    ),
    csv: (n) => n.name,
    sortValue: (n) => n.name,
  },
  { key: 'id', header: 'Id', cell: (n) => <code>{n.customerId}</code>, csv: (n) => n.customerId },
  { key: 'rank', header: 'Rank', cell: (n) => formatCount(n.rank), csv: (n) => n.rank, sortValue: (n) => n.rank, align: 'right' },
  { key: 'score', header: 'Score', cell: (n) => formatNumber(n.score, undefined, 5), csv: (n) => n.score, sortValue: (n) => n.score, align: 'right' },
  { key: 'community', header: 'Community', csv: (n) => n.community, sortValue: (n) => n.community },
  { key: 'band', header: 'Churn band', csv: (n) => n.churnBand, sortValue: (n) => n.churnBand },
];

/** The drawn customers as a table: keyboard and screen-reader access to the graph, and its CSV. */
export function NodeList({ nodes, onPick }: { nodes: readonly GraphNode[]; onPick(id: string): void }) {
  return (
    <details className="node-list">
      <summary>Customers in the graph ({formatCount(nodes.length)})</summary>
      <DataTable rows={nodes} columns={columns} rowKey={(n) => n.id} caption="Customers in the influence graph" onRowClick={(n) => onPick(n.id)} />
    </details>
  );
}
