import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openMemoryStore } from '../../main/store/sqlite-store';
import { canJoin, mergeFlags, resultKind, NO_FLAGS } from '../../main/core/operations/operation-flags';
import type { OperationResult } from '../../main/api/types/operations';

const settings = { env: [], volumes: [], ports: [], restartPolicy: 'no' as const };
function storeWithApp() {
  const store = openMemoryStore();
  store.insertApp({ name: 'a', pullPolicy: null, checkOnStart: null, services: [{ name: 'main', reference: 'x', canonical: 'docker.io/library/x:latest', pinnedDigest: null, settings }] }, 't0');
  return store;
}
const refresh = { refresh: true, restart: false, purge: false };
const restart = { refresh: false, restart: true, purge: false };
const purge = { refresh: false, restart: false, purge: true };
const rollback = { refresh: false, restart: false, purge: false, rollback: true };
const submit = (store: ReturnType<typeof storeWithApp>, flags = refresh, kind: 'update' | 'start' | 'stop' = 'update') =>
  store.submitOperation({ app: 'a', kind, flags, trigger: 'user', actor: 'me' }, 't');
const alive = (live: number[]) => (pid: number) => live.includes(pid);
/** A process as an operation's owner: its PID and when it started. */
const owner = (pid: number, started: string | null = `start-of-${pid}`) => ({ pid, started });

test('flags add up like counters, and results are named by what was asked', () => {
  assert.deepEqual(mergeFlags(refresh, restart), { refresh: true, restart: true, purge: false });
  assert.deepEqual(mergeFlags(NO_FLAGS, purge), purge);
  assert.equal(resultKind('update', mergeFlags(refresh, purge)), 'refresh');
  assert.equal(resultKind('update', purge), 'purge');
  assert.equal(resultKind('update', restart), 'restart');
  assert.equal(resultKind('stop', NO_FLAGS), 'stop');
});

test('requests arriving together are merged into one pending operation', () => {
  const store = storeWithApp();
  const first = submit(store, refresh);
  const second = submit(store, restart);
  const third = submit(store, purge);
  assert.equal(second.id, first.id);
  assert.equal(third.id, first.id);
  assert.deepEqual(third.flags, { refresh: true, restart: true, purge: true, rollback: false, approve: false });
  assert.equal(third.requests, 3);
  assert.equal(store.listOpenOperations('a').length, 1);
});

test('start and stop are never merged with updates', () => {
  const store = storeWithApp();
  const update = submit(store, refresh);
  const stop = submit(store, NO_FLAGS, 'stop');
  assert.notEqual(stop.id, update.id);
  assert.equal(canJoin(stop, 'update'), false);
});

test('a restart asked for while a refresh downloads joins it; after the decision it waits its turn', () => {
  const store = storeWithApp();
  const op = submit(store, refresh);
  store.claimOperation('a', owner(100), alive([100]), 't');
  store.setOperationProgress(op.id, 'downloading', { services: [] }, 't');
  const joined = submit(store, restart);
  assert.equal(joined.id, op.id, 'deferred into the running refresh');
  const decided = store.decideOperation(op.id, 't');
  assert.deepEqual(decided.plan?.decided, { refresh: true, restart: true, purge: false, rollback: false, approve: false, switch: true });
  const later = submit(store, purge);
  assert.notEqual(later.id, op.id, 'too late to join: queued as the next operation');
  assert.equal(later.state, 'pending');
});

test('only one live process works on an app; a dead owner\'s work is taken over', () => {
  const store = storeWithApp();
  const op = submit(store, refresh);
  const mine = store.claimOperation('a', owner(100), alive([100, 200]), 't');
  assert.equal(mine?.id, op.id);
  assert.equal(mine?.ownerPid, 100);
  assert.equal(store.claimOperation('a', owner(200), alive([100, 200]), 't'), null, 'owner 100 is alive');
  const taken = store.claimOperation('a', owner(200), alive([200]), 't');
  assert.equal(taken?.id, op.id, 'owner 100 died: 200 resumes the same operation');
  assert.equal(taken?.ownerPid, 200);
});

test('the owner is its PID and its start: a PID given to another process since does not keep the work', () => {
  const store = storeWithApp();
  const op = submit(store, refresh);
  store.claimOperation('a', owner(100, 'boot/500'), alive([100]), 't');
  assert.deepEqual([store.getOperation(op.id)?.ownerPid, store.getOperation(op.id)?.ownerStarted], [100, 'boot/500']);
  // PID 100 runs again, but a process that started at another time.
  const holders = new Map([[100, 'boot/900'], [200, 'boot/950']]);
  const isAlive = (pid: number, started: string | null) => holders.has(pid) && (started === null || holders.get(pid) === started);
  const taken = store.claimOperation('a', owner(200, 'boot/950'), isAlive, 't');
  assert.equal(taken?.id, op.id, 'the dead owner\'s work is taken over');
  assert.deepEqual([taken?.ownerPid, taken?.ownerStarted], [200, 'boot/950']);
  assert.equal(store.claimOperation('a', owner(100, 'boot/900'), isAlive, 't'), null, 'and the new holder of PID 100 waits for 200');
});

