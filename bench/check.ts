/**
 * Benchmark: `check` of 200 distinct tags where nothing changed, against the same run's
 * baselines: one curl process doing 200 parallel keep-alive HEADs (the practical floor) and
 * `docker pull` of each tag in sequence (what a script would do without Tagkeeper).
 * Targets: in-process ≤ 1.5× curl; exactly one HEAD per tag and no GET; CLI ≥ 15× faster (issue 16)
 * than sequential docker pull.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MANIFEST_ACCEPT } from '../main/core/model/manifest';
import { openInstance } from '../main/shells/open-instance';
import { runCli } from '../test/helpers/cli';
import { startEngine } from '../test/helpers/engine';
import { buildImage, pushImage } from '../test/helpers/image-builder';
import { startRegistry } from '../test/helpers/registry';
import { classify } from '../test/helpers/site';
import { median, ratio, time } from './measure';

const run = promisify(execFile);
const TAGS = 200;
const ROUNDS = 5;

export async function benchCheck(): Promise<void> {
  const [engine, registry] = await Promise.all([startEngine(), startRegistry()]);
  const dataDir = mkdtempSync(join(tmpdir(), 'tk-bench-'));
  try {
    const image = await buildImage({ marker: 'bench' });
    const tags = Array.from({ length: TAGS }, (_, i) => `t${String(i).padStart(3, '0')}`);
    for (const tag of tags) await pushImage(registry.url, 'bench', tag, image);
    seedApps(dataDir, engine.dockerHost, registry.host, tags, image);

    // In-process check, each round with a fresh instance (cold connections, cold token cache).
    const inProcess: number[] = [];
    let heads = 0;
    let gets = 0;
    let connections = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const instance = openInstance({ dataDir, dockerHost: engine.dockerHost, actor: 'bench' });
      registry.clearRequests();
      const { ms, value } = await time(() => instance.client.call('images:check', { apps: [] }));
      inProcess.push(ms);
      if (value.services.some((s) => s.status !== 'up-to-date')) throw new Error('bench: a tag was not up to date');
      const traffic = classify(await registry.settledRequests());
      heads = traffic.manifestHeads.length;
      gets = traffic.manifestGets.length + traffic.blobGets.length;
      connections = instance.registryClient.stats().connectionsOpened;
      await instance.close();
    }

    const cli: number[] = [];
    for (let round = 0; round < 3; round++) {
      const { ms, value } = await time(() => runCli(['check', '--json'], { DOCKER_HOST: engine.dockerHost, TAGKEEPER_DATA_DIR: dataDir }));
      if (value.code !== 0) throw new Error(`bench: tagkeeper check failed: ${value.stderr}`);
      cli.push(ms);
    }

    const urls = tags.map((t) => `${registry.url}/v2/bench/manifests/${t}`);
    const curl: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { ms } = await time(() =>
        run('curl', ['-s', '-o', '/dev/null', '--parallel', '--parallel-immediate', '--parallel-max', String(TAGS), '-I', '-H', `Accept: ${MANIFEST_ACCEPT}`, ...urls]),
      );
      curl.push(ms);
    }

    // docker pull of every tag in sequence; the image is on disk, so each one is "up to date".
    const env = { ...process.env, DOCKER_HOST: engine.dockerHost };
    await run('docker', ['pull', '-q', `${registry.host}/bench:${tags[0]}`], { env });
    const { ms: dockerPull } = await time(async () => {
      for (const tag of tags) await run('docker', ['pull', '-q', `${registry.host}/bench:${tag}`], { env });
    });

    const m = { inProcess: median(inProcess), cli: median(cli), curl: median(curl) };
    console.log(`\ncheck of ${TAGS} unchanged tags (median of ${ROUNDS}; CLI median of 3; docker pull once)`);
    console.log(`  curl, 200 parallel keep-alive HEADs (floor) ${m.curl.toFixed(0)} ms`);
    console.log(`  tagkeeper check, in-process                 ${m.inProcess.toFixed(0)} ms   = ${ratio(m.inProcess, m.curl)} × curl (target ≤ 1.5)`);
    console.log(`  tagkeeper check, whole CLI run              ${m.cli.toFixed(0)} ms   = ${ratio(m.cli, m.curl)} × curl`);
    console.log(`  docker pull of each tag in sequence         ${dockerPull.toFixed(0)} ms   = ${ratio(dockerPull, m.cli)} × the CLI run (target ≥ 15)`);
    console.log(`  registry requests per check: ${heads} manifest HEAD, ${gets} GET (target ${TAGS} and 0); TCP connections opened: ${connections}`);
  } finally {
    await Promise.allSettled([engine.stop(), registry.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** 200 apps latched to the tags' current digests, written straight into the store (no containers needed to check). */
function seedApps(dataDir: string, dockerHost: string, registryHost: string, tags: string[], image: { manifestDigest: string; configDigest: string }): void {
  const instance = openInstance({ dataDir, dockerHost, actor: 'bench' });
  const store = instance.store;
  const at = new Date().toISOString();
  for (const tag of tags) {
    const reference = `${registryHost}/bench:${tag}`;
    store.insertApp(
      { name: `app-${tag}`, pullPolicy: null, checkOnStart: null, services: [{ name: 'main', reference, canonical: reference, pinnedDigest: null, settings: { env: [], volumes: [], ports: [], restartPolicy: 'no' } }] },
      at,
    );
    store.latchService(`app-${tag}`, 'main', { indexDigest: image.manifestDigest, manifestDigest: image.manifestDigest, imageId: image.configDigest, source: 'registry', at });
    store.setAppIntent(`app-${tag}`, 'running', null, at);
  }
  void instance.close();
}
