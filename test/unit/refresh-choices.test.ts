/**
 * Issue 14 in the core, on the fake box: a refresh (and a check on start) leaves out a digest
 * rejected for a drive unless the request includes it; a refresh may move only some drives;
 * the preview of a refresh says per drive what it would move to, whether that was rejected
 * and what it costs, and records nothing; after a rollback the app says where it came back
 * from (not "update available") and proposing that again goes through the approval; a create
 * whose reference cannot be had records nothing, one that fails later says it was created.
 * The same behaviour against a real engine and registry: test/integration/refresh-choices.test.ts.
 */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { TagkeeperError } from '../../main/api/errors';
import type { OperationResult } from '../../main/api/types/operations';
import { canJoin, mergeFlags, NO_FLAGS } from '../../main/core/operations/operation-flags';
import { FakeBox, type FakeProcess } from '../helpers/fake-deps';

const A = 'registry.test/shop/a:1';
const B = 'registry.test/shop/b:1';

/** App shop with services a and b, running their first builds. */
async function shop(t: TestContext): Promise<{ box: FakeBox; proc: FakeProcess; a1: string; b1: string }> {
  const box = FakeBox.for(t);
  const a1 = box.publish(A).manifestDigest;
  const b1 = box.publish(B).manifestDigest;
  const proc = box.start();
  await proc.client.call('apps:create', { name: 'shop', services: [{ name: 'a', image: A }, { name: 'b', image: B }] });
  return { box, proc, a1, b1 };
}

const latched = async (proc: FakeProcess, service: string) =>
  (await proc.client.call('apps:show', { name: 'shop' })).services.find((s) => s.name === service)?.latched?.manifestDigest;

const refresh = async (proc: FakeProcess, request: { services?: string[]; includeRejected?: boolean } = {}) =>
  (await proc.client.call('apps:refresh', { name: 'shop', ...request })) as OperationResult;

/** Both tags moved; the new digest of a is found by a check and rejected. */
async function rejectedA(t: TestContext) {
  const site = await shop(t);
  const a2 = site.box.publish(A).manifestDigest;
  const b2 = site.box.publish(B).manifestDigest;
  await site.proc.client.call('images:check', { apps: ['shop'] });
  await site.proc.client.call('updates:reject', { app: 'shop', service: 'a' });
  return { ...site, a2, b2 };
}

describe('rejected digests and refresh', () => {
  test('a refresh leaves a rejected digest out, says so, and takes the rest', async (t) => {
    const { proc, a1, a2, b2 } = await rejectedA(t);
    const result = await refresh(proc);
    assert.equal(result.outcome, 'done');
    const a = result.services.find((s) => s.name === 'a')!;
    assert.deepEqual([a.changed, a.to.manifestDigest, a.skipped], [false, a1, { to: { indexDigest: a2, manifestDigest: a2 }, reason: 'rejected' }]);
    assert.deepEqual(result.services.find((s) => s.name === 'b')?.changed, true);
    assert.equal(await latched(proc, 'a'), a1, 'a keeps what it runs');
    assert.equal(await latched(proc, 'b'), b2);
    const line = proc.store.listLedger({ app: 'shop' }).filter((e) => e.action === 'refresh').at(-1);
    assert.match(line?.detail ?? '', /1 of 2 services changed; rejected digest left out for a/);
  });

  test('includeRejected takes it', async (t) => {
    const { proc, a2 } = await rejectedA(t);
    const result = await refresh(proc, { includeRejected: true });
    assert.equal(result.services.find((s) => s.name === 'a')?.changed, true);
    assert.equal(result.services.find((s) => s.name === 'a')?.skipped, undefined);
    assert.equal(await latched(proc, 'a'), a2);
  });

  test('services: only the chosen drives move (their rejected digests only when included)', async (t) => {
    const { proc, a1, b1, a2 } = await rejectedA(t);
    const onlyB = await refresh(proc, { services: ['a'] });
    assert.deepEqual(onlyB.services.map((s) => [s.name, s.changed]), [['a', false], ['b', false]]);
    assert.deepEqual([await latched(proc, 'a'), await latched(proc, 'b')], [a1, b1], 'b was not chosen; a was rejected');
    await refresh(proc, { services: ['a'], includeRejected: true });
    assert.deepEqual([await latched(proc, 'a'), await latched(proc, 'b')], [a2, b1]);
    await assert.rejects(refresh(proc, { services: ['zz'] }), (e: unknown) => e instanceof TagkeeperError && e.code === 'invalid-input' && /no service named "zz"/.test(e.message));
  });

  test('a check on start leaves a rejected digest out too', async (t) => {
    const { proc, a1, b2 } = await rejectedA(t);
    await proc.client.call('apps:configure', { name: 'shop', checkOnStart: true });
    await proc.client.call('apps:stop', { name: 'shop' });
    const started = (await proc.client.call('apps:start', { name: 'shop' })) as OperationResult;
    assert.equal(started.outcome, 'done');
    assert.deepEqual([await latched(proc, 'a'), await latched(proc, 'b')], [a1, b2]);
  });
});

