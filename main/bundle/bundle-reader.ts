/**
 * Reads an offline bundle and verifies it end to end (an import that streams to the engine
 * meanwhile gets each blob only once it checked out: see streaming-load.ts): the
 * index (schema, limits, signature), every tar entry (name, type, declared, once), every blob
 * (size and digest, hashed as it is read into memory or, past the memory budget, into the
 * scratch folder), and per image the chain index → manifest → config → layers. Any failure
 * drops what was kept and throws TagkeeperError('bad-bundle') naming the image and the check.
 */
import { createHash } from 'node:crypto';
import { TagkeeperError } from '../api/errors';
import { badBundle, imageLabel } from '../core/model/bundle';
import type { InspectedSignature, TrustedKey, VerifiedBundle, VerifiedImage, VerifyOptions } from '../core/ports/bundle-port';
import {
  DOCKER_MANIFEST_ENTRY,
  INDEX_ENTRY,
  SIGNATURE_ENTRY,
  blobUses,
  bundleSignatureSchema,
  classifyEntryName,
  parseBundleIndex,
  parseJsonEntry,
  type BlobUse,
  type BundleIndex,
  type BundleSignature,
} from './bundle-index';
import { bundleLimits, type BundleLimits } from './bundle-limits';
import { UNVERIFIED_HINT, signatureStatus, verifyIndexSignature } from './bundle-signature';
import { verifyImage } from './bundle-image-check';
import type { ByteSource } from './byte-source';
import { TarReader } from './tar-reader';
import type { EntryHeader } from './ustar';
import { VerifiedBlobs } from './verified-blobs';

/** A bundle file read and verified: what the core sees of it, and the format's own details. */
export interface VerifiedFile extends Omit<VerifiedBundle, 'index' | 'loadArchive'> {
  index: BundleIndex;
  indexBytes: Buffer;
  /** The verified blobs (in memory, or in scratch files under the scratch folder). */
  blobs: VerifiedBlobs;
  /** Layers the bundle omits (delta): the importer must find them on the box. */
  omittedLayers: { image: string; digest: string; diffId: string; position: number }[];
}

export interface ReadOptions extends VerifyOptions {
  limits?: Partial<BundleLimits>;
  /** An import that streams to the engine while it verifies (see streaming-load.ts). */
  routing?: BlobRouting;
}

/** How a streaming import takes the blobs as they check out. */
export interface BlobRouting {
  /**
   * Called once, after the index and its signature checked out and before any blob is read:
   * the digests of the blobs the engine is to get. Other layers are only hashed, not kept.
   */
  begin(index: BundleIndex, blobs: VerifiedBlobs): Promise<ReadonlySet<string>>;
  /** A blob the engine is to get was read whole and matches its digest: it may go. */
  verified(digest: string): void;
}

const PROGRESS_STEP = 1024 * 1024;

/**
 * Reads `source` (closed at the end, whatever happens) and verifies everything; blobs past the
 * memory budget go to `${scratchDir}/blobs/sha256/`. On failure nothing this call wrote is left
 * under scratchDir.
 */
export async function readBundle(source: ByteSource, scratchDir: string, options: ReadOptions): Promise<VerifiedFile> {
  const limits = bundleLimits(options.limits);
  const blobs = new VerifiedBlobs(scratchDir, limits.memoryBytes);
  const reader = new BundleReader(blobs, limits, options);
  const tar = new TarReader(source, { maxTotalBytes: limits.maxTotalBytes, signal: options.signal, cancelled, where: () => reader.where() });
  try {
    return await withSource(source, options.signal, async () => {
      for (let header = await tar.next(); header !== null; header = await tar.next()) await reader.onEntry(header, tar);
      return reader.finish(tar.bytes);
    });
  } catch (error) {
    await blobs.removeAll();
    throw options.signal?.aborted ? cancelled() : error;
  }
}

/**
 * The index and its signature, from the first entries only: the schema, and the signature
 * checked against `trustedKeys` (trusted, untrusted key, or not matching the index). The
 * blobs are not read: import verifies them.
 */
export async function inspectBundle(
  source: ByteSource,
  options: { trustedKeys?: readonly TrustedKey[]; limits?: Partial<BundleLimits>; signal?: AbortSignal } = {},
): Promise<{ index: BundleIndex; signature: InspectedSignature | null }> {
  const limits = bundleLimits(options.limits);
  let index: BundleIndex | null = null;
  const tar = new TarReader(source, {
    maxTotalBytes: limits.maxTotalBytes,
    signal: options.signal,
    cancelled,
    where: () => (index === null ? 'the bundle index' : 'the bundle signature'),
  });
  return withSource(source, options.signal, async () => {
    const first = await tar.next();
    if (first === null) throw badBundle('the file is not a bundle: it is empty');
    if (first.type !== 'file' || first.name !== INDEX_ENTRY) throw badBundle(`the file is not a bundle: its first entry is ${JSON.stringify(first.name)}, not ${INDEX_ENTRY}`);
    const indexBytes = await readSmall(tar, first, limits.maxIndexBytes, 'the bundle index');
    index = parseBundleIndex(indexBytes, limits);
    const second = await tar.next();
    if (second === null || second.type !== 'file' || second.name !== SIGNATURE_ENTRY) return { index, signature: null };
    const signature = parseSignature(await readSmall(tar, second, limits.maxSignatureBytes, 'the bundle signature'));
    return { index, signature: { keyId: signature.keyId, status: signatureStatus(indexBytes, signature, options.trustedKeys ?? []) } };
  });
}

