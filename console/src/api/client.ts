// The one way the console talks to the server: POST /graphql on its own origin with the
// user's key. Every failure (GraphQL errors, refused or failed HTTP requests, the network)
// becomes an ApiError with a code and a message that ErrorBox shows as they are.
import type { TypedDocumentString } from '../gql/graphql';
import { currentToken } from '../auth/session';

export const GRAPHQL_PATH = '/graphql';

export interface GraphQLErrorEntry {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; field?: string; [k: string]: unknown };
}

export class ApiError extends Error {
  /** The server's code (extensions.code: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, ...), or HTTP_<status>, NETWORK. */
  readonly code: string;
  /** Where in the query the first error arose, as the server gives it. */
  readonly path: readonly (string | number)[] | undefined;
  /** The input field the server names, when it names one. */
  readonly field: string | undefined;
  /** The HTTP status, 0 when the request never got an answer. */
  readonly status: number;
  /** Every GraphQL error of the answer (the first is in message and code). */
  readonly errors: readonly GraphQLErrorEntry[];
  /** Data the server returned beside the errors (fields that did resolve). */
  readonly partialData: unknown;
  /** Seconds to wait before retrying (429), from Retry-After. */
  readonly retryAfter: number | undefined;

  constructor(init: {
    code: string;
    message: string;
    status: number;
    path?: readonly (string | number)[] | undefined;
    field?: string | undefined;
    errors?: readonly GraphQLErrorEntry[];
    partialData?: unknown;
    retryAfter?: number | undefined;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.code = init.code;
    this.status = init.status;
    this.path = init.path;
    this.field = init.field;
    this.errors = init.errors ?? [];
    this.partialData = init.partialData;
    this.retryAfter = init.retryAfter;
  }

  /** The key is missing, wrong, expired or revoked: the session is over. */
  get unauthenticated(): boolean {
    return this.code === 'UNAUTHENTICATED' || this.status === 401;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export interface RequestOptions {
  /** The key or JWT to send; the session's when not given (sign-in passes the one it tests). */
  token?: string | null;
  signal?: AbortSignal;
}

interface GraphQLResponse<R> {
  data?: R | null;
  errors?: GraphQLErrorEntry[];
}

/** Runs one typed operation. Any error in the answer throws, partial data rides on the ApiError. */
export async function request<R, V>(doc: TypedDocumentString<R, V>, vars: V, opts: RequestOptions = {}): Promise<R> {
  const token = opts.token === undefined ? currentToken() : opts.token;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    // The GraphQL-over-HTTP media type gets meaningful statuses; JSON is the fallback.
    Accept: 'application/graphql-response+json, application/json;q=0.9',
  };
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: doc.toString(), variables: vars ?? {} }),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({ code: 'NETWORK', status: 0, message: 'the server did not answer; is cdpgraph running?' });
  }
  return parseResponse<R>(response);
}

export async function parseResponse<R>(response: Response): Promise<R> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  let body: GraphQLResponse<R> | null = null;
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      body = (await response.json()) as GraphQLResponse<R>;
    } catch {
      body = null;
    }
  }
  const first = body?.errors?.[0];
  if (first) {
    throw new ApiError({
      code: first.extensions?.code ?? `HTTP_${response.status}`,
      message: first.message,
      status: response.status,
      path: first.path,
      field: first.extensions?.field,
      errors: body?.errors ?? [],
      partialData: body?.data ?? undefined,
      retryAfter,
    });
  }
  if (!response.ok || !body || body.data === undefined || body.data === null) {
    throw new ApiError({
      code: `HTTP_${response.status}`,
      message: httpMessage(response.status),
      status: response.status,
      retryAfter,
    });
  }
  return body.data;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function httpMessage(status: number): string {
  if (status === 401) return 'the key was refused';
  if (status === 403) return 'this key may not do that';
  if (status === 429) return 'too many requests; retry in a moment';
  if (status >= 500) return `the server failed (HTTP ${status})`;
  if (status >= 200 && status < 300) return 'the server answered without data';
  return `the request was refused (HTTP ${status})`;
}
