/** Small formatting helpers shared by the screens. Pure. */

/** `sha256:0123456789abcdef…` → `0123456789ab` (12 hex, as Docker prints ids). */
export function shortDigest(digest: string | null | undefined): string {
  if (!digest) return '—';
  const hex = digest.includes(':') ? digest.slice(digest.indexOf(':') + 1) : digest;
  return hex.slice(0, 12);
}

/** Decimal units as Docker prints them (the core's formatter, shared with the CLI). */
export { formatBytes } from '../../../main/api/format';

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

/** `2024-05-01T10:20:30.123Z` → `2024-05-01 10:20:30` (local time). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
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
