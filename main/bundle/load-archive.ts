/**
 * The pieces of the tars the engine's load API gets, built only from a verified bundle's blobs
 * (streaming-load.ts sends them as they check out). The chosen images are split into lanes
 * (loadLanes), each one archive the engine loads side by side with the others. An archive
 * holds each config and each layer blob of its images once, then a fresh manifest.json (the
 * bundle's own is never trusted) naming no tag (loading moves no tag on the box: a drive's tag
 * moves only when its update is applied). An omitted (delta) layer keeps its path in Layers
 * but has no file: Docker's loader opens a layer file only when the layer chain is not
 * already present on the engine.
 *
 * The tar is framed here (a 512-byte ustar header per file, padding, the end marker) and
 * the blob bytes go out from where they were verified (memory, or a scratch file read into
 * a buffer of its own per blob): the load moves as much data as the bundle, so per-chunk work
 * shows in the import's speed. Its size is known up front (the engine gets a Content-Length).
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

/**
 * Images that share a layer larger than this load in one archive, so the layer goes to the
 * engine once. A smaller shared layer (a base such as busybox or alpine) goes in the archive of
 * each image that uses it: every archive then holds all the layers its images need, and unrelated
 * images load side by side. (Two loads that both bring a layer are fine: the engine keeps one.)
 */
export const SHARED_LAYER_BYTES = 8 * 1024 * 1024;
/** At most this many archives load side by side. */
export const MAX_LANES = 4;

/**
 * The chosen images split into at most MAX_LANES archives: images sharing their config or a
 * layer larger than SHARED_LAYER_BYTES stay together; the groups go to the lane with the fewest
 * bytes so far, largest group first. `blobs` as for archivePlan.
 */
export function loadLanes(blobs: readonly { digest: string; size: number }[], images: readonly BundleImage[]): ArchivePlan[] {
  const size = new Map(blobs.map((b) => [b.digest, b.size]));
  // Union-find over the images, joined by a shared config or a shared large layer.
  const parent = images.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  const firstUser = new Map<string, number>();
  images.forEach((image, i) => {
    const joining = [image.configDigest, ...image.layers.filter((l) => (size.get(l.digest) ?? 0) > SHARED_LAYER_BYTES).map((l) => l.digest)];
    for (const digest of joining) {
      const other = firstUser.get(digest);
      if (other === undefined) firstUser.set(digest, i);
      else parent[root(i)] = root(other);
    }
  });
  const groups = new Map<number, BundleImage[]>();
  images.forEach((image, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), image]));
  const bytesOf = (group: readonly BundleImage[]): number =>
    [...new Set(group.flatMap((image) => [image.configDigest, ...image.layers.map((l) => l.digest)]))].reduce((sum, digest) => sum + (size.get(digest) ?? 0), 0);
  const lanes: { images: BundleImage[]; bytes: number }[] = [];
  for (const group of [...groups.values()].sort((a, b) => bytesOf(b) - bytesOf(a))) {
    if (lanes.length < MAX_LANES) lanes.push({ images: [], bytes: 0 });
    const lane = lanes.reduce((least, l) => (l.bytes < least.bytes ? l : least));
    lane.images.push(...group);
    lane.bytes = bytesOf(lane.images);
  }
  // Back in the bundle's order, so each archive's blobs come as the bundle is read.
  return lanes.map((lane) => archivePlan(blobs, images.filter((image) => lane.images.includes(image))));
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
