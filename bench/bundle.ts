/**
 * Benchmark: offline bundles against Docker's own save/load, in the same run, on the same
 * ~100 MB of incompressible image data (three images, each with ~33 MB of random filler).
 *   export — `bundle export FILE --app NAME` (in-process core call, and the whole CLI run),
 *            which reads the blobs from the connected site's registry, vs `docker save` of
 *            the same images from the connected site's engine.
 *   import — `bundle import FILE` (verify every blob, load, record pending
 *            updates; in-process, and the whole CLI run) into a second private engine, vs
 *            `docker load` of a `docker save` archive of the same images into that engine.
 *            Before every load and every import the engine holds no image and no layer, and
 *            the disk cache is flushed (sync), so no run pays for the previous one's writes.
 * Runs are interleaved; each figure is the median of the rounds (the single runs follow in
 * brackets). Throughput is each file's own size / time: the bundle has gzip'd layers, the
 * save archive raw ones, which on random data are the same size within a few percent.
 * Each whole CLI run also reports its peak resident memory (RSS), and the in-process import
 * the longest wait between two progress events.
 * `bundle-big` (opt-in: ~2 GB, needs ~15 GB of disk for a few minutes, all removed after):
 * the same with 10 images of ~200 MB random data each, one round.
 * Targets: import ≥ 0.9 × docker load in-process, ≥ 0.85 × as a whole CLI run; the big
 * bundle's export and import with peak RSS ≤ 300 MB. Nothing is asserted; figures are for reading.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import type { ImportAnswer } from '../main/api/types/bundles';
import type { CoreEvent } from '../main/api/types/events';
import { parseReference } from '../main/core/model/reference';
import { openInstance } from '../main/shells/open-instance';
import { runCli, type CliResult } from '../test/helpers/cli';
import { startEngine, type TestEngine } from '../test/helpers/engine';
import { buildImage, pushImage, sha256 } from '../test/helpers/image-builder';
import { createApp } from '../test/helpers/lifecycle';
import { startSite, type TestSite } from '../test/helpers/site';
import { median, ratio, time } from './measure';

const run = promisify(execFile);
const APP = 'bundle-bench';
const MB = 1e6;
const PEAK_RSS = join(__dirname, 'peak-rss.cjs');

interface Shape {
  name: string;
  images: number;
  filler: number;
  rounds: number;
}

const NORMAL: Shape = { name: 'bundle', images: 3, filler: 33 * 1000 * 1000, rounds: 3 };
const BIG: Shape = { name: 'bundle-big', images: 10, filler: 200 * 1000 * 1000, rounds: 1 };

interface BenchImage {
  reference: string;
  configDigest: string;
}

/** The runs of one measurement (ms) and the bytes each moved. */
interface Series {
  runs: number[];
  bytes: number;
}

const mbps = (s: Series): number => s.bytes / MB / (median(s.runs) / 1000);
const versus = (s: Series, baseline: Series, name: string): string => `  = ${ratio(mbps(s), mbps(baseline))} × ${name}`;
const line = (label: string, s: Series, extra = ''): string =>
  `  ${label.padEnd(42)} ${median(s.runs).toFixed(0).padStart(6)} ms ${mbps(s).toFixed(1).padStart(6)} MB/s${extra}   [${s.runs.map((ms) => ms.toFixed(0)).join(', ')}]`;

export const benchBundle = (): Promise<void> => benchShape(NORMAL);
export const benchBundleBig = (): Promise<void> => benchShape(BIG);

/** A whole CLI run with its peak RSS (kB), read from what bench/peak-rss.cjs prints. */
async function measuredCli(cli: () => Promise<CliResult>): Promise<{ ms: number; value: CliResult; rssKb: number }> {
  const { ms, value } = await time(cli);
  const rss = /^bench-peak-rss-kb (\d+)$/m.exec(value.stderr);
  return { ms, value, rssKb: rss ? Number(rss[1]) : Number.NaN };
}

const RSS_ENV = { NODE_OPTIONS: `--require ${PEAK_RSS}` };
const rssLine = (label: string, kb: number[]): string => `  ${label.padEnd(42)} ${(Math.max(...kb) / 1024).toFixed(0).padStart(6)} MB   [${kb.map((k) => (k / 1024).toFixed(0)).join(', ')}]`;

