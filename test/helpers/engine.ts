/**
 * A private Docker daemon per test file: its own data root, exec root, socket, containerd
 * and config, under a short /tmp/tk-<random>/ (unix socket paths are limited to 108 bytes).
 * Never the system's /var/run/docker.sock, never $DOCKER_HOST. Several engines can run at
 * once: each dockerd supervises its own containerd under its exec root, in its own
 * containerd namespace.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, copyFileSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { create as createTar } from 'tar';
import { freePort } from './registry';

export interface TestEngine {
  /** `unix:///tmp/tk-…/s` */
  dockerHost: string;
  socketPath: string;
  /** `tcp://127.0.0.1:PORT` when started with `tls` (the unix socket is there too). */
  tlsHost?: string;
  dataRoot: string;
  /** dockerd's stdout and stderr. */
  logPath: string;
  /** Stop dockerd (SIGTERM, SIGKILL after ~15 s) and remove its directories. */
  stop(): Promise<void>;
  /**
   * Stop dockerd as above but keep its directories, run `whileDown` (the socket answers
   * nothing then), and start it again on the same socket and data (its containers stopped,
   * as after a daemon restart); resolves once it answers `GET /_ping` again.
   */
  restart(whileDown?: () => Promise<unknown>): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const BUSYBOX = '/bin/busybox';
const BUSYBOX_APPLETS = ['sh', 'sleep', 'cat', 'echo', 'ls', 'mkdir', 'touch', 'true'];
export const BUSYBOX_CMD = ['/bin/sh', '-c', "trap 'exit 0' TERM; while true; do sleep 1; done"];

export interface StartEngineOptions {
  name?: string;
  /**
   * Also listen on tcp://127.0.0.1:<free port> with --tlsverify: only clients with a
   * certificate from `ca` get in (files as made by tls-certs.ts).
   */
  tls?: { ca: string; cert: string; key: string };
  /** Its daemon.json (`{"registry-mirrors": [...]}`); default empty. */
  daemon?: Record<string, unknown>;
}

