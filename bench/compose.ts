/**
 * Benchmark: a 5-service Compose app where one service's tag moved, `tagkeeper app refresh`
 * against `docker-compose pull && docker-compose up -d` (Debian's docker-compose 1.29.2) on
 * an equivalent project, on the same private engine, in the same run.
 *
 * The project: web → api → (db, cache), worker → db, on a user-defined network `mesh`, each
 * service an image from test/helpers/image-builder.ts running busybox `httpd -f -p 8080
 * -h /www` with a page that names the image version (`init: true`, so the server stops on
 * SIGTERM as a well-behaved service does, instead of waiting out the 10 s stop timeout as
 * PID 1), and a health check as real stacks define one: busybox `wget -q -O-
 * http://127.0.0.1:8080/` every HEALTH_INTERVAL. Only api publishes a port
 * (`127.0.0.1:PORT:8080`; the private engines run `--iptables=false`, and the userland proxy
 * serves published loopback ports).
 *
 * Three separate projects, each with its own api tag and port, the four other services on the
 * same images (already on the box): `dc` run by docker-compose, `tk` an app made with
 * `tagkeeper app create --compose` from the identical file (a new container with a health
 * check is proven once it reports healthy), and `tkn` the same project WITHOUT health checks,
 * refreshed with the default start-grace (the new api must stay up for the whole 5 s), so the
 * figures also show what a project without health checks pays. Before each round a new build of api (one new top layer of FILLER random bytes) is pushed
 * under each project's tag; every contender then starts from the same state (all services on
 * the previous build, the new layer not on the box) and downloads exactly one layer. The
 * order of the contenders is rotated each round.
 *
 *   total    — the whole command run: the docker-compose pair, the tagkeeper CLI
 *   downtime — a prober asks 127.0.0.1:PORT every PROBE_MS (a new connection each time, not
 *              waiting for the previous answer): from the last answer of the old api to the
 *              first answer of the new one (the page names the version). The ratios to
 *              docker-compose are the targets (total ≤ 1, downtime ≤ 1).
 *   phases   — when things happened, in ms from the command's start: the registry requests
 *              (through a timing proxy in front of the registry, for both tools) and the
 *              engine's events (pull done, old container killed and stopped, new one
 *              created and started, old one removed). BENCH_TRACE=1 prints every probe
 *              around the gap, request and event of every run.
 * Figures are medians of ROUNDS, single runs in brackets. Nothing is asserted.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get as httpGet, request as httpRequest, Agent, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import type { OperationResult } from '../main/api/types/operations';
import { runCli } from '../test/helpers/cli';
import { startEngine } from '../test/helpers/engine';
import { publishTo, type BuiltImage } from '../test/helpers/image-builder';
import { freePort, startRegistry } from '../test/helpers/registry';
import { median, ratio } from './measure';

const run = promisify(execFile);
/** Rounds per run: the box the figures come from is shared and loaded, so medians of 5. */
const ROUNDS = 5;
const FILLER = 8 * 1000 * 1000;
const PROBE_MS = 20;
const PROBE_TIMEOUT_MS = 2000;
const SERVICES = ['web', 'api', 'db', 'cache', 'worker'] as const;
const MOVED = 'api';
const DEPENDS: Record<string, string[]> = { web: ['api'], api: ['db', 'cache'], worker: ['db'] };
const REPO = 'bench-compose';
/** The health check's interval: Docker runs the first check this long after the start. */
const HEALTH_INTERVAL = '1s';

/** Wall-clock milliseconds with sub-millisecond resolution (comparable with the engine's timeNano). */
const clock = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Key = 'dc' | 'tk' | 'tkn';

interface Contender {
  key: Key;
  label: string;
  /** Compose project name (docker-compose -p, or the Tagkeeper app's name). */
  project: string;
  port: number;
  file: string;
  /** Tagkeeper's start-grace in ms (null: docker-compose, which has none). */
  grace: number | null;
  /** Its services have health checks. */
  healthchecks: boolean;
}

interface Hit {
  start: number;
  end: number;
  method: string;
  path: string;
  status: number;
  agent: string;
  bytes: number;
}

interface EngineEvent {
  at: number;
  type: string;
  action: string;
  id: string;
  attributes: Record<string, string>;
}

interface Probe {
  sent: number;
  error?: string;
  at: number;
  ok: boolean;
  body: string;
}

