import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { TagkeeperError } from '../../main/api/errors';
import { BUNDLE_FORMAT, blobEntryName, dockerLoadManifest, type DockerLoadEntry } from '../../main/bundle/bundle-index';
import { inspectBundle, readBundle } from '../../main/bundle/bundle-reader';
import { keyIdOf } from '../../main/bundle/bundle-signature';
import { writeBundle } from '../../main/bundle/bundle-writer';
import { readWhileLoading } from '../../main/bundle/streaming-load';
import type { BundleImage } from '../../main/core/model/bundle';
import type { ReadOptions } from '../../main/bundle/bundle-reader';
import {
  BASE_LAYER,
  archiveBytes,
  blobSource,
  bundleBuffer,
  collector,
  filesUnder,
  fixtureDraft,
  fixtureImage,
  fixtureIndex,
  inputOf,
  packEntries,
  streamSource,
  tarEntries,
  type FixtureImage,
} from '../helpers/bundle-fixtures';

const UNSIGNED = { trustedKeys: [], requireSignature: false };
let root: string;
let counter = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'tagkeeper-bundle-format-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/**
 * Reads `bytes` as an import does, loading `pick(images)` meanwhile: the archives the engine would
 * get, side by side (each chunk copied as it comes, since the producer reuses its memory).
 */
async function streamed(bytes: Buffer, pick: (images: BundleImage[]) => BundleImage[] = (i) => i, options: ReadOptions = UNSIGNED, dir?: string): Promise<Buffer[]> {
  let archives: Promise<Buffer>[] = [];
  await readWhileLoading(inputOf(bytes), dir ?? (await scratch()), options, {
    choose: async (index) => pick(index.images),
    approve: async () => undefined,
    load: (all) => (archives = all.map(archiveBytes)),
  });
  return Promise.all(archives);
}

/** The one archive the engine would get for `bytes`. */
async function streamedOne(bytes: Buffer, pick?: (images: BundleImage[]) => BundleImage[]): Promise<Buffer> {
  const archives = await streamed(bytes, pick);
  assert.equal(archives.length, 1, 'one archive');
  return archives[0];
}

async function scratch(): Promise<string> {
  const dir = join(root, `scratch-${++counter}`);
  await mkdir(dir);
  return dir;
}

