/** @jsxRuntime automatic */
/**
 * Asks before approving: per service, from → to and the download size. Confirm approves
 * (`updates:approve`); the dialog then shows the pulls of the app since then and the
 * operation's phase, and at the end how it went: done, rolled back (why), or failed.
 */
import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { AppView } from '../../../../main/core/app-view';
import type { PendingUpdateView } from '../../../../main/core/pending-updates';
import type { Decision } from '../../stores/ui-store';
import { PullView } from '../activity/PullView';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';
import { DecisionRows, rowsOf } from './DecisionRows';

const NO_OPERATIONS: AppView['openOperations'] = [];

export function ApproveDialog({ decision }: { decision: Decision }) {
  const { ui, updates, operations, apps } = useStores();
  const { app, service } = decision;
  const list = useStore(updates, (s) => s.updates);
  const loaded = useStore(updates, (s) => s.loaded);
  const loadError = useStore(updates, (s) => s.loadError);
  const decided = useStore(updates, (s) => s.decisions[app]);
  // This dialog's own decision; another one still running on the app holds Confirm back.
  const status = decided?.kind === 'approve' ? decided : undefined;
  const other = decided && decided.kind !== 'approve' && decided.pending ? decided.kind : null;
  const pulls = useStore(operations, (s) => s.pulls);
  const open = useStore(apps, (s) => s.apps.find((a) => a.name === app)?.openOperations ?? NO_OPERATIONS);
  // What was confirmed stays on screen after the list moved on (applied rows leave it).
  const [confirmed, setConfirmed] = useState<PendingUpdateView[] | null>(null);

  useEffect(() => {
    // How an earlier, hidden decision ended is not this one's outcome.
    if (updates.getState().decisions[app]?.pending === false) updates.getState().forget(app);
    // Fresh sizes: what is on the box may have changed since the list was loaded.
    void updates.getState().load();
  }, [updates, app]);

  const rows = confirmed ?? rowsOf(list, app, service);
  const since = status?.startedAt ?? Infinity;
  const appPulls = useMemo(() => Object.values(pulls).filter((p) => p.app === app && p.updatedAt >= since), [pulls, app, since]);
  const what = service === null ? `the updates of ${app}` : `the update of ${app}/${service}`;
  const confirmReason = other ? `waiting for ${other} to finish` : !loaded ? 'working out the download size' : rows.length === 0 ? `no update of ${service === null ? app : `${app}/${service}`} waits for a decision` : null;

  const close = () => {
    ui.getState().askDecision(null);
    if (!status?.pending) updates.getState().forget(app);
  };
  const confirm = () => {
    if (confirmReason) return;
    setConfirmed(rows);
    void updates.getState().approve(app, service);
  };

  return (
    <div className="dialog-backdrop">
      <div className="dialog wide" role="dialog" aria-modal="true" aria-labelledby="approve-title" data-testid="approve-dialog"
        onKeyDown={(e) => (e.key === 'Escape' && !status ? close() : undefined)}>
        <h2 id="approve-title">Approve {what}?</h2>
        <ErrorText error={loadError} testId="approve-load-error" />
        {loaded || confirmed ? <DecisionRows rows={rows} prefix="approve-dialog" withSize /> : <p className="muted">Working out the download size…</p>}
        {!status ? (
          <p className="muted">
            Approving downloads what this box does not have yet, switches to exactly these digests (only changed services restart) and records you as the
            approver. If the new containers do not stay up, {app} goes back to its current digests by itself.
          </p>
        ) : null}
        {status?.pending ? (
          <div className="decision-progress" data-testid="approve-progress" role="status">
            <p>Approving: downloading, then switching {app}…</p>
            {open.map((op) => (
              <p key={op.id} className="muted">
                operation {op.id}: {op.kind} {op.state} ({op.phase})
              </p>
            ))}
            {appPulls.map((p) => (
              <PullView key={`${p.app}/${p.service}`} app={p.app} service={p.service} progress={p.progress} />
            ))}
          </div>
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
              <button type="button" className="primary" onClick={confirm} data-testid="confirm-approve" disabled={confirmReason !== null} title={confirmReason ?? undefined}>
                Approve and apply
              </button>
            </>
          ) : (
            <button type="button" onClick={close} data-testid="approve-close" autoFocus={!status.pending}>
              {status.pending ? 'Hide (it goes on)' : 'Close'}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