/** Moments of a refresh, in order; ms from the command's start. */
const PHASES = ['registry', 'resolved', 'pullStart', 'pullDone', 'pullCommand', 'created', 'kill', 'stopped', 'started', 'answers', 'healthy', 'removed', 'end'] as const;
type Phase = (typeof PHASES)[number];
const PHASE_LABEL: Record<Phase, string> = {
  registry: 'first registry request',
  resolved: 'last manifest HEAD answered',
  pullStart: 'engine asks for the api manifest',
  pullDone: 'engine: api pulled (event)',
  pullCommand: 'docker-compose pull exits, up -d starts',
  kill: 'old api: SIGTERM (kill event)',
  stopped: 'old api: stopped (stop event)',
  created: 'new api: created',
  started: 'new api: started',
  answers: 'new api: first answer (prober)',
  healthy: 'new api: healthy (event; dc does not wait)',
  removed: 'old api: removed (destroy event)',
  end: 'command exits',
};

/** One contender's round: figures in ms; phase times from the command's start. */
interface Outcome {
  total: number;
  downtime: number;
  /** docker-compose only: the pull command alone. */
  pull?: number;
  failedProbes: number;
  /** Probes that connected before the new container answered and were answered by it later (held by the port proxy), and the longest wait. */
  heldProbes: number;
  heldMax: number;
  phases: Partial<Record<Phase, number>>;
  requests: { heads: number; manifestGets: number; blobGets: number; blobBytes: number };
}

