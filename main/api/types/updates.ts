/**
 * Pending updates: what a check or an imported bundle offers for a drive, waiting for a
 * person (or the app's auto-apply) to decide. Plain data, shared by the core and the store.
 */
import type { ErrorInfo } from '../errors';
import type { OperationResult, QueuedOperation } from './operations';
import type { DigestPair } from './apps';
import type { RateLimitView } from './settings';

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
  /** From a bundle: when the bundle was made (as its index says). */
  bundleCreatedAt: string | null;
}

/** An update offered for a drive; the store ignores digests rejected for that drive. */
export interface UpdateProposal {
  app: string;
  service: string;
  from: DigestPair | null;
  to: DigestPair & { manifestDigest: string };
  source: UpdateSource;
  imageId?: string | null;
  bundleCreatedAt?: string | null;
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

/** `not-resolved`: the drive never latched anything (its app failed to start); nothing to compare. */
export type CheckStatus = 'up-to-date' | 'update-available' | 'index-changed' | 'pinned' | 'not-resolved' | 'error';

/** Who answered a registry request: the registry itself, or one of the engine's mirrors for docker.io. */
export interface RegistrySource {
  /** `https://registry-1.docker.io`, `http://127.0.0.1:5000`, a mirror's `https://mirror.example.com`. */
  origin: string;
  mirror: boolean;
}

export interface ServiceCheck {
  app: string;
  service: string;
  reference: string;
  latched: DigestPair | null;
  available: DigestPair | null;
  status: CheckStatus;
  error: ErrorInfo | null;
  /** Who answered the check of its reference; null when nobody was asked or nobody answered. */
  source: RegistrySource | null;
}

export interface CheckResult {
  checkedAt: string;
  /** Distinct references asked of registries (one HEAD each). */
  references: number;
  services: ServiceCheck[];
  /** The pull rate limits the registries asked stated in their answers (Docker Hub's), by registry. */
  rateLimits: RateLimitView[];
  /** Pending updates this check proposed (new, or the same digest seen again). */
  pending: PendingUpdate[];
}

export interface FollowUp {
  /** Apps whose updates were applied by auto-apply, with the results. */
  applied: (OperationResult | QueuedOperation)[];
  /** Pending updates whose content was downloaded in advance. */
  prefetched: number[];
  errors: ErrorInfo[];
}

/** A check, and what followed by the device's choice (auto-apply, prefetch). */
export type CheckAnswer = CheckResult & { followUp: FollowUp };

/** What moving a drive to new content costs to download, learned from manifests alone. */
export interface DownloadSizeView {
  /** Layers and bytes new to this box (null when the size could not be learned: `sizeError`). */
  newLayers: number | null;
  totalLayers: number | null;
  newBytes: number | null;
  totalBytes: number | null;
  /** "23.4 MB in 2 of 5 layers". */
  downloadSize: string | null;
  sizeError: ErrorInfo | null;
}

export interface PendingUpdateView extends PendingUpdate, DownloadSizeView {
  reference: string;
  /** Why approving it would move the drive back to older content (it needs an explicit confirmation), or null. */
  downgrade: string | null;
}

/**
 * What a refresh of the app would do now, per drive (`apps:refresh-preview`, the UI's "Update
 * to latest…"): asked of the registry (manifest HEADs and new manifests only), nothing
 * downloaded, nothing recorded.
 */
export interface RefreshPreview {
  app: string;
  checkedAt: string;
  services: RefreshPreviewService[];
}

/** `update`: new content; `pinned`: never moves; `error`: the registry could not say (`error`). */
export type RefreshPreviewStatus = 'update' | 'up-to-date' | 'index-changed' | 'pinned' | 'error';

export interface RefreshPreviewService extends DownloadSizeView {
  service: string;
  reference: string;
  /** What the drive runs. */
  from: DigestPair | null;
  /** What the tag points at now (null: pinned, or the registry could not say). */
  to: DigestPair | null;
  status: RefreshPreviewStatus;
  /** `to` was rejected for this drive: a refresh leaves it out unless asked to include it. */
  rejected: boolean;
  error: ErrorInfo | null;
}

export interface ApproveAnswer {
  approved: PendingUpdate[];
  result: OperationResult | QueuedOperation;
}
