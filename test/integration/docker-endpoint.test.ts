/**
 * The engine endpoint as the docker CLI picks it (issue 15), against a real private engine:
 * docker CLI contexts (made by the real `docker context create` / `docker context use`)
 * pointing at its socket; the same engine on 127.0.0.1 with --tlsverify and certificates made
 * by openssl, reached with DOCKER_TLS_VERIFY/DOCKER_CERT_PATH and through a context's TLS
 * material; and ssh through a private sshd (root, a generated key) running `docker system
 * dial-stdio`. Each time the docker CLI, given the same environment, reaches the very same
 * engine (the same ID), and every kind of request goes through: reads, a load, a pull from a
 * registry, tags, containers (create, connect, start, rename, stop, list, remove), networks,
 * volumes, the event stream.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyContainerConfig } from '../../main/core/apps/container-config';
import type { EngineEvent, PullMessage } from '../../main/core/ports/engine-port';
import { createEngine } from '../../main/engine';
import type { EngineStatus } from '../../main/api/types/engine';
import { runCli } from '../helpers/cli';
import { before, useStarted } from '../helpers/hooks';
import { importBusyboxImage } from '../helpers/engine';
import { rejectsWith, waitFor } from '../helpers/engine-checks';
import { archiveOf, saveArchive } from '../helpers/image-archive';
import { buildImage, publishTo } from '../helpers/image-builder';
import { useEngine, useRegistry } from '../helpers/site';
import { startSshd } from '../helpers/sshd';
import { makeCertificates } from '../helpers/tls-certs';

const RUN = randomBytes(4).toString('hex');
const work = mkdtempSync(join(tmpdir(), 'tk-endpoint-'));
after(() => rmSync(work, { recursive: true, force: true }));
const certs = makeCertificates(join(work, 'certs'));
const engine = useEngine({ name: 'endpoint', tls: certs.server });
const registry = useRegistry();
/** The docker CLI's config folder of these tests (contexts go here), never the user's. */
const dockerConfig = join(work, 'docker-config');
let engineId = '';
let imageId = '';

before(async () => {
  imageId = await importBusyboxImage(engine, `endpoint-${RUN}:1`, 'endpoint');
  engineId = docker(['info', '--format', '{{.ID}}'], { DOCKER_HOST: engine.dockerHost });
});

/** The docker CLI with this environment only (plus PATH and this config folder): its output, or the test fails. */
function docker(args: string[], env: Record<string, string> = {}): string {
  const run = spawnSync('docker', args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, DOCKER_CONFIG: dockerConfig, ...env } });
  assert.equal(run.status, 0, `docker ${args.join(' ')}: ${run.stderr}${run.error?.message ?? ''}`);
  return run.stdout.trim();
}

/** `tagkeeper ARGS` with a data directory of its own and no DOCKER_HOST unless given. */
function tagkeeper(args: string[], env: Record<string, string> = {}) {
  return runCli(args, { HOME: work, DOCKER_CONFIG: dockerConfig, TAGKEEPER_DATA_DIR: join(work, `data-${randomBytes(3).toString('hex')}`), ...env });
}

async function engineStatus(args: string[], env: Record<string, string> = {}): Promise<EngineStatus> {
  const out = await tagkeeper([...args, 'engine', '--json'], env);
  const status = out.json<EngineStatus>();
  assert.equal(out.code, status.reachable ? 0 : 1, `exit 1 when not reachable: ${out.stderr}${out.stdout}`);
  return status;
}

