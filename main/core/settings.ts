/**
 * Device settings: defaults for every app on this box. Values are validated here so that
 * every shell (CLI, IPC, HTTP) rejects the same bad input with the same message.
 */
import { TagkeeperError } from './errors';
import { PULL_POLICIES, type PullPolicy } from './app-types';

export interface DeviceSettings {
  /** Pull policy of apps that set none. The seed's default: always. */
  pullPolicy: PullPolicy;
  /** Check the registry each time an app starts (the seed's appendix). Off by default. */
  checkOnStart: boolean;
  /** Registries reached over plain HTTP besides loopback ones (`host:port`). */
  insecureRegistries: string[];
  /** No registry traffic at all, from any path; apps keep running on their latched digests. */
  offline: boolean;
}

export const DEFAULT_SETTINGS: DeviceSettings = {
  pullPolicy: 'always',
  checkOnStart: false,
  insecureRegistries: [],
  offline: false,
};

/** The CLI's kebab-case keys, mapped to settings fields and parsers. */
const SETTING_KEYS = {
  'pull-policy': { field: 'pullPolicy', parse: parsePullPolicy },
  'check-on-start': { field: 'checkOnStart', parse: parseBoolean },
  'insecure-registries': { field: 'insecureRegistries', parse: parseHostList },
  offline: { field: 'offline', parse: parseBoolean },
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

/** Settings as stored may miss keys added later: fill them from the defaults. */
export function withDefaults(stored: Partial<DeviceSettings>): DeviceSettings {
  return { ...DEFAULT_SETTINGS, ...stored };
}