export async function benchCompose(): Promise<void> {
  const [engine, registry] = await Promise.all([startEngine({ name: 'compose bench' }), startRegistry()]);
  const proxy = await startTimingProxy(registry.host);
  const docker = new Docker({ socketPath: engine.socketPath });
  const work = mkdtempSync(join(tmpdir(), 'tk-bench-compose-'));
  const dataDir = join(work, 'tagkeeper');
  const events = await recordEvents(docker);
  const loadBefore = loadavg();
  try {
    // The unchanged services: one image each, shared by the three projects.
    for (const service of SERVICES) if (service !== MOVED) await publishTo(registry, `${REPO}/${service}`, '1', `${service}-v1`, page(service, 1));
    const env = { dc: dcEnv(engine.dockerHost), tk: { DOCKER_HOST: engine.dockerHost, TAGKEEPER_DATA_DIR: dataDir } };
    const settings = await runCli(['settings', 'show', '--json'], env.tk);
    const defaultGrace = settings.json<{ startGraceSeconds: number }>().startGraceSeconds * 1000;
    const contenders: Contender[] = [];
    for (const [key, label, grace, healthchecks] of [
      ['dc', `docker-compose pull && up -d (1.29.2), health checks every ${HEALTH_INTERVAL}`, null, true],
      ['tk', `tagkeeper app refresh, the same project (health checks every ${HEALTH_INTERVAL})`, defaultGrace, true],
      ['tkn', `tagkeeper app refresh, the project WITHOUT health checks, start-grace ${defaultGrace / 1000} s (the default)`, defaultGrace, false],
    ] as const) {
      const port = await freePort();
      const file = join(work, `${key}.yaml`);
      writeFileSync(file, composeFile(proxy.host, key, port, healthchecks));
      contenders.push({ key, label, project: `bench${key}`, port, file, grace, healthchecks });
      await publishTo(registry, `${REPO}/${MOVED}`, key, `${key}-${MOVED}-v1`, { ...page(MOVED, 1), filler: FILLER });
    }

    // Starting state: every project runs version 1 of everything.
    for (const c of contenders) {
      if (c.key === 'dc') await dockerCompose(env.dc, c, ['up', '-d']);
      else {
        const created = await runCli(['app', 'create', c.project, '--compose', c.file, '--json'], env.tk);
        if (created.code !== 0) throw new Error(`bench: tagkeeper app create ${c.project} failed: ${created.stderr}`);
      }
      await waitForPage(c.port, `${MOVED} v1`);
      await checkMesh(docker, c);
    }

    const outcomes: Record<Key, Outcome[]> = { dc: [], tk: [], tkn: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      const version = round + 1;
      const images = {} as Record<Key, BuiltImage>;
      for (const c of contenders) images[c.key] = await publishTo(registry, `${REPO}/${MOVED}`, c.key, `${c.key}-${MOVED}-v${version}`, { ...page(MOVED, version), filler: FILLER });
      const order = contenders.map((_, i) => contenders[(i + round - 1) % contenders.length]);
      for (const c of order) {
        const before = await projectContainers(docker, c.project);
        const outcome = await refreshOnce(c, version, proxy, events, async () => {
          if (c.key === 'dc') {
            const pullStart = clock();
            await dockerCompose(env.dc, c, ['pull']);
            const pullEnd = clock();
            await dockerCompose(env.dc, c, ['up', '-d']);
            return { pull: pullEnd - pullStart };
          }
          const out = await runCli(['app', 'refresh', c.project, '--json'], env.tk);
          if (out.code !== 0) throw new Error(`bench: tagkeeper app refresh ${c.project} failed: ${out.stderr}`);
          const result = out.json<OperationResult>();
          const changed = result.services.filter((s) => s.changed).map((s) => s.name);
          if (result.outcome !== 'done' || changed.join() !== MOVED) throw new Error(`bench: refresh of ${c.project}: ${JSON.stringify(result)}`);
          return {};
        });
        await checkMoved(docker, c, before, images[c.key]);
        outcomes[c.key].push(outcome);
        await sleep(500);
      }
    }
    const startup = await startupCosts(env);
    report(contenders, outcomes, startup, { before: loadBefore, after: loadavg() });
  } finally {
    events.stop();
    await removeContainersAndNetworks(docker);
    await proxy.stop();
    await Promise.allSettled([engine.stop(), registry.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}

/** One refresh of one contender, with the prober running and the phases read afterwards. */
async function refreshOnce(
  c: Contender,
  version: number,
  proxy: TimingProxy,
  events: EventLog,
  refresh: () => Promise<{ pull?: number }>,
): Promise<Outcome> {
  const oldPage = `${MOVED} v${version - 1}`;
  const newPage = `${MOVED} v${version}`;
  const prober = startProber(c.port);
  let start: number;
  let end: number;
  let pull: number | undefined;
  try {
    await prober.until((p) => p.ok && p.body === oldPage, 10_000);
    proxy.hits.length = 0;
    start = clock();
    ({ pull } = await refresh());
    end = clock();
    await prober.until((p) => p.ok && p.body === newPage, 30_000);
    await sleep(100);
  } finally {
    await prober.stop();
  }
  const probes = await prober.stop();

  const lastOld = Math.max(...probes.filter((p) => p.ok && p.body === oldPage).map((p) => p.at));
  const firstNew = Math.min(...probes.filter((p) => p.ok && p.body === newPage).map((p) => p.at));
  if (probes.some((p) => p.ok && p.body === oldPage && p.at > firstNew)) throw new Error(`bench: ${c.project} answered with the old version after the new one`);
  if (process.env.BENCH_TRACE) trace(c, start, end, probes, lastOld, firstNew, proxy.hits, events);
  const failed = probes.filter((p) => !p.ok && p.sent > lastOld && p.sent < firstNew);
  // Connections made before the new container answered that it answered later (held by the port proxy).
  const held = probes.filter((p) => p.ok && p.body === newPage && p.sent < firstNew);

  // Phases: the registry requests of this run and the engine's events about api.
  const hits = proxy.hits.filter((h) => h.start >= start && h.end <= end + 1);
  const evs = events.between(start, end + 1000);
  const apiEvents = () => events.between(start, Infinity).filter((e) => e.type === 'container' && e.attributes['com.docker.compose.project'] === c.project && e.attributes['com.docker.compose.service'] === MOVED);
  const newId = apiEvents().find((e) => e.action === 'create')?.id;
  // docker-compose does not wait for health: its new api turns healthy after the command ended. Every contender's does before the next one starts.
  const healthy = () => apiEvents().some((e) => e.id === newId && e.action === 'health_status: healthy');
  for (const limit = Date.now() + 20_000; c.healthchecks && !healthy(); await sleep(50)) {
    if (Date.now() > limit) throw new Error(`bench: the new ${MOVED} of ${c.project} did not turn healthy within 20 s`);
  }
  const api = apiEvents();
  const oldId = api.find((e) => e.action === 'kill')?.id;
  const event = (action: string, id: string | undefined) => api.find((e) => e.action === action && e.id === id)?.at;
  const pullStart = hits.find((h) => h.path.startsWith(`/v2/${REPO}/${MOVED}/`) && /docker\//i.test(h.agent))?.start;
  const at: Record<Phase, number | undefined> = {
    registry: hits[0]?.start,
    resolved: maxOf(hits.filter((h) => h.method === 'HEAD' && h.path.includes('/manifests/')).map((h) => h.end)),
    pullStart,
    pullDone: evs.find((e) => e.type === 'image' && e.action === 'pull' && e.id.includes(`${REPO}/${MOVED}`))?.at,
    pullCommand: pull === undefined ? undefined : start + pull,
    kill: event('kill', oldId),
    stopped: event('stop', oldId),
    created: event('create', newId),
    started: event('start', newId),
    answers: firstNew,
    healthy: event('health_status: healthy', newId),
    removed: event('destroy', oldId),
    end,
  };
  const phases: Partial<Record<Phase, number>> = {};
  for (const phase of PHASES) if (at[phase] !== undefined && Number.isFinite(at[phase])) phases[phase] = at[phase] - start;
  const blobGets = hits.filter((h) => h.method === 'GET' && h.path.includes('/blobs/'));
  return {
    total: end - start,
    downtime: firstNew - lastOld,
    pull,
    failedProbes: failed.length,
    heldProbes: held.length,
    heldMax: maxOf(held.map((p) => p.at - p.sent)) ?? 0,
    phases,
    requests: {
      heads: hits.filter((h) => h.method === 'HEAD' && h.path.includes('/manifests/')).length,
      manifestGets: hits.filter((h) => h.method === 'GET' && h.path.includes('/manifests/')).length,
      blobGets: blobGets.length,
      blobBytes: blobGets.reduce((sum, h) => sum + h.bytes, 0),
    },
  };
}

const maxOf = (values: number[]): number | undefined => (values.length ? Math.max(...values) : undefined);

/** BENCH_TRACE=1: every probe around the gap, registry request and engine event of a run, in ms from its start. */
function trace(c: Contender, start: number, end: number, probes: Probe[], lastOld: number, firstNew: number, hits: Hit[], events: EventLog): void {
  const t = (v: number) => (v - start).toFixed(0).padStart(6);
  for (const p of probes.filter((x) => x.at > lastOld - 100 && x.sent < firstNew + 50)) console.log(`${c.key} probe sent ${t(p.sent)} answer ${t(p.at)} ${p.ok ? p.body : p.error}`);
  for (const h of hits) console.log(`${c.key} registry ${t(h.start)} ${t(h.end)} ${h.method} ${h.path.slice(0, 70)} ${h.status} ${h.agent.split(' ')[0]}`);
  for (const e of events.between(start, end + 1000)) {
    if (e.type === 'container' && e.attributes['com.docker.compose.project'] !== c.project) continue;
    console.log(`${c.key} engine ${t(e.at)} ${e.type} ${e.action} ${e.attributes['com.docker.compose.service'] ?? ''} ${e.id.slice(0, 60)}`);
  }
}

// ---- the project ---------------------------------------------------------------------

function page(service: string, version: number) {
  return { files: { '/www/index.html': `${service} v${version}\n` } };
}

function composeFile(registryHost: string, key: Key, port: number, healthchecks: boolean): string {
  const lines = ['services:'];
  for (const service of SERVICES) {
    const tag = service === MOVED ? key : '1';
    lines.push(
      `  ${service}:`,
      `    image: ${registryHost}/${REPO}/${service}:${tag}`,
      '    command: ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]',
      '    init: true',
      '    networks: [mesh]',
    );
    if (healthchecks) lines.push(`    healthcheck: {test: ["CMD", "/bin/busybox", "wget", "-q", "-O-", "http://127.0.0.1:8080/"], interval: ${HEALTH_INTERVAL}, timeout: 5s, retries: 3}`);
    if (DEPENDS[service]) lines.push(`    depends_on: [${DEPENDS[service].join(', ')}]`);
    if (service === MOVED) lines.push(`    ports: ["127.0.0.1:${port}:8080"]`);
  }
  lines.push('networks:', '  mesh: {}', '');
  return lines.join('\n');
}

/** The environment of docker-compose: the private engine only. */
function dcEnv(dockerHost: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', DOCKER_HOST: dockerHost };
}

async function dockerCompose(env: NodeJS.ProcessEnv, c: Contender, args: string[]): Promise<void> {
  try {
    await run('docker-compose', ['-p', c.project, '-f', c.file, ...args], { env, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 });
  } catch (error) {
    throw new Error(`bench: docker-compose ${args.join(' ')} of ${c.project} failed: ${(error as { stderr?: string }).stderr ?? error}`);
  }
}

interface ProjectContainer {
  id: string;
  service: string;
  image: string;
  running: boolean;
  /** The health its check reports (`Up 2 seconds (healthy)`); null without a health check. */
  health: string | null;
}

async function projectContainers(docker: Docker, project: string): Promise<ProjectContainer[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });
  return list.map((c) => ({
    id: c.Id,
    service: c.Labels['com.docker.compose.service'],
    image: c.ImageID,
    running: c.State === 'running',
    health: /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1] ?? null,
  }));
}

/**
 * After a refresh: api runs the new build in a new container, the four others are the same
 * containers; each has a health check exactly when the contender's project defines them.
 */
async function checkMoved(docker: Docker, c: Contender, before: ProjectContainer[], image: BuiltImage): Promise<void> {
  const after = await projectContainers(docker, c.project);
  if (after.length !== SERVICES.length || after.some((x) => !x.running)) throw new Error(`bench: ${c.project} should run ${SERVICES.length} containers: ${JSON.stringify(after)}`);
  if (after.some((x) => (x.health !== null) !== c.healthchecks)) throw new Error(`bench: the containers of ${c.project} should ${c.healthchecks ? '' : 'not '}have health checks: ${JSON.stringify(after)}`);
  for (const x of after) {
    const was = before.find((b) => b.service === x.service);
    if (x.service === MOVED) {
      if (x.image !== image.configDigest || x.id === was?.id) throw new Error(`bench: ${c.project}/${MOVED} does not run the new build in a new container`);
    } else if (x.id !== was?.id) throw new Error(`bench: ${c.project}/${x.service} was recreated although its tag did not move`);
  }
}

/** The services reach each other by name on the project network. */
async function checkMesh(docker: Docker, c: Contender): Promise<void> {
  const web = (await projectContainers(docker, c.project)).find((x) => x.service === 'web');
  if (!web) throw new Error(`bench: ${c.project} has no web container`);
  const exec = await docker.getContainer(web.id).exec({ Cmd: ['wget', '-qO-', `http://${MOVED}:8080/`], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve, reject) => {
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', reject);
  });
  if (!Buffer.concat(chunks).toString('latin1').includes(`${MOVED} v1`)) throw new Error(`bench: web of ${c.project} cannot reach ${MOVED} by name`);
}

async function waitForPage(port: number, body: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const p = await probeOnce(port);
    if (p.ok && p.body === body) return;
    await sleep(100);
  }
  throw new Error(`bench: 127.0.0.1:${port} did not answer "${body}" within 30 s`);
}

