/**
 * Reads an offline bundle and verifies it end to end before anything may be loaded: the
 * index (schema, limits, signature), every tar entry (name, type, declared, once), every blob
 * (size and digest, hashed while it streams into the scratch folder), and per image the chain
 * index → manifest → config → layers. Any failure removes what was written and throws
 * TagkeeperError('bad-bundle') naming the image and the check.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type * as tarStream from 'tar-stream';
import { TagkeeperError } from '../core/errors';
import {
  DOCKER_MANIFEST_ENTRY,
  INDEX_ENTRY,
  SIGNATURE_ENTRY,
  badBundle,
  blobUses,
  bundleSignatureSchema,
  classifyEntryName,
  imageLabel,
  parseBundleIndex,
  parseJsonEntry,
  type BlobUse,
  type BundleImage,
  type BundleIndex,
  type BundleSignature,
} from './bundle-index';
import { bundleLimits, type BundleLimits } from './bundle-limits';
import { verifyIndexSignature, type TrustedKey } from './bundle-signature';
import { verifyImage } from './bundle-image-check';
import { readSmall, walkTar, type TarEntry } from './tar-io';

export interface VerifiedImage extends BundleImage {
  manifestBytes: Buffer;
  configBytes: Buffer;
  indexBytes: Buffer | null;
  diffIds: string[];
}

export interface VerifiedBundle {
  index: BundleIndex;
  indexBytes: Buffer;
  /** Key id when a signature was verified, else null. */
  signedBy: string | null;
  /** The scratch folder holding the verified blobs. */
  dir: string;
  /** Path of a verified blob in dir; throws for a blob the bundle does not hold. */
  blobPath(digest: string): string;
  images: VerifiedImage[];
  /** Layers the bundle omits (delta): the importer must find them on the box. */
  omittedLayers: { image: string; digest: string; diffId: string; position: number }[];
  /** Bytes read from the input. */
  bytes: number;
}

export interface ReadProgress {
  bytes: number;
  blobs: number;
  totalBlobs: number;
}

export interface ReadOptions {
  trustedKeys: TrustedKey[];
  requireSignature: boolean;
  limits?: Partial<BundleLimits>;
  onProgress?: (p: ReadProgress) => void;
  signal?: AbortSignal;
}

const PROGRESS_STEP = 1024 * 1024;
/** Blob bytes gathered before one write to the scratch file (fewer, larger writes). */
const WRITE_BATCH = 1024 * 1024;
const SIGNATURE_REQUIRED_HINT =
  'ask for a bundle signed with a key this device trusts, or turn off the signature requirement in the settings';

/**
 * Reads `input` (consumed, and destroyed on failure) into `${scratchDir}/blobs/sha256/` and
 * verifies everything. On failure nothing this call wrote is left under scratchDir.
 */
export async function readBundle(input: Readable, scratchDir: string, options: ReadOptions): Promise<VerifiedBundle> {
  const reader = new BundleReader(scratchDir, bundleLimits(options.limits), options);
  try {
    const bytes = await walkTar(input, (entry) => reader.onEntry(entry), {
      signal: options.signal,
      cancelled,
      maxTotalBytes: reader.limits.maxTotalBytes,
      onBytes: (total) => {
        reader.bytes = total;
      },
      where: () => reader.where(),
    });
    return await reader.finish(bytes);
  } catch (error) {
    await reader.cleanup();
    throw options.signal?.aborted ? cancelled() : error;
  }
}

