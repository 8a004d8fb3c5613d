import { isApiError } from '../api/client';

/** An error as the server gave it: its code and message (and where, when it says). */
export function ErrorBox({ error, title = 'Something went wrong', onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const code = isApiError(error) ? error.code : 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  const where = isApiError(error) ? (error.field ?? error.path?.join('.')) : undefined;
  return (
    <div className="error-box" role="alert" data-testid="error-box">
      <p className="error-title">{title}</p>
      <p>
        <code className="error-code">{code}</code> {message}
        {where ? <span className="error-where"> ({where})</span> : null}
      </p>
      {isApiError(error) && error.retryAfter !== undefined ? <p>Retry in {error.retryAfter} s.</p> : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
