/**
 * Operations: the durable form of the seed's counters (refresh, restart, purge) and of start
 * and stop. Requests for one app are merged while they wait, and a restart or purge asked
 * for while a refresh is still downloading joins it, deferred until the downloads end.
 */
import type { DigestPair, ImageSource } from '../../api/types/apps';
import type { ErrorInfo } from '../../api/errors';

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
}

/** What a drive will run after the operation. */
export interface PlannedService {
  name: string;
  from: DigestPair & { imageId: string | null };
  to: DigestPair & { imageId: string | null; source?: ImageSource };
  changed: boolean;
}

export interface OperationPlan {
  services: PlannedService[];
  /** Set once the downloads are over: the flags as they were then (later requests queue). */
  decided?: UpdateFlags & { switch: boolean };
  /** A check on start could not reach the registry: started on the latched digests. */
  checkError?: ErrorInfo;
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
  ownerPid: number | null;
  trigger: string;
  actor: string;
  createdAt: string;
  updatedAt: string;
}

/** What the CLI prints for refresh, restart, purge, start and stop. */
export interface OperationResult {
  operation: number;
  app: string;
  kind: 'refresh' | 'restart' | 'purge' | 'rollback' | 'apply' | 'start' | 'stop';
  outcome: 'done' | 'failed' | 'rolled-back';
  changed: boolean;
  restarted: boolean;
  purged: boolean;
  services: { name: string; changed: boolean; from: DigestPair; to: DigestPair }[];
  error: ErrorInfo | null;
}

export const NO_FLAGS: UpdateFlags = { refresh: false, restart: false, purge: false };

/** Counters add up: a merged request does everything each of its parts asked for. */
export function mergeFlags(a: UpdateFlags, b: UpdateFlags): UpdateFlags {
  const merged: UpdateFlags = { refresh: a.refresh || b.refresh, restart: a.restart || b.restart, purge: a.purge || b.purge };
  if (a.rollback || b.rollback) merged.rollback = true;
  if (a.approve || b.approve) merged.approve = true;
  return merged;
}

/** The name an update goes by in results and the ledger. */
export function resultKind(kind: OperationKind, flags: UpdateFlags): OperationResult['kind'] {
  if (kind !== 'update') return kind;
  if (flags.rollback) return 'rollback';
  if (flags.approve) return 'apply';
  if (flags.refresh) return 'refresh';
  return flags.purge ? 'purge' : 'restart';
}

/**
 * Whether a new request may join `op` rather than wait for it: a pending operation takes
 * anything of its kind; a running refresh takes restart and purge only until its downloads
 * are over (the seed: deferred until the download attempt completes). A rollback is never
 * merged with anything but another rollback: it goes back, a refresh goes forward. Applying
 * approved updates likewise joins only another approval (it applies exactly those digests).
 */
export function canJoin(op: Pick<Operation, 'kind' | 'state' | 'phase' | 'flags'>, kind: OperationKind, flags: UpdateFlags = NO_FLAGS): boolean {
  if (kind !== 'update' || op.kind !== 'update') return false;
  if (Boolean(op.flags.rollback) !== Boolean(flags.rollback)) return false;
  if (Boolean(op.flags.approve) !== Boolean(flags.approve)) return false;
  if (op.state === 'pending') return true;
  return op.state === 'running' && op.flags.refresh && (op.phase === 'queued' || op.phase === 'resolving' || op.phase === 'downloading');
}
