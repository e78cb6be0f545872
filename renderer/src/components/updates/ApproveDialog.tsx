/** @jsxRuntime automatic */
/**
 * Asks before approving: per service, from → to and the download size, and the approver's
 * name (remembered by this browser; the ledger records it beside the user Tagkeeper runs
 * as); an update that goes back to older content (a downgrade) is marked and Confirm waits
 * for its own checkbox. Confirm approves (`updates:approve`); the dialog then shows the pulls
 * of the app since then and the operation's phase, and at the end how it went: done, rolled
 * back (why), or failed.
 */
import { useState } from 'react';
import { useStore } from 'zustand';
import type { Decision } from '../../stores/ui-store';
import { AppWorkProgress } from '../activity/AppWorkProgress';
import { ApproverNameField, useApproverName } from '../ApproverNameField';
import { Dialog } from '../Dialog';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';
import { DecisionRows } from './DecisionRows';
import { useDecision } from './use-decision';

export function ApproveDialog({ decision }: { decision: Decision }) {
  const { updates } = useStores();
  const loaded = useStore(updates, (s) => s.loaded);
  const loadError = useStore(updates, (s) => s.loadError);
  const approver = useApproverName();
  const { app, status, rows, what, confirmed, confirmReason, close, confirm } = useDecision(decision, 'approve', {
    blocked: !loaded ? 'working out the download size' : approver.missing,
    reloadOnOpen: true,
  });
  const [allowDowngrade, setAllowDowngrade] = useState(false);
  const downgrades = rows.filter((u) => u.downgrade);
  const holdBack = confirmReason ?? (downgrades.length > 0 && !allowDowngrade ? 'tick "Allow going back" first: this approval is a downgrade' : null);
  const approve = () => {
    if (holdBack) return;
    approver.remember();
    confirm({ allowDowngrade, approver: approver.named });
  };

  return (
    <Dialog titleId="approve-title" testId="approve-dialog" wide onEscape={close}>
        <h2 id="approve-title">Approve {what}?</h2>
        <ErrorText error={loadError} testId="approve-load-error" />
        {loaded || confirmed ? <DecisionRows rows={rows} prefix="approve-dialog" withSize /> : <p className="muted">Working out the download size…</p>}
        {!status && downgrades.length > 0 ? (
          <label className="inline warning" data-testid="approve-allow-downgrade-label">
            <input type="checkbox" data-testid="approve-allow-downgrade" checked={allowDowngrade} onChange={(e) => setAllowDowngrade(e.target.checked)} />
            Allow going back to older content ({downgrades.map((u) => `${u.service}: ${u.downgrade}`).join('; ')})
          </label>
        ) : null}
        {!status ? (
          <>
            <ApproverNameField id="approver-name" name={approver} onEnter={approve} />
            <p className="muted">
              Approving downloads what this box does not have yet, switches to exactly these digests (only changed services restart) and records you as
              the approver. If the new containers do not stay up, {app} goes back to its current digests by itself.
            </p>
          </>
        ) : null}
        {status?.pending ? (
          <AppWorkProgress app={app} since={status.startedAt} testId="approve-progress">
            Approving: downloading, then switching {app}…
          </AppWorkProgress>
        ) : null}
        {status && !status.pending ? (
          <p className={`outcome ${status.error || status.outcome?.tone === 'failed' || status.outcome?.tone === 'rolled-back' ? 'failed' : ''}`}
            data-testid="approve-outcome" data-tone={status.outcome?.tone ?? 'failed'} role="status">
            {status.outcome ? status.outcome.text : `not approved: ${status.error?.message ?? 'no reason given'}`}
            {status.error?.hint ? <span className="hint"> — {status.error.hint}</span> : null}
          </p>
        ) : null}
        <div className="dialog-buttons">
          {!status ? (
            <>
              <button type="button" onClick={close} data-testid="cancel-approve" autoFocus>
                Cancel
              </button>
              <button type="button" className="primary" onClick={approve} data-testid="confirm-approve" disabled={holdBack !== null} title={holdBack ?? undefined}>
                Approve and apply
              </button>
            </>
          ) : (
            <button type="button" onClick={close} data-testid="approve-close" autoFocus={!status.pending}>
              {status.pending ? 'Hide (it goes on)' : 'Close'}
            </button>
          )}
        </div>
    </Dialog>
  );
}
