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

/**
 * Where a registry's credentials come from: saved in Tagkeeper (Settings, `registries set`),
 * an `auths` entry of Docker's config.json, or a Docker credential helper (`helper: pass`).
 */
export type CredentialSource = 'Tagkeeper' | 'docker config.json' | `helper: ${string}`;

export interface RegistryView {
  host: string;
  /** `<token>` when the credential is an identity token (an OAuth refresh token). */
  username: string;
  /** Always masked: `••••••` when a password is set. */
  password: string;
  source: CredentialSource;
  /** Checks and pulls use these: Tagkeeper's win over Docker's, and a failing helper gives none. */
  inUse: boolean;
  /** Why these cannot be used (a helper that failed), in one line; null when they can. */
  problem: string | null;
}

/** What a registry said of its pull rate limit (Docker Hub's `ratelimit-limit` / `ratelimit-remaining`) when last asked. */
export interface RateLimitView {
  /** The registry (`docker.io`), or the mirror's URL when a mirror answered. */
  registry: string;
  /** Pulls allowed per window; null when the registry sent only what remains. */
  limit: number | null;
  remaining: number;
  /** The window in seconds (`w=21600`); null when not said. */
  windowSeconds: number | null;
  seenAt: string;
}

/** The registry side of this box besides credentials: the engine's registry configuration, and rate limits seen. */
export interface RegistriesStatus {
  /** The Docker config file whose logins and helpers are used (it may not exist). */
  dockerConfig: string;
  /** The engine's registry-mirrors: docker.io is asked through them first, Docker Hub last. */
  mirrors: string[];
  /** Registries the engine reaches over plain HTTP (its insecure-registries and their CIDRs): they count as set here. */
  engineInsecureRegistries: string[];
  /** Null when the engine could not be asked (then neither of the above is known). */
  engineError: string | null;
  rateLimits: RateLimitView[];
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
