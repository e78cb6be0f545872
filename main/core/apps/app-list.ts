/** Apps as every client sees them: the store's records joined with what the engine's container list says (one request, no inspection; none where the list is kept). */
import { appSelector } from './app-topology';
import type { AppView } from '../../api/types/app-view';
import type { CoreDeps } from '../ports/deps';
import type { ContainerState } from '../ports/engine-port';
import { openUpdates } from '../updates/pending-updates';
import { requireApp } from './app-lookup';
import { appView } from './app-view';
import { finishInterrupted, isInterrupted } from '../operations/operation-driver';
import type { Operation } from '../../api/types/operations';
import type { AppRecord } from '../../api/types/apps';
import { appVolumeNames } from './app-containers';

/**
 * Work a process that died left unfinished is finished (or rolled back) first, so what is shown
 * is what runs. Where the instance keeps the engine's container list (serve, the desktop app),
 * that is what is joined: the engine is not asked.
 */
export async function listAppViews(deps: CoreDeps): Promise<AppView[]> {
  const toFinish = deps.store.listOpenOperations().some((op) => isInterrupted(deps, op));
  const containers = (!toFinish && (await deps.containers?.states())) || (await askEngine(deps, toFinish));
  const settings = deps.store.getSettings();
  const open = deps.store.listOpenOperations();
  const pending = openUpdates(deps);
  const rejected = deps.store.listPendingUpdates({ states: ['rejected'] });
  const interrupted = interruptedIds(deps, open);
  // Each app gets only its own containers, operations and updates: a thousand apps are joined in one pass, not a thousand.
  const containersOf = groupBy(containers, (c) => Object.entries(c.labels).map(([key, value]) => `${key}=${value}`));
  const openOf = groupBy(open, (op) => [op.app]);
  const pendingOf = groupBy(pending, (u) => [u.app]);
  const rejectedOf = groupBy(rejected, (u) => [u.app]);
  // appView still matches the whole selector: the first label only narrows the candidates.
  const candidates = (app: AppRecord) => containersOf.get(Object.entries(appSelector(app)).map(([key, value]) => `${key}=${value}`)[0]) ?? [];
  return deps.store
    .listApps()
    .map((app) => appView(app, candidates(app), settings, openOf.get(app.name) ?? [], pendingOf.get(app.name) ?? [], rejectedOf.get(app.name) ?? [], interrupted));
}

/** The engine's container list, asked for now (with nothing to finish first, while the engine is pinged). */
async function askEngine(deps: CoreDeps, toFinish: boolean): Promise<ContainerState[]> {
  const listing = toFinish ? null : deps.engine.listContainerStates({});
  listing?.catch(() => undefined); // the ping's failure is the one reported
  await deps.engine.ping();
  if (toFinish) await finishInterrupted(deps);
  return listing ?? deps.engine.listContainerStates({});
}

/** `items` by each of the keys `keysOf` gives for an item. */
function groupBy<T>(items: readonly T[], keysOf: (item: T) => string[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    for (const key of keysOf(item)) {
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
  }
  return groups;
}

export async function showAppView(deps: CoreDeps, name: string): Promise<AppView> {
  requireApp(deps, name);
  await deps.engine.ping();
  await finishInterrupted(deps, name);
  const app = requireApp(deps, name);
  const containers = await deps.engine.listContainerStates(appSelector(app));
  const rejected = deps.store.listPendingUpdates({ app: name, states: ['rejected'] });
  const open = deps.store.listOpenOperations(name);
  const view = appView(app, containers, deps.store.getSettings(), open, openUpdates(deps, name), rejected, interruptedIds(deps, open));
  const volumes = await appVolumeNames(deps, app);
  return app.compose ? { ...view, definition: app.compose, volumes } : { ...view, volumes };
}

/** Open operations whose process is gone even so (one that took them died since they were finished here). */
const interruptedIds = (deps: CoreDeps, open: Operation[]) => new Set(open.filter((op) => isInterrupted(deps, op)).map((op) => op.id));
