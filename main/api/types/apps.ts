/**
 * The domain's records: apps, their services (the seed's "drives"), what each drive is
 * latched to, and what the registry offers. Plain data, shared by the core and the store.
 */
import type { ErrorInfo } from '../errors';
import type { ComposeProject } from './compose';

export const PULL_POLICIES = ['always', 'if-not-present', 'never'] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];

/** What each pull policy does, in the words the UI and the CLI's help use. */
export const PULL_POLICY_MEANING: Readonly<Record<PullPolicy, string>> = {
  always: 'ask the registry, pull if the digest moved',
  'if-not-present': 'use the local image when there is one',
  never: 'the image must already be on the box',
};

/** The engine's restart policies a service may ask for. */
export const RESTART_POLICIES = ['no', 'always', 'unless-stopped', 'on-failure'] as const;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];

/** Where a latched image came from. */
export type ImageSource = 'registry' | 'local' | 'bundle';

/** Container settings of one service, as the user asked for them. */
export interface ServiceSettings {
  cmd?: string[];
  env: string[];
  /** Named volumes of the app (`data`) mounted at a path. */
  volumes: { name: string; target: string; readOnly?: boolean }[];
  ports: PortBinding[];
  /** Network mode; undefined: the engine's default network. */
  network?: string;
  restartPolicy: RestartPolicy;
  healthcheck?: HealthCheck;
}

/** A pair of digests a tag resolved to. For a single-platform image both are equal. */
export interface DigestPair {
  /** What the tag points at: the index (manifest list) digest, what `docker pull` prints. */
  indexDigest: string | null;
  /** The platform manifest that actually runs on this box. */
  manifestDigest: string | null;
}

export interface Latched extends DigestPair {
  /** Local image id (config digest) the containers are created from. */
  imageId: string;
  source: ImageSource;
  at: string;
  /** Latched by a rollback: the content the drive went back from (it is `previous` now). */
  rolledBackFrom?: DigestPair;
}

export interface Available extends DigestPair {
  checkedAt: string;
}

export interface ServiceRecord {
  app: string;
  name: string;
  position: number;
  /** As the user typed it. */
  reference: string;
  /** Normalized (`docker.io/library/redis:7`). */
  canonical: string;
  pinnedDigest: string | null;
  settings: ServiceSettings;
  latched: Latched | null;
  previous: Latched | null;
  available: Available | null;
  checkError: ErrorInfo | null;
  containerId: string | null;
  error: ErrorInfo | null;
}

/** What the app is meant to be doing (the engine tells what it is doing). */
export type AppIntent = 'creating' | 'running' | 'stopped' | 'failed';

/** An app defined by a Compose file: Tagkeeper owns the digests, the Compose model the topology. */
export interface ComposeDefinition {
  /** The normalized model (parsed, interpolated, validated). */
  project: ComposeProject;
  /** `sha256:` of the model's canonical JSON: recorded in the ledger before and after an update. */
  hash: string;
  /** The Compose file it came from (absolute path on the box), the env files and profiles used. */
  file: string;
  envFiles: string[];
  profiles: string[];
  /** Taken over from a project `docker compose` started (its containers kept running). */
  adopted: boolean;
}

export interface AppRecord {
  name: string;
  /** null: an app made with flags (`--service NAME=REF`). */
  compose: ComposeDefinition | null;
  /** null: the device default applies. */
  pullPolicy: PullPolicy | null;
  checkOnStart: boolean | null;
  /** Apply updates found for this app without asking (null: the device default, off). */
  autoApply: boolean | null;
  intent: AppIntent;
  error: ErrorInfo | null;
  createdAt: string;
  updatedAt: string;
  services: ServiceRecord[];
}

export type LedgerAction =
  | 'create' | 'resolve' | 'download' | 'check' | 'apply' | 'rollback'
  | 'refresh' | 'restart' | 'purge' | 'start' | 'stop' | 'delete' | 'prune'
  | 'propose' | 'approve' | 'reject' | 'prefetch' | 'configure' | 'import' | 'export' | 'update'
  /** `tagkeeper recover`: an app rebuilt (or a drive re-latched) from what the engine runs, a database restored from a backup. */
  | 'recover';
export type LedgerOutcome = 'ok' | 'failed' | 'rolled-back' | 'update-available' | 'index-changed' | 'up-to-date' | 'cancelled';

export interface LedgerEntry {
  id: number;
  at: string;
  app: string;
  service: string | null;
  action: LedgerAction;
  from: DigestPair | null;
  to: DigestPair | null;
  source: ImageSource | null;
  trigger: string;
  actor: string;
  outcome: LedgerOutcome;
  detail: string | null;
}

export type NewLedgerEntry = Omit<LedgerEntry, 'id' | 'at'> & { at?: string };

export interface PortBinding {
  containerPort: number;
  protocol: 'tcp' | 'udp';
  hostPort?: number;
  hostIp?: string;
}

export interface HealthCheck {
  /** As Docker's Healthcheck.Test, e.g. ["CMD-SHELL", "wget -q -O- localhost:80"]. */
  test: string[];
  intervalSeconds?: number;
  timeoutSeconds?: number;
  retries?: number;
  startPeriodSeconds?: number;
}

