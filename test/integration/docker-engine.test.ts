/**
 * The dockerode adapter against a private Docker daemon (test/helpers/engine.ts) and a
 * real registry (test/helpers/registry.ts): every EnginePort method, errors included.
 */
import { emptyContainerConfig } from '../../main/core/apps/container-config';
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { writeFileSync, rmSync } from 'node:fs';
import { createEngine, type DockerEngine } from '../../main/engine';
import { TagkeeperError } from '../../main/api/errors';
import type { EngineEvent, PullMessage } from '../../main/core/ports/engine-port';
import { createPullTracker } from '../../main/core/content/pull-progress';
import { before, stopBefore } from '../helpers/hooks';
import { rawGet, rejectsWith, waitFor } from '../helpers/engine-checks';
import { importBusyboxImage, pushImage, startEngine } from '../helpers/engine';
import { useEngine, useRegistry } from '../helpers/site';
import { chooseEndpoint } from '../../main/engine/docker-host';
import { openConnection } from '../../main/engine/engine-connection';
import { enginePlatform } from '../../main/engine/map-platform';
import { splitReference } from '../../main/engine/pull-image';
import { mapEvent } from '../../main/engine/map-event';

const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
const LABEL = `tagkeeper.test.run`;
const RUN = randomBytes(4).toString('hex');

