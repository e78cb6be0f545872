/**
 * What apps from Compose files need of the engine adapter, against a private Docker daemon
 * (Debian's docker.io 20.10, API 1.41, started with --bridge=none --iptables=false) and images
 * from test/helpers/image-builder.ts pulled from a private registry:
 *
 * - every ContainerConfig field goes into the container and comes back from inspect unchanged,
 *   and the engine does what it says (checked from inside the container and from the host);
 * - containers on a user-defined network reach each other by name and by alias;
 * - networks and volumes: create (idempotent, owner-checked), list, inspect, remove;
 * - a spec that sets nothing reads back as nothing set, whatever the image and engine filled in.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyContainerConfig } from '../../main/core/apps/container-config';
import type { ContainerConfig, ContainerSpec } from '../../main/core/ports/engine-port';
import { createEngine, type DockerEngine } from '../../main/engine';
import { olderThan } from '../../main/engine/api-versions';
import { configOfContainer, type ConfigContext, type RawConfigInspect } from '../../main/engine/map-container-config';
import type { TestEngine } from '../helpers/engine';
import { containerOutput, rawGet, rejectsWith, waitFor } from '../helpers/engine-checks';
import { before, stopBefore } from '../helpers/hooks';
import { publishTo } from '../helpers/image-builder';
import { useSite } from '../helpers/site';

const RUN = randomBytes(4).toString('hex');
const LABEL = 'tagkeeper.test.run';
const MiB = 1024 * 1024;
const T = { timeout: 180_000 };

/** A port on 127.0.0.1 that nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `sh -c` script lines that print one `key=value` fact each, then wait for TERM. */
function reportThenWait(lines: string[]): string[] {
  return [...lines, 'echo report-done', "trap 'exit 0' TERM", 'while true; do sleep 1; done'];
}

