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

export interface StorePort {
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

  /** Manifests by digest (content-addressed, so never stale). */
  getManifest(digest: string): CachedManifest | null;
  putManifest(manifest: CachedManifest, at: string): void;

  appendLedger(entries: NewLedgerEntry[]): void;
  listLedger(query?: LedgerQuery): LedgerEntry[];

  close(): void;
}
