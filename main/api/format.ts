/** Display helpers shared by the CLI and the renderer: sizes, durations and times as people read them. Pure. */

/** Seconds per unit of a duration as the settings write them (`30s`, `5m`, `6h`, `1d`). */
export const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Decimal units as Docker prints them: 512 B, 1.5 kB, 12.3 MB, 1.2 GB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Seconds as the shortest exact unit: 21600 → 6h, 90 → 90s. */
export function formatDuration(seconds: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    if (seconds >= UNIT_SECONDS[unit] && seconds % UNIT_SECONDS[unit] === 0) return `${seconds / UNIT_SECONDS[unit]}${unit}`;
  }
  return `${seconds}s`;
}

/** A registry's pull rate limit as people read it: "76 of 100 left per 6h", "0 left". */
export function formatRateLimit(r: { limit: number | null; remaining: number; windowSeconds: number | null }): string {
  const of = r.limit === null ? '' : ` of ${r.limit}`;
  const per = r.windowSeconds === null ? '' : ` per ${formatDuration(r.windowSeconds)}`;
  return `${r.remaining}${of} left${per}`;
}

const DOING: Readonly<Record<string, string>> = {
  refresh: 'refreshing',
  restart: 'restarting',
  purge: 'purging',
  rollback: 'rolling back',
  apply: 'applying the approved updates',
  update: 'updating to the new definition',
  start: 'starting',
  stop: 'stopping',
};

const PHASES: Readonly<Record<string, string>> = {
  queued: 'under way',
  resolving: 'asking the registry',
  downloading: 'downloading',
  switching: 'switching the containers',
  finished: 'finishing',
};

/** An unfinished operation of an app in words: `Stopping: waiting for its turn`, `Refreshing: downloading`. */
export function openOperationText(op: { kind: string; state: string; phase: string }): string {
  const doing = DOING[op.kind] ?? op.kind;
  const where = op.state === 'pending' ? 'waiting for its turn' : (PHASES[op.phase] ?? op.phase);
  return `${doing.charAt(0).toUpperCase()}${doing.slice(1)}: ${where}`;
}

/**
 * A stored time (ISO 8601, `2024-05-01T10:20:30.123Z`) in this machine's local time, as the
 * UI and the CLI's text show it: `2024-05-01 12:20:30`. `--json` keeps the ISO form, whose `Z`
 * says the offset.
 */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
