// The live preview: the definition on screen, debounced, sent to previewSegment; each
// answer carries the latency measured around its request (network and server), so the
// analyst sees how long a preview takes. While the definition on screen differs from the
// one answered, the preview is stale; while a request runs, it is in flight.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { request, type ApiError } from '../../api/client';
import type { SegmentDefinition } from '../../gql/graphql';
import { PreviewSegmentQuery } from './queries';
import { definitionKey } from './tree';

export const PREVIEW_DEBOUNCE_MS = 300;

export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/** invalid: nothing to preview; waiting: edits within the debounce; loading: in flight; fresh: answers what is on screen; stale: an older answer; error: the server refused it. */
export type PreviewState = 'invalid' | 'waiting' | 'loading' | 'fresh' | 'stale' | 'error';

export function previewState(a: { key: string; debouncedKey: string; fetching: boolean; failed: boolean; answeredKey: string | undefined }): PreviewState {
  if (a.key === '') return 'invalid';
  if (a.key !== a.debouncedKey) return 'waiting';
  if (a.fetching) return 'loading';
  if (a.failed) return 'error';
  return a.answeredKey === a.key ? 'fresh' : 'stale';
}

/** The median of the latencies measured so far, or null. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function usePreview(definition: SegmentDefinition | null, sample = 10) {
  const key = definitionKey(definition);
  const debouncedKey = useDebounced(key, PREVIEW_DEBOUNCE_MS);
  const latencies = useRef<number[]>([]);
  const q = useQuery({
    queryKey: ['segmentPreview', debouncedKey, sample],
    enabled: debouncedKey !== '',
    placeholderData: keepPreviousData,
    retry: false,
    queryFn: async ({ signal }) => {
      const started = performance.now();
      const data = await request(PreviewSegmentQuery, { definition: JSON.parse(debouncedKey) as SegmentDefinition, sample }, { signal });
      const latencyMs = Math.round(performance.now() - started);
      latencies.current = [...latencies.current.slice(-49), latencyMs];
      return { ...data.previewSegment, latencyMs, key: debouncedKey };
    },
  });
  const state = previewState({ key, debouncedKey, fetching: q.isFetching, failed: q.isError, answeredKey: q.data?.key });
  return {
    state,
    data: q.data,
    error: (q.isError && debouncedKey === key ? q.error : null) as ApiError | null,
    medianLatencyMs: median(latencies.current),
    previews: latencies.current.length,
  };
}
