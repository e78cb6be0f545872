/** @jsxRuntime automatic */
/** The screens, with the count of pending updates on Apps. */
import { useMemo } from 'react';
import { useStore } from 'zustand';
import { pendingUpdates } from '../lib/update-status';
import type { Screen } from '../stores/ui-store';
import { useStores } from './StoresContext';

const ITEMS: { screen: Screen; label: string }[] = [
  { screen: 'apps', label: 'Apps' },
  { screen: 'create', label: 'Create app' },
  { screen: 'images', label: 'Images' },
  { screen: 'activity', label: 'Activity' },
  { screen: 'settings', label: 'Settings' },
];

export function Nav() {
  const { ui, apps, operations, settings } = useStores();
  const screen = useStore(ui, (s) => s.screen);
  const list = useStore(apps, (s) => s.apps);
  const updates = useMemo(() => pendingUpdates(list), [list]);
  const open = useStore(operations, (s) => s.operations.filter((op) => op.state === 'pending' || op.state === 'running').length);
  const offline = useStore(settings, (s) => s.settings?.offline ?? false);

  return (
    <nav className="nav" aria-label="Screens">
      <div className="brand">Tagkeeper</div>
      {ITEMS.map((item) => (
        <button
          key={item.screen}
          type="button"
          className={`nav-item ${screen === item.screen ? 'current' : ''}`}
          aria-current={screen === item.screen ? 'page' : undefined}
          data-testid={`nav-${item.screen}`}
          onClick={() => ui.getState().show(item.screen)}
        >
          {item.label}
          {item.screen === 'apps' && updates > 0 ? (
            <span className="badge" data-testid="nav-apps-badge" title={`${updates} service${updates === 1 ? '' : 's'} with an update available`}>
              {updates}
            </span>
          ) : null}
          {item.screen === 'activity' && open > 0 ? (
            <span className="badge quiet" title={`${open} operation${open === 1 ? '' : 's'} open`}>
              {open}
            </span>
          ) : null}
        </button>
      ))}
      {offline ? <div className="offline-flag" data-testid="offline-flag" title="no registry traffic: turn it off in Settings">offline mode</div> : null}
    </nav>
  );
}
