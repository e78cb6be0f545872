/**
 * An import loads while it verifies (streaming-load.ts): the engine gets blob n while blob n+1
 * is read, yet never a byte that has not checked out, and the manifest.json that makes the
 * blobs images only after the whole bundle and the import's checks passed; any failure cuts
 * the upload short. Memory stays within the budget: a blob to send waits for sent ones.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TagkeeperError } from '../../main/api/errors';
import { blobEntryName } from '../../main/bundle/bundle-index';
import type { ByteSource } from '../../main/bundle/byte-source';
import { readWhileLoading } from '../../main/bundle/streaming-load';
import { VerifiedBlobs } from '../../main/bundle/verified-blobs';
import type { ImageArchive } from '../../main/core/ports/engine-port';
import type { LoadWhileVerifying } from '../../main/core/ports/bundle-port';
import { bundleBuffer, filesUnder, fixtureImage, inputOf, tarEntries } from '../helpers/bundle-fixtures';
import { flipByte, tarEntries as places } from '../helpers/tar-surgery';

const UNSIGNED = { trustedKeys: [], requireSignature: false };
const first = fixtureImage({ reference: '127.0.0.1:5000/first:1', marker: 'first', filler: 300_000 });
const second = fixtureImage({ reference: '127.0.0.1:5000/second:1', marker: 'second', filler: 300_000 });
const LAST_LAYER = second.image.layers[1].digest;

let root: string;
let counter = 0;
let bundle: Buffer;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'tagkeeper-bundle-streaming-'));
  bundle = await bundleBuffer([first, second]);
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function scratch(): Promise<string> {
  const dir = join(root, `scratch-${++counter}`);
  await mkdir(dir);
  return dir;
}

/** `bytes` as a source that counts what was read, and may hold back from `holdAt` on until `release` resolves. */
function countingSource(bytes: Buffer, hold?: { at: number; until: Promise<void> }): ByteSource & { read_: () => number } {
  const inner = inputOf(bytes, 16 * 1024);
  let done = 0;
  return {
    async read(into, offset, length) {
      if (hold && done + length > hold.at) await hold.until;
      const count = await inner.read(into, offset, length);
      done += count;
      return count;
    },
    close: () => inner.close(),
    read_: () => done,
  };
}

/** What the engine got in one archive: each entry's name with how far the bundle had been read when its first byte came. */
interface Received {
  entries: { name: string; sourceBytes: number }[];
  bytes: Buffer;
  error: unknown;
}

/** An engine's load that takes each archive chunk by chunk and notes where the reading was. */
function recordingLoad(source: { read_: () => number }, options: { approve?: () => Promise<void>; onChunk?: (received: Received) => void } = {}): LoadWhileVerifying & { received: Received[] } {
  const received: Received[] = [];
  const take = async (archive: ImageArchive, into: Received): Promise<void> => {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of archive.chunks) {
        const copy = Buffer.from(chunk);
        // A tar header: 512 bytes whose name field is a bundle path.
        const name = copy.length === 512 ? copy.subarray(0, 100).toString('latin1').replace(/\0+$/, '') : '';
        if (name.startsWith('blobs/') || name === 'manifest.json') into.entries.push({ name, sourceBytes: source.read_() });
        else if (copy.length >= 512 && copy.subarray(0, 13).toString('latin1') === 'manifest.json') into.entries.push({ name: 'manifest.json', sourceBytes: source.read_() });
        chunks.push(copy);
        into.bytes = Buffer.concat(chunks);
        options.onChunk?.(into);
      }
    } catch (error) {
      into.error = error;
      throw error;
    }
  };
  return {
    received,
    choose: async (index) => index.images,
    approve: options.approve ?? (async () => undefined),
    load(archives: ImageArchive[]) {
      return archives.map((archive) => {
        const into: Received = { entries: [], bytes: Buffer.alloc(0), error: null };
        received.push(into);
        return take(archive, into);
      });
    },
  };
}

