/**
 * EnginePort.loadImage and LocalImage.rootfsLayers against a private Docker daemon and a real
 * registry (test/helpers/site.ts). Archives are made by hand in `docker save` layout
 * (manifest.json + config + gzip layers named by digest), the layout offline bundles load.
 */
import { emptyContainerConfig } from '../../main/core/apps/container-config';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { createEngine, type DockerEngine } from '../../main/engine';
import { TagkeeperError } from '../../main/api/errors';
import type { PullMessage } from '../../main/core/ports/engine-port';
import { loadedName } from '../../main/engine/load-image';
import { before } from '../helpers/hooks';
import { rejectsWith } from '../helpers/engine-checks';
import { buildImage, pushImage, type BuiltImage } from '../helpers/image-builder';
import { archiveOf, saveArchive } from '../helpers/image-archive';
import { useSite } from '../helpers/site';

const T = { timeout: 120_000 };
const RUN = randomBytes(4).toString('hex');

describe('loadImage and image diff ids against a private engine', () => {
  const site = useSite();
  let engine: DockerEngine;
  let base: BuiltImage;

  before(async () => {
    engine = createEngine({ dockerHost: site.engine.dockerHost });
    base = await buildImage({ marker: `load-base-${RUN}` });
  });

  /** Runs `/bin/true` from `imageId` with no network; resolves with its exit code. */
  async function runTrue(imageId: string): Promise<number | null> {
    const id = await engine.createContainer({
      name: `tk-load-${randomBytes(4).toString('hex')}`,
      image: imageId,
      labels: {},
      config: { ...emptyContainerConfig(), command: ['/bin/true'], networkMode: 'none' },
    });
    try {
      await engine.startContainer(id);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const info = await engine.inspectContainer(id);
        if (info?.status === 'exited' || info?.status === 'dead') return info.exitCode;
        if (Date.now() > deadline) assert.fail(`container of ${imageId} did not exit: ${JSON.stringify(info)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await engine.removeContainer(id);
    }
  }

  test('a hand-made docker-save archive loads: id = config digest, tag applied, diff ids, it runs', T, async () => {
    const messages: PullMessage[] = [];
    const tag = `loaded-${RUN}:1`;
    const result = await engine.loadImage(archiveOf(saveArchive([{ image: base, repoTags: [tag] }])), {
      onMessage: (m) => messages.push(m),
    });
    assert.deepEqual(result.loaded, [tag]);
    assert.ok(messages.some((m) => m.status === 'Loading layer'), messages.map((m) => m.status).join(' | '));

    const image = await engine.inspectImage(tag);
    assert.ok(image);
    assert.equal(image.id, base.configDigest, 'the image id is the digest of the config bytes');
    assert.deepEqual(image.repoTags, [tag]);
    assert.deepEqual(image.repoDigests, [], 'docker load records no registry digest');
    assert.deepEqual(image.rootfsLayers, base.layers.map((l) => l.diffId));
    assert.equal(await runTrue(image.id), 0);
  });

  test('an archive without RepoTags reports the loaded image id', T, async () => {
    const untagged = await buildImage({ marker: `load-untagged-${RUN}` });
    const result = await engine.loadImage(archiveOf(saveArchive([{ image: untagged }])));
    assert.deepEqual(result.loaded, [untagged.configDigest]);
    assert.equal((await engine.inspectImage(untagged.configDigest))?.repoTags.length, 0);
  });

  test('a layer whose content does not match its diff id fails with engine-error and leaves no image', T, async () => {
    const image = await buildImage({ marker: `load-corrupt-${RUN}` });
    const other = await buildImage({ marker: `load-other-${RUN}` });
    const top = image.layers[1];
    const tag = `corrupt-${RUN}:1`;
    // A valid gzip tar, just not the one the config's diff_ids name. docker.io 20.10 answers
    // 200 and reports this in an `error` line of the stream, after the progress lines.
    const archive = saveArchive([{ image, repoTags: [tag], replace: { [top.digest]: other.layers[1].bytes } }]);
    const error = await rejectsWith(engine.loadImage(archiveOf(archive)), 'engine-error');
    assert.match(error.message, new RegExp(`^image load into the Docker Engine at ${site.engine.dockerHost.replace(/[.]/g, '\\.')} failed: .+`));
    assert.match(error.message, /diff ?id/i, error.message);
    console.log(`engine says, for a diff id mismatch: ${error.message}`);
    assert.ok(error.hint);
    assert.equal(await engine.inspectImage(image.configDigest), null);
    assert.equal(await engine.inspectImage(tag), null);

    // Bytes changed inside the gzip stream: the engine cannot even decompress the layer.
    const flipped = Buffer.from(top.bytes);
    flipped[Math.floor(flipped.length / 2)] ^= 0xff;
    await rejectsWith(engine.loadImage(archiveOf(saveArchive([{ image, repoTags: [tag], replace: { [top.digest]: flipped } }]))), 'engine-error');
    assert.equal(await engine.inspectImage(image.configDigest), null);
  });

  test('a delta archive without a layer the engine already has loads (docker.io 20.10)', T, async () => {
    // A first, so the base layer chain is present (idempotent when an earlier test loaded it).
    await engine.loadImage(archiveOf(saveArchive([{ image: base, repoTags: [`loaded-${RUN}:1`] }])));
    const next = await buildImage({ marker: `load-delta-${RUN}` });
    assert.equal(next.layers[0].digest, base.layers[0].digest, 'the two images share the base layer');
    const tag = `delta-${RUN}:1`;
    const delta = saveArchive([{ image: next, repoTags: [tag], omit: [next.layers[0].digest] }]);
    const full = saveArchive([{ image: next, repoTags: [tag] }]);
    assert.ok(delta.length < full.length / 2, `delta ${delta.length} bytes, full ${full.length}`);
    const result = await engine.loadImage(archiveOf(delta));
    assert.deepEqual(result.loaded, [tag]);
    const image = await engine.inspectImage(tag);
    assert.equal(image?.id, next.configDigest);
    assert.deepEqual(image?.rootfsLayers, next.layers.map((l) => l.diffId));
    assert.equal(await runTrue(next.configDigest), 0);

    // Control: omitting a layer the engine does NOT have fails, and loads nothing.
    const fresh = await buildImage({ marker: `load-missing-${RUN}` });
    const missing = saveArchive([{ image: fresh, repoTags: [`missing-${RUN}:1`], omit: [fresh.layers[1].digest] }]);
    const error = await rejectsWith(engine.loadImage(archiveOf(missing)), 'engine-error');
    console.log(`engine says, for an omitted layer it lacks: ${error.message}`);
    assert.equal(await engine.inspectImage(fresh.configDigest), null);
  });

  test('a load aborted through its signal is cancelled, and the archive is released', T, async () => {
    const controller = new AbortController();
    const archive = saveArchive([{ image: await buildImage({ marker: `load-cancel-${RUN}` }) }]);
    let released = false;
    // Half the archive, then nothing until the abort: the engine waits for the rest.
    async function* stalled(): AsyncGenerator<Buffer> {
      try {
        yield archive.subarray(0, archive.length >> 1);
        setTimeout(() => controller.abort(), 200);
        await new Promise((resolve) => controller.signal.addEventListener('abort', resolve));
        yield archive.subarray(archive.length >> 1);
      } finally {
        released = true;
      }
    }
    const error = await rejectsWith(engine.loadImage({ bytes: archive.length, chunks: stalled() }, { signal: controller.signal }), 'cancelled');
    assert.equal(error.message, 'image load cancelled');
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(released, 'the archive was told to finish (its files close)');

    const early = new AbortController();
    early.abort();
    let started = false;
    async function* untouched(): AsyncGenerator<Buffer> {
      started = true;
      yield archive;
    }
    await rejectsWith(engine.loadImage({ bytes: archive.length, chunks: untouched() }, { signal: early.signal }), 'cancelled');
    assert.equal(started, false);
  });

  test('an archive that cannot be produced to the end fails with its own error, and the engine loads nothing', T, async () => {
    const image = await buildImage({ marker: `load-broken-${RUN}` });
    const archive = saveArchive([{ image }]);
    async function* broken(): AsyncGenerator<Buffer> {
      yield archive.subarray(0, archive.length - 1024);
      throw new TagkeeperError('internal', 'the verified blob changed in the scratch folder');
    }
    await assert.rejects(engine.loadImage({ bytes: archive.length, chunks: broken() }), /the verified blob changed/);
    assert.equal(await engine.inspectImage(image.configDigest), null);
  });

  test('an archive that is not a tar is an engine-error (also a 200 with an error line)', T, async () => {
    const error = await rejectsWith(engine.loadImage(archiveOf(gzipSync(Buffer.from('not a tar at all')))), 'engine-error');
    console.log(`engine says, for garbage: ${error.message}`);
  });

  test('rootfsLayers of a pushed and pulled image equal its config diff_ids', T, async () => {
    const image = await buildImage({ marker: `pulled-${RUN}`, files: { '/etc/extra': 'x' } });
    await pushImage(site.registry.pushUrl, 'diffids', 'v1', image);
    const reference = `${site.registry.host}/diffids@${image.manifestDigest}`;
    await engine.pullImage(reference, () => {});
    const pulled = await engine.inspectImage(reference);
    assert.ok(pulled);
    const config = JSON.parse(image.config.toString('utf8')) as { rootfs: { diff_ids: string[] } };
    assert.deepEqual(pulled.rootfsLayers, config.rootfs.diff_ids);
    assert.deepEqual(pulled.rootfsLayers, image.layers.map((l) => l.diffId));
    const listed = (await engine.listImages()).find((i) => i.id === pulled.id);
    assert.ok(listed);
    if (listed.rootfsLayers !== undefined) assert.deepEqual(listed.rootfsLayers, config.rootfs.diff_ids);
  });
});

describe('load stream lines (no engine)', () => {
  test('loadedName reads tags and ids, ignores the rest', () => {
    assert.equal(loadedName('Loaded image: 127.0.0.1:5000/app:1\n'), '127.0.0.1:5000/app:1');
    assert.equal(loadedName(`Loaded image ID: sha256:${'a'.repeat(64)}\n`), `sha256:${'a'.repeat(64)}`);
    assert.equal(loadedName('The image app:1 already exists, renaming the old one with ID sha256:x to empty string\n'), null);
    assert.equal(loadedName(''), null);
  });
});
