/**
 * Scheduled checks (issue 5) in the real `tagkeeper serve` process: with `check-interval`
 * set, a tag moved in the registry becomes a pending update by itself, recorded with the
 * trigger 'schedule', from manifest HEADs alone (nothing downloaded). The CLI hands its
 * requests to the running instance. Offline mode stops the scheduled checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, ledgerOf, publish, showApp, withAction } from '../helpers/lifecycle';
import { startServe, serveTargetOf, type ServedProcess } from '../helpers/serve';
import { stopBefore } from '../helpers/hooks';
import { classify, useSite } from '../helpers/site';
import { appView, eventually, imageExists, updatesJson } from '../helpers/updates';

const site = useSite();
let served: ServedProcess | undefined;
stopBefore(site, () => served?.stop());

const ref = (repo: string) => `${site.registry.host}/${repo}:1`;

test('a scheduled check finds a moved tag, HEAD only, and the update waits for a person', async () => {
  const v1 = await publish(site, 'sched', '1', 'sched-v1');
  await createApp(site, 'sched', { main: ref('sched') });
  served = await startServe(serveTargetOf(site));
  const set = await site.cli(['settings', 'set', 'check-interval', '5s', '--json']);
  assert.equal(set.code, 0, set.stderr);
  assert.equal(set.json<{ checkIntervalSeconds: number }>().checkIntervalSeconds, 5);

  const v2 = await publish(site, 'sched', '1', 'sched-v2');
  site.registry.clearRequests();
  // `app show` reads the store only (no registry traffic), so the registry log stays the check's.
  const pending = await eventually('a pending update from a scheduled check', async () => {
    const view = await appView(site, 'sched');
    return view.pendingUpdates.find((u) => u.to.manifestDigest === v2.manifestDigest);
  }, 40_000);
  assert.equal(pending.state, 'pending');
  assert.equal(pending.source, 'registry');
  assert.equal(pending.from?.manifestDigest, v1.manifestDigest);

  const requests = await site.registry.settledRequests();
  const { manifestHeads, manifestGets, blobGets } = classify(requests);
  assert.ok(manifestHeads.some((r) => r.path === '/v2/sched/manifests/1'), 'the scheduled check sent a HEAD');
  assert.deepEqual(manifestGets, [], 'no manifest body');
  assert.deepEqual(blobGets, [], 'no blob');
  assert.deepEqual(requests.filter((r) => r.method !== 'HEAD'), [], 'HEADs only');
  assert.equal(await imageExists(site, v2.configDigest), false, 'nothing downloaded');

  const checks = withAction(await ledgerOf(site, 'sched'), 'check').filter((e) => e.to?.manifestDigest === v2.manifestDigest);
  assert.equal(checks.length, 1, 'one ledger entry for the digest that changed');
  assert.equal(checks[0].trigger, 'schedule');
  assert.equal(checks[0].outcome, 'update-available');

  // Through the CLI, which hands off to the running instance.
  const list = await updatesJson(site);
  assert.deepEqual(list.map((u) => [u.app, u.service, u.to.manifestDigest, u.source]), [['sched', 'main', v2.manifestDigest, 'registry']]);
  assert.equal(list[0].newLayers, 1);
  const view = await showApp(site, 'sched');
  assert.equal(view.services[0].latched?.manifestDigest, v1.manifestDigest, 'not applied');
  assert.ok(served.child.exitCode === null, `serve still runs: ${served.stderr()}`);
  assert.doesNotMatch(served.stderr(), /scheduled check failed/);
});

test('offline mode stops the scheduled checks: no request over two intervals', async () => {
  assert.ok(served, 'serve runs from the previous case');
  const on = await site.cli(['settings', 'set', 'offline', 'on']);
  assert.equal(on.code, 0, on.stderr);
  try {
    await publish(site, 'sched', '1', 'sched-v3');
    site.registry.clearRequests();
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    assert.deepEqual(await site.registry.settledRequests(), [], 'no scheduled check reached the registry');
  } finally {
    assert.equal((await site.cli(['settings', 'set', 'offline', 'off'])).code, 0);
  }
});

test('an app with auto-apply on is updated by the scheduled check, recorded as auto-apply', async () => {
  assert.ok(served, 'serve runs from the first case');
  await publish(site, 'self', '1', 'self-v1');
  await createApp(site, 'self', { main: ref('self') }, ['--auto-apply']);
  const v2 = await publish(site, 'self', '1', 'self-v2');
  const view = await eventually('the scheduled check applying the update', async () => {
    const app = await appView(site, 'self');
    return app.services[0].latched?.manifestDigest === v2.manifestDigest && app.state === 'running' ? app : undefined;
  }, 40_000);
  assert.equal(view.autoApply, true);
  const ledger = await ledgerOf(site, 'self');
  assert.deepEqual(withAction(ledger, 'check').filter((e) => e.to?.manifestDigest === v2.manifestDigest).map((e) => e.trigger), ['schedule']);
  assert.deepEqual(withAction(ledger, 'approve').map((e) => [e.trigger, e.to?.manifestDigest]), [['auto-apply', v2.manifestDigest]]);
  assert.deepEqual(withAction(ledger, 'apply').map((e) => [e.service, e.outcome]), [['main', 'ok'], [null, 'ok']]);
  assert.deepEqual((await updatesJson(site)).filter((u) => u.app === 'self'), []);
});

test('check-interval refuses intervals under 5 s, and off turns the schedule off', async () => {
  const tooShort = await site.cli(['settings', 'set', 'check-interval', '2s']);
  assert.equal(tooShort.code, 2);
  assert.match(tooShort.stderr, /check-interval cannot be "2s"/);
  const off = await site.cli(['settings', 'set', 'check-interval', 'off', '--json']);
  assert.equal(off.code, 0, off.stderr);
  assert.equal(off.json<{ checkIntervalSeconds: number }>().checkIntervalSeconds, 0);
});
