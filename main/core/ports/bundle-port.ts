/**
 * What the core needs from the offline bundle format. The implementation is main/bundle/
 * (the tar layout, the strict reader, signatures, the engine's load archive); the core sees
 * a bundle only as the model in core/model/bundle.ts and the types below.
 */
import type { KeyObject } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BundleContents, BundleImage } from '../model/bundle';
import type { ImageArchive } from './engine-port';

/** A public key a device trusts to sign bundles. */
export interface TrustedKey {
  /** `sha256:<hex>` of the key's SPKI DER. */
  keyId: string;
  publicKey: KeyObject;
}

/** A bundle image with its verified bytes. */
export interface VerifiedImage extends BundleImage {
  manifestBytes: Buffer;
  configBytes: Buffer;
  indexBytes: Buffer | null;
  /** The config's rootfs.diff_ids, one per layer (base first). */
  diffIds: string[];
}

/**
 * A bundle verified end to end. Its blobs stay where they were verified (memory, or files in
 * the scratch folder given to `verify`) until that folder is removed.
 */
export interface VerifiedBundle {
  index: BundleContents;
  /** Key id when a signature was verified, else null. */
  signedBy: string | null;
  /** Key id of a signature by a key this device does not trust (not checked: the bundle counts as unsigned), else null. */
  unverifiedKey: string | null;
  images: VerifiedImage[];
  /** Bytes read from the file. */
  bytes: number;
}

/**
 * An import that loads while it verifies. The engine gets each blob only after it checked out,
 * and the images only once the whole bundle verified and `approve` returned; any failure
 * (the bundle's, approve's, the engine's) leaves the engine with nothing loaded.
 */
export interface LoadWhileVerifying {
  /** Called once the index and its signature checked out, before any blob is read: the images the engine is to get (none: nothing is sent). */
  choose(index: BundleContents): Promise<BundleImage[]>;
  /** The last checks of the chosen images, verified, before the engine may take them. */
  approve(bundle: VerifiedBundle, chosen: VerifiedImage[]): Promise<void>;
  /**
   * Sends the archives (the chosen images, split so that the engine loads them side by side)
   * to the engine, all at once: one promise per archive, resolved once the engine has loaded it.
   */
  load(archives: ImageArchive[]): Promise<unknown>[];
}

export interface VerifyProgress {
  bytes: number;
  blobs: number;
  totalBlobs: number;
}

/** A bundle's signature as inspect sees it: verified by a trusted key, by a key this device does not trust (unchecked), or not matching the index. */
export interface InspectedSignature {
  keyId: string;
  status: 'trusted' | 'untrusted' | 'invalid';
}

export interface VerifyOptions {
  trustedKeys: TrustedKey[];
  /**
   * Refuse a bundle that is not signed by one of `trustedKeys`. Off, an unsigned bundle or one
   * signed by another key is read as unsigned; a signature that a trusted key does not verify is
   * refused either way.
   */
  requireSignature: boolean;
  onProgress?: (p: VerifyProgress) => void;
  signal?: AbortSignal;
  /** Load the chosen images into the engine while verifying (see LoadWhileVerifying). */
  load?: LoadWhileVerifying;
}

/** A bundle file, open for reading. `inspect` and `verify` read it once and close it. */
export interface BundleFile {
  /** The file's size. */
  readonly bytes: number;
  /** The index and its signature checked against `trustedKeys`, from the first entries only (the blobs are not read). */
  inspect(trustedKeys: readonly TrustedKey[]): Promise<{ index: BundleContents; signature: InspectedSignature | null }>;
  /**
   * Reads and verifies everything (schema, limits, signature, every blob's size and digest,
   * each image's chain), keeping blobs past the memory budget in `scratchDir`; with `load`,
   * loads the images it chooses into the engine meanwhile and resolves once they are loaded. Throws
   * TagkeeperError('bad-bundle') naming the image and the check, 'cancelled' on abort; on
   * failure nothing this call wrote is left in `scratchDir`.
   */
  verify(scratchDir: string, options: VerifyOptions): Promise<VerifiedBundle>;
  /** Closes the file without reading it. Idempotent. */
  close(): Promise<void>;
}

/** The bytes of one blob for the writer, which checks them against digest and size. */
export type BlobSource = (digest: string, size: number) => Promise<Readable | Iterable<Buffer>>;

export interface WriteProgress {
  /** Blob bytes written so far. */
  bytes: number;
  totalBytes: number;
  blobs: number;
  totalBlobs: number;
}

export interface WriteOptions {
  signingKey?: KeyObject;
  onProgress?: (p: WriteProgress) => void;
  signal?: AbortSignal;
}

export interface BundlePort {
  /**
   * Opens the bundle at `path`. A path that is missing, unreadable or not a regular file is
   * the caller's mistake: TagkeeperError('invalid-input'), said before anything is read.
   */
  open(path: string): Promise<BundleFile>;
  /**
   * Writes a bundle of `contents` to `path`, whole or not at all (a partial file is removed):
   * the blobs come from `blobs`, each checked against its digest and size as it is written.
   * Throws 'digest-mismatch' for a blob that is not what its digest says, 'cancelled' on abort.
   */
  write(path: string, contents: BundleContents, blobs: BlobSource, options?: WriteOptions): Promise<{ bytes: number; index: BundleContents }>;
  /** The Ed25519 private key (PKCS#8 PEM) in `path`, to sign with; invalid-input saying why it cannot be used. */
  readSigningKey(path: string): KeyObject;
  /** An Ed25519 public key from SPKI PEM; invalid-input for anything else (a private key too). */
  readPublicKey(pem: string): KeyObject;
  /** `sha256:<hex>` of the SPKI DER of `key` (a public key, or a private key's public half). */
  keyIdOf(key: KeyObject): string;
}
