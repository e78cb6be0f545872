/**
 * Files written by exportCompose, read by a real Compose: Debian's docker-compose 1.29.2
 * (`docker-compose -f FILE --project-name P config`, no engine needed), in an environment
 * whose variables would change any unescaped `$`. Its output must name the same digests,
 * the same environment values (with `$` intact), commands, ports, bind sources, mounts,
 * health checks, start order and network, volume and secret names as the model.
 *
 * What docker-compose 1.29.2 cannot express (it refuses the file; the export writes the
 * Compose Specification form, which is what `docker compose` v2 reads):
 * (The export writes no top-level `name:`, which 1.29.2 refuses: its header says to start
 * the file with `-p NAME`, as this test does.)
 * - `depends_on.*.required: false` and `depends_on.*.restart: true`;
 * - `healthcheck.start_interval`;
 * - `bind.create_host_path` (a long-syntax bind mount that must not create its host folder,
 *   or whose path holds a `:`), `bind.selinux` there, `volume.subpath` and `tmpfs.mode`.
 * It accepts service `configs:` but ignores them outside a Swarm (it warns so).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportCompose, type ExportPin } from '../../main/core/compose/compose-export';
import type { ComposeMount, ComposeProject } from '../../main/api/types/compose';
import { loadCompose } from '../../main/core/compose/load-compose';
import { dockerComposeConfig, unescape, v1Command, v1Duration, v1Environment, v1HealthTest, v1Ports } from '../helpers/compose-v1';
import { digest, HOSTILE_VARIABLES, SHOP, SHOP_FILES, SHOP_PINNED, SHOP_PINS, SHOP_VARIABLES } from '../helpers/compose-export-fixture';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'tagkeeper-export-'));
});
after(() => rmSync(root, { recursive: true, force: true }));


/** Writes the source files into a folder of its own and loads them as Tagkeeper does. */
function loadSource(name: string, text: string): ComposeProject {
  const dir = join(root, name, 'source');
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries({ ...SHOP_FILES, 'compose.yaml': text })) writeFileSync(join(dir, path), content);
  return loadCompose({ file: join(dir, 'compose.yaml'), text, environment: { HOME: join(root, name, 'home'), ...SHOP_VARIABLES }, readFile: (path) => readFileSync(path, 'utf8') });
}

/** The exported file, in another folder. */
function writeExport(name: string, project: ComposeProject, pins: Record<string, ExportPin>): { file: string } {
  const dir = join(root, name, 'exported');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'exported.yml');
  writeFileSync(file, exportCompose(project, pins));
  return { file };
}

function compose1(file: string, project: string) {
  return dockerComposeConfig({ file, project, env: { HOME: join(root, 'elsewhere'), ...HOSTILE_VARIABLES } });
}

/** A mount as 1.29.2 prints it: `SOURCE:TARGET[:MODE]` (a bind that creates its host folder, or a named volume) or long syntax. */
function v1Mount(entry: unknown): Record<string, unknown> {
  if (typeof entry === 'string') {
    const [source, target, mode = 'rw'] = unescape(entry).split(':');
    const options = mode.split(',');
    const bind = source.startsWith('/');
    return {
      type: bind ? 'bind' : 'volume',
      source,
      target,
      readOnly: options.includes('ro'),
      ...(bind ? { createHostPath: true, selinux: options.find((o) => o === 'z' || o === 'Z') ?? null, propagation: options.find((o) => /^r?(shared|slave|private)$/.test(o)) ?? null } : { noCopy: options.includes('nocopy') }),
    };
  }
  const mount = entry as Record<string, any>;
  const common = { type: mount.type, target: mount.target, readOnly: mount.read_only === true };
  if (mount.type === 'tmpfs') return { ...common, sizeBytes: mount.tmpfs?.size ?? null };
  if (mount.type === 'volume') return { ...common, source: mount.source ?? null, noCopy: mount.volume?.nocopy === true };
  return { ...common, source: unescape(mount.source), createHostPath: false, selinux: null, propagation: mount.bind?.propagation ?? null };
}

