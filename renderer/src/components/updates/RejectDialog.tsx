/** @jsxRuntime automatic */
/** Asks before rejecting: the digests concerned, and that they will not be proposed again. */
import type { Decision } from '../../stores/ui-store';
import { Dialog } from '../Dialog';
import { DecisionRows } from './DecisionRows';
import { useDecision } from './use-decision';

export function RejectDialog({ decision }: { decision: Decision }) {
  const { app, status, rows, what, confirmReason, close, confirm } = useDecision(decision, 'reject');

  return (
    <Dialog titleId="reject-title" testId="reject-dialog" wide onEscape={status?.pending ? null : close}>
        <h2 id="reject-title">Reject {what}?</h2>
        <DecisionRows rows={rows} prefix="reject-dialog" withSize={false} />
        <p data-testid="reject-explanation">
          Nothing is downloaded and {app} keeps running what it runs. {rows.length === 1 ? 'This digest' : 'These digests'} will not be proposed again for{' '}
          {rows.length === 1 ? 'this service' : 'these services'}; a different digest will be. The rejection is recorded in the history.
        </p>
        {status && !status.pending ? (
          <p className={`outcome ${status.error ? 'failed' : ''}`} data-testid="reject-outcome" role="status">
            {status.outcome ? status.outcome.text : `not rejected: ${status.error?.message ?? 'no reason given'}`}
            {status.error?.hint ? <span className="hint"> — {status.error.hint}</span> : null}
          </p>
        ) : null}
        <div className="dialog-buttons">
          {!status ? (
            <>
              <button type="button" onClick={close} data-testid="cancel-reject" autoFocus>
                Keep it pending
              </button>
              <button type="button" className="danger" onClick={() => confirm()} data-testid="confirm-reject" disabled={confirmReason !== null} title={confirmReason ?? undefined}>
                Reject
              </button>
            </>
          ) : (
            <button type="button" onClick={close} data-testid="reject-close" disabled={status.pending} title={status.pending ? 'rejecting' : undefined} autoFocus={!status.pending}>
              {status.pending ? 'Rejecting…' : 'Close'}
            </button>
          )}
        </div>
    </Dialog>
  );
}