/**
 * Removes every container and network of the bench's engine before it stops: a network left
 * at shutdown leaves its br-* bridge and route in the host's namespace after the engine's
 * folders are gone, and the engines of this box share the default address pools.
 */
async function removeContainersAndNetworks(docker: Docker): Promise<void> {
  try {
    for (const c of await docker.listContainers({ all: true })) await docker.getContainer(c.Id).remove({ force: true });
    for (const n of await docker.listNetworks()) {
      if (['bridge', 'host', 'none'].includes(n.Name)) continue;
      await docker.getNetwork(n.Id).remove();
      if (existsSync(`/sys/class/net/br-${n.Id.slice(0, 12)}`)) console.error(`bench: the bridge br-${n.Id.slice(0, 12)} of network ${n.Name} is still there`);
    }
  } catch (error) {
    console.error(`bench: could not remove the bench's containers and networks: ${String(error)}`);
  }
}

// ---- the prober ----------------------------------------------------------------------

function probeOnce(port: number): Promise<Probe> {
  const sent = clock();
  return new Promise((resolve) => {
    const request = httpGet({ host: '127.0.0.1', port, path: '/', agent: false, timeout: PROBE_TIMEOUT_MS }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ sent, at: clock(), ok: response.statusCode === 200, body: body.trim() }));
      response.on('error', (e) => resolve({ sent, at: clock(), ok: false, body: '', error: String((e as any).code ?? e.message) }));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (e) => resolve({ sent, at: clock(), ok: false, body: '', error: String((e as any).code ?? e.message) }));
  });
}

