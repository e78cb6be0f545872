/**
 * The store is never silently reset: a missing, empty or cut-short database in a data
 * directory that was in use is refused (naming it and the way out), SQLite's failures come out
 * as one line naming the data directory, the database is backed up before every migration and
 * daily (the last few kept, mode 0600), a backup restores the history, and operation ids can
 * be moved above those the engine's containers carry. The same on the real CLI:
 * test/integration/store-faults.test.ts and store-recovery.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TagkeeperError, type ErrorCode } from '../../main/api/errors';
import { DEFAULT_SETTINGS } from '../../main/api/types/settings';
import { KEEP_BACKUPS, listBackups } from '../../main/store/backups';
import { loadMigrations, migrate } from '../../main/store/migrate';
import { MARKER_FILE } from '../../main/store/previous-install';
import { restoreBackup } from '../../main/store/restore-backup';
import { DATABASE_FILE, openStore } from '../../main/store/sqlite-store';
import { storeError } from '../../main/store/store-errors';

const dataDir = (t: { after: (fn: () => void) => void }) => {
  const dir = mkdtempSync(join(tmpdir(), 'tk-store-safety-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};
const db = (dir: string) => join(dir, DATABASE_FILE);
const entry = (detail: string) => ({ app: '(device)', service: null, action: 'configure' as const, from: null, to: null, source: null, trigger: 'user', actor: 'me', outcome: 'ok' as const, detail });

/** Asserts `fn` throws a TagkeeperError with `code` whose one-line sentence matches every pattern. */
function throwsStore(fn: () => unknown, code: ErrorCode, ...patterns: RegExp[]): TagkeeperError {
  let caught: unknown;
  assert.throws(fn, (e: unknown) => ((caught = e), true));
  assert.ok(caught instanceof TagkeeperError, `a TagkeeperError, not ${String(caught)}`);
  assert.equal(caught.code, code, caught.sentence);
  for (const pattern of patterns) assert.match(caught.sentence, pattern);
  assert.equal(caught.sentence.includes('\n'), false, 'one line');
  return caught;
}

test('a new data directory gets a database, a marker beside it, and an engine check to do', (t) => {
  const dir = dataDir(t);
  const store = openStore(dir);
  assert.equal(store.engineCheckPending(), true, 'not compared with the engine yet');
  store.setEngineCheckPending(false);
  store.close();
  assert.equal(statSync(join(dir, MARKER_FILE)).mode & 0o777, 0o600);
  const again = openStore(dir);
  assert.equal(again.engineCheckPending(), false, 'an existing database is not checked again');
  again.close();
});

test('a deleted or emptied database in a directory that was in use is refused, naming it and the way out', (t) => {
  const dir = dataDir(t);
  const store = openStore(dir);
  store.saveSettings({ ...DEFAULT_SETTINGS, requireSignatures: true });
  store.close();

  rmSync(db(dir));
  const refusal = throwsStore(() => openStore(dir), 'store-missing', new RegExp(`data directory ${dir} was in use \\(the marker file ${MARKER_FILE}\\)`), /tagkeeper recover --from-backup/, /`tagkeeper recover`/, new RegExp(`move ${dir} away to start fresh`));
  assert.equal(existsSync(db(dir)), false, 'refused before anything was made');
  assert.ok(refusal.message.includes(db(dir)));

  writeFileSync(db(dir), '');
  throwsStore(() => openStore(dir), 'store-missing', /is missing or empty/);
  assert.equal(statSync(db(dir)).size, 0, 'still empty: nothing was written');
});

