/**
 * `app refresh` (PRODUCT.md behaviour 3, issue 3) against a real engine and registry: the
 * engine's container ids and start times prove whether a restart happened, a file in the
 * app's volume proves whether a purge happened, and the registry's log proves what was
 * downloaded. Every case uses its own app (and repository) so cases do not interfere.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildImage, publishTo, pushIndex, type BuiltImage } from '../helpers/image-builder';
import {
  assertRunning, changeOf, createApp, hasDataFile, ledgerOf, operation, publish, serviceOf, showApp, snapshot, untouched,
  withAction, writeDataFile, type AppSnapshot,
} from '../helpers/lifecycle';
import { useFaultProxy, type Fault } from '../helpers/registry-fault-proxy';
import { classify, registryForTest, useSite } from '../helpers/site';

const site = useSite();

const ref = (repo: string, tag = '1') => `${site.registry.host}/${repo}:${tag}`;
const refresh = (name: string, ...flags: string[]) => operation(site, ['app', 'refresh', name, ...flags]);
/** Blob GETs since the last clearRequests(). */
const hostPattern = (host: string) => new RegExp(host.replace(/\./g, '\\.'));
const blobGets = async () => classify(await site.registry.settledRequests()).blobGets.map((r) => r.path.split('/blobs/')[1]);

test('nothing changed: no download, no restart, exit 0', async () => {
  const v1 = await publish(site, 'same', '1', 'same-v1');
  await createApp(site, 'same', { main: ref('same') });
  const before = await snapshot(site, 'same');
  site.registry.clearRequests();

  const { code, stderr, result } = await refresh('same');
  assert.equal(code, 0, stderr);
  assert.equal(result.app, 'same');
  assert.equal(result.kind, 'refresh');
  assert.equal(result.outcome, 'done');
  assert.equal(result.changed, false);
  assert.equal(result.restarted, false);
  assert.equal(result.purged, false);
  assert.equal(result.error, null);
  assert.equal(changeOf(result).changed, false);
  assert.equal(changeOf(result).to?.manifestDigest, v1.manifestDigest);
  assert.deepEqual(await blobGets(), [], 'zero layer or config downloads');

  const after = await snapshot(site, 'same');
  assert.ok(untouched(before.main, after.main), 'same container, not restarted');
  const ledger = await ledgerOf(site, 'same');
  assert.deepEqual(withAction(ledger, 'refresh').map((e) => e.outcome), ['ok']);
  assert.equal(withAction(ledger, 'apply').length, 0);
});

test('a moved tag: downloads only the new content, switches, restarts, and records it', async () => {
  const v1 = await publish(site, 'moved', '1', 'moved-v1');
  await createApp(site, 'moved', { main: ref('moved') });
  const before = await snapshot(site, 'moved');
  const v2 = await publish(site, 'moved', '1', 'moved-v2');
  site.registry.clearRequests();

  const { code, stderr, result } = await refresh('moved');
  assert.equal(code, 0, stderr);
  assert.equal(result.outcome, 'done');
  assert.equal(result.changed, true);
  assert.equal(result.restarted, true);
  assert.equal(result.purged, false);
  const change = changeOf(result);
  assert.equal(change.changed, true);
  assert.equal(change.from?.manifestDigest, v1.manifestDigest);
  assert.equal(change.to?.manifestDigest, v2.manifestDigest);

  const gets = await blobGets();
  const v2Blobs = [v2.configDigest, ...v2.layers.map((l) => l.digest)];
  assert.ok(gets.includes(v2.layers[1].digest), "the new top layer was downloaded");
  assert.deepEqual(gets.filter((d) => !v2Blobs.includes(d)), [], 'nothing but the new image was downloaded');
  assert.ok(!gets.includes(v2.layers[0].digest), 'the shared base layer was already on disk');

  const view = await assertRunning(site, 'moved', { main: v2 });
  const after = await snapshot(site, 'moved');
  assert.ok(!untouched(before.main, after.main), 'the container was restarted');
  const container = await site.docker.getContainer(after.main.id).inspect();
  assert.equal(container.Config.Image, v2.configDigest, 'created from the image id, not the tag');
  assert.equal(serviceOf(view).previous?.manifestDigest, v1.manifestDigest, 'the previous digest is kept for rollback');

  const ledger = await ledgerOf(site, 'moved');
  const applies = withAction(ledger, 'apply');
  assert.equal(applies.length, 1);
  assert.equal(applies[0].service, 'main');
  assert.equal(applies[0].from?.manifestDigest, v1.manifestDigest);
  assert.equal(applies[0].to?.manifestDigest, v2.manifestDigest);
  assert.deepEqual(withAction(ledger, 'refresh').map((e) => e.outcome), ['ok']);
  assert.ok(withAction(ledger, 'refresh')[0].actor.length > 0);
});

