/**
 * The engine watch of a long-lived instance: container events become app-changed; a broken
 * event stream (the engine stopped or restarted) is said once, subscribed again with back-off
 * (0.5 s doubling to 30 s), and once open again said so, the back-off starting over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CoreEvent } from '../../main/api/types/events';
import { RESUBSCRIBE_MS, watchEngine } from '../../main/core/background/engine-watch';
import type { EngineEvent } from '../../main/core/ports/engine-port';
import { FakeClock } from '../helpers/fake-clock';
import { FakeEngine } from '../helpers/fake-engine';

/** A sleep that waits until the test wakes it, noting how long it was asked to wait. */
function heldSleeps() {
  const asked: number[] = [];
  let wake: (() => void) | null = null;
  return {
    asked,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        asked.push(ms);
        const cancel = () => reject(new Error('cancelled'));
        signal?.addEventListener('abort', cancel, { once: true });
        wake = () => {
          signal?.removeEventListener('abort', cancel);
          resolve();
        };
      }),
    wake() {
      const w = wake;
      wake = null;
      w?.();
    },
  };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};
const containerEvent = (app: string, action = 'die'): EngineEvent => ({ type: 'container', action, id: 'c1', labels: { 'tagkeeper.app': app }, time: 0 });

test('a broken event stream is said once, tried again after 0.5 s, 1 s, 2 s … 30 s, and announced when open again', async () => {
  const engine = new FakeEngine(new FakeClock());
  const sleeps = heldSleeps();
  const events: CoreEvent[] = [];
  const said: string[] = [];
  const stop = watchEngine({ engine, emit: (e) => events.push(e), sleep: sleeps.sleep }, { lost: (m) => said.push(`lost: ${m}`), back: () => said.push('back') });
  try {
    await settle();
    engine.announce(containerEvent('web'));
    assert.deepEqual(events, [{ type: 'app-changed', app: 'web' }]);

    engine.reachable = false;
    engine.breakSubscriptions();
    await settle();
    for (let i = 0; i < 9; i++) {
      sleeps.wake();
      await settle();
    }
    assert.deepEqual(sleeps.asked, [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    assert.equal(RESUBSCRIBE_MS.max, 30_000);
    assert.deepEqual(events.slice(1), [{ type: 'engine-changed', reachable: false }], 'said once, however many tries fail');
    assert.deepEqual(said, ['lost: the engine ended the event stream']);

    engine.reachable = true;
    sleeps.wake();
    await settle();
    assert.deepEqual(events.slice(2), [{ type: 'engine-changed', reachable: true }]);
    assert.deepEqual(said.slice(1), ['back']);
    engine.announce(containerEvent('web', 'start'));
    assert.deepEqual(events.slice(3), [{ type: 'app-changed', app: 'web' }], 'events flow on the new stream');

    // Back-off starts over after a stream that opened.
    engine.breakSubscriptions();
    await settle();
    assert.equal(sleeps.asked.at(-1), 500);
  } finally {
    stop();
  }
});

test('stopping the watch ends the subscription and the waits: nothing more is emitted', async () => {
  const engine = new FakeEngine(new FakeClock());
  const sleeps = heldSleeps();
  const events: CoreEvent[] = [];
  const stop = watchEngine({ engine, emit: (e) => events.push(e), sleep: sleeps.sleep });
  await settle();
  engine.reachable = false;
  engine.breakSubscriptions();
  await settle();
  assert.deepEqual(sleeps.asked, [500]);
  stop();
  engine.reachable = true;
  sleeps.wake();
  await settle();
  engine.announce(containerEvent('web'));
  assert.deepEqual(events, [{ type: 'engine-changed', reachable: false }]);
});

test('events of containers that are no app\'s, and of images, are not announced', async () => {
  const engine = new FakeEngine(new FakeClock());
  const events: CoreEvent[] = [];
  const stop = watchEngine({ engine, emit: (e) => events.push(e), sleep: heldSleeps().sleep });
  await settle();
  engine.announce({ type: 'container', action: 'die', id: 'x', labels: {}, time: 0 });
  engine.announce({ type: 'image', action: 'pull', id: 'busybox', labels: { 'tagkeeper.app': 'web' }, time: 0 });
  engine.announce(containerEvent('shop', 'exec_start: sh'));
  engine.announce({ type: 'container', action: 'health_status: healthy', id: 'y', labels: { 'com.docker.compose.project': 'adopted' }, time: 0 });
  stop();
  assert.deepEqual(events, [{ type: 'app-changed', app: 'adopted' }]);
});
