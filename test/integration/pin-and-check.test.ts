/**
 * Pins (PRODUCT.md behaviour 2) and `check` (HEAD-only, per distinct reference; update vs
 * index-only change), against a real engine and registry.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { before } from '../helpers/hooks';
import { buildImage, pushIndex, type BuiltImage } from '../helpers/image-builder';
import { publish } from '../helpers/lifecycle';
import { classify, useSite } from '../helpers/site';
import { startFaultProxy } from '../helpers/registry-fault-proxy';

const site = useSite();
let v1: BuiltImage;

before(async () => {
  v1 = await publish(site, 'app', 'dev', 'pin-v1');
});

const create = (name: string, image: string) => site.cli(['app', 'create', name, '--image', image, '--network', 'none', '--json']);

describe('pinned references', () => {
  test('a pin to a platform manifest runs exactly it', async () => {
    const result = await create('pinned', `${site.registry.host}/app:dev@${v1.manifestDigest}`);
    assert.equal(result.code, 0, result.stderr);
    const s = result.json().services[0];
    assert.equal(s.pinnedDigest, v1.manifestDigest);
    assert.equal(s.latched.manifestDigest, v1.manifestDigest);
    assert.equal(s.latched.imageId, v1.configDigest);
  });

  test('a pin to an index resolves to this platform and verifies the index bytes', async () => {
    const amd = await buildImage({ marker: 'pin-index-amd64' });
    const arm = await buildImage({ marker: 'pin-index-arm64', architecture: 'arm64', variant: 'v8' });
    const index = await pushIndex(site.registry.url, 'multi', 'pin', [arm, amd]);
    const result = await create('pinned-index', `${site.registry.host}/multi@${index}`);
    assert.equal(result.code, 0, result.stderr);
    const s = result.json().services[0];
    assert.equal(s.latched.indexDigest, index);
    assert.equal(s.latched.manifestDigest, amd.manifestDigest);
    assert.equal(s.latched.imageId, amd.configDigest);
  });

  test('a pin to a digest the registry does not have fails and runs nothing', async () => {
    const missing = `sha256:${'0'.repeat(64)}`;
    const result = await create('pin-missing', `${site.registry.host}/app@${missing}`);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /manifest|unknown|not found/i);
    const containers = await site.docker.listContainers({ all: true, filters: { label: ['tagkeeper.app=pin-missing'] } });
    assert.equal(containers.length, 0);
  });

  test('a registry serving bytes that do not hash to the pin is caught and nothing runs', async () => {
    const other = await publish(site, 'tampered', '1', 'pin-tampered');
    const proxy = await startFaultProxy(site.registry);
    proxy.filter = (method, path) => method === 'GET' && path.includes('/manifests/');
    proxy.faults.push('tamper-body', 'tamper-body', 'tamper-body', 'tamper-body');
    try {
      const result = await create('pin-tampered', `${proxy.host}/tampered@${other.manifestDigest}`);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /hashes to sha256:[0-9a-f]+.*expected|digest/i);
      const containers = await site.docker.listContainers({ all: true, filters: { label: ['tagkeeper.app=pin-tampered'] } });
      assert.equal(containers.length, 0);
      assert.equal(await site.docker.getImage(other.configDigest).inspect().then(() => true, () => false), false, 'nothing was pulled');
    } finally {
      await proxy.close();
    }
  });
});

describe('check', () => {
  let twin: string;
  before(async () => {
    assert.equal((await create('dev-one', `${site.registry.host}/app:dev`)).code, 0);
    assert.equal((await create('dev-two', `${site.registry.host}/app:dev`)).code, 0);
    twin = `${site.registry.host}/app:dev`;
  });

  test('an unchanged tag: one HEAD per distinct reference, no GET, no layer', async () => {
    site.registry.clearRequests();
    const result = await site.cli(['check', 'dev-one', 'dev-two', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const check = result.json();
    assert.equal(check.references, 1, 'two apps on one tag share one HEAD');
    assert.deepEqual(check.services.map((s: { status: string }) => s.status), ['up-to-date', 'up-to-date']);
    const traffic = classify(await site.registry.settledRequests());
    assert.equal(traffic.manifestHeads.length, 1);
    assert.equal(traffic.manifestGets.length, 0);
    assert.equal(traffic.blobGets.length, 0);
  });

  test('a moved tag is an update; nothing is downloaded and nothing restarts', async () => {
    const before = (await site.cli(['app', 'show', 'dev-one', '--json'])).json();
    const v2 = await publish(site, 'app', 'dev', 'pin-v2');
    site.registry.clearRequests();
    const result = await site.cli(['check', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const mine = result.json().services.filter((s: { reference: string }) => s.reference === twin);
    assert.equal(mine.length, 2);
    for (const s of mine) {
      assert.equal(s.status, 'update-available');
      assert.equal(s.latched.manifestDigest, v1.manifestDigest);
      assert.equal(s.available.manifestDigest, v2.manifestDigest);
    }
    const traffic = classify(await site.registry.settledRequests());
    assert.equal(traffic.blobGets.length, 0, 'check downloads no layer');
    assert.equal(traffic.manifestGets.length, 0, 'a single-platform tag needs no GET');

    const after = (await site.cli(['app', 'show', 'dev-one', '--json'])).json();
    assert.equal(after.services[0].updateAvailable, true);
    assert.equal(after.services[0].available.manifestDigest, v2.manifestDigest);
    assert.equal(after.services[0].latched.manifestDigest, v1.manifestDigest, 'still latched to what was approved');
    assert.equal(after.services[0].containerId, before.services[0].containerId, 'not restarted');
    const container = await site.docker.getContainer(after.services[0].containerId).inspect();
    assert.equal(container.State.StartedAt, (await site.docker.getContainer(before.services[0].containerId).inspect()).State.StartedAt);
    assert.equal(container.Image, v1.configDigest);

    const ledger = (await site.cli(['ledger', 'dev-one', '--json'])).json();
    const checks = ledger.filter((e: { action: string }) => e.action === 'check');
    assert.deepEqual(checks.map((e: { outcome: string }) => e.outcome), ['up-to-date', 'update-available'], 'one entry per new finding');
    const checkEntry = checks.at(-1);
    assert.equal(checkEntry.to.manifestDigest, v2.manifestDigest);
  });

  test("an index whose other platform changed is not an update (recorded, no layer, no restart)", async () => {
    const amd = await buildImage({ marker: 'multi-amd64' });
    const arm1 = await buildImage({ marker: 'multi-arm64-1', architecture: 'arm64', variant: 'v8' });
    const index1 = await pushIndex(site.registry.url, 'multi', 'stable', [amd, arm1]);
    assert.equal((await create('multi', `${site.registry.host}/multi:stable`)).code, 0);

    const arm2 = await buildImage({ marker: 'multi-arm64-2', architecture: 'arm64', variant: 'v8' });
    const index2 = await pushIndex(site.registry.url, 'multi', 'stable', [amd, arm2]);
    assert.notEqual(index1, index2);
    site.registry.clearRequests();
    const result = await site.cli(['check', 'multi', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const s = result.json().services[0];
    assert.equal(s.status, 'index-changed');
    assert.deepEqual(s.latched, { indexDigest: index1, manifestDigest: amd.manifestDigest });
    assert.deepEqual(s.available, { indexDigest: index2, manifestDigest: amd.manifestDigest });
    const traffic = classify(await site.registry.settledRequests());
    assert.equal(traffic.manifestHeads.length, 1);
    assert.equal(traffic.manifestGets.length, 1, 'the new index is read once to find this platform');
    assert.equal(traffic.blobGets.length, 0);

    const show = (await site.cli(['app', 'show', 'multi', '--json'])).json();
    assert.equal(show.services[0].updateAvailable, false);
    assert.equal(show.services[0].indexChanged, true);

    site.registry.clearRequests();
    await site.cli(['check', 'multi', '--json']);
    const again = classify(await site.registry.settledRequests());
    assert.equal(again.manifestGets.length, 0, 'a known index digest needs no second GET');
  });

  test('report lists every app drive with both digests', async () => {
    const result = await site.cli(['report', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const report = result.json();
    assert.equal(report.engine.platform.architecture, 'amd64');
    const multi = report.apps.find((a: { name: string }) => a.name === 'multi');
    assert.ok(multi.services[0].latched.indexDigest.startsWith('sha256:'));
    assert.ok(multi.services[0].latched.manifestDigest.startsWith('sha256:'));
    assert.ok(multi.services[0].available.checkedAt);
    assert.ok(report.apps.length >= 5);
  });

  test('a check with the registry down says so, exits 1, and keeps the last known digest', async () => {
    await site.registry.pause();
    try {
      const result = await site.cli(['check', 'dev-one', '--json']);
      assert.equal(result.code, 1);
      const s = result.json().services[0];
      assert.equal(s.status, 'error');
      assert.equal(s.error.code, 'registry-unreachable');
      const show = (await site.cli(['app', 'show', 'dev-one', '--json'])).json();
      assert.equal(show.services[0].checkError.code, 'registry-unreachable');
      assert.ok(show.services[0].available, 'the last known available digest stays');
      assert.equal(show.state, 'running');
    } finally {
      await site.registry.resume();
    }
  });
});