test('an index whose other platform changed: not an update, no download, no restart', async () => {
  const amd = await buildImage({ marker: 'idx-amd64' });
  const arm1 = await buildImage({ marker: 'idx-arm64-1', architecture: 'arm64', variant: 'v8' });
  const index1 = await pushIndex(site.registry.url, 'idx', 'stable', [amd, arm1]);
  await createApp(site, 'idx', { main: ref('idx', 'stable') });
  const before = await snapshot(site, 'idx');
  const arm2 = await buildImage({ marker: 'idx-arm64-2', architecture: 'arm64', variant: 'v8' });
  const index2 = await pushIndex(site.registry.url, 'idx', 'stable', [amd, arm2]);
  assert.notEqual(index1, index2);
  site.registry.clearRequests();

  const { code, stderr, result } = await refresh('idx');
  assert.equal(code, 0, stderr);
  assert.equal(result.changed, false);
  assert.equal(result.restarted, false);
  const change = changeOf(result);
  assert.equal(change.changed, false);
  assert.equal(change.to?.indexDigest, index2, 'the new index digest is reported');
  assert.equal(change.to?.manifestDigest, amd.manifestDigest);
  assert.deepEqual(await blobGets(), []);
  assert.ok(untouched(before.main, (await snapshot(site, 'idx')).main), 'not restarted');
  await assertRunning(site, 'idx', { main: amd });
});

describe('refresh with --restart and --purge', () => {
  test('--restart with nothing changed restarts once and changes no digest', async () => {
    const v1 = await publish(site, 'rr', '1', 'rr-v1');
    await createApp(site, 'rr', { main: ref('rr') });
    const before = await snapshot(site, 'rr');
    site.registry.clearRequests();
    const { code, stderr, result } = await refresh('rr', '--restart');
    assert.equal(code, 0, stderr);
    assert.equal(result.outcome, 'done');
    assert.equal(result.changed, false);
    assert.equal(result.restarted, true);
    assert.equal(result.purged, false);
    assert.deepEqual(await blobGets(), []);
    await assertRunning(site, 'rr', { main: v1 });
    assert.ok(!untouched(before.main, (await snapshot(site, 'rr')).main), 'restarted (new container or new start time)');
    assert.deepEqual(withAction(await ledgerOf(site, 'rr'), 'refresh').map((e) => e.outcome), ['ok']);
  });

  test('--purge after the tag moved: state discarded, app runs the latest image', async () => {
    await publish(site, 'rp', '1', 'rp-v1');
    await createApp(site, 'rp', { main: ref('rp') }, ['--volume', 'data:/data']);
    await writeDataFile(site, 'rp');
    const v2 = await publish(site, 'rp', '1', 'rp-v2');
    const { code, stderr, result } = await refresh('rp', '--purge', '--yes');
    assert.equal(code, 0, stderr);
    assert.equal(result.outcome, 'done');
    assert.equal(result.changed, true);
    assert.equal(result.purged, true);
    assert.equal(result.restarted, true);
    await assertRunning(site, 'rp', { main: v2 });
    assert.equal(await hasDataFile(site, 'rp'), false, 'the volume was discarded');
  });
});

