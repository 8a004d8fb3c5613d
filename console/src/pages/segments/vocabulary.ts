import { useApiQuery } from '../../api/hooks';
import type { SegmentVocabularyQuery } from '../../gql/graphql';
import { VocabularyQuery } from './queries';

export type Vocabulary = SegmentVocabularyQuery['vocabulary'] & {
  communities: SegmentVocabularyQuery['communities'];
  /** The saved segments (id and name), for filters that pick one. */
  segments: SegmentVocabularyQuery['segments'];
  /** The scoring run's currency (CLV is in it); null before the first run. */
  currency: string | null;
};

/**
 * The values the console offers in its pickers (the builder's predicates, the customer list's
 * filters), the communities and the saved segments: one request, shared by every page and
 * kept for 10 minutes (they change rarely; a segment write invalidates every cached answer).
 */
export function useVocabulary() {
  const q = useApiQuery(VocabularyQuery, {}, { staleTime: 10 * 60_000 });
  const vocab: Vocabulary | undefined = q.data
    ? { ...q.data.vocabulary, communities: q.data.communities, segments: q.data.segments, currency: q.data.scoringModel?.currency ?? null }
    : undefined;
  return { vocab, error: q.error, isPending: q.isPending, refetch: q.refetch };
}

/** The offered values plus the one already chosen (a saved definition may use a value the data no longer holds). */
export function withCurrent(values: readonly string[], current: string): string[] {
  return current === '' || values.includes(current) ? [...values] : [current, ...values];
}
