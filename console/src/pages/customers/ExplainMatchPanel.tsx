import { useApiQuery } from '../../api/hooks';
import { Badge } from '../../components/Badge';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { formatPercent } from '../../lib/format';
import { ExplainMatchQuery } from './customer360Queries';

const RULE_LABELS: Record<string, string> = { shared_identifier: 'share', probabilistic: 'matched', manual: 'analyst decision' };

/** Why two records are one customer: the chain of steps from one to the other. */
export function ExplainMatchPanel({ a, b, label }: { a: string; b: string; label(id: string): string }) {
  const q = useApiQuery(ExplainMatchQuery, { a, b });
  if (q.isPending) return <Loading label="Explaining the match…" />;
  if (q.isError) return <ErrorBox error={q.error} />;
  const x = q.data.explainMatch;
  return (
    <div className="explain" data-testid="explain-match" data-same={x.sameCustomer ? 'true' : 'false'} data-steps={x.steps.length}>
      <h3>
        {label(a)} ↔ {label(b)}
      </h3>
      {!x.sameCustomer ? (
        <p>These records are not in one customer.</p>
      ) : x.steps.length === 0 ? (
        <p>Same customer, but no chain of links was found.</p>
      ) : (
        <ol className="steps">
          {x.steps.map((s, i) => (
            <li key={i} data-testid="explain-step">
              <code>
                {s.from.source}:{s.from.sourceId}
              </code>{' '}
              <Badge tone={s.rule === 'manual' ? 'warn' : s.rule === 'probabilistic' ? 'info' : 'good'}>{RULE_LABELS[s.rule] ?? s.rule}</Badge>{' '}
              {s.identifier ? (
                <span>
                  {s.identifier.type.toLowerCase()} <code>{s.identifier.value}</code>
                </span>
              ) : null}
              {s.score !== null && s.score !== undefined ? <span> p = {formatPercent(s.score)}</span> : null} →{' '}
              <code>
                {s.to.source}:{s.to.sourceId}
              </code>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
