/**
 * Bundle transfers in words: the core's phases (transfer-progress events), bytes of a total,
 * images, speed; and the page's own upload or download. Pure.
 */
import type { TransferPhase, TransferProgress } from '../../../main/api/types/bundles';
import { formatBytes, percent } from './format';

const PHASES: Record<TransferPhase, string> = {
  fetching: 'fetching manifests and configs from the registries',
  writing: 'writing the bundle',
  reading: 'verifying the bundle',
  loading: 'loading images into the engine',
  recording: 'recording the new digests',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
};

export function phaseText(phase: TransferPhase): string {
  return PHASES[phase];
}

/** `verifying the bundle · 12.3 MB / 40.1 MB · 1 of 2 images · 5.2 MB/s` (images and speed only when known). */
export function transferText(p: TransferProgress): string {
  const parts = [phaseText(p.phase), `${formatBytes(p.bytes)} / ${p.totalBytes === null ? '?' : formatBytes(p.totalBytes)}`];
  if (p.totalImages > 0) parts.push(`${p.images} of ${p.totalImages} image${p.totalImages === 1 ? '' : 's'}`);
  if (p.bytesPerSecond > 0 && !isFinished(p.phase)) parts.push(`${formatBytes(p.bytesPerSecond)}/s`);
  return parts.join(' · ');
}

/** The bar's value (0–100), or null while the total is unknown. */
export function transferPercent(p: { bytes: number; totalBytes: number | null }): number | null {
  return p.totalBytes === null || p.totalBytes <= 0 ? null : percent(p.bytes, p.totalBytes);
}

/** `uploading · 3.0 MB / 12.0 MB (25 %)` for the page's own part. */
export function fileTransferText(verb: 'uploading' | 'downloading', bytes: number, total: number | null): string {
  if (total === null) return `${verb} · ${formatBytes(bytes)}`;
  return `${verb} · ${formatBytes(bytes)} / ${formatBytes(total)} (${percent(bytes, total)} %)`;
}

export function isFinished(phase: TransferPhase): boolean {
  return phase === 'done' || phase === 'failed' || phase === 'cancelled';
}
