// The signed-in session: the key (or JWT) and who the server says it is. It is kept in
// sessionStorage only, so it ends with the browser tab and is never written to disk for
// other sessions (localStorage would keep an admin key indefinitely).
import { isRole, type Role } from './roles';

export interface Viewer {
  role: Role;
  subject: string;
  partner: string | null;
  sources: string[];
  rawPersonalData: boolean;
}

export interface Session {
  token: string;
  viewer: Viewer;
}

export const STORAGE_KEY = 'cdpgraph.console.session';

/** A session read back from storage, or null when absent or not one (never trust storage). */
export function decodeSession(raw: string | null): Session | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as unknown;
    if (typeof v !== 'object' || v === null) return null;
    const { token, viewer } = v as { token?: unknown; viewer?: Record<string, unknown> };
    if (typeof token !== 'string' || token === '' || typeof viewer !== 'object' || viewer === null) return null;
    if (!isRole(viewer.role) || typeof viewer.subject !== 'string') return null;
    return {
      token,
      viewer: {
        role: viewer.role,
        subject: viewer.subject,
        partner: typeof viewer.partner === 'string' ? viewer.partner : null,
        sources: Array.isArray(viewer.sources) ? viewer.sources.filter((s): s is string => typeof s === 'string') : [],
        rawPersonalData: viewer.rawPersonalData === true,
      },
    };
  } catch {
    return null;
  }
}

type Listener = () => void;

export interface SessionStore {
  get(): Session | null;
  set(session: Session): void;
  clear(): void;
  subscribe(listener: Listener): () => void;
}

/** A store over a Storage (sessionStorage in the browser, an in-memory one in tests). */
export function createSessionStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null): SessionStore {
  let current = decodeSession(safe(() => storage?.getItem(STORAGE_KEY) ?? null, null));
  const listeners = new Set<Listener>();
  const emit = () => listeners.forEach((l) => l());
  return {
    get: () => current,
    set(session) {
      current = session;
      safe(() => storage?.setItem(STORAGE_KEY, JSON.stringify(session)), undefined);
      emit();
    },
    clear() {
      if (current === null) return;
      current = null;
      safe(() => storage?.removeItem(STORAGE_KEY), undefined);
      emit();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

// Storage can throw (private mode, quota, disabled); the session then lives in memory only.
function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

function browserStorage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.sessionStorage : null;
  } catch {
    return null;
  }
}

export const sessionStore: SessionStore = createSessionStore(browserStorage());

export function currentToken(): string | null {
  return sessionStore.get()?.token ?? null;
}

/**
 * The key carried in a URL fragment (#key=... among other fragment params) and the fragment
 * left without it. The fragment never reaches the server, so a demo link can carry a key
 * without it landing in access logs or Referer headers.
 */
export function splitFragmentKey(hash: string): { key: string | null; rest: string } {
  const frag = hash.startsWith('#') ? hash.slice(1) : hash;
  if (frag === '') return { key: null, rest: '' };
  const params = new URLSearchParams(frag);
  const key = params.get('key');
  if (key === null) return { key: null, rest: hash };
  params.delete('key');
  const rest = params.toString();
  return { key: key.trim() || null, rest: rest ? `#${rest}` : '' };
}

/** Takes a key out of the address bar at once (replaceState, no reload) and returns it. */
export function takeFragmentKey(loc: Location, history: History): string | null {
  const { key, rest } = splitFragmentKey(loc.hash);
  if (key === null && rest === loc.hash) return null;
  history.replaceState(history.state, '', loc.pathname + loc.search + rest);
  return key;
}

/**
 * Where to go after signing in: a path inside the console (as the router sees it, without
 * the /console base), never another origin ("//evil", "https://..."), else home.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === '/signin' || next.startsWith('/signin?') || next.startsWith('/signin/')) return '/';
  return next;
}

/**
 * What a key from a link does: sign in when no one is signed in, nothing when it is the key
 * already in use, and ask first when it would replace a different session (a link must not
 * silently swap an admin's session for another key).
 */
export function fragmentKeyAction(session: Session | null, fragmentKey: string | null): 'none' | 'sign-in' | 'ask' {
  const key = fragmentKey?.trim() ?? '';
  if (key === '') return 'none';
  if (session === null) return 'sign-in';
  return session.token === key ? 'none' : 'ask';
}
