/**
 * Approved updates whose new containers do not stay up roll back by themselves (issue 5):
 * a command that exits at once, a health check that fails, an exit within the configurable
 * grace period (`settings set start-grace`). The app keeps running its old digests, the
 * pending update is marked failed with the reason, and the ledger says what happened. A
 * healthy new container is applied.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertRunning, createApp, ledgerOf, publish, serviceOf, showApp, snapshot, withAction,
} from '../helpers/lifecycle';
import { useSite } from '../helpers/site';
import type { PendingUpdate } from '../../main/api/types/updates';
import { appView, approve, checkJson, reportJson, storedUpdates, updatesJson } from '../helpers/updates';
import type { BuiltImage } from '../helpers/image-builder';

const site = useSite();

const ref = (repo: string) => `${site.registry.host}/${repo}:1`;
/** The device setting decides the grace period when TAGKEEPER_START_GRACE_MS is empty. */
const USE_SETTING = { TAGKEEPER_START_GRACE_MS: '' };

/** An app on `v1`, the tag moved to an image built with `next`, the update pending. */
async function pendingApp(name: string, next: Parameters<typeof publish>[4], extra: string[] = []): Promise<{ v1: BuiltImage; v2: BuiltImage }> {
  const v1 = await publish(site, name, '1', `${name}-v1`);
  await createApp(site, name, { main: ref(name) }, extra);
  const v2 = await publish(site, name, '1', `${name}-v2`, next);
  const check = await checkJson(site, [name]);
  assert.deepEqual(check.pending.map((u) => u.to.manifestDigest), [v2.manifestDigest]);
  return { v1, v2 };
}

/** Approve; expect the automatic rollback; return the error message it reported. */
async function expectRolledBack(name: string, v1: BuiltImage, v2: BuiltImage, env: Record<string, string> = {}): Promise<string> {
  const before = await snapshot(site, name);
  const { code, answer } = await approve(site, name, [], env);
  assert.equal(code, 1, 'a rolled-back apply exits 1');
  assert.equal(answer.result.kind, 'apply');
  assert.equal(answer.result.outcome, 'rolled-back');
  assert.equal(answer.result.changed, false);
  assert.ok(answer.result.error, 'the result says why');
  const reason = answer.result.error.message;

  const view = await assertRunning(site, name, { main: v1 });
  const after = await snapshot(site, name);
  assert.equal(after.main.id, before.main.id, 'the old container runs again');
  assert.equal(serviceOf(view).latched?.manifestDigest, v1.manifestDigest, 'still latched to the old digest');

  const rows = await storedUpdates(site, name);
  assert.deepEqual(rows.map((r) => [r.to.manifestDigest, r.state, r.reason]), [[v2.manifestDigest, 'failed', reason]], 'the update is failed, with the reason');
  const listed = await site.cli(['updates', '--all', '--app', name, '--json']);
  assert.deepEqual(listed.json<PendingUpdate[]>().map((r) => [r.to.manifestDigest, r.state, r.reason]), [[v2.manifestDigest, 'failed', reason]], 'updates --all shows it');

  const ledger = await ledgerOf(site, name);
  const drive = withAction(ledger, 'rollback');
  assert.equal(drive.length, 1);
  assert.equal(drive[0].service, 'main');
  assert.equal(drive[0].from?.manifestDigest, v2.manifestDigest);
  assert.equal(drive[0].to?.manifestDigest, v1.manifestDigest);
  assert.match(drive[0].detail ?? '', /^automatic/);
  const applies = withAction(ledger, 'apply');
  assert.deepEqual(applies.map((e) => [e.service, e.outcome, e.detail]), [[null, 'rolled-back', reason]], 'the apply is recorded as rolled back, with the reason');
  assert.equal(withAction(ledger, 'approve').length, 1, 'the approval itself stays recorded');

  const report = await reportJson(site);
  assert.deepEqual(report.pendingUpdates.filter((u) => u.app === name), [], 'nothing left open');
  assert.ok(report.history.some((e) => e.app === name && e.action === 'apply' && e.outcome === 'rolled-back' && e.detail === reason), 'the report carries it');
  return reason;
}