const namesOf = (received: Received[]): string[] => received.flatMap((r) => r.entries.map((e) => e.name));
const blobsOf = (image: typeof first): Set<string> => new Set([image.image.configDigest, ...image.image.layers.map((l) => l.digest)].map(blobEntryName));

/** Where each blob entry's data ends in the bundle file. */
const endOf = (name: string): number => {
  const place = places(bundle).find((e) => e.name === name)!;
  return place.offset + place.size;
};

describe('loading while verifying', () => {
  test('each blob reaches the engine only after it was read whole, the next is read meanwhile, and manifest.json comes last', { timeout: 30_000 }, async () => {
    // The bundle's last blob is held back until the engine has got the first layer: without
    // overlap this would never end.
    let engineGotALayer: () => void = () => undefined;
    const until = new Promise<void>((resolve) => (engineGotALayer = resolve));
    const source = countingSource(bundle, { at: endOf(blobEntryName(LAST_LAYER)) - 1, until });
    const load = recordingLoad(source, { onChunk: (r) => r.entries.some((e) => e.name === blobEntryName(first.image.layers[1].digest)) && engineGotALayer() });
    const verified = await readWhileLoading(source, await scratch(), UNSIGNED, load);
    assert.equal(verified.images.length, 2);

    // The two images share only a small base layer: two archives, loaded side by side, each
    // with every blob of its image (the base layer in both).
    assert.equal(load.received.length, 2);
    for (const image of [first, second]) {
      // The archives come in the order of their bytes (loadLanes), so find each by its config.
      const received = load.received.find((r) => r.entries.some((e) => e.name === blobEntryName(image.image.configDigest)))!;
      assert.ok(received, `an archive holds ${image.image.reference}`);
      const names = received.entries.map((e) => e.name);
      assert.equal(names.at(-1), 'manifest.json');
      assert.equal(received.entries.at(-1)!.sourceBytes, bundle.length, 'manifest.json only after the whole bundle was read');
      for (const entry of received.entries.slice(0, -1)) {
        assert.ok(entry.sourceBytes >= endOf(entry.name), `${entry.name} was sent after it was read whole (${entry.sourceBytes} ≥ ${endOf(entry.name)})`);
      }
      const archive = await tarEntries(received.bytes);
      assert.deepEqual(archive.map((e) => e.header.name), names, 'the archive is what was recorded');
      assert.deepEqual(new Set(names.slice(0, -1)), blobsOf(image), 'every config and layer of its image, once');
      assert.equal(names.length - 1, blobsOf(image).size);
      for (const entry of archive.slice(0, -1)) assert.deepEqual(entry.data, image.blobs.get(`sha256:${entry.header.name.slice('blobs/sha256/'.length)}`));
      const manifest = JSON.parse(archive.at(-1)!.data.toString()) as { Config: string }[];
      assert.deepEqual(manifest.map((m) => m.Config), [blobEntryName(image.image.configDigest)]);
    }
  });

  test('a damaged last layer: the engine got only blobs that checked out, no manifest.json, and an upload cut short', async () => {
    const damaged = flipByte(bundle, blobEntryName(LAST_LAYER), 1000);
    const source = countingSource(damaged);
    const load = recordingLoad(source);
    const dir = await scratch();
    await assert.rejects(readWhileLoading(source, dir, UNSIGNED, load), (error: unknown) => error instanceof TagkeeperError && error.code === 'bad-bundle' && /does not hash/.test(error.message));
    const names = namesOf(load.received);
    assert.ok(names.includes(blobEntryName(first.image.layers[1].digest)), 'the first image went out while the second was read');
    assert.ok(!names.includes(blobEntryName(LAST_LAYER)), 'not the damaged layer');
    assert.ok(!names.includes('manifest.json'), 'no manifest.json: the engine loads nothing');
    assert.equal(load.received.length, 2);
    for (const received of load.received) assert.ok(received.error instanceof TagkeeperError, 'each archive ended with an error, not its end marker');
    assert.deepEqual(await filesUnder(dir), []);
  });

  test('a refusal by the import\'s own checks (approve) also cuts the upload before manifest.json', async () => {
    const source = countingSource(bundle);
    const load = recordingLoad(source, {
      approve: async () => {
        throw new TagkeeperError('bad-bundle', 'bundle image is for linux/arm64, but this box is linux/amd64');
      },
    });
    await assert.rejects(readWhileLoading(source, await scratch(), UNSIGNED, load), /linux\/arm64/);
    assert.ok(!namesOf(load.received).includes('manifest.json'));
    assert.equal(load.received.length, 2);
    for (const received of load.received) assert.ok(received.error instanceof TagkeeperError);
  });

  test('an engine that fails early stops the reading and cuts the other archives short: its error is the one thrown', async () => {
    const source = countingSource(bundle);
    const others: unknown[] = [];
    const load: LoadWhileVerifying = {
      choose: async (index) => index.images,
      approve: async () => undefined,
      load: (archives) =>
        archives.map(async (archive, n) => {
          if (n === 0) {
            for await (const chunk of archive.chunks) if (chunk.length > 0) break;
            throw new TagkeeperError('engine-error', 'image load into the Docker Engine failed: no space left on device');
          }
          try {
            for await (const _ of archive.chunks);
          } catch (error) {
            others.push(error);
            throw error;
          }
        }),
    };
    await assert.rejects(readWhileLoading(source, await scratch(), UNSIGNED, load), /no space left on device/);
    assert.ok(source.read_() < bundle.length, `the rest of the bundle was not read (${source.read_()} of ${bundle.length})`);
    assert.equal(others.length, 1, 'the other archive ended with an error, not its end marker');
  });

  test('choosing no image sends nothing and still verifies everything', async () => {
    let loads = 0;
    const damaged = flipByte(bundle, blobEntryName(LAST_LAYER), 10);
    const none: LoadWhileVerifying = { choose: async () => [], approve: async () => undefined, load: (archives) => [Promise.resolve(void (loads += archives.length))] };
    assert.equal((await readWhileLoading(countingSource(bundle), await scratch(), UNSIGNED, none)).images.length, 2);
    await assert.rejects(readWhileLoading(countingSource(damaged), await scratch(), UNSIGNED, none), /does not hash/);
    assert.equal(loads, 0);
  });
});

