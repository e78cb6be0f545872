/**
 * Digests rejected for a drive: a person said no to them, so nothing takes them by itself —
 * not a check (the store does not propose them again), not a refresh and not a check on
 * start (they keep what runs), unless the request names the drive (`--include-rejected`).
 */
import type { CoreDeps } from '../ports/deps';

/** Whether `manifestDigest` was rejected for service `service` of the app. */
export type RejectedTest = (service: string, manifestDigest: string | null) => boolean;

export function rejectedDigests(deps: Pick<CoreDeps, 'store'>, app: string): RejectedTest {
  const rows = deps.store.listPendingUpdates({ app, states: ['rejected'] });
  const rejected = new Set(rows.map((u) => `${u.service}\n${u.to.manifestDigest}`));
  return (service, manifestDigest) => manifestDigest !== null && rejected.has(`${service}\n${manifestDigest}`);
}
