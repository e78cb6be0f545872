/** A service's update state in words (`update available`, `rolled back from …`, `index changed`, `up to date`, `not checked yet`). */
import type { AppView, ServiceView } from '../../../main/api/types/app-view';
import type { PendingUpdate } from '../../../main/api/types/updates';
import { shortDigest } from './format';

export type UpdateTone = 'update' | 'index' | 'ok' | 'unknown';

/**
 * `open`: the service's open pending update, if any (waiting for a decision, or approved and
 * being applied); it says what the update is waiting for.
 */
export function updateStatus(service: ServiceView, open: PendingUpdate | null = null): { text: string; tone: UpdateTone } {
  if (open?.state === 'approved') return { text: 'update approved, being applied', tone: 'update' };
  if (open?.state === 'pending') return { text: 'update available, waiting for approval', tone: 'update' };
  if (service.pinnedDigest !== null) return { text: 'pinned to a digest: not checked', tone: 'unknown' };
  if (service.updateRejected) return { text: 'newer digest rejected; runs the approved one', tone: 'ok' };
  if (service.updateAvailable) return { text: 'update available', tone: 'update' };
  if (service.rolledBackFrom) return { text: `rolled back from ${shortDigest(service.rolledBackFrom.manifestDigest ?? service.rolledBackFrom.indexDigest)}`, tone: 'unknown' };
  if (service.indexChanged) return { text: 'index changed (no update for this platform)', tone: 'index' };
  if (service.available !== null) return { text: 'up to date', tone: 'ok' };
  return { text: 'not checked yet', tone: 'unknown' };
}

/** The full digest a service runs: its platform manifest digest, else the local image id. */
export function runningDigest(service: ServiceView): string | null {
  return service.latched?.manifestDigest ?? service.latched?.imageId ?? null;
}

/** The open pending update of one service of an app, if any. */
export function openUpdateOf(app: Pick<AppView, 'pendingUpdates'>, service: string): PendingUpdate | null {
  return app.pendingUpdates.find((u) => u.service === service) ?? null;
}

/** Pending updates waiting for a decision, over all apps: the count on the Updates badge. */
export function waitingUpdates(apps: Pick<AppView, 'pendingUpdates'>[]): number {
  let count = 0;
  for (const app of apps) for (const u of app.pendingUpdates) if (u.state === 'pending') count++;
  return count;
}

/** An app's updates in a few words, for its line in the compact list. */
export function appUpdateSummary(app: Pick<AppView, 'pendingUpdates' | 'services'>): { text: string; tone: UpdateTone } {
  const waiting = app.pendingUpdates.filter((u) => u.state === 'pending').length;
  if (waiting > 0) return { text: `${waiting} waiting for approval`, tone: 'update' };
  if (app.pendingUpdates.length > 0) return { text: 'update being applied', tone: 'update' };
  const statuses = app.services.map((s) => updateStatus(s));
  if (statuses.some((s) => s.tone === 'update')) return { text: 'update available', tone: 'update' };
  if (app.services.every((s) => s.pinnedDigest !== null)) return { text: 'pinned', tone: 'unknown' };
  if (app.services.every((s) => s.available === null)) return { text: 'not checked yet', tone: 'unknown' };
  return { text: 'up to date', tone: 'ok' };
}
