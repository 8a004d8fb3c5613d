import { Navigate, useLocation } from 'react-router';
import { Loading } from '../components/Loading';
import { ROLE_LABELS } from './roles';
import { useSession } from './SessionContext';
import type { PageDef } from '../pages';
import type { ReactNode } from 'react';

/** Sends a visitor without a session to sign in, remembering the path (never the key). */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { session, checkingFragment } = useSession();
  const location = useLocation();
  if (checkingFragment) return <Loading label="Signing in…" />;
  if (!session) {
    const next = location.pathname + location.search;
    const to = next === '/' ? '/signin' : `/signin?${new URLSearchParams({ next })}`;
    return <Navigate to={to} replace />;
  }
  return <>{children}</>;
}

/** Shows a page only to the roles its row in pages.ts names. */
export function RequireRole({ page, children }: { page: PageDef; children: ReactNode }) {
  const { session } = useSession();
  if (!session) return null;
  if (!page.roles.includes(session.viewer.role)) {
    return (
      <section className="page">
        <h1>{page.title}</h1>
        <div className="error-box" role="alert">
          <p className="error-title">Not available to your role</p>
          <p>
            <code className="error-code">FORBIDDEN</code> {ROLE_LABELS[session.viewer.role]} keys may not open {page.title}; it is
            for {page.roles.map((r) => ROLE_LABELS[r]).join(', ')}.
          </p>
        </div>
      </section>
    );
  }
  return <>{children}</>;
}
