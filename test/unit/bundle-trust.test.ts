/**
 * What a bundle may change (core/bundles/bundle-trust.ts) on the real SQLite store: the only
 * tag a bundle image may carry is its drives' own; a downgrade is a digest the drive was
 * latched to before (since its app was last created) or a bundle made before the last one
 * applied to the drive; approving a downgrade needs `allowDowngrade`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openMemoryStore } from '../../main/store/sqlite-store';
import { downgradeOf, downgradeRefusal, foreignTag } from '../../main/core/bundles/bundle-trust';
import type { LedgerAction, NewLedgerEntry } from '../../main/api/types/apps';
import type { OperationResult } from '../../main/api/types/operations';
import type { CoreDeps } from '../../main/core/ports/deps';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const settings = { env: [], volumes: [], ports: [], restartPolicy: 'no' as const };
const DRIVE = { app: 'shop', service: 'web' };

function storeWithApp() {
  const store = openMemoryStore();
  store.insertApp({ name: 'shop', pullPolicy: null, checkOnStart: null, services: [{ name: 'web', reference: 'web:1', canonical: 'docker.io/library/web:1', pinnedDigest: null, settings }] }, 't0');
  return store;
}
type Store = ReturnType<typeof storeWithApp>;

const entry = (action: LedgerAction, to: string | null, extra: Partial<NewLedgerEntry> = {}): NewLedgerEntry => ({
  app: 'shop', service: 'web', action, from: null, to: to ? { indexDigest: to, manifestDigest: to } : null, source: 'registry', trigger: 'user', actor: 'ann', outcome: 'ok', detail: null, ...extra,
});

/** A bundle update of web to `to`, made at `made`, approved and applied. */
function applyBundle(store: Store, to: string, made: string): void {
  const [row] = store.recordUpdates({ propose: [{ app: 'shop', service: 'web', from: null, to: { indexDigest: to, manifestDigest: to }, source: 'bundle', bundleCreatedAt: made }], withdraw: [] }, [], 't1');
  assert.equal(row.bundleCreatedAt, made, 'the pending update remembers when its bundle was made');
  const { operation } = store.approveUpdates([row.id], { app: 'shop', trigger: 'user', actor: 'ann' }, () => [], 't2');
  const result: OperationResult = { operation: operation!.id, app: 'shop', kind: 'apply', outcome: 'done', changed: true, restarted: true, purged: false, services: [], error: null };
  store.finishOperation(operation!.id, result, { latch: [], containers: [], ledger: [entry('apply', to, { source: 'bundle' })], updates: [] }, 't3');
}

test('a bundle image may carry only its own reference\'s tag; any other tag is named with the drive it updates', () => {
  const image = { reference: '127.0.0.1:5000/field/app:stable', manifestDigest: d('a') };
  assert.equal(foreignTag({ ...image, repoTag: '127.0.0.1:5000/field/app:stable' }, [DRIVE]), null);
  assert.equal(foreignTag({ ...image, repoTag: null }, [DRIVE]), null, 'no tag at all is fine');
  assert.equal(foreignTag({ reference: 'docker.io/library/redis:7', manifestDigest: d('a'), repoTag: 'redis:7' }, []), null, 'the familiar form of the same tag');

  const busybox = foreignTag({ ...image, repoTag: 'busybox:latest' }, [DRIVE]);
  assert.match(busybox ?? '', /^bundle image 127\.0\.0\.1:5000\/field\/app:stable \(sha256:aaaaaaaaaaaa\) carries the tag busybox:latest, which is not the tag of the drive it updates \(service web of app shop: 127\.0\.0\.1:5000\/field\/app:stable\)$/);
  assert.match(foreignTag({ ...image, repoTag: '127.0.0.1:5000/field/other:1' }, [DRIVE]) ?? '', /carries the tag 127\.0\.0\.1:5000\/field\/other:1/);
  assert.match(foreignTag({ ...image, repoTag: '127.0.0.1:5000/field/app:other' }, [DRIVE]) ?? '', /carries the tag .*app:other/, 'another tag of the same repository');
  assert.match(foreignTag({ ...image, repoTag: 'busybox:latest' }, []) ?? '', /not the tag of its own reference 127\.0\.0\.1:5000\/field\/app:stable \(no drive here uses it\)/);
});

test('a downgrade: a digest the drive ran before (since its app was last created), not the one it runs', () => {
  const store = storeWithApp();
  const deps = { store } as unknown as CoreDeps;
  store.appendLedger([entry('resolve', d('1')), entry('check', d('9')), entry('import', d('8')), entry('apply', d('2')), entry('apply', d('7'), { outcome: 'failed' })]);
  const change = (to: string) => downgradeOf(deps, DRIVE, { latched: d('2'), to, bundleCreatedAt: null });
  assert.match(change(d('1')) ?? '', /^it goes back to sha256:111111111111, which service web of app shop ran before$/);
  assert.equal(change(d('2')), null, 'what it runs now is no change');
  assert.equal(change(d('3')), null, 'new content');
  assert.equal(change(d('9')), null, 'a check only saw it');
  assert.equal(change(d('8')), null, 'an import only offered it');
  assert.equal(change(d('7')), null, 'a failed apply never latched it');
  store.appendLedger([entry('rollback', d('5'))]);
  assert.notEqual(change(d('5')), null, 'rolled back to: it ran');
  assert.equal(downgradeOf(deps, { app: 'shop', service: 'db' }, { latched: null, to: d('1'), bundleCreatedAt: null }), null, 'another service has its own history');

  store.appendLedger([{ ...entry('delete', null), service: null }]);
  assert.equal(change(d('1')), null, 'what an app of the same name ran before it was deleted does not count');
});

test('a downgrade: a bundle made before the last bundle applied to the drive', () => {
  const store = storeWithApp();
  const deps = { store } as unknown as CoreDeps;
  const change = (made: string | null) => downgradeOf(deps, DRIVE, { latched: d('2'), to: d('3'), bundleCreatedAt: made });
  assert.equal(change('2024-01-01T00:00:00.000Z'), null, 'no bundle applied yet');
  applyBundle(store, d('2'), '2024-06-01T12:00:00.000Z');
  assert.deepEqual(store.appliedBundleTimes('shop', 'web'), ['2024-06-01T12:00:00.000Z']);
  assert.equal(
    change('2024-06-01T11:59:59.000Z'),
    'the bundle was made 2024-06-01T11:59:59.000Z, before the bundle last applied to service web of app shop (made 2024-06-01T12:00:00.000Z)',
  );
  assert.equal(change('2024-06-01T12:00:01.000Z'), null, 'a newer bundle');
  assert.equal(change(null), null, 'not from a bundle');
  assert.equal(change('not a time'), null, 'a time that cannot be read says nothing');
});

test('the refusal of a downgrade says how to confirm it', () => {
  const error = downgradeRefusal(DRIVE, 'it goes back to sha256:111111111111, which service web of app shop ran before');
  assert.equal(error.code, 'invalid-input');
  assert.match(error.message, /^approving the update of service web of app shop would be a downgrade: it goes back to/);
  assert.match(error.hint ?? '', /--allow-downgrade/);
});
