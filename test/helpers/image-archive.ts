/**
 * Archives in `docker save` layout (manifest.json + config + gzip layers named by digest), the
 * layout offline bundles load, made by hand from built images, whole or damaged on purpose.
 */
import type { ImageArchive } from '../../main/core/ports/engine-port';
import { tarArchive, type BuiltImage } from './image-builder';

const blobPath = (digest: string): string => `blobs/sha256/${digest.slice('sha256:'.length)}`;

export interface ArchiveImage {
  image: BuiltImage;
  repoTags?: string[];
  /** Layer digests listed in manifest.json but not written into the tar (a delta). */
  omit?: string[];
  /** Layer digest → bytes written instead of the real layer (corruption). */
  replace?: Record<string, Buffer>;
}

/** A `docker save`-layout tar: manifest.json, then each config and layer once, by digest. */
export function saveArchive(images: ArchiveImage[]): Buffer {
  const manifest = images.map(({ image, repoTags }) => ({
    Config: blobPath(image.configDigest),
    RepoTags: repoTags ?? [],
    Layers: image.layers.map((l) => blobPath(l.digest)),
  }));
  const files = new Map<string, Buffer>();
  for (const { image, omit = [], replace = {} } of images) {
    files.set(blobPath(image.configDigest), image.config);
    for (const layer of image.layers) {
      if (!omit.includes(layer.digest)) files.set(blobPath(layer.digest), replace[layer.digest] ?? layer.bytes);
    }
  }
  return tarArchive([
    { type: 'file', path: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) },
    { type: 'dir', path: 'blobs' },
    { type: 'dir', path: 'blobs/sha256' },
    ...[...files].map(([path, data]) => ({ type: 'file' as const, path, data })),
  ]);
}

/** A whole archive held in memory, as the engine port takes it. */
export function archiveOf(bytes: Buffer): ImageArchive {
  return { bytes: bytes.length, chunks: (async function* () { yield bytes; })() };
}
