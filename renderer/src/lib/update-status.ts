/** A service's update state in words (`update available`, `index changed`, `up to date`, `not checked`). */
import type { ServiceView } from '../../../main/core/app-view';

export type UpdateTone = 'update' | 'index' | 'ok' | 'unknown';

export function updateStatus(service: ServiceView): { text: string; tone: UpdateTone } {
  if (service.pinnedDigest !== null) return { text: 'pinned, not checked', tone: 'unknown' };
  if (service.updateAvailable) return { text: 'update available', tone: 'update' };
  if (service.indexChanged) return { text: 'index changed (no update for this platform)', tone: 'index' };
  if (service.available !== null) return { text: 'up to date', tone: 'ok' };
  return { text: 'not checked', tone: 'unknown' };
}

/** The full digest a service runs: its platform manifest digest, else the local image id. */
export function runningDigest(service: ServiceView): string | null {
  return service.latched?.manifestDigest ?? service.latched?.imageId ?? null;
}

/** Services with an update waiting, over all apps: the count on the Apps badge. */
export function pendingUpdates(apps: { services: ServiceView[] }[]): number {
  let count = 0;
  for (const app of apps) for (const s of app.services) if (s.updateAvailable) count++;
  return count;
}
