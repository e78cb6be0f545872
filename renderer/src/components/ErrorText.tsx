/** @jsxRuntime automatic */
/** An error in words: what happened, and (smaller) what to do. */
import type { ErrorInfo } from '../../../main/api/errors';

export function ErrorText({ error, testId }: { error: ErrorInfo | null | undefined; testId?: string }) {
  if (!error) return null;
  return (
    <p className="error" role="alert" data-testid={testId}>
      {error.message}
      {error.hint ? <span className="hint"> — {error.hint}</span> : null}
    </p>
  );
}