/**
 * Asks 127.0.0.1:PORT every PROBE_MS until stopped (at most 5 minutes), without waiting for
 * the previous answer: a connection the engine's port proxy accepts while the new container
 * is not reachable yet can hang for a SYN retransmission (~1 s), and a prober waiting on it
 * would see the new version late. Each probe gives up after PROBE_TIMEOUT_MS.
 */
function startProber(port: number) {
  const probes: Probe[] = [];
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  const deadline = Date.now() + 300_000;
  const loop = (async () => {
    while (!stopped && Date.now() < deadline) {
      const started = clock();
      const probe = probeOnce(port).then((p) => {
        probes.push(p);
        inFlight.delete(probe);
      });
      inFlight.add(probe);
      const wait = PROBE_MS - (clock() - started);
      if (wait > 0) await sleep(wait);
    }
  })();
  return {
    async until(predicate: (p: Probe) => boolean, timeoutMs: number): Promise<void> {
      const limit = Date.now() + timeoutMs;
      while (!probes.some(predicate)) {
        if (Date.now() > limit) throw new Error(`bench: the prober on 127.0.0.1:${port} did not see what it waited for within ${timeoutMs} ms`);
        await sleep(PROBE_MS);
      }
    },
    async stop(): Promise<Probe[]> {
      stopped = true;
      await loop;
      await Promise.all(inFlight);
      return probes.sort((a, b) => a.sent - b.sent);
    },
  };
}