describe('Docker Engine adapter (dockerode) against a private engine', () => {
  const engine = useEngine({ name: 'adapter' });
  let docker: DockerEngine;
  let imageId: string;
  const cleanups: (() => Promise<void> | void)[] = [];

  before(async () => {
    docker = createEngine({ dockerHost: engine.dockerHost });
    imageId = await importBusyboxImage(engine, `busy-${RUN}:1`, 'marker-one');
  });

  stopBefore(engine, async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // keep stopping the rest
      }
    }
  });

  test('ping answers and the endpoint is the one given', async () => {
    assert.equal(docker.endpoint, engine.dockerHost);
    await docker.ping();
  });

  test('an engine nobody listens on is engine-unreachable, naming the socket and what to do', async () => {
    const missing = `unix:///tmp/tk-missing-${RUN}/docker.sock`;
    const error = await rejectsWith(createEngine({ dockerHost: missing }).ping(), 'engine-unreachable');
    assert.equal(error.message, `Docker Engine not reachable at ${missing} (connect ENOENT)`);
    assert.equal(error.hint, 'start the Docker daemon, or choose the engine to manage (--host, DOCKER_HOST, DOCKER_CONTEXT or docker context use)');

    // Other methods say the same.
    const listing = await rejectsWith(createEngine({ dockerHost: missing }).listImages(), 'engine-unreachable');
    assert.equal(listing.message, error.message);

    // A socket path that is a plain file: connection refused.
    const file = `/tmp/tk-notasocket-${RUN}`;
    writeFileSync(file, '');
    try {
      const refused = await rejectsWith(createEngine({ dockerHost: `unix://${file}` }).ping(), 'engine-unreachable');
      assert.equal(refused.message, `Docker Engine not reachable at unix://${file} (connect ECONNREFUSED)`);
    } finally {
      rmSync(file, { force: true });
    }
  });

  test('an engine that accepts but never answers is unreachable after the ping timeout', async () => {
    const socketPath = `/tmp/tk-silent-${RUN}.sock`;
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      const error = await rejectsWith(createEngine({ dockerHost: `unix://${socketPath}` }).ping(), 'engine-unreachable');
      assert.equal(error.message, `Docker Engine not reachable at unix://${socketPath} (no answer within 3 s)`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('a tcp:// endpoint reaches the same engine', async () => {
    // Forward 127.0.0.1:<port> to the engine's socket.
    const server = net.createServer((client) => {
      const upstream = net.connect(engine.socketPath);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const overTcp = createEngine({ dockerHost: `tcp://127.0.0.1:${port}` });
      await overTcp.ping();
      const image = await overTcp.inspectImage(imageId);
      assert.equal(image?.id, imageId);
    } finally {
      server.close();
    }
  });

  test('an unsupported endpoint is refused with what to use instead', () => {
    assert.throws(
      () => createEngine({ dockerHost: 'npipe:////./pipe/docker_engine' }),
      (error: unknown) =>
        error instanceof TagkeeperError && error.code === 'invalid-settings' && /npipe:.*\(from --host\) is not supported/.test(error.message) && /ssh:\/\/user@host/.test(error.hint ?? ''),
    );
  });

  test('platform() reports the engine OS and GOARCH', async () => {
    const platform = await docker.platform();
    assert.equal(platform.os, 'linux');
    assert.equal(platform.architecture, GOARCH[process.arch] ?? process.arch);
    if (platform.architecture === 'arm64') assert.equal(platform.variant, 'v8');
    assert.deepEqual(await docker.platform(), platform);
  });

  test('inspectImage and listImages map the imported image; a missing image is null', async () => {
    const image = await docker.inspectImage(`busy-${RUN}:1`);
    assert.ok(image);
    assert.equal(image.id, imageId);
    assert.deepEqual(image.repoTags, [`busy-${RUN}:1`]);
    assert.deepEqual(image.repoDigests, []);
    assert.ok(image.size > 0);
    assert.ok(!Number.isNaN(Date.parse(image.created)));
    assert.deepEqual(image.platform, await docker.platform());
    assert.deepEqual(image.labels, {});

    assert.equal(await docker.inspectImage('nothing-here:1'), null);
    assert.equal(await docker.inspectImage(`sha256:${'0'.repeat(64)}`), null);
    const all = await docker.listImages();
    assert.deepEqual(
      all.find((i) => i.id === imageId),
      image,
    );
  });

  test('a name that could change the request path is refused', async () => {
    await rejectsWith(docker.inspectImage('../containers/json'), 'invalid-input');
    await rejectsWith(docker.removeContainer('x?force=1'), 'invalid-input');
  });

  test('tagImage adds a tag', async () => {
    await docker.tagImage(imageId, `extra-${RUN}`, 'two');
    const image = await docker.inspectImage(`extra-${RUN}:two`);
    assert.equal(image?.id, imageId);
    await docker.removeImage(`extra-${RUN}:two`);
    assert.deepEqual((await docker.inspectImage(imageId))?.repoTags, [`busy-${RUN}:1`]);
  });

  test('container lifecycle: create, start, inspect, stop, list, remove, with events', async () => {
    const events: EngineEvent[] = [];
    const errors: Error[] = [];
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const unsubscribe = docker.subscribe(
      (event) => events.push(event),
      (error) => errors.push(error),
      () => opened(),
    );
    cleanups.push(unsubscribe);
    await open; // the engine has answered the subscription: what happens from now on is reported
    const volume = `tk-data-${RUN}`;
    await docker.createVolume(volume, { [LABEL]: RUN, 'tagkeeper.app': 'web' });
    cleanups.push(() => docker.removeVolume(volume)); // removing it twice is no error
    await waitFor('the volume create event', () => events.some((e) => e.type === 'volume' && e.action === 'create' && e.id === volume));
    const volumeEvent = events.find((e) => e.type === 'volume' && e.id === volume);
    assert.equal(volumeEvent?.labels.driver, undefined, 'engine attributes are not labels');

    const name = `tk-web-${RUN}`;
    const labels = { [LABEL]: RUN, 'tagkeeper.app': 'web' };
    const id = await docker.createContainer({
      name,
      image: imageId,
      labels,
      config: {
        ...emptyContainerConfig(),
        environment: { GREETING: 'hello', EMPTY: '' },
        mounts: [{ type: 'volume', source: volume, target: '/data', readOnly: false, noCopy: false, subpath: null }],
        networkMode: 'none',
        restart: { policy: 'unless-stopped', maxRetries: 0 },
        healthcheck: { test: ['CMD', 'true'], intervalNs: 1e9, timeoutNs: 2.5e9, retries: 3, startPeriodNs: 0, startIntervalNs: null },
      },
    });
    cleanups.push(() => docker.removeContainer(id));
    assert.match(id, /^[0-9a-f]{64}$/);

    const created = await docker.inspectContainer(name);
    assert.ok(created);
    assert.equal(created.id, id);
    assert.equal(created.name, name);
    assert.equal(created.imageId, imageId);
    assert.equal(created.status, 'created');
    assert.equal(created.startedAt, null);
    assert.equal(created.exitCode, null);
    assert.deepEqual(created.labels, labels);

    // What reached the engine.
    const raw = (await rawGet(engine, `/containers/${id}/json`)) as {
      Config: { Env: string[]; Healthcheck: Record<string, unknown> };
      HostConfig: { NetworkMode: string; RestartPolicy: { Name: string }; Mounts: unknown[] };
    };
    assert.ok(raw.Config.Env.includes('GREETING=hello'));
    assert.equal(raw.HostConfig.NetworkMode, 'none');
    assert.equal(raw.HostConfig.RestartPolicy.Name, 'unless-stopped');
    assert.deepEqual(raw.HostConfig.Mounts, [{ Type: 'volume', Source: volume, Target: '/data' }]);
    assert.deepEqual(raw.Config.Healthcheck, { Test: ['CMD', 'true'], Interval: 1e9, Timeout: 2.5e9, Retries: 3 });

    await docker.startContainer(id);
    await docker.startContainer(id); // already started: fine
    const running = await docker.inspectContainer(id);
    assert.equal(running?.status, 'running');
    assert.ok(running?.startedAt && !Number.isNaN(Date.parse(running.startedAt)));
    assert.equal(running?.exitCode, null);
    await waitFor('a health status', () => events.some((e) => e.id === id && e.action.startsWith('health_status')));
    assert.ok(['starting', 'healthy'].includes(String((await docker.inspectContainer(id))?.health)));

    const listed = await docker.listContainers({ [LABEL]: RUN });
    assert.deepEqual(
      listed.map((c) => [c.id, c.status]),
      [[id, 'running']],
    );
    assert.deepEqual(await docker.listContainers({ [LABEL]: 'some-other-run' }), []);
    // The engine's list alone (what app list shows): the same state, health and image as an inspection.
    const inspected = (await docker.inspectContainer(id))!;
    const states = await docker.listContainerStates({ [LABEL]: RUN });
    assert.deepEqual(states, [{ id, name: inspected.name, imageId: inspected.imageId, labels, status: 'running', health: inspected.health }]);
    assert.deepEqual(await docker.listContainerStates({ [LABEL]: 'some-other-run' }), []);

    await docker.stopContainer(id, 10);
    await docker.stopContainer(id, 10); // already stopped: fine
    const stopped = await docker.inspectContainer(id);
    assert.equal(stopped?.status, 'exited');
    assert.equal(stopped?.exitCode, 0, 'the image traps TERM and exits 0');
    assert.ok(stopped?.finishedAt);
    assert.deepEqual((await docker.listContainerStates({ [LABEL]: RUN })).map((c) => [c.id, c.status, c.health]), [[id, 'exited', null]]);

    await waitFor('create, start and die events', () =>
      ['create', 'start', 'die'].every((action) => events.some((e) => e.type === 'container' && e.id === id && e.action === action)),
    );
    const createEvent = events.find((e) => e.type === 'container' && e.id === id && e.action === 'create');
    assert.deepEqual(createEvent?.labels, labels, 'container events carry the labels, not name/image');
    assert.ok(createEvent && createEvent.time > Date.now() - 5 * 60_000 && createEvent.time <= Date.now() + 60_000, 'time is in ms');

    // A volume in use is not removed.
    await rejectsWith(docker.removeVolume(volume), 'engine-error');

    await docker.removeContainer(id);
    await docker.removeContainer(id); // already gone: fine
    assert.equal(await docker.inspectContainer(id), null);
    assert.deepEqual(await docker.listContainers({ [LABEL]: RUN }), []);
    await waitFor('the destroy event', () => events.some((e) => e.id === id && e.action === 'destroy'));

    await docker.removeVolume(volume);
    assert.deepEqual(errors, []);
    unsubscribe();
  });

  test('stop and start of a container that does not exist are engine errors', async () => {
    const error = await rejectsWith(docker.startContainer('tk-no-such-container'), 'engine-error');
    assert.match(error.message, /^start of container tk-no-such-container failed: No such container: tk-no-such-container$/);
    await rejectsWith(docker.stopContainer('tk-no-such-container'), 'engine-error');
  });

  test('removeImage refuses an image a container uses, and says so', async () => {
    const id = await docker.createContainer({
      name: `tk-holder-${RUN}`,
      image: imageId,
      labels: {},
      config: { ...emptyContainerConfig(), networkMode: 'none', ports: [{ target: 80, protocol: 'tcp', published: 18080, hostIp: '127.0.0.1' }] },
    });
    cleanups.push(() => docker.removeContainer(id));
    const raw = (await rawGet(engine, `/containers/${id}/json`)) as { HostConfig: { PortBindings: unknown } };
    assert.deepEqual(raw.HostConfig.PortBindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }] });

    const error = await rejectsWith(docker.removeImage(imageId), 'engine-error');
    assert.match(error.message, new RegExp(`^removal of image ${imageId} failed: it is in use`));
    assert.ok(await docker.inspectImage(imageId), 'the image is still there');
    await docker.removeContainer(id);
  });

  test('volumes: create (idempotent), list by label, remove (idempotent)', async () => {
    const a = `tk-vol-a-${RUN}`;
    const b = `tk-vol-b-${RUN}`;
    await docker.createVolume(a, { [LABEL]: RUN, 'tagkeeper.app': 'one' });
    await docker.createVolume(a, { [LABEL]: RUN, 'tagkeeper.app': 'one' });
    await docker.createVolume(b, { [LABEL]: RUN, 'tagkeeper.app': 'two' });
    cleanups.push(() => docker.removeVolume(a), () => docker.removeVolume(b));
    assert.deepEqual(await docker.listVolumes({ [LABEL]: RUN }), [a, b].sort());
    assert.deepEqual(await docker.listVolumes({ [LABEL]: RUN, 'tagkeeper.app': 'two' }), [b]);
    await docker.removeVolume(a);
    await docker.removeVolume(a);
    assert.deepEqual(await docker.listVolumes({ [LABEL]: RUN }), [b]);
    await docker.removeVolume(b);
    assert.deepEqual(await docker.listVolumes({ [LABEL]: RUN }), []);
  });

  describe('pulls from a real registry', () => {
    const registry = useRegistry();
    let digest: string;
    let pushedId: string;

    before(async () => {
      const local = `${registry.host}/busy:1`;
      pushedId = await importBusyboxImage(engine, local, 'marker-pushed');
      digest = await pushImage(engine, local);
      // Gone locally, so the pull downloads it again.
      await docker.removeImage(local);
      assert.equal(await docker.inspectImage(pushedId), null);
    });

    test('pull by digest reports layer progress and leaves the image with that repo digest', async () => {
      const reference = `${registry.host}/busy@${digest}`;
      const messages: PullMessage[] = [];
      const tracker = createPullTracker(reference, Date.now);
      await docker.pullImage(reference, (message) => {
        messages.push(message);
        tracker.update(message);
      });
      const statuses = messages.map((m) => m.status);
      assert.ok(statuses.includes('Pulling fs layer'), statuses.join(' | '));
      assert.ok(statuses.includes('Pull complete'), statuses.join(' | '));
      assert.ok(statuses.includes(`Digest: ${digest}`), statuses.join(' | '));
      assert.ok(messages.some((m) => m.status === 'Downloading' && typeof m.total === 'number' && m.total > 0));
      const progress = tracker.snapshot();
      assert.equal(progress.layersTotal, 1);
      assert.equal(progress.layersDone, 1);
      assert.ok(progress.bytesTotal > 0);
      assert.equal(progress.bytesDone, progress.bytesTotal);

      const image = await docker.inspectImage(reference);
      assert.ok(image);
      assert.equal(image.id, pushedId, 'same config, same image id');
      assert.ok(image.repoDigests.includes(reference), image.repoDigests.join(', '));
    });

    test('pull of a digest the registry does not have is pull-failed with the engine reason', async () => {
      const reference = `${registry.host}/busy@sha256:${'0'.repeat(64)}`;
      const error = await rejectsWith(docker.pullImage(reference, () => {}), 'pull-failed');
      assert.match(error.message, new RegExp(`^pull of ${reference.replace(/[.]/g, '\\.')} failed: .+`));
      assert.match(error.message, /not found|manifest unknown/i);
    });

    test('a pull aborted through its signal is cancelled', async () => {
      await docker.removeImage(`${registry.host}/busy@${digest}`);
      await docker.removeImage(pushedId);
      const controller = new AbortController();
      const reference = `${registry.host}/busy@${digest}`;
      const error = await rejectsWith(
        docker.pullImage(reference, () => controller.abort(), controller.signal),
        'cancelled',
      );
      assert.equal(error.message, `pull of ${reference} cancelled`);
      const early = new AbortController();
      early.abort();
      await rejectsWith(docker.pullImage(reference, () => {}, early.signal), 'cancelled');
    });
  });

  test('two engines run at once and both answer ping', async () => {
    const second = await startEngine({ name: 'second' });
    cleanups.push(() => second.stop());
    const other = createEngine({ dockerHost: second.dockerHost });
    await Promise.all([docker.ping(), other.ping()]);
    assert.notEqual(second.socketPath, engine.socketPath);
    // They are separate engines: the second has none of the first's images.
    assert.equal(await other.inspectImage(imageId), null);
    await second.stop();
  });
});

