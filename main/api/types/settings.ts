/** Device settings, registry credentials and trusted keys as clients see them (never a secret). */
import type { PullPolicy } from './apps';

/** The settings' keys as the CLI and the UI name them (`tagkeeper settings set KEY VALUE`). */
export const SETTING_KEY_NAMES = [
  'pull-policy',
  'check-on-start',
  'insecure-registries',
  'offline',
  'auto-apply',
  'prefetch',
  'check-interval',
  'start-grace',
  'require-signatures',
] as const;
export type SettingKey = (typeof SETTING_KEY_NAMES)[number];

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
  /** Refuse bundles not signed by a trusted key (`keys trust`) unless the import explicitly accepts one unsigned. On by default. */
  requireSignatures: boolean;
}

export interface RegistryView {
  host: string;
  username: string;
  /** Always masked: `••••••` when a password is set. */
  password: string;
}

export interface TrustedKeyView {
  keyId: string;
  name: string;
  addedAt: string;
  addedBy: string;
}

/** A new device's settings (the seed's defaults: pull always, no check on start; only signed bundles). */
export const DEFAULT_SETTINGS: DeviceSettings = {
  pullPolicy: 'always',
  checkOnStart: false,
  insecureRegistries: [],
  offline: false,
  autoApply: false,
  prefetch: false,
  checkIntervalSeconds: 0,
  startGraceSeconds: 5,
  requireSignatures: true,
};