/** Runs `read`, closing `source` when it ends and at once on cancel (a stalled read ends too). */
async function withSource<T>(source: ByteSource, signal: AbortSignal | undefined, read: () => Promise<T>): Promise<T> {
  if (signal?.aborted) {
    await source.close();
    throw cancelled();
  }
  const onAbort = (): void => void source.close().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await read();
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await source.close().catch(() => undefined);
  }
}

/** The whole entry as a Buffer; refuses one declared larger than `limit` before reading it. */
async function readSmall(tar: TarReader, header: EntryHeader, limit: number, what: string): Promise<Buffer> {
  if (header.size > limit) throw badBundle(`${what} is ${header.size} bytes, more than the limit of ${limit}`);
  const bytes = Buffer.allocUnsafe(header.size);
  await tar.read(bytes, 0, header.size);
  return bytes;
}

/** The state of one read: what was declared, what arrived, what was kept. */
class BundleReader {
  bytes = 0;
  private position = 0;
  private index: BundleIndex | null = null;
  private indexBytes: Buffer = Buffer.alloc(0);
  private signature: BundleSignature | null = null;
  private signedBy: string | null = null;
  private unverifiedKey: string | null = null;
  private gated = false;
  /** What the routing wants sent (null: keep every blob, nothing is streamed). */
  private wanted: ReadonlySet<string> | null = null;
  private declared = new Map<string, BlobUse>();
  private readonly seen = new Set<string>();
  private readonly present = new Set<string>();
  private current: string | null = null;
  private last = 'the start of the file';
  private reported = 0;

  constructor(
    private readonly blobs: VerifiedBlobs,
    readonly limits: BundleLimits,
    private readonly options: ReadOptions,
  ) {}

  /** Where the file ended, for a truncation message. */
  where(): string {
    return this.current ?? `the tar data after ${this.last}`;
  }

  async onEntry(header: EntryHeader, tar: TarReader): Promise<void> {
    this.position += 1;
    if (this.position > this.limits.maxEntries) throw badBundle(`the bundle has more than ${this.limits.maxEntries} entries`);
    if (header.type !== 'file') throw badBundle(`entry ${JSON.stringify(header.name)} is ${typeName(header)}; a bundle holds only regular files`);
    const kind = classifyEntryName(header.name);
    if (kind.kind === 'invalid') throw badBundle(kind.problem);
    if (this.seen.has(header.name)) throw badBundle(`entry ${JSON.stringify(header.name)} appears twice in the bundle`);
    this.seen.add(header.name);
    if (this.position === 1 && kind.kind !== 'index') {
      throw badBundle(`the file is not a bundle: its first entry is ${JSON.stringify(header.name)}, not ${INDEX_ENTRY}`);
    }
    if (kind.kind === 'index') {
      this.current = 'the bundle index';
      this.indexBytes = await readSmall(tar, header, this.limits.maxIndexBytes, 'the bundle index');
      this.index = parseBundleIndex(this.indexBytes, this.limits);
      this.declared = new Map(blobUses(this.index.images).uses.map((u) => [u.digest, u]));
    } else if (kind.kind === 'signature') {
      if (this.position !== 2) throw badBundle(`${SIGNATURE_ENTRY} must directly follow ${INDEX_ENTRY}`);
      this.current = 'the bundle signature';
      this.signature = parseSignature(await readSmall(tar, header, this.limits.maxSignatureBytes, 'the bundle signature'));
    } else if (kind.kind === 'docker-manifest') {
      await this.gate();
      this.current = DOCKER_MANIFEST_ENTRY;
      await readSmall(tar, header, this.limits.maxIndexBytes, DOCKER_MANIFEST_ENTRY); // not trusted: load-archive writes its own
    } else {
      await this.gate();
      await this.readBlob(kind.digest, header, tar);
    }
    this.last = this.current ?? header.name;
    this.current = null;
  }

  /**
   * Before any blob is kept: the signature checks out, or none is required. A signature that
   * does not match the index its trusted key names is always refused; one by a key this device
   * does not trust cannot be checked, so it counts as none. Then a streaming import says what
   * it wants sent.
   */
  private async gate(): Promise<void> {
    if (this.gated) return;
    this.gated = true;
    this.checkSignature();
    if (this.options.routing && this.index) this.wanted = await this.options.routing.begin(this.index, this.blobs);
  }

