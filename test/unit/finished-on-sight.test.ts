/**
 * Interrupted work is finished on sight and never shown as fine (issue 13), on the fake box:
 * a process killed while it switches an app's containers leaves the operation running; the
 * next process that shows or lists the app finishes it first (no `resume`), also when the
 * dead owner's PID was given to another program since; one process never works twice on
 * the same operation; and containers that run other content than the latched one make the
 * app `drifted`, never `running`. The same against the real engine:
 * test/integration/on-sight.test.ts.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { showAppView } from '../../main/core/apps/app-list';
import { LABEL } from '../../main/core/apps/app-topology';
import { FakeBox, type FakeProcess, type Published } from '../helpers/fake-deps';

const REF = 'registry.test/web:1';

async function created(t: TestContext): Promise<{ box: FakeBox; v1: Published }> {
  const box = FakeBox.for(t);
  const v1 = box.publish(REF);
  await box.start().client.call('apps:create', { name: 'web', services: [{ name: 'main', image: REF }] });
  return { box, v1 };
}

/** A refresh to a new digest in a process killed while it switches the containers. */
async function refreshKilledWhileSwitching(box: FakeBox): Promise<{ dead: FakeProcess; v2: Published }> {
  const v2 = box.publish(REF);
  const dead = box.start({ crashAt: 'during-switch' });
  await assert.rejects(dead.client.call('apps:refresh', { name: 'web' }), /was killed at during-switch/);
  const [open] = dead.store.listOpenOperations('web');
  assert.deepEqual([open?.state, open?.phase, open?.ownerPid], ['running', 'switching', dead.pid], 'left running, mid-switch, by the dead process');
  return { dead, v2 };
}

/** The store and the engine agree: one running container of `image`, latched. */
function assertRuns(box: FakeBox, proc: FakeProcess, image: Published): void {
  const containers = box.engine.allContainers().filter((c) => c.labels[LABEL.app] === 'web');
  assert.deepEqual(containers.map((c) => [c.image, c.running]), [[image.imageId, true]], 'one running container, on the new image');
  assert.equal(proc.store.getApp('web')!.services[0].latched?.manifestDigest, image.manifestDigest);
}

test('app show after a kill mid-switch finishes the refresh first: running on the new digest, nothing left for resume', async (t) => {
  const { box } = await created(t);
  const { v2 } = await refreshKilledWhileSwitching(box);

  const proc = box.start();
  const view = await proc.client.call('apps:show', { name: 'web' });
  assert.equal(view.state, 'running');
  assert.deepEqual(view.openOperations, []);
  assert.equal(view.services[0].latched?.manifestDigest, v2.manifestDigest);
  assert.equal(view.services[0].drift, null);
  assertRuns(box, proc, v2);
  assert.deepEqual(proc.store.listLedger({ app: 'web' }).filter((e) => e.action === 'refresh').map((e) => e.outcome), ['ok'], 'finished once');
  assert.deepEqual((await proc.client.call('operations:resume', {})).resumed, [], 'nothing is left for resume');
});

test('app list finishes it too', async (t) => {
  const { box } = await created(t);
  const { v2 } = await refreshKilledWhileSwitching(box);
  const proc = box.start();
  const [view] = await proc.client.call('apps:list', {});
  assert.deepEqual([view.name, view.state, view.services[0].latched?.manifestDigest], ['web', 'running', v2.manifestDigest]);
  assertRuns(box, proc, v2);
});

test('the dead owner\'s PID held by another program since does not pass for it: shown finished, and a new request is not kept waiting', async (t) => {
  const { box } = await created(t);
  const { dead, v2 } = await refreshKilledWhileSwitching(box);
  box.reusePid(dead.pid);

  const proc = box.start();
  const view = await proc.client.call('apps:show', { name: 'web' });
  assert.deepEqual([view.state, view.openOperations.length], ['running', 0]);
  assertRuns(box, proc, v2);
  const restart = await proc.client.call('apps:restart', { name: 'web' });
  assert.equal('outcome' in restart && restart.outcome, 'done');
});

test('a live owner\'s work is not taken: the app shows it switching, not running', async (t) => {
  const { box } = await created(t);
  const { dead } = await refreshKilledWhileSwitching(box);
  // As if that process still ran: its operation is under way, not interrupted.
  box.reusePid(dead.pid);
  const proc = box.start();
  const live = { ...proc.deps, isProcessAlive: () => true };
  const view = await showAppView(live, 'web');
  assert.equal(view.state, 'switching');
  assert.deepEqual(view.openOperations.map((op) => [op.kind, op.phase, op.interrupted]), [['refresh', 'switching', false]]);
  assert.equal(proc.store.listOpenOperations('web').length, 1, 'left to its owner');
});

test('one process never carries out the same operation twice at once (a worker and a request)', async (t) => {
  const { box } = await created(t);
  box.publish(REF);
  const proc = box.start();
  const queued = await proc.client.call('apps:refresh', { name: 'web', wait: false });
  assert.ok('state' in queued);
  const [first, second] = await Promise.all([proc.client.call('operations:resume', {}), proc.client.call('operations:resume', {})]);
  assert.deepEqual([...first.resumed, ...second.resumed].map((r) => r.outcome), ['done'], 'carried out once');
  assert.equal(box.engine.allContainers().filter((c) => c.labels[LABEL.app] === 'web').length, 1);
});

test('a container recreated on another image behind Tagkeeper\'s back: drifted, with both image ids', async (t) => {
  const { box, v1 } = await created(t);
  const other = box.publish('registry.test/other:1');
  await box.engine.pullImage(`registry.test/other@${other.manifestDigest}`, () => undefined);
  const [container] = box.engine.allContainers().filter((c) => c.labels[LABEL.app] === 'web');
  const info = (await box.engine.inspectContainer(container.id))!;
  await box.engine.removeContainer(info.id);
  const swapped = await box.engine.createContainer({ name: info.name, image: other.imageId, labels: info.labels, config: info.config });
  await box.engine.startContainer(swapped);

  const proc = box.start();
  const view = await proc.client.call('apps:show', { name: 'web' });
  assert.equal(view.state, 'drifted');
  assert.deepEqual(view.services[0].drift, { runningImageId: other.imageId, latchedImageId: v1.imageId });
  assert.equal((await proc.client.call('apps:list', {}))[0].state, 'drifted');

  const restart = await proc.client.call('apps:restart', { name: 'web' });
  assert.equal('outcome' in restart && restart.outcome, 'done');
  const after = await proc.client.call('apps:show', { name: 'web' });
  assert.deepEqual([after.state, after.services[0].drift], ['running', null], 'a restart returns it to the latched content');
});
