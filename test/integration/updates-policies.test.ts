/**
 * What follows a check, by the device's and the apps' choice (issue 5): auto-apply (per app,
 * or the device default) approves at once and records it as such; prefetch downloads without
 * applying, so approving later downloads nothing, and `images prune` keeps the staged image;
 * offline mode sends nothing to the registry while every listing still answers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertRunning, createApp, ledgerOf, publish, snapshot, untouched, withAction,
} from '../helpers/lifecycle';
import { classify, useSite } from '../helpers/site';
import { appView, approve, checkJson, imageExists, reportJson, storedUpdates, updatesJson } from '../helpers/updates';
import type { ImageView, PrunePreview, PruneOutcome } from '../../main/api/types/images';
import type { AppView } from '../../main/api/types/app-view';

const site = useSite();

const ref = (repo: string) => `${site.registry.host}/${repo}:1`;
async function setting(key: string, value: string): Promise<void> {
  const out = await site.cli(['settings', 'set', key, value]);
  assert.equal(out.code, 0, `settings set ${key} ${value}: ${out.stderr}`);
}

describe('auto-apply', () => {
  test('an app with auto-apply on: the check applies its update, recorded as auto-apply', async () => {
    await publish(site, 'auto', '1', 'auto-v1');
    await createApp(site, 'auto', { main: ref('auto') });
    const set = await site.cli(['app', 'set', 'auto', '--auto-apply', 'on', '--json']);
    assert.equal(set.code, 0, set.stderr);
    const view = set.json<AppView>();
    assert.equal(view.autoApply, true);
    assert.equal(view.autoApplySource, 'app');
    const v2 = await publish(site, 'auto', '1', 'auto-v2');

    const check = await checkJson(site, ['auto']);
    assert.equal(check.followUp.applied.length, 1);
    const applied = check.followUp.applied[0];
    assert.ok('outcome' in applied && applied.outcome === 'done', JSON.stringify(applied));
    await assertRunning(site, 'auto', { main: v2 });
    const ledger = await ledgerOf(site, 'auto');
    const approvals = withAction(ledger, 'approve');
    assert.deepEqual(approvals.map((e) => [e.trigger, e.to?.manifestDigest]), [['auto-apply', v2.manifestDigest]]);
    assert.deepEqual(withAction(ledger, 'apply').map((e) => [e.service, e.trigger]), [['main', 'auto-apply'], [null, 'auto-apply']]);
    assert.deepEqual(withAction(ledger, 'configure').map((e) => e.detail), ['autoApply=true']);
    assert.deepEqual((await storedUpdates(site, 'auto')).map((r) => r.state), ['applied']);
  });

  test('the device default applies for apps without an override; an app set to off only gets a pending update', async () => {
    await publish(site, 'dflt', '1', 'dflt-v1');
    const off1 = await publish(site, 'manual', '1', 'manual-v1');
    await createApp(site, 'dflt', { main: ref('dflt') });
    await createApp(site, 'manual', { main: ref('manual') });
    assert.equal((await site.cli(['app', 'set', 'manual', '--auto-apply', 'off'])).code, 0);
    const manualBefore = await snapshot(site, 'manual');
    const d2 = await publish(site, 'dflt', '1', 'dflt-v2');
    const m2 = await publish(site, 'manual', '1', 'manual-v2');
    await setting('auto-apply', 'on');
    try {
      assert.equal((await appView(site, 'dflt')).autoApplySource, 'device');
      site.registry.clearRequests();
      const check = await checkJson(site, ['dflt', 'manual']);
      assert.deepEqual(check.followUp.applied.map((r) => r.app), ['dflt']);
      assert.deepEqual(check.followUp.errors, []);
      await assertRunning(site, 'dflt', { main: d2 });
      await assertRunning(site, 'manual', { main: off1 });
      assert.ok(untouched(manualBefore.main, (await snapshot(site, 'manual')).main));
      const waiting = (await updatesJson(site)).filter((u) => u.app === 'manual');
      assert.deepEqual(waiting.map((u) => u.to.manifestDigest), [m2.manifestDigest]);
      assert.equal(withAction(await ledgerOf(site, 'manual'), 'approve').length, 0);
      assert.deepEqual(withAction(await ledgerOf(site, 'dflt'), 'approve').map((e) => e.trigger), ['auto-apply']);
      const blobs = classify(await site.registry.settledRequests()).blobGets.map((r) => r.path);
      assert.ok(blobs.every((p) => p.startsWith('/v2/dflt/')), `only the auto-applied app downloaded: ${JSON.stringify(blobs)}`);
    } finally {
      await setting('auto-apply', 'off');
    }
    const reject = await site.cli(['updates', 'reject', 'manual']);
    assert.equal(reject.code, 0, reject.stderr);
  });

  test('auto-apply does not retry by itself a digest whose apply failed', async () => {
    await publish(site, 'flaky', '1', 'flaky-v1');
    await createApp(site, 'flaky', { main: ref('flaky') }, ['--restart', 'no']);
    const bad = await publish(site, 'flaky', '1', 'flaky-v2', { cmd: ['/bin/sh', '-c', 'exit 5'] });
    assert.equal((await site.cli(['app', 'set', 'flaky', '--auto-apply', 'on'])).code, 0);
    const first = await checkJson(site, ['flaky']);
    assert.equal(first.followUp.applied.length, 1);
    assert.ok('outcome' in first.followUp.applied[0] && first.followUp.applied[0].outcome === 'rolled-back');
    const second = await checkJson(site, ['flaky']);
    assert.deepEqual(second.pending.map((u) => u.to.manifestDigest), [bad.manifestDigest], 'proposed again, for a person');
    assert.deepEqual(second.followUp.applied, [], 'not applied again by itself');
    assert.deepEqual((await storedUpdates(site, 'flaky')).map((r) => r.state), ['failed', 'pending']);
    assert.equal(withAction(await ledgerOf(site, 'flaky'), 'approve').length, 1);
    assert.equal((await site.cli(['updates', 'reject', 'flaky'])).code, 0);
  });
});

describe('prefetch and prune', () => {
  test('prefetch downloads without applying; prune keeps the staged image; approving downloads nothing', async () => {
    const v1 = await publish(site, 'pf', '1', 'pf-v1');
    await createApp(site, 'pf', { main: ref('pf') });
    const before = await snapshot(site, 'pf');
    // An image nothing refers to: its app was deleted.
    const gone = await publish(site, 'gone', '1', 'gone-v1');
    await createApp(site, 'gone', { main: ref('gone') });
    assert.equal((await site.cli(['app', 'delete', 'gone'])).code, 0);
    const v2 = await publish(site, 'pf', '1', 'pf-v2', { filler: 50_000 });

    await setting('prefetch', 'on');
    try {
      const check = await checkJson(site, ['pf']);
      assert.equal(check.followUp.prefetched.length, 1);
      assert.deepEqual(check.followUp.applied, []);
      assert.equal(await imageExists(site, v2.configDigest), true, 'downloaded');
      await assertRunning(site, 'pf', { main: v1 });
      assert.ok(untouched(before.main, (await snapshot(site, 'pf')).main), 'not applied, not restarted');
      const rows = await storedUpdates(site, 'pf');
      assert.deepEqual(rows.map((r) => [r.state, r.imageId]), [['pending', v2.configDigest]]);
      const prefetches = withAction(await ledgerOf(site, 'pf'), 'prefetch');
      assert.deepEqual(prefetches.map((e) => [e.trigger, e.to?.manifestDigest, e.detail]), [['prefetch', v2.manifestDigest, 'downloaded in advance; not applied']]);

      const list = (await updatesJson(site)).filter((u) => u.app === 'pf');
      assert.equal(list.length, 1);
      assert.equal(list[0].imageId, v2.configDigest);
      assert.equal(list[0].newLayers, 0);
      assert.equal(list[0].newBytes, 0);
      assert.match(list[0].downloadSize ?? '', /^nothing to download/);

      const images = await site.cli(['images', '--json']);
      assert.equal(images.code, 0, images.stderr);
      const staged = images.json<ImageView[]>().find((i) => i.id === v2.configDigest);
      assert.ok(staged, 'images lists the staged image');
      assert.deepEqual(staged.uses.map((u) => [u.app, u.service, u.role]), [['pf', 'main', 'pending']]);
      assert.equal(staged.unused, false);
      const human = await site.cli(['images']);
      assert.match(human.stdout, /pf\/main \(pending\)/);

      // Exactly the images `images` calls unused go: the deleted app's (and what earlier cases left unreferenced).
      const unused = images.json<ImageView[]>().filter((i) => i.unused).map((i) => i.id).sort();
      assert.ok(unused.includes(gone.configDigest));
      const dry = await site.cli(['images', 'prune', '--dry-run', '--json']);
      assert.equal(dry.code, 0, dry.stderr);
      assert.deepEqual(dry.json<PrunePreview>().images.map((i) => i.id).sort(), unused);
      const pruned = await site.cli(['images', 'prune', '--json']);
      assert.equal(pruned.code, 0, pruned.stderr);
      assert.deepEqual(pruned.json<PruneOutcome>().removed.map((i) => i.id).sort(), unused);
      assert.equal(await imageExists(site, gone.configDigest), false);
      assert.equal(await imageExists(site, v2.configDigest), true, 'the staged image is kept');
      assert.equal(await imageExists(site, v1.configDigest), true, 'the running image is kept');

      site.registry.clearRequests();
      const { code, stderr, answer } = await approve(site, 'pf');
      assert.equal(code, 0, stderr);
      assert.equal(answer.result.outcome, 'done');
      assert.deepEqual(classify(await site.registry.settledRequests()).blobGets, [], 'approving a staged update downloads nothing');
      await assertRunning(site, 'pf', { main: v2 });
      assert.match(withAction(await ledgerOf(site, 'pf'), 'approve')[0].detail ?? '', /nothing to download/);
    } finally {
      await setting('prefetch', 'off');
    }
  });

  test('with prefetch off a check downloads nothing', async () => {
    await publish(site, 'nopf', '1', 'nopf-v1');
    await createApp(site, 'nopf', { main: ref('nopf') });
    const v2 = await publish(site, 'nopf', '1', 'nopf-v2');
    site.registry.clearRequests();
    const check = await checkJson(site, ['nopf']);
    assert.deepEqual(check.followUp.prefetched, []);
    assert.deepEqual(classify(await site.registry.settledRequests()).blobGets, []);
    assert.equal(await imageExists(site, v2.configDigest), false);
    assert.equal((await site.cli(['updates', 'reject', 'nopf'])).code, 0);
  });
});

describe('offline mode', () => {
  test('not one registry request, while updates, app list, report and images all answer', async () => {
    const v1 = await publish(site, 'off', '1', 'off-v1');
    await createApp(site, 'off', { main: ref('off') });
    const v2 = await publish(site, 'off', '1', 'off-v2');
    assert.equal((await checkJson(site, ['off'])).pending.length, 1);
    await setting('offline', 'on');
    try {
      site.registry.clearRequests();
      const list = (await updatesJson(site)).filter((u) => u.app === 'off');
      assert.equal(list.length, 1, 'the pending update is still listed');
      assert.equal(list[0].to.manifestDigest, v2.manifestDigest);
      assert.equal(list[0].newBytes, null, 'its size cannot be learned offline');
      assert.equal(list[0].sizeError?.code, 'offline');
      assert.match(list[0].sizeError?.message ?? '', /offline mode is on/);
      const human = await site.cli(['updates']);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /unknown: offline mode is on/);

      const apps = await site.cli(['app', 'list', '--json']);
      assert.equal(apps.code, 0, apps.stderr);
      assert.ok(apps.json<AppView[]>().some((a) => a.name === 'off' && a.state === 'running'));
      const report = await reportJson(site);
      assert.equal(report.settings.offline, true);
      assert.ok(report.pendingUpdates.some((u) => u.app === 'off'));
      const images = await site.cli(['images', '--json']);
      assert.equal(images.code, 0, images.stderr);
      assert.ok(images.json<ImageView[]>().some((i) => i.id === v1.configDigest));
      assert.equal((await site.cli(['app', 'show', 'off', '--json'])).code, 0);
      assert.equal((await site.cli(['ledger', 'off', '--json'])).code, 0);

      // Approving content that is not on the box would need the registry: refused plainly, nothing changes.
      const refused = await site.cli(['updates', 'approve', 'off']);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /offline mode is on/);
      await assertRunning(site, 'off', { main: v1 });
      assert.deepEqual((await storedUpdates(site, 'off')).map((r) => r.state), ['pending'], 'still waiting for a decision');

      assert.deepEqual(await site.registry.settledRequests(), [], 'not one request reached the registry');
    } finally {
      await setting('offline', 'off');
    }
  });

  test('a prefetched update can be approved offline: nothing to download', async () => {
    await publish(site, 'offpf', '1', 'offpf-v1');
    await createApp(site, 'offpf', { main: ref('offpf') });
    const v2 = await publish(site, 'offpf', '1', 'offpf-v2');
    await setting('prefetch', 'on');
    try {
      assert.equal((await checkJson(site, ['offpf'])).followUp.prefetched.length, 1);
    } finally {
      await setting('prefetch', 'off');
    }
    await setting('offline', 'on');
    try {
      site.registry.clearRequests();
      const { code, stderr, answer } = await approve(site, 'offpf');
      assert.equal(code, 0, stderr);
      assert.equal(answer.result.outcome, 'done');
      await assertRunning(site, 'offpf', { main: v2 });
      assert.deepEqual(await site.registry.settledRequests(), [], 'not one request reached the registry');
    } finally {
      await setting('offline', 'off');
    }
  });
});
