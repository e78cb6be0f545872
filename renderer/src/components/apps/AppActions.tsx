/** @jsxRuntime automatic */
/**
 * The actions on one app. A button that cannot apply is disabled, with the reason in its
 * title and written out below the buttons. Updating, purging, restarting and rolling back ask
 * in a dialog first (the update's restart and purge options are there).
 */
import { useStore } from 'zustand';
import type { AppView } from '../../../../main/api/types/app-view';
import { ACTION_LABELS, actionAvailability, dialogOf, type AppAction } from '../../lib/app-actions';
import { useStores } from '../StoresContext';

const ORDER: AppAction[] = ['check', 'refresh', 'restart', 'purge', 'start', 'stop', 'delete'];

export function AppActions({ app }: { app: AppView }) {
  const { apps, settings, ui } = useStores();
  const pending = useStore(apps, (s) => s.items[app.name]?.pending ?? null);
  const offline = useStore(settings, (s) => s.settings?.offline ?? false);
  const availability = actionAvailability(app, { pending, offline });

  const run = (action: AppAction) => {
    if (action === 'delete') return ui.getState().askDelete(app.name);
    const dialog = dialogOf(action);
    if (dialog) return ui.getState().askAppDialog({ kind: dialog, app: app.name });
    void apps.getState().run(app.name, action);
  };

  const reasons = new Map<string, string[]>();
  for (const action of ORDER) {
    const reason = availability[action].reason;
    if (reason) reasons.set(reason, [...(reasons.get(reason) ?? []), ACTION_LABELS[action]]);
  }

  return (
    <div className="actions">
      <div className="buttons">
        {ORDER.map((action) => (
          <span key={action} className="action-group">
            <button
              type="button"
              className={`action ${action === 'delete' ? 'danger' : ''} ${pending === action ? 'busy' : ''}`}
              data-testid={`action-${action}-${app.name}`}
              disabled={!availability[action].enabled}
              title={availability[action].reason ?? undefined}
              onClick={() => run(action)}
            >
              {pending === action ? `${ACTION_LABELS[action].replace(/…$/, '')}…` : ACTION_LABELS[action]}
            </button>
          </span>
        ))}
      </div>
      {reasons.size > 0 ? (
        <ul className="action-hints" data-testid={`hints-${app.name}`}>
          {[...reasons].map(([reason, labels]) => (
            <li key={reason}>
              {labels.length === ORDER.length ? 'All actions' : labels.join(', ')}: {reason}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
