import { describe, expect, it } from 'vitest';
import { ROLES } from './auth/roles';
import { PAGES, canOpen, navFor, pageAt, pagesFor, pathTo } from './pages';

describe('the page table', () => {
  it('has unique ids and paths, and every page names at least one role', () => {
    expect(new Set(PAGES.map((p) => p.id)).size).toBe(PAGES.length);
    expect(new Set(PAGES.map((p) => p.path)).size).toBe(PAGES.length);
    for (const p of PAGES) expect(p.roles.length).toBeGreaterThan(0);
  });

  it('gives each role the pages the issue names', () => {
    const ids = (role: (typeof ROLES)[number]) => pagesFor(role).map((p) => p.id);
    expect(ids('ADMIN')).toEqual(['home', 'customers', 'customer', 'loyalty', 'influence', 'segments', 'segmentNew', 'segment', 'identity', 'audit']);
    expect(ids('ANALYST')).toEqual(['home', 'customers', 'customer', 'loyalty', 'influence', 'segments', 'segmentNew', 'segment', 'identity']);
    expect(ids('FRONTEND')).toEqual(['home', 'lookup']);
    expect(ids('PARTNER')).toEqual(['home', 'lookup']);
  });

  it('keeps the audit log to admins and analytics from partners and frontends', () => {
    expect(canOpen('ADMIN', 'audit')).toBe(true);
    expect(canOpen('ANALYST', 'audit')).toBe(false);
    expect(canOpen('PARTNER', 'customers')).toBe(false);
    expect(canOpen('FRONTEND', 'segments')).toBe(false);
    expect(canOpen('PARTNER', 'lookup')).toBe(true);
    expect(canOpen('ADMIN', 'lookup')).toBe(false);
  });

  it('builds the nav by group with only listed pages and no empty groups', () => {
    expect(navFor('PARTNER')).toEqual([
      { group: 'Overview', pages: [expect.objectContaining({ id: 'home' })] },
      { group: 'Customers', pages: [expect.objectContaining({ id: 'lookup' })] },
    ]);
    const admin = navFor('ADMIN');
    expect(admin.map((g) => g.group)).toEqual(['Overview', 'Customers', 'Analytics', 'Segments', 'Identity', 'Admin']);
    expect(admin.flatMap((g) => g.pages).some((p) => p.path.includes(':') || p.id === 'segmentNew')).toBe(false);
  });

  it('finds the page at a path, a static path winning over a parameter', () => {
    expect(pageAt('/segments/new')?.id).toBe('segmentNew');
    expect(pageAt('/segments/seg-1')?.id).toBe('segment');
    expect(pageAt('/customers/c%2F1')?.id).toBe('customer');
    expect(pageAt('/')?.id).toBe('home');
    expect(pageAt('/nowhere')).toBeNull();
  });

  it('makes links with encoded params and search', () => {
    expect(pathTo('customer', { id: 'a/b c' })).toBe('/customers/a%2Fb%20c');
    expect(pathTo('customers', {}, { band: 'HIGH' })).toBe('/customers?band=HIGH');
    expect(pageAt(pathTo('customer', { id: 'x' }))?.id).toBe('customer');
  });
});
