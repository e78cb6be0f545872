import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../main/api/types/settings';
import { applySetting, withDefaults } from '../../main/core/device/settings';
import { TagkeeperError } from '../../main/api/errors';
import Database from 'better-sqlite3';
import { loadMigrations, migrate } from '../../main/store/migrate';
import { SqliteStore } from '../../main/store/sqlite-store';

test('defaults follow the seed: always pull, no check on start; only bundles signed by a trusted key', () => {
  assert.equal(DEFAULT_SETTINGS.pullPolicy, 'always');
  assert.equal(DEFAULT_SETTINGS.checkOnStart, false);
  assert.equal(DEFAULT_SETTINGS.requireSignatures, true);
});

test('an install from before signatures were on by default gets them on, and the ledger says so; one turned off since stays off', () => {
  const before = loadMigrations().filter((m) => m.version <= 8);
  const db = new Database(':memory:');
  migrate(db, before);
  // Saving any setting stored every key, the old default (off) among them.
  db.prepare("INSERT INTO settings (key, value) VALUES ('requireSignatures', 'false'), ('pullPolicy', '\"never\"')").run();
  const store = new SqliteStore(db);
  assert.equal(store.getSettings().requireSignatures, true);
  assert.equal(store.getSettings().pullPolicy, 'never', 'other settings are kept');
  const [note] = store.listLedger({ app: '(device)' });
  assert.equal(note.action, 'configure');
  assert.match(note.detail ?? '', /require-signatures is now on by default.*keys trust.*--allow-unsigned/);

  store.saveSettings({ ...store.getSettings(), requireSignatures: false });
  assert.equal(new SqliteStore(db).getSettings().requireSignatures, false, 'turned off after the upgrade: a choice, kept');
  assert.equal(store.listLedger({ app: '(device)' }).length, 1);
  store.close();
});

test('settings are parsed from the CLI words', () => {
  assert.equal(applySetting(DEFAULT_SETTINGS, 'pull-policy', 'if-not-present').pullPolicy, 'if-not-present');
  assert.equal(applySetting(DEFAULT_SETTINGS, 'check-on-start', 'on').checkOnStart, true);
  assert.equal(applySetting(DEFAULT_SETTINGS, 'check-on-start', 'false').checkOnStart, false);
  assert.deepEqual(applySetting(DEFAULT_SETTINGS, 'insecure-registries', 'reg.lan:5000, [fd00::1]:5000').insecureRegistries, ['reg.lan:5000', '[fd00::1]:5000']);
});

test('bad settings are rejected with what to do, and change nothing', () => {
  const cases: [string, string, RegExp][] = [
    ['pull-policy', 'sometimes', /use one of: always, if-not-present, never/],
    ['check-on-start', 'maybe', /use on or off/],
    ['colour', 'blue', /settings are: pull-policy/],
    ['insecure-registries', 'http://x', /host or host:port/],
  ];
  for (const [key, value, hint] of cases) {
    const before = structuredClone(DEFAULT_SETTINGS);
    assert.throws(() => applySetting(DEFAULT_SETTINGS, key, value), (e: unknown) => e instanceof TagkeeperError && e.code === 'invalid-settings' && hint.test(e.hint ?? ''));
    assert.deepEqual(DEFAULT_SETTINGS, before);
  }
});

test('stored settings missing newer keys get the defaults', () => {
  assert.deepEqual(withDefaults({ pullPolicy: 'never' }), { ...DEFAULT_SETTINGS, pullPolicy: 'never' });
});