/** The index and who signed it, from the first entries only; verifies nothing but the schema. */
export async function inspectBundle(
  input: Readable,
  options: { limits?: Partial<BundleLimits>; signal?: AbortSignal } = {},
): Promise<{ index: BundleIndex; signature: { keyId: string } | null }> {
  const limits = bundleLimits(options.limits);
  const found: { index: BundleIndex | null; signature: BundleSignature | null } = { index: null, signature: null };
  let position = 0;
  await walkTar(
    input,
    async (entry) => {
      position += 1;
      const { name, type } = entry.header;
      if (position === 1) {
        if (type !== 'file' || name !== INDEX_ENTRY) throw badBundle(`the file is not a bundle: its first entry is ${JSON.stringify(name)}, not ${INDEX_ENTRY}`);
        found.index = parseBundleIndex(await readSmall(entry, limits.maxIndexBytes, 'the bundle index'), limits);
        return 'next';
      }
      if (type === 'file' && name === SIGNATURE_ENTRY) found.signature = parseSignature(await readSmall(entry, limits.maxSignatureBytes, 'the bundle signature'));
      return 'stop';
    },
    { signal: options.signal, cancelled, maxTotalBytes: limits.maxTotalBytes, where: () => (found.index === null ? 'the bundle index' : 'the bundle signature') },
  );
  if (found.index === null) throw badBundle('the file is not a bundle: it is empty');
  return { index: found.index, signature: found.signature === null ? null : { keyId: found.signature.keyId } };
}

/** The state of one read: what was declared, what arrived, what was written. */
class BundleReader {
  bytes = 0;
  private position = 0;
  private index: BundleIndex | null = null;
  private indexBytes: Buffer = Buffer.alloc(0);
  private signature: BundleSignature | null = null;
  private signedBy: string | null = null;
  private gated = false;
  private declared = new Map<string, BlobUse>();
  private readonly seen = new Set<string>();
  private readonly present = new Set<string>();
  private readonly files: string[] = [];
  private createdDir: string | undefined;
  private current: string | null = null;
  private last = 'the start of the file';
  private reported = 0;
  private readonly blobDir: string;

  constructor(
    private readonly dir: string,
    readonly limits: BundleLimits,
    private readonly options: ReadOptions,
  ) {
    this.blobDir = join(dir, 'blobs', 'sha256');
  }

  /** Where the file ended, for a truncation message. */
  where(): string {
    return this.current ?? `the tar data after ${this.last}`;
  }

