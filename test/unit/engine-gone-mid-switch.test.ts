/**
 * The engine going away while an app's containers are being switched (issue 13's fault
 * matrix, on the fake box): the operation is not ended as failed with the containers half
 * switched (old ones set aside, new ones not yet up); it stays open, the process says what
 * happened and what to do, and the next process that shows the app once the engine answers
 * again finishes the switch. The same against a real engine killed at each step:
 * test/integration/fault-engine.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL } from '../../main/core/apps/app-topology';
import type { CrashPoint } from '../../main/core/ports/deps';
import { FakeBox } from '../helpers/fake-deps';

const REF = 'registry.test/web:1';

for (const point of ['after-decide', 'new-created', 'before-switch', 'old-stopped', 'during-switch', 'new-started'] as const satisfies readonly CrashPoint[]) {
  test(`the engine gone at ${point}: the refresh stays open, and the next process finishes it once the engine is back`, async (t) => {
    const box = FakeBox.for(t);
    box.publish(REF);
    await box.start().client.call('apps:create', { name: 'web', services: [{ name: 'main', image: REF }] });
    const v2 = box.publish(REF);

    const first = box.start();
    first.deps.checkpoint = (reached) => {
      if (reached === point) box.engine.reachable = false;
    };
    await assert.rejects(first.client.call('apps:refresh', { name: 'web' }), (error: Error) => {
      assert.match(error.message, /^the engine went away while operation \d+ switched the containers of app web: Docker Engine not reachable/);
      assert.match((error as Error & { hint?: string }).hint ?? '', /tagkeeper app show web/);
      return true;
    });
    const [open] = first.store.listOpenOperations('web');
    assert.deepEqual([open?.state, open?.phase], ['running', 'switching'], 'left open, mid-switch');
    assert.deepEqual(first.store.listLedger({ app: 'web' }).filter((e) => e.action === 'refresh'), [], 'not recorded as failed');

    box.exit(first);
    box.engine.reachable = true;
    const next = box.start();
    const view = await next.client.call('apps:show', { name: 'web' });
    assert.equal(view.state, 'running');
    assert.deepEqual(view.openOperations, []);
    const containers = box.engine.allContainers().filter((c) => c.labels[LABEL.app] === 'web');
    assert.deepEqual(containers.map((c) => [c.image, c.running]), [[v2.imageId, true]], 'one running container, on the new image');
    assert.equal(view.services[0].latched?.manifestDigest, v2.manifestDigest);
    assert.deepEqual(next.store.listLedger({ app: 'web' }).filter((e) => e.action === 'refresh').map((e) => e.outcome), ['ok']);
  });
}
