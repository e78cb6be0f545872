/**
 * Round trip of the supported Compose keys: a Compose file → `app create --compose` → what
 * the engine reports for each container (`docker inspect`, read back into the one config
 * shape) is exactly the service as the Compose model says, for every key. A few raw
 * `docker inspect` fields are checked directly too, so the comparison is not only the
 * adapter checked against itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComposeDefinition } from '../../main/api/types/apps';
import { composeServiceConfig } from '../../main/core/apps/app-topology';
import { createEngine } from '../../main/engine/docker-engine';
import { before } from '../helpers/hooks';
import { publish, showApp } from '../helpers/lifecycle';
import { useSite } from '../helpers/site';
import { tempDir } from '../helpers/temp-dir';

const site = useSite();

const COMPOSE = `
x-common: &common
  restart: on-failure:3
  labels: {team: edge}
services:
  full:
    <<: *common
    image: \${REG}/keys:1
    pull_policy: missing
    entrypoint: ["/bin/sh", "-c"]
    command: ["trap 'exit 0' TERM; while true; do sleep 1; done"]
    environment:
      GREETING: "\${GREETING:-hello}"
      PRICE: "5$$"
    env_file: [./app.env]
    ports: ["127.0.0.1:18091:80", {target: 81, published: 18092, host_ip: 127.0.0.1, protocol: udp}]
    volumes:
      - data:/data
      - ./conf:/conf:ro
      - {type: tmpfs, target: /scratch, tmpfs: {size: 1048576}}
      - {type: volume, source: cache, target: /cache, read_only: true, volume: {nocopy: true}}
    tmpfs: [/run/tk]
    networks:
      front: {aliases: [full-alias]}
      back: {}
    healthcheck:
      test: ["CMD-SHELL", "true"]
      interval: 2s
      timeout: 3s
      retries: 4
      start_period: 1s
    user: "1001:1002"
    working_dir: /tmp
    hostname: full-host
    extra_hosts: ["gateway.example:10.0.0.1", "gateway.example:10.0.0.2"]
    logging: {driver: json-file, options: {max-size: 1m}}
    devices: ["/dev/null:/dev/tk-null:rwm"]
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    read_only: true
    init: true
    stop_signal: SIGINT
    stop_grace_period: 7s
    shm_size: 32m
    ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 512}
    sysctls: {net.ipv4.ip_unprivileged_port_start: "0"}
    security_opt: ["no-new-privileges:true"]
    mem_limit: 64m
    cpus: 0.5
    secrets: [token]
    configs: [{source: settings, target: /etc/settings.json}]
  alone:
    image: \${REG}/keys:1
    network_mode: none
    healthcheck: {disable: true}
    privileged: true
    user: "1001"
    deploy: {resources: {limits: {cpus: "0.25", memory: 32m}}}
    depends_on:
      full: {condition: service_healthy}
  beside:
    image: \${REG}/keys:1
    network_mode: "service:full"
    depends_on: [full]
  later:
    image: \${REG}/keys:1
    profiles: [debug]
networks:
  front: {}
  back: {internal: true, driver: bridge, name: keys-back}
volumes:
  data: {}
  cache: {driver: local, driver_opts: {type: tmpfs, device: tmpfs, o: size=1m}}
secrets:
  token: {file: ./token.txt}
configs:
  settings: {file: ./settings.json}
`;

let file: string;
let definition: ComposeDefinition;

before(async () => {
  await publish(site, 'keys', '1', 'keys-v1');
  const dir = tempDir('tk-keys-');
  mkdirSync(join(dir, 'conf'));
  writeFileSync(join(dir, 'conf', 'a'), 'a\n');
  writeFileSync(join(dir, 'app.env'), 'FROM_FILE=yes\n');
  writeFileSync(join(dir, 'token.txt'), 's3cret\n');
  writeFileSync(join(dir, 'settings.json'), '{}\n');
  file = join(dir, 'compose.yaml');
  writeFileSync(file, COMPOSE);
  const created = await site.cli(['app', 'create', 'keys', '--compose', file, '--json'], { REG: site.registry.host });
  assert.equal(created.code, 0, created.stderr);
  definition = ((await showApp(site, 'keys')) as unknown as { definition: ComposeDefinition }).definition;
});

test('every service runs exactly as its Compose definition says (the engine read back into the one config shape)', async () => {
  const engine = createEngine({ dockerHost: site.engine.dockerHost });
  assert.deepEqual(definition.project.services.map((s) => s.name), ['alone', 'beside', 'full'], 'the profile service is left out');
  for (const service of definition.project.services) {
    const info = await engine.inspectContainer(`keys-${service.name}-1`);
    assert.ok(info, `keys-${service.name}-1 exists`);
    assert.equal(info.status, 'running', `${service.name} runs`);
    assert.deepEqual(info.config, composeServiceConfig(definition, service), `${service.name}: what the engine runs is what the file says`);
  }
  assert.equal(await engine.inspectContainer('keys-later-1'), null);
});

test('docker inspect itself shows the keys (not only the adapter reading back what it wrote)', async () => {
  const full = await site.docker.getContainer('keys-full-1').inspect();
  assert.deepEqual(full.Config.Entrypoint, ['/bin/sh', '-c']);
  assert.ok(full.Config.Env.includes('PRICE=5$'), '$$ is a literal $');
  assert.ok(full.Config.Env.includes('FROM_FILE=yes'), 'env_file');
  assert.ok(full.Config.Env.includes('GREETING=hello'), 'default of an unset variable');
  assert.equal(full.Config.Labels.team, 'edge', 'merged from the x- anchor');
  assert.deepEqual(full.HostConfig.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
  assert.deepEqual(full.HostConfig.PortBindings['80/tcp'], [{ HostIp: '127.0.0.1', HostPort: '18091' }]);
  assert.deepEqual(full.HostConfig.PortBindings['81/udp'], [{ HostIp: '127.0.0.1', HostPort: '18092' }]);
  assert.equal(full.HostConfig.ReadonlyRootfs, true);
  assert.equal(full.HostConfig.Init, true);
  assert.equal(full.HostConfig.Memory, 64 * 1024 * 1024);
  assert.equal(full.HostConfig.NanoCpus, 500_000_000);
  assert.equal(full.HostConfig.ShmSize, 32 * 1024 * 1024);
  assert.deepEqual(full.HostConfig.Devices, [{ PathOnHost: '/dev/null', PathInContainer: '/dev/tk-null', CgroupPermissions: 'rwm' }]);
  const stop = full.Config as unknown as { StopSignal: string; StopTimeout: number };
  assert.equal(stop.StopSignal, 'SIGINT');
  assert.equal(stop.StopTimeout, 7);
  assert.equal(full.Config.Hostname, 'full-host');
  assert.deepEqual(full.Config.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 2e9, Timeout: 3e9, StartPeriod: 1e9, Retries: 4 });
  assert.deepEqual(Object.keys(full.NetworkSettings.Networks).sort(), ['keys-back', 'keys_front']);
  assert.ok(full.NetworkSettings.Networks.keys_front.Aliases?.includes('full-alias'));
  const mounts = Object.fromEntries(full.Mounts.map((m) => [m.Destination, m]));
  assert.equal(mounts['/conf'].Source, join(file, '..', 'conf'));
  assert.equal(mounts['/run/secrets/token'].Source, join(file, '..', 'token.txt'));
  assert.equal(mounts['/run/secrets/token'].RW, false);
  assert.equal(mounts['/etc/settings.json'].Source, join(file, '..', 'settings.json'));
  assert.equal(mounts['/data'].Name, 'keys_data');
  const back = await site.docker.getNetwork('keys-back').inspect();
  assert.equal(back.Internal, true);
  const alone = await site.docker.getContainer('keys-alone-1').inspect();
  assert.equal(alone.HostConfig.NetworkMode, 'none');
  assert.deepEqual(alone.Config.Healthcheck?.Test, ['NONE']);
  assert.equal(alone.HostConfig.Memory, 32 * 1024 * 1024);
  assert.equal(alone.HostConfig.NanoCpus, 250_000_000);
  const beside = await site.docker.getContainer('keys-beside-1').inspect();
  assert.equal(beside.HostConfig.NetworkMode, `container:${full.Id}`);
});
