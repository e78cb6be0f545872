/**
 * The container list a long-lived instance keeps from the engine's events: read whole when a
 * stream opens, a container read again on its event or after a change made through the
 * instance's engine, nothing held while no stream is open; and what the engine watch
 * announces is announced once the list took it in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CoreEvent } from '../../main/api/types/events';
import { mirrorContainers } from '../../main/core/background/container-mirror';
import { watchEngine } from '../../main/core/background/engine-watch';
import type { ContainerConfig, ContainerSpec, EnginePort } from '../../main/core/ports/engine-port';
import { FakeClock } from '../helpers/fake-clock';
import { FakeEngine } from '../helpers/fake-engine';

const IMAGE = `sha256:${'1'.repeat(64)}`;
const DIGEST = `sha256:${'d'.repeat(64)}`;

const config: ContainerConfig = {
  command: null, entrypoint: null, environment: {}, ports: [], mounts: [], tmpfs: {}, networkMode: 'none', networks: {}, healthcheck: null,
  restart: { policy: 'no', maxRetries: 0 }, user: null, workingDir: null, hostname: null, extraHosts: {}, logging: null, privileged: false,
  readOnly: false, init: null, capAdd: [], capDrop: [], devices: [], securityOpt: [], sysctls: {}, ulimits: {}, stopSignal: null,
  stopGracePeriodNs: null, shmSizeBytes: null, memoryLimitBytes: null, nanoCpus: null,
};
const spec = (app: string): ContainerSpec => ({ name: `tagkeeper-${app}-main`, image: IMAGE, labels: { 'tagkeeper.app': app, 'tagkeeper.service': 'main' }, config });

/** The fake engine, and the same engine counting what is read of it (the mirror's reads). */
async function box() {
  const fake = new FakeEngine(new FakeClock());
  fake.offer(`registry.test/app@${DIGEST}`, { id: IMAGE });
  await fake.pullImage(`registry.test/app@${DIGEST}`, () => undefined);
  const reads: string[] = [];
  const counted = new Proxy(fake, {
    get(target, key) {
      const member: unknown = Reflect.get(target, key, target);
      if (typeof member !== 'function') return member;
      if (key === 'listContainerStates' || key === 'inspectContainer' || key === 'ping') reads.push(String(key));
      return (member as (...args: unknown[]) => unknown).bind(target);
    },
  }) as EnginePort;
  return { fake, reads, ...mirrorContainers(counted) };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};
const statuses = (states: { name: string; status: string }[] | null) => states?.map((c) => `${c.name} ${c.status}`) ?? null;

test('without an open event stream nothing is held: the list is asked of the engine', async () => {
  const { fake, mirror } = await box();
  await fake.createContainer(spec('web'));
  assert.equal(await mirror.states(), null);
  await mirror.opened();
  mirror.lost();
  assert.equal(await mirror.states(), null, 'nothing held once the stream broke');
});

test('read whole when the stream opens (newest first, as the engine lists), then answered without asking the engine', async () => {
  const { fake, mirror, reads } = await box();
  await fake.startContainer(await fake.createContainer(spec('web')));
  await fake.createContainer(spec('api'));
  await mirror.opened();
  assert.deepEqual(reads, ['listContainerStates']);
  assert.deepEqual(statuses(await mirror.states()), ['tagkeeper-api-main created', 'tagkeeper-web-main running']);
  assert.deepEqual(await mirror.states(), await fake.listContainerStates({}));
  assert.deepEqual(reads, ['listContainerStates'], 'no more reads');
});

test('a change behind its back shows once its event came (the container read again); a removal takes it out', async () => {
  const { fake, mirror, reads } = await box();
  const web = await fake.createContainer(spec('web'));
  await mirror.opened();
  await fake.startContainer(web);
  assert.deepEqual(statuses(await mirror.states()), ['tagkeeper-web-main created'], 'no event yet');
  await mirror.changed(web);
  assert.deepEqual(statuses(await mirror.states()), ['tagkeeper-web-main running']);
  const api = await fake.createContainer(spec('api'));
  await mirror.changed(api);
  assert.deepEqual(statuses(await mirror.states()), ['tagkeeper-api-main created', 'tagkeeper-web-main running'], 'a new container is the newest');
  await fake.removeContainer(web);
  await mirror.changed(web);
  assert.deepEqual(statuses(await mirror.states()), ['tagkeeper-api-main created']);
  assert.deepEqual(reads, ['listContainerStates', 'inspectContainer', 'inspectContainer', 'inspectContainer']);
});

test('a change made through the instance\'s engine shows in the very next list, before any event', async () => {
  const { mirror, engine } = await box();
  await mirror.opened();
  const web = await engine.createContainer(spec('web'));
  assert.deepEqual(statuses(await mirror.states()), ['tagkeeper-web-main created']);
  await engine.startContainer(web);
  assert.deepEqual(statuses(await mirror.states()), ['tagkeeper-web-main running']);
  await engine.renameContainer(web, 'web-aside');
  await engine.stopContainer(web);
  assert.deepEqual(statuses(await mirror.states()), ['web-aside exited']);
  await engine.removeContainer(web);
  assert.deepEqual(await mirror.states(), []);
});

test('after a break the list is read whole again: what changed while no event could come shows', async () => {
  const { fake, mirror } = await box();
  const web = await fake.createContainer(spec('web'));
  await mirror.opened();
  mirror.lost();
  await fake.removeContainer(web);
  await fake.createContainer(spec('api'));
  await mirror.opened();
  assert.deepEqual(statuses(await mirror.states()), ['tagkeeper-api-main created']);
});

test('a read that fails is not answered from what is held: the next list reads everything again', async () => {
  const { fake, mirror, reads } = await box();
  const web = await fake.createContainer(spec('web'));
  await mirror.opened();
  fake.reachable = false;
  await mirror.changed(web);
  assert.equal(await mirror.states(), null);
  fake.reachable = true;
  await fake.startContainer(web);
  reads.length = 0;
  assert.deepEqual(statuses(await mirror.states()), ['tagkeeper-web-main running']);
  assert.deepEqual(reads, ['listContainerStates']);
});

test('the watch announces an app\'s change once the list took it in, and the engine back once it was read whole', async () => {
  const { fake, mirror, engine } = await box();
  const events: CoreEvent[] = [];
  const seen: string[][] = [];
  const stop = watchEngine({
    engine,
    containers: mirror,
    emit: (e) => {
      events.push(e);
      void mirror.states().then((s) => seen.push(statuses(s) ?? ['nothing held']));
    },
    sleep: () => Promise.resolve(),
  });
  try {
    await settle();
    const web = await fake.createContainer(spec('web'));
    await fake.startContainer(web);
    fake.announce({ type: 'container', action: 'start', id: web, labels: { 'tagkeeper.app': 'web' }, time: 0 });
    await settle();
    assert.deepEqual(events, [{ type: 'app-changed', app: 'web' }]);
    assert.deepEqual(seen, [['tagkeeper-web-main running']]);

    await fake.stopContainer(web); // no event for it: the stream breaks
    fake.breakSubscriptions();
    await settle();
    assert.deepEqual(events.slice(1), [{ type: 'engine-changed', reachable: false }, { type: 'engine-changed', reachable: true }]);
    assert.deepEqual(seen.slice(1), [['nothing held'], ['tagkeeper-web-main exited']]);
  } finally {
    stop();
  }
  assert.equal(await mirror.states(), null, 'a stopped watch holds nothing');
});
