/** Start and stop of an app (start with check on start goes through the update path instead). */
import type { AppRecord } from '../../api/types/apps';
import type { CoreDeps } from '../ports/deps';
import { containerSpec } from './containers';
import { appSelector, appTopology, serviceOf } from './app-topology';
import { ensureResources, waitForDependencies } from './app-resources';
import type { Operation, OperationResult } from '../../api/types/operations';
import { finish, result } from '../operations/operation-result';

export async function startOrStop(deps: CoreDeps, app: AppRecord, op: Operation): Promise<OperationResult> {
  const plan = {
    services: app.services.map((s) => {
      const digests = { indexDigest: s.latched?.indexDigest ?? null, manifestDigest: s.latched?.manifestDigest ?? null, imageId: s.latched?.imageId ?? null };
      return { name: s.name, from: digests, to: digests, changed: false };
    }),
  };
  const existing = await deps.engine.listContainers(appSelector(app));
  if (op.kind === 'stop') {
    for (const c of existing) {
      if (c.status === 'running' || c.status === 'restarting' || c.status === 'paused') await deps.engine.stopContainer(c.id); // the container's own stop timeout (stop_grace_period), else the engine's 10 s
    }
    return finish(deps, op, result(op, plan, 'done', false, false, null), { latch: [], containers: [], intent: 'stopped', appError: null, ledger: [] });
  }
  const topology = appTopology(app);
  await ensureResources(deps, app, topology);
  const containers: { service: string; containerId: string | null }[] = [];
  const started = new Map<string, string>();
  for (const service of topology.services) {
    const latched = app.services.find((s) => s.name === service.name)!.latched!;
    let container = existing.find((c) => serviceOf(app, c) === service.name) ?? null;
    // A container that runs other content than the latched one is replaced (never started as it is).
    if (container && container.imageId !== latched.imageId) {
      await deps.engine.removeContainer(container.id);
      container = null;
    }
    await waitForDependencies(deps, app, service, started);
    const id = container?.id ?? (await deps.engine.createContainer(containerSpec(app, topology, service.name, latched, op.id)));
    if (container?.status !== 'running') await deps.engine.startContainer(id);
    containers.push({ service: service.name, containerId: id });
    started.set(service.name, id);
  }
  return finish(deps, op, result(op, plan, 'done', true, false, null), { latch: [], containers, intent: 'running', appError: null, ledger: [] });
}
