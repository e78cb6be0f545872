/**
 * The device settings form as typed (a draft), and what of it differs from what is stored:
 * only that is sent, with the CLI's keys and spelling. Pure.
 */
import { formatDuration } from '../../../main/api/format';
import type { DeviceSettings, SettingKey } from '../../../main/api/types/settings';

export interface Draft {
  pullPolicy: string;
  checkOnStart: boolean;
  offline: boolean;
  insecureRegistries: string;
  autoApply: boolean;
  prefetch: boolean;
  /** As typed: `6h`, `30m`, `off`. */
  checkInterval: string;
  startGrace: string;
}

export type Flag = 'checkOnStart' | 'offline' | 'autoApply' | 'prefetch';
export type Text = 'insecureRegistries' | 'checkInterval' | 'startGrace';

export const draftOf = (s: DeviceSettings): Draft => ({
  pullPolicy: s.pullPolicy,
  checkOnStart: s.checkOnStart,
  offline: s.offline,
  insecureRegistries: s.insecureRegistries.join(', '),
  autoApply: s.autoApply,
  prefetch: s.prefetch,
  checkInterval: s.checkIntervalSeconds === 0 ? 'off' : formatDuration(s.checkIntervalSeconds),
  startGrace: formatDuration(s.startGraceSeconds),
});

export const FLAG_KEYS: Record<Flag, SettingKey> = { checkOnStart: 'check-on-start', offline: 'offline', autoApply: 'auto-apply', prefetch: 'prefetch' };
export const TEXT_KEYS: Record<Text, SettingKey> = { insecureRegistries: 'insecure-registries', checkInterval: 'check-interval', startGrace: 'start-grace' };

/** Only what changed is sent, with the CLI's keys and spelling. */
export function settingChanges(saved: DeviceSettings, draft: Draft): Partial<Record<SettingKey, string>> {
  const before = draftOf(saved);
  const changes: Partial<Record<SettingKey, string>> = {};
  if (draft.pullPolicy !== before.pullPolicy) changes['pull-policy'] = draft.pullPolicy;
  for (const [field, key] of Object.entries(FLAG_KEYS) as [Flag, SettingKey][]) {
    if (draft[field] !== before[field]) changes[key] = draft[field] ? 'on' : 'off';
  }
  for (const [field, key] of Object.entries(TEXT_KEYS) as [Text, SettingKey][]) {
    if (draft[field].trim() !== before[field]) changes[key] = draft[field].trim();
  }
  return changes;
}

/**
 * The core's refusal of a setting, as shown beside its field: the field's label where the
 * message starts with the CLI's key (`check-interval cannot be "x"` → `Scheduled checks cannot be "x"`).
 */
export function fieldError<E extends { message: string }>(error: E | undefined, key: SettingKey, label: string): E | undefined {
  if (!error) return undefined;
  const start = [`${key} `, `${key}:`].find((prefix) => error.message.startsWith(prefix));
  return start ? { ...error, message: `${label}${error.message.slice(key.length)}` } : error;
}
