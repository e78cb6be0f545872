import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMemoryStore, openStore } from '../../main/store/sqlite-store';
import { TagkeeperError } from '../../main/api/errors';
import { DEFAULT_SETTINGS } from '../../main/api/types/settings';
import type { NewApp } from '../../main/core/ports/store-port';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const settings = { env: [], volumes: [], ports: [], restartPolicy: 'no' as const };
const newApp = (name: string): NewApp => ({
  name,
  pullPolicy: null,
  checkOnStart: null,
  services: [
    { name: 'web', reference: 'nginx', canonical: 'docker.io/library/nginx:latest', pinnedDigest: null, settings },
    { name: 'db', reference: 'redis:7', canonical: 'docker.io/library/redis:7', pinnedDigest: null, settings },
  ],
});

test('apps and services round-trip, in order', () => {
  const store = openMemoryStore();
  store.insertApp(newApp('shop'), '2026-01-01T00:00:00.000Z');
  const app = store.getApp('shop')!;
  assert.equal(app.intent, 'creating');
  assert.deepEqual(app.services.map((s) => s.name), ['web', 'db']);
  assert.equal(app.services[0].latched, null);
  assert.equal(store.getApp('nope'), null);
  store.close();
});

test('a duplicate app name is refused and writes nothing', () => {
  const store = openMemoryStore();
  store.insertApp(newApp('shop'), 't');
  assert.throws(() => store.insertApp({ ...newApp('shop'), services: [] }, 't2'), (e: unknown) => e instanceof TagkeeperError && e.code === 'already-exists');
  assert.equal(store.getApp('shop')!.services.length, 2);
  assert.equal(store.listApps().length, 1);
});

test('latching keeps the previous content, per drive', () => {
  const store = openMemoryStore();
  store.insertApp(newApp('a'), 't');
  store.insertApp(newApp('b'), 't');
  const one = { indexDigest: d('1'), manifestDigest: d('2'), imageId: d('3'), source: 'registry' as const, at: 't1' };
  const two = { indexDigest: d('4'), manifestDigest: d('5'), imageId: d('6'), source: 'registry' as const, at: 't2' };
  store.latchService('a', 'web', one);
  store.latchService('b', 'web', one);
  store.latchService('a', 'web', two);
  assert.deepEqual(store.getApp('a')!.services[0].latched, two);
  assert.deepEqual(store.getApp('a')!.services[0].previous, one);
  assert.deepEqual(store.getApp('b')!.services[0].latched, one, 'the other app keeps its own digest');
  store.latchService('a', 'web', { ...two, at: 't3' });
  assert.deepEqual(store.getApp('a')!.services[0].previous, one, 're-latching the same image keeps the real previous');
});

test('a failed check keeps the last known available digest', () => {
  const store = openMemoryStore();
  store.insertApp(newApp('a'), 't');
  store.setServiceAvailable('a', 'web', { indexDigest: d('1'), manifestDigest: d('2'), checkedAt: 't1' }, null);
  store.setServiceAvailable('a', 'web', null, { code: 'registry-unreachable', message: 'down' });
  const s = store.getApp('a')!.services[0];
  assert.equal(s.available?.manifestDigest, d('2'));
  assert.equal(s.checkError?.code, 'registry-unreachable');
});

test('deleting an app removes its services; the ledger stays and cannot be edited', () => {
  const store = openMemoryStore();
  store.insertApp(newApp('a'), 't');
  store.appendLedger([{ app: 'a', service: 'web', action: 'resolve', from: null, to: { indexDigest: d('1'), manifestDigest: d('2') }, source: 'registry', trigger: 'user', actor: 'me', outcome: 'ok', detail: null }]);
  store.deleteApp('a');
  assert.equal(store.getApp('a'), null);
  const ledger = store.listLedger({ app: 'a' });
  assert.equal(ledger.length, 1);
  assert.deepEqual(ledger[0].to, { indexDigest: d('1'), manifestDigest: d('2') });
  assert.equal(ledger[0].from, null);
  const db = (store as unknown as { db: { exec: (sql: string) => void } }).db;
  assert.throws(() => db.exec('DELETE FROM ledger'), /append-only/);
  assert.throws(() => db.exec("UPDATE ledger SET outcome = 'failed'"), /append-only/);
});

test('settings and manifests persist across reopening the data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tk-store-'));
  try {
    const first = openStore(dir);
    assert.deepEqual(first.getSettings(), DEFAULT_SETTINGS);
    first.saveSettings({ ...DEFAULT_SETTINGS, pullPolicy: 'never' });
    first.putManifest({ digest: d('9'), mediaType: 'application/vnd.oci.image.index.v1+json', bytes: new Uint8Array([1, 2, 3]) }, 't');
    first.close();
    const second = openStore(dir);
    assert.equal(second.getSettings().pullPolicy, 'never');
    assert.deepEqual(Array.from(second.getManifest(d('9'))!.bytes), [1, 2, 3]);
    second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