// ---- the registry's timing proxy -----------------------------------------------------

interface TimingProxy {
  host: string;
  hits: Hit[];
  stop(): Promise<void>;
}

/** A loopback HTTP proxy in front of the registry that records each request's start, end, agent and bytes. */
async function startTimingProxy(upstream: string): Promise<TimingProxy> {
  const [upHost, upPort] = upstream.split(':');
  const agent = new Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    const hit: Hit = { start: clock(), end: 0, method: req.method ?? '', path: req.url ?? '', status: 0, agent: String(req.headers['user-agent'] ?? ''), bytes: 0 };
    const up = httpRequest({ host: upHost, port: Number(upPort), method: req.method, path: req.url, headers: { ...req.headers, host: upstream }, agent }, (upRes) => {
      hit.status = upRes.statusCode ?? 0;
      res.writeHead(hit.status, upRes.headers);
      upRes.on('data', (chunk: Buffer) => (hit.bytes += chunk.length));
      upRes.pipe(res);
    });
    res.on('finish', () => {
      hit.end = clock();
      hits.push(hit);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    hits,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

// ---- the engine's events -------------------------------------------------------------

interface EventLog {
  between(from: number, to: number): EngineEvent[];
  stop(): void;
}

/** Every event of the private engine from now on, with its time (timeNano, as ms). */
async function recordEvents(docker: Docker): Promise<EventLog> {
  const stream = (await docker.getEvents({})) as NodeJS.ReadableStream & { destroy(): void };
  const all: EngineEvent[] = [];
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      const e = JSON.parse(line) as { Type: string; Action: string; Actor: { ID: string; Attributes?: Record<string, string> }; timeNano: number };
      all.push({ at: e.timeNano / 1e6, type: e.Type, action: e.Action, id: e.Actor.ID, attributes: e.Actor.Attributes ?? {} });
    }
  });
  stream.on('error', () => undefined);
  return {
    between: (from, to) => all.filter((e) => e.at >= from && e.at <= to),
    stop: () => stream.destroy(),
  };
}

// ---- start-up and the report ---------------------------------------------------------

/** What each tool pays to start at all: `tagkeeper --help` and `docker-compose version` (median of 3). */
async function startupCosts(env: { dc: NodeJS.ProcessEnv; tk: Record<string, string> }) {
  const tk: number[] = [];
  const dc: number[] = [];
  for (let i = 0; i < 3; i++) {
    let t = clock();
    await runCli(['--help'], env.tk);
    tk.push(clock() - t);
    t = clock();
    await run('docker-compose', ['version'], { env: env.dc });
    dc.push(clock() - t);
  }
  return { tk: median(tk), dc: median(dc) };
}

const ms = (value: number): string => `${value.toFixed(0).padStart(6)} ms`;
const runs = (values: number[]): string => `[${values.map((v) => v.toFixed(0)).join(', ')}]`;