  async onEntry(entry: TarEntry): Promise<'next'> {
    const { header } = entry;
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
      this.indexBytes = await readSmall(entry, this.limits.maxIndexBytes, 'the bundle index');
      this.index = parseBundleIndex(this.indexBytes, this.limits);
      this.declared = new Map(blobUses(this.index.images).uses.map((u) => [u.digest, u]));
    } else if (kind.kind === 'signature') {
      if (this.position !== 2) throw badBundle(`${SIGNATURE_ENTRY} must directly follow ${INDEX_ENTRY}`);
      this.current = 'the bundle signature';
      this.signature = parseSignature(await readSmall(entry, this.limits.maxSignatureBytes, 'the bundle signature'));
    } else if (kind.kind === 'docker-manifest') {
      this.gate();
      this.current = DOCKER_MANIFEST_ENTRY;
      await readSmall(entry, this.limits.maxIndexBytes, DOCKER_MANIFEST_ENTRY); // not trusted: load-archive writes its own
    } else {
      this.gate();
      await this.readBlob(kind.digest, entry);
    }
    this.last = this.current ?? header.name;
    this.current = null;
    return 'next';
  }

  /** Before any blob is written: the signature checks out, or none is required. */
  private gate(): void {
    if (this.gated) return;
    this.gated = true;
    if (this.signature !== null) this.signedBy = verifyIndexSignature(this.indexBytes, this.signature, this.options.trustedKeys);
    else if (this.options.requireSignature) throw badBundle('the bundle is not signed, and this device accepts only signed bundles', SIGNATURE_REQUIRED_HINT);
  }

  private async readBlob(digest: string, entry: TarEntry): Promise<void> {
    const use = this.declared.get(digest);
    if (use === undefined) throw badBundle(`entry ${JSON.stringify(entry.header.name)} is not declared in the bundle index`);
    const what = `${use.kind} ${digest}`;
    const label = imageLabel(use.image);
    if (entry.header.size !== use.size) throw badBundle(`${label}: ${what} is ${entry.header.size} bytes in the file, but the index declares ${use.size}`);
    this.current = `${what} of ${label}`;
    if (this.files.length === 0) {
      await mkdir(this.dir, { recursive: true });
      this.createdDir = await mkdir(this.blobDir, { recursive: true, mode: 0o700 });
    }
    const path = join(this.blobDir, digest.slice('sha256:'.length));
    const file = await open(path, 'wx', 0o600);
    this.files.push(path);
    const hash = createHash('sha256');
    let count = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    // One batch is written while the next one is read and hashed.
    let writing: Promise<void> = Promise.resolve();
    try {
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        if (this.options.signal?.aborted) throw cancelled();
        count += chunk.length;
        if (count > use.size) throw badBundle(`${label}: ${what} is longer than its declared ${use.size} bytes`);
        hash.update(chunk);
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= WRITE_BATCH) {
          await writing;
          writing = writeAll(file, pending, pendingBytes);
          writing.catch(() => undefined); // a failure surfaces at the next await
          pending = [];
          pendingBytes = 0;
          this.progress(false);
        }
      }
      await writing;
      if (pendingBytes > 0) await writeAll(file, pending, pendingBytes);
    } finally {
      await writing.catch(() => undefined);
      await file.close();
    }
    if (count !== use.size) throw badBundle(`${label}: ${what} ends after ${count} of its ${use.size} bytes`);
    if (`sha256:${hash.digest('hex')}` !== digest) throw badBundle(`${label}: ${what} does not hash to its digest`);
    this.present.add(digest);
    this.progress(true);
  }

  private progress(force: boolean): void {
    if (!this.options.onProgress || (!force && this.bytes - this.reported < PROGRESS_STEP)) return;
    this.reported = this.bytes;
    this.options.onProgress({ bytes: this.bytes, blobs: this.present.size, totalBlobs: this.declared.size });
  }

  /** After the last entry: completeness, then the chain of each image. */
  async finish(bytes: number): Promise<VerifiedBundle> {
    const index = this.index;
    if (index === null) throw badBundle('the file is not a bundle: it is empty');
    this.gate();
    for (const use of this.declared.values()) {
      if (!this.present.has(use.digest)) {
        throw badBundle(`bundle is truncated: the file ends before ${use.kind} ${use.digest} of ${imageLabel(use.image)} (${this.present.size} of ${this.declared.size} blobs read)`);
      }
    }
    const blobPath = (digest: string): string => {
      if (!this.present.has(digest)) throw new TagkeeperError('internal', `blob ${digest} is not in the verified bundle`);
      return join(this.blobDir, digest.slice('sha256:'.length));
    };
    const images: VerifiedImage[] = [];
    for (const image of index.images) {
      const indexBytes = image.indexDigest === null ? null : await readFile(blobPath(image.indexDigest));
      const manifestBytes = await readFile(blobPath(image.manifestDigest));
      const configBytes = await readFile(blobPath(image.configDigest));
      const diffIds = verifyImage(image, { indexBytes, manifestBytes, configBytes });
      images.push({ ...image, indexBytes, manifestBytes, configBytes, diffIds });
    }
    const omittedLayers = images.flatMap((image) =>
      image.layers.flatMap((layer, position) =>
        this.present.has(layer.digest) ? [] : [{ image: image.reference, digest: layer.digest, diffId: image.diffIds[position], position }],
      ),
    );
    return { index, indexBytes: this.indexBytes, signedBy: this.signedBy, dir: this.dir, blobPath, images, omittedLayers, bytes };
  }

  /** Removes every file and folder this read created. */
  async cleanup(): Promise<void> {
    for (const path of this.files) await rm(path, { force: true });
    if (this.createdDir !== undefined) await rm(this.createdDir, { recursive: true, force: true });
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

/** Writes `chunks` (`bytes` in all) at the file's position, without joining them first. */
async function writeAll(file: FileHandle, chunks: Buffer[], bytes: number): Promise<void> {
  let rest = chunks;
  for (let left = bytes; left > 0; ) {
    const { bytesWritten } = await file.writev(rest);
    left -= bytesWritten;
    if (left > 0) rest = [Buffer.concat(rest).subarray(bytesWritten)];
  }
}

function typeName(header: tarStream.Header): string {
  switch (header.type as string | null) {
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
    default:
      return 'of an unknown type';
  }
}

function cancelled(): TagkeeperError {
  return new TagkeeperError('cancelled', 'the bundle import was cancelled; nothing was loaded', { hint: 'import the bundle again when ready' });
}