describe('the preview of a refresh', () => {
  test('per drive: from → to, rejected or not, the size; nothing recorded, nothing downloaded', async (t) => {
    const { box, proc, a1, b1, a2, b2 } = await rejectedA(t);
    const ledger = proc.store.listLedger({ app: 'shop' }).length;
    const updates = JSON.stringify(proc.store.listPendingUpdates({ app: 'shop' }));
    const engineCalls = box.engine.calls.length;
    const preview = await proc.client.call('apps:refresh-preview', { name: 'shop' });
    assert.deepEqual(preview.services.map((s) => [s.service, s.from?.manifestDigest, s.to?.manifestDigest, s.status, s.rejected]), [
      ['a', a1, a2, 'update', true],
      ['b', b1, b2, 'update', false],
    ]);
    assert.deepEqual(preview.services.map((s) => [s.newLayers, s.totalLayers, s.downloadSize]), [[1, 1, '1.0 kB in 1 of 1 layers'], [1, 1, '1.0 kB in 1 of 1 layers']]);
    assert.equal(proc.store.listLedger({ app: 'shop' }).length, ledger, 'no ledger entry');
    assert.equal(JSON.stringify(proc.store.listPendingUpdates({ app: 'shop' })), updates, 'no pending update touched');
    assert.equal(box.engine.calls.length, engineCalls, 'the engine was not changed');
    assert.deepEqual([await latched(proc, 'a'), await latched(proc, 'b')], [a1, b1]);
  });

  test('pinned and up-to-date drives; offline mode refuses in one line', async (t) => {
    const box = FakeBox.for(t);
    const a1 = box.publish(A).manifestDigest;
    const proc = box.start();
    await proc.client.call('apps:create', { name: 'pin', services: [{ name: 'a', image: A }, { name: 'p', image: `registry.test/shop/a@${a1}` }] });
    const preview = await proc.client.call('apps:refresh-preview', { name: 'pin' });
    assert.deepEqual(preview.services.map((s) => [s.service, s.status, s.to?.manifestDigest ?? null, s.downloadSize]), [['a', 'up-to-date', a1, null], ['p', 'pinned', null, null]]);
    await proc.client.call('settings:set', { key: 'offline', value: 'on' });
    await assert.rejects(proc.client.call('apps:refresh-preview', { name: 'pin' }), /offline mode is on: asking what app pin would update to would need the registry/);
  });
});

describe('after a rollback', () => {
  test('the app says where it came back from, not "update available"; proposing it again goes through the approval', async (t) => {
    const { box, proc, a1 } = await shop(t);
    const a2 = box.publish(A).manifestDigest;
    await proc.client.call('images:check', { apps: ['shop'] }); // as on the Apps screen: Check shows the update
    await refresh(proc);
    const back = (await proc.client.call('apps:rollback', { name: 'shop' })) as OperationResult;
    assert.equal(back.outcome, 'done');
    const view = await proc.client.call('apps:show', { name: 'shop' });
    const a = view.services.find((s) => s.name === 'a')!;
    assert.deepEqual(a.rolledBackFrom, { indexDigest: a2, manifestDigest: a2 });
    assert.equal(a.latched?.manifestDigest, a1);
    assert.equal(a.available?.manifestDigest, a2, 'the registry still offers it');
    assert.equal(a.updateAvailable, false, 'not an update waiting with nothing in Updates');
    assert.equal(view.services.find((s) => s.name === 'b')?.rolledBackFrom, null, 'b did not move');
    assert.deepEqual(view.pendingUpdates, []);

    const { proposed } = await proc.client.call('updates:repropose', { app: 'shop' });
    assert.deepEqual(proposed.map((u) => [u.service, u.from?.manifestDigest, u.to.manifestDigest, u.state, u.imageId !== null]), [['a', a1, a2, 'pending', true]]);
    const [listed] = await proc.client.call('updates:list', { app: 'shop' });
    assert.equal(listed.newLayers, 0, 'still on the box: nothing to download');
    const pulls = box.engine.calls.filter((c) => c.method === 'pullImage').length;
    const approved = await proc.client.call('updates:approve', { app: 'shop' });
    assert.equal((approved.result as OperationResult).outcome, 'done');
    assert.equal(box.engine.calls.filter((c) => c.method === 'pullImage').length, pulls, 'nothing downloaded');
    const again = await proc.client.call('apps:show', { name: 'shop' });
    assert.equal(again.services.find((s) => s.name === 'a')?.latched?.manifestDigest, a2);
    assert.equal(again.services.find((s) => s.name === 'a')?.rolledBackFrom, null);
    assert.equal(proc.store.listLedger({ app: 'shop' }).filter((e) => e.action === 'approve').length, 1, 'recorded as an approval');
    await assert.rejects(proc.client.call('updates:repropose', { app: 'shop' }), /app shop was not rolled back: there is nothing to re-apply/);
  });
});

