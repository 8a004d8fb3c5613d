import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TypedDocumentString } from '../gql/graphql';
import { ApiError, request } from './client';

const doc = { toString: () => 'query Q { viewer { role } }' } as unknown as TypedDocumentString<{ viewer: { role: string } }, Record<string, never>>;

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return vi.fn(async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/graphql-response+json', ...headers },
  }));
}

afterEach(() => vi.unstubAllGlobals());

describe('request', () => {
  it('posts the query with the bearer token to /graphql on this origin', async () => {
    const fetch = answer(200, { data: { viewer: { role: 'ADMIN' } } });
    vi.stubGlobal('fetch', fetch);
    await expect(request(doc, {}, { token: 'cdp_k' })).resolves.toEqual({ viewer: { role: 'ADMIN' } });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/graphql');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer cdp_k');
    expect(JSON.parse(init.body as string)).toEqual({ query: 'query Q { viewer { role } }', variables: {} });
    expect(init.credentials).toBe('omit');
  });

  it('turns a GraphQL error into an ApiError with its code, message, path and partial data', async () => {
    vi.stubGlobal('fetch', answer(200, {
      data: { viewer: null },
      errors: [{ message: 'analysts may not read this', path: ['viewer', 'role'], extensions: { code: 'FORBIDDEN', field: 'role' } }],
    }));
    const err = await request(doc, {}, { token: 't' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'FORBIDDEN', message: 'analysts may not read this', path: ['viewer', 'role'], field: 'role', status: 200, partialData: { viewer: null } });
  });

  it('reads the code of a refused request from its body', async () => {
    vi.stubGlobal('fetch', answer(401, { errors: [{ message: 'unknown API key', extensions: { code: 'UNAUTHENTICATED' } }] }));
    const err = (await request(doc, {}, { token: 'bad' }).catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(err.unauthenticated).toBe(true);
  });

  it('gives HTTP errors without a GraphQL body a code and the Retry-After', async () => {
    vi.stubGlobal('fetch', answer(429, 'slow down', { 'Retry-After': '7' }));
    await expect(request(doc, {}, { token: 't' })).rejects.toMatchObject({ code: 'HTTP_429', status: 429, retryAfter: 7 });
    vi.stubGlobal('fetch', answer(502, '<html>bad gateway</html>'));
    await expect(request(doc, {}, { token: 't' })).rejects.toMatchObject({ code: 'HTTP_502', message: 'the server failed (HTTP 502)' });
  });

  it('reports a server that does not answer as NETWORK', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    await expect(request(doc, {}, { token: 't' })).rejects.toMatchObject({ code: 'NETWORK', status: 0 });
  });

  it('sends no Authorization header without a key', async () => {
    const fetch = answer(200, { data: { viewer: { role: 'ADMIN' } } });
    vi.stubGlobal('fetch', fetch);
    await request(doc, {}, { token: null });
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>).Authorization).toBeUndefined();
  });
});
