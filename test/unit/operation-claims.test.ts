/**
 * One process never carries out the same operation twice side by side. In serve (and the
 * desktop app) a request waits for its operation while the instance's worker sweeps for
 * open work; the store hands the running operation back to any claim of the process that
 * owns it, so the sweep must leave an operation this process is already running alone —
 * before, a sweep during a rollback ran its switch a second time, which failed and ended the
 * operation as failed while the first run's containers ran: the app showed its old digest
 * running on the rolled-back content.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OperationResult } from '../../main/api/types/operations';
import { resumeOperations } from '../../main/core/operations/operation-driver';
import { FakeBox } from '../helpers/fake-deps';

test('a sweep of the same process leaves an operation it is running alone; the operation ends once, done', async (t) => {
  const box = FakeBox.for(t);
  const ref = 'registry.test/web:1';
  const v1 = box.publish(ref);
  const proc = box.start();
  await proc.client.call('apps:create', { name: 'web', services: [{ name: 'main', image: ref }] });
  box.publish(ref);
  await proc.client.call('apps:refresh', { name: 'web' });

  // The worker's sweep arrives while the rollback switches (when it starts the new container).
  const start = box.engine.startContainer.bind(box.engine);
  let swept: OperationResult[] | null = null;
  box.engine.startContainer = async (id: string) => {
    if (swept === null) {
      swept = [];
      assert.equal(proc.deps.running.size, 1, 'the rollback is under way in this process');
      swept = await resumeOperations(proc.deps);
    }
    return start(id);
  };
  const callsBefore = box.engine.calls.length;
  const result = (await proc.client.call('apps:rollback', { name: 'web' })) as OperationResult;
  assert.deepEqual(swept, [], 'the sweep did not run it a second time');
  assert.equal(result.outcome, 'done', JSON.stringify(result.error));
  // The rollback's own renames (the refresh renamed the container that now runs, into its name).
  const renames = box.engine.calls.slice(callsBefore).filter((c) => c.method === 'renameContainer');
  assert.ok(renames.length > 0, 'the rollback switched containers');
  assert.equal(new Set(renames.map((c) => c.target)).size, renames.length, 'no container was renamed twice by the rollback');
  const view = await proc.client.call('apps:show', { name: 'web' });
  assert.equal(view.services[0].latched?.manifestDigest, v1.manifestDigest, 'the store says what runs');
  assert.equal(proc.store.listLedger({ app: 'web' }).filter((e) => e.action === 'rollback' && e.service === null).length, 1);
});
