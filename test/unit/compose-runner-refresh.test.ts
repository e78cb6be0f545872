/**
 * Content updates of a Compose app on the fake engine: a refresh and an approval replace the
 * services whose content changed plus those that must restart with them (`depends_on:
 * {x: {restart: true}}`, and `network_mode: service:x`, which implies it) — and never touch
 * the others; a purge
 * discards the app's named volumes (never bind-mounted host folders, never external
 * volumes) and makes every container anew.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { OperationResult } from '../../main/api/types/operations';
import { FakeBox } from '../helpers/fake-deps';
import { assertConsistent, changesTo, containersBy, createComposeApp, idsBy } from '../helpers/fake-compose-app';

/** web restarts with db; sidecar shares web's network (so restarts with it, and with db through it); worker only starts after db. */
const SHOP = `
services:
  db:
    image: registry.test/shop/db:1
    volumes: [data:/var/lib/db, ./conf:/etc/db:ro, archive:/archive]
  web:
    image: registry.test/shop/web:1
    depends_on: {db: {condition: service_started, restart: true}}
  sidecar:
    image: registry.test/shop/sidecar:1
    network_mode: service:web
  worker:
    image: registry.test/shop/worker:1
    depends_on: [db]
volumes:
  data: {}
  archive: {external: true, name: site-archive}
`;

const SERVICES = ['db', 'web', 'sidecar', 'worker'] as const;

async function created(t: TestContext) {
  const box = FakeBox.for(t);
  for (const s of SERVICES) box.publish(`registry.test/shop/${s}:1`);
  await box.engine.createVolume('site-archive', {}, { driver: null, driverOpts: {} });
  const proc = box.start();
  await createComposeApp(box, proc, SHOP);
  return { box, proc, mark: box.engine.calls.length, before: idsBy(box) };
}

/** The services whose container was replaced since `before`. */
const replaced = (box: FakeBox, before: Record<string, string>) => SERVICES.filter((s) => idsBy(box)[s] !== before[s]);

/** The sidecar joined the network of the web container that runs now. */
function assertSidecarOnWeb(box: FakeBox): void {
  const { web, sidecar } = containersBy(box);
  assert.equal(sidecar.config.networkMode, 'container:shop-web-1');
  assert.equal(sidecar.joinedNetworkOf, web.id, 'the sidecar shares the network of the running web container, not of a removed one');
}

test('refresh: only the changed service is replaced, with the services that restart with it', async (t) => {
  const { box, proc, mark, before } = await created(t);
  box.publish('registry.test/shop/db:1');
  const result = (await proc.client.call('apps:refresh', { name: 'shop' })) as OperationResult;
  assert.equal(result.outcome, 'done');
  assert.deepEqual(result.services.filter((s) => s.changed).map((s) => s.name), ['db']);
  assert.deepEqual(replaced(box, before), ['db', 'web', 'sidecar']);
  assert.deepEqual(changesTo(box, before.worker, mark), [], 'worker (depends_on without restart) was never stopped');
  assertSidecarOnWeb(box);
  assertConsistent(box, proc.store.getApp('shop')!);
});

test('refresh of a service nobody restarts with replaces it alone; a refresh that finds nothing new touches nothing', async (t) => {
  const { box, proc, mark, before } = await created(t);
  const none = (await proc.client.call('apps:refresh', { name: 'shop' })) as OperationResult;
  assert.deepEqual([none.outcome, none.changed, none.restarted], ['done', false, false]);
  assert.deepEqual(box.engine.calls.slice(mark), []);

  box.publish('registry.test/shop/worker:1');
  await proc.client.call('apps:refresh', { name: 'shop' });
  assert.deepEqual(replaced(box, before), ['worker']);
  for (const s of ['db', 'web', 'sidecar']) assert.deepEqual(changesTo(box, before[s], mark), [], `${s} untouched`);
  assertConsistent(box, proc.store.getApp('shop')!);
});

test('approve: the approved service is replaced with the services that restart with it, the others untouched', async (t) => {
  const { box, proc, mark, before } = await created(t);
  const v2 = box.publish('registry.test/shop/web:1');
  const check = await proc.client.call('images:check', { apps: ['shop'] });
  assert.ok(check);
  const [update] = proc.store.listPendingUpdates({ app: 'shop', states: ['pending'] });
  assert.deepEqual([update?.service, update?.to.manifestDigest], ['web', v2.manifestDigest]);
  const answer = await proc.client.call('updates:approve', { app: 'shop' });
  assert.equal((answer.result as OperationResult).outcome, 'done');
  assert.deepEqual(replaced(box, before), ['web', 'sidecar']);
  for (const s of ['db', 'worker']) assert.deepEqual(changesTo(box, before[s], mark), [], `${s} untouched`);
  assertSidecarOnWeb(box);
  const app = proc.store.getApp('shop')!;
  assert.equal(app.services.find((s) => s.name === 'web')?.latched?.manifestDigest, v2.manifestDigest);
  assertConsistent(box, app);
});

test("purge removes the app's named volumes (never a bind source or an external volume) and makes every container anew", async (t) => {
  const { box, proc, mark, before } = await created(t);
  const data = box.engine.volume('shop_data');
  const result = (await proc.client.call('apps:purge', { name: 'shop' })) as OperationResult;
  assert.deepEqual([result.outcome, result.purged], ['done', true]);
  const removed = box.engine.calls.slice(mark).filter((c) => c.method === 'removeVolume').map((c) => c.target);
  assert.deepEqual(removed, ['shop_data'], 'the declared named volume only');
  assert.ok(box.engine.volume('site-archive'), 'the external volume stays');
  assert.notEqual(box.engine.volume('shop_data'), data, 'made again, empty');
  assert.deepEqual(replaced(box, before), [...SERVICES]);
  assert.ok(Object.values(before).every((id) => box.engine.container(id) === undefined), 'the old containers are gone');
  assert.deepEqual(containersBy(box).db.config.mounts.filter((m) => m.type === 'bind').map((m) => m.source), ['/srv/shop/conf'], 'the bind mount is as it was');
  assertSidecarOnWeb(box);
  assertConsistent(box, proc.store.getApp('shop')!);
});
