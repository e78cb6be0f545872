/**
 * What the local box may not slip in: a command's `$VAR` stays the container's, the data
 * directory must be this user's alone, the database is readable by this user only, and a
 * serve.json is believed only when it is this user's private file naming a loopback URL and
 * a process that is the one that wrote it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitCommand } from '../../main/cli/split-command';
import { findRunningInstance, processStarted, readRunning, SERVE_FILE } from '../../main/shells/running-instance';
import { ensureDataDir } from '../../main/store/data-dir';
import { openStore } from '../../main/store/sqlite-store';
import { tempDir } from '../helpers/temp-dir';

const dir = () => tempDir('tk-trust-');

test('--cmd keeps $VAR literal (this shell\'s environment never leaks into the app)', () => {
  assert.deepEqual(splitCommand('sh -c "echo $HOME ${USER}"'), ['sh', '-c', 'echo $HOME $USER']);
  assert.deepEqual(splitCommand("echo '$HOME'"), ['echo', '$HOME']);
  assert.throws(() => splitCommand('echo a && echo b'), /contains shell operators or globs/);
});

test('a data directory writable by others is refused, naming it and the way out', () => {
  const open = dir();
  chmodSync(open, 0o777);
  assert.throws(() => ensureDataDir(open), (e: Error & { hint?: string }) => e.message === `the data directory ${open} is writable by other users (mode 777)` && e.hint === `make it private: chmod 700 ${open}`);
  const fresh = join(dir(), 'new');
  assert.equal(ensureDataDir(fresh), fresh);
  assert.equal(statSync(fresh).mode & 0o777, 0o700);
});

test('the database is created readable by this user only', () => {
  const data = dir();
  const store = openStore(data);
  store.saveRegistry({ host: 'r.example', username: 'u', password: 'p' }, new Date().toISOString());
  assert.equal(statSync(join(data, 'tagkeeper.db')).mode & 0o777, 0o600);
  assert.equal(statSync(join(data, 'tagkeeper.db-wal')).mode & 0o777, 0o600);
  store.close();
});

test('serve.json is believed only when it is private, not a link, loopback, and its process is the writer', () => {
  const me = { url: 'http://127.0.0.1:4567', token: 't', pid: process.ppid, started: processStarted(process.ppid) };
  const write = (data: string, value: unknown, mode = 0o600) => {
    writeFileSync(join(data, SERVE_FILE), JSON.stringify(value), { mode });
    chmodSync(join(data, SERVE_FILE), mode);
  };
  const good = dir();
  write(good, me);
  assert.deepEqual(findRunningInstance(good, () => true), me, 'the parent process wrote it: believed');

  const readable = dir();
  write(readable, me, 0o644);
  assert.equal(readRunning(readable), null, 'readable by others');

  const remote = dir();
  write(remote, { ...me, url: 'http://10.0.0.5:4567' });
  assert.equal(readRunning(remote), null, 'not a loopback URL');

  const linked = dir();
  const target = join(dir(), 'elsewhere.json');
  writeFileSync(target, JSON.stringify(me), { mode: 0o600 });
  symlinkSync(target, join(linked, SERVE_FILE));
  assert.equal(readRunning(linked), null, 'a link');

  const reused = dir();
  write(reused, { ...me, started: '1' });
  assert.equal(findRunningInstance(reused, () => true), null, 'the PID now belongs to a process that started at another time');

  const gone = dir();
  mkdirSync(join(gone, 'x'));
  assert.equal(findRunningInstance(gone, () => true), null, 'no file');
});
