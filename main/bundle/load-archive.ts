/**
 * The tar the engine's load API gets, built only from a verified bundle's blobs: a fresh
 * manifest.json (the bundle's own is never trusted) naming no tag (loading moves no tag on the
 * box: a drive's tag moves only when its update is applied), then each config and each layer
 * blob the bundle holds, once. An omitted (delta) layer keeps its path in Layers
 * but has no file: Docker's loader opens a layer file only when the layer chain is not
 * already present on the engine.
 *
 * The tar is framed here (a 512-byte ustar header per file, padding, the end marker) and
 * the blob bytes go out from where they were verified (memory, or a scratch file read into
 * one reused buffer): the load moves as much data as the bundle, so per-chunk work shows in
 * the import's speed. Its size is known up front (the engine gets a Content-Length).
 */
import type { ImageArchive } from '../core/ports/engine-port';
import type { VerifiedImage } from '../core/ports/bundle-port';
import { TagkeeperError } from '../api/errors';
import { DOCKER_MANIFEST_ENTRY, blobEntryName, dockerLoadManifest } from './bundle-index';
import type { VerifiedFile } from './bundle-reader';
import { BLOCK, encodeFileHeader, paddingOf } from './ustar';

/** A `docker load` archive of `images` (all from `bundle`), from its verified blobs. */
export function loadArchive(bundle: VerifiedFile, images: readonly VerifiedImage[]): ImageArchive {
  for (const image of images) {
    if (!bundle.images.some((i) => i.manifestDigest === image.manifestDigest && i.configDigest === image.configDigest)) {
      throw new TagkeeperError('internal', `image ${image.reference} (${image.manifestDigest}) is not part of the verified bundle`);
    }
  }
  const sizes = new Map(bundle.index.blobs.map((b) => [b.digest, b.size]));
  const files: { digest: string; size: number }[] = [];
  const listed = new Set<string>();
  for (const image of images) {
    for (const digest of [image.configDigest, ...image.layers.map((l) => l.digest)]) {
      const size = sizes.get(digest);
      if (size === undefined || listed.has(digest)) continue; // omitted layer, or already listed
      listed.add(digest);
      files.push({ digest, size });
    }
  }
  const manifest = Buffer.from(`${JSON.stringify(dockerLoadManifest(images, { tags: false }))}\n`);
  const entryBytes = (size: number): number => BLOCK + size + paddingOf(size);
  const bytes = entryBytes(manifest.length) + files.reduce((sum, f) => sum + entryBytes(f.size), 0) + 2 * BLOCK;

  async function* chunks(): AsyncGenerator<Buffer> {
    yield Buffer.concat([encodeFileHeader(DOCKER_MANIFEST_ENTRY, manifest.length), manifest, Buffer.alloc(paddingOf(manifest.length))]);
    for (const file of files) {
      yield encodeFileHeader(blobEntryName(file.digest), file.size);
      yield* bundle.blobs.chunks(file.digest, file.size);
      const padding = paddingOf(file.size);
      if (padding > 0) yield Buffer.alloc(padding);
    }
    yield Buffer.alloc(2 * BLOCK); // end of archive
  }
  return { bytes, chunks: chunks() };
}