test('an image whose command exits at once is rolled back, and its update is failed', async () => {
  // The default restart policy (unless-stopped) has the engine restart it: caught as such.
  const { v1, v2 } = await pendingApp('quits', { cmd: ['/bin/sh', '-c', 'exit 3'] });
  const reason = await expectRolledBack('quits', v1, v2);
  assert.match(reason, /service main of app quits keeps restarting right after it started/);

  // The failed digest is offered again by the next check (a person may retry or reject it).
  const again = await checkJson(site, ['quits']);
  assert.deepEqual(again.pending.map((u) => [u.to.manifestDigest, u.state]), [[v2.manifestDigest, 'pending']]);
  assert.deepEqual((await updatesJson(site)).filter((u) => u.app === 'quits').length, 1);
});

test('with restart policy "no", the exit code is the reason', async () => {
  const { v1, v2 } = await pendingApp('quits-once', { cmd: ['/bin/sh', '-c', 'exit 3'] }, ['--restart', 'no']);
  const reason = await expectRolledBack('quits-once', v1, v2);
  assert.match(reason, /service main of app quits-once exited with code 3 right after it started/);
});

test('a running container that turns unhealthy is rolled back', async () => {
  const { v1, v2 } = await pendingApp('sick', { healthcheck: { test: ['CMD-SHELL', 'exit 1'], intervalSeconds: 1, timeoutSeconds: 1, retries: 1 } });
  const reason = await expectRolledBack('sick', v1, v2);
  assert.match(reason, /service main of app sick failed its health check/);
});

test('a container that reports healthy is applied', async () => {
  const { v2 } = await pendingApp('well', { healthcheck: { test: ['CMD-SHELL', 'test -f /etc/tagkeeper-marker'], intervalSeconds: 1, timeoutSeconds: 1, retries: 2 } });
  const { code, stderr, answer } = await approve(site, 'well');
  assert.equal(code, 0, stderr);
  assert.equal(answer.result.outcome, 'done');
  await assertRunning(site, 'well', { main: v2 });
  assert.equal((await appView(site, 'well')).services[0].health, 'healthy', 'it waited for the health check to pass');
  assert.deepEqual((await storedUpdates(site, 'well')).map((r) => r.state), ['applied']);
});

test('start-grace: an exit within the grace period rolls back; after it, the apply stands', async () => {
  // Exits 3 s after it starts: inside a 8 s grace period, outside a 1 s one.
  const late = { cmd: ['/bin/sh', '-c', 'sleep 3; exit 4'] };
  const { v1, v2 } = await pendingApp('grace', late, ['--restart', 'no']);
  assert.equal((await site.cli(['settings', 'set', 'start-grace', '8s'])).code, 0);
  try {
    const reason = await expectRolledBack('grace', v1, v2, USE_SETTING);
    assert.match(reason, /service main of app grace exited with code 4 right after it started/);

    assert.equal((await site.cli(['settings', 'set', 'start-grace', '1s'])).code, 0);
    const settings = await site.cli(['settings', 'show', '--json']);
    assert.equal(settings.json<{ startGraceSeconds: number }>().startGraceSeconds, 1);
    const again = await checkJson(site, ['grace']);
    assert.equal(again.pending.length, 1, 'the failed digest is proposed again');
    const { code, stderr, answer } = await approve(site, 'grace', [], USE_SETTING);
    assert.equal(code, 0, stderr);
    assert.equal(answer.result.outcome, 'done', 'it stayed up for the whole 1 s grace period');
    assert.equal(serviceOf(await showApp(site, 'grace')).latched?.manifestDigest, v2.manifestDigest);
    assert.deepEqual((await storedUpdates(site, 'grace')).map((r) => r.state), ['failed', 'applied']);
  } finally {
    await site.cli(['settings', 'set', 'start-grace', '5s']);
  }
});

test('start-grace rejects what is not a duration, and changes nothing', async () => {
  const out = await site.cli(['settings', 'set', 'start-grace', 'soon']);
  assert.equal(out.code, 2);
  assert.match(out.stderr, /start-grace cannot be "soon"/);
  const settings = await site.cli(['settings', 'show', '--json']);
  assert.equal(settings.json<{ startGraceSeconds: number }>().startGraceSeconds, 5);
});
