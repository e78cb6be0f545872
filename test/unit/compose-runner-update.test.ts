/**
 * compose:update on the fake engine: one durable operation that replaces only the services
 * whose container must change (the engine's call log shows the others were never touched),
 * adds and drops services, networks and volumes, resolves and latches a changed tag as a new
 * drive, and goes back to the old containers — definition and latches unchanged — when a new
 * container does not stay up. Nothing to change records no operation. The same scenarios run
 * on a real engine in test/integration/compose-apps.test.ts.
 */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL } from '../../main/core/apps/app-topology';
import type { OperationResult } from '../../main/api/types/operations';
import { FakeBox } from '../helpers/fake-deps';
import { FILE, assertConsistent, changesTo, containersBy, createComposeApp, idsBy, updateComposeApp } from '../helpers/fake-compose-app';

interface Service {
  tag?: string;
  env?: string;
  more?: string;
}

/** Services a, b, c as asked (a and b by default), each with its tag, its X and more lines. */
function shop(services: Record<string, Service> = { a: {}, b: {} }, tail = ''): string {
  const lines = Object.entries(services).map(([name, s]) =>
    `  ${name}:\n    image: registry.test/shop/${name}:${s.tag ?? '1'}\n    environment: {X: "${s.env ?? '1'}"}\n${s.more ?? ''}`,
  );
  return `services:\n${lines.join('')}${tail}`;
}

async function created(t: TestContext, yaml = shop(), setUp?: (box: FakeBox) => void) {
  const box = FakeBox.for(t);
  const v1 = Object.fromEntries(['a', 'b', 'c', 'd', 'm'].map((s) => [s, box.publish(`registry.test/shop/${s}:1`)]));
  setUp?.(box);
  const proc = box.start();
  await createComposeApp(box, proc, yaml);
  return { box, proc, v1, mark: box.engine.calls.length, before: idsBy(box), hash: proc.store.getApp('shop')!.compose!.hash };
}

const resultOf = (answer: { result: unknown }) => answer.result as OperationResult;

test("an environment change replaces only that service's container; the others are never touched", async (t) => {
  const { box, proc, mark, before, hash } = await created(t);
  const answer = await updateComposeApp(box, proc, shop({ a: { env: '2' }, b: {} }));
  assert.deepEqual(answer.changes.services, [{ name: 'a', change: 'changed', reasons: ['environment'] }, { name: 'b', change: 'unchanged', reasons: [] }]);
  const result = resultOf(answer);
  assert.deepEqual([result.kind, result.outcome, result.error], ['update', 'done', null]);
  const after = idsBy(box);
  assert.notEqual(after.a, before.a);
  assert.equal(after.b, before.b);
  assert.deepEqual(changesTo(box, before.b, mark), [], 'b was not stopped, renamed, restarted or removed');
  assert.deepEqual(changesTo(box, before.a, mark), ['renameContainer', 'stopContainer', 'removeContainer'], 'a was set aside, then removed once the new one stayed up');
  const a = containersBy(box).a;
  assert.deepEqual(a.config.environment, { X: '2' });
  assert.equal(a.labels[LABEL.operation], String(result.operation), 'made by the operation');
  const app = proc.store.getApp('shop')!;
  assert.notEqual(app.compose!.hash, hash);
  assertConsistent(box, app);
  const entry = proc.store.listLedger({ app: 'shop' }).filter((e) => e.action === 'update').at(-1);
  assert.equal(entry?.outcome, 'ok');
  assert.match(entry?.detail ?? '', new RegExp(`compose definition ${hash} → ${app.compose!.hash}`));
});

test('a service added and one removed: the new one is resolved, latched and started, the dropped one removed', async (t) => {
  const { box, proc, v1, mark, before } = await created(t);
  const answer = await updateComposeApp(box, proc, shop({ a: {}, c: {} }));
  assert.deepEqual(answer.changes.services.map((s) => [s.name, s.change]), [['a', 'unchanged'], ['b', 'removed'], ['c', 'added']]);
  assert.equal(resultOf(answer).outcome, 'done');
  const after = idsBy(box);
  assert.deepEqual(Object.keys(after).sort(), ['a', 'c']);
  assert.equal(after.a, before.a);
  assert.deepEqual(changesTo(box, before.a, mark), []);
  assert.equal(box.engine.container(before.b), undefined, "b's container is gone");
  const app = proc.store.getApp('shop')!;
  assert.equal(app.services.find((s) => s.name === 'c')?.latched?.manifestDigest, v1.c.manifestDigest);
  assertConsistent(box, app);
});

