/**
 * A lost database costs the history, not the box (core/recovery/), on the fake engine: a new
 * database is compared with the engine the first time the engine is used and refused beside
 * containers of apps it does not know; recoverFromEngine rebuilds those apps (flags and
 * Compose) from their containers' labels — definition, settings, latched digests, running or
 * stopped — re-latches drives of known apps that run other content, and moves operation ids
 * above those the containers carry. The same against a real engine and the real CLI:
 * test/integration/store-recovery.test.ts.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { TagkeeperError } from '../../main/api/errors';
import type { AppRecord } from '../../main/api/types/apps';
import { LABEL } from '../../main/core/apps/app-topology';
import type { Handlers } from '../../main/api/contract';
import { afterStoreCheck, checkingStoreFirst } from '../../main/core/recovery/engine-check';
import { recoverFromEngine } from '../../main/core/recovery/recover-apps';
import { endRestoredOperations } from '../../main/core/recovery/restored-operations';
import { openStore } from '../../main/store/sqlite-store';
import { FakeBox } from '../helpers/fake-deps';
import { createComposeApp } from '../helpers/fake-compose-app';

const SHOP = `
services:
  web:
    image: registry.test/shop/web:1
    environment: {MODE: one}
    depends_on: [db]
  db:
    image: registry.test/shop/db:1
    volumes: [data:/var/lib/db]
volumes:
  data: {}
`;

/** A box running a flag app `web` (stopped: `idle`) and a Compose app `shop`, all made through the handlers. */
async function boxWithApps(t: TestContext) {
  const box = FakeBox.for(t);
  for (const ref of ['registry.test/web:1', 'registry.test/idle:1', 'registry.test/shop/web:1', 'registry.test/shop/db:1']) box.publish(ref);
  const proc = box.start();
  await proc.client.call('apps:create', {
    name: 'web',
    pullPolicy: 'if-not-present',
    services: [{ name: 'main', image: 'registry.test/web:1', env: ['A=1'], ports: ['8080:80'], volumes: ['data:/data'], cmd: ['sleep', '1000'] }],
  });
  await proc.client.call('apps:create', { name: 'idle', services: [{ name: 'main', image: 'registry.test/idle:1' }] });
  await proc.client.call('apps:stop', { name: 'idle' });
  await createComposeApp(box, proc, SHOP);
  await proc.client.call('apps:restart', { name: 'shop' });
  return { box, proc };
}

/** The box's database lost (its files deleted), and a new one made in its place as `tagkeeper recover` does. */
function lostDatabase(t: TestContext, box: FakeBox) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(box.dataDir, `tagkeeper.db${suffix}`), { force: true });
  const store = openStore(box.dataDir, { afterLoss: true });
  t.after(() => store.close());
  return { dir: box.dataDir, store };
}

/** What must survive the loss of the database: definitions, settings, latched content, containers, intent. */
const essentials = (app: AppRecord) => ({
  name: app.name,
  pullPolicy: app.pullPolicy,
  checkOnStart: app.checkOnStart,
  autoApply: app.autoApply,
  compose: app.compose,
  intent: app.intent,
  services: app.services.map((s) => ({
    name: s.name, reference: s.reference, canonical: s.canonical, pinnedDigest: s.pinnedDigest, settings: s.settings, containerId: s.containerId,
    latched: s.latched && { indexDigest: s.latched.indexDigest, manifestDigest: s.latched.manifestDigest, imageId: s.latched.imageId },
  })),
});

test('a new database refuses to use an engine that runs apps it does not know, naming them and the way out', async (t) => {
  const { box } = await boxWithApps(t);
  const { dir, store } = lostDatabase(t, box);
  const engine = checkingStoreFirst(box.engine, store, dir).engine;
  await assert.rejects(engine.listContainers({}), (e: unknown) => {
    assert.ok(e instanceof TagkeeperError);
    assert.equal(e.code, 'store-missing');
    assert.equal(e.message, `this engine runs containers of Tagkeeper app(s) idle, shop, web that the database in ${dir} does not know (it was made afresh, or restored from an older backup)`);
    assert.match(e.sentence, /`tagkeeper recover`/);
    return true;
  });
  assert.equal(store.engineCheckPending(), true, 'still refused on the next call');
  assert.equal(store.listApps().length, 0);
  const { ensureChecked } = checkingStoreFirst(box.engine, store, dir);
  const handlers = afterStoreCheck({ 'settings:get': () => store.getSettings() } as unknown as Handlers, ensureChecked);
  await assert.rejects(async () => handlers['settings:get']({}), /does not know/, 'every operation is refused, not only those that use the engine');
});

test('a new database on an engine with no Tagkeeper app passes the check once, and is not checked again', async (t) => {
  const fresh = FakeBox.for(t);
  const store = fresh.start().store;
  assert.equal(store.engineCheckPending(), true, 'a database made now');
  const engine = checkingStoreFirst(fresh.engine, store, fresh.dataDir).engine;
  assert.deepEqual(await engine.listContainers({}), []);
  assert.equal(store.engineCheckPending(), false);
});

