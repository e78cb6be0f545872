/**
 * An operation whose end the store cannot record (a full disk, an I/O error; issue 13's fault
 * matrix, on the fake box): what the operation did stands. Its containers were switched, so
 * it is not recorded as failed instead (the store would then say the old content while the
 * new one runs); it stays open, the process says what the store said, and the next process
 * that shows the app records the end. The same on a real full disk:
 * test/integration/fault-disk.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL } from '../../main/core/apps/app-topology';
import { FakeBox } from '../helpers/fake-deps';

const REF = 'registry.test/web:1';

test("a refresh whose end cannot be recorded stays open, and the next process records it: the store never says the old content while the new one runs", async (t) => {
  const box = FakeBox.for(t);
  box.publish(REF);
  await box.start().client.call('apps:create', { name: 'web', services: [{ name: 'main', image: REF }] });
  const v2 = box.publish(REF);

  const first = box.start();
  const record = first.store.finishOperation.bind(first.store);
  let refused = 0;
  // The disk is full for the end of the refresh; a smaller record (a failure) would still fit, as on a real full disk.
  first.store.finishOperation = (...args) => {
    if (args[1].kind === 'refresh' && args[1].outcome === 'done') {
      refused += 1;
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    }
    record(...args);
  };
  await assert.rejects(first.client.call('apps:refresh', { name: 'web' }), /database or disk is full/);
  assert.equal(refused, 1);
  assert.equal(first.store.listLedger({ app: 'web' }).filter((e) => e.action === 'refresh').length, 0, 'no failure recorded in its place');
  const [open] = first.store.listOpenOperations('web');
  assert.deepEqual([open?.state, open?.phase], ['running', 'switching'], 'left open');

  box.exit(first);
  const next = box.start();
  const view = await next.client.call('apps:show', { name: 'web' });
  assert.equal(view.state, 'running');
  assert.equal(view.services[0].latched?.manifestDigest, v2.manifestDigest);
  assert.equal(view.services[0].drift, null);
  const containers = box.engine.allContainers().filter((c) => c.labels[LABEL.app] === 'web');
  assert.deepEqual(containers.map((c) => [c.image, c.running]), [[v2.imageId, true]]);
  assert.deepEqual(next.store.listLedger({ app: 'web' }).filter((e) => e.action === 'refresh').map((e) => e.outcome), ['ok']);
});