/** The `key=value` facts a container printed, once it printed `report-done`. */
async function factsOf(engine: TestEngine, id: string): Promise<Record<string, string>> {
  let output = '';
  await waitFor(`the report of container ${id}`, async () => (output = await containerOutput(engine, id)).includes('report-done'), 90_000);
  return Object.fromEntries(output.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

describe('Compose settings through the engine adapter (private engine and registry)', () => {
  const site = useSite();
  let docker: DockerEngine;
  /** Image with defaults of its own for everything an image can say (see `imageConfig`). */
  let imageId: string;
  const cleanups: (() => Promise<void> | void)[] = [];
  const labels = { [LABEL]: RUN, 'tagkeeper.app': 'compose-test' };

  /** The image's own settings: a container that sets none of these must still read back as setting none. */
  const imageConfig = {
    Entrypoint: ['/bin/sh', '-c'],
    User: '1000:1000',
    WorkingDir: '/srv',
    ExposedPorts: { '8080/tcp': {} },
    StopSignal: 'SIGQUIT',
  };

  before(async () => {
    docker = createEngine({ dockerHost: site.engine.dockerHost });
    const image = await publishTo(site.registry, 'compose/busy', '1', `compose-${RUN}`, {
      cmd: ["trap 'exit 0' TERM; while true; do sleep 1; done"],
      env: ['IMAGE_ONLY=yes', 'SHARED=from-image'],
      healthcheck: { test: ['CMD', 'true'], intervalSeconds: 30, retries: 2 },
      files: { '/www/index.html': 'hello from the server\n' },
      config: imageConfig,
    });
    await docker.pullImage(`${site.registry.host}/compose/busy@${image.manifestDigest}`, () => {});
    imageId = image.configDigest;
  });

  stopBefore(site, async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // keep cleaning up the rest
      }
    }
  });

  const create = async (name: string, config: ContainerConfig): Promise<string> => {
    const id = await docker.createContainer({ name, image: imageId, labels, config });
    cleanups.push(() => docker.removeContainer(id));
    return id;
  };

  const network = async (name: string): Promise<string> => {
    await docker.createNetwork({ name, driver: null, driverOpts: {}, internal: false, labels });
    cleanups.push(() => docker.removeNetwork(name));
    return name;
  };

  test('every ContainerConfig field goes in and comes back from inspect unchanged, and the engine honours it', T, async () => {
    const back = await network(`tk-back-${RUN}`);
    const front = await network(`tk-front-${RUN}`);
    const volume = `tk-data-${RUN}`;
    await docker.createVolume(volume, labels);
    cleanups.push(() => docker.removeVolume(volume));
    const hostDir = mkdtempSync(join(tmpdir(), 'tk-bind-'));
    cleanups.push(() => rmSync(hostDir, { recursive: true, force: true }));
    chmodSync(hostDir, 0o755); // the container runs as user 1001
    writeFileSync(join(hostDir, 'hello.txt'), 'from the host\n');
    const missing = join(hostDir, 'made', 'by-engine');
    const port = await freePort();

    const config: ContainerConfig = {
      entrypoint: ['/bin/busybox', 'sh', '-c'],
      command: [
        reportThenWait([
          'echo "user=$(busybox id -u):$(busybox id -g)"',
          'echo "cwd=$(pwd)"',
          'echo "hostname=$(busybox hostname)"',
          'echo "env=$GREETING/$SHARED/$IMAGE_ONLY"',
          'echo "nofile=$(ulimit -Sn)/$(ulimit -Hn)"',
          'echo "port-start=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)"',
          'echo "memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)"',
          'echo "cpu-quota=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max)"',
          'echo "pid1=$(busybox tr "\\0" " " < /proc/1/cmdline | busybox cut -d" " -f1)"',
          'echo "no-new-privs=$(busybox grep NoNewPrivs /proc/self/status | busybox cut -f2)"',
          'echo "device=$(ls -l /dev/tk-null | busybox cut -c1)"',
          'echo "hosts=$(busybox grep -E "db[.]local|v6[.]local" /etc/hosts | busybox tr -s "\\t " " " | busybox tr "\\n" ";")"',
          'for target in /dev/shm /run /scratch /host /made /data /; do echo "mount:$target=$(busybox awk -v t=$target \'$2 == t { print $1, $3, $4 }\' /proc/mounts)"; done',
          'echo "host-file=$(cat /host/hello.txt)"',
          'echo "rootfs-write=$(touch /tk-probe 2>/dev/null && echo yes || echo refused)"',
          'busybox httpd -p 80 -h /host && echo "httpd=up" || echo "httpd=failed"',
        ]).join('\n'),
      ],
      environment: { EMPTY: '', GREETING: 'hello', SHARED: 'from-spec' },
      ports: [
        { target: 80, published: port, hostIp: '127.0.0.1', protocol: 'tcp' },
        { target: 5353, published: null, hostIp: null, protocol: 'udp' },
      ],
      mounts: [
        { type: 'volume', source: volume, target: '/data', readOnly: false, noCopy: true, subpath: null },
        { type: 'bind', source: hostDir, target: '/host', readOnly: true, createHostPath: false, propagation: 'rprivate', selinux: null },
        { type: 'bind', source: missing, target: '/made', readOnly: false, createHostPath: true, propagation: null, selinux: null },
        { type: 'tmpfs', target: '/scratch', readOnly: false, sizeBytes: 2 * MiB, mode: 0o770 },
      ],
      tmpfs: { '/run': 'size=64k' },
      networkMode: null,
      networks: { [back]: { aliases: ['api', 'backend'] }, [front]: { aliases: ['web', 'www'] } },
      healthcheck: { test: ['CMD-SHELL', 'test -d /scratch'], intervalNs: 2e9, timeoutNs: 3e9, startPeriodNs: 4e9, startIntervalNs: null, retries: 5 },
      restart: { policy: 'on-failure', maxRetries: 3 },
      user: '1001:1002',
      workingDir: '/work',
      hostname: 'tk-host',
      extraHosts: { 'db.local': ['10.0.0.5', '10.0.0.6'], 'v6.local': ['fd00::1'] },
      logging: { driver: 'json-file', options: { 'max-file': '2', 'max-size': '1m' } },
      privileged: true,
      readOnly: true,
      init: true,
      capAdd: ['CAP_NET_ADMIN', 'CAP_SYS_TIME'],
      capDrop: ['CAP_MKNOD'],
      devices: [{ source: '/dev/null', target: '/dev/tk-null', permissions: 'rwm' }],
      securityOpt: ['no-new-privileges:true'],
      sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
      ulimits: { nofile: { soft: 1024, hard: 2048 } },
      stopSignal: 'SIGUSR1',
      stopGracePeriodNs: 7e9,
      shmSizeBytes: 32 * MiB,
      memoryLimitBytes: 64 * MiB,
      nanoCpus: 0.5e9,
    };
    const name = `tk-all-${RUN}`;
    const id = await create(name, config);

    const created = await docker.inspectContainer(name);
    assert.deepEqual(created?.config, config);

    // What the engine holds, read without the adapter's mapping.
    const raw = (await rawGet(site.engine, `/containers/${id}/json`)) as {
      Config: { Env: string[]; StopTimeout: number; Healthcheck: unknown; Hostname: string; Entrypoint: string[] };
      HostConfig: { Binds: string[]; Mounts: unknown[]; CapAdd: string[]; Memory: number; NanoCpus: number; ShmSize: number; SecurityOpt: string[]; NetworkMode: string; LogConfig: unknown };
      NetworkSettings: { Networks: Record<string, { Aliases: string[] }> };
    };
    assert.deepEqual(raw.HostConfig.Binds, [`${missing}:/made:rw`]);
    assert.deepEqual(raw.HostConfig.Mounts, [
      { Type: 'volume', Source: volume, Target: '/data', VolumeOptions: { NoCopy: true } },
      { Type: 'bind', Source: hostDir, Target: '/host', ReadOnly: true, BindOptions: { Propagation: 'rprivate' } },
      { Type: 'tmpfs', Target: '/scratch', TmpfsOptions: { SizeBytes: 2 * MiB, Mode: 0o770 } },
    ]);
    assert.equal(raw.HostConfig.NetworkMode, back, 'created on the first network');
    assert.deepEqual(raw.NetworkSettings.Networks[back].Aliases, ['api', 'backend']);
    assert.deepEqual(raw.NetworkSettings.Networks[front].Aliases.slice(0, 2), ['web', 'www'], 'connected with its aliases before createContainer returned');
    assert.deepEqual(raw.Config.Healthcheck, { Test: ['CMD-SHELL', 'test -d /scratch'], Interval: 2e9, Timeout: 3e9, StartPeriod: 4e9, Retries: 5 });
    assert.equal(raw.Config.StopTimeout, 7);
    assert.deepEqual(raw.HostConfig.CapAdd, ['CAP_NET_ADMIN', 'CAP_SYS_TIME']);
    assert.deepEqual([raw.HostConfig.Memory, raw.HostConfig.NanoCpus, raw.HostConfig.ShmSize], [64 * MiB, 0.5e9, 32 * MiB]);
    assert.deepEqual(raw.HostConfig.SecurityOpt, ['no-new-privileges:true', 'label=disable'], 'the engine adds label=disable to a privileged container');
    assert.deepEqual(raw.Config.Env.sort(), ['EMPTY=', 'GREETING=hello', 'IMAGE_ONLY=yes', `PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, 'SHARED=from-spec']);

    const listed = await docker.listContainers({ [LABEL]: RUN });
    assert.deepEqual(listed.find((c) => c.id === id)?.config, config, 'listContainers maps the same config');

    await docker.startContainer(id);
    const facts = await factsOf(site.engine, id);
    // Started, the engine adds the short id and the hostname to the aliases on user-defined networks.
    const started = (await rawGet(site.engine, `/containers/${id}/json`)) as typeof raw;
    assert.deepEqual(started.NetworkSettings.Networks[back].Aliases, ['api', 'backend', id.slice(0, 12), 'tk-host']);
    assert.deepEqual((await docker.inspectContainer(id))?.config, config, 'the same after start');

    assert.equal(facts.user, '1001:1002');
    assert.equal(facts.cwd, '/work');
    assert.equal(facts.hostname, 'tk-host');
    assert.equal(facts.env, 'hello/from-spec/yes');
    assert.equal(facts.nofile, '1024/2048');
    assert.equal(facts['port-start'], '0');
    assert.equal(facts.memory, String(64 * MiB));
    assert.match(facts['cpu-quota'], /^50000( 100000)?$/);
    assert.equal(facts.pid1, '/sbin/docker-init');
    assert.equal(facts['no-new-privs'], '1');
    assert.equal(facts.device, 'c');
    assert.equal(facts.hosts, '10.0.0.5 db.local;10.0.0.6 db.local;fd00::1 v6.local;');
    assert.match(facts['mount:/dev/shm'], /^shm tmpfs .*size=32768k/);
    assert.match(facts['mount:/run'], /^tmpfs tmpfs .*size=64k/);
    assert.match(facts['mount:/scratch'], /^tmpfs tmpfs .*size=2048k,mode=770/);
    assert.match(facts['mount:/host'], /^\S+ \S+ ro,/);
    assert.match(facts['mount:/made'], /^\S+ \S+ rw,/);
    assert.match(facts['mount:/'], /^overlay overlay ro,/);
    assert.equal(facts['host-file'], 'from the host');
    assert.equal(facts['rootfs-write'], 'refused');
    assert.equal(facts.httpd, 'up', 'a non-root user binds port 80: the sysctl took effect');
    const answer = await fetch(`http://127.0.0.1:${port}/hello.txt`);
    assert.equal(await answer.text(), 'from the host\n', 'the published port reaches the container');
  });

  test('settings this engine cannot honour are refused or fail with its reason, not dropped', T, async () => {
    const version = (await rawGet(site.engine, '/version')) as { ApiVersion: string };
    assert.ok(olderThan(version.ApiVersion, '1.44'), `this suite expects Debian's docker.io 20.10 (API 1.41), found API ${version.ApiVersion}`);
    const base = { ...emptyContainerConfig(), networkMode: 'none' as const };

    // API 1.41 ignores Healthcheck.StartInterval and VolumeOptions.Subpath without a word: the adapter refuses them.
    const interval = await rejectsWith(
      docker.createContainer({ name: `tk-si-${RUN}`, image: imageId, labels, config: { ...base, healthcheck: { test: ['CMD', 'true'], intervalNs: null, timeoutNs: null, startPeriodNs: null, startIntervalNs: 1e9, retries: null } } }),
      'engine-error',
    );
    assert.equal(
      interval.message,
      `creation of container tk-si-${RUN} refused: a health check start interval needs Docker Engine API 1.44 (Docker 25) or newer, and this engine speaks ${version.ApiVersion}`,
    );
    assert.equal(interval.hint, 'remove start_interval from the healthcheck of the service, or upgrade the Docker Engine');
    const subpath = await rejectsWith(
      docker.createContainer({ name: `tk-sp-${RUN}`, image: imageId, labels, config: { ...base, mounts: [{ type: 'volume', source: `tk-sp-${RUN}`, target: '/data', readOnly: false, noCopy: false, subpath: 'sub' }] } }),
      'engine-error',
    );
    assert.match(subpath.message, /refused: a volume subpath needs Docker Engine API 1\.45 \(Docker 26\) or newer/);
    assert.equal(await docker.inspectContainer(`tk-si-${RUN}`), null);
    assert.equal(await docker.inspectContainer(`tk-sp-${RUN}`), null);

    // Bind propagation rslave is kept and read back, but this host's /tmp is a private mount: the engine refuses to start it.
    const hostDir = mkdtempSync(join(tmpdir(), 'tk-slave-'));
    cleanups.push(() => rmSync(hostDir, { recursive: true, force: true }));
    const slave: ContainerConfig = { ...base, mounts: [{ type: 'bind', source: hostDir, target: '/host', readOnly: false, createHostPath: false, propagation: 'rslave', selinux: null }] };
    const id = await create(`tk-slave-${RUN}`, slave);
    assert.deepEqual((await docker.inspectContainer(id))?.config, slave);
    const refused = await rejectsWith(docker.startContainer(id), 'engine-error');
    assert.equal(refused.message, `start of container ${id} failed: path ${hostDir} is mounted on / but it is not a shared or slave mount`);

    // A privileged container running as root needs every capability, and this machine's own bounding set lacks CAP_SYS_RESOURCE.
    const root = await create(`tk-root-${RUN}`, { ...base, privileged: true, user: '0' });
    const noCaps = await rejectsWith(docker.startContainer(root), 'engine-error');
    assert.match(noCaps.message, /unable to apply caps: operation not permitted/);
  });

  test('containers on a user-defined network reach each other by name and by alias, on the first network and on a connected one', T, async () => {
    const first = await network(`tk-first-${RUN}`);
    const second = await network(`tk-second-${RUN}`);
    const server = `tk-server-${RUN}`;
    const serverId = await create(server, {
      ...emptyContainerConfig(),
      command: ['busybox httpd -f -p 8080 -h /www'],
      networks: { [first]: { aliases: ['backend'] }, [second]: { aliases: ['late-alias'] } },
    });
    // An HTTP GET by hand over busybox nc: Debian's static busybox wget dies of a segmentation fault in
    // these images (its static glibc finds none of its NSS libraries there); nc resolves names fine.
    // Each target is tried until it answers, up to `tries` times (once its network's DNS answered, one try tells).
    const fetchAll = (targets: [string, number][]) =>
      reportThenWait([
        "get() { printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 2 \"$1\" 8080 2>/dev/null | busybox tail -n 1; }",
        ...targets.map(([t, tries]) => `i=0; r=''; while [ -z "$r" ] && [ $i -lt ${tries} ]; do r=$(get ${t}); i=$((i+1)); [ -z "$r" ] && [ $i -lt ${tries} ] && sleep 1; done; echo "${t}=$r"`),
      ]).join('\n');
    const client = await create(`tk-client-${RUN}`, { ...emptyContainerConfig(), command: [fetchAll([[server, 30], ['backend', 30]])], networks: { [first]: { aliases: [] } } });
    const lateClient = await create(`tk-late-${RUN}`, { ...emptyContainerConfig(), command: [fetchAll([['late-alias', 30], ['backend', 1]])], networks: { [second]: { aliases: [] } } });
    await docker.startContainer(serverId);
    await docker.startContainer(client);
    await docker.startContainer(lateClient);

    assert.deepEqual(await factsOf(site.engine, client), { [server]: 'hello from the server', backend: 'hello from the server' });
    // On the second network the server answers to its alias there, not to the first network's.
    assert.deepEqual(await factsOf(site.engine, lateClient), { 'late-alias': 'hello from the server', backend: '' });
    assert.deepEqual((await docker.inspectContainer(serverId))?.config.networks, { [first]: { aliases: ['backend'] }, [second]: { aliases: ['late-alias'] } });
  });

  test('networks: create is idempotent for the same owner, refused for another; list, inspect, remove', T, async () => {
    const name = `tk-net-${RUN}`;
    const spec = {
      name,
      driver: 'bridge',
      driverOpts: { 'com.docker.network.driver.mtu': '1400' },
      internal: true,
      labels: { 'com.docker.compose.project': 'shop', 'tagkeeper.app': 'shop', [LABEL]: RUN },
    };
    await docker.createNetwork(spec);
    cleanups.push(() => docker.removeNetwork(name));
    await docker.createNetwork(spec); // the same owner: fine
    await docker.createNetwork({ ...spec, labels: { ...spec.labels, extra: 'label' } }); // owner labels decide

    const info = await docker.inspectNetwork(name);
    assert.ok(info);
    assert.match(info.id, /^[0-9a-f]{64}$/);
    assert.deepEqual(info, { id: info.id, name, labels: spec.labels, driver: 'bridge', driverOpts: spec.driverOpts, internal: true });
    assert.deepEqual(await docker.inspectNetwork(info.id), info);
    assert.equal(await docker.inspectNetwork(info.id.slice(0, 6)), null, 'an id prefix is not the network');
    assert.equal(await docker.inspectNetwork(`tk-none-${RUN}`), null);
    assert.deepEqual(await docker.listNetworks({ [LABEL]: RUN, 'com.docker.compose.project': 'shop' }), [info]);
    assert.deepEqual(await docker.listNetworks({ [LABEL]: RUN, 'tagkeeper.app': 'other' }), []);
    const raw = (await rawGet(site.engine, `/networks/${info.id}`)) as { Driver: string; Internal: boolean; Options: Record<string, string> };
    assert.deepEqual([raw.Driver, raw.Internal, raw.Options], ['bridge', true, { 'com.docker.network.driver.mtu': '1400' }]);

    const other = await rejectsWith(docker.createNetwork({ ...spec, labels: { 'com.docker.compose.project': 'blog', 'tagkeeper.app': 'blog' } }), 'engine-error');
    assert.equal(other.message, `creation of network ${name} failed: a network of that name exists already and belongs to Tagkeeper app shop (Compose project shop)`);
    assert.equal(other.hint, `remove that network (docker network rm ${name}) if nothing uses it, or give this one another name (name: under the network in the Compose file)`);
    const foreign = `tk-foreign-${RUN}`;
    await site.docker.createNetwork({ Name: foreign, Labels: { 'com.docker.compose.project': 'blog' } });
    cleanups.push(() => docker.removeNetwork(foreign));
    const compose = await rejectsWith(docker.createNetwork({ ...spec, name: foreign }), 'engine-error');
    assert.match(compose.message, /belongs to Compose project blog \(made by docker compose, not by Tagkeeper\)$/);

    // In use: refused with what to do; once free, removed; gone is fine.
    const id = await create(`tk-on-net-${RUN}`, { ...emptyContainerConfig(), networks: { [name]: { aliases: [] } } });
    await docker.startContainer(id);
    const inUse = await rejectsWith(docker.removeNetwork(name), 'engine-error');
    assert.match(inUse.message, new RegExp(`^removal of network ${name} failed: containers still use it \\(.*has active endpoints\\)$`));
    assert.equal(inUse.hint, `stop and remove the containers on it first (docker network inspect ${name} lists them)`);
    await docker.removeContainer(id);
    await docker.removeNetwork(name);
    await docker.removeNetwork(name);
    assert.equal(await docker.inspectNetwork(name), null);
  });

  test('a network that cannot be connected: the half-made container is removed and the engine says why', T, async () => {
    const first = await network(`tk-ok-${RUN}`);
    const name = `tk-half-${RUN}`;
    const spec: ContainerSpec = { name, image: imageId, labels, config: { ...emptyContainerConfig(), networks: { [first]: { aliases: [] }, host: { aliases: ['x'] } } } };
    const error = await rejectsWith(docker.createContainer(spec), 'engine-error');
    assert.equal(
      error.message,
      `connection of container ${name} to network host failed: network-scoped alias is supported only for containers in user defined networks (the container was removed again)`,
    );
    assert.equal(error.hint, 'make sure network host exists and the container may join it (docker network ls), then create the container again');
    assert.equal(await docker.inspectContainer(name), null);

    // A network that does not exist: the engine connects a container that is not running to it all
    // the same (it records the name), and the start fails, naming the network.
    const missing = `tk-missing-${RUN}`;
    const id = await create(`tk-later-${RUN}`, { ...emptyContainerConfig(), networks: { [first]: { aliases: [] }, [missing]: { aliases: ['x'] } } });
    const start = await rejectsWith(docker.startContainer(id), 'engine-error');
    assert.equal(start.message, `start of container ${id} failed: network ${missing} not found`);
  });

  test('volumes: driver and driver options reach the engine; inspect reports them; the two-argument create still works', T, async () => {
    const tmpfs = `tk-tmpfs-${RUN}`;
    const options = { driver: 'local', driverOpts: { device: 'tmpfs', o: 'size=8m', type: 'tmpfs' } };
    await docker.createVolume(tmpfs, labels, options);
    cleanups.push(() => docker.removeVolume(tmpfs));
    await docker.createVolume(tmpfs, labels, options); // exists: fine
    assert.deepEqual(await docker.inspectVolume(tmpfs), { name: tmpfs, labels, ...options });
    const plain = `tk-plain-${RUN}`;
    await docker.createVolume(plain, labels);
    cleanups.push(() => docker.removeVolume(plain));
    assert.deepEqual(await docker.inspectVolume(plain), { name: plain, labels, driver: 'local', driverOpts: {} });
    assert.equal(await docker.inspectVolume(`tk-none-${RUN}`), null);

    const id = await create(`tk-vol-${RUN}`, {
      ...emptyContainerConfig(),
      networkMode: 'none',
      command: [reportThenWait(['echo "mount=$(busybox awk \'$2 == "/data" { print $3, $4 }\' /proc/mounts)"']).join('\n')],
      mounts: [{ type: 'volume', source: tmpfs, target: '/data', readOnly: false, noCopy: false, subpath: null }],
    });
    await docker.startContainer(id);
    assert.match((await factsOf(site.engine, id)).mount, /^tmpfs rw,.*size=8192k/);
  });

  test('a spec that sets nothing reads back as nothing set, though the image and the engine filled in much', T, async () => {
    const config: ContainerConfig = { ...emptyContainerConfig(), environment: { ONLY: 'this' }, restart: { policy: 'unless-stopped', maxRetries: 0 } };
    const id = await create(`tk-empty-${RUN}`, config);
    assert.deepEqual((await docker.inspectContainer(id))?.config, config);

    const raw = (await rawGet(site.engine, `/containers/${id}/json`)) as {
      Config: Record<string, unknown> & { Env: string[] };
      HostConfig: { NetworkMode: string; ShmSize: number; LogConfig: unknown; SecurityOpt: unknown; Init: unknown };
      NetworkSettings: { Networks: Record<string, unknown> };
    };
    // What the engine filled in, each read back as "not set".
    assert.equal(raw.Config.Hostname, id.slice(0, 12));
    assert.deepEqual(raw.Config.Entrypoint, imageConfig.Entrypoint);
    assert.deepEqual(raw.Config.Cmd, ["trap 'exit 0' TERM; while true; do sleep 1; done"]);
    assert.equal(raw.Config.User, imageConfig.User);
    assert.equal(raw.Config.WorkingDir, imageConfig.WorkingDir);
    assert.equal(raw.Config.StopSignal, imageConfig.StopSignal);
    assert.deepEqual(raw.Config.ExposedPorts, imageConfig.ExposedPorts);
    assert.deepEqual(raw.Config.Healthcheck, { Test: ['CMD', 'true'], Interval: 30e9, Retries: 2 });
    assert.deepEqual(raw.Config.Env, ['ONLY=this', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'IMAGE_ONLY=yes', 'SHARED=from-image']);
    assert.equal(raw.HostConfig.NetworkMode, 'default');
    assert.equal(raw.HostConfig.ShmSize, 64 * MiB);
    assert.deepEqual(raw.HostConfig.LogConfig, { Type: 'json-file', Config: {} });

    // This daemon runs with --bridge=none: the default network is no network, and the container still starts.
    await docker.startContainer(id);
    const running = await docker.inspectContainer(id);
    assert.equal(running?.status, 'running');
    assert.deepEqual(running?.config, config);
    const started = (await rawGet(site.engine, `/containers/${id}/json`)) as { Config: { NetworkDisabled?: boolean }; NetworkSettings: { Networks: Record<string, unknown> } };
    assert.equal(started.Config.NetworkDisabled, true);
    assert.deepEqual(Object.keys(started.NetworkSettings.Networks), ['bridge']);
  });

  test('network modes read back as given: host, none, and container:NAME (the engine keeps an id)', T, async () => {
    const host = await create(`tk-hostnet-${RUN}`, { ...emptyContainerConfig(), networkMode: 'host' });
    const none = await create(`tk-nonet-${RUN}`, { ...emptyContainerConfig(), networkMode: 'none' });
    const sharer = await create(`tk-sharer-${RUN}`, { ...emptyContainerConfig(), networkMode: `container:tk-nonet-${RUN}` });
    for (const id of [host, none]) await docker.startContainer(id);
    await docker.startContainer(sharer);
    assert.equal(((await rawGet(site.engine, `/containers/${sharer}/json`)) as { HostConfig: { NetworkMode: string } }).HostConfig.NetworkMode, `container:${none}`);
    assert.deepEqual((await docker.inspectContainer(host))?.config, { ...emptyContainerConfig(), networkMode: 'host' });
    assert.deepEqual((await docker.inspectContainer(none))?.config, { ...emptyContainerConfig(), networkMode: 'none' });
    assert.deepEqual((await docker.inspectContainer(sharer))?.config, { ...emptyContainerConfig(), networkMode: `container:tk-nonet-${RUN}` });
  });
});

describe('inspect → ContainerConfig, the cases a spec-made container does not show (no engine needed)', () => {
  const id = 'abcdef0123456789'.repeat(4);
  const context: ConfigContext = { image: null, loggingDriver: 'json-file', hostName: 'box', sharedWith: null };
  const map = (raw: Partial<RawConfigInspect>, more: Partial<ConfigContext> = {}) => configOfContainer({ Id: id, ...raw }, { ...context, ...more });

  test('Binds: a host path with its flags, a named volume with nocopy', () => {
    const config = map({ HostConfig: { Binds: ['/srv/a:/a:ro,Z,rshared', 'cache:/c:nocopy', '/srv/b:/b'] } });
    assert.deepEqual(config.mounts, [
      { type: 'bind', source: '/srv/a', target: '/a', readOnly: true, createHostPath: true, propagation: 'rshared', selinux: 'Z' },
      { type: 'bind', source: '/srv/b', target: '/b', readOnly: false, createHostPath: true, propagation: null, selinux: null },
      { type: 'volume', source: 'cache', target: '/c', readOnly: false, noCopy: true, subpath: null },
    ]);
  });

  test("values equal to the image's read back as not set; an own entrypoint keeps its command", () => {
    const image = { Cmd: ['serve'], Entrypoint: ['/init'], Env: ['PATH=/bin', 'MODE=prod'], User: 'app', WorkingDir: '/app', StopSignal: 'SIGINT', ExposedPorts: { '80/tcp': {} }, Healthcheck: { Test: ['CMD', 'ok'], Interval: 5e9, Retries: 3 } };
    const inherited = map({ Config: { ...image, Env: ['MODE=dev', 'PATH=/bin'], Healthcheck: { Test: ['CMD', 'ok'], Interval: 5e9, Timeout: 1e9, Retries: 3 } } }, { image });
    assert.deepEqual(
      [inherited.command, inherited.entrypoint, inherited.environment, inherited.user, inherited.workingDir, inherited.stopSignal, inherited.ports],
      [null, null, { MODE: 'dev' }, null, null, null, []],
    );
    assert.deepEqual(inherited.healthcheck, { test: null, intervalNs: null, timeoutNs: 1e9, startPeriodNs: null, startIntervalNs: null, retries: null });
    const own = map({ Config: { ...image, Entrypoint: ['/other'], Cmd: ['serve'], ExposedPorts: { '80/tcp': {}, '90/udp': {} } } }, { image });
    assert.deepEqual([own.entrypoint, own.command], [['/other'], ['serve']]);
    assert.deepEqual(own.ports, [{ target: 90, protocol: 'udp', published: null, hostIp: null }]);
  });

  test("the engine's own additions: short id and hostname aliases, hostname, label=disable, default logging and shm size", () => {
    const config = map({
      Config: { Hostname: id.slice(0, 12) },
      HostConfig: { NetworkMode: 'front', Privileged: true, SecurityOpt: ['label=disable', 'seccomp=unconfined'], LogConfig: { Type: 'json-file', Config: {} }, ShmSize: 64 * MiB, RestartPolicy: { Name: '', MaximumRetryCount: 0 } },
      NetworkSettings: { Networks: { front: { Aliases: ['web', id.slice(0, 12), 'web-host'] }, back: { Aliases: null } } },
    });
    assert.deepEqual(config.networks, { back: { aliases: [] }, front: { aliases: ['web'] } });
    assert.deepEqual([config.hostname, config.securityOpt, config.logging, config.shmSizeBytes, config.restart], [null, ['seccomp=unconfined'], null, null, { policy: 'no', maxRetries: 0 }]);
    assert.equal(map({ Config: { Hostname: 'box' }, HostConfig: { NetworkMode: 'host' } }).hostname, null, "a host-network container has the host's name");
    assert.deepEqual(map({ HostConfig: { LogConfig: { Type: 'json-file', Config: { 'max-size': '1m' } } } }).logging, { driver: 'json-file', options: { 'max-size': '1m' } });
    assert.deepEqual(map({ HostConfig: { LogConfig: { Type: 'journald', Config: {} } } }).logging, { driver: 'journald', options: {} });
    assert.deepEqual(map({ HostConfig: { CapAdd: ['net_admin', 'CAP_NET_ADMIN', 'ALL'] } }).capAdd, ['ALL', 'CAP_NET_ADMIN']);
  });

  test('container:ID reads back by the name of that container, or keeps the id when it is gone', () => {
    const raw = { HostConfig: { NetworkMode: `container:${'f'.repeat(64)}` } };
    assert.equal(map(raw, { sharedWith: 'db' }).networkMode, 'container:db');
    assert.equal(map(raw).networkMode, `container:${'f'.repeat(64)}`);
  });
});
