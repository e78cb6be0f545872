/**
 * Restart, purge, start, stop and delete of an app, rollback of new containers that do not
 * start, check on start, and changes made behind Tagkeeper's back (PRODUCT.md behaviour 4
 * and 5, issue 3), against a real engine and registry. One app per case.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appContainers, assertRunning, createApp, hasDataFile, ledgerOf, operation, publish, serviceOf, showApp, snapshot, untouched,
  volumeExists, withAction, writeDataFile,
} from '../helpers/lifecycle';
import { classify, useSite } from '../helpers/site';

const site = useSite();

const ref = (repo: string) => `${site.registry.host}/${repo}:1`;
const op = (verb: string, name: string, ...flags: string[]) => operation(site, ['app', verb, name, ...flags]);

describe('restart and purge on their own', () => {
  test('restart: new start, same digests, even though the tag moved meanwhile', async () => {
    const v1 = await publish(site, 'rs', '1', 'rs-v1');
    await createApp(site, 'rs', { main: ref('rs') });
    const before = await snapshot(site, 'rs');
    await publish(site, 'rs', '1', 'rs-v2');
    site.registry.clearRequests();

    const { code, stderr, result } = await op('restart', 'rs');
    assert.equal(code, 0, stderr);
    assert.equal(result.kind, 'restart');
    assert.equal(result.app, 'rs');
    assert.equal(result.outcome, 'done');
    assert.equal(result.restarted, true);
    assert.equal(result.changed, false);
    assert.equal(result.purged, false);
    assert.equal(result.error, null);
    assert.equal(classify(await site.registry.settledRequests()).blobGets.length, 0, 'a restart downloads nothing');
    await assertRunning(site, 'rs', { main: v1 });
    assert.ok(!untouched(before.main, (await snapshot(site, 'rs')).main), 'restarted (new container or new start time)');
    const ledger = await ledgerOf(site, 'rs');
    assert.deepEqual(withAction(ledger, 'restart').map((e) => e.outcome), ['ok']);
    assert.equal(withAction(ledger, 'apply').length, 0);
  });

  test("purge: the app's volume is discarded and it starts fresh on the same digests", async () => {
    const v1 = await publish(site, 'pg', '1', 'pg-v1');
    await createApp(site, 'pg', { main: ref('pg') }, ['--volume', 'data:/data']);
    await writeDataFile(site, 'pg');
    await publish(site, 'pg', '1', 'pg-v2');
    site.registry.clearRequests();

    const { code, stderr, result } = await op('purge', 'pg', '--yes');
    assert.equal(code, 0, stderr);
    assert.equal(result.kind, 'purge');
    assert.equal(result.outcome, 'done');
    assert.equal(result.purged, true);
    assert.equal(result.restarted, true);
    assert.equal(result.changed, false);
    assert.equal(classify(await site.registry.settledRequests()).blobGets.length, 0);
    await assertRunning(site, 'pg', { main: v1 });
    assert.equal(await hasDataFile(site, 'pg'), false, 'the file in the volume is gone');
    assert.equal(await volumeExists(site, 'tagkeeper-pg-data'), true, 'the app has a fresh volume');
    assert.deepEqual(withAction(await ledgerOf(site, 'pg'), 'purge').map((e) => e.outcome), ['ok']);
  });

  test('a restart without a purge keeps the volume', async () => {
    await publish(site, 'keep', '1', 'keep-v1');
    await createApp(site, 'keep', { main: ref('keep') }, ['--volume', 'data:/data']);
    await writeDataFile(site, 'keep');
    const { code, stderr } = await op('restart', 'keep');
    assert.equal(code, 0, stderr);
    assert.equal(await hasDataFile(site, 'keep'), true);
  });
});

describe('new containers that exit at once are rolled back to the previous digest', () => {
  // The default restart policy (unless-stopped) makes the engine restart a failing container
  // over and over; "no" leaves it exited. Either way the new content did not stay up.
  for (const policy of ['default', 'no'] as const) {
    test(`restart policy ${policy}`, async () => {
      const name = `rb-${policy}`;
      const v1 = await publish(site, name, '1', `${name}-v1`);
      await createApp(site, name, { main: ref(name) }, policy === 'default' ? [] : ['--restart', policy]);
      const bad = await publish(site, name, '1', `${name}-bad`, { cmd: ['/bin/false'] });

      const { code, result } = await operation(site, ['app', 'refresh', name]);
      assert.equal(result.outcome, 'rolled-back', `outcome: ${JSON.stringify(result)}`);
      assert.equal(code, 1);
      assert.ok(result.error, 'the result says why');
      const view = await assertRunning(site, name, { main: v1 });
      assert.notEqual(serviceOf(view).latched?.manifestDigest, bad.manifestDigest);
      const ledger = await ledgerOf(site, name);
      assert.ok(withAction(ledger, 'rollback').length >= 1, `a rollback entry: ${JSON.stringify(ledger.map((e) => e.action))}`);
      assert.deepEqual(withAction(ledger, 'refresh').map((e) => e.outcome), ['rolled-back']);
    });
  }
});

describe('start, stop and delete', () => {
  test('stop leaves the containers exited; start runs them again', async () => {
    const v1 = await publish(site, 'ss', '1', 'ss-v1');
    await createApp(site, 'ss', { main: ref('ss') });
    const startsBefore = withAction(await ledgerOf(site, 'ss'), 'start').length;

    const stop = await op('stop', 'ss');
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal(stop.result.kind, 'stop');
    assert.equal(stop.result.outcome, 'done');
    const stopped = await showApp(site, 'ss');
    assert.equal(stopped.state, 'stopped');
    assert.equal(serviceOf(stopped).containerStatus, 'exited');
    assert.equal((await snapshot(site, 'ss')).main.running, false);

    const start = await op('start', 'ss');
    assert.equal(start.code, 0, start.stderr);
    assert.equal(start.result.kind, 'start');
    assert.equal(start.result.outcome, 'done');
    await assertRunning(site, 'ss', { main: v1 });
    const ledger = await ledgerOf(site, 'ss');
    assert.deepEqual(withAction(ledger, 'stop').map((e) => e.outcome), ['ok']);
    assert.equal(withAction(ledger, 'start').length, startsBefore + 1);
  });

  test('delete removes the containers and keeps the volume', async () => {
    await publish(site, 'dk', '1', 'dk-v1');
    await createApp(site, 'dk', { main: ref('dk') }, ['--volume', 'data:/data']);
    assert.equal(await volumeExists(site, 'tagkeeper-dk-data'), true);
    const result = await site.cli(['app', 'delete', 'dk']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await appContainers(site, 'dk'), []);
    assert.equal(await volumeExists(site, 'tagkeeper-dk-data'), true, 'the state stays without --volumes');
    assert.equal((await site.cli(['app', 'show', 'dk'])).code, 2, 'the app is gone');
    assert.deepEqual(withAction(await ledgerOf(site, 'dk'), 'delete').map((e) => e.outcome), ['ok']);
  });

  test('delete --volumes also removes the volume', async () => {
    await publish(site, 'dv', '1', 'dv-v1');
    await createApp(site, 'dv', { main: ref('dv') }, ['--volume', 'data:/data']);
    const result = await site.cli(['app', 'delete', 'dv', '--volumes']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await appContainers(site, 'dv'), []);
    assert.equal(await volumeExists(site, 'tagkeeper-dv-data'), false);
  });
});

describe('check on start', () => {
  test('off (the default): start runs the latched digest and asks no registry', async () => {
    const v1 = await publish(site, 'plain', '1', 'plain-v1');
    await createApp(site, 'plain', { main: ref('plain') });
    assert.equal((await op('stop', 'plain')).code, 0);
    await publish(site, 'plain', '1', 'plain-v2');
    site.registry.clearRequests();
    const { code, stderr, result } = await op('start', 'plain');
    assert.equal(code, 0, stderr);
    assert.equal(result.changed, false);
    assert.deepEqual(await site.registry.settledRequests(), [], 'no registry traffic');
    await assertRunning(site, 'plain', { main: v1 });
  });

  test('on: a moved tag is pulled and run when the app starts', async () => {
    const v1 = await publish(site, 'cos', '1', 'cos-v1');
    await createApp(site, 'cos', { main: ref('cos') }, ['--check-on-start']);
    assert.equal((await op('stop', 'cos')).code, 0);
    const v2 = await publish(site, 'cos', '1', 'cos-v2');

    const { code, stderr, result } = await op('start', 'cos');
    assert.equal(code, 0, stderr);
    assert.equal(result.outcome, 'done');
    assert.equal(result.changed, true);
    await assertRunning(site, 'cos', { main: v2 });
    const applies = withAction(await ledgerOf(site, 'cos'), 'apply');
    assert.equal(applies.length, 1);
    assert.equal(applies[0].from?.manifestDigest, v1.manifestDigest);
    assert.equal(applies[0].to?.manifestDigest, v2.manifestDigest);
  });

  test('on, registry down: starts on the latched digest and says the check failed', async () => {
    const v1 = await publish(site, 'cosdown', '1', 'cosdown-v1');
    await createApp(site, 'cosdown', { main: ref('cosdown') }, ['--check-on-start']);
    assert.equal((await op('stop', 'cosdown')).code, 0);
    await publish(site, 'cosdown', '1', 'cosdown-v2');
    const seen = (await ledgerOf(site, 'cosdown')).length;
    await site.registry.pause();
    try {
      const { code, stderr, result } = await op('start', 'cosdown');
      assert.equal(code, 0, `starting on the latched digest is a success: ${stderr}`);
      assert.equal(result.outcome, 'done');
      assert.equal(result.changed, false);
      const view = await assertRunning(site, 'cosdown', { main: v1 });
      const fresh = (await ledgerOf(site, 'cosdown')).slice(seen);
      assert.deepEqual(withAction(fresh, 'start').map((e) => e.outcome), ['ok']);
      const said = [
        result.error?.message,
        view.error?.message,
        serviceOf(view).checkError?.message,
        ...fresh.map((e) => e.detail),
      ].join(' ');
      assert.match(said, /unreachable|refused/i, 'the result, the app or the ledger says the check failed');
    } finally {
      await site.registry.resume();
    }
  });
});

describe('changes made behind Tagkeeper', () => {
  test('a container removed with the engine: degraded, missing; restart brings it back', async () => {
    const v1 = await publish(site, 'ext', '1', 'ext-v1');
    await createApp(site, 'ext', { main: ref('ext') });
    const id = serviceOf(await showApp(site, 'ext')).containerId as string;
    await site.docker.getContainer(id).remove({ force: true });
    const view = await showApp(site, 'ext');
    assert.equal(view.state, 'degraded');
    assert.equal(serviceOf(view).containerStatus, 'missing');

    const { code, stderr } = await op('restart', 'ext');
    assert.equal(code, 0, stderr);
    await assertRunning(site, 'ext', { main: v1 });
  });

  test('a container stopped with the engine: degraded, exited', async () => {
    await publish(site, 'extstop', '1', 'extstop-v1');
    await createApp(site, 'extstop', { main: ref('extstop') });
    const id = serviceOf(await showApp(site, 'extstop')).containerId as string;
    await site.docker.getContainer(id).stop({ t: 1 });
    const view = await showApp(site, 'extstop');
    assert.equal(view.state, 'degraded');
    assert.equal(serviceOf(view).containerStatus, 'exited');
  });
});
