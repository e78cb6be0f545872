/**
 * Headless mode: the core behind the HTTP shell, for boxes without a display (reach it
 * through an SSH tunnel). The URL and token are written to `serve.json` in the data
 * directory (mode 0600), which is also how the CLI finds a running instance to hand its
 * requests to instead of acting beside it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { watchEngine } from '../core/engine-watch';
import { startCheckScheduler } from '../core/check-scheduler';
import { asTagkeeperError } from '../core/errors';
import { cleanWorkDir } from '../core/work-files';
import { startHttpShell, type HttpShell } from './http';
import { openInstance, type Instance, type InstanceOptions } from './open-instance';

export const SERVE_FILE = 'serve.json';
export const RENDERER_DIST = join(__dirname, '..', '..', 'renderer');

export interface RunningInstance {
  url: string;
  token: string;
  pid: number;
}

export interface Served {
  instance: Instance;
  shell: HttpShell;
  stop(): Promise<void>;
}

export async function serve(options: InstanceOptions & { port?: number; staticDir?: string } = {}): Promise<Served> {
  const instance = openInstance(options);
  cleanWorkDir(instance.core.deps);
  const token = randomBytes(32).toString('base64url');
  const shell = await startHttpShell({ instance, port: options.port ?? 0, token, staticDir: options.staticDir ?? RENDERER_DIST });
  const file = join(instance.dataDir, SERVE_FILE);
  const running: RunningInstance = { url: `http://127.0.0.1:${shell.port}`, token, pid: process.pid };
  writeFileSync(file, JSON.stringify(running), { mode: 0o600 });
  chmodSync(file, 0o600);
  const unwatch = watchEngine(instance.core.deps, () => undefined);
  // Requests survive a restart of Tagkeeper: finish what a previous run left unfinished.
  void instance.core.resume().catch(() => undefined);
  // Scheduled checks run in the long-lived instance only (off unless check-interval is set).
  const scheduler = startCheckScheduler({
    check: () => instance.core.check([], { trigger: 'schedule' }),
    settings: () => instance.core.getSettings(),
    onError: (error) => process.stderr.write(`tagkeeper: scheduled check failed: ${asTagkeeperError(error).message}\n`),
  });
  return {
    instance,
    shell,
    async stop() {
      scheduler.stop();
      unwatch();
      if (readRunning(instance.dataDir)?.pid === process.pid) rmSync(file, { force: true });
      await shell.close();
      await instance.close();
    },
  };
}

function readRunning(dataDir: string): RunningInstance | null {
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