function report(contenders: Contender[], outcomes: Record<Key, Outcome[]>, startup: { tk: number; dc: number }, load: { before: number[]; after: number[] }): void {
  const base = outcomes.dc;
  const baseline = {
    total: median(base.map((o) => o.total)),
    downtime: median(base.map((o) => o.downtime)),
    answers: median(base.map((o) => o.phases.answers ?? Number.NaN)),
  };
  const loads = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  console.log(
    `\nCompose app refresh: ${SERVICES.length} services on a user-defined network, the tag of ${MOVED} moved (one new layer, ${FILLER / 1e6} MB of random data); ` +
      `median of ${ROUNDS}, order rotated each round; downtime probed every ${PROBE_MS} ms on ${MOVED}'s published 127.0.0.1 port ` +
      `(load average ${loads(load.before)} before, ${loads(load.after)} after)`,
  );
  for (const c of contenders) {
    const o = outcomes[c.key];
    const line = (label: string, values: number[], key: keyof typeof baseline, target = '') => {
      const m = median(values);
      const versus = c.key === 'dc' ? '' : ` = ${ratio(m, baseline[key])} × docker-compose${target}`;
      return `    ${label.padEnd(24)} ${ms(m)}${versus.padEnd(38)} ${runs(values)}`;
    };
    console.log(`  ${c.label}`);
    console.log(line('total', o.map((x) => x.total), 'total', ' (target ≤ 1)'));
    if (c.grace !== null && !c.healthchecks) console.log(line(`total − start-grace`, o.map((x) => x.total - (c.grace ?? 0)), 'total'));
    console.log(line('downtime', o.map((x) => x.downtime), 'downtime', ' (target ≤ 1)'));
    console.log(line(`new ${MOVED} answers after`, o.map((x) => x.phases.answers ?? Number.NaN), 'answers'));
    if (c.key === 'dc') console.log(`    ${'of which the pull'.padEnd(24)} ${ms(median(o.map((x) => x.pull ?? 0)))}${''.padEnd(38)} ${runs(o.map((x) => x.pull ?? 0))}`);
    // The downtime in the engine's events, round by round: the old container's stop, then what happens until the new one has started.
    const span = (from: Phase, to: Phase) => o.map((x) => (x.phases[to] ?? Number.NaN) - (x.phases[from] ?? Number.NaN));
    console.log(`    ${'gap: SIGTERM → stopped'.padEnd(24)} ${ms(median(span('kill', 'stopped')))}${''.padEnd(38)} ${runs(span('kill', 'stopped'))}`);
    console.log(`    ${'stopped → new started'.padEnd(24)} ${ms(median(span('stopped', 'started')))}${''.padEnd(38)} ${runs(span('stopped', 'started'))}`);
    console.log(
      `    probes in the gap: failed ${runs(o.map((x) => x.failedProbes))}; held by the port proxy and answered late by the new container ` +
        `${runs(o.map((x) => x.heldProbes))}, up to ${runs(o.map((x) => x.heldMax))} ms`,
    );
    const r = o[o.length - 1].requests;
    console.log(`    registry requests (last round): ${r.heads} manifest HEAD, ${r.manifestGets} manifest GET, ${r.blobGets} blob GET (${(r.blobBytes / 1e6).toFixed(1)} MB)`);
  }
  console.log(`  start-up alone (median of 3): tagkeeper --help ${ms(startup.tk)}; docker-compose version ${ms(startup.dc)} (the pair starts docker-compose twice)`);
  console.log(`  when things happen, ms from the command's start (median of ${ROUNDS}; registry requests through a timing proxy, the rest from the engine's events)`);
  console.log(`    ${''.padEnd(40)}${contenders.map((c) => c.key.padStart(8)).join('')}`);
  for (const phase of PHASES) {
    const cells = contenders.map((c) => {
      const values = outcomes[c.key].map((o) => o.phases[phase]).filter((v): v is number => v !== undefined);
      return (values.length === 0 ? '–' : `${median(values).toFixed(0)}${values.length < ROUNDS ? '?' : ''}`).padStart(8);
    });
    if (cells.some((x) => x.trim() !== '–')) console.log(`    ${PHASE_LABEL[phase].padEnd(40)}${cells.join('')}`);
  }
}
