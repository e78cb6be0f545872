/** @jsxRuntime automatic */
/** The apps: filter, check all, cards or a compact table, the (virtualized) list, and the delete dialog. */
import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { AppView } from '../../../../main/api/types/app-view';
import { toErrorInfo } from '../../lib/errors';
import { describeCheck } from '../../lib/outcome';
import { waitingUpdates } from '../../lib/update-status';
import { ErrorText } from '../ErrorText';
import type { AppsView } from '../../stores/ui-store';
import { useStores } from '../StoresContext';
import { AppList } from './AppList';
import { DeleteDialog } from './DeleteDialog';

/** Apps whose name, state or any service reference contains every word of the filter. */
export function filterApps(apps: AppView[], filter: string, updatesOnly: boolean): AppView[] {
  const words = filter.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  return apps.filter((app) => {
    if (updatesOnly && app.pendingUpdates.length === 0 && !app.services.some((s) => s.updateAvailable)) return false;
    if (words.length === 0) return true;
    const text = [app.name, app.state, ...app.services.flatMap((s) => [s.name, s.reference, s.canonical])].join(' ').toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

export function AppsScreen() {
  const { apps, ui, client, settings } = useStores();
  const list = useStore(apps, (s) => s.apps);
  const loaded = useStore(apps, (s) => s.loaded);
  const loadError = useStore(apps, (s) => s.loadError);
  const filter = useStore(ui, (s) => s.filter);
  const updatesOnly = useStore(ui, (s) => s.updatesOnly);
  const view = useStore(ui, (s) => s.appsView);
  const offline = useStore(settings, (s) => s.settings?.offline ?? false);
  const shown = useMemo(() => filterApps(list, filter, updatesOnly), [list, filter, updatesOnly]);
  const updates = useMemo(() => waitingUpdates(list), [list]);
  const [checkAll, setCheckAll] = useState<{ pending: boolean; text: string | null; failed: boolean }>({ pending: false, text: null, failed: false });

  const runCheckAll = async () => {
    setCheckAll({ pending: true, text: null, failed: false });
    try {
      setCheckAll({ pending: false, text: describeCheck(await client.call('images:check', { apps: [] })).replace(/^check:/, 'check all:'), failed: false });
    } catch (error) {
      setCheckAll({ pending: false, text: `check all: ${toErrorInfo(error).message}`, failed: true });
    }
  };
  const checkAllReason = offline ? 'offline mode is on: no registry traffic' : list.length === 0 ? 'there are no apps yet' : checkAll.pending ? 'a check is running' : null;

  return (
    <section className="screen apps-screen" aria-labelledby="apps-title">
      <div className="toolbar">
        <h1 id="apps-title">Apps</h1>
        <input
          type="search"
          className="filter"
          placeholder="Filter: name, reference, state"
          aria-label="Filter apps"
          data-testid="apps-filter"
          value={filter}
          onChange={(e) => ui.getState().setFilter(e.target.value)}
        />
        <label>
          <input type="checkbox" checked={updatesOnly} data-testid="apps-updates-only" onChange={(e) => ui.getState().setUpdatesOnly(e.target.checked)} />
          only with updates
        </label>
        <span className="muted" data-testid="apps-count">
          {shown.length === list.length ? plural(list.length, 'app') : `${shown.length} of ${plural(list.length, 'app')}`}, {updates} update{updates === 1 ? '' : 's'} waiting for approval
        </span>
        <span className="spacer" />
        <div className="view-switch" role="group" aria-label="Show apps as">
          {VIEWS.map((v) => (
            <button key={v.view} type="button" data-testid={`apps-view-${v.view}`} aria-pressed={view === v.view} title={v.help} onClick={() => ui.getState().setAppsView(v.view)}>
              {v.label}
            </button>
          ))}
        </div>
        <button type="button" data-testid="action-check-all" disabled={checkAllReason !== null} title={checkAllReason ?? 'ask the registries what every tag points at now (no download)'} onClick={() => void runCheckAll()}>
          {checkAll.pending ? 'Checking all…' : 'Check all'}
        </button>
        {checkAllReason && !checkAll.pending ? <span className="muted" data-testid="check-all-hint">{checkAllReason}</span> : null}
      </div>
      {checkAll.text ? <p className={`outcome ${checkAll.failed ? 'failed' : ''}`} data-testid="outcome-check-all">{checkAll.text}</p> : null}
      <ErrorText error={loadError} testId="apps-load-error" />
      {!loaded && !loadError ? <p className="muted">Loading apps…</p> : null}
      {loaded && list.length === 0 ? (
        <div className="empty" data-testid="apps-empty">
          <p>No apps yet.</p>
          <button type="button" onClick={() => ui.getState().show('create')}>Create an app</button>
        </div>
      ) : null}
      {loaded && list.length > 0 && shown.length === 0 ? <p className="muted" data-testid="apps-none-match">No app matches the filter.</p> : null}
      {shown.length > 0 ? <AppList key={view} apps={shown} view={view} /> : null}
      <DeleteDialog />
    </section>
  );
}

const VIEWS: { view: AppsView; label: string; help: string }[] = [
  { view: 'cards', label: 'Cards', help: 'a card per app, with its services' },
  { view: 'table', label: 'Table', help: 'one line per app, for many apps' },
];

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
