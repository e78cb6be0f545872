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
}

export interface ImportAnswer {
  file: string;
  bytes: number;
  createdAt: string;
  creator: { tool: string; host: string; user: string };
  signedBy: string | null;
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
  signature: { keyId: string; trusted: boolean } | null;
  /** The device refuses unsigned or untrusted bundles. */
  signatureRequired: boolean;
  images: {
    reference: string;
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
  drives: { app: string; service: string; reference: string; from: DigestPair | null; to: DigestPair; change: 'update' | 'latched' | 'rejected' }[];
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