/** Starts a private dockerd and waits until it answers `GET /_ping`. */
export async function startEngine(options: StartEngineOptions = {}): Promise<TestEngine> {
  const dockerd = findExecutable('dockerd');
  if (!dockerd) throw new Error('dockerd not found: install the Debian package docker.io (apt-get install docker.io)');

  const dir = await mkdtemp('/tmp/tk-');
  const id = path.basename(dir).replace(/[^A-Za-z0-9]/g, '');
  const socketPath = path.join(dir, 's');
  const dataRoot = path.join(dir, 'd');
  const execRoot = path.join(dir, 'e');
  const logPath = path.join(dir, 'log');
  const configFile = path.join(dir, 'daemon.json');
  // Its own config (empty by default): whatever /etc/docker/daemon.json says must not leak in.
  writeFileSync(configFile, `${JSON.stringify(options.daemon ?? {})}\n`);

  const args = [
    `--data-root=${dataRoot}`,
    `--exec-root=${execRoot}`,
    `--pidfile=${path.join(dir, 'pid')}`,
    `--config-file=${configFile}`,
    `-H`,
    `unix://${socketPath}`,
    '--bridge=none',
    '--iptables=false',
    '--ip6tables=false',
    // Small subnets for user-defined networks: the default pools hold only ~30 networks for the
    // whole host (each must not overlap another's route), which engines running side by side
    // (and a run interrupted before its clean-up) would use up.
    '--default-address-pool=base=172.16.0.0/12,size=24',
    // Own namespaces, so engines stay apart even if they end up on a shared containerd.
    `--containerd-namespace=tk-${id}`,
    `--containerd-plugins-namespace=tk-${id}-plugins`,
  ];
  const tlsPort = options.tls ? await freePort() : null;
  if (options.tls && tlsPort) {
    args.push('-H', `tcp://127.0.0.1:${tlsPort}`, '--tlsverify', `--tlscacert=${options.tls.ca}`, `--tlscert=${options.tls.cert}`, `--tlskey=${options.tls.key}`);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: withSbin(process.env.PATH) };
  for (const key of Object.keys(env)) if (key.startsWith('DOCKER_')) delete env[key];

  let child!: ChildProcess;
  let exited!: Promise<void>;
  let hasExited = false;
  const launch = (): void => {
    const logFd = openSync(logPath, 'a');
    try {
      child = spawn(dockerd, args, { stdio: ['ignore', logFd, logFd], env });
    } finally {
      closeSync(logFd);
    }
    hasExited = false;
    const running = child;
    exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    void exited.then(() => (hasExited = true));
  };
  launch();
  // Best effort when the test process exits without stop(): nothing asynchronous runs here.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
    killLeftovers(dir);
    unmountUnder(dir);
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // a dying process may still hold something; /tmp is cleaned eventually
    }
  };
  process.on('exit', killOnExit);

  /** SIGTERM (SIGKILL after STOP_TIMEOUT_MS), then what dockerd left: its containerd, shims, mounts. */
  const terminate = async (): Promise<void> => {
    if (!hasExited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    killLeftovers(dir);
    unmountUnder(dir);
  };

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // The bridges of its networks outlive dockerd on the host: note them, remove them after it.
    const bridges = hasExited ? [] : await networkBridges(socketPath);
    await terminate();
    process.removeListener('exit', killOnExit);
    for (const bridge of bridges) spawnSync('ip', ['link', 'delete', bridge], { stdio: 'ignore' });
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  };

  const label = options.name ? `engine "${options.name}"` : 'test engine';
  const answering = async (): Promise<void> => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (hasExited) throw new Error(`dockerd of the ${label} exited during start-up (exit ${child.exitCode}); log tail:\n${logTail(logPath)}`);
      if (await pingOk(socketPath)) return;
      if (Date.now() > deadline) {
        throw new Error(`dockerd of the ${label} did not answer /_ping within ${START_TIMEOUT_MS / 1000} s; log tail:\n${logTail(logPath)}`);
      }
      await sleep(100);
    }
  };
  const restart = async (whileDown?: () => Promise<unknown>): Promise<void> => {
    if (stopped) throw new Error(`the ${label} was stopped; it cannot restart`);
    await terminate();
    try {
      await whileDown?.();
    } finally {
      launch();
      await answering();
    }
  };

  try {
    await answering();
  } catch (error) {
    await stop();
    throw error;
  }
  return { dockerHost: `unix://${socketPath}`, socketPath, ...(tlsPort ? { tlsHost: `tcp://127.0.0.1:${tlsPort}` } : {}), dataRoot, logPath, stop, restart };
}

/**
 * Imports a one-layer busybox image (static /bin/busybox, applet symlinks, and
 * /etc/tagkeeper-marker = marker) as `tag` through POST /images/create?fromSrc=-, with a
 * default Cmd that sleeps until SIGTERM. Returns the image id.
 */
