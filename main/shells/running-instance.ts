/**
 * Finding the desktop or headless instance that serves a data directory (its `serve.json`),
 * so the CLI hands its requests to it instead of acting beside it. Nothing here loads the
 * core: a CLI command handed over pays only for this and the HTTP client.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SERVE_FILE = 'serve.json';

export interface RunningInstance {
  url: string;
  token: string;
  pid: number;
}

export function readRunning(dataDir: string): RunningInstance | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, SERVE_FILE), 'utf8')) as RunningInstance;
  } catch {
    return null;
  }
}

/** The instance serving this data directory, if one runs (not this process). */
export function findRunningInstance(dataDir: string, isAlive: (pid: number) => boolean): RunningInstance | null {
  const running = readRunning(dataDir);
  if (!running || running.pid === process.pid || !isAlive(running.pid)) return null;
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
