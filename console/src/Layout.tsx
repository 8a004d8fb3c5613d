import { Suspense } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { ROLE_LABELS } from './auth/roles';
import { useSignedIn, useSession } from './auth/SessionContext';
import { Badge } from './components/Badge';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Loading } from './components/Loading';
import { navFor } from './pages';

/** The frame of every signed-in page: header with who is signed in, the nav for the role, the page. */
export function Layout() {
  const { viewer } = useSignedIn();
  const { signOut } = useSession();
  const location = useLocation();
  return (
    <div className="app">
      <header className="app-header">
        <Link className="brand" to="/">
          cdpgraph <span>console</span>
        </Link>
        <div className="who">
          <span data-testid="viewer-role">
            <Badge tone={viewer.role === 'ADMIN' ? 'warn' : 'info'}>{ROLE_LABELS[viewer.role]}</Badge>
          </span>
          <span className="subject" title="API key id or JWT subject">
            {viewer.subject}
          </span>
          {viewer.partner ? <span className="partner">partner {viewer.partner}</span> : null}
          {viewer.rawPersonalData ? null : <span className="pseudo" title="Personal data is pseudonymized for this key">pseudonymized</span>}
          <button type="button" data-testid="signout" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="app-nav" aria-label="Pages" data-testid="nav">
        {navFor(viewer.role).map(({ group, pages }) => (
          <div className="nav-group" key={group}>
            <p className="nav-group-title">{group}</p>
            <ul>
              {pages.map((p) => (
                <li key={p.id}>
                  <NavLink to={p.path} end={p.path === '/'}>
                    {p.title}
                  </NavLink>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main className="app-main">
        <ErrorBoundary resetKey={location.pathname}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}
