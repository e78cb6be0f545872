/**
 * Pending updates through the real CLI against a real engine and registry (issue 5): a
 * check proposes without downloading; `updates` shows the download size from the manifest
 * alone; approving downloads exactly that and applies it, restarting only the changed
 * service and recording who approved; rejecting stops that digest from being proposed
 * again (a newer one still is); `app rollback` undoes an approval. The registry's access
 * log proves what was (and was not) downloaded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import {
  assertRunning, createApp, ledgerOf, operation, publish, serviceOf, snapshot, untouched, withAction,
} from '../helpers/lifecycle';
import { classify, useSite } from '../helpers/site';
import { approve, checkJson, digestOf, imageExists, reportJson, servedBlobs, storedUpdates, updatesJson } from '../helpers/updates';

const site = useSite();

const ref = (repo: string, tag = '1') => `${site.registry.host}/${repo}:${tag}`;
const me = userInfo().username;

test('check proposes, updates shows the size, approve applies only the changed service and records who approved', async () => {
  const a1 = await publish(site, 'ap-a', '1', 'ap-a-v1');
  const b1 = await publish(site, 'ap-b', '1', 'ap-b-v1');
  await createApp(site, 'ap', { a: ref('ap-a'), b: ref('ap-b') });
  const before = await snapshot(site, 'ap');
  const b2 = await publish(site, 'ap-b', '1', 'ap-b-v2', { filler: 200_000 });
  site.registry.clearRequests();

  // check: HEAD only, the update becomes pending, nothing is downloaded.
  const check = await checkJson(site);
  const statusOf = (service: string) => check.services.find((s) => s.app === 'ap' && s.service === service)?.status;
  assert.equal(statusOf('a'), 'up-to-date');
  assert.equal(statusOf('b'), 'update-available');
  assert.equal(check.pending.length, 1);
  assert.equal(check.pending[0].app, 'ap');
  assert.equal(check.pending[0].service, 'b');
  assert.equal(check.pending[0].state, 'pending');
  assert.equal(check.pending[0].to.manifestDigest, b2.manifestDigest);
  assert.deepEqual(check.followUp, { applied: [], prefetched: [], errors: [] }, 'auto-apply and prefetch are off by default');
  const afterCheck = classify(await site.registry.settledRequests());
  assert.deepEqual(afterCheck.blobGets, [], 'no blob downloaded by the check');
  assert.deepEqual(afterCheck.manifestGets, [], 'no manifest body fetched by the check (single-platform images)');
  assert.equal(afterCheck.manifestHeads.length, 2, 'one HEAD per distinct reference');
  assert.equal(await imageExists(site, b2.configDigest), false, 'the new image is not in the engine');

  // updates: the size, from one manifest GET; no blob.
  site.registry.clearRequests();
  const list = await updatesJson(site);
  assert.equal(list.length, 1);
  const u = list[0];
  assert.equal(u.app, 'ap');
  assert.equal(u.service, 'b');
  assert.deepEqual(u.from, { indexDigest: b1.manifestDigest, manifestDigest: b1.manifestDigest });
  assert.deepEqual(u.to, { indexDigest: b2.manifestDigest, manifestDigest: b2.manifestDigest });
  assert.equal(u.source, 'registry');
  assert.equal(u.state, 'pending');
  assert.ok(!Number.isNaN(Date.parse(u.foundAt)), `foundAt is a date: ${u.foundAt}`);
  assert.equal(u.newLayers, 1, 'the busybox base layer is on the box already');
  assert.equal(u.totalLayers, 2);
  assert.equal(u.newBytes, b2.layers[1].size);
  assert.equal(u.totalBytes, b2.layers[0].size + b2.layers[1].size);
  assert.match(u.downloadSize ?? '', /in 1 of 2 layers$/);
  assert.equal(u.sizeError, null);
  const preview = classify(await site.registry.settledRequests());
  assert.deepEqual(preview.blobGets, [], 'the preview downloads no blob');
  assert.deepEqual(preview.manifestGets.map(digestOf), [b2.manifestDigest], 'exactly one manifest GET, for the new digest');
  assert.equal(await imageExists(site, b2.configDigest), false);

  site.registry.clearRequests();
  assert.deepEqual((await updatesJson(site)).map((x) => x.newBytes), [u.newBytes], 'asking again gives the same size');
  assert.deepEqual(await site.registry.settledRequests(), [], 'and costs no request (manifests are cached by digest)');

  // approve: downloads what the preview said, applies, restarts b only.
  site.registry.clearRequests();
  const { code, stderr, answer } = await approve(site, 'ap');
  assert.equal(code, 0, stderr);
  assert.deepEqual(answer.approved.map((x) => [x.service, x.state, x.decidedBy]), [['b', 'approved', me]]);
  assert.equal(answer.result.kind, 'apply');
  assert.equal(answer.result.outcome, 'done');
  assert.equal(answer.result.changed, true);
  assert.equal(answer.result.error, null);
  const served = servedBlobs(await site.registry.settledRequests());
  const layerBytes = [...served].filter(([digest]) => digest !== b2.configDigest).reduce((sum, [, bytes]) => sum + bytes, 0);
  assert.equal(layerBytes, u.newBytes, `the preview's bytes are the layer bytes served: ${JSON.stringify([...served])}`);
  assert.deepEqual([...served.keys()].sort(), [b2.configDigest, b2.layers[1].digest].sort(), 'only the new layer and the config were downloaded');

  await assertRunning(site, 'ap', { a: a1, b: b2 });
  const after = await snapshot(site, 'ap');
  assert.ok(untouched(before.a, after.a), 'service a was not restarted');
  assert.ok(!untouched(before.b, after.b), 'service b was restarted');

  const ledger = await ledgerOf(site, 'ap');
  const approvals = withAction(ledger, 'approve');
  assert.equal(approvals.length, 1);
  assert.equal(approvals[0].service, 'b');
  assert.equal(approvals[0].actor, me);
  assert.equal(approvals[0].trigger, 'user');
  assert.equal(approvals[0].to?.manifestDigest, b2.manifestDigest);
  assert.match(approvals[0].detail ?? '', /^download: .* in 1 of 2 layers$/);
  const applies = withAction(ledger, 'apply');
  assert.deepEqual(applies.map((e) => [e.service, e.from?.manifestDigest ?? null, e.to?.manifestDigest ?? null, e.outcome]), [
    ['b', b1.manifestDigest, b2.manifestDigest, 'ok'],
    [null, null, null, 'ok'],
  ]);
  assert.ok(approvals[0].id < applies[0].id, 'the approval comes before the apply');

  assert.deepEqual(await updatesJson(site), [], 'nothing pending any more');
  assert.deepEqual((await reportJson(site)).pendingUpdates, []);
  const rows = await storedUpdates(site, 'ap');
  assert.deepEqual(rows.map((r) => [r.service, r.state, r.to.manifestDigest, r.decidedBy]), [['b', 'applied', b2.manifestDigest, me]]);

  site.registry.clearRequests();
  const again = await checkJson(site, ['ap']);
  assert.deepEqual(again.pending, [], 'an applied update is not proposed again');
  assert.deepEqual(again.services.map((s) => s.status), ['up-to-date', 'up-to-date']);
});

test('reject: recorded, not proposed again; a different digest under the tag is', async () => {
  const r1 = await publish(site, 'rj', '1', 'rj-v1');
  await createApp(site, 'rj', { main: ref('rj') });
  const before = await snapshot(site, 'rj');
  const r2 = await publish(site, 'rj', '1', 'rj-v2');
  assert.equal((await checkJson(site, ['rj'])).pending.length, 1);

  const out = await site.cli(['updates', 'reject', 'rj', '--json']);
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(out.json<{ rejected: { state: string }[] }>().rejected.map((x) => x.state), ['rejected']);
  const human = await site.cli(['updates', 'reject', 'rj']);
  assert.equal(human.code, 2, 'nothing left to reject is bad input');
  assert.match(human.stderr, /no pending update to reject for app rj/);

  const rejects = withAction(await ledgerOf(site, 'rj'), 'reject');
  assert.equal(rejects.length, 1);
  assert.equal(rejects[0].actor, me);
  assert.equal(rejects[0].to?.manifestDigest, r2.manifestDigest);
  assert.deepEqual(await updatesJson(site), []);

  const second = await checkJson(site, ['rj']);
  assert.equal(second.services[0].status, 'update-available', 'the registry still offers it');
  assert.deepEqual(second.pending, [], 'but the rejected digest is not proposed again');
  assert.deepEqual(await updatesJson(site), []);
  await assertRunning(site, 'rj', { main: r1 });
  assert.ok(untouched(before.main, (await snapshot(site, 'rj')).main));
  const noPending = await site.cli(['updates', 'approve', 'rj']);
  assert.equal(noPending.code, 2);
  assert.match(noPending.stderr, /no pending update to approve for app rj/);

  const r3 = await publish(site, 'rj', '1', 'rj-v3');
  const third = await checkJson(site, ['rj']);
  assert.deepEqual(third.pending.map((x) => x.to.manifestDigest), [r3.manifestDigest], 'a newer digest is proposed');
  const list = await updatesJson(site);
  assert.deepEqual(list.map((x) => [x.app, x.to.manifestDigest]), [['rj', r3.manifestDigest]]);
  const rows = await storedUpdates(site, 'rj');
  assert.deepEqual(rows.map((r) => [r.to.manifestDigest, r.state]), [
    [r2.manifestDigest, 'rejected'],
    [r3.manifestDigest, 'pending'],
  ]);
  const applied = await approve(site, 'rj');
  assert.equal(applied.code, 0, applied.stderr);
  await assertRunning(site, 'rj', { main: r3 });
});

test('app refresh leaves a rejected digest out and says so; the preview names it; --include-rejected takes it', async () => {
  const r1 = await publish(site, 'rjr', '1', 'rjr-v1');
  await createApp(site, 'rjr', { main: ref('rjr') });
  const before = await snapshot(site, 'rjr');
  const r2 = await publish(site, 'rjr', '1', 'rjr-v2', { filler: 100_000 });
  await checkJson(site, ['rjr']);
  assert.equal((await site.cli(['updates', 'reject', 'rjr'])).code, 0);

  // What the UI's "Update to latest…" shows first: the rejected digest, named, with its size; nothing downloaded.
  site.registry.clearRequests();
  const instance = site.open();
  const preview = await instance.client.call('apps:refresh-preview', { name: 'rjr' }).finally(() => instance.close());
  assert.deepEqual(preview.services.map((s) => [s.service, s.status, s.from?.manifestDigest, s.to?.manifestDigest, s.rejected]), [['main', 'update', r1.manifestDigest, r2.manifestDigest, true]]);
  assert.equal(preview.services[0].newBytes, r2.layers[1].size, 'only the new top layer is new to this box');
  assert.deepEqual(classify(await site.registry.settledRequests()).blobGets, [], 'the preview downloads no blob');
  assert.deepEqual(await updatesJson(site), [], 'and proposes nothing');

  site.registry.clearRequests();
  const kept = await operation(site, ['app', 'refresh', 'rjr']);
  assert.equal(kept.code, 0, kept.stderr);
  assert.equal(kept.result.changed, false);
  assert.equal(kept.result.restarted, false);
  assert.deepEqual(kept.result.services[0].skipped, { to: { indexDigest: r2.manifestDigest, manifestDigest: r2.manifestDigest }, reason: 'rejected' });
  assert.deepEqual(classify(await site.registry.settledRequests()).blobGets, [], 'nothing downloaded');
  await assertRunning(site, 'rjr', { main: r1 });
  assert.ok(untouched(before.main, (await snapshot(site, 'rjr')).main), 'not restarted');
  const human = await site.cli(['app', 'refresh', 'rjr']);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, new RegExp(`main: unchanged sha256:${r1.manifestDigest.slice(7, 19)} \\(sha256:${r2.manifestDigest.slice(7, 19)} was rejected: left out; --include-rejected takes it\\)`));
  assert.match(withAction(await ledgerOf(site, 'rjr'), 'refresh').at(-1)?.detail ?? '', /rejected digest left out for main/);

  const taken = await operation(site, ['app', 'refresh', 'rjr', '--include-rejected']);
  assert.equal(taken.code, 0, taken.stderr);
  assert.equal(taken.result.changed, true);
  assert.equal(taken.result.services[0].skipped, undefined);
  await assertRunning(site, 'rjr', { main: r2 });
});

test('app rollback after an approval goes back to the digests from before it', async () => {
  const v1 = await publish(site, 'rba', '1', 'rba-v1');
  await createApp(site, 'rba', { main: ref('rba') });
  const v2 = await publish(site, 'rba', '1', 'rba-v2');
  await checkJson(site, ['rba']);
  const applied = await approve(site, 'rba');
  assert.equal(applied.code, 0, applied.stderr);
  const view = await assertRunning(site, 'rba', { main: v2 });
  assert.equal(serviceOf(view).previous?.manifestDigest, v1.manifestDigest, 'the digest from before the approval is kept');
  site.registry.clearRequests();

  const back = await operation(site, ['app', 'rollback', 'rba']);
  assert.equal(back.code, 0, back.stderr);
  assert.equal(back.result.kind, 'rollback');
  assert.equal(back.result.outcome, 'done');
  assert.deepEqual(await site.registry.settledRequests(), [], 'a rollback asks no registry');
  await assertRunning(site, 'rba', { main: v1 });
  const rollbacks = withAction(await ledgerOf(site, 'rba'), 'rollback').filter((e) => e.service === 'main');
  assert.deepEqual(rollbacks.map((e) => [e.from?.manifestDigest, e.to?.manifestDigest, e.actor]), [[v2.manifestDigest, v1.manifestDigest, me]]);

  // The approved row stays applied (history); the next check offers the tag's digest again.
  assert.deepEqual((await storedUpdates(site, 'rba')).map((r) => r.state), ['applied']);
  const check = await checkJson(site, ['rba']);
  assert.deepEqual(check.pending.map((x) => x.to.manifestDigest), [v2.manifestDigest], 'rolled back from: proposed again until rejected');
});

test('approve --service applies only that service; approving an unknown service is bad input', async () => {
  const x1 = await publish(site, 'svc-x', '1', 'svc-x-v1');
  const y1 = await publish(site, 'svc-y', '1', 'svc-y-v1');
  await createApp(site, 'svc', { x: ref('svc-x'), y: ref('svc-y') });
  const x2 = await publish(site, 'svc-x', '1', 'svc-x-v2');
  const y2 = await publish(site, 'svc-y', '1', 'svc-y-v2');
  assert.equal((await checkJson(site, ['svc'])).pending.length, 2);
  const before = await snapshot(site, 'svc');

  const wrong = await site.cli(['updates', 'approve', 'svc', '--service', 'zz']);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /app svc has no service named "zz"/);

  const run = await approve(site, 'svc', ['--service', 'y']);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(run.answer.approved.map((x) => x.service), ['y']);
  await assertRunning(site, 'svc', { x: x1, y: y2 });
  assert.ok(untouched(before.x, (await snapshot(site, 'svc')).x), 'x was not restarted');
  const left = (await updatesJson(site)).filter((u) => u.app === 'svc');
  assert.deepEqual(left.map((u) => [u.service, u.to.manifestDigest]), [['x', x2.manifestDigest]], "x's update still waits");
  assert.notEqual(y1.manifestDigest, y2.manifestDigest);
});

test('app refresh with a pending update: the refresh is the approval; a row for another digest is superseded', async () => {
  await publish(site, 'rf', '1', 'rf-v1');
  await createApp(site, 'rf', { main: ref('rf') });
  const v2 = await publish(site, 'rf', '1', 'rf-v2');
  await checkJson(site, ['rf']);
  const first = await operation(site, ['app', 'refresh', 'rf']);
  assert.equal(first.code, 0, first.stderr);
  await assertRunning(site, 'rf', { main: v2 });
  assert.deepEqual((await storedUpdates(site, 'rf')).map((r) => [r.to.manifestDigest, r.state, r.reason]), [[v2.manifestDigest, 'applied', 'applied by a refresh']]);

  const v3 = await publish(site, 'rf', '1', 'rf-v3');
  await checkJson(site, ['rf']);
  const v4 = await publish(site, 'rf', '1', 'rf-v4');
  const second = await operation(site, ['app', 'refresh', 'rf']);
  assert.equal(second.code, 0, second.stderr);
  await assertRunning(site, 'rf', { main: v4 });
  const rows = await storedUpdates(site, 'rf');
  assert.deepEqual(rows.map((r) => [r.to.manifestDigest, r.state, r.reason]), [
    [v2.manifestDigest, 'applied', 'applied by a refresh'],
    [v3.manifestDigest, 'superseded', `a refresh moved the service to ${v4.manifestDigest}`],
  ]);
  assert.deepEqual((await updatesJson(site)).filter((u) => u.app === 'rf'), []);
  const ledger = await ledgerOf(site, 'rf');
  assert.equal(withAction(ledger, 'approve').length, 0, 'a refresh records itself, not an approval');
  assert.deepEqual(withAction(ledger, 'refresh').map((e) => [e.actor, e.outcome]), [[me, 'ok'], [me, 'ok']]);
  assert.deepEqual(
    withAction(ledger, 'apply').filter((e) => e.service === 'main').map((e) => [e.to?.manifestDigest, e.detail]),
    [[v2.manifestDigest, 'the refresh request was the approval'], [v4.manifestDigest, 'the refresh request was the approval']],
  );
});

for (const point of ['before-download', 'during-switch', 'after-switch'] as const) {
  test(`an approval killed at ${point} is finished by resume, once, touching only the changed service`, async () => {
    const name = `crash-${point}`;
    const a1 = await publish(site, `${name}-a`, '1', `${name}-a-v1`);
    await publish(site, `${name}-b`, '1', `${name}-b-v1`);
    await createApp(site, name, { a: ref(`${name}-a`), b: ref(`${name}-b`) });
    const before = await snapshot(site, name);
    const b2 = await publish(site, `${name}-b`, '1', `${name}-b-v2`);
    await checkJson(site, [name]);

    const killed = await site.cli(['updates', 'approve', name, '--json'], { TAGKEEPER_CRASH_AT: point });
    assert.notEqual(killed.code, 0, `approve should have been killed at ${point}: ${killed.stdout}`);
    const waiting = (await updatesJson(site)).filter((u) => u.app === name);
    assert.deepEqual(waiting.map((u) => [u.service, u.state]), [['b', 'approved']], 'approved, being applied');

    const out = await site.cli(['resume', '--json']);
    assert.equal(out.code, 0, out.stderr);
    const resumed = out.json<{ resumed: { app: string; kind: string; outcome: string }[] }>().resumed.filter((r) => r.app === name);
    assert.deepEqual(resumed.map((r) => [r.kind, r.outcome]), [['apply', 'done']]);
    await assertRunning(site, name, { a: a1, b: b2 });
    assert.ok(untouched(before.a, (await snapshot(site, name)).a), 'service a was never restarted');
    assert.deepEqual((await storedUpdates(site, name)).map((r) => r.state), ['applied']);
    const ledger = await ledgerOf(site, name);
    assert.equal(withAction(ledger, 'approve').length, 1);
    assert.deepEqual(withAction(ledger, 'apply').map((e) => [e.service, e.outcome]), [['b', 'ok'], [null, 'ok']], 'applied once');
    const again = await site.cli(['resume', '--json']);
    assert.deepEqual(again.json<{ resumed: { app: string }[] }>().resumed.filter((r) => r.app === name), [], 'nothing left to resume');
  });
}
