/** Apps as every client sees them: the store's records joined with what the engine runs. */
import { appSelector } from './app-topology';
import type { AppView } from '../../api/types/app-view';
import type { CoreDeps } from '../ports/deps';
import { openUpdates } from '../updates/pending-updates';
import { requireApp } from './app-lookup';
import { appView } from './app-view';
import { appVolumeNames } from './app-containers';

export async function listAppViews(deps: CoreDeps): Promise<AppView[]> {
  await deps.engine.ping();
  const containers = await deps.engine.listContainers({});
  const settings = deps.store.getSettings();
  const open = deps.store.listOpenOperations();
  const pending = openUpdates(deps);
  const rejected = deps.store.listPendingUpdates({ states: ['rejected'] });
  return deps.store.listApps().map((app) => appView(app, containers, settings, open, pending, rejected));
}

export async function showAppView(deps: CoreDeps, name: string): Promise<AppView> {
  const app = requireApp(deps, name);
  await deps.engine.ping();
  const containers = await deps.engine.listContainers(appSelector(app));
  const rejected = deps.store.listPendingUpdates({ app: name, states: ['rejected'] });
  const view = appView(app, containers, deps.store.getSettings(), deps.store.listOpenOperations(name), openUpdates(deps, name), rejected);
  const volumes = await appVolumeNames(deps, app);
  return app.compose ? { ...view, definition: app.compose, volumes } : { ...view, volumes };
}
