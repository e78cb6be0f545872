/**
 * The Compose model against a real reference: Debian's docker-compose 1.29.2
 * (`docker-compose -f FILE --project-name P [--env-file F] config`, no engine needed) reads
 * the same fixture files, with the same environment, and the values both read alike are
 * compared: images, environment (with .env, --env-file, shell variables and defaults),
 * commands, ports, bind-mount sources and mounts, health checks, depends_on, networks.
 *
 * Where 1.29.2 and Compose v2 (whose rules the model follows) differ, only what they agree
 * on is compared:
 * - 1.29.2 has no `${VAR:+replacement}` / `${VAR+replacement}` (an error there) and does not
 *   expand substitutions nested in a default (`${A:-${B}}` stays literal);
 * - 1.29.2 keeps a command written as a string and docker-py splits it with Python's shlex
 *   when it creates the container; v2 splits it with go-shellwords when it loads the file
 *   (the same words for ordinary quoting, which is all the fixtures use);
 * - 1.29.2 refuses `host_ip` in long-syntax ports and booleans as environment values;
 * - 1.29.2's `config` prints no engine names for networks and volumes (`{project}_{key}` is
 *   made when it talks to the engine) and omits the implicit default network, so only
 *   explicit and external names are compared;
 * - v2 (and the model) interpolate inside .env files and env_file values; 1.29.2 reads them
 *   with python-dotenv rules, so the fixtures' env files hold plain values.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadCompose } from '../../main/core/compose/load-compose';
import type { ComposeProject } from '../../main/api/types/compose';
import { parseReference } from '../../main/core/model/reference';
import { TagkeeperError } from '../../main/api/errors';
import { dockerComposeConfig, unescape, v1Command, v1Duration, v1Environment, v1HealthTest, v1Mounts, v1Ports } from '../helpers/compose-v1';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'tagkeeper-compose-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

interface Fixture {
  files: Record<string, string>;
  env?: Record<string, string>;
  envFile?: string;
}

function setUp(name: string, fixture: Fixture): { dir: string; file: string; env: Record<string, string>; envFile?: string } {
  const dir = join(root, name);
  const home = join(root, `${name}-home`);
  mkdirSync(home, { recursive: true });
  for (const [path, text] of Object.entries(fixture.files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, file: join(dir, 'compose.yaml'), env: { HOME: home, ...fixture.env }, envFile: fixture.envFile === undefined ? undefined : join(dir, fixture.envFile) };
}

function ours(setup: ReturnType<typeof setUp>): ComposeProject {
  return loadCompose({
    file: setup.file,
    text: readFileSync(setup.file, 'utf8'),
    projectName: 'shop',
    environment: setup.env,
    envFiles: setup.envFile === undefined ? undefined : [setup.envFile],
    readFile: (path) => readFileSync(path, 'utf8'),
  });
}

function reference(setup: ReturnType<typeof setUp>): Record<string, any> {
  const result = dockerComposeConfig({ file: setup.file, project: 'shop', envFile: setup.envFile, env: setup.env });
  assert.ok(result.ok, result.ok ? '' : `docker-compose config failed: ${result.stderr}`);
  return result.config;
}

/** Compares every service value both tools print alike. */
function compare(name: string, fixture: Fixture): { project: ComposeProject; config: Record<string, any> } {
  const setup = setUp(name, fixture);
  const config = reference(setup);
  const project = ours(setup);
  assert.deepEqual(project.services.map((s) => s.name), Object.keys(config.services).sort());
  for (const service of project.services) {
    const v1 = config.services[service.name];
    const label = `${name}/${service.name}`;
    assert.equal(service.image, parseReference(unescape(v1.image)).canonical, `${label} image`);
    assert.deepEqual(service.environment, v1Environment(v1.environment), `${label} environment`);
    assert.deepEqual(service.command, v1Command(v1.command), `${label} command`);
    assert.deepEqual(service.entrypoint, v1Command(v1.entrypoint), `${label} entrypoint`);
    assert.deepEqual(service.ports.map((p) => ({ ...p })).sort((a, b) => a.target - b.target || a.protocol.localeCompare(b.protocol)), v1Ports(v1.ports), `${label} ports`);
    assert.deepEqual(
      service.mounts.map((m) => ({ type: m.type, source: m.type === 'tmpfs' ? null : m.source, target: m.target, readOnly: m.readOnly })),
      v1Mounts(v1.volumes),
      `${label} volumes`,
    );
    const health = v1.healthcheck ?? null;
    assert.deepEqual(
      service.healthcheck === null ? null : [service.healthcheck.test, service.healthcheck.intervalNs, service.healthcheck.timeoutNs, service.healthcheck.startPeriodNs, service.healthcheck.retries],
      health === null ? null : [v1HealthTest(health.test), v1Duration(health.interval), v1Duration(health.timeout), v1Duration(health.start_period), health.retries ?? null],
      `${label} healthcheck`,
    );
    const dependsOn = Object.fromEntries(Object.entries(service.dependsOn).map(([key, d]) => [key, d.condition]));
    const v1DependsOn = Array.isArray(v1.depends_on)
      ? Object.fromEntries(v1.depends_on.map((key: string) => [key, 'service_started']))
      : Object.fromEntries(Object.entries(v1.depends_on ?? {}).map(([key, d]) => [key, (d as { condition: string }).condition]));
    assert.deepEqual(dependsOn, v1DependsOn, `${label} depends_on`);
    const v1Networks = Array.isArray(v1.networks) ? Object.fromEntries(v1.networks.map((n: string) => [n, null])) : (v1.networks ?? { default: null });
    assert.deepEqual(
      Object.fromEntries(Object.entries(service.networks).map(([key, n]) => [key, n.aliases])),
      Object.fromEntries(Object.entries(v1Networks).map(([key, n]) => [key, [...((n as { aliases?: string[] } | null)?.aliases ?? [])].sort()])),
      `${label} networks`,
    );
  }
  for (const [key, network] of Object.entries(config.networks ?? {})) {
    const declared = network as { name?: string; external?: boolean } | null;
    assert.equal(project.networks[key].external, declared?.external === true, `${name} network ${key} external`);
    if (declared?.name !== undefined) assert.equal(project.networks[key].name, declared.name, `${name} network ${key} name`);
  }
  return { project, config };
}

