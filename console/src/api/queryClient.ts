import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { sessionStore } from '../auth/session';
import { isApiError } from './client';

// A refused key ends the session wherever it shows up; the route guard then sends the user
// to sign in and back. Client errors are not retried (the same request fails the same way).
function endSessionOnAuthFailure(error: unknown): void {
  if (isApiError(error) && error.unauthenticated) sessionStore.clear();
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: endSessionOnAuthFailure }),
    mutationCache: new MutationCache({ onError: endSessionOnAuthFailure }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => failures < 2 && (!isApiError(error) || error.status === 0 || error.status >= 500),
      },
      mutations: { retry: false },
    },
  });
}
