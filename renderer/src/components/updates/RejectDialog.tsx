/** @jsxRuntime automatic */
/** Asks before rejecting: the digests concerned, and that they will not be proposed again. */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { PendingUpdateView } from '../../../../main/core/pending-updates';
import type { Decision } from '../../stores/ui-store';
import { useStores } from '../StoresContext';
import { DecisionRows, rowsOf } from './DecisionRows';

export function RejectDialog({ decision }: { decision: Decision }) {
  const { ui, updates } = useStores();
  const { app, service } = decision;
  const list = useStore(updates, (s) => s.updates);
  const decided = useStore(updates, (s) => s.decisions[app]);
  // This dialog's own decision; another one still running on the app holds Confirm back.
  const status = decided?.kind === 'reject' ? decided : undefined;
  const other = decided && decided.kind !== 'reject' && decided.pending ? decided.kind : null;
  const [confirmed, setConfirmed] = useState<PendingUpdateView[] | null>(null);
  useEffect(() => {
    // How an earlier, hidden decision ended is not this one's outcome.
    if (updates.getState().decisions[app]?.pending === false) updates.getState().forget(app);
  }, [updates, app]);

  const rows = confirmed ?? rowsOf(list, app, service);
  const what = service === null ? `the updates of ${app}` : `the update of ${app}/${service}`;
  const confirmReason = other ? `waiting for ${other} to finish` : rows.length === 0 ? `no update of ${service === null ? app : `${app}/${service}`} waits for a decision` : null;

  const close = () => {
    ui.getState().askDecision(null);
    if (!status?.pending) updates.getState().forget(app);
  };
  const confirm = () => {
    if (confirmReason) return;
    setConfirmed(rows);
    void updates.getState().reject(app, service);
  };

  return (
    <div className="dialog-backdrop">
      <div className="dialog wide" role="dialog" aria-modal="true" aria-labelledby="reject-title" data-testid="reject-dialog"
        onKeyDown={(e) => (e.key === 'Escape' && !status ? close() : undefined)}>
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
              <button type="button" className="danger" onClick={confirm} data-testid="confirm-reject" disabled={confirmReason !== null} title={confirmReason ?? undefined}>
                Reject
              </button>
            </>
          ) : (
            <button type="button" onClick={close} data-testid="reject-close" disabled={status.pending} title={status.pending ? 'rejecting' : undefined} autoFocus={!status.pending}>
              {status.pending ? 'Rejecting…' : 'Close'}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