export async function importBusyboxImage(engine: TestEngine, tag: string, marker: string): Promise<string> {
  const root = await mkdtemp('/tmp/tk-rootfs-');
  try {
    mkdirSync(path.join(root, 'bin'));
    mkdirSync(path.join(root, 'etc'));
    mkdirSync(path.join(root, 'tmp'));
    copyFileSync(BUSYBOX, path.join(root, 'bin', 'busybox'));
    for (const applet of BUSYBOX_APPLETS) symlinkSync('busybox', path.join(root, 'bin', applet));
    writeFileSync(path.join(root, 'etc', 'tagkeeper-marker'), marker);

    const { repo, tag: tagName } = splitTag(tag);
    const query = new URLSearchParams({ fromSrc: '-', repo, tag: tagName, changes: `CMD ${JSON.stringify(BUSYBOX_CMD)}` });
    const tarStream = Readable.from(createTar({ cwd: root, portable: true }, ['bin', 'etc', 'tmp']));
    const lines = await engineStream(engine, 'POST', `/images/create?${query}`, { 'Content-Type': 'application/x-tar' }, tarStream);
    const id = lines.map((line) => line.status).find((status): status is string => typeof status === 'string' && status.startsWith('sha256:'));
    if (!id) throw new Error(`import of ${tag} gave no image id: ${JSON.stringify(lines)}`);
    return id;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Pushes `reference` (`host:port/repo:tag`) with the engine's push API; returns the manifest digest. */
export async function pushImage(engine: TestEngine, reference: string): Promise<string> {
  const { repo, tag } = splitTag(reference);
  const auth = Buffer.from('{}').toString('base64');
  const lines = await engineStream(engine, 'POST', `/images/${repo}/push?tag=${encodeURIComponent(tag)}`, { 'X-Registry-Auth': auth });
  const digest = lines.map((line) => (line.aux as { Digest?: string } | undefined)?.Digest).find(Boolean);
  if (!digest) throw new Error(`push of ${reference} gave no digest: ${JSON.stringify(lines)}`);
  return digest;
}

/** `repo[:tag]` → repo and tag (`latest` by default); a registry port is not a tag. */
function splitTag(reference: string): { repo: string; tag: string } {
  const colon = reference.lastIndexOf(':');
  if (colon > reference.lastIndexOf('/')) return { repo: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  return { repo: reference, tag: 'latest' };
}

type StreamLine = Record<string, unknown>;

/** A request whose answer is the engine's JSON-lines stream; rejects on an error status or an error line. */
function engineStream(
  engine: TestEngine,
  method: string,
  requestPath: string,
  headers: Record<string, string>,
  body?: NodeJS.ReadableStream,
): Promise<StreamLine[]> {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath: engine.socketPath, method, path: requestPath, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('error', reject);
      response.on('end', () => {
        if (response.statusCode !== 200) {
          reject(new Error(`${method} ${requestPath}: HTTP ${response.statusCode} ${text.trim()}`));
          return;
        }
        const lines = text
          .split('\n')
          .filter((line) => line.trim())
          .map((line) => JSON.parse(line) as StreamLine);
        const failed = lines.find((line) => line.error || line.errorDetail);
        if (failed) reject(new Error(`${method} ${requestPath}: ${String(failed.error)}`));
        else resolve(lines);
      });
    });
    request.on('error', reject);
    if (body) {
      body.on('error', (error: Error) => request.destroy(error));
      body.pipe(request);
    } else {
      request.end();
    }
  });
}

function pingOk(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ socketPath, path: '/_ping', timeout: 2000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve(response.statusCode === 200 && text.trim() === 'OK'));
      response.on('error', () => resolve(false));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

function findExecutable(name: string): string | null {
  for (const dir of withSbin(process.env.PATH).split(':')) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** PATH plus the sbin directories (dockerd lives in /usr/sbin; it finds containerd and runc on PATH). */
function withSbin(pathEnv: string | undefined): string {
  const dirs = (pathEnv ?? '').split(':').filter(Boolean);
  for (const dir of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    if (!dirs.includes(dir)) dirs.push(dir);
  }
  return dirs.join(':');
}

function logTail(logPath: string, lines = 40): string {
  try {
    return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * After dockerd is gone: SIGKILL any process still running with this engine's directory on
 * its command line (its containerd, container shims). Those are this engine's own children,
 * found by the engine's unique directory, never by a program name.
 */
function killLeftovers(dir: string): void {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid);
  } catch {
    return;
  }
  for (const pid of pids) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline.split('\0').some((arg) => arg.includes(`${dir}/`))) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** Lazily unmounts whatever is still mounted under `dir` (overlay, netns, shm), deepest first. */
function unmountUnder(dir: string): void {
  let mountinfo: string;
  try {
    mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return;
  }
  const points = mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => typeof point === 'string' && point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of points) spawnSync('umount', ['-l', point], { stdio: 'ignore' });
}

/** The host bridge interfaces (`br-<id>`) of this engine's user-defined bridge networks. */
async function networkBridges(socketPath: string): Promise<string[]> {
  const body = await new Promise<string>((resolve) => {
    const req = http.request({ socketPath, path: '/networks', timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve(text));
    });
    req.on('error', () => resolve('[]')).on('timeout', () => req.destroy());
    req.end();
  });
  try {
    const networks = JSON.parse(body) as { Id: string; Driver: string }[];
    return networks.filter((n) => n.Driver === 'bridge').map((n) => `br-${n.Id.slice(0, 12)}`);
  } catch {
    return [];
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A random suffix for names inside a test. */
export function randomName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
