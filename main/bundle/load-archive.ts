/**
 * The tar stream the engine's load API gets, built only from a verified bundle's scratch
 * files: a fresh manifest.json (the bundle's own is never trusted), then each config and
 * each layer blob the bundle holds, once. An omitted (delta) layer keeps its path in Layers
 * but has no file: Docker's loader opens a layer file only when the layer chain is not
 * already present on the engine.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import * as tarStream from 'tar-stream';
import { TagkeeperError } from '../core/errors';
import { DOCKER_MANIFEST_ENTRY, blobEntryName, dockerLoadManifest } from './bundle-index';
import type { VerifiedBundle, VerifiedImage } from './bundle-reader';
import { packFile } from './tar-io';

/** A `docker load` archive of `images` (all from `bundle`), streamed from its scratch folder. */
export function loadArchive(bundle: VerifiedBundle, images: VerifiedImage[]): Readable {
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
  const manifest = Buffer.from(`${JSON.stringify(dockerLoadManifest(images))}\n`);

  const pack = tarStream.pack();
  const fill = async (): Promise<void> => {
    await packFile(pack, { name: DOCKER_MANIFEST_ENTRY, size: manifest.length }, [manifest]);
    for (const file of files) {
      const source = createReadStream(bundle.blobPath(file.digest));
      try {
        await packFile(pack, { name: blobEntryName(file.digest), size: file.size }, source);
      } finally {
        source.destroy();
      }
    }
    pack.finalize();
  };
  fill().catch((error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error))));
  return Readable.from(pack as AsyncIterable<Buffer>, { objectMode: false });
}
