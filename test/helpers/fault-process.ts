/**
 * The interrupted process of the fault matrix (issue 13; the checks are in fault-matrix.ts):
 * `tagkeeper` run as a child process whose PID the test knows, against a site's engine and a
 * data directory (the site's own or a small tmpfs), killed at a named step of its work
 * (TAGKEEPER_CRASH_AT, main/core/ports/deps.ts) or stopped there (TAGKEEPER_PAUSE_AT) until the
 * test has done something to the world (fault-injection.ts) and continues it.
 */
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CrashPoint } from '../../main/core/ports/deps';
import { ROOT, runCli, type CliResult } from './cli';
import type { TestSite } from './site';

const BIN = join(ROOT, 'bin', 'tagkeeper.js');
/** The grace period of every switch in the matrix: long enough to see a container that exits at once. */
const GRACE_MS = '500';
/** A stopped (paused) process that does not get there within this long has gone astray. */
const PAUSE_TIMEOUT_MS = 120_000;

/** A Tagkeeper data directory on a site's engine: the site's own, or another (a small tmpfs). */
export class FaultTarget {
  constructor(
    readonly site: TestSite,
    readonly dataDir: string = site.dataDir,
  ) {}

  env(extra: Record<string, string> = {}): Record<string, string> {
    return { DOCKER_HOST: this.site.engine.dockerHost, TAGKEEPER_DATA_DIR: this.dataDir, TAGKEEPER_START_GRACE_MS: GRACE_MS, ...extra };
  }

  cli(args: string[], extra: Record<string, string> = {}): Promise<CliResult> {
    return runCli(args, this.env(extra));
  }

  /** `tagkeeper ARGS` as a child process whose PID the test knows. */
  start(args: string[], extra: Record<string, string> = {}): CliProcess {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...this.env(extra) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<Exit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
    let done = false;
    void exited.then(() => (done = true));
    live.add(child.pid!);
    void exited.then(() => live.delete(child.pid!));
    return { pid: child.pid!, exited, hasExited: () => done };
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  pid: number;
  exited: Promise<Exit>;
  hasExited(): boolean;
}

/** Processes this file started that still run: killed when its tests end (one left stopped would never end). */
const live = new Set<number>();
after(() => {
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
});

/** Runs `args` killed (SIGKILL) at `point`; asserts it got there (it died of SIGKILL, with no answer). */
export async function killedAt(target: FaultTarget, point: CrashPoint, args: string[]): Promise<void> {
  const exit = await target.start([...args, '--json'], { TAGKEEPER_CRASH_AT: point }).exited;
  assert.equal(exit.signal, 'SIGKILL', `tagkeeper ${args.join(' ')} never got to ${point} (exit ${exit.code}): ${exit.stdout} ${exit.stderr}`);
  assert.equal(exit.stdout, '', 'killed before it answered');
}

/** A process stopped at a crash point; `resume()` continues it and resolves when it exits. */
export interface Paused {
  pid: number;
  resume(): Promise<Exit>;
}

/** Runs `args` stopped (SIGSTOP) at `point`; resolves once it is stopped there. */
export async function pausedAt(target: FaultTarget, point: CrashPoint, args: string[]): Promise<Paused> {
  const proc = target.start([...args, '--json'], { TAGKEEPER_PAUSE_AT: point });
  const deadline = Date.now() + PAUSE_TIMEOUT_MS;
  while (processState(proc.pid) !== 'T') {
    if (proc.hasExited()) {
      const exit = await proc.exited;
      assert.fail(`tagkeeper ${args.join(' ')} never got to ${point} (exit ${exit.code}): ${exit.stdout} ${exit.stderr}`);
    }
    if (Date.now() > deadline) assert.fail(`tagkeeper ${args.join(' ')} did not get to ${point} within ${PAUSE_TIMEOUT_MS / 1000} s`);
    await sleep(50);
  }
  return {
    pid: proc.pid,
    resume: () => {
      process.kill(proc.pid, 'SIGCONT');
      return proc.exited;
    },
  };
}

/** The state letter of /proc/PID/stat (`T`: stopped), or null once it is gone. */
export function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Continues a paused process and waits up to `ms` for it to end; one still running then is killed, and null says it hung. */
export async function resumeWithin(paused: Paused, ms: number): Promise<Exit | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  const exit = await Promise.race([paused.resume(), timeout]);
  clearTimeout(timer);
  if (exit === null) process.kill(paused.pid, 'SIGKILL');
  return exit;
}

/** What a process that failed said: the error of its JSON answer, else its last line on stderr. */
export function saidBy(exit: Exit | null): string {
  if (exit === null) return 'nothing: it hung';
  try {
    const answer = JSON.parse(exit.stdout) as { error?: { message?: string } | null; result?: { error?: { message?: string } | null } };
    const error = answer.error ?? answer.result?.error;
    if (error?.message) return error.message;
  } catch {
    // not JSON
  }
  return exit.stderr.trim().split('\n').at(-1) || `exit ${exit.code}${exit.signal ? ` (${exit.signal})` : ''}, nothing said`;
}
