import { describe, expect, it, vi } from 'vitest';
import { STORAGE_KEY, createSessionStore, decodeSession, fragmentKeyAction, safeNext, splitFragmentKey, takeFragmentKey, type Session } from './session';

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    map: m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

const analyst: Session = {
  token: 'cdp_analyst_secret',
  viewer: { role: 'ANALYST', subject: 'key_1', partner: null, sources: ['shop'], rawPersonalData: false },
};

describe('session store', () => {
  it('keeps the session in the given storage, tells listeners, and clears it', () => {
    const storage = memoryStorage();
    const store = createSessionStore(storage);
    const seen: (Session | null)[] = [];
    store.subscribe(() => seen.push(store.get()));
    expect(store.get()).toBeNull();
    store.set(analyst);
    expect(decodeSession(storage.map.get(STORAGE_KEY) ?? null)).toEqual(analyst);
    expect(createSessionStore(storage).get()).toEqual(analyst);
    store.clear();
    expect(storage.map.has(STORAGE_KEY)).toBe(false);
    expect(seen).toEqual([analyst, null]);
  });

  it('ignores storage that does not hold a valid session', () => {
    for (const raw of ['not json', '{}', '{"token":"t","viewer":{"role":"ROOT","subject":"x"}}', '{"token":"","viewer":{"role":"ADMIN","subject":"x"}}', 'null']) {
      const storage = memoryStorage();
      storage.setItem(STORAGE_KEY, raw);
      expect(createSessionStore(storage).get()).toBeNull();
    }
  });

  it('works in memory when storage throws', () => {
    const store = createSessionStore({
      getItem: () => { throw new Error('denied'); },
      setItem: () => { throw new Error('quota'); },
      removeItem: () => { throw new Error('denied'); },
    });
    store.set(analyst);
    expect(store.get()).toEqual(analyst);
  });

  it('uses sessionStorage, never localStorage, in the browser module', async () => {
    const session = memoryStorage();
    const local = memoryStorage();
    vi.stubGlobal('window', { sessionStorage: session, localStorage: local });
    vi.resetModules();
    const mod = await import('./session');
    mod.sessionStore.set(analyst);
    expect(session.map.has(STORAGE_KEY)).toBe(true);
    expect(local.map.size).toBe(0);
    expect(mod.currentToken()).toBe('cdp_analyst_secret');
    vi.unstubAllGlobals();
  });
});

describe('key in the URL fragment', () => {
  it('takes the key and keeps the rest of the fragment', () => {
    expect(splitFragmentKey('#key=cdp_abc')).toEqual({ key: 'cdp_abc', rest: '' });
    expect(splitFragmentKey('#tab=orders&key=cdp_abc')).toEqual({ key: 'cdp_abc', rest: '#tab=orders' });
    expect(splitFragmentKey('#tab=orders')).toEqual({ key: null, rest: '#tab=orders' });
    expect(splitFragmentKey('')).toEqual({ key: null, rest: '' });
    expect(splitFragmentKey('#key=')).toEqual({ key: null, rest: '' });
  });

  it('removes the key from the address bar with replaceState', () => {
    const replaceState = vi.fn();
    const history = { state: { idx: 3 }, replaceState } as unknown as History;
    const loc = { pathname: '/console/customers', search: '?band=HIGH', hash: '#key=cdp_abc' } as Location;
    expect(takeFragmentKey(loc, history)).toBe('cdp_abc');
    expect(replaceState).toHaveBeenCalledWith({ idx: 3 }, '', '/console/customers?band=HIGH');
  });

  it('leaves the address alone when the fragment has no key', () => {
    const replaceState = vi.fn();
    const loc = { pathname: '/console/', search: '', hash: '#section' } as Location;
    expect(takeFragmentKey(loc, { state: null, replaceState } as unknown as History)).toBeNull();
    expect(replaceState).not.toHaveBeenCalled();
  });
});

describe('safeNext', () => {
  it('allows only paths inside the console', () => {
    expect(safeNext('/customers?band=HIGH')).toBe('/customers?band=HIGH');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('customers')).toBe('/');
    expect(safeNext('/signin?next=/audit')).toBe('/');
  });
});

describe('a key from a link', () => {
  it('signs in when no one is signed in', () => {
    expect(fragmentKeyAction(null, 'cdp_admin_secret')).toBe('sign-in');
  });
  it('does nothing when it is the key in use or there is none', () => {
    expect(fragmentKeyAction(analyst, analyst.token)).toBe('none');
    expect(fragmentKeyAction(analyst, ` ${analyst.token} `)).toBe('none');
    expect(fragmentKeyAction(analyst, null)).toBe('none');
    expect(fragmentKeyAction(null, '  ')).toBe('none');
  });
  it('asks before replacing a different session', () => {
    expect(fragmentKeyAction(analyst, 'cdp_admin_secret')).toBe('ask');
  });
});
