/** @jsxRuntime automatic */
/** The screens, with the count of pending updates waiting for a decision on Updates. */
import { useMemo } from 'react';
import { useStore } from 'zustand';
import { waitingUpdates } from '../lib/update-status';
import { HOME, type Screen } from '../lib/route';
import { RouteLink } from './RouteLink';
import { useStores } from './StoresContext';

const ITEMS: { screen: Exclude<Screen, 'app'>; label: string }[] = [
  { screen: 'apps', label: 'Apps' },
  { screen: 'updates', label: 'Updates' },
  { screen: 'bundles', label: 'Bundles' },
  { screen: 'create', label: 'Create app' },
  { screen: 'images', label: 'Images' },
  { screen: 'activity', label: 'Activity' },
  { screen: 'settings', label: 'Settings' },
];

export function Nav() {
  const { ui, apps, operations, settings } = useStores();
  const screen = useStore(ui, (s) => s.screen);
  const list = useStore(apps, (s) => s.apps);
  const waiting = useMemo(() => waitingUpdates(list), [list]);
  const open = useStore(operations, (s) => s.operations.filter((op) => op.state === 'pending' || op.state === 'running').length);
  const offline = useStore(settings, (s) => s.settings?.offline ?? false);
  const unsaved = useStore(settings, (s) => s.draft !== null);
  // An app's page belongs to Apps.
  const current = screen === 'app' ? 'apps' : screen;

  return (
    <nav className="nav" aria-label="Screens">
      <div className="brand">Tagkeeper</div>
      {ITEMS.map((item) => (
        <RouteLink
          key={item.screen}
          to={{ ...HOME, screen: item.screen }}
          className={`nav-item ${current === item.screen ? 'current' : ''}`}
          current={current === item.screen}
          testId={`nav-${item.screen}`}
        >
          {item.label}
          {item.screen === 'updates' && waiting > 0 ? (
            <span className="badge" data-testid="nav-updates-badge" title={`${waiting} update${waiting === 1 ? '' : 's'} waiting for approval`}>
              {waiting}
            </span>
          ) : null}
          {item.screen === 'activity' && open > 0 ? (
            <span className="badge quiet" title={`${open} operation${open === 1 ? '' : 's'} open`}>
              {open}
            </span>
          ) : null}
          {item.screen === 'settings' && unsaved ? (
            <span className="badge quiet" data-testid="nav-settings-unsaved" title="settings changed here and not saved yet">
              unsaved
            </span>
          ) : null}
        </RouteLink>
      ))}
      {offline ? <div className="offline-flag" data-testid="offline-flag" title="no registry traffic: turn it off in Settings">offline mode</div> : null}
    </nav>
  );
}