test('recover rebuilds flag and Compose apps from their containers: definitions, settings, latched digests, intent', async (t) => {
  const { box, proc } = await boxWithApps(t);
  const before = proc.store.listApps();
  const { dir, store } = lostDatabase(t, box);
  const report = await recoverFromEngine({ engine: box.engine, store, actor: 'tester', now: () => box.clock.now(), emit: () => undefined });

  assert.deepEqual(report.apps.map((a) => [a.name, a.change, a.intent]), [['idle', 'rebuilt', 'stopped'], ['shop', 'rebuilt', 'running'], ['web', 'rebuilt', 'running']]);
  assert.deepEqual(report.skipped, []);
  assert.deepEqual(store.listApps().map(essentials), before.map(essentials));
  assert.equal(store.engineCheckPending(), false, 'every app known now');
  const ops = proc.store.listOperations({ limit: 100 }).map((op) => op.id);
  assert.equal(report.operationIdsAbove, Math.max(...box.engine.allContainers().map((c) => Number(c.labels[LABEL.operation] ?? 0))));
  assert.ok(report.operationIdsAbove >= 1 && ops.includes(report.operationIdsAbove));
  const next = store.submitOperation({ app: 'shop', kind: 'start', flags: { refresh: false, restart: false, purge: false }, trigger: 'user', actor: 'tester' }, 't');
  assert.ok(next.id > report.operationIdsAbove, 'a new operation is never taken for the one that made a container');

  const ledger = store.listLedger({ app: 'web' });
  assert.deepEqual(ledger.map((e) => [e.action, e.service, e.trigger]), [['recover', 'main', 'recover'], ['recover', null, 'recover']]);
  assert.equal(ledger[0].to?.manifestDigest, before.find((a) => a.name === 'web')!.services[0].latched!.manifestDigest);
  await assert.doesNotReject(checkingStoreFirst(box.engine, store, dir).engine.listContainers({}), 'the check passes now');
});

test('a recovered app works on: refresh moves it to new content', async (t) => {
  const { box } = await boxWithApps(t);
  const { store } = lostDatabase(t, box);
  await recoverFromEngine({ engine: box.engine, store, actor: 'tester', now: () => box.clock.now(), emit: () => undefined });
  const moved = box.publish('registry.test/web:1');
  const proc = box.start();
  const result = await proc.client.call('apps:refresh', { name: 'web' });
  assert.equal((result as { outcome: string }).outcome, 'done');
  assert.equal(proc.store.getApp('web')!.services[0].latched!.manifestDigest, moved.manifestDigest);
  assert.equal(box.engine.container('tagkeeper-web-main')!.image, moved.imageId);
});

test('a known drive latched to other content than its container runs is latched to what runs; the ledger says from what', async (t) => {
  const { box, proc } = await boxWithApps(t);
  const web = proc.store.getApp('web')!.services[0];
  const stale = { ...web.latched!, imageId: `sha256:${'0'.repeat(64)}`, manifestDigest: `sha256:${'1'.repeat(64)}` };
  proc.store.latchService('web', 'main', stale);
  const report = await recoverFromEngine({ engine: box.engine, store: proc.store, actor: 'tester', now: () => box.clock.now(), emit: () => undefined });
  assert.deepEqual(report.apps.map((a) => [a.name, a.change]), [['web', 're-latched']]);
  assert.deepEqual(report.unchanged, ['idle', 'shop']);
  assert.equal(proc.store.getApp('web')!.services[0].latched!.imageId, web.latched!.imageId);
  const last = proc.store.listLedger({ app: 'web' }).at(-1)!;
  assert.deepEqual([last.action, last.from?.manifestDigest, last.to?.manifestDigest], ['recover', stale.manifestDigest, web.latched!.manifestDigest]);
});

test("containers whose definition label is missing or altered are not recovered, and the check keeps refusing", async (t) => {
  const { box } = await boxWithApps(t);
  const shop = box.engine.allContainers().filter((c) => c.labels[LABEL.app] === 'shop');
  for (const c of shop) c.labels[LABEL.definition] = c.labels[LABEL.definition].replace('"MODE":"one"', '"MODE":"two"');
  const web = box.engine.allContainers().find((c) => c.labels[LABEL.app] === 'web')!;
  delete web.labels[LABEL.definition];
  const { store } = lostDatabase(t, box);
  const report = await recoverFromEngine({ engine: box.engine, store, actor: 'tester', now: () => box.clock.now(), emit: () => undefined });
  assert.deepEqual(report.apps.map((a) => a.name), ['idle']);
  assert.deepEqual(report.skipped.map((s) => s.app), ['shop', 'web']);
  assert.match(report.skipped[0].reason, /Compose model does not hash to the hash it records/);
  assert.match(report.skipped[1].reason, /carry no definition label .*docker rm -f/);
  assert.equal(store.engineCheckPending(), true);
});

test('operations open in a restored backup are ended, not resumed; the ledger says why', async (t) => {
  const { proc } = await boxWithApps(t);
  const waiting = proc.store.submitOperation({ app: 'web', kind: 'update', flags: { refresh: false, restart: true, purge: false }, trigger: 'user', actor: 'tester' }, 't');
  const ended = endRestoredOperations({ actor: 'tester', store: proc.store, now: () => new Date() }, '/data/backups/b.db');
  assert.deepEqual(ended.map((r) => [r.operation, r.outcome, r.error?.code]), [[waiting.id, 'failed', 'cancelled']]);
  assert.deepEqual(proc.store.listOpenOperations(), []);
  assert.match(proc.store.getOperation(waiting.id)!.result!.error!.message, /was open in the backup \/data\/backups\/b\.db the database was restored from: whether it was carried out since is not known/);
  assert.equal(proc.store.listLedger({ app: 'web' }).at(-1)!.outcome, 'failed');
});
