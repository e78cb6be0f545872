/** Bringing an app's containers up on its latched content, and tearing them down. */
import type { AppRecord } from '../../api/types/apps';
import type { CoreDeps } from '../ports/deps';
import { TagkeeperError, asTagkeeperError } from '../../api/errors';
import { containerSpec } from './containers';
import { LABEL, appSelector, appTopology } from './app-topology';
import { ensureResources, removeNetworks, waitForDependencies } from './app-resources';

/** Create and start one container per service from its latched image id, in start order. All or nothing. */
export async function runContainers(deps: CoreDeps, app: AppRecord): Promise<void> {
  const topology = appTopology(app);
  const created: string[] = [];
  try {
    await ensureResources(deps, app, topology);
    const started = new Map<string, string>();
    for (const service of topology.services) {
      const latched = app.services.find((s) => s.name === service.name)?.latched;
      if (!latched) {
        throw new TagkeeperError('internal', `service ${service.name} of app ${app.name} has no latched image`, { hint: 'refresh the app to resolve its images' });
      }
      await waitForDependencies(deps, app, service, started);
      await removeStale(deps, service.containerName);
      const id = await deps.engine.createContainer(containerSpec(app, topology, service.name, latched));
      created.push(id);
      deps.store.setServiceContainer(app.name, service.name, id);
      await deps.engine.startContainer(id);
      started.set(service.name, id);
    }
  } catch (error) {
    for (const id of created) await deps.engine.removeContainer(id).catch(() => undefined);
    for (const service of app.services) deps.store.setServiceContainer(app.name, service.name, null);
    const cause = asTagkeeperError(error);
    throw new TagkeeperError('container-failed', `app ${app.name} could not be started: ${cause.message}`, {
      hint: cause.hint ?? 'check the service settings (command, volumes, ports, network)',
      cause,
    });
  }
}

/** Remove every container of the app and the networks it made (and its volumes when asked). */
export async function removeContainers(deps: CoreDeps, app: AppRecord, options: { volumes: boolean }): Promise<void> {
  for (const c of await deps.engine.listContainers(appSelector(app))) await deps.engine.removeContainer(c.id);
  const topology = appTopology(app);
  await removeNetworks(deps, topology);
  if (options.volumes) for (const volume of await appVolumeNames(deps, app)) await deps.engine.removeVolume(volume);
}

/**
 * The named volumes that hold the app's state: those labelled as its own, and those its
 * Compose file declares (an adopted project's were made by `docker compose`, without our
 * label). External volumes and bind-mounted host folders are never the app's to discard.
 */
export async function appVolumeNames(deps: Pick<CoreDeps, 'engine'>, app: AppRecord): Promise<string[]> {
  const labelled = await deps.engine.listVolumes({ [LABEL.app]: app.name });
  const declared = appTopology(app).volumes.map((v) => v.name);
  return [...new Set([...labelled, ...declared])].sort();
}

async function removeStale(deps: CoreDeps, name: string): Promise<void> {
  const existing = await deps.engine.inspectContainer(name);
  if (existing && existing.labels[LABEL.app] !== undefined) await deps.engine.removeContainer(existing.id);
  else if (existing) {
    throw new TagkeeperError('container-failed', `a container named ${name} exists and was not made by Tagkeeper`, {
      hint: 'rename or remove that container, or choose another app name',
    });
  }
}
