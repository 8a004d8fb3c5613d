import type { Role } from '../gql/graphql';

export type { Role };

/** Every role of the API, in the order the console lists them. */
export const ROLES = ['ADMIN', 'ANALYST', 'FRONTEND', 'PARTNER'] as const satisfies readonly Role[];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export const ROLE_LABELS: Record<Role, string> = {
  ADMIN: 'Admin',
  ANALYST: 'Analyst',
  FRONTEND: 'Frontend app',
  PARTNER: 'Partner',
};
