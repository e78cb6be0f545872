import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openMemoryStore } from '../../main/store/sqlite-store';
import type { LedgerAction, NewLedgerEntry } from '../../main/api/types/apps';
import type { OperationResult } from '../../main/api/types/operations';
import type { PendingUpdate, UpdateFindings, UpdateProposal } from '../../main/api/types/updates';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const settings = { env: [], volumes: [], ports: [], restartPolicy: 'no' as const };

function storeWithApp() {
  const store = openMemoryStore();
  store.insertApp(
    {
      name: 'shop',
      pullPolicy: null,
      checkOnStart: null,
      services: [
        { name: 'web', reference: 'web:1', canonical: 'docker.io/library/web:1', pinnedDigest: null, settings },
        { name: 'db', reference: 'db:1', canonical: 'docker.io/library/db:1', pinnedDigest: null, settings },
      ],
    },
    't0',
  );
  return store;
}
type Store = ReturnType<typeof storeWithApp>;

const proposal = (service: string, to: string, source: UpdateProposal['source'] = 'registry', imageId?: string): UpdateProposal => ({
  app: 'shop', service, from: { indexDigest: d('0'), manifestDigest: d('0') }, to: { indexDigest: to, manifestDigest: to }, source, imageId,
});
const propose = (store: Store, ...p: UpdateProposal[]) => store.recordCheck([], [], { propose: p, withdraw: [] }, 't1');
const withdraw = (store: Store, service: string) => store.recordCheck([], [], { propose: [], withdraw: [{ app: 'shop', service }] }, 't2');
const rows = (store: Store) => store.listPendingUpdates({ app: 'shop' }).reverse();
const states = (store: Store) => rows(store).map((r) => [r.service, r.to.manifestDigest, r.state]);
const entries = (action: LedgerAction) => (list: PendingUpdate[]): NewLedgerEntry[] =>
  list.map((u) => ({ app: u.app, service: u.service, action, from: u.from, to: u.to, source: u.source, trigger: 'user', actor: 'ann', outcome: 'ok', detail: null }));
const approve = (store: Store, ids: number[], trigger = 'user') => store.approveUpdates(ids, { app: 'shop', trigger, actor: 'ann' }, entries('approve'), 't3');

test('a proposal becomes one pending row; the same digest again keeps that row and learns a staged image', () => {
  const store = storeWithApp();
  const [first] = propose(store, proposal('web', d('a')));
  assert.equal(first.state, 'pending');
  assert.equal(first.app, 'shop');
  assert.equal(first.service, 'web');
  assert.deepEqual(first.to, { indexDigest: d('a'), manifestDigest: d('a') });
  assert.deepEqual(first.from, { indexDigest: d('0'), manifestDigest: d('0') });
  assert.equal(first.foundAt, 't1');
  assert.equal(first.imageId, null);

  const [again] = propose(store, { ...proposal('web', d('a'), 'registry', d('c')), to: { indexDigest: d('i'), manifestDigest: d('a') } });
  assert.equal(again.id, first.id, 'no second row');
  assert.equal(again.imageId, d('c'));
  assert.equal(again.to.indexDigest, d('i'), 'the index digest seen last');
  assert.equal(again.foundAt, 't1', 'found when first seen');
  assert.equal(rows(store).length, 1);
});

test('a different digest supersedes the waiting one', () => {
  const store = storeWithApp();
  propose(store, proposal('web', d('a')));
  const [next] = store.recordCheck([], [], { propose: [proposal('web', d('b'))], withdraw: [] }, 't5');
  assert.equal(next.to.manifestDigest, d('b'));
  assert.deepEqual(states(store), [['web', d('a'), 'superseded'], ['web', d('b'), 'pending']]);
  assert.equal(rows(store)[0].reason, `superseded by ${d('b')}`);
  assert.equal(rows(store)[0].decidedAt, 't5');
});

