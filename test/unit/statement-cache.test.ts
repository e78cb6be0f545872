// The store's connection prepares each SQL text once and reuses the statement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { cacheStatements } from '../../main/store/statement-cache';
import { openMemoryStore } from '../../main/store/sqlite-store';

test('the same SQL text gives the same statement, which answers each use with its own parameters', () => {
  const db = cacheStatements(new Database(':memory:'));
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
  const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
  assert.equal(db.prepare('INSERT INTO t (k, v) VALUES (?, ?)'), insert);
  for (const [k, v] of [['a', 1], ['b', 2]] as const) db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(k, v);
  assert.deepEqual(db.prepare('SELECT v FROM t WHERE k = ?').get('b'), { v: 2 });
  assert.deepEqual(db.prepare('SELECT v FROM t WHERE k = ?').get('a'), { v: 1 });
  assert.notEqual(db.prepare('SELECT v FROM t WHERE k = ?'), db.prepare('SELECT k FROM t WHERE v = ?'));
  db.close();
});

test('the store reads its settings many times from one prepared statement, and sees every change', () => {
  const store = openMemoryStore();
  const before = store.getSettings();
  for (let i = 0; i < 1000; i++) store.getSettings();
  store.saveSettings({ ...before, offline: !before.offline });
  assert.equal(store.getSettings().offline, !before.offline);
  store.close();
});
