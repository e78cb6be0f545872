/** The device's report for a central team (the seed's "report the SHA back to the controller"). */
import type { AppView } from './app-view';
import type { Platform } from './engine';
import type { DeviceSettings } from './settings';
import type { LedgerEntry } from './apps';
import type { PendingUpdate } from './updates';

export interface DeviceReport {
  generatedAt: string;
  engine: { endpoint: string; platform: Platform };
  settings: DeviceSettings;
  apps: AppView[];
  /** Updates waiting for a decision or being applied. */
  pendingUpdates: PendingUpdate[];
  /** The device's history (the ledger), oldest first. */
  history: LedgerEntry[];
}
