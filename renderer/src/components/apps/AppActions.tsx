/** @jsxRuntime automatic */
/**
 * The actions on one app: one button for what is most likely wanted (Update… while an update
 * waits for approval, else Stop or Start), the rest in the Actions menu. An action that cannot
 * apply says why in its tooltip and description. Updating to latest, purging, restarting and
 * deleting ask in a dialog first (the update's restart and purge options are there).
 */
import { useId } from 'react';
import { useStore } from 'zustand';
import type { AppView } from '../../../../main/api/types/app-view';
import { ACTION_LABELS, actionAvailability, dialogOf, primaryAction, type AppAction } from '../../lib/app-actions';
import { ActionMenu, type MenuItem } from '../ActionMenu';
import { useStores } from '../StoresContext';

const ORDER: AppAction[] = ['check', 'refresh', 'restart', 'purge', 'start', 'stop', 'delete'];

/** What each action does, as the tooltip of an action that can apply. */
const HELP: Partial<Record<AppAction, string>> = {
  check: 'ask the registries what each tag points at now (downloads nothing)',
  refresh: 'see what each tag points at now and what it costs to download, then update the services you tick (asks first)',
  restart: 'recreate the containers on the digests the app runs (asks first)',
  purge: "discard the app's volumes and start it again on the digests it runs (asks first, naming the volumes)",
  start: 'start the app on the digests it runs',
  stop: 'stop the containers (they are kept)',
  delete: 'remove the app and its containers (asks first)',
};

export function AppActions({ app }: { app: AppView }) {
  const { apps, settings, ui } = useStores();
  const pending = useStore(apps, (s) => s.items[app.name]?.pending ?? null);
  const offline = useStore(settings, (s) => s.settings?.offline ?? false);
  const availability = actionAvailability(app, { pending, offline });
  const waiting = app.pendingUpdates.some((u) => u.state === 'pending');
  const reasonId = useId();

  /** Delete and the actions with a dialog (dialogOf) ask first; the others run at once. */
  const handle = (action: AppAction) => () => {
    const dialog = dialogOf(action);
    if (action === 'delete') ui.getState().askDelete(app.name);
    else if (dialog) ui.getState().askAppDialog({ kind: dialog, app: app.name });
    else void apps.getState().run(app.name, action);
  };
  const update = () => ui.getState().askDecision({ kind: 'approve', app: app.name, service: null });

  const first = primaryAction(app);
  const items: MenuItem[] = ORDER.filter((action) => waiting || action !== first).map((action) => ({
    key: action,
    label: ACTION_LABELS[action],
    testId: `action-${action}-${app.name}`,
    reason: availability[action].reason,
    help: HELP[action],
    danger: action === 'delete' || action === 'purge',
    busy: pending === action,
    onSelect: handle(action),
  }));
  const primary = waiting
    ? { testId: `action-update-${app.name}`, label: 'Update…', reason: pending ? `waiting for ${pending} to finish` : null, help: 'review the waiting updates and approve them', busy: false, onClick: update }
    : { testId: `action-${first}-${app.name}`, label: ACTION_LABELS[first], reason: availability[first].reason, help: HELP[first], busy: pending === first, onClick: handle(first) };

  return (
    <div className="actions">
      <button
        type="button"
        className={`action ${waiting ? 'primary' : ''} ${primary.busy ? 'busy' : ''}`}
        data-testid={primary.testId}
        aria-disabled={primary.reason ? true : undefined}
        aria-describedby={primary.reason ? reasonId : undefined}
        title={primary.reason ?? primary.help}
        onClick={() => (primary.reason ? undefined : primary.onClick())}
      >
        {primary.busy ? `${primary.label.replace(/…$/, '')}…` : primary.label}
      </button>
      {primary.reason ? (
        <span id={reasonId} hidden>
          {primary.reason}
        </span>
      ) : null}
      <ActionMenu label="Actions" accessibleLabel={`Actions on ${app.name}`} testId={`actions-menu-${app.name}`} items={items} />
    </div>
  );
}
