// Page state (filters, sort, paging) lives in the URL's search params, so every view can be
// bookmarked, shared and restored with Back. A page declares its params once as a spec of
// codecs; readState gives typed values (defaults for missing or bad input) and writeState
// gives the next params, leaving defaults out so URLs stay short.

export interface Codec<T> {
  /** all holds every value of the param (lists), raw the first one or null. */
  parse(raw: string | null, all: readonly string[]): T;
  /** The values to write; an empty array leaves the param out (the default). */
  format(value: T): string[];
}

/**
 * A page's params: a codec per name, each with its own value type. Any Codec<T> fits
 * Codec<unknown> (parse returns a T, which is unknown; format is a method, so its parameter
 * is compared bivariantly), and Values<S> maps each name back to its codec's own T.
 */
export type Spec = Record<string, Codec<unknown>>;
export type Values<S extends Spec> = { [K in keyof S]: S[K] extends Codec<infer T> ? T : never };

export type SortDir = 'asc' | 'desc';
export interface Sort<K extends string = string> {
  key: K;
  dir: SortDir;
}

export const param = {
  string(fallback = ''): Codec<string> {
    return {
      parse: (raw) => (raw === null ? fallback : raw),
      format: (v) => (v === fallback ? [] : [v]),
    };
  },
  /** A number, or fallback when missing or not a number (null: no value). */
  number(fallback: number | null = null): Codec<number | null> {
    return {
      parse: (raw) => {
        if (raw === null || raw.trim() === '') return fallback;
        const n = Number(raw);
        return Number.isFinite(n) ? n : fallback;
      },
      format: (v) => (v === fallback || v === null ? [] : [String(v)]),
    };
  },
  boolean(fallback = false): Codec<boolean> {
    return {
      parse: (raw) => (raw === null ? fallback : raw === '1' || raw === 'true'),
      format: (v) => (v === fallback ? [] : [v ? '1' : '0']),
    };
  },
  /** One of a fixed set (an enum of the API); anything else is the fallback. */
  oneOf<T extends string>(values: readonly T[], fallback: T): Codec<T> {
    return {
      parse: (raw) => (raw !== null && (values as readonly string[]).includes(raw) ? (raw as T) : fallback),
      format: (v) => (v === fallback ? [] : [v]),
    };
  },
  /** Like oneOf, with no value as null. */
  optionalOf<T extends string>(values: readonly T[]): Codec<T | null> {
    return {
      parse: (raw) => (raw !== null && (values as readonly string[]).includes(raw) ? (raw as T) : null),
      format: (v) => (v === null ? [] : [v]),
    };
  },
  /** A repeated param: ?source=shop&source=crm. */
  list(): Codec<string[]> {
    return {
      parse: (_raw, all) => all.filter((v) => v !== ''),
      format: (v) => v,
    };
  },
  /** A sort as "key" (ascending) or "-key" (descending), limited to the given keys. */
  sort<K extends string>(keys: readonly K[], fallback: Sort<K>): Codec<Sort<K>> {
    return {
      parse: (raw) => {
        if (raw === null) return fallback;
        const dir: SortDir = raw.startsWith('-') ? 'desc' : 'asc';
        const key = raw.replace(/^-/, '');
        return (keys as readonly string[]).includes(key) ? { key: key as K, dir } : fallback;
      },
      format: (v) => (v.key === fallback.key && v.dir === fallback.dir ? [] : [(v.dir === 'desc' ? '-' : '') + v.key]),
    };
  },
};

export function readState<S extends Spec>(params: URLSearchParams, spec: S): Values<S> {
  const out: Record<string, unknown> = {};
  for (const [name, codec] of Object.entries(spec)) {
    out[name] = codec.parse(params.get(name), params.getAll(name));
  }
  return out as Values<S>;
}

/**
 * The params after applying patch to the spec's params. Params the spec does not name are
 * kept (another part of the page may own them); the paging params are dropped whenever a
 * spec'd value changes, since a cursor belongs to the filters and sort it was made with.
 */
export function writeState<S extends Spec>(params: URLSearchParams, spec: S, patch: Partial<Values<S>>): URLSearchParams {
  const next = new URLSearchParams(params);
  let changed = false;
  for (const [name, value] of Object.entries(patch)) {
    const codec = spec[name];
    if (!codec || value === undefined) continue;
    const before = next.getAll(name);
    const after = codec.format(value);
    if (before.join('\u0000') === after.join('\u0000')) continue;
    changed = true;
    next.delete(name);
    for (const v of after) next.append(name, v);
  }
  if (changed) clearPaging(next);
  return next;
}

// Cursor paging: `after` is the current page's cursor, and `prev` the cursors of the pages
// before it (repeated, oldest first), so Previous works and the page number is known.
export const AFTER = 'after';
export const PREV = 'prev';

export interface CursorPosition {
  after: string | null;
  /** 0 for the first page. */
  pageIndex: number;
}

export function readCursor(params: URLSearchParams): CursorPosition {
  return { after: params.get(AFTER), pageIndex: params.getAll(PREV).length + (params.has(AFTER) ? 1 : 0) };
}

export function nextPage(params: URLSearchParams, endCursor: string): URLSearchParams {
  const next = new URLSearchParams(params);
  const current = next.get(AFTER);
  if (current !== null) next.append(PREV, current);
  next.set(AFTER, endCursor);
  return next;
}

export function previousPage(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  const prev = next.getAll(PREV);
  const last = prev.pop();
  next.delete(PREV);
  for (const c of prev) next.append(PREV, c);
  if (last === undefined) next.delete(AFTER);
  else next.set(AFTER, last);
  return next;
}

export function clearPaging(params: URLSearchParams): void {
  params.delete(AFTER);
  params.delete(PREV);
}