describe('adapter mappings (no engine needed)', () => {
  test('the endpoint: option, else $DOCKER_HOST, else the system socket; env never overrides a given one', () => {
    const empty = { HOME: '/nonexistent' };
    assert.equal(chooseEndpoint({ host: 'unix:///a.sock' }, { ...empty, DOCKER_HOST: 'tcp://h:1' }).host, 'unix:///a.sock');
    assert.equal(chooseEndpoint({}, { ...empty, DOCKER_HOST: 'tcp://h:1' }).host, 'tcp://h:1');
    assert.equal(chooseEndpoint({}, empty).host, 'unix:///var/run/docker.sock');
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'tcp://10.9.9.9:2375';
    try {
      const engine = createEngine({ dockerHost: 'unix:///tmp/tk-x.sock' }) as unknown as { docker: { modem: { socketPath?: string; host?: string } } };
      assert.equal(engine.docker.modem.socketPath, '/tmp/tk-x.sock');
      assert.equal(engine.docker.modem.host, undefined);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
    assert.deepEqual(
      { ...openConnection(chooseEndpoint({ host: 'tcp://[::1]:2380' }, {})).dockerode },
      {
        host: '::1', port: 2380, protocol: 'http', pathPrefix: '/', socketPath: undefined, ca: undefined, cert: undefined, key: undefined,
        timeout: undefined, username: undefined, agent: undefined,
      },
    );
  });

  test('engine platform: GOARCH and uname spellings, ARM variants', () => {
    assert.deepEqual(enginePlatform('linux', 'amd64'), { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(enginePlatform('linux', 'x86_64'), { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(enginePlatform('linux', 'arm64'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
    assert.deepEqual(enginePlatform('linux', 'aarch64'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
    assert.deepEqual(enginePlatform('linux', 'arm', 'armv7l'), { os: 'linux', architecture: 'arm', variant: 'v7' });
    assert.deepEqual(enginePlatform('linux', 'arm', 'armv6l'), { os: 'linux', architecture: 'arm', variant: 'v6' });
    assert.deepEqual(enginePlatform('linux', 'arm'), { os: 'linux', architecture: 'arm' });
    assert.deepEqual(enginePlatform('linux', 'i686'), { os: 'linux', architecture: '386' });
    assert.deepEqual(enginePlatform('linux', 'ppc64le'), { os: 'linux', architecture: 'ppc64le' });
  });

  test('pull references: a digest or tag goes in `tag`, no tag means latest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(splitReference(`127.0.0.1:5000/busy@${digest}`), { fromImage: '127.0.0.1:5000/busy', tag: digest });
    assert.deepEqual(splitReference(`docker.io/library/redis:7@${digest}`), { fromImage: 'docker.io/library/redis', tag: digest });
    assert.deepEqual(splitReference('127.0.0.1:5000/busy:1'), { fromImage: '127.0.0.1:5000/busy', tag: '1' });
    assert.deepEqual(splitReference('127.0.0.1:5000/busy'), { fromImage: '127.0.0.1:5000/busy', tag: 'latest' });
  });

  test('events: types outside container/image/volume are dropped; time is in ms', () => {
    assert.equal(mapEvent({ Type: 'network', Action: 'connect', Actor: { ID: 'n' }, timeNano: 1 }), null);
    assert.deepEqual(
      mapEvent({ Type: 'container', Action: 'die', Actor: { ID: 'c1', Attributes: { name: 'web', image: 'sha256:x', exitCode: '0', app: 'web' } }, time: 1700000000, timeNano: 1700000000123456789 }),
      { type: 'container', action: 'die', id: 'c1', labels: { app: 'web' }, time: 1700000000123 },
    );
  });
});
