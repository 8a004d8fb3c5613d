import { Link } from 'react-router';
import { ErrorBox } from '../../components/ErrorBox';
import { formatCount, formatNumber } from '../../lib/format';
import { pathTo } from '../../pages';
import { PREVIEW_DEBOUNCE_MS, type usePreview } from './usePreview';

const STATE_LABELS = {
  invalid: 'Fix the definition to preview it',
  waiting: 'Editing…',
  loading: 'Counting…',
  fresh: 'Up to date',
  stale: 'Out of date',
  error: 'Refused by the server',
} as const;

/** The live count and sample, with its state and the latency measured for the answer shown. */
export function PreviewPanel({ preview, empty = false }: { preview: ReturnType<typeof usePreview>; empty?: boolean }) {
  const { state, data, error, medianLatencyMs, previews } = preview;
  return (
    <aside className="panel seg-preview" data-testid="segment-preview" data-state={state} aria-live="polite">
      <div className="seg-preview-head">
        <h2>Preview</h2>
        <span className={`badge preview-${state}`} data-testid="preview-state">
          {empty ? 'No conditions yet' : STATE_LABELS[state]}
        </span>
      </div>
      {empty ? (
        <p className="hint" data-testid="preview-empty">
          Add a condition to see who it selects.
        </p>
      ) : null}
      <p className={state === 'fresh' ? 'seg-count' : 'seg-count dim'}>
        <span data-testid="preview-count" data-count={data?.count ?? ''}>
          {data ? formatCount(data.count) : '–'}
        </span>{' '}
        {data?.count === 1 ? 'customer' : 'customers'}
      </p>
      {data ? (
        <p className="hint" data-testid="preview-latency" data-ms={data.latencyMs}>
          answered in {data.latencyMs} ms
          {medianLatencyMs !== null && previews > 1 ? ` · median ${Math.round(medianLatencyMs)} ms over ${previews} previews` : ''} · sent{' '}
          {PREVIEW_DEBOUNCE_MS} ms after the last edit
        </p>
      ) : null}
      {error ? <ErrorBox error={error} title="The server refused this definition" /> : null}
      {data && data.sample.length > 0 ? (
        <>
          <h3>Sample</h3>
          <ul className="seg-sample" data-testid="preview-sample">
            {data.sample.map((c) => (
              <li key={c.id}>
                <Link to={pathTo('customer', { id: c.id })}>{c.profile.fullName ?? c.customerId}</Link>
                <span className="hint">
                  {[c.profile.city, c.profile.country].filter(Boolean).join(', ')}
                  {c.metrics?.rfm ? ` · ${c.metrics.rfm.segment}` : ''}
                  {c.metrics?.churnBand ? ` · ${c.metrics.churnBand.toLowerCase()} churn` : ''}
                  {c.metrics?.clv !== null && c.metrics?.clv !== undefined ? ` · CLV ${formatNumber(c.metrics.clv, undefined, 0)}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </aside>
  );
}
