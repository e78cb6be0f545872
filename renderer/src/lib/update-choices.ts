/**
 * "Update to latest…": which services the dialog offers to move (their tag points at other
 * content now), which are ticked at first (every one but a rejected digest, which stays out
 * unless ticked), and the request that updates exactly the ticked ones. Pure.
 */
import type { RefreshPreview, RefreshPreviewService } from '../../../main/api/types/updates';
import type { ActionOptions } from '../stores/apps-store';
import { shortDigest } from './format';

/** The services whose tag points at other content than they run. */
export const movable = (preview: RefreshPreview): RefreshPreviewService[] => preview.services.filter((s) => s.status === 'update');

/** Ticked when the dialog opens: every update except a digest rejected for its service. */
export function initialChoice(preview: RefreshPreview): string[] {
  return movable(preview).filter((s) => !s.rejected).map((s) => s.service);
}

export interface UpdateOptions {
  restart: boolean;
  purge: boolean;
}

/**
 * What Update does: refresh exactly the ticked services (taking a rejected digest only where it
 * is ticked); with none ticked, the restart or purge asked for on its own; null: nothing to do.
 */
export function updateRequest(preview: RefreshPreview, chosen: readonly string[], o: UpdateOptions): { action: 'refresh' | 'restart' | 'purge'; options: ActionOptions } | null {
  const services = movable(preview).filter((s) => chosen.includes(s.service));
  if (services.length === 0) return o.purge ? { action: 'purge', options: {} } : o.restart ? { action: 'restart', options: {} } : null;
  return {
    action: 'refresh',
    options: { restart: o.restart, purge: o.purge, services: services.map((s) => s.service), includeRejected: services.some((s) => s.rejected) },
  };
}

/** Why Update is held back, or null. */
export function updateBlocked(preview: RefreshPreview, chosen: readonly string[], o: UpdateOptions): string | null {
  if (updateRequest(preview, chosen, o)) return null;
  return movable(preview).length === 0 ? 'every service runs what its tag points at: nothing to update' : 'tick a service to update';
}

/** A service the dialog lists without a box, in words: up to date, pinned, index only, or why it could not be checked. */
export function unmovedText(s: RefreshPreviewService): string {
  switch (s.status) {
    case 'up-to-date':
      return `runs what its tag points at (${shortDigest(s.from?.manifestDigest)})`;
    case 'index-changed':
      return 'only the index changed (no new content for this platform): nothing to download';
    case 'pinned':
      return 'pinned to a digest: never moves';
    case 'error':
      return `could not be checked: ${s.error?.message ?? 'no reason given'}`;
    case 'update':
      return 'new content';
  }
}