test('drives are independent: one open row per drive', () => {
  const store = storeWithApp();
  const touched = propose(store, proposal('web', d('a')), proposal('db', d('b')));
  assert.deepEqual(touched.map((u) => u.service), ['web', 'db']);
  assert.deepEqual(store.listPendingUpdates({ app: 'shop', service: 'db' }).map((u) => u.to.manifestDigest), [d('b')]);
  assert.deepEqual(store.listPendingUpdates({ states: ['pending'] }).length, 2);
});

test('a rejected digest is not proposed again for that drive; a different one is', () => {
  const store = storeWithApp();
  const [row] = propose(store, proposal('web', d('a')));
  const rejected = store.rejectUpdates([row.id], 'ann', entries('reject'), 't3');
  assert.deepEqual(rejected.map((u) => [u.state, u.decidedBy, u.decidedAt]), [['rejected', 'ann', 't3']]);
  assert.deepEqual(store.listLedger({ app: 'shop' }).map((e) => [e.action, e.actor]), [['reject', 'ann']]);

  assert.deepEqual(propose(store, proposal('web', d('a'))), [], 'the same digest is ignored');
  assert.deepEqual(states(store), [['web', d('a'), 'rejected']]);
  assert.deepEqual(propose(store, proposal('db', d('a'))).map((u) => u.service), ['db'], 'rejected for web only, not for db');
  assert.deepEqual(propose(store, proposal('web', d('b'))).map((u) => u.to.manifestDigest), [d('b')]);
  assert.deepEqual(states(store), [['web', d('a'), 'rejected'], ['db', d('a'), 'pending'], ['web', d('b'), 'pending']]);
  assert.deepEqual(store.rejectUpdates([row.id], 'bob', entries('reject'), 't4'), [], 'a decided row is not decided again');
});

test('a drive found up to date withdraws registry proposals only, not a bundle\'s', () => {
  const store = storeWithApp();
  propose(store, proposal('web', d('a')), proposal('db', d('b'), 'bundle', d('c')));
  withdraw(store, 'web');
  withdraw(store, 'db');
  assert.deepEqual(states(store), [['web', d('a'), 'superseded'], ['db', d('b'), 'pending']]);
  assert.equal(rows(store)[0].reason, 'the service is up to date again');
});

test('approving submits one operation for all the rows, records who, and writes the ledger with it', () => {
  const store = storeWithApp();
  const touched = propose(store, proposal('web', d('a')), proposal('db', d('b')));
  const { operation, approved } = approve(store, touched.map((u) => u.id));
  assert.ok(operation);
  assert.equal(operation.kind, 'update');
  assert.equal(operation.flags.approve, true);
  assert.equal(operation.flags.refresh, false);
  assert.equal(operation.actor, 'ann');
  assert.equal(store.listOpenOperations('shop').length, 1, 'one operation');
  assert.deepEqual(approved.map((u) => [u.service, u.state, u.decidedBy, u.operationId]), [
    ['web', 'approved', 'ann', operation.id],
    ['db', 'approved', 'ann', operation.id],
  ]);
  assert.deepEqual(store.listLedger({ app: 'shop' }).map((e) => [e.action, e.service]), [['approve', 'web'], ['approve', 'db']]);
  assert.deepEqual(store.listPendingUpdates({ operationId: operation.id }).length, 2);

  const twice = approve(store, touched.map((u) => u.id));
  assert.deepEqual(twice, { operation: null, approved: [] }, 'rows no longer waiting: no operation, no ledger');
  assert.equal(store.listOpenOperations('shop').length, 1);
  assert.equal(store.listLedger({ app: 'shop' }).length, 2);
});

test('an approved row (being applied) is not superseded by a newer proposal', () => {
  const store = storeWithApp();
  const [row] = propose(store, proposal('web', d('a')));
  approve(store, [row.id]);
  assert.deepEqual(propose(store, proposal('web', d('b'))), []);
  withdraw(store, 'web');
  assert.deepEqual(states(store), [['web', d('a'), 'approved']]);
});