const SHOP = `
services:
  web:
    image: "nginx:\${TAG:-1.27}"
    command: ["nginx", "-g", "daemon off;"]
    entrypoint: /docker-entrypoint.sh --verbose "two words"
    ports:
      - "8080:80"
      - "127.0.0.1:9000-9002:9000-9002/udp"
      - "[::1]:5353:53/udp"
      - 8600
      - target: 443
        published: 8443
        protocol: tcp
    volumes:
      - ./site:/usr/share/nginx/html:ro
      - ~/conf:/etc/nginx/conf.d
      - data:/data
      - /cache
      - type: bind
        source: ../shared
        target: /shared
        read_only: true
      - type: volume
        source: data
        target: /data2
    environment:
      A: "1"
      FROM_DOTENV: \${FROM_DOTENV}
      OVERRIDDEN: \${OVERRIDDEN}
      NUMBER: 42
    env_file: [./web.env]
    depends_on: [db]
    healthcheck:
      test: curl -f http://localhost
      interval: 1m30s
      timeout: 500ms
      retries: 3
      start_period: 1h
    networks:
      front:
        aliases: [www, shop]
      default:
  db:
    image: postgres:16
    environment: [POSTGRES_DB=shop, FROM_SHELL, NOT_SET_ANYWHERE]
    healthcheck:
      test: ["CMD", "pg_isready", "-U", "postgres"]
      interval: 10s
    networks: [back, lan]
    depends_on:
      cache:
        condition: service_healthy
  cache:
    image: redis@sha256:${'c'.repeat(64)}
    command: redis-server --save "" --appendonly yes
    healthcheck:
      disable: true
volumes:
  data:
networks:
  front:
    name: shop-front
  back:
  lan:
    external: true
    name: site-lan
`;

