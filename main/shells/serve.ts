/**
 * Headless mode: the core behind the HTTP shell, for boxes without a display (reach it
 * through an SSH tunnel). The URL and token are written to `serve.json` in the data
 * directory (mode 0600), which is also how the CLI finds a running instance to hand its
 * requests to instead of acting beside it.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpShell, type HttpShell } from './http';
import { httpLimitsFromEnv, type HttpLimits } from './http-limits';
import { openInstance, type Instance, type InstanceOptions } from './open-instance';
import { SERVE_FILE, processStarted, readRunning, type RunningInstance } from './running-instance';

export const RENDERER_DIST = join(__dirname, '..', '..', 'renderer');

export interface Served {
  instance: Instance;
  shell: HttpShell;
  stop(): Promise<void>;
}

export async function serve(options: InstanceOptions & { port?: number; staticDir?: string; limits?: HttpLimits } = {}): Promise<Served> {
  const limits = options.limits ?? httpLimitsFromEnv(process.env);
  const instance = openInstance({ via: 'serve', ...options });
  const token = randomBytes(32).toString('base64url');
  const shell = await startHttpShell({ instance, port: options.port ?? 0, token, staticDir: options.staticDir ?? RENDERER_DIST, limits });
  const file = join(instance.dataDir, SERVE_FILE);
  const running: RunningInstance = { url: `http://127.0.0.1:${shell.port}`, token, pid: process.pid, started: processStarted(process.pid) };
  writeServeFile(file, running);
  // Engine events, queued and interrupted requests (a previous run's too), scheduled checks.
  const stopBackground = instance.startBackgroundWork((line) => process.stderr.write(`tagkeeper: ${line}\n`));
  return {
    instance,
    shell,
    async stop() {
      stopBackground();
      if (readRunning(instance.dataDir)?.pid === process.pid) rmSync(file, { force: true });
      await shell.close();
      await instance.close();
    },
  };
}

/**
 * `serve.json` appears whole or not at all: written to a new file of its own (exclusive
 * create, so a link planted under that name is never followed), mode 0600, then renamed
 * over the old one.
 */
function writeServeFile(file: string, running: RunningInstance): void {
  const temporary = `${file}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  writeFileSync(temporary, JSON.stringify(running), { mode: 0o600, flag: 'wx' });
  renameSync(temporary, file);
}
