import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { ApiError, request } from '../api/client';
import { sessionStore, type Session } from './session';
import { ViewerQuery } from './viewer';

interface SessionContextValue {
  session: Session | null;
  /** Checks the key with the server (viewer) and keeps it; throws the server's ApiError. */
  signIn(token: string): Promise<Session>;
  /** Forgets the key and every cached answer made with it. */
  signOut(): void;
  /** A key from the URL fragment that the server refused, for the sign-in page to show. */
  fragmentError: ApiError | null;
  /** True while a key from the URL fragment is being checked. */
  checkingFragment: boolean;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ fragmentKey, children }: { fragmentKey: string | null; children: ReactNode }) {
  const queryClient = useQueryClient();
  const session = useSyncExternalStore(sessionStore.subscribe, sessionStore.get, sessionStore.get);
  const [fragmentError, setFragmentError] = useState<ApiError | null>(null);
  const [checkingFragment, setCheckingFragment] = useState(fragmentKey !== null);

  const signIn = useCallback(
    async (token: string) => {
      const trimmed = token.trim();
      if (trimmed === '') throw new ApiError({ code: 'BAD_USER_INPUT', status: 0, message: 'enter an API key or a JWT' });
      const { viewer } = await request(ViewerQuery, {}, { token: trimmed });
      const next: Session = { token: trimmed, viewer: { ...viewer, partner: viewer.partner ?? null } };
      // Answers cached for another key must not show for this one.
      queryClient.clear();
      sessionStore.set(next);
      return next;
    },
    [queryClient],
  );

  const signOut = useCallback(() => {
    sessionStore.clear();
    queryClient.clear();
  }, [queryClient]);

  // When a key ends (signed out, or refused mid-session), drop what it fetched.
  useEffect(() => sessionStore.subscribe(() => {
    if (sessionStore.get() === null) queryClient.clear();
  }), [queryClient]);

  useEffect(() => {
    if (fragmentKey === null) return;
    let live = true;
    signIn(fragmentKey)
      .catch((e: unknown) => {
        if (live) setFragmentError(e instanceof ApiError ? e : new ApiError({ code: 'INTERNAL', status: 0, message: String(e) }));
      })
      .finally(() => live && setCheckingFragment(false));
    return () => {
      live = false;
    };
  }, [fragmentKey, signIn]);

  const value = useMemo(
    () => ({ session, signIn, signOut, fragmentError, checkingFragment }),
    [session, signIn, signOut, fragmentError, checkingFragment],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in session; only for components under RequireSignIn. */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn outside RequireSignIn');
  return session;
}