describe('several drives and several apps', () => {
  test('two services, only b moved: b switches, a keeps its digest, the app runs', async () => {
    const a1 = await publish(site, 'two-a', '1', 'two-a-v1');
    await publish(site, 'two-b', '1', 'two-b-v1');
    await createApp(site, 'two', { a: ref('two-a'), b: ref('two-b') });
    const b2 = await publish(site, 'two-b', '1', 'two-b-v2');
    site.registry.clearRequests();

    const { code, stderr, result } = await refresh('two');
    assert.equal(code, 0, stderr);
    assert.equal(result.changed, true);
    assert.equal(result.restarted, true);
    assert.equal(changeOf(result, 'a').changed, false);
    assert.equal(changeOf(result, 'b').changed, true);
    assert.equal(changeOf(result, 'b').to?.manifestDigest, b2.manifestDigest);
    const gets = await blobGets();
    assert.deepEqual(gets.filter((d) => d === a1.configDigest || d === a1.layers[1].digest), [], "a's image was not downloaded again");
    await assertRunning(site, 'two', { a: a1, b: b2 });
    const applies = withAction(await ledgerOf(site, 'two'), 'apply');
    assert.deepEqual(applies.map((e) => e.service), ['b'], 'one apply, for the drive that changed');
  });

  test("b moved but a's registry is down: nothing switches, nothing restarts, the error names a", async (t) => {
    const other = await registryForTest(t);
    const a1 = await publishTo(other, 'split-a', '1', 'split-a-v1');
    const b1 = await publish(site, 'split-b', '1', 'split-b-v1');
    await createApp(site, 'split', { a: `${other.host}/split-a:1`, b: ref('split-b') });
    const before = await snapshot(site, 'split');
    await publish(site, 'split-b', '1', 'split-b-v2');
    await other.pause();

    const { code, result } = await refresh('split');
    assert.equal(code, 1);
    assert.equal(result.outcome, 'failed');
    assert.equal(result.changed, false, 'no drive switched');
    assert.equal(result.restarted, false);
    assert.ok(result.error, 'the failure is described');
    assert.match(`${result.error.message} ${result.error.hint ?? ''}`, hostPattern(other.host));

    await assertRunning(site, 'split', { a: a1, b: b1 });
    const after = await snapshot(site, 'split');
    assert.ok(untouched(before.a, after.a) && untouched(before.b, after.b), 'containers unchanged');
    const ledger = await ledgerOf(site, 'split');
    assert.equal(withAction(ledger, 'apply').length, 0);
    assert.deepEqual(withAction(ledger, 'refresh').map((e) => e.outcome), ['failed']);
  });

  test('two apps on one tag: refreshing one leaves the other on its digest and container', async () => {
    const v1 = await publish(site, 'shared', '1', 'shared-v1');
    await createApp(site, 'left', { main: ref('shared') });
    await createApp(site, 'right', { main: ref('shared') });
    const rightBefore = await snapshot(site, 'right');
    const v2 = await publish(site, 'shared', '1', 'shared-v2');
    const { code, stderr } = await refresh('left');
    assert.equal(code, 0, stderr);
    await assertRunning(site, 'left', { main: v2 });
    await assertRunning(site, 'right', { main: v1 });
    assert.ok(untouched(rightBefore.main, (await snapshot(site, 'right')).main), 'the other app was not touched');
    assert.equal(withAction(await ledgerOf(site, 'right'), 'refresh').length, 0);
  });
});