describe('docker-compose 1.29.2 and the Compose model read the same files alike', () => {
  test('ports, volumes, environment with .env and env_file, healthcheck, depends_on, networks', () => {
    const { project } = compare('shop', {
      files: { 'compose.yaml': SHOP, '.env': 'TAG=1.26\nFROM_DOTENV=dot\nOVERRIDDEN=from-dotenv\n', 'web.env': 'W1=one\nW2="two words"\n' },
      env: { FROM_SHELL: 'shell', OVERRIDDEN: 'from-shell' },
    });
    const web = project.services.find((s) => s.name === 'web');
    assert.equal(web?.image, 'docker.io/library/nginx:1.26');
    assert.equal(web?.environment.OVERRIDDEN, 'from-shell', 'the shell wins over .env');
    const shared = web?.mounts.find((m) => m.target === '/shared');
    assert.equal(shared?.type === 'bind' ? shared.source : null, join(root, 'shared'));
  });

  test('--env-file replaces .env; the shell still wins', () => {
    const { project } = compare('env-file', {
      files: {
        'compose.yaml': 'services:\n  app:\n    image: "registry.example.com/shop/app:${TAG}"\n    environment:\n      DB: ${DB}\n      ONLY_IN_DOTENV: ${ONLY_IN_DOTENV:-not-read}\n',
        '.env': 'TAG=from-dotenv\nONLY_IN_DOTENV=dotenv\n',
        'prod.env': 'TAG=from-prod\nDB=prod\n',
      },
      envFile: 'prod.env',
      env: { DB: 'shell' },
    });
    assert.deepEqual(project.services[0].environment, { DB: 'shell', ONLY_IN_DOTENV: 'not-read' });
    assert.equal(project.services[0].image, 'registry.example.com/shop/app:from-prod');
  });

  test('defaults (:- and -), empty and unset variables, $$ escapes', () => {
    const { project } = compare('defaults', {
      files: {
        'compose.yaml':
          'services:\n  app:\n    image: busybox\n    command: ["sh", "-c", "echo $$HOME $${NOT_EXPANDED}"]\n    environment:\n      COLON_EMPTY: ${EMPTY:-colon}\n      DASH_EMPTY: ${EMPTY-dash}\n      COLON_UNSET: ${UNSET:-colon}\n      DASH_UNSET: ${UNSET-dash}\n      SET: ${SET:-unused}\n      PLAIN: $SET/path\n      UNSET_PLAIN: "[${UNSET}]"\n',
      },
      env: { EMPTY: '', SET: 'value' },
    });
    assert.deepEqual(project.services[0].environment, { COLON_EMPTY: 'colon', COLON_UNSET: 'colon', DASH_EMPTY: '', DASH_UNSET: 'dash', PLAIN: 'value/path', SET: 'value', UNSET_PLAIN: '[]' });
    assert.deepEqual(project.services[0].command, ['sh', '-c', 'echo $HOME ${NOT_EXPANDED}']);
  });

  test('a missing required variable fails in both, with its message; set in .env it is used by both', () => {
    const text = 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}\n';
    const setup = setUp('required', { files: { 'compose.yaml': text } });
    const v1 = dockerComposeConfig({ file: setup.file, project: 'shop', env: setup.env });
    assert.ok(!v1.ok && v1.stderr.includes('set DB_PASSWORD in .env'), 'docker-compose refuses it');
    assert.throws(() => ours(setup), (error: unknown) => error instanceof TagkeeperError && error.message.includes('required variable DB_PASSWORD is missing a value: set DB_PASSWORD in .env'));
    const { project } = compare('required-set', { files: { 'compose.yaml': text, '.env': 'DB_PASSWORD=s3cret\n' } });
    assert.deepEqual(project.services[0].environment, { POSTGRES_PASSWORD: 's3cret' });
  });
});
