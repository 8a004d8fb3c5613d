import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { Confirm } from '../../components/Confirm';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { Pager } from '../../components/Pager';
import { formatCount } from '../../lib/format';
import { DecideReviewMutation, ReviewQueueQuery } from './queries';
import { PairCard, type Pair } from './PairCard';

export const QUEUE_PAGE_SIZE = 5;

interface Decision {
  pair: Pair;
  samePerson: boolean;
}

/** The review queue, a page of pairs at a time; admins settle pairs (analysts read them). */
export function ReviewQueue({ canDecide, after, pageIndex, onNext, onPrevious, onReady }: {
  canDecide: boolean;
  after: string | null;
  pageIndex: number;
  onNext(cursor: string): void;
  onPrevious(): void;
  onReady(): void;
}) {
  const q = useApiQuery(ReviewQueueQuery, { first: QUEUE_PAGE_SIZE, after });
  const queryClient = useQueryClient();
  const [decision, setDecision] = useState<Decision | null>(null);
  const [reason, setReason] = useState('');
  const decide = useApiMutation(DecideReviewMutation, {
    onSuccess: () => {
      setDecision(null);
      setReason('');
      // Merging moves records between customers: every cached answer may be out of date.
      void queryClient.invalidateQueries({ queryKey: ['gql'] });
    },
  });
  const settled = !q.isPending;
  useEffect(() => {
    if (settled) onReady();
  }, [settled, onReady]);
  if (q.isPending) return <Loading label="Loading the review queue…" />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const queue = q.data.reviewQueue;
  const model = q.data.matchModel;
  const priorOf = (p: Pair) => (model ? (p.recordA.source === p.recordB.source ? model.priorWithinSource : model.priorAcrossSources) : null);
  const open = (pair: Pair, samePerson: boolean) => {
    decide.reset();
    setReason('');
    setDecision({ pair, samePerson });
  };
  return (
    <div data-testid="review-queue" data-total={queue.totalCount}>
      <p className="lead">
        <span data-testid="review-total">{formatCount(queue.totalCount)}</span> pairs the matcher could not decide
        {model ? ` (between ${Math.round(model.reviewProbability * 100)}% and ${Math.round(model.matchProbability * 100)}% probability)` : ''}, most probable first.
        {canDecide ? '' : ' Only admins may settle them.'}
      </p>
      {queue.nodes.length === 0 ? (
        <EmptyState title="The review queue is empty">Every candidate pair was decided by the matcher or an analyst.</EmptyState>
      ) : (
        queue.nodes.map((pair) => (
          <PairCard
            key={`${pair.recordA.id}|${pair.recordB.id}`}
            pair={pair}
            prior={priorOf(pair)}
            actions={
              canDecide ? (
                <span className="pair-actions">
                  <button type="button" className="primary" onClick={() => open(pair, true)} data-testid="review-approve">
                    Same person
                  </button>
                  <button type="button" onClick={() => open(pair, false)} data-testid="review-reject">
                    Not the same
                  </button>
                </span>
              ) : null
            }
          />
        ))
      )}
      <Pager
        pageIndex={pageIndex}
        pageSize={QUEUE_PAGE_SIZE}
        rowCount={queue.nodes.length}
        totalCount={queue.totalCount}
        hasNextPage={queue.pageInfo.hasNextPage}
        onNext={() => queue.pageInfo.endCursor && onNext(queue.pageInfo.endCursor)}
        onPrevious={onPrevious}
      />
      <Confirm
        open={decision !== null}
        title={decision?.samePerson ? 'Merge: the same person' : 'Keep apart: not the same person'}
        confirmLabel={decision?.samePerson ? 'Merge the records' : 'Keep them apart'}
        danger={decision?.samePerson === false}
        busy={decide.isPending}
        // A decision lasts (a merge, or apart for good): the audit log must say why.
        canConfirm={reason.trim() !== ''}
        onCancel={() => setDecision(null)}
        onConfirm={() =>
          decision &&
          reason.trim() !== '' &&
          decide.mutate({ recordA: decision.pair.recordA.id, recordB: decision.pair.recordB.id, samePerson: decision.samePerson, reason: reason.trim() })
        }
      >
        {decision ? (
          <p>
            {decision.pair.recordA.source}:{decision.pair.recordA.sourceId} and {decision.pair.recordB.source}:{decision.pair.recordB.sourceId}{' '}
            {decision.samePerson
              ? 'will be one customer (their customers merge).'
              : 'will be kept apart for good, through later ingests and full resolves.'}
          </p>
        ) : null}
        <label className="field">
          Reason, required (kept in the audit log and the customer's identity history)
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} required aria-required="true" data-testid="review-reason" />
        </label>
        {decide.error ? <ErrorBox error={decide.error} title="Not decided" /> : null}
      </Confirm>
    </div>
  );
}
