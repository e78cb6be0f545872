/**
 * Switching an app's containers to the planned content, idempotently, so a process killed
 * at any step can run it again: the new containers are brought up service by service, each
 * swapped in for the old one (service-swap.ts; the old ones are set aside, or, for a purge,
 * removed first with the app's volumes), and only when they stay up are the old ones
 * removed. If they do not stay up, the app goes back to its old containers (or, after a
 * purge, fresh ones on the old content).
 */
import type { AppRecord } from '../../api/types/apps';
import type { CoreDeps } from '../ports/deps';
import type { ContainerInfo } from '../ports/engine-port';
import { TagkeeperError, asTagkeeperError, type ErrorInfo } from '../../api/errors';
import { LABEL, appSelector, appTopology, containerNameOf, serviceOf } from '../apps/app-topology';
import { appVolumeNames } from '../apps/app-containers';
import type { OperationPlan } from '../../api/types/operations';
import { bringUp, type BroughtUp } from './service-swap';

export interface SwitchOutcome {
  outcome: 'done' | 'rolled-back';
  containers: { service: string; containerId: string }[];
  error: ErrorInfo | null;
}

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
  const service = (c: ContainerInfo) => serviceOf(app, c) ?? '';
  const fresh = all.filter(isNew);
  const old = all.filter((c) => !isNew(c) && replaced(service(c)));
  const kept = all.filter((c) => !isNew(c) && !replaced(service(c)));

  if (purge) {
    for (const c of old) await deps.engine.removeContainer(c.id);
    deps.checkpoint('during-switch');
    if (fresh.length === 0) {
      for (const volume of await appVolumeNames(deps, app)) await deps.engine.removeVolume(volume);
      deps.checkpoint('volumes-removed');
    }
  }

  const started = await bringUp(deps, app, operation, plan.services, 'to', { fresh, old: purge ? [] : old, kept });
  if (started.ok) {
    if (!purge) await Promise.all(old.map((c) => deps.engine.removeContainer(c.id)));
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
    ? await bringUp(deps, app, operation, plan.services, 'from', { fresh: [], old: [], kept: [] })
    : await restoreOld(deps, app, old);
  if (!restored.ok && restored.error.code === 'engine-unreachable') throw asError(restored.error);
  if (!restored.ok) {
    throw new TagkeeperError('container-failed', `app ${app.name}: the new containers failed (${started.error.message}) and so did going back (${restored.error.message})`, {
      hint: 'see the containers with docker ps -a and their logs; restart the app once fixed',
    });
  }
  return { outcome: 'rolled-back', containers: restored.containers, error: started.error };
}

const asError = (info: ErrorInfo) => new TagkeeperError(info.code, info.message, { hint: info.hint });

/**
 * The old containers back under their names and running, dependencies first (a container
 * that joins another's network needs that one running). Some may never have been set aside:
 * the switch failed before their turn.
 */
async function restoreOld(deps: CoreDeps, app: AppRecord, old: ContainerInfo[]): Promise<BroughtUp> {
  try {
    const order = appTopology(app).services.map((s) => s.name);
    const rank = (c: ContainerInfo) => {
      const at = order.indexOf(serviceOf(app, c) ?? '');
      return at < 0 ? order.length : at;
    };
    const containers: { service: string; containerId: string }[] = [];
    // The services that were replaced: after a definition change, also those the new one dropped.
    for (const c of [...old].sort((a, b) => rank(a) - rank(b))) {
      const service = serviceOf(app, c) ?? '';
      const now = await deps.engine.inspectContainer(c.id);
      if (!now) throw new TagkeeperError('container-failed', `the previous container of service ${service} is gone`);
      const name = containerNameOf(app, service);
      if (now.name !== name) await deps.engine.renameContainer(now.id, name);
      if (now.status !== 'running') await deps.engine.startContainer(now.id);
      containers.push({ service, containerId: now.id });
    }
    return { ok: true, containers };
  } catch (error) {
    return { ok: false, error: asTagkeeperError(error).toInfo() };
  }
}
