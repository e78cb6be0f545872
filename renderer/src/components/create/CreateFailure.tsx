/** @jsxRuntime automatic */
/**
 * Why a create was refused, whole: "Not created:" when nothing was recorded, or "Created, but
 * it failed to start:" with a link to the app, which exists (failed) and holds its name.
 */
import type { ReactNode } from 'react';
import type { ErrorInfo } from '../../../../main/api/errors';
import { createFailure } from '../../lib/create-failure';
import { useStores } from '../StoresContext';

export function CreateFailure({ error, testId, children }: { error: ErrorInfo; testId: string; children?: ReactNode }) {
  const { ui } = useStores();
  const failure = createFailure(error);
  return (
    <div className="form-error" data-testid={testId} data-created={failure.app ?? ''} role="alert">
      <strong>{failure.lead}</strong> {failure.detail}
      {error.hint ? <span className="hint"> — {error.hint}</span> : null}
      {failure.app ? (
        <div>
          <button type="button" className="link" data-testid={`${testId}-open`} onClick={() => ui.getState().openApp(failure.app!)}>
            Open {failure.app} (see why, delete it or start it again)
          </button>
        </div>
      ) : null}
      {children}
    </div>
  );
}
