/**
 * What the core needs from durable storage. The SQLite implementation is main/store/.
 * Every method is synchronous and atomic (one transaction).
 */
import type { ComposeDefinition } from '../../api/types/apps';
import type { RegistryCredentials } from './registry-port';
import type { DeviceSettings, RateLimitView } from '../../api/types/settings';
import type {
  AppIntent,
  AppRecord,
  Available,
  LedgerEntry,
  Latched,
  NewLedgerEntry,
  ServiceRecord,
} from '../../api/types/apps';
import type { ErrorInfo } from '../../api/errors';
import type { PendingUpdate, PendingUpdateState, UpdateFindings, UpdateResolution } from '../../api/types/updates';
import type { Operation } from '../../api/types/operations';
import type { RecordedEngine } from '../../api/types/engine';

export interface CachedManifest {
  digest: string;
  mediaType: string;
  bytes: Uint8Array;
}

export interface NewApp {
  name: string;
  pullPolicy: AppRecord['pullPolicy'];
  checkOnStart: AppRecord['checkOnStart'];
  autoApply?: AppRecord['autoApply'];
  compose?: AppRecord['compose'];
  services: Pick<ServiceRecord, 'name' | 'reference' | 'canonical' | 'pinnedDigest' | 'settings'>[];
}

export interface LedgerQuery {
  app?: string;
  limit?: number;
}

/** Per-app overrides of device settings; undefined: unchanged, null: back to the device default. */
export interface AppOverrides {
  pullPolicy?: AppRecord['pullPolicy'];
  checkOnStart?: boolean | null;
  autoApply?: boolean | null;
}

/** A public key trusted to sign bundles. */
export interface TrustedKeyRecord {
  keyId: string;
  name: string;
  /** SPKI PEM. */
  publicKey: string;
  addedAt: string;
  addedBy: string;
}

export interface StorePort extends OperationStorePort, PendingUpdateStorePort {
  listTrustedKeys(): TrustedKeyRecord[];
  /** Insert or rename; returns whether the key was new. */
  saveTrustedKey(key: TrustedKeyRecord): boolean;
  removeTrustedKey(keyId: string): boolean;
  listRegistries(): RegistryCredentials[];
  getRegistry(host: string): RegistryCredentials | null;
  saveRegistry(credentials: RegistryCredentials, at: string): void;
  removeRegistry(host: string): boolean;
  /** Keep what a registry last stated of its pull rate limit (one row per registry). */
  saveRateLimit(limit: RateLimitView): void;
  /** Every registry's last stated rate limit, by registry. */
  listRateLimits(): RateLimitView[];
  /** Operations of an app (or all), newest first. */
  listOperations(query: { app?: string; limit: number }): import('../../api/types/operations').Operation[];

  /** The engine this data directory belongs to; null until the first contact with one. */
  getEngineRecord(): RecordedEngine | null;
  /** Records `engine` unless one is recorded already (another process may have been first); returns the one recorded. */
  recordEngine(engine: RecordedEngine): RecordedEngine;
  /** Replaces the recorded engine (engine accept), with its ledger entries, in one transaction. */
  replaceEngine(engine: RecordedEngine, ledger: NewLedgerEntry[]): void;

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
  /**
   * The findings of one check, the pending updates they propose or withdraw, and their ledger
   * entries, in one transaction. Returns the pending updates created or refreshed.
   */
  recordCheck(
    findings: { app: string; service: string; available: Available | null; error: ErrorInfo | null }[],
    ledger: NewLedgerEntry[],
    updates?: UpdateFindings,
    at?: string,
  ): PendingUpdate[];
  setAppOverrides(name: string, overrides: AppOverrides, at: string): void;

  /** Manifests by digest (content-addressed, so never stale). */
  getManifest(digest: string): CachedManifest | null;
  putManifest(manifest: CachedManifest, at: string): void;

  appendLedger(entries: NewLedgerEntry[]): void;
  listLedger(query?: LedgerQuery): LedgerEntry[];
  /** The platform manifest digests the drive was latched to (created, applied, rolled back to) since its app was last created, per the ledger. */
  latchedDigests(app: string, service: string): string[];

  /**
   * Whether this database has yet to be compared with the engine: one made fresh, or restored
   * from a backup, may not know apps whose containers run (core/recovery/engine-check.ts).
   */
  engineCheckPending(): boolean;
  setEngineCheckPending(pending: boolean): void;
  /** New operations get ids above `id`: ids that containers on the engine already carry (tagkeeper.operation). */
  reserveOperationIds(id: number): void;

