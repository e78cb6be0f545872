/**
 * Synthetic images and bundle plumbing for the bundle-format tests: no engine, no registry.
 * Each image has a shared base layer (same bytes, same digest for every image) and a top
 * layer of its own, a config with the right diff ids and a Docker v2 or OCI manifest;
 * `fixtureIndex` puts images under a manifest list. Also: serving blobs as a BlobSource,
 * writing a bundle to a Buffer, parsing and re-packing tars, and locating entry bytes.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import * as tarStream from 'tar-stream';
import type { BundleIndex } from '../../main/bundle/bundle-index';
import type { BundleImage } from '../../main/core/model/bundle';
import type { ByteSource } from '../../main/bundle/byte-source';
import type { ImageArchive } from '../../main/core/ports/engine-port';
import type { BlobSource, WriteOptions } from '../../main/core/ports/bundle-port';
import { writeBundle } from '../../main/bundle/bundle-writer';
import { MEDIA, sha256, tarArchive } from './image-builder';

export interface FixtureImage {
  image: BundleImage;
  /** Every blob of the image by digest (index, manifest, config, layers). */
  blobs: Map<string, Buffer>;
  diffIds: string[];
}

export interface FixtureOptions {
  reference: string;
  repoTag?: string | null;
  marker: string;
  platform?: { os: string; architecture: string; variant?: string };
  oci?: boolean;
  /** Random (incompressible) bytes in the top layer, to make it span many chunks. */
  filler?: number;
}


interface Layer {
  bytes: Buffer;
  digest: string;
  diffId: string;
}

function layerOf(tar: Buffer): Layer {
  const bytes = gzipSync(tar);
  return { bytes, digest: sha256(bytes), diffId: sha256(tar) };
}

/** The layer every fixture image shares. */
export const BASE_LAYER: Layer = layerOf(
  tarArchive([
    { type: 'dir', path: 'etc' },
    { type: 'file', path: 'etc/os-release', data: Buffer.from('NAME=tagkeeper-fixture\n') },
    { type: 'symlink', path: 'etc/alias', target: 'os-release' },
  ]),
);

/** One single-platform image. */
export function fixtureImage(options: FixtureOptions): FixtureImage {
  const media = options.oci ? MEDIA.oci : MEDIA.docker;
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const topEntries: Parameters<typeof tarArchive>[0] = [{ type: 'file', path: 'marker', data: Buffer.from(options.marker) }];
  if (options.filler) topEntries.push({ type: 'file', path: 'filler', data: randomBytes(options.filler) });
  const layers = [BASE_LAYER, layerOf(tarArchive(topEntries))];
  const created = '2024-01-02T03:04:05Z';
  const config = Buffer.from(
    JSON.stringify({
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      created,
      config: { Cmd: ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: media.manifest,
      config: { mediaType: media.config, size: config.length, digest: sha256(config) },
      layers: layers.map((l) => ({ mediaType: media.layer, size: l.bytes.length, digest: l.digest })),
    }),
  );
  const blobs = new Map<string, Buffer>([
    [sha256(manifest), manifest],
    [sha256(config), config],
    ...layers.map((l): [string, Buffer] => [l.digest, l.bytes]),
  ]);
  const image: BundleImage = {
    reference: options.reference,
    repoTag: options.repoTag === undefined ? options.reference : options.repoTag,
    indexDigest: null,
    indexMediaType: null,
    indexSize: null,
    manifestDigest: sha256(manifest),
    manifestMediaType: media.manifest,
    manifestSize: manifest.length,
    configDigest: sha256(config),
    configSize: config.length,
    layers: layers.map((l) => ({ digest: l.digest, size: l.bytes.length, mediaType: media.layer, included: true })),
    platform,
    created,
  };
  return { image, blobs, diffIds: layers.map((l) => l.diffId) };
}

/** Puts `images` (one per platform, same reference) under one manifest list / OCI index. */
export function fixtureIndex(images: FixtureImage[], options: { oci?: boolean } = {}): FixtureImage[] {
  const mediaType = options.oci ? MEDIA.oci.index : MEDIA.docker.index;
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      manifests: images.map((f) => ({ mediaType: f.image.manifestMediaType, size: f.image.manifestSize, digest: f.image.manifestDigest, platform: f.image.platform })),
    }),
  );
  return images.map((f) => ({
    ...f,
    image: { ...f.image, indexDigest: sha256(bytes), indexMediaType: mediaType, indexSize: bytes.length },
    blobs: new Map([[sha256(bytes), bytes], ...f.blobs]),
  }));
}

/** The writer's input for `images`. */
export function fixtureDraft(images: FixtureImage[]): Omit<BundleIndex, 'blobs' | 'format'> {
  return {
    createdAt: '2024-05-06T07:08:09.000Z',
    creator: { tool: 'tagkeeper 0.1.0', host: 'exporter', user: 'tester' },
    apps: images.map((f, i) => ({ app: `app${i}`, service: 'web', reference: f.image.reference, manifestDigest: f.image.manifestDigest })),
    images: images.map((f) => f.image),
  };
}

