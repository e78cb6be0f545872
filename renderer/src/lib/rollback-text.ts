/**
 * Rollback in words: where the Roll back button goes (the previous digest and when it was
 * latched), and after a rollback where the app came back from and what "Re-apply" brings back.
 * Pure.
 */
import type { AppView, ServiceView } from '../../../main/api/types/app-view';
import { formatTime, shortDigest } from './format';

/** The services a rollback moves: those with previous content other than what they run. */
export function rollbackMoves(app: Pick<AppView, 'services'>): ServiceView[] {
  return app.services.filter((s) => s.previous !== null && s.previous.imageId !== s.latched?.imageId);
}

/** `Roll back to 0123456789ab (2024-05-01 10:20:30)`; for several services, the newest of their dates. */
export function rollbackLabel(app: Pick<AppView, 'services'>): string {
  const moves = rollbackMoves(app);
  if (moves.length === 0) return 'Roll back';
  if (moves.length === 1) {
    const previous = moves[0].previous!;
    return `Roll back to ${shortDigest(previous.manifestDigest ?? previous.imageId)} (${formatTime(previous.at)})`;
  }
  const newest = moves.map((s) => s.previous!.at).sort().at(-1);
  return `Roll back ${moves.length} services to their digests of ${formatTime(newest)}`;
}

/** The services a rollback brought back from other content (which Re-apply proposes again). */
export function rolledBack(app: Pick<AppView, 'services'>): ServiceView[] {
  return app.services.filter((s) => s.rolledBackFrom !== null);
}

/** `Re-apply 0123456789ab…`, or `Re-apply 2 digests…`. */
export function reapplyLabel(app: Pick<AppView, 'services'>): string {
  const back = rolledBack(app);
  if (back.length === 1) return `Re-apply ${shortDigest(back[0].rolledBackFrom!.manifestDigest ?? back[0].rolledBackFrom!.indexDigest)}…`;
  return `Re-apply ${back.length} digests…`;
}
