/** Bringing an app's containers up on its latched content, and tearing them down. */
import type { AppRecord } from '../../api/types/apps';
import type { CoreDeps } from '../ports/deps';
import { TagkeeperError, asTagkeeperError } from '../../api/errors';
import { LABEL, appVolumes, containerName, containerSpec } from './containers';

/** Create and start one container per service from its latched image id. All or nothing. */
export async function runContainers(deps: CoreDeps, app: AppRecord): Promise<void> {
  for (const volume of appVolumes(app)) {
    await deps.engine.createVolume(volume, { [LABEL.app]: app.name });
  }
  const created: string[] = [];
  try {
    for (const service of app.services) {
      if (!service.latched) {
        throw new TagkeeperError('internal', `service ${service.name} of app ${app.name} has no latched image`, {
          hint: 'refresh the app to resolve its images',
        });
      }
      await removeStale(deps, containerName(app.name, service.name));
      const id = await deps.engine.createContainer(containerSpec(app.name, service, service.latched));
      created.push(id);
      deps.store.setServiceContainer(app.name, service.name, id);
      await deps.engine.startContainer(id);
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

/** Remove every container of the app (and its volumes when asked). */
export async function removeContainers(deps: CoreDeps, app: AppRecord, options: { volumes: boolean }): Promise<void> {
  const containers = await deps.engine.listContainers({ [LABEL.app]: app.name });
  for (const c of containers) await deps.engine.removeContainer(c.id);
  if (options.volumes) {
    for (const volume of await deps.engine.listVolumes({ [LABEL.app]: app.name })) await deps.engine.removeVolume(volume);
  }
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
