/** Durable operations (refresh, restart, purge, rollback, start, stop) and their results. */
import type { ComposeDefinition, DigestPair, ImageSource } from './apps';
import type { ErrorInfo } from '../errors';

export type OperationKind = 'update' | 'start' | 'stop';

export type OperationState = 'pending' | 'running' | 'done' | 'failed';

/**
 * Progress of an update: queued → resolving → downloading → switching → done.
 * Until `switching`, the app runs what it ran; the store is switched in one transaction
 * together with the operation's end, so the app is always on its old or its new digests.
 */
export type OperationPhase = 'queued' | 'resolving' | 'downloading' | 'switching' | 'finished';

export interface UpdateFlags {
  refresh: boolean;
  restart: boolean;
  purge: boolean;
  /** Back to each drive's previous latched content (`app rollback`); absent means false. */
  rollback?: boolean;
  /** Apply the approved pending updates of the app (exactly their digests); absent means false. */
  approve?: boolean;
  /** Move a Compose app to a new definition (`app update --compose`); absent means false. */
  redefine?: boolean;
  /** A refresh moves only these drives (absent: every drive of the app). */
  only?: string[];
  /** Drives whose rejected digests a refresh may take (absent: none; a rejected digest is left out). */
  includeRejected?: string[];
}

/** What a drive will run after the operation. */
export interface PlannedService {
  name: string;
  from: DigestPair & { imageId: string | null };
  to: DigestPair & { imageId: string | null; source?: ImageSource };
  /** The content (platform manifest) changes. */
  changed: boolean;
  /** Redefine: the service's settings change, so its container is made anew (content changed or not). */
  recreate?: boolean;
  /** Redefine: a service the new definition adds. */
  added?: boolean;
  /** A refresh found this content under the tag and left it out (the drive keeps what it runs). */
  skipped?: SkippedContent;
}

/** Content a refresh (or check on start) found under the tag and did not take: a digest rejected for the drive. */
export interface SkippedContent {
  to: DigestPair;
  reason: 'rejected';
}

export interface OperationPlan {
  services: PlannedService[];
  /** Set once the downloads are over: the flags as they were then (later requests queue). */
  decided?: UpdateFlags & { switch: boolean };
  /** A check on start could not reach the registry: started on the latched digests. */
  checkError?: ErrorInfo;
  /** Redefine: services the new definition drops (their containers are removed). */
  removed?: string[];
}

export interface Operation {
  id: number;
  app: string;
  kind: OperationKind;
  flags: UpdateFlags;
  requests: number;
  state: OperationState;
  phase: OperationPhase;
  plan: OperationPlan | null;
  result: OperationResult | null;
  /** The process working on it (or that was, if it died). */
  ownerPid: number | null;
  /** When that process started (boot id and start time), so a PID the kernel gave to another process since does not pass for it; null where unknown. */
  ownerStarted: string | null;
  trigger: string;
  actor: string;
  createdAt: string;
  updatedAt: string;
  /** Redefine: the definition the app moves to. */
  target?: ComposeDefinition | null;
}

/**
 * A process as an operation's owner: its PID and when it started (the boot id and its start
 * time; null where the platform does not tell), so that a PID reused by another process, or
 * after a reboot, does not pass for the owner.
 */
export interface OperationOwner {
  pid: number;
  started: string | null;
}

/** What the CLI prints for refresh, restart, purge, start and stop. */
export interface OperationResult {
  operation: number;
  app: string;
  kind: 'refresh' | 'restart' | 'purge' | 'rollback' | 'apply' | 'update' | 'start' | 'stop';
  outcome: 'done' | 'failed' | 'rolled-back';
  changed: boolean;
  restarted: boolean;
  purged: boolean;
  services: { name: string; changed: boolean; from: DigestPair; to: DigestPair; skipped?: SkippedContent }[];
  error: ErrorInfo | null;
}

/** A request recorded and not waited for (`--no-wait`). */
export interface QueuedOperation {
  operation: number;
  app: string;
  state: 'pending' | 'running';
  /** A running instance's worker carries it out; false: no process has taken it yet (the CLI then starts a background `tagkeeper resume`). */
  worker: boolean;
}

export type OperationAnswer = OperationResult | QueuedOperation;
