/**
 * `npm run demo [-- --port N]`: Tagkeeper to try out with no Docker set up. Starts a private
 * Docker Engine and a local registry (the test harness's, everything under /tmp), pushes
 * small sample images, seeds a few apps through Tagkeeper's own API, serves the UI and
 * prints its URL. Ctrl-C stops and removes everything it started. Nothing touches the
 * system's Docker daemon; every container runs with network `none`.
 *
 * The sample apps:
 *   web      on tag demo/web:stable, which moves after the app was created (update available)
 *   cache    pinned by digest (demo/cache:7@sha256:…)
 *   shop     two services (frontend and api)
 *   notes    stopped
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpClient } from '../main/api/http-client';
import type { TagkeeperClient } from '../main/api/client';
import { startEngine, type TestEngine } from '../test/helpers/engine';
import { buildImage, pushImage } from '../test/helpers/image-builder';
import { startRegistry, type TestRegistry } from '../test/helpers/registry';
import { startServe, type ServedProcess } from '../test/helpers/serve';

interface Started {
  engine?: TestEngine;
  registry?: TestRegistry;
  served?: ServedProcess;
  dataDir?: string;
}

const started: Started = {};
let stopping: Promise<void> | undefined;

function say(line: string): void {
  process.stdout.write(`demo: ${line}\n`);
}

function portArgument(argv: string[]): number {
  const i = argv.indexOf('--port');
  if (i === -1) return 0;
  const port = Number(argv[i + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${argv[i + 1]} is not a port number (use 0-65535)`);
  return port;
}

/** Sample images on the local registry; `web:stable` gets a second build later. */
async function pushSamples(registry: TestRegistry): Promise<{ cacheDigest: string }> {
  const push = async (repository: string, tag: string, marker: string, labels: Record<string, string> = {}) =>
    pushImage(registry.url, repository, tag, await buildImage({ marker, labels: { 'org.opencontainers.image.title': repository, ...labels } }));
  await push('demo/web', 'stable', 'web 1.0', { 'org.opencontainers.image.version': '1.0' });
  const cacheDigest = await push('demo/cache', '7', 'cache 7.2');
  await push('demo/shop-frontend', '2.1', 'shop frontend 2.1');
  await push('demo/shop-api', '2.1', 'shop api 2.1');
  await push('demo/notes', 'latest', 'notes 0.9');
  return { cacheDigest };
}

async function seedApps(client: TagkeeperClient, registry: TestRegistry, cacheDigest: string): Promise<void> {
  const host = registry.host;
  const service = (name: string, image: string) => ({ name, image, network: 'none' });
  await client.call('settings:set', { key: 'check-on-start', value: 'off' });

  say('creating app "web" on the tag demo/web:stable');
  await client.call('apps:create', { name: 'web', services: [service('main', `${host}/demo/web:stable`)] });
  say('creating app "cache", pinned by digest');
  await client.call('apps:create', { name: 'cache', services: [service('main', `${host}/demo/cache:7@${cacheDigest}`)] });
  say('creating app "shop" with two services');
  await client.call('apps:create', {
    name: 'shop',
    services: [service('frontend', `${host}/demo/shop-frontend:2.1`), service('api', `${host}/demo/shop-api:2.1`)],
  });
  say('creating app "notes" and stopping it');
  await client.call('apps:create', { name: 'notes', services: [service('main', `${host}/demo/notes:latest`)] });
  await client.call('apps:stop', { name: 'notes', wait: true });

  say('pushing a new build to demo/web:stable (the tag moves) and checking');
  await pushImage(registry.url, 'demo/web', 'stable', await buildImage({ marker: 'web 1.1', labels: { 'org.opencontainers.image.title': 'demo/web', 'org.opencontainers.image.version': '1.1' } }));
  await client.call('images:check', { apps: [] });
}

async function stopAll(): Promise<void> {
  stopping ??= (async () => {
    say('stopping everything the demo started…');
    await started.served?.stop();
    await Promise.allSettled([started.engine?.stop(), started.registry?.stop()]);
    if (started.dataDir) rmSync(started.dataDir, { recursive: true, force: true });
    say('stopped.');
  })();
  return stopping;
}

async function main(): Promise<void> {
  const port = portArgument(process.argv.slice(2));
  if (process.getuid?.() !== 0) {
    throw new Error('the demo starts a private Docker daemon (dockerd), which needs root: run it as root (e.g. sudo npm run demo)');
  }
  // Registered before the harness's own hooks run: Ctrl-C means "stop everything", once.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      void stopAll().then(() => process.exit(0));
    });
  }

  say('starting a private Docker Engine and a local registry (under /tmp)…');
  const [engine, registry] = await Promise.all([startEngine({ name: 'demo' }), startRegistry()]);
  started.engine = engine;
  started.registry = registry;
  const { cacheDigest } = await pushSamples(registry);

  started.dataDir = mkdtempSync(join(tmpdir(), 'tagkeeper-demo-'));
  started.served = await startServe({ dockerHost: engine.dockerHost, dataDir: started.dataDir }, { port });
  await seedApps(httpClient(started.served.baseUrl, started.served.token), registry, cacheDigest);

  // The token goes to a terminal only (as with tagkeeper serve): piped or logged output gets where it is.
  const open = process.stdout.isTTY
    ? ['Tagkeeper demo is ready. Open:', '', `  ${started.served.url}`]
    : ['Tagkeeper demo is ready. Open the URL (with its token) written in:', '', `  ${started.served.urlFile}`];
  process.stdout.write(
    [
      '',
      ...open,
      '',
      `Private engine: DOCKER_HOST=${engine.dockerHost}`,
      `Local registry: ${registry.url}   Data directory: ${started.dataDir}`,
      `The CLI works on it too: DOCKER_HOST=${engine.dockerHost} TAGKEEPER_DATA_DIR=${started.dataDir} node bin/tagkeeper.js app list`,
      'Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
  // serve runs until a signal; Ctrl-C reaches it too (same process group) and it exits 0.
  const served = started.served;
  const code = await new Promise<number | null>((resolve) => served.child.once('exit', resolve));
  if (code !== 0) say(`tagkeeper serve exited (${code}): ${served.stderr().trim()}`);
  await stopAll();
  process.exit(code === 0 ? 0 : 1);
}

main().catch(async (error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  await stopAll();
  process.exit(1);
});
