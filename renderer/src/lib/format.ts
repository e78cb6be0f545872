/** Small formatting helpers shared by the screens. Pure. */

/** `sha256:0123456789abcdef…` → `0123456789ab` (12 hex, as Docker prints ids). */
export function shortDigest(digest: string | null | undefined): string {
  if (!digest) return '—';
  const hex = digest.includes(':') ? digest.slice(digest.indexOf(':') + 1) : digest;
  return hex.slice(0, 12);
}

/** Decimal units as Docker prints them, and times in local time (the formatters shared with the CLI). */
import { formatTime } from '../../../main/api/format';
export { formatBytes, formatTime } from '../../../main/api/format';

/** How long ago `iso` was, in words a person reads at a glance: `just now`, `5 min ago`, `3 h ago`. */
export function timeAgo(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 0) return 'just now';
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

/** A fraction as a whole percentage, 0 when the total is unknown. */
export function percent(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.round((done / total) * 100));
}

/** When an image was built: `unknown` for images that do not say (loaded ones often claim 1970-01-01). */
export function formatCreated(iso: string | null | undefined): string {
  if (!iso) return 'unknown';
  const at = Date.parse(iso);
  if (Number.isNaN(at) || at <= 0) return 'unknown';
  return formatTime(iso);
}
