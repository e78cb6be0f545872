/**
 * Runs the real `tagkeeper serve --port 0 --print-url-to FILE` (bin/tagkeeper.js → dist/) as
 * a child process against a test site, waits for the line it prints (`Tagkeeper is serving on
 * http://127.0.0.1:PORT/ (…)`: its stdout is a pipe, so no token there), reads the URL with
 * its token from FILE, and stops it with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoreEvent } from '../../main/api/types/events';
import { EVENTS_PATH } from '../../main/api/routes';
import { createSseParser } from '../../renderer/src/client/sse-parser';
import { ROOT } from './cli';

export interface ServeTarget {
  dockerHost: string;
  dataDir: string;
  /** Docker's config folder for registry logins (DOCKER_CONFIG); the site's own, never the user's. */
  dockerConfigDir?: string;
}

export interface ServedProcess {
  /** The printed URL, token in the fragment: what a user opens. */
  url: string;
  /** `http://127.0.0.1:PORT` */
  baseUrl: string;
  port: number;
  token: string;
  child: ChildProcess;
  /** The --print-url-to file (removed by serve when it stops). */
  urlFile: string;
  /** Everything the process wrote to stdout so far. */
  stdout(): string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, SIGKILL after 15 s; resolves with the exit code once the process is gone. */
  stop(): Promise<number | null>;
}

const BIN = join(ROOT, 'bin', 'tagkeeper.js');
const LINE = /^Tagkeeper is serving on http:\/\/127\.0\.0\.1:\d+\/ .*$/m;
const URL_IN_FILE = /^(http:\/\/127\.0\.0\.1:(\d+))\/#token=(\S+)\n$/;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/** The site's engine and data directory, or an engine that is not there (engine-unreachable). */
export function serveTargetOf(site: { engine: { dockerHost: string }; dataDir: string; dockerConfigDir: string }): ServeTarget {
  return { dockerHost: site.engine.dockerHost, dataDir: site.dataDir, dockerConfigDir: site.dockerConfigDir };
}

export interface StartServeOptions {
  /** Extra environment for the child (e.g. TAGKEEPER_START_GRACE_MS). */
  env?: Record<string, string>;
  /** Port on 127.0.0.1; default 0 (any free one). */
  port?: number;
}

/** Starts `tagkeeper serve --port N` (default 0) and resolves once it has printed its line and written its URL. */
export async function startServe(target: ServeTarget, options: StartServeOptions = {}): Promise<ServedProcess> {
  if (!existsSync(join(ROOT, 'dist', 'main', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests (npm test does)');
  }
  if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
    throw new Error('dist/renderer/index.html is missing: run `npm run build` (it bundles the renderer)');
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    DOCKER_HOST: target.dockerHost,
    TAGKEEPER_DATA_DIR: target.dataDir,
    TAGKEEPER_START_GRACE_MS: '1500',
    ...(target.dockerConfigDir ? { DOCKER_CONFIG: target.dockerConfigDir } : {}),
    ...options.env,
  };
  const urlDir = mkdtempSync(join(tmpdir(), 'tk-url-'));
  const urlFile = join(urlDir, 'url');
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(options.port ?? 0), '--print-url-to', urlFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  child.stdout.setEncoding('utf8');
  let match: RegExpExecArray;
  try {
    match = await new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`tagkeeper serve printed no URL within ${START_TIMEOUT_MS / 1000} s; stdout: ${out} stderr: ${err}`)), START_TIMEOUT_MS);
      let printed = false;
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        if (printed || !LINE.test(out)) return;
        printed = true;
        clearTimeout(timer);
        // Written before the line is printed.
        const text = existsSync(urlFile) ? readFileSync(urlFile, 'utf8') : '(no file)';
        const m = URL_IN_FILE.exec(text);
        if (m) resolve(m);
        else reject(new Error(`tagkeeper serve printed its line, but ${urlFile} holds no URL with a token: ${text}`));
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`tagkeeper serve exited (${code}) before printing its URL; stdout: ${out} stderr: ${err}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    process.removeListener('exit', killOnExit);
    rmSync(urlDir, { recursive: true, force: true });
    throw error;
  }

  let stopping: Promise<number | null> | undefined;
  return {
    url: `${match[1]}/#token=${match[3]}`,
    baseUrl: match[1],
    port: Number(match[2]),
    token: match[3],
    child,
    urlFile,
    stdout: () => out,
    stderr: () => err,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        const code = await exited;
        clearTimeout(timer);
        process.removeListener('exit', killOnExit);
        rmSync(urlDir, { recursive: true, force: true });
        return code;
      })();
      return stopping;
    },
  };
}

/** `GET /api/events` of a running serve, read as a browser page would (fetch and the renderer's SSE parser). */
export interface EventStream {
  /** Every event received so far, in order. */
  readonly events: CoreEvent[];
  /** Resolves with the first event received from now on that `matches` (rejects after `timeoutMs` naming `what`). */
  next(what: string, matches: (event: CoreEvent) => boolean, timeoutMs?: number): Promise<CoreEvent>;
  close(): void;
}

export async function openEventStream(served: Pick<ServedProcess, 'baseUrl' | 'token'>): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(`${served.baseUrl}${EVENTS_PATH}`, { headers: { authorization: `Bearer ${served.token}`, accept: 'text/event-stream' }, signal: controller.signal });
  if (response.status !== 200 || !response.body) throw new Error(`GET ${EVENTS_PATH}: HTTP ${response.status} ${await response.text()}`);
  const events: CoreEvent[] = [];
  const waiting = new Set<(event: CoreEvent) => void>();
  const parse = createSseParser((data) => {
    const event = JSON.parse(data) as CoreEvent;
    events.push(event);
    for (const w of [...waiting]) w(event);
  });
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parse(decoder.decode(chunk, { stream: true }));
    } catch {
      // closed
    }
  })();
  return {
    events,
    next(what, matches, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`no event ${what} within ${timeoutMs / 1000} s; received: ${JSON.stringify(events)}`));
        }, timeoutMs);
        const check = (event: CoreEvent) => {
          if (!matches(event)) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve(event);
        };
        waiting.add(check);
      });
    },
    close: () => controller.abort(),
  };
}
