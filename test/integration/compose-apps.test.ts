/**
 * Apps from Compose files against a real engine and registry: create (interpolation, start
 * order with `service_healthy`, services reaching each other by name on the project
 * network, Compose's names and labels, bind mounts relative to the file), a dependency that
 * never turns healthy, files refused before anything is created, and refresh / purge of a
 * Compose app (only the changed service is replaced; purge discards named volumes, never
 * bind-mounted host folders).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type Docker from 'dockerode';
import { parse } from 'yaml';
import { before } from '../helpers/hooks';
import { operation, publish, showApp, type AppJson } from '../helpers/lifecycle';
import { useSite } from '../helpers/site';
import type { BuiltImage } from '../helpers/image-builder';
import { tempDir } from '../helpers/temp-dir';

const site = useSite();

const SERVER_CMD = '["/bin/sh", "-c", "mkdir -p /www && echo hello-from-server > /www/index.html && exec httpd -f -p 8080 -h /www"]';
const CLIENT_CMD =
  '["/bin/sh", "-c", "until wget -q -O /data/got http://server:8080/; do sleep 0.5; done; cat /config/name > /data/config-seen; trap \'exit 0\' TERM; while true; do sleep 1; done"]';

/** A project folder with a compose.yaml (and a ./config folder for the bind mount). */
function project(yaml: string): string {
  const dir = tempDir('tk-compose-');
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config', 'name'), 'from-the-bind-mount\n');
  writeFileSync(join(dir, 'compose.yaml'), yaml);
  return join(dir, 'compose.yaml');
}

function shopYaml(healthTest = '["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]'): string {
  return `
services:
  server:
    image: \${REG}/cmp-server:1
    command: ${SERVER_CMD}
    healthcheck:
      test: ${healthTest}
      interval: 1s
      timeout: 2s
      retries: 3
    networks: [back]
  client:
    image: \${REG}/cmp-client:1
    command: ${CLIENT_CMD}
    depends_on:
      server:
        condition: service_healthy
    environment:
      GREETING: \${GREETING:-hi}
    labels:
      team: edge
    volumes:
      - data:/data
      - ./config:/config:ro
    networks:
      back:
        aliases: [shop-client]
networks:
  back: {}
volumes:
  data: {}
`;
}

