/**
 * Bringing an app's services up on the planned content, each new container swapped in for
 * the old one with the shortest gap the engine allows: everything that can happen while the
 * old container still serves happens first, so the service is down only for the old
 * container's stop and the new one's start.
 *
 *   prepare   the app's networks and volumes; every new container created while the old ones
 *             run (under a temporary name, `…-new-OP`, where the old one has the service's
 *             name) — except one that joins another
 *             container's network (`network_mode: service:x`): the engine binds that to the
 *             container the name means at creation, so it is made at its turn, once the new
 *             container of x has the name
 *   dropped   the old containers of services the app no longer has (a definition change):
 *             stopped and set aside (`…-replaced-OP`)
 *   per service, in start order:
 *             wait for its dependencies → rename the old container aside (`…-replaced-OP`, it
 *             keeps running) → rename the new one to the service's name → stop the old one →
 *             start the new one
 *   watch     the started containers must prove they stay up (grace-watch.ts)
 *
 * Every step leaves the engine in a state this code reads back (the operation's label on
 * the new containers, the temporary and set-aside names), so a process killed between any two
 * steps runs it again from where it was: a new container is made only where the service has
 * none, a rename or stop already done is not done again. Crash points (deps.ts,
 * OPERATION_CRASH_POINTS): `new-created` after a new container was made (not started),
 * `before-switch` after the prepare step (nothing stopped yet), `old-stopped` after an old
 * container was stopped (set aside, its new one not started yet), `during-switch` after the
 * first service was swapped (or a dropped one set aside), `new-started` once every new
 * container was started (the watch ahead).
 */
import { watchGrace, type WatchedContainer } from './grace-watch';
import type { AppRecord } from '../../api/types/apps';
import type { CoreDeps } from '../ports/deps';
import type { ContainerInfo } from '../ports/engine-port';
import { TagkeeperError, asTagkeeperError, type ErrorInfo } from '../../api/errors';
import { containerSpec } from '../apps/containers';
import { appTopology, containerNameOf, serviceOf, type AppTopology, type TopologyService } from '../apps/app-topology';
import { ensureResources, finishingServices, waitForDependencies } from '../apps/app-resources';
import type { PlannedService } from '../../api/types/operations';

/** The name an old container is set aside under until the switch is done (or undone). */
const asideName = (containerName: string, operation: number) => `${containerName}-replaced-${operation}`;
/** The name a new container waits under while the old one still has the service's name. */
const waitingName = (containerName: string, operation: number) => `${containerName}-new-${operation}`;

/** What the switch found in the engine: this operation's containers, the ones it replaces, the ones it keeps. */
export interface FoundContainers {
  fresh: ContainerInfo[];
  old: ContainerInfo[];
  kept: ContainerInfo[];
}

export type BroughtUp = { ok: true; containers: { service: string; containerId: string }[] } | { ok: false; error: ErrorInfo };

/** One service during the switch: the containers it has, as far as this switch knows. */
interface Slot {
  service: TopologyService;
  content: { imageId: string; indexDigest: string | null; manifestDigest: string | null };
  old: ContainerInfo | undefined;
  kept: ContainerInfo | undefined;
  fresh: Pick<ContainerInfo, 'id' | 'name' | 'status'> | undefined;
}

const isUp = (c: Pick<ContainerInfo, 'status'>) => c.status === 'running' || c.status === 'restarting' || c.status === 'paused';

/**
 * One container per service of `app` on the `side` content of `planned`, the `old` ones
 * swapped out and set aside (removed by the caller once the switch is done), the `kept` ones
 * started where they were not running. Never throws: a failure is `{ok: false}`, and the
 * caller goes back.
 */
