import { DataTable, type Column } from '../../components/DataTable';
import { formatNumber } from '../../lib/format';
import type { ModelFit } from './loyaltyQuery';

type Param = ModelFit['parameters'][number];

const columns: Column<Param>[] = [
  { key: 'name', header: 'Parameter', cell: (p) => <code>{p.name}</code>, csv: (p) => p.name },
  { key: 'value', header: 'Estimate', cell: (p) => formatNumber(p.value, undefined, 4), csv: (p) => p.value, align: 'right' },
  { key: 'se', header: 'Std. error', cell: (p) => formatNumber(p.stdError, undefined, 4), csv: (p) => p.stdError, align: 'right' },
  {
    key: 'rse',
    header: 'Rel. error',
    // Relative standard error: how well the data pins the parameter down.
    cell: (p) => (p.stdError != null && p.value !== 0 ? `${formatNumber((100 * p.stdError) / Math.abs(p.value), undefined, 1)}%` : '–'),
    align: 'right',
  },
];

/** One fitted model: its parameters with standard errors and its log-likelihood. */
export function ParameterTable({ fit, title }: { fit: ModelFit | null | undefined; title: string }) {
  if (!fit) {
    return (
      <div className="model-fit">
        <h3>{title}</h3>
        <p className="muted">Not fitted (see the notes).</p>
      </div>
    );
  }
  return (
    <div className="model-fit" data-testid={`fit-${fit.name}`}>
      <h3>
        {title} <span className="muted">({fit.name})</span>
      </h3>
      <p className="muted">
        log-likelihood <strong data-testid="fit-loglik" data-value={fit.logLikelihood}>{formatNumber(fit.logLikelihood, undefined, 2)}</strong> · fitted on{' '}
        {formatNumber(fit.customers, undefined, 0)} customers
      </p>
      <DataTable rows={fit.parameters} columns={columns} rowKey={(p) => p.name} caption={`${title} parameters`} />
    </div>
  );
}
