/**
 * Benchmark: one box at scale, 1,000 apps of 3 services each (3,000 distinct references, each
 * service with a created container on a private engine), against the same run's baselines:
 *   check    — `check` of every reference where nothing changed, in-process, vs one curl
 *              process doing the same 3,000 keep-alive HEADs (parallel, its maximum of 300);
 *              the two alternate round by round
 *   app list — `apps:list` in-process (the store's records joined with the engine's 3,000
 *              containers, what `app list --json` and the Apps screen ask for): in a
 *              long-running instance (serve, the desktop app: background work started, the
 *              container list kept from the engine's events, the engine not asked) and in a
 *              one-shot one (a CLI command: it asks the engine's list once), and the whole
 *              `app list --json` CLI run, against the engine's own container list alone (one
 *              GET /containers/json?all=1 over its socket)
 * Targets: check in-process ≤ 1.3 × curl; app list in a long-running instance ≤ 150 ms. Nothing is asserted.
 */
import { execFile } from 'node:child_process';
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
const session = new Session();
const post = (m: string, p?: object) => new Promise((res, rej) => session.post(m, p ?? {}, (e, r) => e ? rej(e) : res(r)));
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { LABEL } from '../main/core/apps/app-topology';
import { MANIFEST_ACCEPT } from '../main/core/model/manifest';
import { openInstance } from '../main/shells/open-instance';
import { runCli } from '../test/helpers/cli';
import { startEngine } from '../test/helpers/engine';
import { buildImage, pushImage, type BuiltImage } from '../test/helpers/image-builder';
import { startRegistry } from '../test/helpers/registry';
import { median, ratio, time } from './measure';
benchScale().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });

const run = promisify(execFile);
const APPS = 1000;
const SERVICES = ['web', 'api', 'db'];
const ROUNDS = 5;
/** Requests in flight while setting up (pushing tags, creating containers). */
const SETUP_PARALLEL = 8;

