/**
 * Finding the desktop or headless instance that serves a data directory (its `serve.json`),
 * so the CLI hands its requests to it instead of acting beside it. Nothing here loads the
 * core: a CLI command handed over pays only for this and the HTTP client.
 *
 * A `serve.json` is trusted only when it is a regular file (not a link) owned by this user,
 * readable by no one else, names a loopback URL, and its process is the one that wrote it
 * (same PID and same process start time, so a reused PID does not pass for it). Anything
 * else is ignored: the CLI works locally rather than send its requests to whoever planted it.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SERVE_FILE = 'serve.json';

export interface RunningInstance {
  url: string;
  token: string;
  pid: number;
  /** The process's start time as the kernel counts it (`/proc/PID/stat`), when known. */
  started?: string | null;
}

const LOOPBACK_URL = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost):\d{1,5}$/;

export function readRunning(dataDir: string): RunningInstance | null {
  const file = join(dataDir, SERVE_FILE);
  try {
    const info = lstatSync(file);
    if (!info.isFile() || (process.getuid && info.uid !== process.getuid()) || (info.mode & 0o077) !== 0) return null;
    const running = JSON.parse(readFileSync(file, 'utf8')) as RunningInstance;
    if (typeof running.url !== 'string' || !LOOPBACK_URL.test(running.url) || typeof running.token !== 'string' || !Number.isInteger(running.pid)) return null;
    return running;
  } catch {
    return null;
  }
}

/** The instance serving this data directory, if one runs (not this process). */
export function findRunningInstance(dataDir: string, isAlive: (pid: number) => boolean): RunningInstance | null {
  const running = readRunning(dataDir);
  if (!running || running.pid === process.pid || !isAlive(running.pid)) return null;
  // A PID the kernel gave to another process since: that instance is gone.
  if (running.started && processStarted(running.pid) !== running.started) return null;
  return running;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** When the process started, in clock ticks since boot (Linux), or null where that cannot be read. */
export function processStarted(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}