test('a changed tag is a new drive: resolved at the registry, pulled, latched; the other service untouched', async (t) => {
  const { box, proc, v1, mark, before } = await created(t);
  const v2 = box.publish('registry.test/shop/a:2');
  const asked = box.registry.requests.length;
  const answer = await updateComposeApp(box, proc, shop({ a: { tag: '2' }, b: {} }));
  assert.deepEqual(answer.changes.services.find((s) => s.name === 'a')?.reasons, ['image']);
  assert.equal(resultOf(answer).outcome, 'done');
  assert.deepEqual(box.registry.requests.slice(asked), [{ method: 'HEAD', reference: 'registry.test/shop/a:2' }, { method: 'GET', reference: `registry.test/shop/a@${v2.manifestDigest}` }]);
  const a = proc.store.getApp('shop')!.services.find((s) => s.name === 'a')!;
  assert.deepEqual([a.reference, a.latched?.manifestDigest, a.latched?.imageId], ['registry.test/shop/a:2', v2.manifestDigest, v2.imageId]);
  assert.equal(a.previous?.manifestDigest, v1.a.manifestDigest, 'the old content becomes the previous one');
  assert.deepEqual(changesTo(box, before.b, mark), []);
  assertConsistent(box, proc.store.getApp('shop')!);
});

test('a new container that exits during the grace period: the old containers come back, definition and latches unchanged', async (t) => {
  const { box, proc, mark, before, hash } = await created(t, shop({ a: {}, b: {} }));
  const latched = proc.store.getApp('shop')!.services.map((s) => s.latched);
  const v2 = box.publish('registry.test/shop/a:2');
  box.engine.script({ image: v2.imageId }, { exit: { afterMs: 1500, code: 1 } });
  const answer = await updateComposeApp(box, proc, shop({ a: { tag: '2' }, c: {} }));
  const result = resultOf(answer);
  assert.equal(result.outcome, 'rolled-back');
  assert.equal(result.error?.message, 'service a of app shop exited with code 1 right after it started');
  assert.deepEqual(idsBy(box), before, 'a and the dropped b are back, under their names; the added c is gone');
  assert.ok(box.engine.allContainers().every((c) => c.running));
  const app = proc.store.getApp('shop')!;
  assert.equal(app.compose!.hash, hash);
  assert.deepEqual(app.services.map((s) => s.latched), latched);
  assertConsistent(box, app);
  assert.deepEqual(changesTo(box, before.b, mark), ['stopContainer', 'renameContainer', 'renameContainer', 'startContainer'], 'b was set aside and put back');
  const ledger = proc.store.listLedger({ app: 'shop' });
  const entry = ledger.filter((e) => e.action === 'update').at(-1);
  assert.equal(entry?.outcome, 'rolled-back');
  assert.match(entry?.detail ?? '', new RegExp(`compose definition stays ${hash} \\(${answer.changes.to} did not stay up\\)`));
  assert.ok(ledger.some((e) => e.action === 'rollback' && e.service === 'a' && e.detail === 'automatic: the new containers did not stay up'));
});

test('the services that restart with a changed one are made anew too (restart: true, network_mode: service:), and the plan says so', async (t) => {
  const b = '    depends_on: {a: {condition: service_started, restart: true}}\n';
  const c = '    network_mode: service:b\n';
  const d = '    depends_on: [a]\n';
  const { box, proc, mark, before } = await created(t, shop({ a: {}, b: { more: b }, c: { more: c }, d: { more: d } }));
  const answer = await updateComposeApp(box, proc, shop({ a: { env: '2' }, b: { more: b }, c: { more: c }, d: { more: d } }));
  assert.deepEqual(answer.changes.services, [
    { name: 'a', change: 'changed', reasons: ['environment'] },
    { name: 'b', change: 'changed', reasons: ['restarts with a'] },
    { name: 'c', change: 'changed', reasons: ['restarts with b'] },
    { name: 'd', change: 'unchanged', reasons: [] },
  ]);
  assert.equal(resultOf(answer).outcome, 'done');
  const after = containersBy(box);
  assert.deepEqual(['a', 'b', 'c', 'd'].filter((s) => after[s].id !== before[s]), ['a', 'b', 'c']);
  assert.deepEqual(changesTo(box, before.d, mark), [], 'd (depends_on without restart) untouched');
  assert.equal(after.c.joinedNetworkOf, after.b.id, "c shares the network of b's new container");
  assertConsistent(box, proc.store.getApp('shop')!);
});

test('a rolled-back update leaves no network of the definition it did not move to (delete would never remove it)', async (t) => {
  const { box, proc } = await created(t);
  const v2 = box.publish('registry.test/shop/a:2');
  box.engine.script({ image: v2.imageId }, { exit: { afterMs: 1500, code: 1 } });
  const answer = await updateComposeApp(box, proc, shop({ a: { tag: '2', more: '    networks: [front]\n' }, b: {} }, 'networks:\n  front: {}\n'));
  assert.equal(resultOf(answer).outcome, 'rolled-back');
  assert.deepEqual(answer.changes.networks.added, ['shop_front']);
  assert.equal(box.engine.network('shop_front'), undefined, 'the network made for the new definition is removed again');
  assert.ok(box.engine.network('shop_default'), "the old definition's network stays");
  assertConsistent(box, proc.store.getApp('shop')!);
  await proc.client.call('apps:delete', { name: 'shop' });
  assert.deepEqual([box.engine.allContainers(), box.engine.network('shop_default')], [[], undefined], 'delete leaves nothing of the project');
});

