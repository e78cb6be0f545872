// Data stays per engine (main/core/device/engine-identity.ts) on the fake engine and an
// in-memory store: the first contact records the engine; every engine call (the ping, the
// event stream) is refused for another one, naming both; where and who it is never are;
// `engine accept` takes over once with a ledger entry; an engine without ID is not held.
// Against real engines: test/integration/engine-data-dir.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TagkeeperError } from '../../main/api/errors';
import { acceptEngine, guardEngineIdentity, sameEngine } from '../../main/core/device/engine-identity';
import { engineStatus } from '../../main/core/device/engine-status';
import { openMemoryStore } from '../../main/store/sqlite-store';
import { FakeClock } from '../helpers/fake-clock';
import { FakeEngine } from '../helpers/fake-engine';

function box() {
  const clock = new FakeClock();
  const engine = new FakeEngine(clock);
  const store = openMemoryStore();
  const now = () => new Date('2025-03-04T05:06:07Z');
  /** A new instance (a new process) on the same store: the guard checks once per instance. */
  const open = () => guardEngineIdentity(engine, { store, dataDir: '/data', now });
  return { engine, store, guarded: open(), open, now };
}

const isMismatch = (error: unknown): boolean => error instanceof TagkeeperError && error.code === 'engine-mismatch';

describe('a data directory keeps to its engine', () => {
  test('the first call records the engine; calls after it go through', async () => {
    const { store, guarded } = box();
    assert.equal(store.getEngineRecord(), null, 'nothing before the first contact');
    assert.deepEqual(await guarded.listImages(), []);
    assert.deepEqual(store.getEngineRecord(), { id: 'fake-engine-1', root: '/var/lib/docker', name: 'fake-box', endpoint: 'fake://engine', recordedAt: '2025-03-04T05:06:07.000Z' });
    await guarded.ping();
  });

  test('another engine behind the endpoint: every call refused, naming both and the way out; who and where still answer', async () => {
    const { engine, store, guarded: first, open } = box();
    await first.ping();
    engine.engineId = { id: 'fake-engine-1', root: '/srv/docker', name: 'fake-box' };
    const guarded = open();
    for (const call of [() => guarded.ping(), () => guarded.listImages(), () => guarded.inspectContainer('x'), () => guarded.platform()]) {
      await assert.rejects(call(), isMismatch);
    }
    const refusal = await guarded.listImages().catch((error: TagkeeperError) => error);
    assert.equal(
      (refusal as TagkeeperError).message,
      'the data directory /data belongs to the Docker Engine "fake-box" (ID fake-engine-1, data root /var/lib/docker), first reached at fake://engine on 2025-03-04; ' +
        'the engine at fake://engine (from the test) is another one: "fake-box" (ID fake-engine-1, data root /srv/docker)',
    );
    assert.match((refusal as TagkeeperError).hint ?? '', /--data-dir DIR or TAGKEEPER_DATA_DIR=DIR.*tagkeeper engine accept$/);
    assert.equal(guarded.endpoint, 'fake://engine');
    assert.deepEqual(await guarded.identity(), engine.engineId);
    const errors: Error[] = [];
    guarded.subscribe(() => assert.fail('no events from another engine'), (error) => errors.push(error));
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(isMismatch(errors[0]), String(errors[0]));
    assert.equal(store.getEngineRecord()?.root, '/var/lib/docker', 'the record stays');
    const status = await engineStatus({ engine: guarded });
    assert.deepEqual([status.reachable, status.error?.code], [false, 'engine-mismatch']);
  });

  test('engine accept takes the data directory over, once, with a ledger entry; then calls go through', async () => {
    const { engine, store, guarded: first, open, now } = box();
    await first.ping();
    engine.engineId = { id: 'fake-engine-2', root: '/var/lib/docker', name: 'new-box' };
    const guarded = open();
    await assert.rejects(guarded.listImages(), isMismatch);
    const answer = await acceptEngine({ engine: guarded, store, actor: 'tech', now });
    assert.deepEqual([answer.engine.id, answer.previous?.id], ['fake-engine-2', 'fake-engine-1']);
    assert.deepEqual(await guarded.listImages(), []);
    const again = await acceptEngine({ engine: guarded, store, actor: 'tech', now });
    assert.deepEqual([again.engine.id, again.previous?.id], ['fake-engine-2', 'fake-engine-2']);
    const entries = store.listLedger().filter((e) => e.trigger === 'engine-accept');
    assert.equal(entries.length, 1);
    assert.deepEqual([entries[0].app, entries[0].action, entries[0].actor, entries[0].outcome], ['(device)', 'configure', 'tech', 'ok']);
    assert.match(entries[0].detail ?? '', /now belongs to the Docker Engine "new-box" \(ID fake-engine-2, .*\) at fake:\/\/engine, instead of "fake-box" \(ID fake-engine-1, /);
  });

  test('an unreachable engine is said as before (nothing recorded); an engine that gives no ID is not held to anything', async () => {
    const { engine, store, guarded } = box();
    engine.reachable = false;
    await assert.rejects(guarded.listImages(), (error: unknown) => error instanceof TagkeeperError && error.code === 'engine-unreachable');
    assert.equal(store.getEngineRecord(), null);
    engine.reachable = true;
    engine.engineId = { id: '', root: '', name: '' };
    assert.deepEqual(await guarded.listImages(), []);
    assert.equal(store.getEngineRecord(), null);
  });

  test('the same engine: the same ID and data root (one that gives no data root, by its ID)', () => {
    assert.equal(sameEngine({ id: 'A', root: '/r', name: 'x' }, { id: 'A', root: '/r', name: 'renamed' }), true);
    assert.equal(sameEngine({ id: 'A', root: '/r', name: 'x' }, { id: 'A', root: '/s', name: 'x' }), false);
    assert.equal(sameEngine({ id: 'A', root: '/r', name: 'x' }, { id: 'B', root: '/r', name: 'x' }), false);
    assert.equal(sameEngine({ id: 'A', root: '', name: 'x' }, { id: 'A', root: '/r', name: 'x' }), true);
  });
});