function isCode(code: string, pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof TagkeeperError, `expected a TagkeeperError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('bundle round trip', () => {
  const app = fixtureImage({ reference: '127.0.0.1:5000/app:latest', marker: 'app', filler: 300_000 });
  const other = fixtureImage({ reference: '127.0.0.1:5000/other:1', marker: 'other', oci: true });

  test('two images sharing a layer: every blob written once, in order, and read back verified', async () => {
    const source = blobSource([app, other]);
    const out = collector();
    const progress: number[] = [];
    const written = await writeBundle(out, fixtureDraft([app, other]), source, { onProgress: (p) => progress.push(p.blobs) });
    const bytes = out.bytes();
    assert.equal(written.bytes, bytes.length);
    assert.equal(written.index.format, BUNDLE_FORMAT);

    const entries = await tarEntries(bytes);
    const names = entries.map((e) => e.header.name);
    assert.deepEqual(names.slice(0, 2), ['tagkeeper-bundle.json', 'manifest.json']);
    assert.equal(names.filter((n) => n === blobEntryName(BASE_LAYER.digest)).length, 1, 'the shared layer is written once');
    assert.equal(names.length, 2 + 7, 'index, manifest.json, 2 manifests + 2 configs + 3 distinct layers');
    assert.equal(new Set(source.calls).size, source.calls.length, 'each blob is asked for once');
    assert.deepEqual(written.index.blobs.map((b) => blobEntryName(b.digest)), names.slice(2));
    assert.deepEqual(entries.every((e) => e.header.type === 'file'), true);
    assert.equal(progress.at(-1), 7);

    const dir = await scratch();
    const bundle = await readBundle(inputOf(bytes), dir, UNSIGNED);
    assert.equal(bundle.signedBy, null);
    assert.equal(bundle.bytes, bytes.length);
    assert.deepEqual(bundle.index, written.index);
    assert.deepEqual(JSON.parse(bundle.indexBytes.toString()), written.index);
    assert.deepEqual(bundle.omittedLayers, []);
    assert.equal(bundle.images.length, 2);
    for (const [verified, fixture] of [[bundle.images[0], app], [bundle.images[1], other]] as const) {
      assert.equal(verified.reference, fixture.image.reference);
      assert.deepEqual(verified.manifestBytes, fixture.blobs.get(fixture.image.manifestDigest));
      assert.deepEqual(verified.configBytes, fixture.blobs.get(fixture.image.configDigest));
      assert.equal(verified.indexBytes, null);
      assert.deepEqual(verified.diffIds, fixture.diffIds);
      for (const layer of fixture.image.layers) assert.deepEqual(await bundle.blobs.bytes(layer.digest), fixture.blobs.get(layer.digest));
    }
    // Within the memory budget nothing is written to the scratch folder.
    assert.deepEqual(await filesUnder(dir), []);
    assert.ok(written.index.blobs.every((b) => bundle.blobs.where(b.digest) === 'memory'));
    await assert.rejects(bundle.blobs.bytes(`sha256:${'0'.repeat(64)}`), isCode('internal', /not in the verified bundle/));

    // Past the budget the rest goes to scratch files (0600), and reads back the same.
    const budget = 1000;
    const spilled = await readBundle(inputOf(bytes), dir, { ...UNSIGNED, limits: { memoryBytes: budget } });
    const inFiles = written.index.blobs.filter((b) => spilled.blobs.where(b.digest) === 'file');
    const inMemory = written.index.blobs.filter((b) => spilled.blobs.where(b.digest) === 'memory');
    assert.ok(inFiles.some((b) => b.digest === app.image.layers[1].digest), 'the large layer is in a file');
    assert.ok(inMemory.reduce((sum, b) => sum + b.size, 0) <= budget);
    assert.equal(inFiles.length + inMemory.length, 7);
    assert.equal((await filesUnder(dir)).length, inFiles.length);
    for (const blob of written.index.blobs) {
      const expected = app.blobs.get(blob.digest) ?? other.blobs.get(blob.digest);
      assert.deepEqual(await spilled.blobs.bytes(blob.digest), expected);
      const path = spilled.blobs.filePath(blob.digest);
      if (path !== null) {
        assert.deepEqual(await readFile(path), expected);
        assert.equal((await stat(path)).mode & 0o777, 0o600);
      }
    }
    // The load archive carries the same bytes from either place.
    assert.deepEqual(await streamed(bytes, (i) => i, { ...UNSIGNED, limits: { memoryBytes: budget } }), await streamed(bytes));
  });

  test('a multi-platform image under an OCI index: the index blob is written once and checked per platform', async () => {
    const images = fixtureIndex(
      [
        fixtureImage({ reference: '127.0.0.1:5000/multi:2', marker: 'amd', oci: true }),
        fixtureImage({ reference: '127.0.0.1:5000/multi:2', marker: 'arm', oci: true, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }),
      ],
      { oci: true },
    );
    const bytes = await bundleBuffer(images);
    const names = (await tarEntries(bytes)).map((e) => e.header.name);
    assert.equal(names.filter((n) => n === blobEntryName(images[0].image.indexDigest ?? '')).length, 1);
    const bundle = await readBundle(inputOf(bytes), await scratch(), UNSIGNED);
    assert.deepEqual(bundle.images.map((i) => i.platform.architecture), ['amd64', 'arm64']);
    assert.deepEqual(bundle.images[1].indexBytes, images[1].blobs.get(images[1].image.indexDigest ?? ''));
  });

  test('signed round trip: the reader names the key that signed it', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const bytes = await bundleBuffer([app], { signingKey: privateKey });
    const names = (await tarEntries(bytes)).map((e) => e.header.name);
    assert.deepEqual(names.slice(0, 3), ['tagkeeper-bundle.json', 'tagkeeper-bundle.json.sig', 'manifest.json']);
    const keyId = keyIdOf(publicKey);
    const bundle = await readBundle(inputOf(bytes), await scratch(), { trustedKeys: [{ keyId, publicKey }], requireSignature: true });
    assert.equal(bundle.signedBy, keyId);
    assert.equal(bundle.images[0].manifestDigest, app.image.manifestDigest);
  });

  test('inspect reads the index and the signer without verifying blobs', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signed = await inspectBundle(inputOf(await bundleBuffer([app, other], { signingKey: privateKey })));
    assert.deepEqual(signed.signature, { keyId: keyIdOf(publicKey), status: 'untrusted' }, 'no trusted key given: it cannot be checked');
    assert.deepEqual(signed.index.images.map((i) => i.reference), [app.image.reference, other.image.reference]);
    assert.deepEqual(signed.index.apps.map((a) => a.manifestDigest), [app.image.manifestDigest, other.image.manifestDigest]);
    const unsigned = await inspectBundle(inputOf(await bundleBuffer([other])));
    assert.equal(unsigned.signature, null);
    assert.equal(unsigned.index.images[0].configDigest, other.image.configDigest);
    await assert.rejects(inspectBundle(inputOf(Buffer.from('not a tar at all'.repeat(64)))), isCode('bad-bundle', /not a valid bundle/));
  });
});

describe('signatures as inspect and import see them', () => {
  const app = fixtureImage({ reference: '127.0.0.1:5000/app:latest', marker: 'sig' });
  const signer = generateKeyPairSync('ed25519');
  const trusted = [{ keyId: keyIdOf(signer.publicKey), publicKey: signer.publicKey }];
  /** `bytes` with one character of the base64 signature changed (still valid base64): a garbage signature under a trusted key id. */
  const garbled = async (bytes: Buffer) => {
    const items = await tarEntries(bytes);
    const sig = JSON.parse(items[1].data.toString()) as { signature: string };
    sig.signature = `${sig.signature[0] === 'A' ? 'B' : 'A'}${sig.signature.slice(1)}`;
    items[1] = { ...items[1], data: Buffer.from(JSON.stringify(sig)) };
    return packEntries(items.map((i) => ({ header: { name: i.header.name }, data: i.data })));
  };

  test('inspect checks the signature: trusted, untrusted key, or garbage (never called trusted)', async () => {
    const signed = await bundleBuffer([app], { signingKey: signer.privateKey });
    assert.deepEqual((await inspectBundle(inputOf(signed), { trustedKeys: trusted })).signature, { keyId: trusted[0].keyId, status: 'trusted' });
    assert.deepEqual((await inspectBundle(inputOf(await garbled(signed)), { trustedKeys: trusted })).signature, { keyId: trusted[0].keyId, status: 'invalid' });
    const other = generateKeyPairSync('ed25519');
    const byOther = await bundleBuffer([app], { signingKey: other.privateKey });
    assert.deepEqual((await inspectBundle(inputOf(byOther), { trustedKeys: trusted })).signature, { keyId: keyIdOf(other.publicKey), status: 'untrusted' });
  });

  test('required: unsigned or untrusted is refused saying how to trust the key or accept it unsigned; not required: read as unsigned', async () => {
    const other = generateKeyPairSync('ed25519');
    const byOther = await bundleBuffer([app], { signingKey: other.privateKey });
    const unsigned = await bundleBuffer([app]);
    const required = { trustedKeys: trusted, requireSignature: true };
    const refusal = (pattern: RegExp) => (error: unknown) => {
      isCode('bad-bundle', pattern)(error);
      assert.match((error as TagkeeperError).hint ?? '', /keys trust KEY\.pub.*--allow-unsigned/);
      return true;
    };
    await assert.rejects(readBundle(inputOf(unsigned), await scratch(), required), refusal(/^the bundle is not signed, and this device accepts only bundles signed by a key it trusts$/));
    await assert.rejects(readBundle(inputOf(byOther), await scratch(), required), refusal(/signed by an untrusted key/));

    const relaxed = { trustedKeys: trusted, requireSignature: false };
    const read = await readBundle(inputOf(byOther), await scratch(), relaxed);
    assert.equal(read.signedBy, null);
    assert.equal(read.unverifiedKey, keyIdOf(other.publicKey));
    assert.equal((await readBundle(inputOf(unsigned), await scratch(), relaxed)).unverifiedKey, null);
  });

  test('a garbage signature under a trusted key id is refused, required or not', async () => {
    const bad = await garbled(await bundleBuffer([app], { signingKey: signer.privateKey }));
    for (const requireSignature of [true, false]) {
      await assert.rejects(readBundle(inputOf(bad), await scratch(), { trustedKeys: trusted, requireSignature }), isCode('bad-bundle', /signature does not match the index/));
    }
  });
});

describe('delta bundles and the load archive', () => {
  const full = fixtureImage({ reference: '127.0.0.1:5000/app:2', marker: 'v2' });
  const delta: FixtureImage = {
    ...full,
    image: { ...full.image, layers: full.image.layers.map((l) => (l.digest === BASE_LAYER.digest ? { ...l, included: false } : l)) },
  };

  test('an omitted layer is not written, and the reader lists it with its diff id and position', async () => {
    const source = blobSource([delta]);
    const bytes = await bundleBuffer([delta]);
    const names = (await tarEntries(bytes)).map((e) => e.header.name);
    assert.equal(names.includes(blobEntryName(BASE_LAYER.digest)), false);
    const bundle = await readBundle(inputOf(bytes), await scratch(), UNSIGNED);
    assert.deepEqual(bundle.omittedLayers, [{ image: full.image.reference, digest: BASE_LAYER.digest, diffId: BASE_LAYER.diffId, position: 0 }]);
    assert.equal(source.calls.includes(BASE_LAYER.digest), false);
    assert.ok(bytes.length < (await bundleBuffer([full])).length);
  });

  test('the load archive is a tar of the configs and layers the bundle holds, then a fresh manifest.json naming no tag (loading moves no tag)', async () => {
    const other = fixtureImage({ reference: '127.0.0.1:5000/other:3', marker: 'o3', repoTag: null });
    const bytes = await bundleBuffer([delta, other]);
    const bundle = await readBundle(inputOf(bytes), await scratch(), UNSIGNED);
    // The two images share only the small base layer: two archives, side by side.
    const archives = await Promise.all((await streamed(bytes)).map((a) => tarEntries(a)));
    assert.equal(archives.length, 2);
    assert.equal(full.image.repoTag, '127.0.0.1:5000/app:2', 'the bundle names a tag, the load archive does not apply it');
    // The base layer is omitted for `delta` but carried for `other`, so it is in the bundle after
    // all (in the bundle's order), and in both archives: each holds every layer its image needs.
    assert.deepEqual(bundle.omittedLayers, []);
    // Each archive found by its config: they come in the order of their bytes (loadLanes).
    const holding = (image: FixtureImage) => archives.find((entries) => entries[0].header.name === blobEntryName(image.image.configDigest))!;
    for (const [entries, image, files] of [
      [holding(full), full, [full.image.configDigest, full.image.layers[1].digest, BASE_LAYER.digest]],
      [holding(other), other, [other.image.configDigest, BASE_LAYER.digest, other.image.layers[1].digest]],
    ] as const) {
      assert.equal(entries.at(-1)!.header.name, 'manifest.json');
      const manifest = JSON.parse(entries.at(-1)!.data.toString()) as DockerLoadEntry[];
      assert.deepEqual(manifest, [{ Config: blobEntryName(image.image.configDigest), RepoTags: [], Layers: image.image.layers.map((l) => blobEntryName(l.digest)) }]);
      assert.deepEqual(entries.slice(0, -1).map((e) => e.header.name), files.map(blobEntryName));
      for (const [i, digest] of files.entries()) assert.deepEqual(entries[i].data, image.blobs.get(digest));
      assert.ok(entries.every((e) => e.header.type === 'file'));
    }
    // Only the images asked for: one image gives one manifest entry and its own files.
    const one = await tarEntries(await streamedOne(bytes, (images) => [images[1]]));
    assert.deepEqual(one.map((e) => e.header.name), [...[other.image.configDigest, ...other.image.layers.map((l) => l.digest)].map(blobEntryName), 'manifest.json']);
  });

  test('the load archive of a delta image lists the omitted layer in Layers but writes no file for it', async () => {
    const entries = await tarEntries(await streamedOne(await bundleBuffer([delta])));
    const manifest = JSON.parse(entries.at(-1)!.data.toString()) as DockerLoadEntry[];
    assert.deepEqual(manifest[0].Layers, full.image.layers.map((l) => blobEntryName(l.digest)));
    assert.deepEqual(entries.map((e) => e.header.name), [blobEntryName(full.image.configDigest), blobEntryName(full.image.layers[1].digest), 'manifest.json']);
  });

  test("Docker's load manifest merges the tags of images with the same config", () => {
    const a = fixtureImage({ reference: 'example.com/a:1', marker: 'same' });
    const b = { ...a.image, reference: 'example.com/a:stable', repoTag: 'example.com/a:stable' };
    assert.deepEqual(dockerLoadManifest([a.image, b, a.image]), [
      { Config: blobEntryName(a.image.configDigest), RepoTags: ['example.com/a:1', 'example.com/a:stable'], Layers: a.image.layers.map((l) => blobEntryName(l.digest)) },
    ]);
  });
});

describe('the writer refuses what it cannot vouch for', () => {
  const image = fixtureImage({ reference: '127.0.0.1:5000/app:latest', marker: 'w', filler: 100_000 });
  const top = image.image.layers[1];

  test('a blob that does not hash to its digest stops the export before the blob is complete', async () => {
    const bad = Buffer.from(image.blobs.get(top.digest) ?? Buffer.alloc(0));
    bad[bad.length - 10] ^= 0xff;
    const out = collector();
    await assert.rejects(
      writeBundle(out, fixtureDraft([image]), blobSource([image], new Map([[top.digest, bad]]))),
      isCode('digest-mismatch', new RegExp(`layer ${top.digest} of bundle image 127\\.0\\.0\\.1:5000/app:latest \\(sha256:[0-9a-f]{12}\\) hashes to sha256:`)),
    );
    assert.equal(out.destroyed, true);
    const partial = out.bytes();
    assert.ok(!partial.includes(bad.subarray(bad.length - 4096)), 'the last bytes of the bad blob never reach the output');
    await assert.rejects(readBundle(inputOf(partial), await scratch(), UNSIGNED), isCode('bad-bundle', /bundle is truncated/));
  });

  test('a blob longer or shorter than declared is refused', async () => {
    const bytes = image.blobs.get(top.digest) ?? Buffer.alloc(0);
    for (const [wrong, pattern] of [
      [Buffer.concat([bytes, Buffer.from('x')]), /has more than its \d+ bytes/],
      [bytes.subarray(0, bytes.length - 1), /has \d+ bytes, expected \d+/],
    ] as const) {
      await assert.rejects(writeBundle(collector(), fixtureDraft([image]), blobSource([image], new Map([[top.digest, wrong]]))), isCode('digest-mismatch', pattern));
    }
  });

  test('an index that is not sound is refused before anything is written', async () => {
    const sha512 = { ...image.image, configDigest: `sha512:${'a'.repeat(128)}` };
    const out = collector();
    await assert.rejects(writeBundle(out, { ...fixtureDraft([image]), images: [sha512] }, blobSource([image])), isCode('invalid-input', /configDigest: must be sha256/));
    assert.equal(out.bytes().length, 0);
    const conflict = { ...image.image, reference: 'example.com/x:1', configSize: image.image.configSize + 1 };
    await assert.rejects(writeBundle(collector(), { ...fixtureDraft([image]), images: [image.image, conflict] }, blobSource([image])), isCode('invalid-input', /has size \d+, but/));
  });

  test('cancel stops the export', async () => {
    const controller = new AbortController();
    const big = fixtureImage({ reference: '127.0.0.1:5000/big:1', marker: 'big', filler: 3_000_000 });
    const out = collector();
    await assert.rejects(
      writeBundle(out, fixtureDraft([big]), blobSource([big]), { signal: controller.signal, onProgress: (p) => p.bytes > 1_000_000 && controller.abort() }),
      isCode('cancelled', /export was cancelled/),
    );
    assert.equal(out.destroyed, true);
  });
});

describe('reader limits and cancel', () => {
  const image = fixtureImage({ reference: '127.0.0.1:5000/app:latest', marker: 'r', filler: 2_500_000 });
  let bytes: Buffer;
  before(async () => {
    bytes = await bundleBuffer([image]);
  });

  test('a blob past the memory budget goes to a scratch file piece by piece, and reads back whole', async () => {
    const dir = await scratch();
    const bundle = await readBundle(inputOf(bytes), dir, { ...UNSIGNED, limits: { memoryBytes: 0 } });
    const top = image.image.layers[1];
    assert.ok(top.size > 2 * 1024 * 1024, 'the layer spans several 1 MiB pieces');
    assert.equal(bundle.blobs.where(top.digest), 'file');
    assert.deepEqual(await readFile(bundle.blobs.filePath(top.digest) ?? ''), image.blobs.get(top.digest));
    const chunks: Buffer[] = [];
    for await (const chunk of bundle.blobs.chunks(top.digest, top.size)) chunks.push(Buffer.from(chunk));
    assert.deepEqual(Buffer.concat(chunks), image.blobs.get(top.digest));
  });

  test('cancel while reading removes what was written', async () => {
    const controller = new AbortController();
    const dir = await scratch();
    await assert.rejects(
      readBundle(inputOf(bytes), dir, { ...UNSIGNED, limits: { memoryBytes: 0 }, signal: controller.signal, onProgress: (p) => p.blobs >= 2 && controller.abort() }),
      isCode('cancelled', /import was cancelled/),
    );
    assert.deepEqual(await filesUnder(dir), []);
    controller.abort();
    await assert.rejects(readBundle(inputOf(bytes), dir, { ...UNSIGNED, signal: controller.signal }), isCode('cancelled', /cancelled/));
  });

  test('cancel while the input stalls (an upload that stops sending) ends at once', async () => {
    const input = new PassThrough();
    input.write(bytes.subarray(0, 300_000)); // then nothing more, and no end
    const controller = new AbortController();
    const dir = await scratch();
    await assert.rejects(
      readBundle(streamSource(input), dir, { ...UNSIGNED, signal: controller.signal, onProgress: (p) => p.blobs >= 1 && controller.abort() }),
      isCode('cancelled', /import was cancelled/),
    );
    assert.equal(input.destroyed, true);
    assert.deepEqual(await filesUnder(dir), []);
  });

  test('a read error of the input is not blamed on the bundle', async () => {
    const input = new PassThrough();
    input.write(bytes.subarray(0, 300_000));
    const dir = await scratch();
    await assert.rejects(
      readBundle(streamSource(input), dir, { ...UNSIGNED, onProgress: (p) => p.blobs >= 1 && input.destroy(new Error('EIO: i/o error, read')) }),
      isCode('internal', /^could not read the bundle file: EIO: i\/o error, read$/),
    );
    assert.deepEqual(await filesUnder(dir), []);
  });

  test('a file past the size limits is refused', async () => {
    const dir = await scratch();
    await assert.rejects(readBundle(inputOf(bytes), dir, { ...UNSIGNED, limits: { maxTotalBytes: 1_000_000 } }), isCode('bad-bundle', /more than the limit of 1000000/));
    await assert.rejects(readBundle(inputOf(bytes), dir, { ...UNSIGNED, limits: { maxBlobBytes: 1_000_000 } }), isCode('bad-bundle', /layer sha256:[0-9a-f]{64} is \d+ bytes, more than the limit of 1000000/));
    await assert.rejects(readBundle(inputOf(bytes), dir, { ...UNSIGNED, limits: { maxIndexBytes: 100 } }), isCode('bad-bundle', /the bundle index is \d+ bytes, more than the limit of 100/));
    await assert.rejects(readBundle(inputOf(bytes), dir, { ...UNSIGNED, limits: { maxEntries: 4 } }), isCode('bad-bundle', /more than the limit of 1/));
    assert.deepEqual(await filesUnder(dir), []);
  });

  test('an empty file is not a bundle', async () => {
    await assert.rejects(readBundle(inputOf(Buffer.alloc(0)), await scratch(), UNSIGNED), isCode('bad-bundle', /not a bundle: it is empty/));
  });
});