export async function bringUp(
  deps: CoreDeps,
  app: AppRecord,
  operation: number,
  planned: PlannedService[],
  side: 'from' | 'to',
  found: FoundContainers,
): Promise<BroughtUp> {
  try {
    const topology = appTopology(app);
    await ensureResources(deps, app, topology);
    const slots = topology.services.map((service) => slotOf(app, service, planned, side, found));
    for (const slot of slots) if (!slot.kept && !slot.fresh && !joinsAnotherContainer(slot.service)) slot.fresh = await create(deps, app, topology, slot, operation);
    deps.checkpoint('before-switch');

    // Old containers of services the app no longer has (a definition change dropped them): out of the way first (their ports may be a new service's).
    const inApp = new Set(slots.map((s) => s.service.name));
    for (const c of found.old.filter((o) => !inApp.has(serviceOf(app, o) ?? ''))) {
      await setAside(deps, c, asideName(containerNameOf(app, serviceOf(app, c) ?? ''), operation));
      deps.checkpoint('during-switch');
    }

    const watched: WatchedContainer[] = [];
    const started = new Map<string, string>();
    for (const slot of slots) {
      await waitForDependencies(deps, app, slot.service, started);
      let container: WatchedContainer;
      if (slot.kept) {
        // Kept as it was; started when it was not running, and then it has to prove itself too.
        const startNow = slot.kept.status !== 'running';
        if (startNow) await deps.engine.startContainer(slot.kept.id);
        container = { service: slot.service.name, containerId: slot.kept.id, started: startNow };
      } else {
        slot.fresh ??= await create(deps, app, topology, slot, operation);
        await swap(deps, slot, operation);
        if (slot.old) deps.checkpoint('during-switch');
        container = { service: slot.service.name, containerId: slot.fresh.id, started: true };
      }
      watched.push(container);
      started.set(container.service, container.containerId);
    }
    deps.checkpoint('new-started');
    const failed = await watchGrace(deps, app.name, watched, finishingServices(topology));
    if (failed) return { ok: false, error: failed };
    return { ok: true, containers: watched.map(({ service, containerId }) => ({ service, containerId })) };
  } catch (error) {
    return { ok: false, error: asTagkeeperError(error).toInfo() };
  }
}

function slotOf(app: AppRecord, service: TopologyService, planned: PlannedService[], side: 'from' | 'to', found: FoundContainers): Slot {
  const content = planned.find((p) => p.name === service.name)?.[side];
  if (!content?.imageId) throw new TagkeeperError('internal', `no planned image for service ${service.name}`);
  const of = (list: ContainerInfo[]) => list.find((c) => serviceOf(app, c) === service.name);
  return { service, content: { ...content, imageId: content.imageId }, old: of(found.old), kept: of(found.kept), fresh: of(found.fresh) };
}

/** `network_mode: service:x` (or container:NAME): the engine resolves the name when the container is created. */
const joinsAnotherContainer = (service: TopologyService) => service.config.networkMode?.startsWith('container:') ?? false;

/** The new container, under the service's name when it is free, else under a temporary name. */
async function create(deps: CoreDeps, app: AppRecord, topology: AppTopology, slot: Slot, operation: number): Promise<NonNullable<Slot['fresh']>> {
  const spec = containerSpec(app, topology, slot.service.name, slot.content, operation);
  const taken = slot.old !== undefined && slot.old.name === spec.name;
  const name = taken ? waitingName(spec.name, operation) : spec.name;
  const id = await deps.engine.createContainer({ ...spec, name });
  deps.checkpoint('new-created');
  return { id, name, status: 'created' };
}

/**
 * Old out, new in: both renames while the old container still serves, then stop → start.
 * Each step is skipped when the engine shows it done (a resumed switch).
 */
async function swap(deps: CoreDeps, slot: Slot, operation: number): Promise<void> {
  const { old, fresh } = slot;
  const name = slot.service.containerName;
  const aside = asideName(name, operation);
  if (old && old.name !== aside) await deps.engine.renameContainer(old.id, aside);
  if (fresh!.name !== name) await deps.engine.renameContainer(fresh!.id, name);
  if (old && isUp(old)) {
    await deps.engine.stopContainer(old.id); // the container's own stop timeout (stop_grace_period), else the engine's 10 s
    deps.checkpoint('old-stopped');
  }
  if (fresh!.status !== 'running') await deps.engine.startContainer(fresh!.id);
}

/** Stopped (its own stop timeout) and renamed out of the service's name. */
async function setAside(deps: CoreDeps, c: ContainerInfo, aside: string): Promise<void> {
  if (isUp(c)) {
    await deps.engine.stopContainer(c.id);
    deps.checkpoint('old-stopped');
  }
  if (c.name !== aside) await deps.engine.renameContainer(c.id, aside);
}