/** Every kind of request an instance makes, through `dockerHost` as chosen from `env`. */
async function exercise(env: Record<string, string>): Promise<void> {
  const through = createEngine({}, { HOME: work, DOCKER_CONFIG: dockerConfig, ...env });
  const unique = randomBytes(4).toString('hex');
  const labels = { 'tagkeeper.test': `${RUN}-${unique}` };
  await through.ping();
  assert.equal((await through.identity()).id, engineId);
  assert.equal((await through.inspectImage(imageId))?.id, imageId);
  assert.ok((await through.listImages()).some((image) => image.id === imageId));
  const built = await buildImage({ marker: `endpoint-load-${unique}` });
  const { loaded } = await through.loadImage(archiveOf(saveArchive([{ image: built }])));
  assert.deepEqual(loaded, [built.configDigest]);

  // The pull (the engine fetches from the registry; progress comes back through the endpoint), a tag, an image removal.
  const published = await publishTo(registry, `endpoint-${unique}`, '1', `endpoint-pull-${unique}`);
  const pinned = `${registry.host}/endpoint-${unique}@${published.manifestDigest}`;
  const progress: PullMessage[] = [];
  await through.pullImage(pinned, (message) => progress.push(message));
  assert.ok(progress.length > 0, 'the pull reports its progress');
  assert.equal((await through.inspectImage(pinned))?.id, published.configDigest);
  await through.tagImage(published.configDigest, `endpoint-tagged-${unique}`, 'v1');
  assert.equal((await through.inspectImage(`endpoint-tagged-${unique}:v1`))?.id, published.configDigest);
  await through.removeImage(published.configDigest).catch(() => undefined); // two references: the engine may refuse without force
  await through.removeImage(`endpoint-tagged-${unique}:v1`);
  assert.equal(await through.inspectImage(`endpoint-tagged-${unique}:v1`), null);

  // Networks and volumes, as an app's switch makes them.
  const [first, second, volume] = [`endpoint-a-${unique}`, `endpoint-b-${unique}`, `endpoint-v-${unique}`];
  for (const name of [first, second]) await through.createNetwork({ name, driver: 'bridge', driverOpts: {}, internal: false, labels });
  assert.deepEqual((await through.listNetworks(labels)).map((n) => n.name), [first, second]);
  assert.equal((await through.inspectNetwork(first))?.name, first);
  await through.createVolume(volume, labels);
  assert.deepEqual(await through.listVolumes(labels), [volume]);
  assert.equal((await through.inspectVolume(volume))?.name, volume);

  const events: EngineEvent[] = [];
  const unsubscribe = through.subscribe((event) => events.push(event));
  try {
    const name = `endpoint-${unique}`;
    const networks = { [first]: { aliases: [] }, [second]: { aliases: ['web'] } }; // the second one connected after the creation
    const id = await through.createContainer({ name, image: imageId, labels, config: { ...emptyContainerConfig(), networks } });
    await through.startContainer(id);
    assert.equal((await through.inspectContainer(id))?.status, 'running');
    await waitFor('the start event', () => events.some((event) => event.id === id && event.action === 'start'));
    await through.renameContainer(id, `${name}-renamed`);
    assert.deepEqual((await through.listContainers(labels)).map((c) => [c.id, c.name]), [[id, `${name}-renamed`]]);
    await through.stopContainer(id, 1);
    assert.equal((await through.inspectContainer(id))?.status, 'exited');
    await through.removeContainer(id);
    assert.equal(await through.inspectContainer(id), null);
  } finally {
    unsubscribe();
  }
  for (const name of [first, second]) await through.removeNetwork(name);
  assert.equal(await through.inspectNetwork(first), null);
  await through.removeVolume(volume);
  assert.equal(await through.inspectVolume(volume), null);
}

