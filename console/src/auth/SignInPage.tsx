import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { Loading } from '../components/Loading';
import { safeNext } from './session';
import { useSession } from './SessionContext';

export default function SignInPage() {
  const { session, signIn, fragmentError, checkingFragment } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (checkingFragment) return <Loading label="Signing in…" />;
  if (session && !busy) return <Navigate to={next} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(token);
      navigate(next, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const shown = error ?? fragmentError;

  return (
    <main className="signin">
      <form className="signin-card" onSubmit={submit}>
        <h1>cdpgraph console</h1>
        <p>Sign in with an API key or a JWT. It is kept for this browser tab only and sent to this server alone.</p>
        <label className="field">
          API key or JWT
          <input
            type="password"
            name="token"
            data-testid="signin-key"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            autoFocus
            required
          />
        </label>
        <button type="submit" className="primary" data-testid="signin-submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        {shown ? (
          <ErrorBox title={isApiError(shown) && shown.unauthenticated ? 'The server refused this key' : 'Could not sign in'} error={shown} />
        ) : null}
        <p className="hint">
          The local demo's keys (one per role) are in <code>data/demo-keys.env</code>; <code>make run</code> prints a link
          that signs in as admin.
        </p>
      </form>
    </main>
  );
}
