import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { ApiError, request } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { ROLE_LABELS } from './roles';
import { fragmentKeyAction, sessionStore, type Session } from './session';
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
  // Decided once, against the session the tab had when the link was opened.
  const [initialAction] = useState(() => fragmentKeyAction(sessionStore.get(), fragmentKey));
  const [checkingFragment, setCheckingFragment] = useState(initialAction === 'sign-in');
  const [switchKey, setSwitchKey] = useState<string | null>(initialAction === 'ask' ? fragmentKey : null);

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
    if (fragmentKey === null || initialAction !== 'sign-in') return;
    let live = true;
    signIn(fragmentKey)
      .catch((e: unknown) => {
        if (live) setFragmentError(e instanceof ApiError ? e : new ApiError({ code: 'INTERNAL', status: 0, message: String(e) }));
      })
      .finally(() => live && setCheckingFragment(false));
    return () => {
      live = false;
    };
  }, [fragmentKey, initialAction, signIn]);

  const value = useMemo(
    () => ({ session, signIn, signOut, fragmentError, checkingFragment }),
    [session, signIn, signOut, fragmentError, checkingFragment],
  );
  return (
    <SessionContext.Provider value={value}>
      {switchKey !== null && session !== null ? (
        <SwitchKeyPanel current={session} onSwitch={() => signIn(switchKey)} onDone={() => setSwitchKey(null)} />
      ) : null}
      {children}
    </SessionContext.Provider>
  );
}

/** Asks before a link's key replaces the session in use; the current session stays until then. */
function SwitchKeyPanel({ current, onSwitch, onDone }: { current: Session; onSwitch(): Promise<Session>; onDone(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const switchNow = () => {
    setBusy(true);
    setError(null);
    onSwitch()
      .then(onDone)
      .catch((e: unknown) => {
        setError(e);
        setBusy(false);
      });
  };
  return (
    <div className="switch-key" role="alertdialog" aria-labelledby="switch-key-title" data-testid="switch-key">
      <p id="switch-key-title">
        Switch from {ROLE_LABELS[current.viewer.role]} <code>{current.viewer.subject}</code> to the key in this link?
      </p>
      {error !== null ? <ErrorBox error={error} title="The link's key was refused; you are still signed in as before" /> : null}
      <div className="switch-key-actions">
        <button type="button" onClick={onDone} disabled={busy} data-testid="switch-key-keep">
          Keep the current session
        </button>
        <button type="button" className="primary" onClick={switchNow} disabled={busy} data-testid="switch-key-switch">
          {busy ? 'Checking…' : 'Switch'}
        </button>
      </div>
    </div>
  );
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
