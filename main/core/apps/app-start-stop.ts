/** Start and stop of an app (start with check on start goes through the update path instead). */
import type { AppRecord } from '../../api/types/apps';
import type { CoreDeps } from '../ports/deps';
import { LABEL, appVolumes, containerName, containerSpec } from './containers';
import type { Operation, OperationResult } from '../../api/types/operations';
import { finish, result } from '../operations/operation-result';

export async function startOrStop(deps: CoreDeps, app: AppRecord, op: Operation): Promise<OperationResult> {
  const plan = {
    services: app.services.map((s) => {
      const digests = { indexDigest: s.latched?.indexDigest ?? null, manifestDigest: s.latched?.manifestDigest ?? null, imageId: s.latched?.imageId ?? null };
      return { name: s.name, from: digests, to: digests, changed: false };
    }),
  };
  if (op.kind === 'stop') {
    for (const c of await deps.engine.listContainers({ [LABEL.app]: app.name })) {
      if (c.status === 'running' || c.status === 'restarting' || c.status === 'paused') await deps.engine.stopContainer(c.id, 10);
    }
    return finish(deps, op, result(op, plan, 'done', false, false, null), { latch: [], containers: [], intent: 'stopped', appError: null, ledger: [] });
  }
  for (const volume of appVolumes(app)) await deps.engine.createVolume(volume, { [LABEL.app]: app.name });
  const containers: { service: string; containerId: string | null }[] = [];
  for (const service of app.services) {
    let container = await deps.engine.inspectContainer(containerName(app.name, service.name));
    if (container && container.labels[LABEL.imageId] !== service.latched?.imageId) {
      await deps.engine.removeContainer(container.id);
      container = null;
    }
    const id = container?.id ?? (await deps.engine.createContainer(containerSpec(app.name, service, service.latched!, op.id)));
    if (container?.status !== 'running') await deps.engine.startContainer(id);
    containers.push({ service: service.name, containerId: id });
  }
  return finish(deps, op, result(op, plan, 'done', true, false, null), { latch: [], containers, intent: 'running', appError: null, ledger: [] });
}