async function benchScale(): Promise<void> {
  const [engine, registry] = await Promise.all([startEngine({ name: 'scale bench' }), startRegistry()]);
  const dataDir = mkdtempSync(join(tmpdir(), 'tk-bench-scale-'));
  try {
    const image = await buildImage({ marker: 'scale' });
    const apps = Array.from({ length: APPS }, (_, i) => `app-${String(i).padStart(4, '0')}`);
    const tags = apps.flatMap((app) => SERVICES.map((service) => `${app}-${service}`));
    await pushImage(registry.url, 'scale', tags[0], image);
    await inParallel(tags.slice(1), (tag) => putManifest(registry.url, tag, image));
    const docker = new Docker({ socketPath: engine.socketPath });
    await pushImage(registry.url, 'scale', 'run', image);
    await run('docker', ['pull', '-q', `${registry.host}/scale:run`], { env: { ...process.env, DOCKER_HOST: engine.dockerHost } });
    seedApps(dataDir, engine.dockerHost, registry.host, apps, image);
    await createContainers(docker, `${registry.host}/scale:run`, apps);

    // Rounds alternate between Tagkeeper and curl so both meet the registry in the same state
    // (run one after the other, all of Tagkeeper's rounds came right after the 3,000 containers
    // were created, with the engine and the disk still busy, and curl's after that had settled).
    const urls = tags.map((t) => `${registry.url}/v2/scale/manifests/${t}`);
    const check: number[] = [];
    const curl: number[] = [];
    let heads = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const instance = openInstance({ dataDir, dockerHost: engine.dockerHost, actor: 'bench' });
      if (round === 3) { session.connect(); await post('Profiler.enable'); await post('Profiler.start'); }
      const { ms, value } = await time(() => instance.client.call('images:check', { apps: [] }));
      if (round === 3) { const { profile } = await post('Profiler.stop') as any; writeFileSync('/tmp/check.cpuprofile', JSON.stringify(profile)); }
      check.push(ms);
      if (value.services.some((s) => s.status !== 'up-to-date')) throw new Error('bench: a tag was not up to date');
      heads = value.references;
      await instance.close();
      curl.push((await time(() => run('curl', ['-s', '-o', '/dev/null', '--parallel', '--parallel-immediate', '--parallel-max', '300', '-I', '-H', `Accept: ${MANIFEST_ACCEPT}`, ...urls], { maxBuffer: 64 * 1024 * 1024 }))).ms);
    }

    console.log('check', check, 'curl', curl); return;
    const engineList: number[] = [];
    for (let round = 0; round < ROUNDS; round++) engineList.push((await time(() => rawGet(engine.socketPath, '/containers/json?all=1'))).ms);
    const list: number[] = [];
    let listed = 0;
    let withContainer = 0;
    const instance = openInstance({ dataDir, dockerHost: engine.dockerHost, actor: 'bench' });
    try {
      await instance.client.call('apps:list', {}); // warm: the first call also loads the modules
      for (let round = 0; round < ROUNDS; round++) {
        const { ms, value } = await time(() => instance.client.call('apps:list', {}));
        list.push(ms);
        listed = value.length;
        withContainer = value.flatMap((a) => a.services).filter((s) => s.containerStatus === 'created').length;
      }
    } finally {
      await instance.close();
    }
    const kept: number[] = [];
    const serving = openInstance({ dataDir, dockerHost: engine.dockerHost, actor: 'bench' });
    const stopBackground = serving.startBackgroundWork(() => undefined);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000)); // the event stream opens, the list is read
      await serving.client.call('apps:list', {});
      for (let round = 0; round < ROUNDS; round++) {
        const { ms, value } = await time(() => serving.client.call('apps:list', {}));
        kept.push(ms);
        if (value.flatMap((a) => a.services).filter((s) => s.containerStatus === 'created').length !== withContainer) throw new Error('bench: the kept list differs from the engine\'s');
      }
    } finally {
      stopBackground();
      await serving.close();
    }
    const cliList: number[] = [];
    for (let round = 0; round < 3; round++) {
      const { ms, value } = await time(() => runCli(['app', 'list', '--json'], { DOCKER_HOST: engine.dockerHost, TAGKEEPER_DATA_DIR: dataDir }));
      if (value.code !== 0) throw new Error(`bench: app list failed: ${value.stderr}`);
      cliList.push(ms);
    }

    const m = { check: median(check), curl: median(curl), list: median(list), kept: median(kept), cliList: median(cliList), engineList: median(engineList) };
    const runs = (values: number[]) => `[${values.map((v) => v.toFixed(0)).join(', ')}]`;
    console.log(`\nscale: ${APPS} apps × ${SERVICES.length} services (${tags.length} references, ${withContainer} containers) (median of ${ROUNDS}; CLI median of 3)`);
    console.log(`  curl, ${tags.length} keep-alive HEADs (300 at a time)   ${m.curl.toFixed(0).padStart(6)} ms   ${runs(curl)}`);
    console.log(`  tagkeeper check, in-process              ${m.check.toFixed(0).padStart(6)} ms   = ${ratio(m.check, m.curl)} × curl (target ≤ 1.3); ${heads} references   ${runs(check)}`);
    console.log(`    round by round, × the curl run after it   [${check.map((ms, i) => (ms / curl[i]).toFixed(2)).join(', ')}]`);
    console.log(`  the engine's container list alone         ${m.engineList.toFixed(0).padStart(6)} ms   ${runs(engineList)}`);
    console.log(`  apps:list, long-running instance (${listed} apps) ${m.kept.toFixed(0).padStart(6)} ms   (target ≤ 150 ms; the list kept from events)   ${runs(kept)}`);
    console.log(`  apps:list, one-shot instance          ${m.list.toFixed(0).padStart(6)} ms   = ${ratio(m.list, m.engineList)} × the engine's list   ${runs(list)}`);
    console.log(`  app list --json, whole CLI run           ${m.cliList.toFixed(0).padStart(6)} ms   ${runs(cliList)}`);
  } finally {
    await Promise.allSettled([engine.stop(), registry.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** GET `path` of the engine over its socket; resolves when the whole answer is read. */
function rawGet(socketPath: string, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, headers: { host: 'docker' } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve());
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function inParallel<T>(items: T[], task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: SETUP_PARALLEL }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

/** Another tag for the pushed image: its manifest again (the blobs are there). */
async function putManifest(registryUrl: string, tag: string, image: BuiltImage): Promise<void> {
  const res = await fetch(`${registryUrl}/v2/scale/manifests/${tag}`, { method: 'PUT', headers: { 'content-type': image.mediaType }, body: new Uint8Array(image.manifest) });
  if (res.status !== 201) throw new Error(`bench: PUT manifest ${tag}: HTTP ${res.status}`);
}

/** Every app with its services latched to the tags' current digest, written straight into the store. */
function seedApps(dataDir: string, dockerHost: string, registryHost: string, apps: string[], image: BuiltImage): void {
  const instance = openInstance({ dataDir, dockerHost, actor: 'bench' });
  const store = instance.store;
  const at = new Date().toISOString();
  for (const app of apps) {
    const services = SERVICES.map((name) => {
      const reference = `${registryHost}/scale:${app}-${name}`;
      return { name, reference, canonical: reference, pinnedDigest: null, settings: { env: [], volumes: [], ports: [], restartPolicy: 'no' as const } };
    });
    store.insertApp({ name: app, pullPolicy: null, checkOnStart: null, services }, at);
    for (const service of services) {
      store.latchService(app, service.name, { indexDigest: image.manifestDigest, manifestDigest: image.manifestDigest, imageId: image.configDigest, source: 'registry', at });
    }
    store.setAppIntent(app, 'stopped', null, at);
  }
  void instance.close();
}

/** A created (not started) container per service, labelled as Tagkeeper labels its own. */
async function createContainers(docker: Docker, image: string, apps: string[]): Promise<void> {
  const jobs = apps.flatMap((app) => SERVICES.map((service) => ({ app, service })));
  await inParallel(jobs, async ({ app, service }) => {
    await docker.createContainer({ name: `tagkeeper-${app}-${service}`, Image: image, Cmd: ['sleep', '3600'], Labels: { [LABEL.app]: app, [LABEL.service]: service } });
  });
}
