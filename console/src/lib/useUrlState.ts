import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { nextPage, previousPage, readCursor, readState, writeState, type Spec, type Values } from './url';

/**
 * A page's URL state: typed values from the search params and a setter that writes a
 * patch (resetting paging when filters or sort change). Changes replace the history
 * entry, except paging, which pushes so Back returns to the previous page.
 */
export function useUrlState<S extends Spec>(spec: S) {
  const [params, setParams] = useSearchParams();
  const values = useMemo(() => readState(params, spec), [params, spec]);
  const set = useCallback(
    (patch: Partial<Values<S>>) => setParams((p) => writeState(p, spec, patch), { replace: true }),
    [setParams, spec],
  );
  const cursor = useMemo(() => readCursor(params), [params]);
  const goNext = useCallback((endCursor: string) => setParams((p) => nextPage(p, endCursor)), [setParams]);
  const goPrevious = useCallback(() => setParams((p) => previousPage(p)), [setParams]);
  return { values, set, cursor, goNext, goPrevious };
}
