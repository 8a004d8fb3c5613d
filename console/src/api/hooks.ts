// Request state for pages: useApiQuery for reads, useApiMutation for writes, both typed by
// the operation's generated TypedDocumentString.
import {
  useMutation,
  useQuery,
  type UseMutationOptions,
  type UseQueryOptions,
} from '@tanstack/react-query';
import type { TypedDocumentString } from '../gql/graphql';
import { ApiError, request } from './client';

/** The cache key of an operation with its variables; invalidate with the same doc. */
export function operationKey<R, V>(doc: TypedDocumentString<R, V>, vars?: V): readonly unknown[] {
  return vars === undefined ? ['gql', doc.toString()] : ['gql', doc.toString(), vars];
}

export type ApiQueryOptions<R> = Omit<UseQueryOptions<R, ApiError, R>, 'queryKey' | 'queryFn'>;

export function useApiQuery<R, V>(doc: TypedDocumentString<R, V>, vars: V, opts?: ApiQueryOptions<R>) {
  return useQuery<R, ApiError, R>({
    queryKey: operationKey(doc, vars),
    queryFn: ({ signal }) => request(doc, vars, { signal }),
    ...opts,
  });
}

export type ApiMutationOptions<R, V> = Omit<UseMutationOptions<R, ApiError, V>, 'mutationFn'>;

export function useApiMutation<R, V>(doc: TypedDocumentString<R, V>, opts?: ApiMutationOptions<R, V>) {
  return useMutation<R, ApiError, V>({
    mutationFn: (vars: V) => request(doc, vars),
    ...opts,
  });
}
