/** Everything the core works with, passed in by whichever shell runs it (CLI, desktop, serve). */
import type { HostFilesPort } from './host-files-port';
import type { BundlePort } from './bundle-port';
import type { DockerCredentialsPort } from './credentials-port';
import type { EnginePort } from './engine-port';
import type { RegistryPort } from './registry-port';
import type { StorePort } from './store-port';
import type { WorkFilesPort } from './work-files-port';
import type { CoreEvent } from '../../api/types/events';
import type { ContainerMirror } from '../background/container-mirror';

export interface CoreDeps {
  engine: EnginePort;
  registry: RegistryPort;
  store: StorePort;
  /** Registry logins as the docker CLI on this box finds them (config.json, credential helpers). */
  dockerCredentials: DockerCredentialsPort;
  /** The offline bundle format: reading, verifying and writing bundle files, signing keys. */
  bundles: BundlePort;
  /** This instance's work folder: uploads, exports for download, scratch folders of imports. */
  workFiles: WorkFilesPort;
  /** Files of the box given by path (a Compose file and its env files). */
  hostFiles: HostFilesPort;
  /** The local user on whose behalf this process acts (recorded in the ledger). */
  actor: string;
  /**
   * What this process is, for the ledger, when a request names the person behind it (the
   * approver of the UI): "Ana (via serve as root)". E.g. 'serve', 'the desktop app';
   * absent: a CLI command ('the CLI').
   */
  via?: string;
  /** This machine's host name (in needs lists and in the bundles it exports). */
  host: string;
  /** The clock, and a wait on it (aborted with `signal`): the core never reads time or sets timers itself. */
  now: () => Date;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Progress and change announcements; shells forward them to their clients. */
  emit: (event: CoreEvent) => void;
  /**
   * This process as it records itself as an operation's owner: its PID and when it started
   * (boot id and start time; null where the platform does not tell).
   */
  processId: number;
  processStarted: string | null;
  /**
   * Whether another process (an operation's owner) still runs. Given the start recorded with
   * its PID: whether that same process still runs, not one the kernel gave the PID to since.
   */
  isProcessAlive: (pid: number, started?: string | null) => boolean;
  /**
   * Named steps of an operation or an import (`before-download`, `during-switch`, …). The
   * shells make it a crash point for tests (TAGKEEPER_CRASH_AT, TAGKEEPER_PAUSE_AT);
   * otherwise it does nothing.
   */
  checkpoint: (point: CrashPoint) => void;
  /** How long new containers must stay up before a switch counts as done; null: the device setting. */
  startGraceMs: number | null;
  /** Operations this process is carrying out, by id, so they can be cancelled. */
  running: Map<number, AbortController>;
  /** Bundle transfers (export, import) running in this process, by id, so they can be cancelled. */
  transfers: Map<string, AbortController>;
  /**
   * The worker of a long-lived instance (serve, desktop) that carries out queued requests in
   * this process; null where none runs (a CLI command), so a queued request needs someone else.
   */
  worker: { wake(): void } | null;
  /**
   * The engine's container list as a long-lived instance keeps it from the engine's events
   * (background/container-mirror.ts), for listing apps without asking the engine; absent
   * where none is kept.
   */
  containers?: ContainerMirror;
}

/**
 * The named steps of an operation (a refresh, restart, purge, approval, rollback, start), in
 * the order it passes them: the request recorded, not yet taken by a process; its plan made
 * but not yet recorded; downloads ahead, under way, done; the switch decided; a new container
 * created (not started; the old ones still run); every new one made, nothing stopped yet; an
 * old container stopped (renamed aside, its new one not started yet); the first service
 * switched (for a purge: every old container removed); a purge's volumes removed; the new
 * ones started (their grace period ahead); the old ones removed; going back to the old
 * content after the new one did not stay up; the switch done, not yet recorded. A purge
 * passes `during-switch` and `volumes-removed` before its new containers are made.
 */
export const OPERATION_CRASH_POINTS = [
  'request-recorded',
  'while-resolving',
  'before-download',
  'during-download',
  'after-download',
  'after-decide',
  'new-created',
  'before-switch',
  'old-stopped',
  'during-switch',
  'volumes-removed',
  'new-started',
  'old-removed',
  'going-back',
  'after-switch',
] as const;

/**
 * The named steps of a bundle import: the bundle being read into its scratch folder; read
 * and verified; its images being loaded into the engine; loaded; recorded as pending updates
 * (the scratch folder not yet removed).
 */
export const IMPORT_CRASH_POINTS = ['import-reading', 'import-verified', 'import-loading', 'import-loaded', 'import-recorded'] as const;

export const CRASH_POINTS = [...OPERATION_CRASH_POINTS, ...IMPORT_CRASH_POINTS] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export const isoNow = (deps: Pick<CoreDeps, 'now'>): string => deps.now().toISOString();
