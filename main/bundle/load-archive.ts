/**
 * The tar stream the engine's load API gets, built only from a verified bundle's scratch
 * files: a fresh manifest.json (the bundle's own is never trusted), then each config and
 * each layer blob the bundle holds, once. An omitted (delta) layer keeps its path in Layers
 * but has no file: Docker's loader opens a layer file only when the layer chain is not
 * already present on the engine.
 *
 * The tar is framed here (a 512-byte ustar header per file, padding, the end marker) and
 * the blob bytes go out in the large chunks they are read in: the load moves as much data
 * as the bundle, so per-chunk work shows in the import's speed.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { TagkeeperError } from '../core/errors';
import { DOCKER_MANIFEST_ENTRY, blobEntryName, dockerLoadManifest } from './bundle-index';
import type { VerifiedBundle, VerifiedImage } from './bundle-reader';
import { FILE_CHUNK_BYTES } from './tar-io';

const BLOCK = 512;

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

  async function* tar(): AsyncGenerator<Buffer> {
    yield ustarHeader(DOCKER_MANIFEST_ENTRY, manifest.length);
    yield manifest;
    yield padding(manifest.length);
    for (const file of files) {
      yield ustarHeader(blobEntryName(file.digest), file.size);
      let count = 0;
      const source = createReadStream(bundle.blobPath(file.digest), { highWaterMark: FILE_CHUNK_BYTES });
      try {
        for await (const chunk of source as AsyncIterable<Buffer>) {
          count += chunk.length;
          if (count > file.size) break;
          yield chunk;
        }
      } finally {
        source.destroy();
      }
      if (count !== file.size) {
        throw new TagkeeperError('internal', `the verified blob ${file.digest} changed in the scratch folder (${count} bytes, expected ${file.size})`, {
          hint: 'something else writes to the Tagkeeper data folder; import again',
        });
      }
      yield padding(file.size);
    }
    yield Buffer.alloc(2 * BLOCK); // end of archive
  }
  return Readable.from(tar(), { objectMode: false });
}

const padding = (size: number): Buffer => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/** Largest size the 12-byte octal field holds; larger sizes use the base-256 form (GNU tar, Go's archive/tar). */
const MAX_OCTAL_SIZE = 0o77777777777;

/** The header of a regular file: mode 0644, owner 0:0, mtime 0 (the engine ignores them). */
function ustarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 100) throw new TagkeeperError('internal', `tar entry name ${name} is longer than 100 bytes`);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100, 8, 'ascii');
  header.write('0000000\0', 108, 8, 'ascii');
  header.write('0000000\0', 116, 8, 'ascii');
  if (size <= MAX_OCTAL_SIZE) {
    header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 12, 'ascii');
  } else {
    header[124] = 0x80;
    let rest = BigInt(size);
    for (let i = 135; i > 124; i--) {
      header[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
  }
  header.write('00000000000\0', 136, 12, 'ascii');
  header.fill(' ', 148, 156);
  header.write('0', 156, 1, 'ascii');
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return header;
}
