/** An app as every client sees it: its state, settings and services with their digests. */
import type { ComposeDefinition } from './apps';
import type { DigestPair, PullPolicy } from './apps';
import type { ContainerHealth, ContainerStatus } from './engine';
import type { ErrorInfo } from '../errors';
import type { PendingUpdate } from './updates';

/**
 * `running`: every service's container runs, on its latched content. `drifted`: a container
 * runs other content than the latched one (changed behind Tagkeeper's back). `interrupted`: a
 * process that died left an operation unfinished. `switching`: an operation is replacing the
 * app's containers right now.
 */
export type AppState = 'creating' | 'running' | 'degraded' | 'stopped' | 'failed' | 'drifted' | 'interrupted' | 'switching';

/** A service's container runs other content than the latched one. */
export interface ServiceDrift {
  /** The image id the container was made from, as the engine reports it. */
  runningImageId: string;
  /** The image id of the latched content. */
  latchedImageId: string;
}

/** A request recorded and not finished yet. */
export interface OpenOperationView {
  id: number;
  kind: string;
  state: string;
  phase: string;
  /** Left unfinished by a process that is gone (killed, or the box rebooted). */
  interrupted: boolean;
}

export interface ServiceView {
  name: string;
  reference: string;
  canonical: string;
  pinnedDigest: string | null;
  latched: (DigestPair & { imageId: string; source: string; at: string }) | null;
  /** The content a rollback returns to (kept on disk), and when it was latched. */
  previous: (DigestPair & { imageId: string; source: string; at: string }) | null;
  /** A rollback brought the drive back from this content (still on disk: "Re-apply" approves it again); null otherwise. */
  rolledBackFrom: DigestPair | null;
  available: (DigestPair & { checkedAt: string }) | null;
  /** The registry offers a different platform manifest than the one latched (other than the one rolled back from). */
  updateAvailable: boolean;
  /** Only the index moved (another platform changed): not an update. */
  indexChanged: boolean;
  /** The update on offer was rejected for this drive: it is not proposed again. */
  updateRejected: boolean;
  containerId: string | null;
  containerStatus: ContainerStatus | 'missing' | null;
  /** Set when the container runs other content than the latched one; null when it runs the latched content (or there is none). */
  drift: ServiceDrift | null;
  health: ContainerHealth;
  checkError: ErrorInfo | null;
  error: ErrorInfo | null;
}

export interface AppView {
  name: string;
  /** Made from a Compose file, or with flags (`--service NAME=REF`). */
  definedBy: 'compose' | 'flags';
  /** The normalized Compose model, its hash and where it came from (apps:show of a Compose app only). */
  definition?: ComposeDefinition;
  state: AppState;
  pullPolicy: PullPolicy;
  pullPolicySource: 'app' | 'device';
  checkOnStart: boolean;
  /** Updates found for this app are applied without asking. */
  autoApply: boolean;
  autoApplySource: 'app' | 'device';
  createdAt: string;
  updatedAt: string;
  error: ErrorInfo | null;
  /** Requests recorded and not finished yet (running, waiting, or left by a process that died). */
  openOperations: OpenOperationView[];
  /** Pending updates waiting for a decision or being applied. */
  pendingUpdates: PendingUpdate[];
  /** (apps:show only) The engine names of the app's own named volumes: its state, which a purge discards. */
  volumes?: string[];
  services: ServiceView[];
}
