/**
 * A request whose process was killed while it waited for its turn (a Ctrl-C, a kill -9 of a
 * command queued behind another operation of the app; issue 13's fault matrix, on the fake
 * box): the request is recorded, so it is not lost, and it does not sit waiting for a process
 * that is gone either. The process that waits is recorded with the request, and the next one
 * that looks at the app carries it out, as it finishes work a killed process left running. A
 * request recorded without waiting (--no-wait) is left to whoever runs queued work. The same
 * against a real engine: test/integration/fault-kill.test.ts.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { FakeBox } from '../helpers/fake-deps';

const REF = 'registry.test/web:1';

async function created(t: TestContext): Promise<FakeBox> {
  const box = FakeBox.for(t);
  box.publish(REF);
  await box.start().client.call('apps:create', { name: 'web', services: [{ name: 'main', image: REF }] });
  return box;
}

test('a refresh whose waiting process was killed before any process took it is carried out by the next app show', async (t) => {
  const box = await created(t);
  const v2 = box.publish(REF);
  const dead = box.start({ crashAt: 'request-recorded' });
  await assert.rejects(dead.client.call('apps:refresh', { name: 'web' }), /was killed at request-recorded/);
  const [open] = dead.store.listOpenOperations('web');
  assert.deepEqual([open?.state, open?.ownerPid], ['pending', dead.pid], 'recorded with the process that waited for it');

  const next = box.start();
  const view = await next.client.call('apps:show', { name: 'web' });
  assert.equal(view.state, 'running');
  assert.deepEqual(view.openOperations, []);
  assert.equal(view.services[0].latched?.manifestDigest, v2.manifestDigest);
  assert.deepEqual(next.store.listLedger({ app: 'web' }).filter((e) => e.action === 'refresh').map((e) => e.outcome), ['ok']);
});

test('an approval whose waiting process was killed before any process took it is applied by the next app show', async (t) => {
  const box = await created(t);
  const v2 = box.publish(REF);
  await box.start().client.call('images:check', { apps: ['web'] });
  const dead = box.start({ crashAt: 'request-recorded' });
  await assert.rejects(dead.client.call('updates:approve', { app: 'web' }), /was killed at request-recorded/);

  const next = box.start();
  const view = await next.client.call('apps:show', { name: 'web' });
  assert.equal(view.state, 'running');
  assert.equal(view.services[0].latched?.manifestDigest, v2.manifestDigest);
  assert.deepEqual(next.store.listPendingUpdates({ app: 'web' }).map((u) => u.state), ['applied']);
});

test('a request recorded without waiting is not taken for an interrupted one', async (t) => {
  const box = await created(t);
  box.publish(REF);
  const asker = box.start();
  const queued = await asker.client.call('apps:refresh', { name: 'web', wait: false });
  assert.ok(!('outcome' in queued) && queued.state === 'pending', JSON.stringify(queued));
  box.exit(asker);

  const view = await box.start().client.call('apps:show', { name: 'web' });
  assert.deepEqual(view.openOperations.map((op) => [op.state, op.interrupted]), [['pending', false]], 'left to whoever runs queued work');
});
