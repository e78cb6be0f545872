/** @jsxRuntime automatic */
/**
 * Every pending update, by app: from → to, source, when found, what it costs to download,
 * its state; Approve and Reject per update and per app (each asks first, in a dialog). The
 * groups are virtualized (UpdateGroupList).
 */
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import type { PendingUpdateView } from '../../../../main/api/types/updates';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';
import { UpdateGroupList } from './UpdateGroupList';
import { compareText } from '../../lib/compare-text';

/** Updates grouped by app, apps by name, services in the order found. */
export function groupByApp(updates: PendingUpdateView[]): [string, PendingUpdateView[]][] {
  const groups = new Map<string, PendingUpdateView[]>();
  for (const u of updates) {
    const group = groups.get(u.app);
    if (group) group.push(u);
    else groups.set(u.app, [u]);
  }
  return [...groups].sort(([a], [b]) => compareText(a, b));
}

export function UpdatesScreen() {
  const { updates } = useStores();
  const list = useStore(updates, (s) => s.updates);
  const loaded = useStore(updates, (s) => s.loaded);
  const loading = useStore(updates, (s) => s.loading);
  const loadError = useStore(updates, (s) => s.loadError);
  const groups = useMemo(() => groupByApp(list), [list]);
  const waiting = list.filter((u) => u.state === 'pending').length;
  const applying = list.length - waiting;

  useEffect(() => {
    void updates.getState().load();
  }, [updates]);

  return (
    <section className="screen updates-screen" aria-label="Updates">
      <div className="toolbar">
        <h1>Pending updates</h1>
        <span className="muted" data-testid="updates-summary">
          {waiting} waiting for approval{applying > 0 ? `, ${applying} being applied` : ''}
        </span>
        <span className="spacer" />
        <button type="button" data-testid="updates-reload" onClick={() => void updates.getState().load()} disabled={loading} title={loading ? 'loading' : undefined}>
          {loading ? 'Loading…' : 'Reload'}
        </button>
      </div>
      <p className="muted intro">
        Nothing is downloaded or applied until it is approved (unless the app's auto-apply is on). The download size counts only the layers
        this box does not have, from the manifests.
      </p>
      <ErrorText error={loadError} testId="updates-load-error" />
      {!loaded && !loadError ? <p className="muted">Loading pending updates…</p> : null}
      {loaded && list.length === 0 ? (
        <p className="empty" data-testid="updates-empty">
          No update waits for a decision. Check an app (or Check all on Apps) to ask the registries for new digests.
        </p>
      ) : null}
      <UpdateGroupList groups={groups} />
    </section>
  );
}
