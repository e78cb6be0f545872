/**
 * The pieces of the tar the engine's load API gets, built only from a verified bundle's blobs
 * (streaming-load.ts sends them as they check out): each config and each layer blob the bundle
 * holds, once, then a fresh manifest.json (the bundle's own is never trusted) naming no tag
 * (loading moves no tag on the box: a drive's tag moves only when its update is applied). An omitted (delta) layer keeps its path in Layers
 * but has no file: Docker's loader opens a layer file only when the layer chain is not
 * already present on the engine.
 *
 * The tar is framed here (a 512-byte ustar header per file, padding, the end marker) and
 * the blob bytes go out from where they were verified (memory, or a scratch file read into
 * one reused buffer): the load moves as much data as the bundle, so per-chunk work shows in
 * the import's speed. Its size is known up front (the engine gets a Content-Length).
 */
import type { BundleImage } from '../core/model/bundle';
import type { VerifiedBlobs } from './verified-blobs';
import { DOCKER_MANIFEST_ENTRY, blobEntryName, dockerLoadManifest } from './bundle-index';
import { BLOCK, encodeFileHeader, paddingOf } from './ustar';

/** The files of a load archive of `images`, its manifest.json and its size. */
export interface ArchivePlan {
  /** Each config and each layer the bundle holds, once, in the bundle's order. */
  files: { digest: string; size: number }[];
  manifest: Buffer;
  bytes: number;
}

/** `blobs`: the bundle's blobs in its order (an omitted delta layer is not among them). */
export function archivePlan(blobs: readonly { digest: string; size: number }[], images: readonly BundleImage[]): ArchivePlan {
  const wanted = new Set(images.flatMap((image) => [image.configDigest, ...image.layers.map((l) => l.digest)]));
  const files: { digest: string; size: number }[] = [];
  for (const blob of blobs) if (wanted.delete(blob.digest)) files.push({ digest: blob.digest, size: blob.size });
  const manifest = Buffer.from(`${JSON.stringify(dockerLoadManifest(images, { tags: false }))}\n`);
  const entryBytes = (size: number): number => BLOCK + size + paddingOf(size);
  const bytes = entryBytes(manifest.length) + files.reduce((sum, f) => sum + entryBytes(f.size), 0) + END_OF_ARCHIVE.length;
  return { files, manifest, bytes };
}

export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

export function manifestEntry(manifest: Buffer): Buffer {
  return Buffer.concat([encodeFileHeader(DOCKER_MANIFEST_ENTRY, manifest.length), manifest, Buffer.alloc(paddingOf(manifest.length))]);
}

/** One blob's tar entry: its header, its bytes from where they were verified, its padding. */
export async function* blobEntry(blobs: VerifiedBlobs, file: { digest: string; size: number }): AsyncGenerator<Buffer> {
  yield encodeFileHeader(blobEntryName(file.digest), file.size);
  yield* blobs.chunks(file.digest, file.size);
  const padding = paddingOf(file.size);
  if (padding > 0) yield Buffer.alloc(padding);
}
