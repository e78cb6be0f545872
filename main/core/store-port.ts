/**
 * What the core needs from durable storage. The SQLite implementation is main/store/.
 * Every method is synchronous and atomic (one transaction).
 */
import type { DeviceSettings } from './settings';
import type {
  AppIntent,
  AppRecord,
  Available,
  LedgerEntry,
  Latched,
  NewLedgerEntry,
  ServiceRecord,
} from './app-types';
import type { ErrorInfo } from './errors';

export interface CachedManifest {
  digest: string;
  mediaType: string;
  bytes: Uint8Array;
}

export interface NewApp {
  name: string;
  pullPolicy: AppRecord['pullPolicy'];
  checkOnStart: AppRecord['checkOnStart'];
  services: Pick<ServiceRecord, 'name' | 'reference' | 'canonical' | 'pinnedDigest' | 'settings'>[];
}

export interface LedgerQuery {
  app?: string;
  limit?: number;
}

export interface RegistryCredentials {
  host: string;
  username: string;
  password: string;
}

export interface StorePort extends OperationStorePort {
  listRegistries(): RegistryCredentials[];
  getRegistry(host: string): RegistryCredentials | null;
  saveRegistry(credentials: RegistryCredentials, at: string): void;
  removeRegistry(host: string): boolean;
  /** Operations of an app (or all), newest first. */
  listOperations(query: { app?: string; limit: number }): import('./operation-types').Operation[];

  getSettings(): DeviceSettings;
  saveSettings(settings: DeviceSettings): void;

  /** Inserts the app and its services with intent 'creating'; throws 'already-exists'. */
  insertApp(app: NewApp, at: string): AppRecord;
  getApp(name: string): AppRecord | null;
  listApps(): AppRecord[];
  deleteApp(name: string): void;
  setAppIntent(name: string, intent: AppIntent, error: ErrorInfo | null, at: string): void;

  /** Latch a drive to new content; the old latched content becomes `previous`. */
  latchService(app: string, service: string, latched: Latched): void;
  setServiceContainer(app: string, service: string, containerId: string | null): void;
  setServiceError(app: string, service: string, error: ErrorInfo | null): void;
  /** Record the outcome of a check: what the registry offers now, or why it could not say. */
  setServiceAvailable(app: string, service: string, available: Available | null, error: ErrorInfo | null): void;
  /** The findings of one check and their ledger entries, in one transaction. */
  recordCheck(findings: { app: string; service: string; available: Available | null; error: ErrorInfo | null }[], ledger: NewLedgerEntry[]): void;

  /** Manifests by digest (content-addressed, so never stale). */
  getManifest(digest: string): CachedManifest | null;
  putManifest(manifest: CachedManifest, at: string): void;

  appendLedger(entries: NewLedgerEntry[]): void;
  listLedger(query?: LedgerQuery): LedgerEntry[];

  close(): void;
}

/** Everything that changes when an operation ends, written in one transaction. */
export interface OperationCommit {
  latch: { service: string; latched: import('./app-types').Latched }[];
  containers: { service: string; containerId: string | null }[];
  intent?: import('./app-types').AppIntent;
  appError?: ErrorInfo | null;
  ledger: NewLedgerEntry[];
}

export interface OperationStorePort {
  /** Record a request; merged into a waiting (or still-downloading) operation when allowed. */
  submitOperation(
    request: { app: string; kind: import('./operation-types').OperationKind; flags: import('./operation-types').UpdateFlags; trigger: string; actor: string },
    at: string,
  ): import('./operation-types').Operation;
  getOperation(id: number): import('./operation-types').Operation | null;
  /** Operations not finished (pending, or running: maybe by a process that died). */
  listOpenOperations(app?: string): import('./operation-types').Operation[];
  /**
   * Take the oldest open operation of `app` for process `pid`, unless a live process is
   * working on one (then null). `isAlive` tells whether an owner process still runs.
   */
  claimOperation(app: string, pid: number, isAlive: (pid: number) => boolean, at: string): import('./operation-types').Operation | null;
  setOperationProgress(id: number, phase: import('./operation-types').OperationPhase, plan: import('./operation-types').OperationPlan | null, at: string): void;
  /** End of downloads: freeze the flags into the plan and move to `switching`, atomically. */
  decideOperation(id: number, at: string): import('./operation-types').Operation;
  /** Finish: store the result and apply `commit` (latches, containers, ledger) in the same transaction. */
  finishOperation(id: number, result: import('./operation-types').OperationResult, commit: OperationCommit, at: string): void;
}
