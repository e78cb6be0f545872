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
import { COMPOSE_LABEL, LABEL } from '../../main/core/apps/app-topology';
import { FILE, assertConsistent, changesTo, createComposeApp, idsBy } from '../helpers/fake-compose-app';

const service = (name: string, tag: string, env: string, more = '') => `  ${name}:\n    image: registry.test/shop/${name}:${tag}\n    environment: {X: "${env}"}\n${more}`;
/** a publishes a host port, so its old container must be stopped before its new one can start. */
const PORT = '    ports: ["127.0.0.1:8080:80"]\n';
/** a and b change, c is added, d stays as it is. */
const OLD = `services:\n${service('a', '1', '1', PORT)}${service('b', '1', '1')}${service('d', '1', '1')}`;
const NEW = `services:\n${service('a', '2', '2', PORT)}${service('c', '1', '1')}${service('d', '1', '1')}volumes:\n  data: {}\n`;

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

/** Killed before the switch: the new containers are made, but every old one still runs under its name. */
function assertOldStillServe(box: FakeBox, services: string[], made: string[]): void {
  for (const service of services) {
    const c = box.engine.allContainers().find((x) => x.name === `shop-${service}-1`);
    assert.deepEqual([c?.status, c?.labels[LABEL.operation]], ['running', undefined], `${service}'s old container still runs as shop-${service}-1`);
  }
  const fresh = box.engine.allContainers().filter((x) => x.labels[LABEL.operation] !== undefined);
  assert.deepEqual(fresh.map((x) => [x.labels[COMPOSE_LABEL.service], x.status]).sort(), made.map((service) => [service, 'created']), 'the new containers are made, not started');
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
      if (point === 'before-switch') assertOldStillServe(box, ['a', 'b', 'd'], ['a', 'c']);
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

describe('a refresh of a Compose app killed right after each change it makes to the engine, then resumed', () => {
  // Between any two steps of the switch (a new container made under a temporary name, the old
  // one renamed aside while it runs, the new one renamed, the old one stopped, the new one
  // started, the old one removed — or, going back, the new one removed and the old one renamed
  // back and started): the app ends on all-new or all-old containers, nothing left over.
  for (const stays of [true, false]) {
    test(stays ? 'the new containers stay up: it ends on the new digests' : 'a new container exits: it ends on the very containers that ran before', async (t) => {
      for (let changes = 1; ; changes++) {
        const box = await created(t, OLD);
        const moved = { a: box.publish('registry.test/shop/a:1'), b: box.publish('registry.test/shop/b:1') };
        if (!stays) box.engine.script({ image: moved.a.imageId }, { exit: { afterMs: 800, code: 2 } });
        const before = idsBy(box);
        const mark = box.engine.calls.length;
        const proc = box.start({ killAfterEngineChanges: changes });
        const answer = await proc.client.call('apps:refresh', { name: 'shop' }).then(() => null, (error: unknown) => error);
        if (proc.killedAt === null) {
          assert.equal(answer, null);
          assert.ok(changes > 8, `a refresh of two services makes more than 8 changes (it made ${changes - 1})`);
          break;
        }
        assert.match(String(answer), new RegExp(`killed at engine change ${changes}$`));
        const after = await resumed(box, stays ? 'done' : 'rolled-back');
        const app = after.store.getApp('shop')!;
        assertConsistent(box, app);
        assert.deepEqual(changesTo(box, before.d, mark), [], `killed after change ${changes}: d was never touched`);
        if (stays) {
          for (const [name, image] of Object.entries(moved)) assert.equal(app.services.find((s) => s.name === name)?.latched?.imageId, image.imageId);
          assertFinishedOnce(after, 'refresh', 'ok');
        } else {
          assert.deepEqual(idsBy(box), before, `killed after change ${changes}: the very containers that ran before`);
          assertFinishedOnce(after, 'refresh', 'rolled-back');
        }
      }
    });
  }
});
