/**
 * A process recorded by PID is the same process only with the same start (boot id and start
 * time): a PID given to another program since, a zombie, or a `serve.json` naming a live
 * process that did not write it, does not pass for the one recorded. Real processes, real /proc.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { isProcessAlive, isSameProcessAlive, processStarted } from '../../main/shells/process-identity';
import { findRunningInstance, SERVE_FILE } from '../../main/shells/running-instance';
import { tempDir } from '../helpers/temp-dir';

const BOOT = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

test('a process is its PID, this boot and its start time', () => {
  const started = processStarted(process.pid);
  assert.match(started ?? '', new RegExp(`^${BOOT}/\\d+$`));
  assert.equal(isSameProcessAlive(process.pid, started), true);
  assert.equal(isSameProcessAlive(process.pid, null), true, 'no start recorded: the PID alone tells');
});

test('a PID now held by a process that started at another time, or on another boot, is not the one recorded', () => {
  const ticks = processStarted(process.pid)!.split('/')[1];
  assert.equal(isSameProcessAlive(process.pid, `${BOOT}/${Number(ticks) - 1}`), false, 'reused on this boot');
  assert.equal(isSameProcessAlive(process.pid, `00000000-0000-0000-0000-000000000000/${ticks}`), false, 'the same PID and ticks after a reboot');
});

test('a process that exited, or a zombie its parent has not reaped, is gone', async () => {
  const exited = spawn('true');
  await once(exited, 'exit');
  assert.equal(isProcessAlive(exited.pid!), false);

  // The child exits a second later, once its parent has exec'd into `sleep 30`, which never
  // reaps it (a child that exited before the exec could be reaped by the shell itself).
  const parent = spawn('sh', ['-c', 'sleep 1 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
    const zombie = Number(line.toString().trim());
    const state = () => readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1][0];
    for (let i = 0; i < 250 && state() !== 'Z'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(state(), 'Z', 'the child is a zombie');
    assert.equal(isProcessAlive(zombie), false);
    assert.equal(isSameProcessAlive(zombie, processStarted(zombie)), false);
  } finally {
    parent.kill('SIGKILL');
  }
});

test('a serve.json naming a live process that is not the one that wrote it is not believed: the CLI works locally', () => {
  const write = (value: object) => {
    const dir = tempDir('tk-serve-');
    writeFileSync(join(dir, SERVE_FILE), JSON.stringify(value), { mode: 0o600 });
    chmodSync(join(dir, SERVE_FILE), 0o600);
    return dir;
  };
  const me = { url: 'http://127.0.0.1:4567', token: 't', pid: process.ppid };
  assert.deepEqual(findRunningInstance(write({ ...me, started: processStarted(process.ppid) }), isProcessAlive)?.pid, process.ppid, 'written by that process');
  assert.equal(findRunningInstance(write({ ...me, started: `${BOOT}/1` }), isProcessAlive), null, 'its PID was given to another process');
  assert.equal(findRunningInstance(write(me), isProcessAlive), null, 'no start recorded for a process whose start can be read');
});