describe('contexts of the docker CLI', () => {
  before(() => {
    docker(['context', 'create', 'lab', '--docker', `host=${engine.dockerHost}`]);
    docker(['context', 'create', 'tls-lab', '--docker', `host=${engine.tlsHost},ca=${certs.client.ca},cert=${certs.client.cert},key=${certs.client.key}`]);
    docker(['context', 'create', 'tls-unverified', '--docker', `host=${engine.tlsHost},ca=${certs.otherCa},cert=${certs.client.cert},key=${certs.client.key},skip-tls-verify=true`]);
  });

  test('DOCKER_CONTEXT selects a context pointing at the engine socket; the docker CLI reaches the same engine', async () => {
    const status = await engineStatus([], { DOCKER_CONTEXT: 'lab' });
    assert.deepEqual([status.reachable, status.endpoint, status.source], [true, engine.dockerHost, 'from DOCKER_CONTEXT=lab']);
    assert.equal(status.identity?.id, engineId);
    assert.equal(docker(['info', '--format', '{{.ID}}'], { DOCKER_CONTEXT: 'lab' }), engineId);
    // The instance works on it: the image imported there is listed.
    const images = await tagkeeper(['images', '--json'], { DOCKER_CONTEXT: 'lab' });
    assert.equal(images.code, 0, images.stderr);
    assert.ok(images.json<{ id: string }[]>().some((image) => image.id === imageId));
  });

  test('the current context (docker context use) applies when nothing else is given, and settings show says so', async () => {
    docker(['context', 'use', 'lab']);
    try {
      assert.equal(JSON.parse(readFileSync(join(dockerConfig, 'config.json'), 'utf8')).currentContext, 'lab');
      const show = await tagkeeper(['settings', 'show']);
      assert.equal(show.code, 0, show.stderr);
      // The config folder is under HOME (this test's folder): said as ~/… .
      assert.match(show.stdout, new RegExp(`^engine +${engine.dockerHost} \\(from the current context "lab" in ~/docker-config/config\\.json\\)$`, 'm'));
      assert.match(show.stdout, new RegExp(`^engine-id +${engineId} `, 'm'));
      // In the order of the docker CLI: --context, then DOCKER_HOST, then DOCKER_CONTEXT win over it.
      assert.equal((await engineStatus(['--context', 'tls-lab'])).source, 'from --context tls-lab; TLS with the context\'s certificates (the engine\'s certificate is verified)');
      const overridden = await engineStatus([], { DOCKER_HOST: 'unix:///nonexistent/docker.sock', DOCKER_CONTEXT: 'lab' });
      assert.deepEqual([overridden.endpoint, overridden.reachable], ['unix:///nonexistent/docker.sock', false]);
      assert.equal(overridden.source, 'from DOCKER_HOST (DOCKER_CONTEXT=lab is ignored when DOCKER_HOST is set, as by the docker CLI)');
      assert.equal((await engineStatus([], { DOCKER_CONTEXT: 'default' })).source, 'default socket (from DOCKER_CONTEXT=default)');
    } finally {
      docker(['context', 'use', 'default']);
    }
    assert.equal((await engineStatus([])).source, 'default socket');
  });

  test('a context with TLS material reaches the engine on TCP; SkipTLSVerify is honoured and said', async () => {
    const verified = await engineStatus(['--context', 'tls-lab']);
    assert.deepEqual([verified.reachable, verified.endpoint, verified.identity?.id], [true, engine.tlsHost, engineId]);
    assert.equal(docker(['--context', 'tls-lab', 'info', '--format', '{{.ID}}']), engineId);
    const unverified = await engineStatus([], { DOCKER_CONTEXT: 'tls-unverified' });
    assert.deepEqual([unverified.reachable, unverified.identity?.id], [true, engineId]);
    assert.match(unverified.source, /the engine's certificate is NOT verified: SkipTLSVerify/);
    await exercise({ DOCKER_CONTEXT: 'tls-lab' });
  });

  test('a context that is not there, or --host with --context: one line naming it and what to do, exit 2', async () => {
    const missing = await tagkeeper(['app', 'list'], { DOCKER_CONTEXT: 'nowhere' });
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /^tagkeeper: Docker context "nowhere" \(from DOCKER_CONTEXT=nowhere\) not found: there is no .*\/contexts\/meta\/[0-9a-f]{64}\/meta\.json \(list the contexts with docker context ls, .*\)\n$/);
    const both = await tagkeeper(['--host', engine.dockerHost, '--context', 'lab', 'app', 'list']);
    assert.equal(both.code, 2, both.stderr);
    assert.match(both.stderr, /--host .* and --context lab name two engines \(give one of them, as with the docker CLI\)/);
  });
});

