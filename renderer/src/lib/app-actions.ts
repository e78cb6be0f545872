/**
 * Which actions apply to an app right now, and in words why not when one does not (the
 * tooltip and description of the button or menu item); and the one action an app's card
 * offers first. Pure.
 */
import type { AppView } from '../../../main/api/types/app-view';

export const APP_ACTIONS = ['check', 'refresh', 'restart', 'purge', 'rollback', 'start', 'stop', 'delete'] as const;
export type AppAction = (typeof APP_ACTIONS)[number];

/** An ellipsis: the action asks in a dialog first (see dialogOf). */
export const ACTION_LABELS: Record<AppAction, string> = {
  check: 'Check',
  refresh: 'Update to latest…',
  restart: 'Restart…',
  purge: 'Purge…',
  rollback: 'Roll back…',
  start: 'Start',
  stop: 'Stop',
  delete: 'Delete',
};

/** The dialogs that ask before an action on an app (delete has its own). */
export type AppDialogKind = 'update' | 'purge' | 'restart' | 'rollback';

/**
 * The dialog an action asks in first, or null when it runs at once: nothing moves an app to
 * new content, discards its state, restarts it or rolls it back in one click.
 */
export function dialogOf(action: AppAction): AppDialogKind | null {
  switch (action) {
    case 'refresh':
      return 'update';
    case 'purge':
    case 'restart':
    case 'rollback':
      return action;
    default:
      return null;
  }
}

export interface Availability {
  enabled: boolean;
  /** Why the action cannot apply; null when it can. */
  reason: string | null;
}

export interface ActionContext {
  /** The action this window is waiting for on the app, if any. */
  pending: string | null;
  /** Device offline mode: no registry traffic at all. */
  offline: boolean;
}

const yes: Availability = { enabled: true, reason: null };
const no = (reason: string): Availability => ({ enabled: false, reason });

export function actionAvailability(app: AppView, context: ActionContext): Record<AppAction, Availability> {
  if (context.pending) {
    const wait = no(`waiting for ${context.pending} to finish`);
    return { check: wait, refresh: wait, restart: wait, purge: wait, rollback: wait, start: wait, stop: wait, delete: wait };
  }
  if (app.state === 'creating') {
    const creating = no('the app is still being created');
    return { check: creating, refresh: creating, restart: creating, purge: creating, rollback: creating, start: creating, stop: creating, delete: yes };
  }
  const resolved = app.services.every((s) => s.latched !== null);
  const neverResolved = no('the app never started, so nothing was resolved yet: delete it and create it again');
  const offline = no('offline mode is on: no registry traffic (turn it off in Settings)');
  const allPinned = app.services.every((s) => s.pinnedDigest !== null);

  return {
    check: context.offline ? offline : allPinned ? no('every service is pinned to a digest: there is nothing to check') : !resolved ? neverResolved : yes,
    refresh: context.offline ? offline : !resolved ? neverResolved : yes,
    restart: !resolved ? neverResolved : app.state === 'stopped' ? no('the app is stopped: use Start') : yes,
    purge: !resolved ? neverResolved : yes,
    // Needs no registry: the previous content stays on disk.
    rollback: !resolved ? neverResolved : app.services.some((s) => s.previous !== null) ? yes
      : no('no service has a previous digest to go back to: nothing was updated since the app was created'),
    start: app.state === 'running' ? no('the app is already running') : !resolved ? neverResolved : yes,
    stop: app.state === 'stopped' ? no('the app is already stopped') : yes,
    delete: yes,
  };
}

/** The action a card offers as its button: Stop while the app runs (or tries to), else Start. */
export function primaryAction(app: Pick<AppView, 'state'>): 'start' | 'stop' {
  return app.state === 'stopped' || app.state === 'failed' ? 'start' : 'stop';
}
