// Every page of the console in one table: the nav, the routes and the role guard all read
// it, so a page a role may not open is neither offered nor reachable (the server still
// enforces the roles on every request). To add a page: add its file under pages/<area>/
// with a default export, and one row here.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { generatePath, matchPath } from 'react-router';
import { ROLES, type Role } from './auth/roles';

export type NavGroup = 'Overview' | 'Customers' | 'Analytics' | 'Segments' | 'Identity' | 'Admin';
export const NAV_GROUPS: readonly NavGroup[] = ['Overview', 'Customers', 'Analytics', 'Segments', 'Identity', 'Admin'];

interface PageRow {
  id: string;
  /** Route path inside /console (react-router syntax, :param for a segment). */
  path: string;
  title: string;
  roles: readonly Role[];
  group: NavGroup;
  /** Listed in the nav; detail pages (a customer, a segment) are reached by links. */
  inNav: boolean;
  /** Loaded on first visit, so charts and graphs load only with the pages that draw them. */
  component: LazyExoticComponent<ComponentType>;
}

export interface PageDef extends PageRow {
  id: PageId;
}

const ANALYTICS: readonly Role[] = ['ADMIN', 'ANALYST'];

export const PAGES = [
  { id: 'home', path: '/', title: 'Overview', roles: ROLES, group: 'Overview', inNav: true,
    component: lazy(() => import('./pages/home/HomePage')) },
  { id: 'customers', path: '/customers', title: 'Customers', roles: ANALYTICS, group: 'Customers', inNav: true,
    component: lazy(() => import('./pages/customers/CustomersPage')) },
  { id: 'customer', path: '/customers/:id', title: 'Customer 360', roles: ANALYTICS, group: 'Customers', inNav: false,
    component: lazy(() => import('./pages/customers/Customer360Page')) },
  { id: 'lookup', path: '/lookup', title: 'Lookup', roles: ['FRONTEND', 'PARTNER'], group: 'Customers', inNav: true,
    component: lazy(() => import('./pages/lookup/LookupPage')) },
  { id: 'loyalty', path: '/loyalty', title: 'Loyalty & churn', roles: ANALYTICS, group: 'Analytics', inNav: true,
    component: lazy(() => import('./pages/loyalty/LoyaltyPage')) },
  { id: 'influence', path: '/influence', title: 'Influence', roles: ANALYTICS, group: 'Analytics', inNav: true,
    component: lazy(() => import('./pages/influence/InfluencePage')) },
  { id: 'segments', path: '/segments', title: 'Segments', roles: ANALYTICS, group: 'Segments', inNav: true,
    component: lazy(() => import('./pages/segments/SegmentsPage')) },
  { id: 'segmentNew', path: '/segments/new', title: 'New segment', roles: ANALYTICS, group: 'Segments', inNav: false,
    component: lazy(() => import('./pages/segments/SegmentNewPage')) },
  { id: 'segment', path: '/segments/:id', title: 'Segment', roles: ANALYTICS, group: 'Segments', inNav: false,
    component: lazy(() => import('./pages/segments/SegmentPage')) },
  { id: 'identity', path: '/identity', title: 'Identity review', roles: ANALYTICS, group: 'Identity', inNav: true,
    component: lazy(() => import('./pages/identity/IdentityPage')) },
  { id: 'audit', path: '/audit', title: 'Audit log', roles: ['ADMIN'], group: 'Admin', inNav: true,
    component: lazy(() => import('./pages/audit/AuditPage')) },
] as const satisfies readonly PageRow[];

export type PageId = (typeof PAGES)[number]['id'];

const byId = new Map<string, PageDef>(PAGES.map((p) => [p.id, p as PageDef]));

export function page(id: PageId): PageDef {
  const p = byId.get(id);
  if (!p) throw new Error(`no page ${id}`);
  return p;
}

export function canOpen(role: Role, id: PageId): boolean {
  return page(id).roles.includes(role);
}

/** The pages a role may open, in table order. */
export function pagesFor(role: Role): PageDef[] {
  return (PAGES as readonly PageDef[]).filter((p) => p.roles.includes(role));
}

/** The nav for a role: its pages in the nav, by group, groups without pages left out. */
export function navFor(role: Role): { group: NavGroup; pages: PageDef[] }[] {
  const mine = pagesFor(role).filter((p) => p.inNav);
  return NAV_GROUPS.map((group) => ({ group, pages: mine.filter((p) => p.group === group) })).filter((g) => g.pages.length > 0);
}

/**
 * The link to a page, with its params filled and encoded: pathTo('customer', { id }).
 * Pages link through this rather than spelling paths, so the table stays the only source.
 */
export function pathTo(id: PageId, params: Record<string, string> = {}, search?: URLSearchParams | Record<string, string>): string {
  const path = generatePath(page(id).path, params);
  const qs = search ? new URLSearchParams(search).toString() : '';
  return qs ? `${path}?${qs}` : path;
}

/** The page a path inside the console opens (static paths win over :params), or null. */
export function pageAt(pathname: string): PageDef | null {
  const matches = (PAGES as readonly PageDef[]).filter((p) => matchPath({ path: p.path, end: true }, pathname));
  const isStatic = (p: PageDef) => !p.path.includes(':');
  return matches.find(isStatic) ?? matches[0] ?? null;
}