describe('tcp with TLS (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)', () => {
  const tls = (extra: Record<string, string> = {}) => ({ DOCKER_HOST: engine.tlsHost ?? '', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs.client.dir, ...extra });

  test('the engine is reached with the client certificate, its own verified; every kind of request goes through', async () => {
    const status = await engineStatus([], tls());
    assert.deepEqual([status.reachable, status.endpoint, status.identity?.id], [true, engine.tlsHost, engineId]);
    // The certificates are under HOME (this test's folder): said as ~/… .
    assert.equal(status.source, "from DOCKER_HOST; TLS with the certificates in ~/certs/client (the engine's certificate is verified)");
    assert.equal(docker(['info', '--format', '{{.ID}}'], tls()), engineId);
    await exercise(tls());
  });

  test('a certificate from another CA, or none: engine-unreachable naming the endpoint and the certificates to check', async () => {
    const wrongCa = join(work, 'wrong-ca');
    rmSync(wrongCa, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', wrongCa]);
    writeFileSync(join(wrongCa, 'ca.pem'), readFileSync(certs.otherCa));
    writeFileSync(join(wrongCa, 'cert.pem'), readFileSync(certs.client.cert));
    writeFileSync(join(wrongCa, 'key.pem'), readFileSync(certs.client.key));
    const refused = await rejectsWith(createEngine({}, { HOME: work, ...tls({ DOCKER_CERT_PATH: wrongCa }) }).ping(), 'engine-unreachable');
    assert.match(refused.message, new RegExp(`^Docker Engine not reachable at ${engine.tlsHost} \\(TLS: .+\\)$`));
    assert.match(refused.hint ?? '', /signed by the CA in ca\.pem/);
    // No client certificate: the engine (--tlsverify) does not let it in.
    const onlyCa = join(work, 'only-ca');
    spawnSync('mkdir', ['-p', onlyCa]);
    writeFileSync(join(onlyCa, 'ca.pem'), readFileSync(certs.client.ca));
    const anonymous = await tagkeeper(['app', 'list'], tls({ DOCKER_CERT_PATH: onlyCa }));
    assert.equal(anonymous.code, 1, anonymous.stderr);
    assert.match(anonymous.stderr, new RegExp(`^tagkeeper: Docker Engine not reachable at ${engine.tlsHost} \\(.+\\) \\(.+\\)\\n$`));
  });
});

describe('ssh (docker system dial-stdio on the far side, as the docker CLI does)', () => {
  const sshd = useStarted('the test sshd', () => startSshd(), (server) => server.stop());
  const host = () => `ssh://root@127.0.0.1:${sshd.port}${engine.socketPath}`;
  const savedPath = process.env.PATH;
  before(() => {
    // In this process too: the adapter runs the `ssh` it finds on PATH, as the docker CLI does.
    process.env.PATH = sshd.path;
  });
  after(() => {
    process.env.PATH = savedPath;
  });

  test('an ssh:// endpoint reaches the engine through the system ssh; the docker CLI reaches the same one', async () => {
    const status = await engineStatus(['-H', host()], { PATH: sshd.path });
    assert.deepEqual([status.reachable, status.endpoint, status.source, status.identity?.id], [true, host(), 'from --host', engineId]);
    assert.equal(docker(['-H', host(), 'info', '--format', '{{.ID}}'], { PATH: sshd.path }), engineId);
    await exercise({ DOCKER_HOST: host() });
    assert.match(sshd.log(), /Accepted publickey for root/);
  });

  test('a host key ssh does not know: engine-unreachable with ssh\'s own words and what to check', async () => {
    const strict = join(work, 'strict-bin');
    spawnSync('mkdir', ['-p', strict]);
    writeFileSync(join(strict, 'ssh'), `#!/bin/sh\nexec ${join(sshd.binDir, 'ssh')} -o UserKnownHostsFile=/dev/null "$@"\n`, { mode: 0o755 });
    const out = await tagkeeper(['app', 'list'], { DOCKER_HOST: host(), PATH: `${strict}:${sshd.path}` });
    assert.equal(out.code, 1, out.stderr);
    assert.match(out.stderr, new RegExp(`^tagkeeper: Docker Engine not reachable at ssh://root@127\\.0\\.0\\.1:${sshd.port}/.* \\(ssh: Host key verification failed\\.\\) \\(check that this works without a prompt: ssh .*\\)\\n$`));
  });
});
