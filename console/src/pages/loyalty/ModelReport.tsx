import { formatDate, formatDateTime, formatNumber, formatPercent, formatRelativeDays } from '../../lib/format';
import { CoefficientChart } from './CoefficientChart';
import { ParameterTable } from './ParameterTable';
import type { ScoringModel } from './loyaltyQuery';

function Stat({ label, value, testId, raw, hint }: { label: string; value: string; testId: string; raw?: number | string; hint?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId} data-value={raw} title={hint}>
        {value}
      </dd>
    </div>
  );
}

/** The scoring run behind every number on the page: fits, the churn classifier's test, the cut-offs. */
export function ModelReport({ model }: { model: ScoringModel }) {
  const churn = model.churn;
  const lift = churn ? churn.auc - churn.baselineAuc : null;
  return (
    <section className="panel span-2 model-report" data-testid="model-report">
      <header className="chart-panel-head">
        <div>
          <h2>Model report</h2>
          <p className="chart-panel-sub">
            Scores as of <strong>{formatDate(model.asOf)}</strong>, computed <span title={model.computedAt}>{formatDateTime(model.computedAt)}</span> (
            {formatRelativeDays(model.computedAt)}); CLV over {model.horizonDays} days at {formatPercent(model.annualDiscount)} a year, churn = no
            purchase within {model.churnHorizonDays} days.
          </p>
          <p className="chart-panel-sub model-run-id">
            run id <code data-testid="model-run-id">{model.version}</code>
          </p>
        </div>
      </header>
      <dl className="stats">
        <Stat label="Customers" value={formatNumber(model.customers, undefined, 0)} raw={model.customers} testId="model-customers" />
        <Stat label="Buyers" value={formatNumber(model.buyers, undefined, 0)} raw={model.buyers} testId="model-buyers" />
        {churn ? (
          <>
            <Stat label="Churn AUC (test)" value={formatNumber(churn.auc, undefined, 3)} raw={churn.auc} testId="model-auc" hint={churn.method} />
            <Stat
              label="Baseline AUC (BG/NBD alone)"
              value={formatNumber(churn.baselineAuc, undefined, 3)}
              raw={churn.baselineAuc}
              testId="model-baseline-auc"
            />
            <Stat
              label="Lift over baseline"
              value={lift === null ? '–' : `${lift >= 0 ? '+' : ''}${formatNumber(lift, undefined, 3)}`}
              raw={lift ?? undefined}
              testId="model-auc-lift"
            />
          </>
        ) : null}
      </dl>
      {model.notes.length > 0 ? (
        <ul className="model-notes" data-testid="model-notes">
          {model.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      {model.unconvertedOrders > 0 ? (
        <p className="muted">{formatNumber(model.unconvertedOrders, undefined, 0)} orders left out of money figures: no exchange rate for their currency.</p>
      ) : null}
      <div className="model-grid">
        <ParameterTable fit={model.bgnbd} title="BG/NBD (purchase frequency and dropout)" />
        <ParameterTable fit={model.gammaGamma} title="Gamma-Gamma (spend per purchase)" />
      </div>
      {churn ? (
        <div className="model-grid">
          <div>
            <h3>Churn classifier</h3>
            <p className="muted">
              {churn.method}
              {churn.note ? ` — ${churn.note}` : ''}
            </p>
            <table className="kv">
              <tbody>
                <tr>
                  <th scope="row">Training</th>
                  <td data-testid="model-train-cutoff">
                    history before {formatDate(churn.trainCutoff)} · {formatNumber(churn.trainCustomers, undefined, 0)} customers · churn rate{' '}
                    {formatPercent(churn.trainChurnRate)}
                  </td>
                </tr>
                <tr>
                  <th scope="row">Test</th>
                  <td data-testid="model-test-cutoff">
                    from {formatDate(churn.testCutoff)} · {formatNumber(churn.testCustomers, undefined, 0)} customers · churn rate{' '}
                    {formatPercent(churn.testChurnRate)}
                  </td>
                </tr>
                <tr>
                  <th scope="row">AUC</th>
                  <td>
                    <AucBar auc={churn.auc} baseline={churn.baselineAuc} />
                  </td>
                </tr>
              </tbody>
            </table>
          </div>
          <CoefficientChart coefficients={churn.coefficients} />
        </div>
      ) : (
        <p className="muted">No churn classifier in this run.</p>
      )}
    </section>
  );
}

/** AUC against its baseline on one 0.5–1 scale (0.5 is a coin toss). */
function AucBar({ auc, baseline }: { auc: number; baseline: number }) {
  const pos = (v: number) => `${Math.max(0, Math.min(1, (v - 0.5) / 0.5)) * 100}%`;
  return (
    <div className="auc-bar" aria-label={`AUC ${auc.toFixed(3)} against baseline ${baseline.toFixed(3)}`}>
      <div className="auc-track">
        <span className="auc-fill" style={{ width: pos(auc) }} />
        <span className="auc-baseline" style={{ left: pos(baseline) }} title={`baseline ${baseline.toFixed(3)}`} />
      </div>
      <div className="auc-scale">
        <span>0.5</span>
        <span>0.75</span>
        <span>1.0</span>
      </div>
    </div>
  );
}
