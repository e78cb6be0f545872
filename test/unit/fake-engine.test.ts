/**
 * The fake engine keeps to the engine port's documented behaviour, and to what the Docker
 * Engine does where the core relies on it (the runner tests trust it for that): names,
 * removal of what is gone, networks' owners, volumes in use, pulls by digest, and the status
 * machine on the fake clock — scripted exits and health, the restart policy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TagkeeperError } from '../../main/api/errors';
import type { ContainerConfig, ContainerSpec } from '../../main/core/ports/engine-port';
import { FakeClock } from '../helpers/fake-clock';
import { FakeEngine } from '../helpers/fake-engine';
import { STOPPED_EXIT_CODE } from '../helpers/fake-container';

const IMAGE = `sha256:${'1'.repeat(64)}`;
const DIGEST = `sha256:${'d'.repeat(64)}`;

function engine() {
  const clock = new FakeClock();
  const fake = new FakeEngine(clock);
  fake.offer(`registry.test/app@${DIGEST}`, { id: IMAGE });
  return { clock, fake };
}

const config = (more: Partial<ContainerConfig> = {}): ContainerConfig => ({
  command: null, entrypoint: null, environment: {}, ports: [], mounts: [], tmpfs: {}, networkMode: null, networks: {}, healthcheck: null,
  restart: { policy: 'no', maxRetries: 0 }, user: null, workingDir: null, hostname: null, extraHosts: {}, logging: null, privileged: false,
  readOnly: false, init: null, capAdd: [], capDrop: [], devices: [], securityOpt: [], sysctls: {}, ulimits: {}, stopSignal: null,
  stopGracePeriodNs: null, shmSizeBytes: null, memoryLimitBytes: null, nanoCpus: null, ...more,
});
const spec = (name: string, more: Partial<ContainerConfig> = {}, labels: Record<string, string> = {}): ContainerSpec => ({ name, image: IMAGE, labels, config: config(more) });
const engineError = (pattern: RegExp) => (e: unknown) => e instanceof TagkeeperError && e.code === 'engine-error' && pattern.test(e.message);

async function pulled() {
  const box = engine();
  await box.fake.pullImage(`registry.test/app@${DIGEST}`, () => undefined);
  return box;
}

test('a pull downloads the image offered for that digest, found then by id, by digest and (once tagged) by tag', async () => {
  const { fake } = engine();
  const messages: string[] = [];
  await assert.rejects(fake.pullImage(`registry.test/app@sha256:${'e'.repeat(64)}`, () => undefined), (e: unknown) => e instanceof TagkeeperError && e.code === 'pull-failed');
  await fake.pullImage(`registry.test/app@${DIGEST}`, (m) => messages.push(m.status));
  assert.ok(messages.includes('Pull complete'));
  assert.equal((await fake.inspectImage(IMAGE))?.id, IMAGE);
  assert.deepEqual((await fake.inspectImage(`registry.test/app@${DIGEST}`))?.repoDigests, [`registry.test/app@${DIGEST}`]);
  assert.equal(await fake.inspectImage('registry.test/app:1'), null);
  await fake.tagImage(IMAGE, 'registry.test/app', '1');
  assert.equal((await fake.inspectImage('registry.test/app:1'))?.id, IMAGE);
});

test('a container name is taken until its container is removed or renamed; removing a gone container is fine', async () => {
  const { fake } = await pulled();
  const id = await fake.createContainer(spec('web'));
  await assert.rejects(fake.createContainer(spec('web')), engineError(/The container name "\/web" is already in use/));
  await assert.rejects(fake.renameContainer(id, 'web'), engineError(/same name/));
  await fake.renameContainer(id, 'web-old');
  const again = await fake.createContainer(spec('web'));
  await assert.rejects(fake.renameContainer(again, 'web-old'), engineError(/already in use/));
  await fake.removeContainer(id);
  await fake.removeContainer(id);
  assert.equal(await fake.inspectContainer(id), null);
  assert.equal((await fake.inspectContainer('web'))?.id, again, 'by name');
  assert.equal((await fake.inspectContainer(again.slice(0, 12)))?.id, again, 'by id prefix');
  await assert.rejects(fake.createContainer({ ...spec('other'), image: `sha256:${'9'.repeat(64)}` }), engineError(/No such image/));
});

test('status machine: created → running → exited (stop) → running; a scripted exit; the restart policy starts it again', async () => {
  const { clock, fake } = await pulled();
  const id = await fake.createContainer(spec('web'));
  assert.deepEqual((({ status, startedAt }) => ({ status, startedAt }))((await fake.inspectContainer(id))!), { status: 'created', startedAt: null });
  await fake.startContainer(id);
  await fake.stopContainer(id);
  assert.deepEqual((({ status, exitCode }) => ({ status, exitCode }))((await fake.inspectContainer(id))!), { status: 'exited', exitCode: STOPPED_EXIT_CODE });
  await fake.stopContainer(id); // not running: nothing to do

  fake.script({ container: 'job' }, { exit: { afterMs: 1000, code: 4 } });
  const job = await fake.createContainer(spec('job'));
  await fake.startContainer(job);
  await clock.sleep(999);
  assert.equal((await fake.inspectContainer(job))?.status, 'running');
  await clock.sleep(1);
  assert.deepEqual((({ status, exitCode }) => ({ status, exitCode }))((await fake.inspectContainer(job))!), { status: 'exited', exitCode: 4 });

  fake.script({ image: IMAGE }, { exit: { afterMs: 1000, code: 1 } });
  const flaky = await fake.createContainer(spec('flaky', { restart: { policy: 'on-failure', maxRetries: 2 } }));
  await fake.startContainer(flaky);
  const first = (await fake.inspectContainer(flaky))!.startedAt;
  await clock.sleep(1500);
  const restarted = (await fake.inspectContainer(flaky))!;
  assert.deepEqual([restarted.status, restarted.startedAt !== first], ['running', true], 'started again, a new start time');
  await clock.sleep(5000);
  assert.equal((await fake.inspectContainer(flaky))?.status, 'exited', 'after its two retries');
});

test('health: none without a check; starting, then as scripted; a check in the config passes after its interval', async () => {
  const { clock, fake } = await pulled();
  const plain = await fake.createContainer(spec('plain'));
  await fake.startContainer(plain);
  assert.equal((await fake.inspectContainer(plain))?.health, null);
  fake.script({ container: 'sick' }, { health: { afterMs: 2000, status: 'unhealthy' } });
  const sick = await fake.createContainer(spec('sick'));
  const checked = await fake.createContainer(spec('checked', { healthcheck: { test: ['CMD', 'true'], intervalNs: 3e9, timeoutNs: null, startPeriodNs: null, startIntervalNs: null, retries: null } }));
  await fake.startContainer(sick);
  await fake.startContainer(checked);
  assert.deepEqual([(await fake.inspectContainer(sick))?.health, (await fake.inspectContainer(checked))?.health], ['starting', 'starting']);
  await clock.sleep(3000);
  assert.deepEqual([(await fake.inspectContainer(sick))?.health, (await fake.inspectContainer(checked))?.health], ['unhealthy', 'healthy']);
});

test("networks: idempotent for the same owner, another owner's refused; not removed while a running container is on it; gone is fine", async () => {
  const { fake } = await pulled();
  const net = (labels: Record<string, string>) => ({ name: 'shop_default', driver: null, driverOpts: {}, internal: false, labels });
  await fake.createNetwork(net({ 'com.docker.compose.project': 'shop' }));
  await fake.createNetwork(net({ 'com.docker.compose.project': 'shop', 'tagkeeper.app': 'shop' }));
  await assert.rejects(fake.createNetwork(net({ 'tagkeeper.app': 'other' })), /exists already and belongs to shop/);
  await assert.rejects(fake.createContainer(spec('x', { networks: { nowhere: { aliases: [] } } })), engineError(/network nowhere not found/));
  const id = await fake.createContainer(spec('web', { networks: { shop_default: { aliases: ['web'] } } }));
  await fake.startContainer(id);
  await assert.rejects(fake.removeNetwork('shop_default'), engineError(/active endpoints/));
  await fake.stopContainer(id);
  await fake.removeNetwork('shop_default');
  await fake.removeNetwork('shop_default');
  await assert.rejects(fake.startContainer(id), engineError(/network shop_default not found/));
});

test('volumes: created once (another driver refused), listed by label, not removed while a container uses it', async () => {
  const { fake } = await pulled();
  await fake.createVolume('shop_data', { 'tagkeeper.app': 'shop' });
  await fake.createVolume('shop_data', {});
  await assert.rejects(fake.createVolume('shop_data', {}, { driver: 'nfs', driverOpts: {} }), engineError(/different|already exists/));
  assert.deepEqual(await fake.listVolumes({ 'tagkeeper.app': 'shop' }), ['shop_data']);
  const mount = { type: 'volume' as const, source: 'shop_data', target: '/data', readOnly: false, noCopy: false, subpath: null };
  const id = await fake.createContainer(spec('db', { mounts: [mount] }));
  await assert.rejects(fake.removeVolume('shop_data'), engineError(/in use/));
  await fake.removeContainer(id);
  await fake.removeVolume('shop_data');
  await fake.removeVolume('shop_data');
  assert.deepEqual(await fake.listVolumes({}), []);
});

test('sharing a network: network_mode container:NAME needs that container running, and remembers which one it joined', async () => {
  const { fake } = await pulled();
  await assert.rejects(fake.createContainer(spec('app', { networkMode: 'container:vpn' })), engineError(/No such container: vpn/));
  const host = await fake.createContainer(spec('vpn'));
  const guest = await fake.createContainer(spec('app', { networkMode: 'container:vpn' }));
  await assert.rejects(fake.startContainer(guest), engineError(/non running container/));
  await fake.startContainer(host);
  await fake.startContainer(guest);
  assert.equal(fake.container(guest)?.joinedNetworkOf, host);
});

test('a host port is held by one running container at a time', async () => {
  const { fake } = await pulled();
  const port = { target: 80, published: 8080, hostIp: '127.0.0.1', protocol: 'tcp' as const };
  const first = await fake.createContainer(spec('web', { ports: [port] }));
  const second = await fake.createContainer(spec('web-new', { ports: [{ ...port, hostIp: null }] }));
  const other = await fake.createContainer(spec('other', { ports: [{ ...port, published: 8081 }] }));
  await fake.startContainer(first);
  await assert.rejects(fake.startContainer(second), engineError(/Bind for 0\.0\.0\.0:8080 failed: port is already allocated/));
  await fake.startContainer(other);
  await fake.stopContainer(first);
  await fake.startContainer(second);
});

test('network_mode container:NAME is bound at creation to the container that had the name, as the engine does', async () => {
  const { fake } = await pulled();
  const first = await fake.createContainer(spec('vpn'));
  const guest = await fake.createContainer(spec('app', { networkMode: 'container:vpn' }));
  await fake.renameContainer(first, 'vpn-old');
  const second = await fake.createContainer(spec('vpn'));
  await fake.startContainer(second);
  await assert.rejects(fake.startContainer(guest), engineError(/non running container/), 'not the container now named vpn');
  await fake.startContainer(first);
  await fake.startContainer(guest);
  assert.equal(fake.container(guest)?.joinedNetworkOf, first);
});

test('an engine out of reach fails every call as engine-unreachable', async () => {
  const { fake } = engine();
  fake.reachable = false;
  await assert.rejects(fake.ping(), (e: unknown) => e instanceof TagkeeperError && e.code === 'engine-unreachable');
  await assert.rejects(fake.listContainers({}), (e: unknown) => e instanceof TagkeeperError && e.code === 'engine-unreachable');
});
