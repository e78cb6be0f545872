/** Apps as every client sees them: the store's records joined with what the engine runs. */
import { appSelector } from './app-topology';
import type { AppView } from '../../api/types/app-view';
import type { CoreDeps } from '../ports/deps';
import { openUpdates } from '../updates/pending-updates';
import { requireApp } from './app-lookup';
import { appView } from './app-view';
import { finishInterrupted, isInterrupted } from '../operations/operation-driver';
import type { Operation } from '../../api/types/operations';

/** Work a process that died left unfinished is finished (or rolled back) first, so what is shown is what runs. */
export async function listAppViews(deps: CoreDeps): Promise<AppView[]> {
  await deps.engine.ping();
  await finishInterrupted(deps);
  const containers = await deps.engine.listContainers({});
  const settings = deps.store.getSettings();
  const open = deps.store.listOpenOperations();
  const pending = openUpdates(deps);
  const rejected = deps.store.listPendingUpdates({ states: ['rejected'] });
  const interrupted = interruptedIds(deps, open);
  return deps.store.listApps().map((app) => appView(app, containers, settings, open, pending, rejected, interrupted));
}

export async function showAppView(deps: CoreDeps, name: string): Promise<AppView> {
  requireApp(deps, name);
  await deps.engine.ping();
  await finishInterrupted(deps, name);
  const app = requireApp(deps, name);
  const containers = await deps.engine.listContainers(appSelector(app));
  const rejected = deps.store.listPendingUpdates({ app: name, states: ['rejected'] });
  const open = deps.store.listOpenOperations(name);
  const view = appView(app, containers, deps.store.getSettings(), open, openUpdates(deps, name), rejected, interruptedIds(deps, open));
  return app.compose ? { ...view, definition: app.compose } : view;
}

/** Open operations whose process is gone even so (one that took them died since they were finished here). */
const interruptedIds = (deps: CoreDeps, open: Operation[]) => new Set(open.filter((op) => isInterrupted(deps, op)).map((op) => op.id));
