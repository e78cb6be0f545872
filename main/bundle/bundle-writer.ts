/**
 * Writes an offline bundle: a plain tar with the index, its optional signature, Docker's load
 * manifest and every blob once. Blobs stream from the caller's BlobSource into the tar while
 * they are hashed; a blob whose size or digest is wrong stops the export before its last
 * bytes are written, so no complete bundle ever holds unverified data. Memory stays flat:
 * chunks flow with backpressure from the source through the tar to `out`.
 */
import { createHash } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import * as tarStream from 'tar-stream';
import { TagkeeperError } from '../api/errors';
import { imageLabel, type BundleContents } from '../core/model/bundle';
import type { BlobSource, WriteOptions, WriteProgress } from '../core/ports/bundle-port';
import {
  BUNDLE_FORMAT,
  DOCKER_MANIFEST_ENTRY,
  INDEX_ENTRY,
  SIGNATURE_ENTRY,
  blobEntryName,
  blobUses,
  bundleIndexSchema,
  dockerLoadManifest,
  indexProblem,
  type BlobUse,
  type BundleIndex,
} from './bundle-index';
import { bundleLimits } from './bundle-limits';
import { signIndex } from './bundle-signature';
import { drained, packFile } from './tar-io';

const PROGRESS_STEP = 1024 * 1024;

/**
 * Writes the bundle for `draft` to `out` and ends `out`. Returns the tar's size and the
 * index written. On any failure (a blob that does not verify: 'digest-mismatch'; cancel:
 * 'cancelled') `out` is destroyed with an incomplete tar; the caller removes the file.
 */
export async function writeBundle(
  out: Writable,
  draft: BundleContents,
  blobs: BlobSource,
  options: WriteOptions = {},
): Promise<{ bytes: number; index: BundleIndex }> {
  const { index, uses } = completeIndex(draft);
  const indexBytes = Buffer.from(`${JSON.stringify(index, null, 2)}\n`);
  const limits = bundleLimits();
  if (indexBytes.length > limits.maxIndexBytes) throw cannotWrite(`its index would be ${indexBytes.length} bytes, more than the limit of ${limits.maxIndexBytes}`);
  const signature = options.signingKey ? Buffer.from(`${JSON.stringify(signIndex(indexBytes, options.signingKey))}\n`) : null;
  const loadManifest = Buffer.from(`${JSON.stringify(dockerLoadManifest(index.images))}\n`);
  const mtime = Number.isNaN(Date.parse(index.createdAt)) ? new Date(0) : new Date(index.createdAt);

  const pack = tarStream.pack();
  const { signal } = options;
  const onAbort = (): void => {
    pack.destroy(cancelled());
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let bytes = 0;
  const pumping = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (!out.write(chunk)) await drained(out);
    }
    out.end();
    await finished(out);
  })();

  const progress: WriteProgress = { bytes: 0, totalBytes: uses.reduce((sum, u) => sum + u.size, 0), blobs: 0, totalBlobs: uses.length };
  const filling = (async () => {
    if (signal?.aborted) throw cancelled();
    const file = (name: string, data: Buffer): Promise<void> => packFile(pack, { name, size: data.length, mtime }, [data]);
    await file(INDEX_ENTRY, indexBytes);
    if (signature !== null) await file(SIGNATURE_ENTRY, signature);
    await file(DOCKER_MANIFEST_ENTRY, loadManifest);
    for (const use of uses) {
      if (signal?.aborted) throw cancelled();
      const source = await blobs(use.digest, use.size);
      try {
        await packFile(pack, { name: blobEntryName(use.digest), size: use.size, mtime }, verified(source, use, progress, options));
      } catch (error) {
        (source as Partial<Readable>).destroy?.();
        throw error;
      }
      progress.blobs += 1;
      options.onProgress?.({ ...progress });
    }
    pack.finalize();
  })();

  try {
    await Promise.all([filling, pumping]);
    return { bytes, index };
  } catch (error) {
    pack.destroy();
    out.destroy();
    if (signal?.aborted) throw cancelled();
    if (error instanceof TagkeeperError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new TagkeeperError('internal', `writing the bundle failed: ${message}`, { hint: 'check the destination (free space, permissions) and export again', cause: error });
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The full index for `draft`: blobs computed from the images, checked as the reader will. */
function completeIndex(draft: BundleContents): { index: BundleIndex; uses: BlobUse[] } {
  const { uses, problem } = blobUses(draft.images);
  if (problem !== null) throw cannotWrite(problem);
  const index: BundleIndex = {
    format: BUNDLE_FORMAT,
    createdAt: draft.createdAt,
    creator: draft.creator,
    apps: draft.apps,
    images: draft.images,
    blobs: uses.map((u) => ({ digest: u.digest, size: u.size })),
  };
  const parsed = bundleIndexSchema.safeParse(index);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw cannotWrite(`${issue.path.join('.')}: ${issue.message}`);
  }
  const inconsistent = indexProblem(index, bundleLimits());
  if (inconsistent !== null) throw cannotWrite(inconsistent);
  return { index, uses };
}

/** The blob's chunks, checked: too many bytes fail at once; the last chunk waits for the digest. */
async function* verified(source: Readable | Iterable<Buffer>, use: BlobUse, progress: WriteProgress, options: WriteOptions): AsyncGenerator<Buffer> {
  const what = `${use.kind} ${use.digest} of ${imageLabel(use.image)}`;
  const hash = createHash('sha256');
  let count = 0;
  let held: Buffer | null = null;
  let reported = 0;
  for await (const raw of source as AsyncIterable<Buffer | string> | Iterable<Buffer>) {
    if (options.signal?.aborted) throw cancelled();
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    count += chunk.length;
    if (count > use.size) throw mismatch(`${what} has more than its ${use.size} bytes`);
    hash.update(chunk);
    if (held !== null) yield held;
    held = chunk;
    progress.bytes += chunk.length;
    if (options.onProgress && progress.bytes - reported >= PROGRESS_STEP) {
      reported = progress.bytes;
      options.onProgress({ ...progress });
    }
  }
  if (count !== use.size) throw mismatch(`${what} has ${count} bytes, expected ${use.size}`);
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual !== use.digest) throw mismatch(`${what} hashes to ${actual}`);
  if (held !== null) yield held;
}

function mismatch(message: string): TagkeeperError {
  return new TagkeeperError('digest-mismatch', `cannot write the bundle: ${message}`, {
    hint: 'the local copy of this blob is not what the registry served; pull the image again, then export again',
  });
}

function cannotWrite(problem: string): TagkeeperError {
  return new TagkeeperError('invalid-input', `cannot write the bundle: ${problem}`, { hint: 'choose the apps and images to export again' });
}

function cancelled(): TagkeeperError {
  return new TagkeeperError('cancelled', 'the bundle export was cancelled', { hint: 'the partial file is not a bundle: delete it, and export again when ready' });
}
