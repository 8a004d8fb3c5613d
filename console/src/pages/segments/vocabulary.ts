import { useApiQuery } from '../../api/hooks';
import type { SegmentVocabularyQuery } from '../../gql/graphql';
import { VocabularyQuery } from './queries';

export type Vocabulary = SegmentVocabularyQuery['vocabulary'] & {
  communities: SegmentVocabularyQuery['communities'];
  /** The scoring run's currency (CLV is in it); null before the first run. */
  currency: string | null;
};

/** The valid values the builder offers, and the communities for inCommunity: one request, cached. */
export function useVocabulary() {
  const q = useApiQuery(VocabularyQuery, {}, { staleTime: 5 * 60_000 });
  const vocab: Vocabulary | undefined = q.data ? { ...q.data.vocabulary, communities: q.data.communities, currency: q.data.scoringModel?.currency ?? null } : undefined;
  return { vocab, error: q.error, isPending: q.isPending, refetch: q.refetch };
}

/** The offered values plus the one already chosen (a saved definition may use a value the data no longer holds). */
export function withCurrent(values: readonly string[], current: string): string[] {
  return current === '' || values.includes(current) ? [...values] : [current, ...values];
}
