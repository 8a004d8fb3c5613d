import { ApiError } from '../../api/client';
import type { AuditFilter } from '../../gql/graphql';

/** The URL's filters as the API's AuditFilter (empty ones left out); since is a date, from its start in UTC. */
export function auditFilter(v: { actor: string; action: string; customer: string; since: string }): { filter: AuditFilter | null; error: ApiError | null } {
  const f: AuditFilter = {};
  if (v.actor.trim()) f.actor = v.actor.trim();
  if (v.action.trim()) f.action = v.action.trim();
  if (v.customer.trim()) f.customer = v.customer.trim();
  if (v.since.trim()) {
    const s = v.since.trim();
    const t = /^\d{4}-\d{2}-\d{2}$/.test(s) ? new Date(`${s}T00:00:00Z`) : new Date(s);
    if (Number.isNaN(t.getTime())) {
      return { filter: null, error: new ApiError({ code: 'BAD_USER_INPUT', status: 0, message: `"${s}" is not a date (YYYY-MM-DD)`, field: 'since' }) };
    }
    f.since = t.toISOString();
  }
  return { filter: Object.keys(f).length ? f : null, error: null };
}
