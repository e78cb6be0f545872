/**
 * Pending updates: what a check or an imported bundle offers for a drive, waiting for a
 * person (or the app's auto-apply) to decide. Plain data, shared by the core and the store.
 */
import type { DigestPair } from './apps';

export type UpdateSource = 'registry' | 'bundle';
export type PendingUpdateState = 'pending' | 'approved' | 'applied' | 'rejected' | 'failed' | 'superseded';
/** Rows still waiting for a decision or being applied. */
export const OPEN_UPDATE_STATES: readonly PendingUpdateState[] = ['pending', 'approved'];

export interface PendingUpdate {
  id: number;
  app: string;
  service: string;
  /** What the drive was latched to when the update was found. */
  from: DigestPair | null;
  to: DigestPair & { manifestDigest: string };
  source: UpdateSource;
  foundAt: string;
  state: PendingUpdateState;
  /** The content is on this box already (prefetched, or loaded from a bundle). */
  imageId: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  /** Why it failed, or what superseded it. */
  reason: string | null;
  operationId: number | null;
}

/** An update offered for a drive; the store ignores digests rejected for that drive. */
export interface UpdateProposal {
  app: string;
  service: string;
  from: DigestPair | null;
  to: DigestPair & { manifestDigest: string };
  source: UpdateSource;
  imageId?: string | null;
}

/** What one check learned about pending updates, stored with the check's findings. */
export interface UpdateFindings {
  propose: UpdateProposal[];
  /** Drives found up to date: an open proposal from the registry for them is stale. */
  withdraw: { app: string; service: string }[];
}

/** A state change of pending updates, written with an operation's end. */
export interface UpdateResolution {
  id: number;
  state: 'applied' | 'failed' | 'superseded';
  reason: string | null;
}