/** Serves blobs from memory in `chunk`-byte pieces; `override` replaces a blob's bytes. */
export function blobSource(images: FixtureImage[], override: Map<string, Buffer> = new Map(), chunk = 16 * 1024): BlobSource & { calls: string[] } {
  const all = new Map<string, Buffer>();
  for (const f of images) for (const [digest, bytes] of f.blobs) all.set(digest, bytes);
  const calls: string[] = [];
  const source = async (digest: string): Promise<Readable> => {
    calls.push(digest);
    const bytes = override.get(digest) ?? all.get(digest);
    if (bytes === undefined) throw new Error(`fixture has no blob ${digest}`);
    const pieces: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += chunk) pieces.push(bytes.subarray(i, i + chunk));
    return Readable.from(pieces);
  };
  return Object.assign(source, { calls });
}

/** A Writable that keeps everything written to it. */
export function collector(): Writable & { bytes(): Buffer } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return Object.assign(sink, { bytes: () => Buffer.concat(chunks) });
}

/** Writes a bundle of `images` into memory. */
export async function bundleBuffer(images: FixtureImage[], options: WriteOptions = {}): Promise<Buffer> {
  const out = collector();
  await writeBundle(out, fixtureDraft(images), blobSource(images), options);
  return out.bytes();
}

/** `bytes` as a stream of `chunk`-byte pieces (like a file read stream). */
export function piecesOf(bytes: Buffer, chunk = 64 * 1024): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) pieces.push(bytes.subarray(i, i + chunk));
  return Readable.from(pieces);
}

/** A stream as the reader's input: its chunks are copied into the reader's buffers. */
export function streamSource(stream: Readable): ByteSource {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let rest: Buffer = Buffer.alloc(0);
  return {
    async read(into, offset, length) {
      while (rest.length === 0) {
        const next = await chunks.next();
        if (next.done) return 0;
        rest = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      }
      const count = rest.copy(into, offset, 0, Math.min(length, rest.length));
      rest = rest.subarray(count);
      return count;
    },
    async close() {
      stream.destroy();
    },
  };
}

/** `bytes` as the reader's input, arriving in pieces of `chunk` bytes. */
export function inputOf(bytes: Buffer, chunk = 64 * 1024): ByteSource {
  return streamSource(piecesOf(bytes, chunk));
}

/** All bytes of a load archive (each chunk copied: the producer may reuse its memory). */
export async function archiveBytes(archive: ImageArchive): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of archive.chunks) chunks.push(Buffer.from(chunk));
  const bytes = Buffer.concat(chunks);
  assert.equal(bytes.length, archive.bytes, 'the archive is as long as it says');
  return bytes;
}

export interface TarItem {
  header: tarStream.Header;
  data: Buffer;
}

/** Every entry of a tar held in memory. */
export async function tarEntries(bytes: Buffer | ImageArchive): Promise<TarItem[]> {
  const extract = tarStream.extract();
  const items: TarItem[] = [];
  const input = piecesOf(Buffer.isBuffer(bytes) ? bytes : await archiveBytes(bytes));
  input.pipe(extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
    items.push({ header: { ...entry.header }, data: Buffer.concat(chunks) });
  }
  return items;
}

/** A tar of `items`, any names and types allowed (for tampering). */
export async function packEntries(items: { header: Partial<tarStream.Header> & { name: string }; data?: Buffer }[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  const reading = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
  })();
  for (const item of items) {
    await new Promise<void>((resolve, reject) => {
      const { size: _size, ...header } = item.header;
      const data = item.data ?? Buffer.alloc(0);
      if (header.type === undefined || header.type === 'file') pack.entry({ ...header, mtime: new Date(0) }, data, (e) => (e ? reject(e) : resolve()));
      else pack.entry({ ...header, mtime: new Date(0) }, (e) => (e ? reject(e) : resolve())).end(undefined);
    });
  }
  pack.finalize();
  await reading;
  return Buffer.concat(chunks);
}

/** Offset and size of the data of entry `name` in an uncompressed ustar `tar`. */
export function entryData(tar: Buffer, name: string): { offset: number; size: number } {
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const entryName = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    const full = prefix ? `${prefix}/${entryName}` : entryName;
    if (full === name) return { offset: offset + 512, size };
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`no entry ${name} in the tar`);
}

/** A copy of `bytes` with the byte at `offset` changed. */
export function flipByte(bytes: Buffer, offset: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[offset] ^= 0x01;
  return copy;
}

/** Every file (not folder) under `dir`, relative. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => !e.isDirectory()).map((e) => join(e.parentPath ?? e.path, e.name));
}