  private checkSignature(): void {
    const { trustedKeys, requireSignature } = this.options;
    if (this.signature === null) {
      if (requireSignature) throw badBundle('the bundle is not signed, and this device accepts only bundles signed by a key it trusts', UNVERIFIED_HINT);
      return;
    }
    if (!requireSignature && signatureStatus(this.indexBytes, this.signature, trustedKeys) === 'untrusted') this.unverifiedKey = this.signature.keyId;
    else this.signedBy = verifyIndexSignature(this.indexBytes, this.signature, trustedKeys);
  }

  private async readBlob(digest: string, header: EntryHeader, tar: TarReader): Promise<void> {
    const use = this.declared.get(digest);
    if (use === undefined) throw badBundle(`entry ${JSON.stringify(header.name)} is not declared in the bundle index`);
    const what = `${use.kind} ${digest}`;
    const label = imageLabel(use.image);
    if (header.size !== use.size) throw badBundle(`${label}: ${what} is ${header.size} bytes in the file, but the index declares ${use.size}`);
    this.current = `${what} of ${label}`;
    const hash = createHash('sha256');
    const mode = this.wanted === null || use.kind !== 'layer' ? 'hold' : this.wanted.has(digest) ? 'send' : 'drop';
    await this.blobs.receive(
      digest,
      use.size,
      (into, offset, length) => tar.read(into, offset, length),
      (piece) => {
        hash.update(piece);
        this.bytes = tar.bytes;
        this.progress(false);
      },
      mode,
    );
    if (`sha256:${hash.digest('hex')}` !== digest) throw badBundle(`${label}: ${what} does not hash to its digest`);
    this.present.add(digest);
    if (this.wanted?.has(digest)) this.options.routing!.verified(digest);
    this.progress(true);
  }

  private progress(force: boolean): void {
    if (!this.options.onProgress || (!force && this.bytes - this.reported < PROGRESS_STEP)) return;
    this.reported = this.bytes;
    this.options.onProgress({ bytes: this.bytes, blobs: this.present.size, totalBlobs: this.declared.size });
  }

  /** After the last entry: completeness, then the chain of each image. */
  async finish(bytes: number): Promise<VerifiedFile> {
    const index = this.index;
    if (index === null) throw badBundle('the file is not a bundle: it is empty');
    await this.gate();
    for (const use of this.declared.values()) {
      if (!this.present.has(use.digest)) {
        throw badBundle(`bundle is truncated: the file ends before ${use.kind} ${use.digest} of ${imageLabel(use.image)} (${this.present.size} of ${this.declared.size} blobs read)`);
      }
    }
    const images: VerifiedImage[] = [];
    for (const image of index.images) {
      const indexBytes = image.indexDigest === null ? null : await this.blobs.bytes(image.indexDigest);
      const manifestBytes = await this.blobs.bytes(image.manifestDigest);
      const configBytes = await this.blobs.bytes(image.configDigest);
      const diffIds = verifyImage(image, { indexBytes, manifestBytes, configBytes });
      images.push({ ...image, indexBytes, manifestBytes, configBytes, diffIds });
    }
    const omittedLayers = images.flatMap((image) =>
      image.layers.flatMap((layer, position) =>
        this.present.has(layer.digest) ? [] : [{ image: image.reference, digest: layer.digest, diffId: image.diffIds[position], position }],
      ),
    );
    return { index, indexBytes: this.indexBytes, signedBy: this.signedBy, unverifiedKey: this.unverifiedKey, blobs: this.blobs, images, omittedLayers, bytes };
  }
}

function parseSignature(bytes: Buffer): BundleSignature {
  const parsed = bundleSignatureSchema.safeParse(parseJsonEntry(bytes, 'the bundle signature'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badBundle(`the bundle signature is not valid: ${issue.path.join('.') || 'signature'}: ${issue.message}`);
  }
  return parsed.data;
}

function typeName(header: EntryHeader): string {
  switch (header.type) {
    case 'symlink':
      return `a symbolic link (to ${JSON.stringify(header.linkname)})`;
    case 'link':
      return `a hard link (to ${JSON.stringify(header.linkname)})`;
    case 'directory':
      return 'a directory';
    case 'character-device':
      return 'a character device';
    case 'block-device':
      return 'a block device';
    case 'fifo':
      return 'a FIFO';
    case 'contiguous-file':
      return 'a contiguous file';
    case 'pax-header':
    case 'pax-global-header':
      return 'a pax extended header';
    case 'gnu-long-path':
    case 'gnu-long-link-path':
      return 'a GNU long-name header';
    default:
      return 'of an unknown type';
  }
}

function cancelled(): TagkeeperError {
  return new TagkeeperError('cancelled', 'the bundle import was cancelled; nothing was loaded', { hint: 'import the bundle again when ready' });
}
