/**
 * Device settings: defaults for every app on this box. Values are validated here so that
 * every shell (CLI, IPC, HTTP) rejects the same bad input with the same message.
 */
import { type SettingKey, SETTING_KEY_NAMES, DEFAULT_SETTINGS, type DeviceSettings } from '../../api/types/settings';
import { UNIT_SECONDS } from '../../api/format';
import { TagkeeperError } from '../../api/errors';
import { PULL_POLICIES, type PullPolicy } from '../../api/types/apps';

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
} as const satisfies Record<SettingKey, { field: keyof DeviceSettings; parse: (key: string, value: string) => unknown }>;


/** Parse `value` for `key` and return the settings with it changed; throws on bad input. */
export function applySetting(settings: DeviceSettings, key: string, value: string): DeviceSettings {
  // Own keys only: `__proto__` or `toString` are not settings.
  const entry = Object.hasOwn(SETTING_KEYS, key) ? SETTING_KEYS[key as SettingKey] : undefined;
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


/** `90s`, `15m`, `6h`, `1d`, or a plain number of seconds; null when it is none of these. */
export function parseDuration(value: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/.exec(value.trim().toLowerCase());
  if (!match) return null;
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's'];
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