describe('the memory budget while sending', () => {
  const fill = () => async (into: Buffer, offset: number, length: number) => void into.fill(7, offset, offset + length);

  test('a blob to send that fits the budget but not what is left waits for a sent one, then goes to memory, not to disk', async () => {
    const blobs = new VerifiedBlobs(await scratch(), 1000);
    await blobs.receive('sha256:a', 600, fill(), () => undefined, 'send');
    let received = false;
    const second = blobs.receive('sha256:b', 600, fill(), () => undefined, 'send').then(() => (received = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(received, false, 'waits while the first is being sent');
    await blobs.release('sha256:a');
    await second;
    assert.equal(blobs.where('sha256:a'), null, 'released');
    assert.equal(blobs.where('sha256:b'), 'memory');
    // Larger than the whole budget: a scratch file, removed once sent.
    await blobs.receive('sha256:c', 1500, fill(), () => undefined, 'send');
    assert.equal(blobs.where('sha256:c'), 'file');
    await blobs.release('sha256:c');
    await blobs.release('sha256:b');
    assert.equal(blobs.where('sha256:c'), null);
    // A blob nobody loads is only hashed.
    const pieces: number[] = [];
    await blobs.receive('sha256:d', 3000, fill(), (piece) => pieces.push(piece.length), 'drop');
    assert.equal(blobs.where('sha256:d'), null);
    assert.equal(pieces.reduce((a, b) => a + b, 0), 3000);
    await blobs.removeAll();
  });

  test('a config is kept for the checks even once sent', async () => {
    const blobs = new VerifiedBlobs(await scratch(), 1000);
    await blobs.receive('sha256:config', 100, fill(), () => undefined, 'hold');
    await blobs.release('sha256:config');
    assert.equal(blobs.where('sha256:config'), 'memory');
    await blobs.removeAll();
  });
});
