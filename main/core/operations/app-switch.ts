/**
 * Switching an app's containers to the planned content, idempotently, so a process killed
 * at any step can run it again: old containers are stopped and set aside (or, for a purge,
 * removed with the app's volumes), new ones are created with the operation's label and
 * started, and only when they stay up are the old ones removed. If they do not stay up,
 * the app goes back to its old containers (or, after a purge, fresh ones on the old content).
 */
import { watchGrace } from './grace-watch';
import type { AppRecord } from '../../api/types/apps';
import type { CoreDeps } from '../ports/deps';
import type { ContainerInfo } from '../ports/engine-port';
import { TagkeeperError, asTagkeeperError, type ErrorInfo } from '../../api/errors';
import { containerSpec } from '../apps/containers';
import { LABEL, appSelector, appTopology, containerNameOf, serviceOf } from '../apps/app-topology';
import { ensureResources, finishingServices, waitForDependencies } from '../apps/app-resources';
import { appVolumeNames } from '../apps/app-containers';
import type { OperationPlan, PlannedService } from '../../api/types/operations';

export interface SwitchOutcome {
  outcome: 'done' | 'rolled-back';
  containers: { service: string; containerId: string }[];
  error: ErrorInfo | null;
}

const asideName = (app: AppRecord, service: string, op: number) => `${containerNameOf(app, service)}-replaced-${op}`;

/**
 * `only`: the services to replace (an approval replaces only the services it changes);
 * the others keep their containers, started if they were not running. Without it, or with
 * a purge, every service is replaced.
 */
export async function switchApp(
  deps: CoreDeps,
  app: AppRecord,
  operation: number,
  plan: OperationPlan,
  purge: boolean,
  only?: readonly string[],
): Promise<SwitchOutcome> {
  const all = await deps.engine.listContainers(appSelector(app));
  const isNew = (c: ContainerInfo) => c.labels[LABEL.operation] === String(operation);
  const replaced = (service: string) => purge || only === undefined || only.includes(service);
  const fresh = all.filter(isNew);
  const service = (c: ContainerInfo) => serviceOf(app, c) ?? '';
  const old = all.filter((c) => !isNew(c) && replaced(service(c)));
  const kept = all.filter((c) => !isNew(c) && !replaced(service(c)));

  for (const c of old) {
    if (purge) await deps.engine.removeContainer(c.id);
    else await setAside(deps, app, c, operation);
  }
  deps.checkpoint('during-switch');
  if (purge && fresh.length === 0) {
    for (const volume of await appVolumeNames(deps, app)) await deps.engine.removeVolume(volume);
    deps.checkpoint('volumes-removed');
  }

  const started = await startPlanned(deps, app, operation, plan.services, [...fresh, ...kept], 'to');
  if (started.ok) {
    for (const c of old) if (!purge) await deps.engine.removeContainer(c.id);
    deps.checkpoint('old-removed');
    return { outcome: 'done', containers: started.containers, error: null };
  }
  // An engine that went away says nothing about the new content: no going back, the switch is finished later.
  if (started.error.code === 'engine-unreachable') throw asError(started.error);

  // The new content does not stay up: back to what ran before.
  for (const c of await deps.engine.listContainers({ ...appSelector(app), [LABEL.operation]: String(operation) })) {
    await deps.engine.removeContainer(c.id);
  }
  deps.checkpoint('going-back');
  const restored = purge
    ? await startPlanned(deps, app, operation, plan.services, [], 'from')
    : await restoreAside(deps, app, operation, old.map(service));
  if (!restored.ok && restored.error.code === 'engine-unreachable') throw asError(restored.error);
  if (!restored.ok) {
    throw new TagkeeperError('container-failed', `app ${app.name}: the new containers failed (${started.error.message}) and so did going back (${restored.error.message})`, {
      hint: 'see the containers with docker ps -a and their logs; restart the app once fixed',
    });
  }
  return { outcome: 'rolled-back', containers: restored.containers, error: started.error };
}

const asError = (info: ErrorInfo) => new TagkeeperError(info.code, info.message, { hint: info.hint });

async function setAside(deps: CoreDeps, app: AppRecord, c: ContainerInfo, operation: number): Promise<void> {
  if (c.status === 'running' || c.status === 'restarting' || c.status === 'paused') await deps.engine.stopContainer(c.id); // the container's own stop timeout (stop_grace_period), else the engine's 10 s
  deps.checkpoint('old-stopped');
  const service = serviceOf(app, c) ?? '';
  const aside = asideName(app, service, operation);
  if (c.name.replace(/^\//, '') !== aside) await deps.engine.renameContainer(c.id, aside);
}

type Started = { ok: true; containers: { service: string; containerId: string }[] } | { ok: false; error: ErrorInfo };

/** Create (unless already there) and start one container per service on its planned content. */
async function startPlanned(
  deps: CoreDeps,
  app: AppRecord,
  operation: number,
  planned: PlannedService[],
  existing: ContainerInfo[],
  side: 'from' | 'to',
): Promise<Started> {
  try {
    const topology = appTopology(app);
    await ensureResources(deps, app, topology);
    const containers: { service: string; containerId: string }[] = [];
    const started = new Map<string, string>();
    for (const service of topology.services) {
      const plan = planned.find((p) => p.name === service.name);
      const content = plan?.[side];
      if (!plan || !content?.imageId) throw new TagkeeperError('internal', `no planned image for service ${service.name}`);
      let container = existing.find((c) => serviceOf(app, c) === service.name);
      await waitForDependencies(deps, app, service, started);
      if (!container) {
        const id = await deps.engine.createContainer(containerSpec(app, topology, service.name, { ...content, imageId: content.imageId }, operation));
        deps.checkpoint('new-created');
        container = (await deps.engine.inspectContainer(id))!;
      }
      if (container.status !== 'running') await deps.engine.startContainer(container.id);
      containers.push({ service: service.name, containerId: container.id });
      started.set(service.name, container.id);
    }
    deps.checkpoint('new-started');
    const failed = await watchGrace(deps, app.name, containers, finishingServices(topology));
    if (failed) return { ok: false, error: failed };
    return { ok: true, containers };
  } catch (error) {
    return { ok: false, error: asTagkeeperError(error).toInfo() };
  }
}

async function restoreAside(deps: CoreDeps, app: AppRecord, operation: number, services: string[]): Promise<Started> {
  try {
    const containers: { service: string; containerId: string }[] = [];
    // The services that were set aside: after a definition change, also those the new one dropped.
    for (const service of services) {
      const aside = await deps.engine.inspectContainer(asideName(app, service, operation));
      if (!aside) throw new TagkeeperError('container-failed', `the previous container of service ${service} is gone`);
      await deps.engine.renameContainer(aside.id, containerNameOf(app, service));
      await deps.engine.startContainer(aside.id);
      containers.push({ service, containerId: aside.id });
    }
    return { ok: true, containers };
  } catch (error) {
    return { ok: false, error: asTagkeeperError(error).toInfo() };
  }
}
