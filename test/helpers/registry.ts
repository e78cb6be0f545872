/**
 * A real OCI registry for integration tests: Debian's `docker-registry` (distribution 2.8)
 * on 127.0.0.1, storage in a temp folder, access log parsed into requests().
 *
 *   auth 'none'  — open registry
 *   auth 'basic' — htpasswd (bcrypt) with username/password (default tester/secret)
 *   auth 'token' — Bearer tokens from a token server in this process; the registry verifies
 *                  their RS256 signatures against a certificate made with the openssl CLI.
 *                  Without username, anyone gets the access asked for; with one, only
 *                  those credentials do (anonymous callers get a token with no access).
 *
 * The access log goes to a file, so requests() reads it synchronously: distribution writes
 * the line before the response of a manifest request leaves the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import bcrypt from 'bcryptjs';
import { startTokenServer, type TokenRequest, type TokenServer } from './registry-token';

export type { TokenRequest } from './registry-token';

export interface RegistryRequest {
  method: string;
  path: string;
  status: number;
  /** Bytes of the response body as the access log has them (0 when it wrote '-'). */
  bytes: number;
}

export interface TestRegistry {
  /** '127.0.0.1:PORT' */
  host: string;
  /** 'http://127.0.0.1:PORT' */
  url: string;
  auth: 'none' | 'basic' | 'token';
  username?: string;
  password?: string;
  /** `url` with the credentials in it (for pushImage) when the registry has some. */
  pushUrl: string;
  /** Requests from the registry's own access log, in order (readiness probes left out). */
  requests(): RegistryRequest[];
  /** requests() once the log has stopped growing (for large blob responses). */
  settledRequests(): Promise<RegistryRequest[]>;
  /** Forget what was seen so far. */
  clearRequests(): void;
  /** Token server hits, in order (auth 'token' only; [] otherwise). */
  tokenRequests(): TokenRequest[];
  clearTokenRequests(): void;
  /** Stop the process and the token server, remove the temp folder. */
  stop(): Promise<void>;
  /** Stop and start again on the same port and storage (an outage window). */
  restart(): Promise<void>;
  /** Stop the process, keeping port and storage ("registry down"). */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

export interface StartRegistryOptions {
  auth?: 'none' | 'basic' | 'token';
  username?: string;
  password?: string;
  /** Lifetime of issued tokens (auth 'token'). Default 300 s. */
  tokenExpiresIn?: number;
  /** auth 'token': the identity token (OAuth2 refresh token) the token server also accepts. */
  identityToken?: string;
}

const PROBE = '/v2/?tagkeeper-probe=1';
const LINE = /"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3}) (\d+|-)/;
const live = new Set<() => void>();
let exitHookInstalled = false;

/**
 * The path of the docker-registry binary. Throws the install hint when `name` is on no
 * directory of `pathEnv`.
 */
export function findDockerRegistry(name = 'docker-registry', pathEnv = process.env.PATH ?? ''): string {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  throw new Error('docker-registry not found: install the Debian package docker-registry (apt-get install docker-registry)');
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const binary = findDockerRegistry();
  const auth = options.auth ?? 'none';
  const username = auth === 'basic' ? (options.username ?? 'tester') : options.username;
  const password = username === undefined ? undefined : (options.password ?? 'secret');
  const dir = mkdtempSync(join(tmpdir(), 'tagkeeper-registry-'));
  const logPath = join(dir, 'registry.log');
  writeFileSync(logPath, '');
  let tokens: TokenServer | undefined;
  let child: ChildProcess | undefined;

  const cleanup = (): void => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  live.add(cleanup);
  installExitHook();

  try {
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const url = `http://${host}`;
    let authYaml = '';
    if (auth === 'basic') {
      writeFileSync(join(dir, 'htpasswd'), `${username}:${bcrypt.hashSync(password as string, 5)}\n`);
      authYaml = `auth:\n  htpasswd:\n    realm: tagkeeper-test\n    path: ${join(dir, 'htpasswd')}\n`;
    } else if (auth === 'token') {
      tokens = await startTokenServer({ dir, username, password, identityToken: options.identityToken, expiresIn: options.tokenExpiresIn ?? 300 });
      authYaml = [
        'auth:',
        '  token:',
        `    realm: ${tokens.realm}`,
        `    service: ${tokens.service}`,
        `    issuer: ${tokens.issuer}`,
        `    rootcertbundle: ${tokens.certPath}`,
        '',
      ].join('\n');
    }
    const configPath = join(dir, 'config.yml');
    writeFileSync(configPath, configYaml(join(dir, 'storage'), host) + authYaml);

    const start = async (): Promise<void> => {
      child = await launch(binary, configPath, logPath, url);
    };
    const halt = async (): Promise<void> => {
      const c = child;
      child = undefined;
      if (c) await terminate(c);
    };
    await start();

    let seenFrom = 0;
    const parse = (): RegistryRequest[] => {
      const text = readFileSync(logPath).subarray(seenFrom).toString('utf8');
      const out: RegistryRequest[] = [];
      for (const line of text.split('\n')) {
        const m = LINE.exec(line);
        if (m && m[2] !== PROBE) out.push({ method: m[1], path: m[2], status: Number(m[3]), bytes: m[4] === '-' ? 0 : Number(m[4]) });
      }
      return out;
    };
    let stopped = false;
    return {
      host,
      url,
      auth,
      username,
      password,
      pushUrl: username ? `http://${encodeURIComponent(username)}:${encodeURIComponent(password as string)}@${host}` : url,
      requests: parse,
      settledRequests: async () => {
        let size = -1;
        while (size !== statSync(logPath).size) {
          size = statSync(logPath).size;
          await new Promise((r) => setTimeout(r, 100));
        }
        return parse();
      },
      clearRequests: () => {
        seenFrom = statSync(logPath).size;
      },
      tokenRequests: () => tokens?.requests() ?? [],
      clearTokenRequests: () => tokens?.clear(),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await halt();
        await tokens?.close();
        live.delete(cleanup);
        rmSync(dir, { recursive: true, force: true });
      },
      restart: async () => {
        await halt();
        await start();
      },
      pause: halt,
      resume: async () => {
        if (!child) await start();
      },
    };
  } catch (error) {
    await tokens?.close();
    cleanup();
    live.delete(cleanup);
    throw error;
  }
}

function configYaml(storage: string, addr: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: text',
    '  accesslog:',
    '    disabled: false',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${addr}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    '',
  ].join('\n');
}

/** Spawn the registry (its output appended to logPath) and wait until /v2/ answers. */
async function launch(binary: string, configPath: string, logPath: string, url: string): Promise<ChildProcess> {
  const fd = openSync(logPath, 'a');
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('REGISTRY_') && !k.startsWith('OTEL_')) env[k] = v;
  const child = spawn(binary, ['serve', configPath], { stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${signal ?? code}`;
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(`docker-registry ${exited} before answering: ${tail(logPath)}`);
    try {
      const res = await fetch(`${url}${PROBE}`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not answer on ${url} within 20 s: ${tail(logPath)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function tail(logPath: string): string {
  if (!existsSync(logPath)) return '(no log)';
  return readFileSync(logPath, 'utf8').trim().split('\n').slice(-3).join(' | ');
}

/** Kill registries and remove their folders on exit, also when the runner sends a signal. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const cleanAll = (): void => {
    for (const cleanup of live) cleanup();
    live.clear();
  };
  process.once('exit', cleanAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanAll();
      process.kill(process.pid, signal); // our listener is gone: the default action follows
    });
  }
}