test('a scratch folder, backups or a write-ahead log also show a previous install', (t) => {
  for (const [plant, sign] of [
    [(dir: string) => mkdirSync(join(dir, 'scratch')), /the scratch\/ folder/],
    [(dir: string) => (mkdirSync(join(dir, 'backups')), writeFileSync(join(dir, 'backups', 'tagkeeper-2026-01-01T00-00-00.000Z-daily.db'), 'x')), /1 backup\(s\) in backups\//],
    [(dir: string) => writeFileSync(`${db(dir)}-wal`, 'x'), /the database log tagkeeper\.db-wal/],
  ] as const) {
    const dir = dataDir(t);
    plant(dir);
    throwsStore(() => openStore(dir), 'store-missing', sign);
    const recovering = openStore(dir, { afterLoss: true });
    assert.equal(recovering.engineCheckPending(), true, 'tagkeeper recover may start afresh');
    recovering.close();
  }
});

test('a database cut short is damaged, not empty; garbage is damaged; both name the way out', (t) => {
  const dir = dataDir(t);
  const store = openStore(dir);
  store.appendLedger(Array.from({ length: 300 }, (_, i) => entry(`entry ${i} ${'x'.repeat(200)}`)));
  store.close();
  const size = statSync(db(dir)).size;
  truncateSync(db(dir), Math.floor(size / 2));
  throwsStore(() => openStore(dir), 'store-corrupt', /was cut short/, new RegExp(`the database ${db(dir)} is damaged`), /tagkeeper recover --from-backup/);
  truncateSync(db(dir), 50);
  throwsStore(() => openStore(dir), 'store-corrupt', /shorter than the database header/);

  const garbage = dataDir(t);
  writeFileSync(db(garbage), Buffer.alloc(8192, 0x5a));
  throwsStore(() => openStore(garbage), 'store-corrupt', /is damaged \(SQLITE_NOTADB: file is not a database\)/, /`tagkeeper recover`/);
});

test('a page damaged inside the database is reported when read, as one line naming the data directory', (t) => {
  const dir = dataDir(t);
  const store = openStore(dir);
  store.appendLedger(Array.from({ length: 300 }, (_, i) => entry(`entry ${i} ${'x'.repeat(200)}`)));
  store.close();
  const raw = new Database(db(dir));
  const pages = (raw.prepare("SELECT pageno FROM dbstat WHERE name = 'ledger'").all() as { pageno: number }[]).map((r) => r.pageno);
  raw.close();
  const bytes = readFileSync(db(dir));
  const pageSize = bytes.readUInt16BE(16);
  // Scribble over the ledger's pages (b-tree headers included): the rest of the database is intact.
  for (const page of pages) bytes.fill(0xa5, (page - 1) * pageSize, (page - 1) * pageSize + 64);
  writeFileSync(db(dir), bytes);
  const damaged = openStore(dir);
  t.after(() => damaged.close());
  throwsStore(() => damaged.listLedger(), 'store-corrupt', /database disk image is malformed/, new RegExp(`the database ${db(dir)} is damaged`));
  assert.notEqual(damaged.integrityProblem(), null);
});

test("SQLite's full disk and I/O errors become store errors naming the data directory and what to do", () => {
  const sqlite = (code: string, message: string) => Object.assign(new Error(message), { code });
  const full = storeError(sqlite('SQLITE_FULL', 'database or disk is full'), '/data') as TagkeeperError;
  assert.equal(full.code, 'store-full');
  assert.equal(full.sentence, 'the disk holding the data directory /data is full: Tagkeeper could not use its database (SQLITE_FULL: database or disk is full) (free some space there (df /data), then run the command again; what this command did not write is not recorded)');
  const io = storeError(sqlite('SQLITE_IOERR_WRITE', 'disk I/O error'), '/nonexistent-data') as TagkeeperError;
  assert.equal(io.code, 'store-io-error');
  assert.match(io.sentence, /^the database in the data directory \/nonexistent-data could not be read or written \(SQLITE_IOERR_WRITE: disk I\/O error\) \(check that disk/);
  assert.equal((storeError(sqlite('SQLITE_CORRUPT', 'database disk image is malformed'), '/data') as TagkeeperError).code, 'store-corrupt');
  assert.equal((storeError(sqlite('ENOSPC', 'no space left on device'), '/data') as TagkeeperError).code, 'store-full');
  const other = sqlite('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed');
  assert.equal(storeError(other, '/data'), other, 'other errors stay what they are');
});

test('before every migration the database is backed up as it was; backups are 0600', (t) => {
  const dir = dataDir(t);
  const old = new Database(db(dir));
  migrate(old, loadMigrations().filter((m) => m.version <= 8));
  old.prepare("INSERT INTO settings (key, value) VALUES ('pullPolicy', '\"never\"')").run();
  old.close();
  const store = openStore(dir, { now: () => new Date('2026-03-01T10:00:00.000Z') });
  store.close();
  const [backup] = listBackups(dir);
  assert.equal(backup.reason, `before-migration-${String(loadMigrations().at(-1)!.version).padStart(3, '0')}`);
  assert.equal(backup.at.toISOString(), '2026-03-01T10:00:00.000Z');
  assert.equal(statSync(backup.file).mode & 0o777, 0o600);
  const copy = new Database(backup.file, { readonly: true });
  assert.equal(copy.pragma('user_version', { simple: true }), 8, 'the schema before the migration');
  assert.deepEqual(copy.prepare('SELECT value FROM settings').all(), [{ value: '"never"' }]);
  copy.close();
});

test('a daily backup when the newest is older than a day, the last few kept', async (t) => {
  const dir = dataDir(t);
  let now = new Date('2026-03-01T10:00:00.000Z');
  const store = openStore(dir, { now: () => now });
  t.after(() => store.close());
  const first = await store.backupIfDue();
  assert.ok(first && existsSync(first));
  assert.equal(statSync(first).mode & 0o777, 0o600);
  now = new Date('2026-03-02T09:59:00.000Z');
  assert.equal(await store.backupIfDue(), null, 'less than a day later: none');
  for (let day = 2; day <= 8; day++) {
    now = new Date(`2026-03-0${day}T10:00:00.000Z`);
    assert.ok(await store.backupIfDue());
  }
  const kept = listBackups(dir);
  assert.equal(kept.length, KEEP_BACKUPS);
  assert.deepEqual(kept.map((b) => b.at.toISOString().slice(0, 10)), ['2026-03-08', '2026-03-07', '2026-03-06', '2026-03-05', '2026-03-04']);
  assert.deepEqual(readdirSync(join(dir, 'backups')).filter((n) => n.endsWith('.partial')), [], 'no half-written copy left');
});

test('a backup restores the history; the database it replaces is kept aside', async (t) => {
  const dir = dataDir(t);
  const store = openStore(dir, { now: () => new Date('2026-03-01T10:00:00.000Z') });
  store.appendLedger([entry('before the backup')]);
  const backup = (await store.backupIfDue())!;
  store.appendLedger([entry('after the backup')]);
  store.close();

  const restored = restoreBackup(dir, undefined, new Date('2026-03-01T11:00:00.000Z'));
  assert.equal(restored.backup, backup);
  assert.ok(restored.keptAside[0].endsWith(`${DATABASE_FILE}.replaced-2026-03-01T11-00-00.000Z`));
  const reopened = openStore(dir);
  assert.deepEqual(reopened.listLedger().map((e) => e.detail), ['before the backup']);
  reopened.close();
  const aside = new Database(restored.keptAside[0], { readonly: true });
  assert.equal((aside.prepare('SELECT count(*) AS n FROM ledger').get() as { n: number }).n, 2, 'the replaced database is intact');
  aside.close();

  writeFileSync(join(dir, 'not-a-backup.db'), Buffer.alloc(4096, 1));
  throwsStore(() => restoreBackup(dir, join(dir, 'not-a-backup.db'), new Date()), 'invalid-input', /not-a-backup\.db is not a usable Tagkeeper backup/);
  assert.equal(existsSync(`${db(dir)}.restoring`), false);
  const empty = dataDir(t);
  throwsStore(() => restoreBackup(empty, undefined, new Date()), 'invalid-input', /has no backup/, /tagkeeper recover/);
});

test('operation ids can be moved above those the engine already carries, never back', (t) => {
  const store = openStore(dataDir(t));
  t.after(() => store.close());
  let app = 0;
  const submit = () => store.submitOperation({ app: `app${++app}`, kind: 'start', flags: { refresh: false, restart: false, purge: false }, trigger: 'user', actor: 'me' }, 't').id;
  store.reserveOperationIds(57);
  assert.equal(submit(), 58);
  store.reserveOperationIds(3);
  assert.equal(submit(), 59);
});
