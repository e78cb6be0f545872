/** @jsxRuntime automatic */
/**
 * One app's page: the app as on the list, for an app made from a Compose file its definition
 * (where from, update from a changed file, export pinned, the services and the model), its
 * pending updates (approve, reject), rollback, its own auto-apply setting, and the history
 * of its digests.
 */
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { AppRow } from '../apps/AppRow';
import { DeleteDialog } from '../apps/DeleteDialog';
import { HOME } from '../../lib/route';
import { RouteLink } from '../RouteLink';
import { useStores } from '../StoresContext';
import { ComposeSection } from '../compose/ComposeSection';
import { AppUpdates } from '../updates/AppUpdates';
import { AutoApplyControl } from './AutoApplyControl';
import { HistoryTimeline } from './HistoryTimeline';
import { RollbackPanel } from './RollbackPanel';

export function AppPage() {
  const { apps, ui, updates } = useStores();
  const name = useStore(ui, (s) => s.appName);
  const app = useStore(apps, (s) => s.apps.find((a) => a.name === name) ?? null);
  const loaded = useStore(apps, (s) => s.loaded);
  const list = useStore(updates, (s) => s.updates);
  const mine = useMemo(() => list.filter((u) => u.app === name), [list, name]);
  const waiting = app?.pendingUpdates.length ?? 0;

  useEffect(() => {
    if (waiting > 0) void updates.getState().load();
  }, [updates, waiting]);

  const back = (
    <RouteLink to={HOME} className="back" testId="app-back">
      ← Apps
    </RouteLink>
  );
  if (!app) {
    return (
      <section className="screen app-page" aria-labelledby="app-title">
        <div className="toolbar">
          {back}
          <h1 id="app-title">{name ?? 'App'}</h1>
        </div>
        <p className="muted" data-testid="app-page-missing">{loaded ? `There is no app named ${name ?? '(none)'}: it may have been deleted.` : 'Loading apps…'}</p>
      </section>
    );
  }

  return (
    <section className="screen app-page" aria-labelledby="app-title" data-testid={`app-page-${app.name}`}>
      <div className="toolbar">
        {back}
        <h1 id="app-title">{app.name}</h1>
      </div>
      <AppRow app={app} onPage />
      {app.definedBy === 'compose' ? (
        <>
          <h2>Compose definition</h2>
          <ComposeSection app={app} />
        </>
      ) : null}
      {waiting > 0 ? (
        <>
          <h2>Pending updates</h2>
          {mine.length > 0 ? <AppUpdates app={app.name} updates={mine} /> : <p className="muted">Loading the pending updates…</p>}
        </>
      ) : null}
      <h2>Rollback</h2>
      <RollbackPanel app={app} />
      <h2>Settings of this app</h2>
      <AutoApplyControl app={app} />
      <h2>History</h2>
      <HistoryTimeline app={app} />
      <DeleteDialog />
    </section>
  );
}
