/**
 * Size limits a bundle must stay within. The reader refuses a bundle past any of them before
 * it writes the offending data, so a hostile file cannot fill the disk or the memory.
 */
import { totalmem } from 'node:os';

export interface BundleLimits {
  /** Largest index entry (tagkeeper-bundle.json); also caps manifest.json, which is skipped. */
  maxIndexBytes: number;
  /** Most tar entries in one bundle. */
  maxEntries: number;
  /** Largest single blob. */
  maxBlobBytes: number;
  /** Largest whole bundle file (and the sum of its declared blobs). */
  maxTotalBytes: number;
  /** Largest manifest or index blob (the registry client's cap too). */
  maxManifestBytes: number;
  /** Largest image config blob (read into memory to check). */
  maxConfigBytes: number;
  /** Largest signature entry. */
  maxSignatureBytes: number;
  /**
   * Most blob bytes one import holds in memory at once (verified and not yet sent to the
   * engine; a larger blob goes to a scratch file): a sixteenth of this machine's memory, at
   * most 128 MiB, so that an import of any size stays within ~300 MB of memory.
   */
  memoryBytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULT_BUNDLE_LIMITS: Readonly<BundleLimits> = Object.freeze({
  maxIndexBytes: 16 * MiB,
  maxEntries: 10_000,
  maxBlobBytes: 16 * GiB,
  maxTotalBytes: 64 * GiB,
  maxManifestBytes: 4 * MiB,
  maxConfigBytes: 16 * MiB,
  maxSignatureBytes: 64 * 1024,
  memoryBytes: Math.min(128 * MiB, Math.floor(totalmem() / 16)),
});

/** The defaults with `overrides` applied. */
export function bundleLimits(overrides: Partial<BundleLimits> = {}): BundleLimits {
  return { ...DEFAULT_BUNDLE_LIMITS, ...overrides };
}