async function containersOf(projectName: string): Promise<Docker.ContainerInfo[]> {
  return site.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${projectName}`] } });
}

/** Reads a file out of a container (GET /containers/{id}/archive), or null when it is not there. */
async function readInContainer(id: string, path: string): Promise<string | null> {
  try {
    const stream = await site.docker.getContainer(id).getArchive({ path });
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    const tar = Buffer.concat(chunks);
    const size = parseInt(tar.subarray(124, 136).toString('latin1').replace(/\0.*$/, '').trim(), 8);
    return tar.subarray(512, 512 + size).toString('utf8');
  } catch {
    return null;
  }
}

async function waitForFile(id: string, path: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const text = await readInContainer(id, path);
    if (text !== null) return text;
    if (Date.now() > deadline) throw new Error(`${path} never appeared in container ${id}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

let clientV1: BuiltImage;

before(async () => {
  await publish(site, 'cmp-server', '1', 'cmp-server-v1');
  clientV1 = await publish(site, 'cmp-client', '1', 'cmp-client-v1');
});

describe('create from a Compose file', () => {
  let file: string;
  let app: AppJson & { definedBy: string; definition: { hash: string; file: string; project: { name: string; services: { name: string }[] } } };

  /** The engine's container events of the create, in order (the health log keeps only its last 5 checks, so the order is read from the events). */
  let createEvents: { action: string; service: string; at: bigint }[];

  before(async () => {
    file = project(shopYaml());
    const since = Math.floor(Date.now() / 1000) - 1;
    const created = await site.cli(['app', 'create', 'shop', '--compose', file, '--json'], { REG: site.registry.host, GREETING: 'hello' });
    assert.equal(created.code, 0, created.stderr);
    app = await showApp(site, 'shop') as typeof app;
    createEvents = await composeEvents('shop', since);
  });

  test('every service is latched to its digest, the definition is kept and shown', async () => {
    assert.equal(app.state, 'running');
    assert.equal(app.definedBy, 'compose');
    assert.equal(app.definition.file, file);
    assert.match(app.definition.hash, /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(app.definition.project.services.map((s) => s.name), ['client', 'server']);
    for (const s of app.services) assert.match(s.latched?.manifestDigest ?? '', /^sha256:[0-9a-f]{64}$/, `service ${s.name} is latched`);
    const ledger = (await site.cli(['ledger', 'shop', '--json'])).json<{ action: string; detail: string | null }[]>();
    assert.ok(ledger.some((e) => e.action === 'create' && e.detail === `compose definition ${app.definition.hash} from ${file}`), 'the ledger names the definition');
  });

  test("containers, network and volume carry Compose's names and labels", async () => {
    const containers = await containersOf('shop');
    assert.deepEqual(containers.map((c) => c.Names[0]).sort(), ['/shop-client-1', '/shop-server-1']);
    for (const c of containers) {
      assert.equal(c.Labels['com.docker.compose.service'], c.Names[0].slice('/shop-'.length, -'-1'.length));
      assert.equal(c.Labels['tagkeeper.app'], 'shop');
      assert.equal(c.Labels['com.docker.compose.project.config_files'], file);
    }
    const client = await site.docker.getContainer('shop-client-1').inspect();
    assert.equal(client.Config.Labels.team, 'edge');
    assert.ok(client.Config.Env.includes('GREETING=hello'), 'interpolated from the CLI environment');
    assert.ok(client.Config.Image.startsWith('sha256:'), 'created from the image id, never the tag');
    assert.deepEqual(Object.keys(client.NetworkSettings.Networks), ['shop_back']);
    assert.ok(client.NetworkSettings.Networks.shop_back.Aliases?.includes('shop-client'));
    const mounts = Object.fromEntries(client.Mounts.map((m) => [m.Destination, m]));
    assert.equal(mounts['/data'].Name, 'shop_data');
    assert.equal(mounts['/config'].Source, join(file, '..', 'config'), 'a relative bind is relative to the Compose file');
    assert.equal(mounts['/config'].RW, false);
    const network = await site.docker.getNetwork('shop_back').inspect();
    assert.equal(network.Labels?.['com.docker.compose.project'], 'shop');
    const volume = await site.docker.getVolume('shop_data').inspect();
    assert.equal(volume.Labels['com.docker.compose.volume'], 'data');
  });

  test('the client reached the server by its service name on the project network', async () => {
    assert.equal(await waitForFile('shop-client-1', '/data/got'), 'hello-from-server\n');
    assert.equal(await waitForFile('shop-client-1', '/data/config-seen'), 'from-the-bind-mount\n');
  });

  test('depends_on service_healthy: the client started only after the server was healthy', async () => {
    const healthy = createEvents.find((e) => e.service === 'server' && e.action === 'health_status: healthy');
    const clientStart = createEvents.find((e) => e.service === 'client' && e.action === 'start');
    assert.ok(healthy, 'the server turned healthy');
    assert.ok(clientStart, 'the client started');
    assert.ok(clientStart.at > healthy.at, 'the client started after the server turned healthy');
  });

  test('refresh: only the service whose tag moved is replaced', async () => {
    const before = await site.docker.getContainer('shop-server-1').inspect();
    const v2 = await publish(site, 'cmp-client', '1', 'cmp-client-v2');
    const { code, stderr, result } = await operation(site, ['app', 'refresh', 'shop']);
    assert.equal(code, 0, stderr);
    assert.equal(result.outcome, 'done');
    assert.deepEqual(result.services.filter((s) => s.changed).map((s) => s.name), ['client']);
    const after = await showApp(site, 'shop');
    assert.equal(after.services.find((s) => s.name === 'client')?.latched?.manifestDigest, v2.manifestDigest);
    const server = await site.docker.getContainer('shop-server-1').inspect();
    assert.equal(server.Id, before.Id, 'the server container was not replaced');
    assert.equal(server.State.StartedAt, before.State.StartedAt, 'nor restarted');
    const client = await site.docker.getContainer('shop-client-1').inspect();
    assert.equal(client.Config.Labels['tagkeeper.manifest-digest'], v2.manifestDigest);
    assert.equal(await waitForFile(client.Id, '/data/got'), 'hello-from-server\n', 'the new client reaches the server too');
  });

  test('rollback returns the changed service to its previous digest; restart recreates every service on the latched digests', async () => {
    const server = await site.docker.getContainer('shop-server-1').inspect();
    const rolled = await operation(site, ['app', 'rollback', 'shop']);
    assert.equal(rolled.code, 0, rolled.stderr);
    assert.equal(rolled.result.kind, 'rollback');
    const app = await showApp(site, 'shop');
    const client = app.services.find((s) => s.name === 'client')!;
    assert.equal(client.latched?.manifestDigest, clientV1.manifestDigest, 'the client is back on v1');
    assert.equal((await site.docker.getContainer('shop-server-1').inspect()).Id, server.Id, 'the server, whose digest did not change, was not replaced');
    const labels = (await site.docker.getContainer('shop-client-1').inspect()).Config.Labels;
    assert.equal(labels['tagkeeper.manifest-digest'], client.latched?.manifestDigest, 'the client runs the digest it is latched to');
    const restarted = await operation(site, ['app', 'restart', 'shop']);
    assert.equal(restarted.code, 0, restarted.stderr);
    assert.notEqual((await site.docker.getContainer('shop-server-1').inspect()).Id, server.Id, 'a restart recreates every service');
    assert.equal(await waitForFile('shop-client-1', '/data/got'), 'hello-from-server\n');
  });

  test('purge discards the named volume, never the bind-mounted host folder', async () => {
    const client = await site.docker.getContainer('shop-client-1').inspect();
    assert.ok((await readInContainer(client.Id, '/data/got')) !== null);
    const { code, stderr } = await operation(site, ['app', 'purge', 'shop', '--yes']);
    assert.equal(code, 0, stderr);
    assert.equal(readFileSync(join(file, '..', 'config', 'name'), 'utf8'), 'from-the-bind-mount\n', 'the host folder is untouched');
    const fresh = await site.docker.getContainer('shop-client-1').inspect();
    assert.notEqual(fresh.Id, client.Id);
    assert.equal(await waitForFile(fresh.Id, '/data/got'), 'hello-from-server\n', 'a fresh volume, filled again');
  });

  let exported: string;
  let latchedImages: Record<string, string>;

  test('export --compose: a file docker-compose accepts as it is, naming the latched digests', async () => {
    exported = join(tempDir('tk-exported-'), 'shop.compose.yaml');
    const result = await site.cli(['app', 'export', 'shop', '--compose', '--output', exported]);
    assert.equal(result.code, 0, result.stderr);
    const show = await showApp(site, 'shop');
    latchedImages = Object.fromEntries(show.services.map((s) => [s.name, s.latched!.imageId]));
    const config = spawnSync('docker-compose', ['-f', exported, '-p', 'shop', 'config'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    assert.equal(config.status, 0, config.stderr);
    const services = (parse(config.stdout) as { services: Record<string, { image: string }> }).services;
    for (const s of show.services) {
      const digest = s.latched!.indexDigest ?? s.latched!.manifestDigest;
      assert.ok(services[s.name].image.endsWith(`@${digest}`), `${s.name}: ${services[s.name].image} is pinned to ${digest}`);
    }
    const json = (await site.cli(['app', 'export', 'shop', '--compose', '--json'])).json<{ text: string; pins: Record<string, { digest: string }> }>();
    assert.deepEqual(Object.keys(json.pins).sort(), ['client', 'server']);
    assert.match(json.text, /docker compose -p shop up -d/);
  });

  test('delete removes the containers and the network; with --volumes the volume too', async () => {
    const deleted = await site.cli(['app', 'delete', 'shop', '--volumes']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(await containersOf('shop'), []);
    await assert.rejects(site.docker.getNetwork('shop_back').inspect());
    await assert.rejects(site.docker.getVolume('shop_data').inspect());
  });

  test('the exported file, started by plain docker-compose, runs exactly the latched content', async () => {
    const compose = (...args: string[]) =>
      spawnSync('docker-compose', ['-f', exported, '-p', 'shop', ...args], { encoding: 'utf8', timeout: 180_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DOCKER_HOST: site.engine.dockerHost } });
    const up = compose('up', '-d');
    assert.equal(up.status, 0, up.stderr);
    try {
      const running = await containersOf('shop');
      assert.deepEqual(Object.fromEntries(running.map((c) => [c.Labels['com.docker.compose.service'], c.ImageID])), latchedImages);
      assert.equal(await waitForFile(running.find((c) => c.Labels['com.docker.compose.service'] === 'client')!.Id, '/data/got'), 'hello-from-server\n');
    } finally {
      const down = compose('down', '--volumes');
      assert.equal(down.status, 0, down.stderr);
    }
  });
});

test('a dependency that never turns healthy fails the create, clearly, and leaves nothing running', async () => {
  const file = project(shopYaml('["CMD", "false"]'));
  const created = await site.cli(['app', 'create', 'sick', '--compose', file], { REG: site.registry.host });
  assert.equal(created.code, 1, created.stderr);
  assert.match(created.stderr, /service client of app sick was not started: its dependency server turned unhealthy/);
  assert.equal(created.stderr.trim().split('\n').length, 1, 'one line');
  const running = (await containersOf('sick')).filter((c) => c.State === 'running');
  assert.deepEqual(running, [], 'nothing runs half-way');
});

describe('files refused before anything is created (exit 2, one line)', () => {
  const cases: [string, string, RegExp][] = [
    ['build', 'services:\n  api:\n    build: .\n    image: x\n', /compose\.yaml:3: service api: build is not supported: Tagkeeper runs images from a registry or a bundle/],
    ['unknown key', 'services:\n  api:\n    image: busybox\n    contaner_name: x\n', /compose\.yaml:4: service api: unknown key "contaner_name"/],
    ['bad YAML', 'services:\n  api: [\n', /compose\.yaml:\d+/],
    ['missing variable', 'services:\n  api:\n    image: ${IMAGE:?set IMAGE to the image to run}\n', /set IMAGE to the image to run/],
    ['undefined network', 'services:\n  api:\n    image: busybox\n    networks: [nowhere]\n', /nowhere/],
    ['dependency cycle', 'services:\n  a:\n    image: busybox\n    depends_on: [b]\n  b:\n    image: busybox\n    depends_on: [a]\n', /cycle/],
  ];
  for (const [what, yaml, message] of cases) {
    test(what, async () => {
      const file = project(yaml);
      const result = await site.cli(['app', 'create', 'refused', '--compose', file]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
      assert.equal((await site.cli(['app', 'show', 'refused'])).code, 2, 'no app was recorded');
      assert.deepEqual(await containersOf('refused'), []);
    });
  }
  test('a missing file', async () => {
    const result = await site.cli(['app', 'create', 'refused', '--compose', '/nonexistent/compose.yaml']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read the Compose file \/nonexistent\/compose\.yaml/);
    assert.ok(!existsSync('/nonexistent'));
  });
});

describe('update from a changed Compose file (one durable operation; only what changed is recreated)', () => {
  let file: string;
  const write = (services: string) => writeFileSync(file, `services:\n${services}`);
  const A = (env: string, tag = '1', command = '') => `  a:\n    image: \${REG}/cmp-server:${tag}\n    environment: {X: "${env}"}\n${command}`;
  const B = '  b:\n    image: ${REG}/cmp-client:1\n';
  const C = '  c:\n    image: ${REG}/cmp-server:1\n';
  const env = () => ({ REG: site.registry.host });
  const ids = async () => Object.fromEntries((await containersOf('upd')).map((c) => [c.Labels['com.docker.compose.service'], { id: c.Id, state: c.State }]));
  const update = (...flags: string[]) => site.cli(['app', 'update', 'upd', '--compose', file, '--json', ...flags], env());
  const hash = async () => ((await showApp(site, 'upd')) as AppJson & { definition: { hash: string } }).definition.hash;

  before(async () => {
    file = project('services: {}\n');
    write(A('1') + B);
    const created = await site.cli(['app', 'create', 'upd', '--compose', file], env());
    assert.equal(created.code, 0, created.stderr);
  });

  test('--dry-run prints the plan and changes nothing', async () => {
    const before = await ids();
    const h = await hash();
    write(A('2') + B);
    const dry = await update('--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    const changes = dry.json<{ from: string; to: string; services: { name: string; change: string; reasons: string[] }[] }>();
    assert.equal(changes.from, h);
    assert.notEqual(changes.to, h);
    assert.deepEqual(changes.services, [{ name: 'a', change: 'changed', reasons: ['environment'] }, { name: 'b', change: 'unchanged', reasons: [] }]);
    assert.deepEqual(await ids(), before);
    assert.equal(await hash(), h);
  });

  test("one service's environment changed: only that service is recreated; the ledger has both hashes", async () => {
    const before = await ids();
    const startedB = (await site.docker.getContainer(before.b.id).inspect()).State.StartedAt;
    const h1 = await hash();
    const result = await update();
    assert.equal(result.code, 0, result.stderr);
    const answer = result.json<{ result: { outcome: string; kind: string } }>();
    assert.equal(answer.result.outcome, 'done');
    assert.equal(answer.result.kind, 'update');
    const after = await ids();
    assert.notEqual(after.a.id, before.a.id, 'a was recreated');
    assert.equal(after.b.id, before.b.id, 'b kept its container');
    assert.equal((await site.docker.getContainer(after.b.id).inspect()).State.StartedAt, startedB, 'and was not restarted');
    assert.ok((await site.docker.getContainer(after.a.id).inspect()).Config.Env.includes('X=2'));
    const h2 = await hash();
    assert.notEqual(h2, h1);
    const ledger = (await site.cli(['ledger', 'upd', '--json'])).json<{ action: string; outcome: string; detail: string }[]>();
    const entry = ledger.filter((e) => e.action === 'update').at(-1);
    assert.equal(entry?.outcome, 'ok');
    assert.match(entry?.detail ?? '', new RegExp(`compose definition ${h1} → ${h2}`));
  });

  test('a service added and one removed', async () => {
    const before = await ids();
    write(A('2') + C);
    const result = await update();
    assert.equal(result.code, 0, result.stderr);
    const after = await ids();
    assert.deepEqual(Object.keys(after).sort(), ['a', 'c']);
    assert.equal(after.a.id, before.a.id, 'a unchanged');
    assert.equal(after.c.state, 'running');
    const app = await showApp(site, 'upd');
    assert.deepEqual(app.services.map((s) => s.name).sort(), ['a', 'c']);
    assert.match(app.services.find((s) => s.name === 'c')?.latched?.manifestDigest ?? '', /^sha256:/);
  });

  test('a changed tag is a new drive: resolved and latched like a create', async () => {
    const v2 = await publish(site, 'cmp-server', '2', 'cmp-server-tag-2');
    const before = await ids();
    write(A('2', '2') + C);
    const result = await update();
    assert.equal(result.code, 0, result.stderr);
    const app = await showApp(site, 'upd');
    assert.equal(app.services.find((s) => s.name === 'a')?.latched?.manifestDigest, v2.manifestDigest);
    const after = await ids();
    assert.notEqual(after.a.id, before.a.id);
    assert.equal(after.c.id, before.c.id);
  });

  test('a new container that does not stay up: everything goes back, the definition stays', async () => {
    const before = await ids();
    const h = await hash();
    write(A('3', '2', '    command: ["false"]\n') + C);
    const result = await update();
    assert.equal(result.code, 1, result.stderr);
    const answer = result.json<{ result: { outcome: string } }>();
    assert.equal(answer.result.outcome, 'rolled-back');
    const after = await ids();
    assert.equal(after.a.id, before.a.id, 'the old container of a is back');
    assert.equal(after.a.state, 'running');
    assert.equal(after.c.id, before.c.id);
    assert.equal(await hash(), h, 'the definition is unchanged');
    const ledger = (await site.cli(['ledger', 'upd', '--json'])).json<{ action: string; outcome: string; detail: string }[]>();
    assert.match(ledger.filter((e) => e.action === 'update').at(-1)?.detail ?? '', /compose definition stays/);
  });
});

/** The container events of Compose project `project` from `since` (seconds) until now, as the engine recorded them. */
async function composeEvents(project: string, since: number): Promise<{ action: string; service: string; at: bigint }[]> {
  const until = Math.ceil(Date.now() / 1000) + 1;
  const stream = await site.docker.getEvents({ since, until, filters: { type: ['container'], label: [`com.docker.compose.project=${project}`] } });
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) text += chunk.toString();
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { Action: string; timeNano: number | string; Actor: { Attributes: Record<string, string> } })
    .map((e) => ({ action: e.Action, service: e.Actor.Attributes['com.docker.compose.service'] ?? '', at: BigInt(e.timeNano) }));
}
