/**
 * How an import splits the chosen images into archives the engine loads side by side
 * (load-archive.ts, loadLanes): images sharing a large layer or their config stay in one
 * archive (the layer goes once); a small shared layer goes with each image; at most MAX_LANES
 * archives, balanced by bytes; every archive holds every blob its images need.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BundleImage } from '../../main/core/model/bundle';
import { MAX_LANES, SHARED_LAYER_BYTES, loadLanes } from '../../main/bundle/load-archive';
import { blobEntryName } from '../../main/bundle/bundle-index';

const digest = (name: string): string => `sha256:${Buffer.from(name).toString('hex').padEnd(64, '0').slice(0, 64)}`;

interface Blob {
  digest: string;
  size: number;
}

/** An image of `layers` (name → size; a size of null: left out of the bundle, as a delta does). */
function image(name: string, layers: Record<string, number | null>, config = `${name}-config`): { image: BundleImage; blobs: Blob[] } {
  const blobs: Blob[] = [{ digest: digest(config), size: 1000 }];
  for (const [layer, size] of Object.entries(layers)) if (size !== null) blobs.push({ digest: digest(layer), size });
  return {
    image: {
      reference: `127.0.0.1:5000/${name}:1`,
      repoTag: null,
      indexDigest: null,
      indexMediaType: null,
      indexSize: null,
      manifestDigest: digest(`${name}-manifest`),
      manifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      manifestSize: 500,
      configDigest: digest(config),
      configSize: 1000,
      layers: Object.entries(layers).map(([layer, size]) => ({ digest: digest(layer), size: size ?? 5000, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', included: size !== null })),
      platform: { os: 'linux', architecture: 'amd64' },
      created: null,
    },
    blobs,
  };
}

/** The bundle's blob list: each blob once, in the order of first use. */
function bundleBlobs(images: { blobs: Blob[] }[]): Blob[] {
  const seen = new Map<string, Blob>();
  for (const i of images) for (const b of i.blobs) if (!seen.has(b.digest)) seen.set(b.digest, b);
  return [...seen.values()];
}

const names = (plan: { files: Blob[] }): string[] => plan.files.map((f) => f.digest);
const configsIn = (plan: { manifest: Buffer }): string[] => (JSON.parse(plan.manifest.toString()) as { Config: string }[]).map((m) => m.Config);

describe('load lanes', () => {
  test('images sharing only a small base layer load side by side, the base layer in each archive', () => {
    const a = image('a', { base: 1_000_000, a1: 30_000_000 });
    const b = image('b', { base: 1_000_000, b1: 20_000_000 });
    const plans = loadLanes(bundleBlobs([a, b]), [a.image, b.image]);
    assert.equal(plans.length, 2);
    // Each in the bundle's order (b's config comes after the base layer a brought first).
    assert.deepEqual(plans.map(names), [a.blobs.map((x) => x.digest), [digest('base'), b.image.configDigest, digest('b1')]]);
    assert.deepEqual(plans.map(configsIn), [[blobEntryName(a.image.configDigest)], [blobEntryName(b.image.configDigest)]]);
  });

  test('images sharing a layer larger than SHARED_LAYER_BYTES load in one archive, the layer once', () => {
    const a = image('a', { big: SHARED_LAYER_BYTES + 1, a1: 1000 });
    const b = image('b', { big: SHARED_LAYER_BYTES + 1, b1: 1000 });
    const c = image('c', { c1: 1000 });
    const plans = loadLanes(bundleBlobs([a, b, c]), [a.image, b.image, c.image]);
    assert.equal(plans.length, 2);
    const ab = plans.find((p) => configsIn(p).length === 2)!;
    assert.deepEqual(configsIn(ab), [a.image.configDigest, b.image.configDigest].map(blobEntryName));
    assert.equal(names(ab).filter((d) => d === digest('big')).length, 1);
    assert.deepEqual(names(ab).sort(), [...new Set([...a.blobs, ...b.blobs].map((x) => x.digest))].sort());
  });

  test('two references to the same image (one config) load in one archive', () => {
    const a = image('a', { a1: 1000 });
    const same = image('a-again', { a1: 1000 }, 'a-config');
    const plans = loadLanes(bundleBlobs([a, same]), [a.image, same.image]);
    assert.equal(plans.length, 1);
    assert.deepEqual(configsIn(plans[0]), [blobEntryName(a.image.configDigest)]);
  });

  test(`at most ${MAX_LANES} archives, balanced by bytes; every image in exactly one`, () => {
    const sizes = [60, 50, 40, 30, 20, 10, 5].map((mb) => mb * 1_000_000);
    const images = sizes.map((size, i) => image(`i${i}`, { base: 1_000_000, [`top${i}`]: size }));
    const plans = loadLanes(bundleBlobs(images), images.map((i) => i.image));
    assert.equal(plans.length, MAX_LANES);
    const configs = plans.flatMap(configsIn);
    assert.deepEqual(configs.sort(), images.map((i) => blobEntryName(i.image.configDigest)).sort());
    const bytes = plans.map((p) => p.files.reduce((sum, f) => sum + f.size, 0) / 1_000_000);
    // Largest first onto the least loaded lane: 60 | 50 | 40, 10, 5 | 30, 20 (each lane + 1 MB base).
    assert.deepEqual(bytes.map(Math.round).sort((x, y) => x - y), [51, 51, 56, 61]);
  });

  test('a layer a delta bundle leaves out has no file in any archive', () => {
    const a = image('a', { base: null, a1: 1000 });
    const b = image('b', { base: null, b1: 1000 });
    const plans = loadLanes(bundleBlobs([a, b]), [a.image, b.image]);
    assert.equal(plans.length, 2);
    for (const plan of plans) assert.ok(!names(plan).includes(digest('base')));
    for (const plan of plans) assert.ok(plan.manifest.toString().includes(blobEntryName(digest('base'))), 'its path stays in Layers');
  });
});