test('finishing is atomic and happens once', () => {
  const store = storeWithApp();
  const op = submit(store, refresh);
  store.claimOperation('a', owner(1), alive([1]), 't');
  const result: OperationResult = { operation: op.id, app: 'a', kind: 'refresh', outcome: 'done', changed: true, restarted: true, purged: false, services: [], error: null };
  const latched = { indexDigest: 'sha256:' + '1'.repeat(64), manifestDigest: 'sha256:' + '2'.repeat(64), imageId: 'sha256:' + '3'.repeat(64), source: 'registry' as const, at: 't' };
  const commit = {
    latch: [{ service: 'main', latched }],
    containers: [{ service: 'main', containerId: 'c1' }],
    intent: 'running' as const,
    ledger: [{ app: 'a', service: null, action: 'refresh' as const, from: null, to: null, source: null, trigger: 'user', actor: 'me', outcome: 'ok' as const, detail: null }],
  };
  store.finishOperation(op.id, result, commit, 't1');
  store.finishOperation(op.id, result, commit, 't2');
  assert.equal(store.getOperation(op.id)?.state, 'done');
  assert.deepEqual(store.getOperation(op.id)?.result, result);
  assert.equal(store.getApp('a')!.services[0].latched?.imageId, latched.imageId);
  assert.equal(store.getApp('a')!.services[0].containerId, 'c1');
  assert.equal(store.listLedger({ app: 'a' }).filter((e) => e.action === 'refresh').length, 1, 'one ledger entry, not two');
  assert.deepEqual(store.listOpenOperations(), []);
});

test('a failed finish changes nothing else', () => {
  const store = storeWithApp();
  const op = submit(store, refresh);
  const result: OperationResult = { operation: op.id, app: 'a', kind: 'refresh', outcome: 'failed', changed: false, restarted: false, purged: false, services: [], error: { code: 'registry-unreachable', message: 'down' } };
  const bad = { latch: [], containers: [], ledger: [{ app: 'a', service: null, action: 'refresh' as const, from: null, to: null, source: null, trigger: 'user', actor: 'me', outcome: 'failed' as const, detail: 'down' }] };
  store.finishOperation(op.id, result, bad, 't');
  assert.equal(store.getOperation(op.id)?.state, 'failed');
  assert.equal(store.getApp('a')!.services[0].latched, null);
});

test('a rollback is never merged with a refresh, restart or purge, either way round', () => {
  const pending = { kind: 'update' as const, state: 'pending' as const, phase: 'queued' as const };
  const downloading = { kind: 'update' as const, state: 'running' as const, phase: 'downloading' as const };
  assert.equal(canJoin({ ...pending, flags: rollback }, 'update', refresh), false, 'a refresh does not join a pending rollback');
  assert.equal(canJoin({ ...pending, flags: rollback }, 'update', restart), false);
  assert.equal(canJoin({ ...pending, flags: rollback }, 'update', purge), false);
  assert.equal(canJoin({ ...pending, flags: rollback }, 'update'), false, 'no flags: not a rollback');
  assert.equal(canJoin({ ...pending, flags: refresh }, 'update', rollback), false, 'a rollback does not join a pending refresh');
  assert.equal(canJoin({ ...pending, flags: restart }, 'update', rollback), false);
  assert.equal(canJoin({ ...downloading, flags: refresh }, 'update', rollback), false, 'nor a refresh still downloading');
  assert.equal(canJoin({ ...pending, flags: rollback }, 'update', rollback), true, 'two rollbacks asked together are one');
  assert.equal(canJoin({ ...downloading, flags: rollback }, 'update', rollback), false, 'a running rollback takes nothing');
  assert.equal(canJoin({ ...pending, flags: rollback }, 'stop', NO_FLAGS), false);
  assert.equal(canJoin({ ...pending, flags: refresh }, 'update', restart), true, 'the other merges are unchanged');
  assert.equal(resultKind('update', rollback), 'rollback');
});

test('the store keeps rollbacks apart: a refresh and a rollback asked together are two operations', () => {
  const store = storeWithApp();
  const first = submit(store, refresh);
  const back = submit(store, rollback);
  const again = submit(store, rollback);
  const later = submit(store, restart);
  assert.notEqual(back.id, first.id);
  assert.equal(back.flags.rollback, true);
  assert.equal(again.id, back.id, 'rollbacks merge with each other');
  assert.equal(again.requests, 2);
  assert.equal(later.id, first.id, 'a restart joins the pending refresh, not the rollback');
  assert.deepEqual(store.getOperation(first.id)?.flags, { refresh: true, restart: true, purge: false, rollback: false, approve: false });
  assert.deepEqual(store.getOperation(back.id)?.flags, { refresh: false, restart: false, purge: false, rollback: true, approve: false });
  assert.deepEqual(store.listOpenOperations('a').map((o) => o.id), [first.id, back.id]);
});

test('latching the previous content keeps the rolled-back-from content as the new previous', () => {
  const store = storeWithApp();
  const content = (n: string) => ({ indexDigest: 'sha256:' + n.repeat(64), manifestDigest: 'sha256:' + n.repeat(64), imageId: 'sha256:' + n.repeat(64), source: 'registry' as const, at: 't' });
  store.latchService('a', 'main', content('1'));
  store.latchService('a', 'main', content('2'));
  assert.equal(store.getApp('a')!.services[0].previous?.imageId, content('1').imageId);
  store.latchService('a', 'main', content('1')); // a rollback
  const s = store.getApp('a')!.services[0];
  assert.equal(s.latched?.imageId, content('1').imageId);
  assert.equal(s.previous?.imageId, content('2').imageId, 'a second rollback goes forward again');
});
