// Runs the graphql-http GraphQL-over-HTTP conformance audit against a running server.
//
//   node audit.mjs http://127.0.0.1:8080/graphql
//
// When CDP_AUDIT_KEY is set every request carries "Authorization: Bearer $CDP_AUDIT_KEY".
// Prints one line per audit (status, id, name, and why it did not pass), then a summary.
// Exits 1 if any audit is an error (a failed MUST), 2 on usage or fatal problems.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url || process.argv.length > 3) {
  console.error('usage: node audit.mjs URL   (CDP_AUDIT_KEY, when set, is sent as a bearer token)');
  process.exit(2);
}

const key = process.env.CDP_AUDIT_KEY;

/** fetch, plus the bearer token when there is one. */
function fetchFn(input, init = {}) {
  if (!key) return fetch(input, init);
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${key}`);
  return fetch(input, { ...init, headers });
}

/** A short description of the response an audit failed on, for the report. */
async function describe(res) {
  if (!res) return '';
  let body = '';
  try {
    body = (await res.text()).replace(/\s+/g, ' ').trim();
  } catch {
    // The audit already read the body.
  }
  if (body.length > 200) body = body.slice(0, 200) + '…';
  const type = res.headers.get('content-type') ?? 'none';
  return ` [HTTP ${res.status}, content-type ${type}${body ? `, body ${body}` : ''}]`;
}

let results;
try {
  results = await auditServer({ url, fetchFn });
} catch (err) {
  console.error(`audit could not run against ${url}: ${err?.stack ?? err}`);
  process.exit(2);
}

const order = { error: 0, warn: 1, notice: 2, ok: 3 };
results.sort((a, b) => order[a.status] - order[b.status] || a.id.localeCompare(b.id));

const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const r of results) {
  counts[r.status] = (counts[r.status] ?? 0) + 1;
  const why = r.status === 'ok' ? '' : ` -- ${r.reason}${await describe(r.response)}`;
  console.log(`${r.status.padEnd(6)} ${r.id} ${r.name}${why}`);
}
console.log(
  `graphql-http audit of ${url}: ${results.length} audits, ${counts.ok} ok, ${counts.notice} notice, ` +
    `${counts.warn} warn, ${counts.error} error`,
);
process.exit(counts.error > 0 ? 1 : 0);
