/**
 * What the approve and reject dialogs share: the rows the decision is about (kept on screen
 * once confirmed, as applied rows leave the list), this dialog's own status, why Confirm is
 * held back, and close / confirm.
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { PendingUpdateView } from '../../../../main/api/types/updates';
import type { Decision } from '../../stores/ui-store';
import type { ApproveOptions } from '../../stores/updates-store';
import { useStores } from '../StoresContext';
import { rowsOf } from './DecisionRows';

export function useDecision(decision: Decision, kind: 'approve' | 'reject', options: { blocked?: string | null; reloadOnOpen?: boolean } = {}) {
  const { ui, updates } = useStores();
  const { app, service } = decision;
  const list = useStore(updates, (s) => s.updates);
  const decided = useStore(updates, (s) => s.decisions[app]);
  // This dialog's own decision; another one still running on the app holds Confirm back.
  const status = decided?.kind === kind ? decided : undefined;
  const other = decided && decided.kind !== kind && decided.pending ? decided.kind : null;
  const [confirmed, setConfirmed] = useState<PendingUpdateView[] | null>(null);

  useEffect(() => {
    // How an earlier, hidden decision ended is not this one's outcome.
    if (updates.getState().decisions[app]?.pending === false) updates.getState().forget(app);
    // Fresh sizes: what is on the box may have changed since the list was loaded.
    if (options.reloadOnOpen) void updates.getState().load();
  }, [updates, app, options.reloadOnOpen]);

  const rows = confirmed ?? rowsOf(list, app, service);
  const target = service === null ? app : `${app}/${service}`;
  const what = service === null ? `the updates of ${app}` : `the update of ${target}`;
  const confirmReason = other
    ? `waiting for ${other} to finish`
    : (options.blocked ?? (rows.length === 0 ? `no update of ${target} waits for a decision` : null));

  const close = () => {
    ui.getState().askDecision(null);
    if (!status?.pending) updates.getState().forget(app);
  };
  /** An approval's `allowDowngrade` (its explicit confirmation of going back to older content) and `approver` (the name given). */
  const confirm = (options: ApproveOptions = {}) => {
    if (confirmReason) return;
    setConfirmed(rows);
    if (kind === 'approve') void updates.getState().approve(app, service, options);
    else void updates.getState().reject(app, service);
  };
  return { app, service, status, rows, what, confirmed, confirmReason, close, confirm };
}