/** The model's mount in the terms 1.29.2 prints. */
function modelMount(mount: ComposeMount): Record<string, unknown> {
  const common = { type: mount.type, target: mount.target, readOnly: mount.readOnly };
  if (mount.type === 'tmpfs') return { ...common, sizeBytes: mount.sizeBytes };
  if (mount.type === 'volume') return { ...common, source: mount.source, noCopy: mount.noCopy };
  return { ...common, source: mount.source, createHostPath: mount.createHostPath, selinux: mount.selinux, propagation: mount.propagation };
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
function v1Size(value: unknown): number | null {
  if (value === undefined) return null;
  const match = /^(\d+)([kmg]?)$/.exec(String(value));
  assert.ok(match, `${String(value)} is a size`);
  return Number(match[1]) * SIZE_UNITS[match[2]];
}

describe('docker-compose 1.29.2 reads an exported file as the model says', () => {
  test('it accepts the exported file as it is (with -p) and every service, network, volume and secret matches', () => {
    const project = loadSource('shop', SHOP);
    assert.deepEqual(project.services.map((s) => s.name), ['db', 'sidecar', 'vpn', 'web'], 'debugger (profile debug) is not in the model');
    const { file } = writeExport('shop', project, SHOP_PINS);

    const result = compose1(file, project.name);
    assert.ok(result.ok, result.ok ? '' : `docker-compose config failed: ${result.stderr}`);
    const config = result.config;

    assert.deepEqual(Object.keys(config.services).sort(), Object.keys(SHOP_PINNED).sort());
    for (const service of project.services) {
      const v1 = config.services[service.name];
      const label = service.name;
      assert.equal(v1.image, SHOP_PINNED[service.name], `${label} image`);
      assert.deepEqual(v1Environment(v1.environment), service.environment, `${label} environment`);
      assert.deepEqual(v1Command(v1.command), service.command, `${label} command`);
      assert.deepEqual(v1Command(v1.entrypoint), service.entrypoint, `${label} entrypoint`);
      assert.deepEqual(v1Ports(v1.ports), [...service.ports].sort((a, b) => a.target - b.target || a.protocol.localeCompare(b.protocol)), `${label} ports`);
      assert.deepEqual((v1.volumes ?? []).map(v1Mount), service.mounts.map(modelMount), `${label} volumes`);
      const health = v1.healthcheck ?? null;
      const check = service.healthcheck;
      assert.deepEqual(
        health === null ? null : [v1HealthTest(health.test), v1Duration(health.interval), v1Duration(health.timeout), v1Duration(health.start_period), health.retries ?? null],
        check === null ? null : [check.test, check.intervalNs, check.timeoutNs, check.startPeriodNs, check.retries],
        `${label} healthcheck`,
      );
      const implied = service.networkMode?.startsWith('service:') ? service.networkMode.slice('service:'.length) : null;
      assert.equal(v1.network_mode ?? null, service.networkMode, `${label} network_mode`);
      assert.deepEqual(
        Object.fromEntries(Object.entries(v1.depends_on ?? {}).map(([key, d]) => [key, (d as { condition: string }).condition])),
        Object.fromEntries(Object.entries(service.dependsOn).filter(([key]) => key !== implied).map(([key, d]) => [key, d.condition])),
        `${label} depends_on (network_mode: service:NAME implies its own in both)`,
      );
      assert.deepEqual(
        Object.fromEntries(Object.entries(v1.networks ?? {}).map(([key, n]) => [key, [...((n as { aliases?: string[] } | null)?.aliases ?? [])].sort()])),
        Object.fromEntries(Object.entries(service.networks).map(([key, n]) => [key, n.aliases])),
        `${label} networks`,
      );
      assert.equal(v1.restart, service.restart.policy === 'on-failure' ? `on-failure:${service.restart.maxRetries}` : service.restart.policy, `${label} restart`);
      assert.deepEqual(Object.fromEntries(Object.entries(v1.labels ?? {}).map(([key, value]) => [key, unescape(String(value))])), service.labels, `${label} labels`);
    }

    const web = project.services.find((s) => s.name === 'web');
    assert.ok(web);
    const v1 = config.services.web;
    assert.equal(web.environment.PRICE, '5$ or ${PRICE}');
    assert.equal(v1Environment(v1.environment).PRICE, '5$ or ${PRICE}', '$ intact in 1.29.2, whatever PRICE is set to');
    assert.deepEqual(v1Command(v1.command), ['sh', '-c', "echo $HOME hello && exec nginx -g 'daemon off;'"], '$HOME intact in the command');
    assert.deepEqual(v1Environment(v1.environment).FROM_VAR, 'hello', 'a variable the loader substituted stays substituted');
    const money = web.mounts.find((m) => m.target === '/money');
    assert.equal(money?.type === 'bind' ? money.source : null, join(root, 'shop', 'source', '$data'), 'a bind source with a $');
    const hosts: Record<string, string[]> = {};
    for (const line of v1.extra_hosts as string[]) {
      const cut = line.indexOf(':');
      hosts[line.slice(0, cut)] = [...(hosts[line.slice(0, cut)] ?? []), line.slice(cut + 1)];
    }
    assert.deepEqual(hosts, web.extraHosts, 'extra_hosts, several IPs and IPv6 included');
    assert.deepEqual(
      {
        user: v1.user, working_dir: v1.working_dir, hostname: v1.hostname, privileged: v1.privileged, read_only: v1.read_only, init: v1.init,
        cap_add: v1.cap_add, cap_drop: v1.cap_drop, devices: v1.devices, security_opt: v1.security_opt, tmpfs: v1.tmpfs, stop_signal: v1.stop_signal,
        sysctls: v1.sysctls, ulimits: v1.ulimits, pull_policy: v1.pull_policy, cpus: v1.cpus,
      },
      {
        user: '1000:1000', working_dir: '/app', hostname: 'shop-web', privileged: true, read_only: true, init: false,
        cap_add: ['CAP_NET_ADMIN'], cap_drop: ['ALL'], devices: ['/dev/ttyUSB1:/dev/ttyACM0:r', '/dev/ttyUSB0:/dev/ttyUSB0:rwm'], security_opt: ['no-new-privileges:true'],
        tmpfs: ['/run', '/tmp:size=64m,mode=1777'], stop_signal: 'SIGINT', sysctls: { 'net.core.somaxconn': '1024' },
        ulimits: { nofile: { soft: 20000, hard: 40000 }, nproc: 65535 }, pull_policy: 'if_not_present', cpus: 0.5,
      },
    );
    const logging = { driver: v1.logging.driver, options: Object.fromEntries(Object.entries(v1.logging.options).map(([key, value]) => [key, unescape(String(value))])) };
    assert.deepEqual(logging, web.logging);
    assert.deepEqual(web.logging, { driver: 'json-file', options: { 'max-file': '3', 'max-size': '10m', tag: '${NAME}' } });
    assert.equal(v1Duration(v1.stop_grace_period), web.stopGracePeriodNs, 'stop_grace_period (2d)');
    assert.equal(v1Size(v1.shm_size), web.shmSizeBytes);
    assert.equal(v1Size(v1.mem_limit), web.memoryLimitBytes);
    assert.deepEqual(v1.secrets, [{ source: 'token', target: '/etc/token' }, { source: 'token', target: '/run/secrets/token' }]);

    for (const [key, network] of Object.entries(project.networks)) {
      const declared = config.networks[key];
      assert.equal(declared.name, network.name, `network ${key} name`);
      assert.equal(declared.external === true, network.external, `network ${key} external`);
      assert.equal(declared.internal === true, network.internal, `network ${key} internal`);
      assert.equal(declared.driver ?? null, network.driver, `network ${key} driver`);
    }
    assert.deepEqual(Object.keys(config.networks).sort(), ['back', 'default', 'front', 'lan']);
    assert.deepEqual(config.networks.back.driver_opts, { 'com.docker.network.bridge.name': 'br-back' });
    for (const [key, volume] of Object.entries(project.volumes)) {
      assert.equal(config.volumes[key].name, volume.name, `volume ${key} name`);
      assert.equal(config.volumes[key].external === true, volume.external, `volume ${key} external`);
    }
    assert.deepEqual(config.volumes.data.labels, { 'com.example.backup': 'nightly' });
    assert.deepEqual(config.secrets, { token: { name: 'shop_token', file: join(root, 'shop', 'source', 'token.txt') } });
    assert.deepEqual(config.configs, { site: { name: 'shop_site', file: join(root, 'shop', 'source', 'site.conf') } });
  });

  test('it accepts service configs: but warns that it ignores them outside a Swarm', () => {
    const project = loadSource('configs', 'services:\n  app:\n    image: nginx\n    configs: [site]\nconfigs:\n  site:\n    file: ./site.conf\n');
    const { file: withoutName } = writeExport('configs', project, { app: { reference: 'nginx', digest: digest('a') } });
    const run = spawnSync('docker-compose', ['-f', withoutName, '--project-name', project.name, 'config'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /Some services \(app\) use the 'configs' key, which will be ignored/);
  });

  test('the Compose Specification forms it cannot express: each is refused by name, the same file without it is accepted', () => {
    const base = 'services:\n  app:\n    image: nginx\n{extra}  db:\n    image: postgres\nvolumes:\n  data:\n';
    const cases: [string, string, string][] = [
      ['required', '    depends_on: {db: {condition: service_started, required: false}}\n', "services.app.depends_on contains unsupported option: 'required'"],
      ['restart', '    depends_on: {db: {condition: service_started, restart: true}}\n', "services.app.depends_on contains unsupported option: 'restart'"],
      ['start-interval', '    healthcheck: {test: ["CMD", "true"], start_interval: 2s}\n', "services.app.healthcheck value 'start_interval' does not match any of the regexes: '^x-'"],
      ['no-create', '    volumes: [{type: bind, source: /srv/site, target: /site}]\n', "services.app.volumes contains unsupported option: 'create_host_path'"],
      ['colon', '    volumes: [{type: bind, source: "/srv/a:b", target: /ab, bind: {}}]\n', "services.app.volumes contains unsupported option: 'create_host_path'"],
      ['subpath', '    volumes: [{type: volume, source: data, target: /sub, volume: {subpath: dir}}]\n', "services.app.volumes contains unsupported option: 'subpath'"],
      ['tmpfs-mode', '    volumes: [{type: tmpfs, target: /scratch, tmpfs: {mode: "1777"}}]\n', "services.app.volumes contains unsupported option: 'mode'"],
    ];
    const pins = { app: { reference: 'nginx', digest: digest('a') }, db: { reference: 'postgres', digest: digest('b') } };
    const plain = writeExport('plain', loadSource('plain', base.replace('{extra}', '')), pins);
    const accepted = compose1(plain.file, 'shop');
    assert.ok(accepted.ok, accepted.ok ? '' : accepted.stderr);
    for (const [name, extra, refusal] of cases) {
      const { file: withoutName } = writeExport(name, loadSource(name, base.replace('{extra}', extra)), pins);
      const result = compose1(withoutName, 'shop');
      assert.ok(!result.ok && result.stderr.includes(refusal), `${name}: ${result.ok ? 'accepted' : result.stderr}`);
    }
  });
});