  close(): void;
}

/** Everything that changes when an operation ends, written in one transaction. */
export interface OperationCommit {
  /** Redefine, when it is done: the app's new definition and its services (added ones get rows, dropped ones lose theirs). */
  redefine?: { compose: ComposeDefinition; services: NewApp['services'] };
  latch: { service: string; latched: import('../../api/types/apps').Latched }[];
  /** Added to the operation's ledger line (e.g. the definitions before and after). */
  note?: string;
  containers: { service: string; containerId: string | null }[];
  intent?: import('../../api/types/apps').AppIntent;
  appError?: ErrorInfo | null;
  ledger: NewLedgerEntry[];
  /** Pending updates this operation made stale or applied (an approval's own rows end with it). */
  updates?: UpdateResolution[];
}

export interface PendingUpdateStorePort {
  listPendingUpdates(query?: { app?: string; service?: string; states?: readonly PendingUpdateState[]; operationId?: number; limit?: number }): PendingUpdate[];
  /**
   * Proposals from elsewhere than a check (a bundle), with their ledger entries and the
   * manifests they name, in one transaction; returns the rows touched.
   */
  recordUpdates(findings: UpdateFindings, ledger: NewLedgerEntry[], at: string, manifests?: CachedManifest[]): PendingUpdate[];
  /**
   * Approve waiting updates of one app and submit the operation that applies them, with the
   * ledger entries `ledger` makes of the rows approved, in one transaction. Rows no longer
   * waiting are left out; none left: no operation.
   */
  approveUpdates(
    ids: number[],
    request: { app: string; trigger: string; actor: string; waiter?: import('../../api/types/operations').OperationOwner },
    ledger: (approved: PendingUpdate[]) => NewLedgerEntry[],
    at: string,
  ): { operation: Operation | null; approved: PendingUpdate[] };
  /** Reject waiting updates (their digests are not proposed again for those drives). */
  rejectUpdates(ids: number[], by: string, ledger: (rejected: PendingUpdate[]) => NewLedgerEntry[], at: string): PendingUpdate[];
  /** The update's content is on this box now (prefetched or loaded from a bundle). */
  stageUpdate(id: number, imageId: string): void;
  /** When the bundles applied to the drive were made, as their indexes said. */
  appliedBundleTimes(app: string, service: string): string[];
}

export interface OperationStorePort {
  /** Record a request; merged into a waiting (or still-downloading) operation when allowed. */
  submitOperation(
    request: {
      app: string; kind: import('../../api/types/operations').OperationKind; flags: import('../../api/types/operations').UpdateFlags; trigger: string; actor: string;
      /** Redefine: the Compose definition the operation moves the app to. */
      target?: ComposeDefinition;
      /**
       * The process that waits for the request (not one that returns at once): recorded as the
       * new operation's owner until a process takes it, so that one killed while it waits
       * leaves the request to the next process that looks at the app.
       */
      waiter?: import('../../api/types/operations').OperationOwner;
    },
    at: string,
  ): import('../../api/types/operations').Operation;
  getOperation(id: number): import('../../api/types/operations').Operation | null;
  /** Operations not finished (pending, or running: maybe by a process that died). */
  listOpenOperations(app?: string): import('../../api/types/operations').Operation[];
  /**
   * Take the oldest open operation of `app` for process `owner`, unless another live process
   * is working on one (then null). `isAlive` tells whether an owner still runs: the same
   * process, not one that was given its PID since.
   */
  claimOperation(
    app: string,
    owner: import('../../api/types/operations').OperationOwner,
    isAlive: (pid: number, started: string | null) => boolean,
    at: string,
  ): import('../../api/types/operations').Operation | null;
  setOperationProgress(id: number, phase: import('../../api/types/operations').OperationPhase, plan: import('../../api/types/operations').OperationPlan | null, at: string): void;
  /** End of downloads: freeze the flags into the plan and move to `switching`, atomically. */
  decideOperation(id: number, at: string): import('../../api/types/operations').Operation;
  /** Finish: store the result and apply `commit` (latches, containers, ledger) in the same transaction. */
  finishOperation(id: number, result: import('../../api/types/operations').OperationResult, commit: OperationCommit, at: string): void;
}
