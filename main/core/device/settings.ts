/**
 * Device settings: defaults for every app on this box. Values are validated here so that
 * every shell (CLI, IPC, HTTP) rejects the same bad input with the same message.
 */
import { TagkeeperError } from '../../api/errors';
import { PULL_POLICIES, type PullPolicy } from '../../api/types/apps';

export interface DeviceSettings {
  /** Pull policy of apps that set none. The seed's default: always. */
  pullPolicy: PullPolicy;
  /** Check the registry each time an app starts (the seed's appendix). Off by default. */
  checkOnStart: boolean;
  /** Registries reached over plain HTTP besides loopback ones (`host:port`). */
  insecureRegistries: string[];
  /** No registry traffic at all, from any path; apps keep running on their latched digests. */
  offline: boolean;
  /** Apply updates as soon as they are found, for apps that set nothing themselves. Off by default. */
  autoApply: boolean;
  /** Download (never apply) pending updates in advance, so approving costs no download. */
  prefetch: boolean;
  /** Scheduled checks: seconds between them (±10 % jitter); 0 = off, the default. */
  checkIntervalSeconds: number;
  /** How long new containers must stay up (healthy, when they have a health check) before an apply counts as done. */
  startGraceSeconds: number;
  /** Refuse bundles not signed by a trusted key (`keys trust`). */
  requireSignatures: boolean;
}

export const DEFAULT_SETTINGS: DeviceSettings = {
  pullPolicy: 'always',
  checkOnStart: false,
  insecureRegistries: [],
  offline: false,
  autoApply: false,
  prefetch: false,
  checkIntervalSeconds: 0,
  startGraceSeconds: 5,
  requireSignatures: false,
};

/** Scheduled checks closer together than this would only load the registry. */
export const MIN_CHECK_INTERVAL_SECONDS = 5;

/** The CLI's kebab-case keys, mapped to settings fields and parsers. */
const SETTING_KEYS = {
  'pull-policy': { field: 'pullPolicy', parse: parsePullPolicy },
  'check-on-start': { field: 'checkOnStart', parse: parseBoolean },
  'insecure-registries': { field: 'insecureRegistries', parse: parseHostList },
  offline: { field: 'offline', parse: parseBoolean },
  'auto-apply': { field: 'autoApply', parse: parseBoolean },
  prefetch: { field: 'prefetch', parse: parseBoolean },
  'check-interval': { field: 'checkIntervalSeconds', parse: parseCheckInterval },
  'start-grace': { field: 'startGraceSeconds', parse: parseStartGrace },
  'require-signatures': { field: 'requireSignatures', parse: parseBoolean },
} as const satisfies Record<string, { field: keyof DeviceSettings; parse: (key: string, value: string) => unknown }>;

export type SettingKey = keyof typeof SETTING_KEYS;
export const SETTING_KEY_NAMES = Object.keys(SETTING_KEYS) as SettingKey[];

/** Parse `value` for `key` and return the settings with it changed; throws on bad input. */
export function applySetting(settings: DeviceSettings, key: string, value: string): DeviceSettings {
  const entry = (SETTING_KEYS as Record<string, { field: keyof DeviceSettings; parse: (k: string, v: string) => unknown }>)[key];
  if (!entry) {
    throw new TagkeeperError('invalid-settings', `unknown setting "${key}"`, {
      hint: `settings are: ${SETTING_KEY_NAMES.join(', ')}`,
    });
  }
  return { ...settings, [entry.field]: entry.parse(key, value) };
}

export function parsePullPolicy(key: string, value: string): PullPolicy {
  if ((PULL_POLICIES as readonly string[]).includes(value)) return value as PullPolicy;
  throw new TagkeeperError('invalid-settings', `${key} cannot be "${value}"`, {
    hint: `use one of: ${PULL_POLICIES.join(', ')}`,
  });
}

export function parseBoolean(key: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', 'on', 'yes', '1'].includes(v)) return true;
  if (['false', 'off', 'no', '0'].includes(v)) return false;
  throw new TagkeeperError('invalid-settings', `${key} cannot be "${value}"`, { hint: 'use on or off' });
}

function parseHostList(key: string, value: string): string[] {
  const hosts = value.split(',').map((h) => h.trim()).filter((h) => h.length > 0);
  for (const host of hosts) {
    if (!/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(host)) {
      throw new TagkeeperError('invalid-settings', `${key}: "${host}" is not a registry host`, {
        hint: 'write host or host:port, comma-separated',
      });
    }
  }
  return hosts;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `90s`, `15m`, `6h`, `1d`, or a plain number of seconds; null when it is none of these. */
export function parseDuration(value: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/.exec(value.trim().toLowerCase());
  if (!match) return null;
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's'];
}

/** Seconds as the shortest exact unit: 21600 → 6h, 90 → 90s. */
export function formatDuration(seconds: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    if (seconds >= UNIT_SECONDS[unit] && seconds % UNIT_SECONDS[unit] === 0) return `${seconds / UNIT_SECONDS[unit]}${unit}`;
  }
  return `${seconds}s`;
}

function parseCheckInterval(key: string, value: string): number {
  if (['off', 'never', 'no', 'false', '0'].includes(value.trim().toLowerCase())) return 0;
  const seconds = parseDuration(value);
  if (seconds === null || seconds < MIN_CHECK_INTERVAL_SECONDS || seconds > 366 * 86400) {
    throw new TagkeeperError('invalid-settings', `${key} cannot be "${value}"`, {
      hint: `write a duration such as 30m, 6h or 1d (at least ${MIN_CHECK_INTERVAL_SECONDS}s), or off`,
    });
  }
  return Math.round(seconds);
}

function parseStartGrace(key: string, value: string): number {
  const seconds = parseDuration(value);
  if (seconds === null || seconds > 3600) {
    throw new TagkeeperError('invalid-settings', `${key} cannot be "${value}"`, { hint: 'write a duration such as 5s or 2m (at most 1h)' });
  }
  return seconds;
}

/** Settings as stored may miss keys added later: fill them from the defaults. */
export function withDefaults(stored: Partial<DeviceSettings>): DeviceSettings {
  return { ...DEFAULT_SETTINGS, ...stored };
}