describe('a one-shot service (another waits for it with service_completed_successfully)', () => {
  const depends = '    depends_on: {m: {condition: service_completed_successfully}}\n';
  const job = (env = '1') => shop({ m: { env }, a: { more: depends } });
  /** m's container exits 0 two seconds after each start. */
  const withJob = (t: TestContext) => created(t, job(), (box) => box.engine.script({ container: 'shop-m-1' }, { exit: { afterMs: 2000, code: 0 } }));

  test('finishing with 0 during the grace period is its job done: an update of the service waiting for it is done', async (t) => {
    const { box, proc, before } = await withJob(t);
    const answer = await updateComposeApp(box, proc, shop({ m: {}, a: { env: '2', more: depends } }));
    assert.deepEqual([resultOf(answer).outcome, resultOf(answer).error], ['done', null]);
    assert.notEqual(idsBy(box).a, before.a);
    assertConsistent(box, proc.store.getApp('shop')!);
  });

  test('a restart of the whole app is done too', async (t) => {
    const { box, proc } = await withJob(t);
    const result = (await proc.client.call('apps:restart', { name: 'shop' })) as OperationResult;
    assert.deepEqual([result.outcome, result.error], ['done', null]);
    assertConsistent(box, proc.store.getApp('shop')!);
  });

  test('a new run that fails (exit 3) rolls the update back, naming it', async (t) => {
    const { box, proc, before } = await withJob(t);
    box.engine.script({ container: 'shop-m-1' }, { exit: { afterMs: 2000, code: 3 } });
    const answer = await updateComposeApp(box, proc, job('2'));
    assert.equal(resultOf(answer).outcome, 'rolled-back');
    assert.equal(resultOf(answer).error?.message, 'service a of app shop was not started: its dependency m exited with code 3');
    assert.deepEqual(idsBy(box), before);
  });
});

test('nothing to change: no operation is recorded and the engine is asked to change nothing', async (t) => {
  const { box, proc, mark } = await created(t);
  const ledger = proc.store.listLedger({ app: 'shop' }).length;
  const answer = await updateComposeApp(box, proc, shop());
  assert.equal(answer.result, null);
  assert.ok(answer.changes.services.every((s) => s.change === 'unchanged'));
  assert.deepEqual(proc.store.listOperations({ app: 'shop', limit: 10 }), []);
  assert.deepEqual(box.engine.calls.slice(mark), []);
  assert.equal(proc.store.listLedger({ app: 'shop' }).length, ledger);
});

test('a container removed by hand is made again by an update of the same file', async (t) => {
  const { box, proc, mark, before } = await created(t);
  await proc.deps.engine.removeContainer(before.b);
  const answer = await updateComposeApp(box, proc, shop());
  assert.deepEqual(answer.changes.services.find((s) => s.name === 'b'), { name: 'b', change: 'changed', reasons: ['container missing'] });
  assert.equal(resultOf(answer).outcome, 'done');
  assert.deepEqual(changesTo(box, before.a, mark), []);
  assertConsistent(box, proc.store.getApp('shop')!);
});

test('a network added is made and joined; one dropped is removed; a dropped volume is kept (it holds data)', async (t) => {
  const withData = shop({ a: { more: '    volumes: [data:/data]\n' }, b: {} }, 'volumes:\n  data: {}\n');
  const { box, proc } = await created(t, withData);
  const front = shop({ a: { more: '    networks: [front]\n' }, b: {} }, 'networks:\n  front: {}\n');
  const answer = await updateComposeApp(box, proc, front);
  assert.deepEqual(answer.changes.networks, { added: ['shop_front'], removed: [] });
  assert.deepEqual(answer.changes.volumes, { added: [], removed: ['shop_data'] });
  assert.deepEqual(answer.changes.services.find((s) => s.name === 'a')?.reasons, ['mounts', 'networks']);
  assert.ok(box.engine.network('shop_front'));
  assert.deepEqual(Object.keys(containersBy(box).a.config.networks), ['shop_front']);
  assert.ok(box.engine.volume('shop_data'), 'the volume stays');
  assertConsistent(box, proc.store.getApp('shop')!);

  const back = await updateComposeApp(box, proc, shop());
  assert.deepEqual(back.changes.networks, { added: [], removed: ['shop_front'] }, 'b kept the default network all along');
  assert.equal(box.engine.network('shop_front'), undefined, 'the dropped network is removed');
  assertConsistent(box, proc.store.getApp('shop')!);
  assert.equal(proc.store.getApp('shop')!.compose!.file, FILE);
});
