/** Offline bundles as the contract shows them: export and import requests and answers, the preview, a site's needs list, and transfer progress. */
import type { DigestPair } from './apps';
import type { ApproveAnswer } from './updates';
import type { ErrorInfo } from '../errors';
import type { Platform } from './engine';

export interface ExportRequest {
  /** Where to write the bundle (a path on the box Tagkeeper runs on); default: a new file in the work folder, to download. */
  file?: string;
  apps?: string[];
  /** The tags' current digests instead of the latched ones. */
  latest?: boolean;
  needs?: NeedsList;
  /** A PKCS#8 PEM Ed25519 private key file to sign with. */
  signKeyFile?: string;
  transferId?: string;
}

export interface ExportAnswer {
  file: string;
  bytes: number;
  signedBy: string | null;
  delta: boolean;
  images: { reference: string; manifestDigest: string; layers: number; includedLayers: number; bytes: number }[];
  /** Drives of the needs list already on the current digests (nothing to carry for them). */
  upToDate: { app: string; service: string }[];
}

export interface ImportRequest {
  file: string;
  approve?: boolean;
  /** Accept this bundle without a trusted signature although the device requires one (recorded in the ledger). */
  allowUnsigned?: boolean;
  /** With `approve`: apply also updates that take a drive back to older content. */
  allowDowngrade?: boolean;
  /** With `approve`: the name the person gave (the UI asks), recorded beside the local user as `updates:approve`'s is. */
  approver?: string;
  transferId?: string;
}

export interface ImportedDrive {
  app: string;
  service: string;
  from: DigestPair | null;
  to: DigestPair & { manifestDigest: string };
  /** pending: waiting for approval; latched: the drive runs it already; rejected: declined before, not proposed. */
  status: 'pending' | 'latched' | 'rejected';
  /** The pending update recorded for it (status pending). */
  pendingId: number | null;
  /** Why it would take the drive back to older content (approving needs a confirmation), or null. */
  downgrade: string | null;
}

export interface ImportAnswer {
  file: string;
  bytes: number;
  createdAt: string;
  creator: { tool: string; host: string; user: string };
  signedBy: string | null;
  /** Signed by this key, which the device does not trust: read as unsigned. */
  unverifiedKey: string | null;
  /** The device requires signatures and this import accepted the bundle without a trusted one (allowUnsigned). */
  acceptedUnsigned: boolean;
  images: { reference: string; manifestDigest: string; imageId: string; loaded: boolean }[];
  drives: ImportedDrive[];
  /** Images no app drive on this box uses: verified, not loaded. */
  unmatched: { reference: string; manifestDigest: string }[];
  applied: ApproveAnswer[];
  /** With `approve`: apps whose approval could not go ahead (their updates stay pending). */
  approvalErrors: { app: string; error: ErrorInfo }[];
}

export interface BundlePreview {
  file: string;
  createdAt: string;
  creator: { tool: string; host: string; user: string };
  /**
   * Checked against the trusted keys: `trusted` (a trusted key verifies the index), `untrusted`
   * (signed by a key this device does not trust: cannot be checked, counts as unsigned),
   * `invalid` (the trusted key it names does not verify it: the bundle was altered; always refused).
   */
  signature: { keyId: string; status: 'trusted' | 'untrusted' | 'invalid' } | null;
  /** The device refuses bundles without a trusted signature unless the import accepts one unsigned. */
  signatureRequired: boolean;
  images: {
    reference: string;
    /** The tag the bundle says the image carries (loading applies no tag: the drive's tag moves when its update is applied). */
    repoTag: string | null;
    /** Why the import will refuse the bundle for this image's tag (not the tag of the drive it updates), or null. */
    tagProblem: string | null;
    indexDigest: string | null;
    manifestDigest: string;
    platform: string;
    created: string | null;
    layers: number;
    includedLayers: number;
    /** Bytes of the image data the bundle carries (config + included layers). */
    bytes: number;
  }[];
  /** update: it becomes a pending update; latched: the service runs it already; rejected: rejected here before, the import will not propose it. */
  drives: {
    app: string;
    service: string;
    reference: string;
    from: DigestPair | null;
    to: DigestPair;
    change: 'update' | 'latched' | 'rejected';
    /** Why it would take the drive back to older content (approving needs a confirmation), or null. */
    downgrade: string | null;
  }[];
}

export const NEEDS_FORMAT = 'tagkeeper-needs/1';

export interface NeedsList {
  format: typeof NEEDS_FORMAT;
  createdAt: string;
  device: { host: string; user: string };
  /** The box's platform: the bundle must carry the manifests for it. */
  platform: Platform;
  apps: { app: string; service: string; reference: string; canonical: string; pinnedDigest: string | null; latched: DigestPair | null }[];
  /** Layer digests (as registries name them) whose content this box has. */
  layers: string[];
}

export type TransferKind = 'import' | 'export';

export type TransferPhase = 'fetching' | 'writing' | 'reading' | 'loading' | 'recording' | 'done' | 'failed' | 'cancelled';

export interface TransferProgress {
  id: string;
  kind: TransferKind;
  phase: TransferPhase;
  bytes: number;
  /** null while unknown. */
  totalBytes: number | null;
  images: number;
  totalImages: number;
  bytesPerSecond: number;
}
