/**
 * Crash safety of a Compose app's update and refresh, on the fake box: the process is killed
 * at each crash point (from then on it reaches neither the store nor the engine, as after
 * SIGKILL), then another process on the same store and engine runs operations:resume. The
 * app must end on its old or its new definition as a whole — store and engine agreeing,
 * one container per service, nothing set aside — with the request finished exactly once
 * and the service no definition touched never stopped. The same kills of a real process
 * run in test/integration/lifecycle-crash.test.ts.
 */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { OPERATION_CRASH_POINTS, type CrashPoint } from '../../main/core/ports/deps';
import { FakeBox, type FakeProcess } from '../helpers/fake-deps';
import { FILE, assertConsistent, changesTo, createComposeApp, idsBy } from '../helpers/fake-compose-app';

const service = (name: string, tag: string, env: string) => `  ${name}:\n    image: registry.test/shop/${name}:${tag}\n    environment: {X: "${env}"}\n`;
/** a and b change, c is added, d stays as it is. */
const OLD = `services:\n${service('a', '1', '1')}${service('b', '1', '1')}${service('d', '1', '1')}`;
const NEW = `services:\n${service('a', '2', '2')}${service('c', '1', '1')}${service('d', '1', '1')}volumes:\n  data: {}\n`;

async function created(t: TestContext, yaml: string) {
  const box = FakeBox.for(t);
  for (const name of ['a', 'b', 'c', 'd']) box.publish(`registry.test/shop/${name}:1`);
  await createComposeApp(box, box.start(), yaml);
  return box;
}

/** Asks `request` of a process killed at `point`: it dies there, without an answer. */
async function killedAt(box: FakeBox, point: CrashPoint, request: (proc: FakeProcess) => Promise<unknown>): Promise<void> {
  const proc = box.start({ crashAt: point });
  await assert.rejects(request(proc), new RegExp(`process ${proc.pid} was killed at ${point}`));
  assert.equal(proc.killedAt, point);
  const [open] = proc.store.listOpenOperations('shop');
  assert.deepEqual([open?.state, open?.ownerPid], ['running', proc.pid], 'the operation was left running by the dead process');
}

/** operations:resume in a new process; returns it once the resumed operation has finished. */
async function resumed(box: FakeBox, outcome: string): Promise<FakeProcess> {
  const proc = box.start();
  const { resumed } = await proc.client.call('operations:resume', {});
  assert.deepEqual(resumed.map((r) => r.outcome), [outcome]);
  assert.deepEqual(proc.store.listOpenOperations(), []);
  assert.deepEqual((await proc.client.call('operations:resume', {})).resumed, [], 'a second resume finds nothing to do');
  return proc;
}

/** One ledger line for the request: it finished once. */
function assertFinishedOnce(proc: FakeProcess, action: string, outcome: string): void {
  assert.deepEqual(proc.store.listLedger({ app: 'shop' }).filter((e) => e.action === action).map((e) => e.outcome), [outcome]);
}

/**
 * The steps an update that purges nothing passes once a process has taken it (a request killed
 * before that is test/unit/request-waiter.test.ts): all but `volumes-removed`, and either
 * `old-removed` (the new content stays up) or `going-back`.
 */
const passed = (outcome: 'stays up' | 'goes back') =>
  OPERATION_CRASH_POINTS.filter((p) => p !== 'request-recorded' && p !== 'volumes-removed' && p !== (outcome === 'stays up' ? 'going-back' : 'old-removed'));

describe('a definition update killed at each crash point, then resumed', () => {
  // A definition change pulls new drives while it resolves, before its downloads step.
  const reached = (outcome: 'stays up' | 'goes back') => passed(outcome).filter((p) => p !== 'during-download');
  for (const point of reached('stays up')) {
    test(`${point}: the new containers stay up, so the app ends on the new definition`, async (t) => {
      const box = await created(t, OLD);
      box.publish('registry.test/shop/a:2');
      const mark = box.engine.calls.length;
      const d = idsBy(box).d;
      box.files[FILE] = NEW;
      await killedAt(box, point, (proc) => proc.client.call('compose:update', { name: 'shop', file: FILE }));
      const proc = await resumed(box, 'done');
      const app = proc.store.getApp('shop')!;
      assert.deepEqual(app.services.map((s) => s.name), ['a', 'c', 'd']);
      assert.equal(app.services.find((s) => s.name === 'a')?.reference, 'registry.test/shop/a:2');
      assertConsistent(box, app);
      assert.deepEqual(changesTo(box, d, mark), [], 'd was never touched');
      assertFinishedOnce(proc, 'update', 'ok');
    });
  }

  for (const point of reached('goes back')) {
    test(`${point}: a new container does not stay up, so the app ends on the old definition`, async (t) => {
      const box = await created(t, OLD);
      const v2 = box.publish('registry.test/shop/a:2');
      box.engine.script({ image: v2.imageId }, { exit: { afterMs: 800, code: 2 } });
      const before = idsBy(box);
      const hash = box.start().store.getApp('shop')!.compose!.hash;
      box.files[FILE] = NEW;
      await killedAt(box, point, (proc) => proc.client.call('compose:update', { name: 'shop', file: FILE }));
      const proc = await resumed(box, 'rolled-back');
      const app = proc.store.getApp('shop')!;
      assert.equal(app.compose!.hash, hash);
      assert.deepEqual(idsBy(box), before, 'the very containers that ran before');
      assertConsistent(box, app);
      assertFinishedOnce(proc, 'update', 'rolled-back');
    });
  }

  test('during-download is not reached by a definition update (its pulls happen while it resolves)', async (t) => {
    const box = await created(t, OLD);
    box.publish('registry.test/shop/a:2');
    box.files[FILE] = NEW;
    const proc = box.start({ crashAt: 'during-download' });
    const answer = await proc.client.call('compose:update', { name: 'shop', file: FILE });
    assert.equal(proc.killedAt, null);
    assert.equal((answer.result as { outcome: string }).outcome, 'done');
    assertConsistent(box, proc.store.getApp('shop')!);
  });
});

describe('a refresh of a Compose app killed at each crash point, then resumed', () => {
  for (const point of passed('stays up')) {
    test(`${point}: the app ends on the new digests of the moved services, the others untouched`, async (t) => {
      const box = await created(t, OLD);
      const moved = { a: box.publish('registry.test/shop/a:1'), b: box.publish('registry.test/shop/b:1') };
      const mark = box.engine.calls.length;
      const d = idsBy(box).d;
      await killedAt(box, point, (proc) => proc.client.call('apps:refresh', { name: 'shop' }));
      const proc = await resumed(box, 'done');
      const app = proc.store.getApp('shop')!;
      for (const [name, image] of Object.entries(moved)) assert.equal(app.services.find((s) => s.name === name)?.latched?.imageId, image.imageId);
      assertConsistent(box, app);
      assert.deepEqual(changesTo(box, d, mark), []);
      assertFinishedOnce(proc, 'refresh', 'ok');
    });
  }
});