describe('a create that fails', () => {
  test('a reference the registry does not know: not created, nothing recorded, the name stays free', async (t) => {
    const box = FakeBox.for(t);
    const proc = box.start();
    await assert.rejects(
      proc.client.call('apps:create', { name: 'web', services: [{ name: 'main', image: 'registry.test/nope:1' }] }),
      (e: unknown) => e instanceof TagkeeperError && e.code === 'manifest-unknown' && e.message.startsWith('app web was not created: service main: no manifest for') && e.createdApp === undefined,
    );
    assert.deepEqual(await proc.client.call('apps:list', {}), []);
    assert.deepEqual(proc.store.listLedger({ app: 'web' }), [], 'nothing recorded');
    box.publish('registry.test/nope:1');
    await proc.client.call('apps:create', { name: 'web', services: [{ name: 'main', image: 'registry.test/nope:1' }] });
  });

  test('a download that fails after the check: created, but it failed to start, and the error names the app', async (t) => {
    const box = FakeBox.for(t);
    box.registry.push('registry.test/lost:1', `sha256:${'9'.repeat(64)}`); // the registry names it; the engine cannot pull it
    const proc = box.start();
    await assert.rejects(
      proc.client.call('apps:create', { name: 'web', services: [{ name: 'main', image: 'registry.test/lost:1' }] }),
      (e: unknown) => e instanceof TagkeeperError && e.createdApp === 'web' && /^app web was created, but it failed to start: service main: /.test(e.message) && /tagkeeper app delete web frees the name/.test(e.hint ?? ''),
    );
    const [view] = await proc.client.call('apps:list', {});
    assert.deepEqual([view.name, view.state], ['web', 'failed']);
  });
});

describe('merging refresh requests', () => {
  const refreshOf = (only?: string[], includeRejected?: string[]) => ({ ...NO_FLAGS, refresh: true, ...(only ? { only } : {}), ...(includeRejected ? { includeRejected } : {}) });
  test('a refresh of every drive wins; lists are joined; a restart has no say', () => {
    assert.deepEqual(mergeFlags(refreshOf(['a']), refreshOf(['b'], ['b'])), { ...refreshOf(['a', 'b'], ['b']) });
    assert.deepEqual(mergeFlags(refreshOf(['a']), refreshOf()), refreshOf());
    assert.deepEqual(mergeFlags(refreshOf(['a']), { ...NO_FLAGS, restart: true }), { ...refreshOf(['a']), restart: true });
  });
  test('a running refresh takes another only if it asks for no more drives or rejected digests', () => {
    const running = { kind: 'update' as const, state: 'running' as const, phase: 'downloading' as const, flags: refreshOf(['a']) };
    assert.equal(canJoin(running, 'update', refreshOf(['a'])), true);
    assert.equal(canJoin(running, 'update', refreshOf(['a', 'b'])), false);
    assert.equal(canJoin(running, 'update', refreshOf()), false);
    assert.equal(canJoin(running, 'update', refreshOf(['a'], ['a'])), false);
    assert.equal(canJoin(running, 'update', { ...NO_FLAGS, restart: true }), true);
  });
});
