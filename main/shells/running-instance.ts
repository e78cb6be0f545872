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
import { isProcessAlive, processStarted } from './process-identity';

export const SERVE_FILE = 'serve.json';

export interface RunningInstance {
  url: string;
  token: string;
  pid: number;
  /** When the process started (boot id and start time, see process-identity.ts), when known. */
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
  // The process holding the PID must be the one that wrote the file: one the kernel gave the
  // PID to since (or a file that does not say when its process started) is not believed.
  const started = processStarted(running.pid);
  if (started !== null && running.started !== started) return null;
  return running;
}

export { isProcessAlive, processStarted };
