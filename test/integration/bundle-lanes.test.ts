/**
 * A bundle of several images goes to a real engine as several archives loaded side by side
 * (load-archive.ts, loadLanes): here three images sharing only the small busybox base layer,
 * so three archives, each with the base layer. The engine loads all three, and a bundle whose
 * last layer is damaged loads none of them: every archive is cut short before its manifest.json.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before } from '../helpers/hooks';
import { useSite } from '../helpers/site';
import { createApp, publish } from '../helpers/lifecycle';
import type { BuiltImage } from '../helpers/image-builder';
import { flipByte } from '../helpers/tar-surgery';
import type { ImportAnswer } from '../../main/api/types/bundles';

const APP = 'stack';
const SERVICES = ['web', 'api', 'db'];

describe('a bundle of several images loads in archives side by side', () => {
  const connected = useSite();
  const site = useSite();
  let work: string;
  let bundleFile: string;
  const next: BuiltImage[] = [];

  const imagesOn = async () => (await site.docker.listImages()).map((i) => i.Id).sort();

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'tk-bundle-lanes-'));
    const references = Object.fromEntries(SERVICES.map((s) => [s, `${connected.registry.host}/stack/${s}:stable`]));
    for (const s of SERVICES) await publish(connected, `stack/${s}`, 'stable', `lanes-${s}-v1`);
    await createApp(site, APP, references);
    // Every tag moves; the new images share only busybox, each with a top layer of its own.
    for (const s of SERVICES) next.push(await publish(connected, `stack/${s}`, 'stable', `lanes-${s}-v2`, { filler: 1_500_000 }));
    await createApp(connected, APP, references);
    bundleFile = join(work, 'stack.bundle');
    const out = await connected.cli(['bundle', 'export', bundleFile, '--app', APP, '--latest', '--json']);
    assert.equal(out.code, 0, out.stderr);
    await connected.registry.pause();
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('a damaged last layer: none of the three images is loaded', async () => {
    const before = await imagesOn();
    const last = next.at(-1)!.layers.at(-1)!.digest;
    const damaged = join(work, 'damaged.bundle');
    writeFileSync(damaged, flipByte(readFileSync(bundleFile), `blobs/sha256/${last.slice(7)}`, 1000));
    const out = await site.cli(['bundle', 'import', damaged, '--allow-unsigned']);
    assert.equal(out.code, 2, out.stderr);
    assert.match(out.stderr, /stack\/db:stable.*does not hash/);
    assert.deepEqual(await imagesOn(), before, 'the engine loaded nothing');
  });

  test('the three images load, each under its registry digests, pending approval', async () => {
    const out = await site.cli(['bundle', 'import', bundleFile, '--allow-unsigned', '--json']);
    assert.equal(out.code, 0, out.stderr);
    const answer = out.json<ImportAnswer>();
    assert.deepEqual(
      answer.images.map((i) => [i.manifestDigest, i.imageId, i.loaded]),
      next.map((image) => [image.manifestDigest, image.configDigest, true]),
    );
    assert.deepEqual(
      answer.drives.map((d) => [d.service, d.to.manifestDigest, d.status]),
      SERVICES.map((s, i) => [s, next[i].manifestDigest, 'pending']),
    );
    const ids = await imagesOn();
    for (const image of next) assert.ok(ids.includes(image.configDigest), `image ${image.configDigest} is on the engine`);
    for (const image of next) {
      const inspected = await site.docker.getImage(image.configDigest).inspect();
      assert.deepEqual(inspected.RootFS.Layers, JSON.parse(image.config.toString()).rootfs.diff_ids, 'every layer, the shared base included');
    }
  });
});
