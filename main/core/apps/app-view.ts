/**
 * What every shell shows of an app: the stored record joined with what the engine says
 * about its containers right now.
 */
import { appSelector, serviceOf } from './app-topology';
import type { AppView, ServiceView, AppState } from '../../api/types/app-view';
import type { AppRecord, ServiceRecord } from '../../api/types/apps';
import type { ContainerState } from '../ports/engine-port';
import type { DeviceSettings } from '../../api/types/settings';
import { effectivePolicy } from '../content/pull-policy';
import { resultKind } from '../operations/operation-flags';
import type { Operation } from '../../api/types/operations';
import type { PendingUpdate } from '../../api/types/updates';

/**
 * `pending`: open pending updates; `rejected`: rejected ones (for `updateRejected`);
 * `interrupted`: the ids of open operations whose process is gone.
 */
export function appView(
  app: AppRecord,
  containers: ContainerState[],
  settings: DeviceSettings,
  open: Operation[] = [],
  pending: PendingUpdate[] = [],
  rejected: PendingUpdate[] = [],
  interrupted: ReadonlySet<number> = new Set(),
): AppView {
  const selector = Object.entries(appSelector(app));
  const mine = containers.filter((c) => selector.every(([key, value]) => c.labels[key] === value));
  const openOperations = open
    .filter((op) => op.app === app.name)
    .map((op) => ({ id: op.id, kind: resultKind(op.kind, op.flags), state: op.state, phase: op.phase, interrupted: interrupted.has(op.id) }));
  const services = app.services.map((s) => {
    const theirs = mine.filter((c) => serviceOf(app, c) === s.name);
    const view = serviceView(s, theirs.find((c) => c.status === 'running') ?? theirs[0] ?? null);
    const declined = rejected.some((r) => r.app === app.name && r.service === s.name && r.to.manifestDigest === s.available?.manifestDigest);
    return { ...view, updateRejected: view.updateAvailable && declined };
  });
  return {
    name: app.name,
    definedBy: app.compose ? 'compose' : 'flags',
    state: appState(app, services, openOperations),
    pullPolicy: effectivePolicy(app.pullPolicy, settings.pullPolicy),
    pullPolicySource: app.pullPolicy === null ? 'device' : 'app',
    checkOnStart: app.checkOnStart ?? settings.checkOnStart,
    autoApply: app.autoApply ?? settings.autoApply,
    autoApplySource: app.autoApply === null ? 'device' : 'app',
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
    error: app.error,
    openOperations,
    pendingUpdates: pending.filter((u) => u.app === app.name),
    services,
  };
}

function serviceView(s: ServiceRecord, container: ContainerState | null): ServiceView {
  const latchedManifest = s.latched?.manifestDigest ?? null;
  const available = s.available;
  const rolledBackFrom = s.latched?.rolledBackFrom ?? null;
  // What the registry offered is where a rollback came from: not an update waiting, but what "Re-apply" offers.
  const cameFrom = rolledBackFrom !== null && available !== null && available.manifestDigest === rolledBackFrom.manifestDigest;
  const updateAvailable =
    s.pinnedDigest === null && s.latched !== null && available !== null && !cameFrom &&
    (latchedManifest !== null ? available.manifestDigest !== latchedManifest : available.indexDigest !== s.latched.indexDigest);
  return {
    name: s.name,
    reference: s.reference,
    canonical: s.canonical,
    pinnedDigest: s.pinnedDigest,
    latched: s.latched,
    previous: s.previous
      ? { indexDigest: s.previous.indexDigest, manifestDigest: s.previous.manifestDigest, imageId: s.previous.imageId, source: s.previous.source, at: s.previous.at }
      : null,
    rolledBackFrom: rolledBackFrom ? { indexDigest: rolledBackFrom.indexDigest, manifestDigest: rolledBackFrom.manifestDigest } : null,
    available,
    updateAvailable,
    indexChanged: !updateAvailable && !cameFrom && available !== null && s.latched !== null && available.indexDigest !== s.latched.indexDigest,
    updateRejected: false,
    containerId: container?.id ?? s.containerId,
    containerStatus: container ? container.status : s.containerId ? 'missing' : null,
    drift: container && s.latched && container.imageId !== s.latched.imageId ? { runningImageId: container.imageId, latchedImageId: s.latched.imageId } : null,
    health: container?.health ?? null,
    checkError: s.checkError,
    error: s.error,
  };
}

/** Never `running` unless every container runs, on its latched content, with no operation left unfinished or under way. */
function appState(app: AppRecord, services: ServiceView[], open: AppView['openOperations']): AppState {
  if (open.some((op) => op.interrupted)) return 'interrupted';
  if (open.some((op) => op.state === 'running' && op.phase === 'switching')) return 'switching';
  if (app.intent !== 'running') return app.intent;
  if (services.some((s) => s.drift)) return 'drifted';
  const running = services.filter((s) => s.containerStatus === 'running').length;
  if (running === services.length) return 'running';
  return 'degraded';
}