async function benchShape(shape: Shape): Promise<void> {
  const { images: IMAGES, filler: FILLER, rounds: ROUNDS } = shape;
  const [connected, engine] = await Promise.all([startSite(), startEngine({ name: 'bundle import' })]);
  const docker = new Docker({ socketPath: engine.socketPath });
  const work = mkdtempSync(join(tmpdir(), 'tk-bench-bundle-'));
  try {
    const images: BenchImage[] = [];
    for (let i = 0; i < IMAGES; i++) {
      const image = await buildImage({ marker: `bundle-bench-${i}`, filler: FILLER });
      await pushImage(connected.registry.url, `bench/svc${i}`, 'v2', image);
      images.push({ reference: `${connected.registry.host}/bench/svc${i}:v2`, configDigest: image.configDigest });
    }
    // The connected site runs the app, so its engine holds the images docker save reads.
    await createApp(connected, APP, Object.fromEntries(images.map((x, i) => [`svc${i}`, x.reference])));

    const bundleFile = join(work, 'bench.bundle');
    const saveFile = join(work, 'bench-save.tar');
    const exp = await benchExport(connected, work, bundleFile, saveFile, images, ROUNDS);
    const imp = await benchImport(engine, docker, work, bundleFile, saveFile, images, ROUNDS);
    const startup = await cliStartup(engine.dockerHost, work, ROUNDS);

    console.log(`\n${shape.name}: export and import of ${IMAGES} images, ~${FILLER / MB} MB of random data each (median of ${ROUNDS}; MB = 10^6 bytes)`);
    console.log(`  the bundle is ${(exp.inProcess.bytes / MB).toFixed(1)} MB, the docker save archive ${(exp.save.bytes / MB).toFixed(1)} MB`);
    console.log(' export');
    console.log(line('docker save (connected engine)', exp.save));
    console.log(line('tagkeeper bundle export, in-process', exp.inProcess, versus(exp.inProcess, exp.save, 'docker save')));
    console.log(line('tagkeeper bundle export, whole CLI run', exp.cli, versus(exp.cli, exp.save, 'docker save')));
    console.log(' import into a fresh engine (verify + load + record)');
    console.log(line('docker load of the save archive', imp.load));
    console.log(line('docker load of the bundle file itself', imp.loadBundle, versus(imp.loadBundle, imp.load, 'docker load')));
    console.log(line('tagkeeper bundle import, in-process', imp.inProcess, `${versus(imp.inProcess, imp.load, 'docker load')} (target ≥ 0.9); ${versus(imp.inProcess, imp.loadBundle, 'docker load of the bundle file')}`));
    console.log(line('tagkeeper bundle import, whole CLI run', imp.cli, `${versus(imp.cli, imp.load, 'docker load')} (target ≥ 0.85)`));
    console.log(line('  in-process: read, verify and send', imp.verify, '  (start until the whole bundle checked out)'));
    console.log(line('  in-process: engine finishing', imp.engineLoad, '  (then until the engine has loaded it)'));
    console.log(`  in-process import: longest wait between progress events ${median(imp.progressGaps).toFixed(0)} ms   [${imp.progressGaps.map((ms) => ms.toFixed(0)).join(', ')}]`);
    console.log(' peak RSS of the whole CLI run (target ≤ 300 MB for bundle-big)');
    console.log(rssLine('tagkeeper bundle export', exp.rssKb));
    console.log(rssLine('tagkeeper bundle import', imp.rssKb));
    console.log(`  CLI start-up alone (tagkeeper --help)      ${median(startup).toFixed(0).padStart(6)} ms   [${startup.map((ms) => ms.toFixed(0)).join(', ')}]`);
  } finally {
    await Promise.allSettled([connected.stop(), engine.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}

async function benchExport(site: TestSite, work: string, bundleFile: string, saveFile: string, images: BenchImage[], ROUNDS: number) {
  const runs = { inProcess: [] as number[], cli: [] as number[], save: [] as number[], rssKb: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const file = join(work, `export-${round}.bundle`);
    await run('sync');
    const instance = site.open();
    try {
      runs.inProcess.push((await time(() => instance.client.call('bundles:export', { file, apps: [APP] }))).ms);
    } finally {
      await instance.close();
    }
    rmSync(file, { force: true });

    rmSync(bundleFile, { force: true });
    await run('sync');
    const { ms, value, rssKb } = await measuredCli(() => site.cli(['bundle', 'export', bundleFile, '--app', APP, '--json'], RSS_ENV));
    if (value.code !== 0) throw new Error(`bench: bundle export failed: ${value.stderr}`);
    runs.cli.push(ms);
    runs.rssKb.push(rssKb);

    rmSync(saveFile, { force: true });
    await run('sync');
    runs.save.push((await time(() => dockerCli(site.engine.dockerHost, ['save', '-o', saveFile, ...images.map((x) => x.configDigest)]))).ms);
  }
  const bundleBytes = statSync(bundleFile).size;
  return {
    inProcess: { runs: runs.inProcess, bytes: bundleBytes },
    cli: { runs: runs.cli, bytes: bundleBytes },
    save: { runs: runs.save, bytes: statSync(saveFile).size },
    rssKb: runs.rssKb,
  };
}

async function benchImport(engine: TestEngine, docker: Docker, work: string, bundleFile: string, saveFile: string, images: BenchImage[], ROUNDS: number) {
  const runs = {
    load: [] as number[],
    loadBundle: [] as number[],
    inProcess: [] as number[],
    cli: [] as number[],
    verify: [] as number[],
    engineLoad: [] as number[],
    progressGaps: [] as number[],
    rssKb: [] as number[],
  };
  for (let round = 0; round < ROUNDS; round++) {
    await emptyEngine(engine, docker);
    runs.load.push((await time(() => dockerCli(engine.dockerHost, ['load', '-q', '-i', saveFile]))).ms);
    await expectImages(docker, images);
    // The same engine loading the bundle file itself (registry gzip layers, nothing verified):
    // what the format costs the engine, apart from Tagkeeper's verification.
    await emptyEngine(engine, docker);
    runs.loadBundle.push((await time(() => dockerCli(engine.dockerHost, ['load', '-q', '-i', bundleFile]))).ms);
    await expectImages(docker, images);

    const dataDir = await seededSite(work, `in-${round}`, engine.dockerHost, images);
    await emptyEngine(engine, docker);
    const instance = openInstance({ dataDir, dockerHost: engine.dockerHost, actor: 'bench' });
    const phases = new Map<string, number>();
    let lastEvent = performance.now();
    let longestGap = 0;
    instance.events.on('event', (event: CoreEvent) => {
      if (event.type !== 'transfer-progress') return;
      const now = performance.now();
      longestGap = Math.max(longestGap, now - lastEvent);
      lastEvent = now;
      if (!phases.has(event.progress.phase)) phases.set(event.progress.phase, now);
    });
    try {
      const start = performance.now();
      const { ms, value } = await time(() => instance.client.call('bundles:import', { file: bundleFile, allowUnsigned: true }));
      expectImported(value, images);
      runs.inProcess.push(ms);
      const at = (phase: string): number => phases.get(phase) ?? Number.NaN;
      runs.verify.push(at('loading') - start);
      runs.engineLoad.push(at('recording') - at('loading'));
      runs.progressGaps.push(longestGap);
    } finally {
      await instance.close();
    }
    await expectImages(docker, images);

    const cliDir = await seededSite(work, `cli-${round}`, engine.dockerHost, images);
    await emptyEngine(engine, docker);
    const { ms, value, rssKb } = await measuredCli(() =>
      runCli(['bundle', 'import', bundleFile, '--allow-unsigned', '--json'], { DOCKER_HOST: engine.dockerHost, TAGKEEPER_DATA_DIR: cliDir, ...RSS_ENV }),
    );
    if (value.code !== 0) throw new Error(`bench: bundle import failed: ${value.stderr}`);
    expectImported(value.json<ImportAnswer>(), images);
    runs.cli.push(ms);
    runs.rssKb.push(rssKb);
    await expectImages(docker, images);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(cliDir, { recursive: true, force: true });
  }
  await emptyEngine(engine, docker);
  const bundleBytes = statSync(bundleFile).size;
  return {
    load: { runs: runs.load, bytes: statSync(saveFile).size },
    loadBundle: { runs: runs.loadBundle, bytes: bundleBytes },
    inProcess: { runs: runs.inProcess, bytes: bundleBytes },
    cli: { runs: runs.cli, bytes: bundleBytes },
    verify: { runs: runs.verify, bytes: bundleBytes },
    engineLoad: { runs: runs.engineLoad, bytes: bundleBytes },
    progressGaps: runs.progressGaps,
    rssKb: runs.rssKb,
  };
}

/** A CLI run that does nothing but start (the fixed cost inside every "whole CLI run"). */
async function cliStartup(dockerHost: string, work: string, ROUNDS: number): Promise<number[]> {
  const out: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const { ms, value } = await time(() => runCli(['--help'], { DOCKER_HOST: dockerHost, TAGKEEPER_DATA_DIR: join(work, 'startup') }));
    if (value.code !== 0) throw new Error(`bench: tagkeeper --help failed: ${value.stderr}`);
    out.push(ms);
  }
  return out;
}

/** The docker CLI against a private engine only (never the system daemon). */
async function dockerCli(dockerHost: string, args: string[]): Promise<void> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', DOCKER_HOST: dockerHost };
  await run('docker', args, { env, maxBuffer: 16 * 1024 * 1024 });
}

/**
 * Removes every image from the engine and checks that no image and no layer is left (the
 * overlay2 layer store is empty), then flushes the disk cache.
 */
async function emptyEngine(engine: TestEngine, docker: Docker): Promise<void> {
  for (const image of await docker.listImages({ all: true })) await docker.getImage(image.Id).remove({ force: true });
  const left = await docker.listImages({ all: true });
  if (left.length > 0) throw new Error(`bench: the import engine still holds ${left.length} image(s)`);
  const info = (await docker.info()) as { Driver?: string };
  const layerDb = join(engine.dataRoot, 'image', info.Driver ?? 'overlay2', 'layerdb', 'sha256');
  const layers = existsSync(layerDb) ? readdirSync(layerDb).length : 0;
  if (layers > 0) throw new Error(`bench: the import engine still holds ${layers} layer(s)`);
  await run('sync');
}

async function expectImages(docker: Docker, images: BenchImage[]): Promise<void> {
  const ids = new Set((await docker.listImages()).map((i) => i.Id));
  for (const image of images) if (!ids.has(image.configDigest)) throw new Error(`bench: image ${image.configDigest} was not loaded`);
}

function expectImported(answer: ImportAnswer, images: BenchImage[]): void {
  const loaded = answer.images.filter((i) => i.loaded).length;
  const pending = answer.drives.filter((d) => d.status === 'pending').length;
  if (loaded !== images.length || pending !== images.length) throw new Error(`bench: the import loaded ${loaded} and proposed ${pending} of ${images.length} images`);
}

/**
 * A fresh data folder whose app drives latch an older digest of each image, as on a site
 * commissioned while online; the bundle then brings the new digests (pending updates).
 */
async function seededSite(work: string, name: string, dockerHost: string, images: BenchImage[]): Promise<string> {
  const dataDir = mkdtempSync(join(work, `site-${name}-`));
  const instance = openInstance({ dataDir, dockerHost, actor: 'bench' });
  const store = instance.store;
  const at = new Date().toISOString();
  const services = images.map((x, i) => ({
    name: `svc${i}`,
    reference: x.reference,
    canonical: parseReference(x.reference).canonical,
    pinnedDigest: null,
    settings: { env: [], volumes: [], ports: [], restartPolicy: 'no' as const },
  }));
  store.insertApp({ name: APP, pullPolicy: null, checkOnStart: null, services }, at);
  for (const service of services) {
    const old = sha256(Buffer.from(`${service.reference} v1`));
    store.latchService(APP, service.name, { indexDigest: old, manifestDigest: old, imageId: sha256(Buffer.from(`${service.reference} v1 config`)), source: 'registry', at });
  }
  store.setAppIntent(APP, 'stopped', null, at);
  await instance.close();
  return dataDir;
}
