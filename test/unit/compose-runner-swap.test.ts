/**
 * How a refresh swaps a service's container, on the fake engine: the new container is made
 * (under a temporary name) and both renames are done while the old one still serves, so the
 * service is down only between the old container's stop and the new one's start — no other
 * engine call in between. A new container with a health check proves itself by reporting
 * healthy (the switch is done then, not after the start-grace period); one that turns
 * unhealthy or exits still sends the app back to its old containers. The same runs against
 * a real engine in test/integration/compose-apps.test.ts and bench/compose.ts.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { OperationResult } from '../../main/api/types/operations';
import type { EnginePort } from '../../main/core/ports/engine-port';
import { FakeBox } from '../helpers/fake-deps';
import { assertConsistent, changesTo, createComposeApp, idsBy } from '../helpers/fake-compose-app';

const GRACE_MS = 5000;

/** api publishes a port and depends on db; both with a health check every `interval` when asked. */
function shop(healthcheck: boolean): string {
  const check = healthcheck ? '    healthcheck: {test: ["CMD", "true"], interval: 1s}\n' : '';
  return `services:
  db:
    image: registry.test/shop/db:1
${check}  api:
    image: registry.test/shop/api:1
    ports: ["127.0.0.1:8080:8080"]
    depends_on: [db]
${check}`;
}

async function created(t: TestContext, healthcheck: boolean) {
  const box = FakeBox.for(t);
  for (const s of ['db', 'api']) box.publish(`registry.test/shop/${s}:1`);
  const proc = box.start();
  await createComposeApp(box, proc, shop(healthcheck));
  return { box, proc, before: idsBy(box) };
}

/** Every call the core makes to the engine from now on (reads too), as `method target`. */
function recordCalls(box: FakeBox): string[] {
  const seen: string[] = [];
  const methods: (keyof EnginePort)[] = [
    'ping', 'platform', 'inspectImage', 'listImages', 'pullImage', 'tagImage', 'removeImage', 'createContainer', 'startContainer', 'stopContainer',
    'removeContainer', 'renameContainer', 'inspectContainer', 'listContainers', 'createVolume', 'removeVolume', 'listVolumes', 'inspectVolume',
    'createNetwork', 'removeNetwork', 'listNetworks', 'inspectNetwork',
  ];
  const engine = box.engine as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of methods) {
    const original = engine[method].bind(box.engine);
    engine[method] = (...args: unknown[]) => {
      const [first, second] = args;
      const target = method === 'createContainer' ? (first as { name: string }).name : method === 'renameContainer' ? `${String(first)} → ${String(second)}` : typeof first === 'string' ? first : '';
      seen.push(`${method} ${target}`.trim());
      return original(...args);
    };
  }
  return seen;
}

test('a refresh makes the new container and renames both while the old one serves: only stop → start is in the gap', async (t) => {
  const { box, proc, before } = await created(t, false);
  box.publish('registry.test/shop/api:1');
  const mark = box.engine.calls.length;
  const calls = recordCalls(box);
  const result = (await proc.client.call('apps:refresh', { name: 'shop' })) as OperationResult;
  assert.equal(result.outcome, 'done');
  const fresh = idsBy(box).api;
  const op = result.operation;
  const mine = calls.filter((c) => c.includes(before.api) || c.includes(fresh) || c.includes('shop-api-1'));
  assert.deepEqual(mine, [
    `createContainer shop-api-1-new-${op}`,
    `renameContainer ${before.api} → shop-api-1-replaced-${op}`,
    `renameContainer ${fresh} → shop-api-1`,
    `stopContainer ${before.api}`,
    `startContainer ${fresh}`,
    ...mine.slice(5).filter((c) => c === `inspectContainer ${fresh}`),
    `removeContainer ${before.api}`,
  ]);
  const stop = calls.indexOf(`stopContainer ${before.api}`);
  assert.equal(calls[stop + 1], `startContainer ${fresh}`, 'no engine call between the old container stopping and the new one starting');
  assert.deepEqual(changesTo(box, before.db, mark), [], 'db untouched');
  assertConsistent(box, proc.store.getApp('shop')!);
});

test('a new container that cannot even be made stops nothing: the app runs on as it was', async (t) => {
  const { box, proc, before } = await created(t, false);
  const mark = box.engine.calls.length;
  box.publish('registry.test/shop/api:1');
  const create = box.engine.createContainer.bind(box.engine);
  box.engine.createContainer = async (spec) => (spec.name.startsWith('shop-api-1') ? Promise.reject(new Error('no space left on device')) : create(spec));
  const result = (await proc.client.call('apps:refresh', { name: 'shop' })) as OperationResult;
  assert.equal(result.outcome, 'rolled-back');
  assert.match(result.error?.message ?? '', /no space left on device/);
  assert.deepEqual(changesTo(box, before.api, mark), [], 'the old api was never renamed or stopped');
  assert.deepEqual(idsBy(box), before);
  assertConsistent(box, proc.store.getApp('shop')!);
});

test('with a health check, the switch is done as soon as the new container is healthy, not after the start-grace period', async (t) => {
  const { box, proc } = await created(t, true);
  box.publish('registry.test/shop/api:1');
  const start = box.clock.elapsed;
  const result = (await proc.client.call('apps:refresh', { name: 'shop' })) as OperationResult;
  assert.equal(result.outcome, 'done');
  const took = box.clock.elapsed - start;
  assert.ok(took >= 1000 && took < 1500, `done once healthy (its first check runs after 1 s), in ${took} ms of the fake clock`);
  assertConsistent(box, proc.store.getApp('shop')!);
});

test('without a health check, the new container must stay up for the whole start-grace period', async (t) => {
  const { box, proc } = await created(t, false);
  box.publish('registry.test/shop/api:1');
  const start = box.clock.elapsed;
  await proc.client.call('apps:refresh', { name: 'shop' });
  assert.equal(box.clock.elapsed - start, GRACE_MS);
});

for (const [what, behaviour, message] of [
  ['turns unhealthy', { health: { afterMs: 1000, status: 'unhealthy' as const } }, 'failed its health check'],
  ['exits before it is healthy', { exit: { afterMs: 600, code: 4 } }, 'exited with code 4'],
] as const) {
  test(`with a health check, a new container that ${what} still sends the app back to its old containers`, async (t) => {
    const { box, proc, before } = await created(t, true);
    const v2 = box.publish('registry.test/shop/api:1');
    box.engine.script({ image: v2.imageId }, behaviour);
    const result = (await proc.client.call('apps:refresh', { name: 'shop' })) as OperationResult;
    assert.equal(result.outcome, 'rolled-back');
    assert.equal(result.error?.message, `service api of app shop ${message} right after it started`);
    assert.deepEqual(idsBy(box), before, 'the very containers that ran before, under their names');
    assertConsistent(box, proc.store.getApp('shop')!);
  });
}
