import { useApiQuery } from '../../api/hooks';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { formatDate, formatRelativeDays } from '../../lib/format';
import { Badge } from '../../components/Badge';
import type { LoyaltyPageQuery } from '../../gql/graphql';
import { BucketChart } from './BucketChart';
import { CohortTriangle } from './CohortTriangle';
import { ModelReport } from './ModelReport';
import { RfmHeatmap } from './RfmHeatmap';
import { LoyaltyQuery } from './loyaltyQuery';
import './loyalty.css';

const BAND_COLORS: Record<string, string> = { low: '#177245', medium: '#d4a017', high: '#e8590c', critical: '#b42318' };
const HISTOGRAM_BUCKETS = 20;

export default function LoyaltyPage() {
  const q = useApiQuery(LoyaltyQuery, { histogramBuckets: HISTOGRAM_BUCKETS });
  const ready = !q.isPending;
  return (
    <section className="page loyalty-page" data-testid="page-loyalty" data-ready={ready ? 'true' : 'false'}>
      <h1>Loyalty &amp; churn</h1>
      {q.isPending ? <Loading label="Loading scores…" /> : null}
      {q.isError ? <ErrorBox error={q.error} onRetry={() => void q.refetch()} /> : null}
      {q.data ? <LoyaltyContent data={q.data} /> : null}
    </section>
  );
}

function LoyaltyContent({ data }: { data: LoyaltyPageQuery }) {
  const model = data.scoringModel;
  if (!model) {
    return (
      <EmptyState title="Not scored yet">
        Run <code>cdpgraph score</code> (or the <code>runScoring</code> mutation, admin) to compute RFM cells, churn risk and CLV.
      </EmptyState>
    );
  }
  const currency = model.currency;
  return (
    <>
      <p className="asof" data-testid="loyalty-asof" data-value={model.asOf}>
        Scores as of <strong>{formatDate(model.asOf)}</strong> <span className="muted">({formatRelativeDays(model.asOf)})</span>{' '}
        {model.live ? (
          <Badge tone="info" title="Live: incremental scoring moves the as-of date with the clock as new activity arrives">live</Badge>
        ) : (
          <Badge title="Fixed date: every score (recency, churn risk, CLV) is computed as of this date, not today; the clock does not move it until scoring runs again">
            fixed date
          </Badge>
        )}
        {model.lastIncrementalAt ? <span className="muted"> · new activity scored {formatRelativeDays(model.lastIncrementalAt)}</span> : null}
        <span className="muted"> · money in {currency}</span>
      </p>
      <div className="dash-grid">
        <RfmHeatmap cells={data.rfmGrid} currency={currency} />
        <BucketChart
          title="Churn-risk bands"
          subtitle="Scored buyers per band."
          buckets={data.churnRiskDistribution}
          currency={currency}
          colors={data.churnRiskDistribution.map((b) => BAND_COLORS[b.label.toLowerCase()] ?? '#4f6bed')}
          withRevenue
          xName="Band"
          testId="churn-bands"
        />
        <BucketChart
          title="Churn-risk histogram"
          subtitle={`Scored buyers per churn-risk interval (${HISTOGRAM_BUCKETS} equal bins from 0 to 1).`}
          buckets={data.churnRiskHistogram}
          currency={currency}
          xName="P(no purchase within the churn horizon)"
          testId="churn-histogram"
        />
        <BucketChart
          title="Customer lifetime value"
          subtitle={`Scored buyers per CLV bucket (${currency}), with their revenue to date.`}
          buckets={data.clvDistribution}
          currency={currency}
          withRevenue
          xName={`CLV (${currency})`}
          testId="clv-distribution"
        />
        <CohortTriangle cohorts={data.cohortRetention} />
        <ModelReport model={model} />
      </div>
    </>
  );
}