describe('registry faults during a refresh leave the app on its old digest', () => {
  const proxy = useFaultProxy(() => site.registry);

  /** An app reached through the proxy, whose tag has since moved. */
  async function movedBehindProxy(name: string): Promise<{ v1: BuiltImage; before: AppSnapshot }> {
    const v1 = await publish(site, name, '1', `${name}-v1`);
    proxy.faults = [];
    await createApp(site, name, { main: `${proxy.host}/${name}:1` });
    await publish(site, name, '1', `${name}-v2`);
    return { v1, before: await snapshot(site, name) };
  }

  async function expectKept(name: string, v1: BuiltImage, before: AppSnapshot, pattern: RegExp, host?: string) {
    const { code, result } = await refresh(name);
    proxy.faults = [];
    assert.equal(code, 1);
    assert.equal(result.outcome, 'failed');
    assert.equal(result.changed, false);
    assert.ok(result.error);
    assert.match(result.error.message, pattern);
    if (host) assert.match(result.error.message, hostPattern(host), 'the error names the registry');
    await assertRunning(site, name, { main: v1 });
    assert.ok(untouched(before.main, (await snapshot(site, name)).main), 'same container, not restarted');
    const ledger = await ledgerOf(site, name);
    assert.equal(withAction(ledger, 'apply').length, 0);
    assert.deepEqual(withAction(ledger, 'refresh').map((e) => e.outcome), ['failed']);
  }

  const manifests = (method: string, path: string) => path.includes('/manifests/') && (method === 'GET' || method === 'HEAD');

  test('unreachable: exit 1, one line on stderr naming the registry', async () => {
    const v1 = await publish(site, 'down', '1', 'down-v1');
    await createApp(site, 'down', { main: ref('down') });
    const before = await snapshot(site, 'down');
    await publish(site, 'down', '1', 'down-v2');
    await site.registry.pause();
    try {
      const plain = await site.cli(['app', 'refresh', 'down']);
      assert.equal(plain.code, 1);
      assert.equal(plain.stderr.trim().split('\n').length, 1, `one line: ${plain.stderr}`);
      assert.match(plain.stderr, hostPattern(site.registry.host));
      assert.match(plain.stderr, /unreachable|refused/i);
      await assertRunning(site, 'down', { main: v1 });
      assert.ok(untouched(before.main, (await snapshot(site, 'down')).main));
      assert.deepEqual(withAction(await ledgerOf(site, 'down'), 'refresh').map((e) => e.outcome), ['failed']);
    } finally {
      await site.registry.resume();
    }
  });

  test('5xx on every manifest request', async () => {
    const { v1, before } = await movedBehindProxy('five');
    proxy.filter = manifests;
    proxy.faults = Array.from({ length: 30 }, (): Fault => ({ status: 503 }));
    await expectKept('five', v1, before, /503|unavailable|server error/i, proxy.host);
  });

  test('timeout: the registry never answers', { timeout: 300_000 }, async () => {
    const { v1, before } = await movedBehindProxy('hung');
    proxy.filter = manifests;
    proxy.faults = Array.from({ length: 30 }, (): Fault => 'hang');
    await expectKept('hung', v1, before, /no answer|time(d)? ?out/i, proxy.host);
  });

  test('manifest bytes that do not hash to their digest', async () => {
    const { v1, before } = await movedBehindProxy('tampered');
    proxy.filter = (method, path) => method === 'GET' && path.includes('/manifests/');
    proxy.faults = Array.from({ length: 30 }, (): Fault => 'tamper-body');
    await expectKept('tampered', v1, before, /digest|hash/i);
  });

  test('a wrong Docker-Content-Digest header', async () => {
    const { v1, before } = await movedBehindProxy('wrongdigest');
    proxy.filter = manifests;
    proxy.faults = Array.from({ length: 30 }, (): Fault => 'wrong-digest');
    await expectKept('wrongdigest', v1, before, /digest|hash|manifest/i);
  });
});

test('refresh of an unknown app is bad input (exit 2) and changes nothing', async () => {
  const result = await site.cli(['app', 'refresh', 'ghost']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /no app named "ghost"/);
  assert.equal((await showApp(site, 'same')).state, 'running');
});