function finish(store: Store, operation: number, outcome: OperationResult['outcome'], error: string | null, updates?: { id: number; state: 'applied' | 'superseded' | 'failed'; reason: string | null }[]) {
  const result: OperationResult = {
    operation, app: 'shop', kind: 'apply', outcome, changed: outcome === 'done', restarted: outcome !== 'failed', purged: false, services: [],
    error: error ? { code: 'container-failed', message: error } : null,
  };
  store.finishOperation(operation, result, { latch: [], containers: [], ledger: [], updates }, 't9');
}

test("an approval's end: done → applied; rolled back or failed → failed with the reason", () => {
  for (const [outcome, state, reason] of [
    ['done', 'applied', null],
    ['rolled-back', 'failed', 'service web of app shop exited with code 1 right after it started'],
    ['failed', 'failed', 'registry unreachable'],
  ] as const) {
    const store = storeWithApp();
    const [row] = propose(store, proposal('web', d('a')));
    const { operation } = approve(store, [row.id]);
    finish(store, operation!.id, outcome, reason);
    const [after] = rows(store);
    assert.equal(after.state, state, outcome);
    assert.equal(after.reason, reason, outcome);
    assert.equal(after.decidedAt, 't3', 'decided when approved');
    assert.equal(store.getOperation(operation!.id)?.state, outcome === 'done' ? 'done' : 'failed');
    // Afterwards the drive is open again: a failed digest may be proposed again.
    assert.equal(propose(store, proposal('web', d('a'))).length, 1, `${outcome}: proposable again`);
  }
});

test('another operation (a refresh) resolves waiting rows it made stale, and only those', () => {
  const store = storeWithApp();
  const [web, db] = propose(store, proposal('web', d('a')), proposal('db', d('b')));
  const op = store.submitOperation({ app: 'shop', kind: 'update', flags: { refresh: true, restart: false, purge: false }, trigger: 'user', actor: 'ann' }, 't8');
  finish(store, op.id, 'done', null, [
    { id: web.id, state: 'applied', reason: 'applied by a refresh' },
    { id: db.id, state: 'superseded', reason: 'a refresh moved the drive on' },
  ]);
  assert.deepEqual(rows(store).map((r) => [r.service, r.state, r.reason, r.decidedAt]), [
    ['web', 'applied', 'applied by a refresh', 't9'],
    ['db', 'superseded', 'a refresh moved the drive on', 't9'],
  ]);
});

test('staging records the image; recordUpdates (a bundle) proposes with its ledger entries', () => {
  const store = storeWithApp();
  const [row] = propose(store, proposal('web', d('a')));
  store.stageUpdate(row.id, d('c'));
  assert.equal(rows(store)[0].imageId, d('c'));
  const findings: UpdateFindings = { propose: [proposal('db', d('b'), 'bundle', d('e'))], withdraw: [] };
  const touched = store.recordUpdates(findings, entries('import')([{ ...row, service: 'db' }]), 't6');
  assert.deepEqual(touched.map((u) => [u.service, u.source, u.imageId, u.foundAt]), [['db', 'bundle', d('e'), 't6']]);
  assert.deepEqual(store.listLedger({ app: 'shop' }).map((e) => [e.action, e.service]), [['import', 'db']]);
});

test('a bundle offering the digest a registry proposal already waits for makes that row staged and from the bundle', () => {
  const store = storeWithApp();
  const [row] = propose(store, proposal('web', d('a')));
  const [same] = store.recordUpdates({ propose: [proposal('web', d('a'), 'bundle', d('c'))], withdraw: [] }, [], 't6');
  assert.equal(same.id, row.id);
  assert.equal(same.source, 'bundle');
  assert.equal(same.imageId, d('c'));
});

test('deleting the app deletes its pending updates', () => {
  const store = storeWithApp();
  propose(store, proposal('web', d('a')));
  store.deleteApp('shop');
  assert.deepEqual(store.listPendingUpdates({}), []);
});
