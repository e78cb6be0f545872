/**
 * exportCompose: the normalized project back to a Compose file, every image pinned. The
 * round trip `loadCompose(exportCompose(p, pins))` gives back `p` with each image pinned,
 * also from another folder, under another project name and in an environment whose
 * variables would change an unescaped `$`; and the file's text is checked where its form
 * matters (quoting, `$$`, long syntax, names). Two projects: SHOP (the settings
 * docker-compose 1.29.2 also knows, shared with test/integration/compose-export.test.ts,
 * where 1.29.2 reads the export) and EDGE (the Compose Specification forms 1.29.2 lacks,
 * and values that YAML or Compose could misread).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { exportCompose, type ExportPin } from '../../main/core/compose/compose-export';
import type { ComposeProject } from '../../main/api/types/compose';
import { loadCompose } from '../../main/core/compose/load-compose';
import { TagkeeperError } from '../../main/api/errors';
import { fakeReadFile, HOME, load } from '../helpers/compose';
import { digest, HOSTILE_VARIABLES, SHOP, SHOP_FILES, SHOP_PINNED, SHOP_PINS, SHOP_VARIABLES } from '../helpers/compose-export-fixture';

/** The rest of the supported keys and forms: Compose Specification only, merge keys, deploy limits, odd values. */
const EDGE = `
name: edge
x-base: &base
  restart: unless-stopped
  labels: {com.example.tier: back}
services:
  app:
    image: "redis:\${TAG:-7}"
    environment:
      FLOAT: "1e3"
      TILDE: "~"
      YES_WORD: "yes"
      MULTI: "line one\\nline two\\ttab é"
      QUOTES: "say \\"hi\\" \\\\ back"
    labels: [com.example.empty]
    ports: ["127.0.0.1:9000-9001:9000-9001/udp", "132:132/sctp"]
    volumes:
      - type: bind
        source: ../shared
        target: /shared
        read_only: true
      - type: bind
        source: /etc/ssl
        target: /ssl
        bind: {propagation: rslave, selinux: Z, create_host_path: false}
      - type: bind
        source: /srv/with:colon
        target: /colon
        bind: {}
      - type: volume
        source: data
        target: /sub
        volume: {subpath: sub/dir}
      - type: tmpfs
        target: /scratch
        read_only: true
        tmpfs: {size: 64m, mode: "1777"}
    secrets: [{source: token, target: relative.txt}]
    configs: [site]
    depends_on:
      db: {condition: service_healthy, restart: true}
      cache: {condition: service_completed_successfully, required: false}
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      start_interval: 1.5s
    extra_hosts: {one.local: 10.0.0.1}
    ulimits: {core: -1}
    sysctls: [net.ipv4.tcp_syncookies=0]
    cpus: 0.333
  db:
    <<: *base
    image: postgres@${digest('d')}
    init: true
    deploy:
      resources:
        limits: {cpus: "2", memory: 512M}
  cache:
    image: redis:7
    command: []
    entrypoint: []
    healthcheck: {disable: true}
    network_mode: host
    restart: "no"
    shm_size: 64m
    stop_grace_period: 0s
  vpn:
    image: ghcr.io/org/vpn
    healthcheck: {interval: 30s}
    network_mode: none
  sidecar:
    image: localhost:5000/tools/sidecar:dev
    network_mode: service:vpn
    healthcheck:
      test: ["NONE"]
      retries: 2
    logging: {options: {tag: side}}
    restart: always
  tools:
    image: alpine
    profiles: [tools]
networks:
  default:
    driver_opts: {com.docker.network.bridge.name: br-edge}
volumes:
  data:
    driver_opts: {type: none, o: bind, device: /srv/data}
  other:
    name: "cost-$$"
  plugin:
    driver: local-persist
secrets:
  token:
    file: ./token.txt
configs:
  site:
    file: ~/site.conf
    name: edge-site-config
`;

const EDGE_PINS: Record<string, ExportPin> = {
  app: { reference: 'redis:7', digest: digest('2') },
  db: { reference: `docker.io/library/postgres@${digest('d')}`, digest: digest('d') },
  cache: { reference: 'docker.io/library/redis:7', digest: digest('3') },
  vpn: { reference: 'ghcr.io/org/vpn', digest: digest('4') },
  sidecar: { reference: 'localhost:5000/tools/sidecar:dev', digest: digest('5') },
  tools: { reference: 'alpine', digest: digest('6') },
};

const EDGE_PINNED: Record<string, string> = {
  app: `docker.io/library/redis:7@${digest('2')}`,
  db: `docker.io/library/postgres@${digest('d')}`,
  cache: `docker.io/library/redis:7@${digest('3')}`,
  vpn: `ghcr.io/org/vpn:latest@${digest('4')}`,
  sidecar: `localhost:5000/tools/sidecar:dev@${digest('5')}`,
  tools: `docker.io/library/alpine:latest@${digest('6')}`,
};

function loadShop(): ComposeProject {
  const files = Object.fromEntries(Object.entries(SHOP_FILES).map(([name, text]) => [`/srv/shop/${name}`, text]));
  return load(SHOP, { projectName: undefined, environment: { HOME, ...SHOP_VARIABLES }, files });
}

function loadEdge(): ComposeProject {
  return load(EDGE, { projectName: undefined, profiles: ['tools'] });
}

const CASES = [
  { name: 'SHOP', project: loadShop, pins: SHOP_PINS, pinnedImages: SHOP_PINNED },
  { name: 'EDGE', project: loadEdge, pins: EDGE_PINS, pinnedImages: EDGE_PINNED },
];

function pinned(project: ComposeProject, images: Record<string, string>): ComposeProject {
  return { ...project, services: project.services.map((service) => ({ ...service, image: images[service.name] })) };
}

/** Loads an exported file as `docker compose` would: no -p, from another folder, in an environment of its own. */
function reload(text: string, options: { projectName?: string; environment?: Record<string, string> } = {}): ComposeProject {
  return loadCompose({ file: '/elsewhere/exported/compose.yaml', text, projectName: options.projectName, environment: options.environment ?? { HOME: '/home/else' }, readFile: fakeReadFile({}) });
}

test('the fixtures exercise what they should: profiles, env_file, interpolation, $, implied dependencies', () => {
  const shop = loadShop();
  assert.deepEqual(shop.services.map((s) => s.name), ['db', 'sidecar', 'vpn', 'web'], 'debugger is disabled (profile debug)');
  const web = shop.services.find((s) => s.name === 'web');
  assert.ok(web);
  assert.equal(web.image, 'docker.io/library/nginx:1.27');
  assert.deepEqual(web.command, ['sh', '-c', "echo $HOME hello && exec nginx -g 'daemon off;'"]);
  assert.deepEqual([web.environment.PRICE, web.environment.FROM_FILE, web.environment.FROM_VAR], ['5$ or ${PRICE}', 'file value', 'hello']);
  assert.deepEqual(shop.services.find((s) => s.name === 'sidecar')?.dependsOn, { vpn: { condition: 'service_started', required: true, restart: true } });
  const edge = loadEdge();
  assert.deepEqual(edge.services.map((s) => s.name), ['app', 'cache', 'db', 'sidecar', 'tools', 'vpn'], 'tools is enabled (profile tools)');
  assert.deepEqual(edge.services.find((s) => s.name === 'db')?.restart, { policy: 'unless-stopped', maxRetries: 0 }, 'merged from x-base');
});

for (const { name, project, pins, pinnedImages } of CASES) {
  test(`${name}: loading the exported file gives the project back, each image pinned`, () => {
    const original = project();
    // Started as the header says: with -p and the project's name.
    assert.deepEqual(reload(exportCompose(original, pins), { projectName: original.name }), pinned(original, pinnedImages));
  });

  test(`${name}: under another project name and with hostile variables, engine names and values stay`, () => {
    const original = project();
    const text = exportCompose(original, pins);
    const other = reload(text, { environment: { HOME: '/root', ...HOSTILE_VARIABLES, COMPOSE_PROJECT_NAME: 'other' } });
    assert.equal(other.name, 'other', 'the project name comes from -p or COMPOSE_PROJECT_NAME, as in Compose');
    assert.deepEqual({ ...other, name: original.name }, pinned(original, pinnedImages), 'only the project name differs');
    const given = reload(text, { projectName: 'given' });
    assert.deepEqual([given.networks, given.volumes, given.secrets, given.configs], [original.networks, original.volumes, original.secrets, original.configs]);
  });
}

test('the exported text: header, name, pinned images, $$, quoting, short forms that both tools read, names', () => {
  const text = exportCompose(loadShop(), SHOP_PINS, { exportedAt: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)) });
  const lines = text.split('\n');
  assert.deepEqual(lines.slice(0, 6), [
    '# Exported by Tagkeeper from project shop at 2025-01-02T03:04:05.000Z.',
    '# Start it as that project: docker compose -p shop up -d (or docker-compose -p shop up -d).',
    '# Every image is pinned to the digest Tagkeeper latched (repository:tag@sha256:…): `docker compose up` runs exactly that content.',
    '# Every $ in a value is written $$, so no environment variable or .env file changes what this file says.',
    '',
    'services:',
  ]);
  assert.ok(!lines.some((line) => line.startsWith('name:')), 'no top-level name: (docker-compose 1.29.2 refuses it)');
  for (const image of Object.values(SHOP_PINNED)) assert.equal(lines.filter((line) => line === `    image: "${image}"`).length, 1, image);
  assert.equal((text.match(/@sha256:[0-9a-f]{64}/g) ?? []).length, 4, 'one digest per image, none doubled');
  const expected = [
    `    command: ["sh", "-c", "echo $$HOME hello && exec nginx -g 'daemon off;'"]`,
    '    entrypoint: ["/docker-entrypoint.sh", "--verbose", "two words"]',
    '      PRICE: "5$$ or $${PRICE}"',
    '      "NO": "no"',
    '      TIME: "1:30"',
    '      OCTAL: "0777"',
    '      com.example.cost: "$$5"',
    '      test: ["CMD-SHELL", "curl -f http://localhost/$$health"]',
    '      - "/srv/shop/$$data:/money"',
    '      - "/srv/shop/site:/usr/share/nginx/html:ro,z"',
    '      - "/srv/shop/conf:/etc/nginx/conf.d:rshared"',
    '      - "127.0.0.1:9000:9000/udp"',
    '      - "[::1]:5353:53/udp"',
    '      - "127.0.0.1::7000/tcp"',
    '      - "multi.local:10.0.0.7"',
    '      - "multi.local:::1"',
    '      - "/dev/ttyUSB1:/dev/ttyACM0:r"',
    '      - "/tmp:size=64m,mode=1777"',
    '        tag: "$${NAME}"',
    '    pull_policy: "if_not_present"',
    '    restart: "on-failure:5"',
    '    network_mode: "service:vpn"',
    '    stop_grace_period: "48h"',
    '    shm_size: 1000',
    '    mem_limit: "1536m"',
    '    cpus: 0.5',
    '      interval: "1m30s"',
    '      timeout: "500ms"',
    '      start_period: "1h2m3s500ms"',
    '      disable: true',
    '    name: "site-lan"',
    '    external: true',
    '    name: "shop_back"',
    '    internal: true',
    '    name: "archive"',
    '    file: "/srv/shop/token.txt"',
  ];
  for (const line of expected) assert.ok(lines.includes(line), `the file has the line ${JSON.stringify(line)}`);
  assert.ok(!text.includes('profiles') && !text.includes('debugger'), 'only the enabled services are written, without profiles');
  assert.ok(!text.includes('version:'), 'no obsolete version:');
});

test('the EDGE file, as YAML reads it: long syntax, Compose Specification forms, odd values quoted', () => {
  const text = exportCompose(loadEdge(), EDGE_PINS);
  const file = parse(text) as Record<string, any>;
  const app = file.services.app;
  for (const line of ['      FLOAT: "1e3"', '      TILDE: "~"', '      YES_WORD: "yes"', '      MULTI: "line one\\nline two\\ttab é"', '      QUOTES: "say \\"hi\\" \\\\ back"', '    name: "cost-$$"']) {
    assert.ok(text.split('\n').includes(line), `the file has the line ${JSON.stringify(line)}`);
  }
  assert.deepEqual(app.ports, [{ target: 132, published: 132, protocol: 'sctp' }, '127.0.0.1:9000:9000/udp', '127.0.0.1:9001:9001/udp'], 'sorted by container port');
  assert.deepEqual(app.volumes, [
    { type: 'bind', source: '/srv/with:colon', target: '/colon', bind: { create_host_path: true } },
    { type: 'tmpfs', target: '/scratch', read_only: true, tmpfs: { size: 64 * 1024 ** 2, mode: 0o1777 } },
    { type: 'bind', source: '/srv/shared', target: '/shared', read_only: true, bind: { create_host_path: false } },
    { type: 'bind', source: '/etc/ssl', target: '/ssl', bind: { create_host_path: false, propagation: 'rslave', selinux: 'Z' } },
    { type: 'volume', source: 'data', target: '/sub', volume: { subpath: 'sub/dir' } },
  ]);
  assert.deepEqual(app.depends_on, { cache: { condition: 'service_completed_successfully', required: false }, db: { condition: 'service_healthy', restart: true } });
  assert.deepEqual(app.healthcheck, { test: ['CMD', 'redis-cli', 'ping'], start_interval: '1s500ms' });
  assert.deepEqual(app.secrets, [{ source: 'token', target: '/run/secrets/relative.txt' }]);
  assert.deepEqual(app.configs, [{ source: 'site', target: '/site' }]);
  assert.deepEqual([app.extra_hosts, app.ulimits, app.sysctls, app.cpus, app.labels], [['one.local:10.0.0.1'], { core: -1 }, { 'net.ipv4.tcp_syncookies': '0' }, 0.333, { 'com.example.empty': '' }]);
  assert.equal(file.services.sidecar.depends_on, undefined, 'the dependency network_mode: service:vpn implies is left to it');
  assert.deepEqual(file.services.sidecar.healthcheck, { test: ['NONE'], retries: 2 }, '["NONE"] with a setting stays a test');
  assert.deepEqual(file.services.sidecar.logging, { options: { tag: 'side' } });
  assert.deepEqual(file.services.cache, {
    image: EDGE_PINNED.cache,
    command: [],
    entrypoint: [],
    network_mode: 'host',
    healthcheck: { disable: true },
    restart: 'no',
    stop_grace_period: '0s',
    shm_size: '64m',
  });
  assert.deepEqual(file.services.vpn, { image: EDGE_PINNED.vpn, network_mode: 'none', healthcheck: { interval: '30s' }, restart: 'no' });
  assert.deepEqual(file.services.db, {
    image: EDGE_PINNED.db,
    labels: { 'com.example.tier': 'back' },
    networks: { default: {} },
    restart: 'unless-stopped',
    init: true,
    mem_limit: '512m',
    cpus: 2,
  });
  assert.deepEqual(file.networks, { default: { name: 'edge_default', driver: 'bridge', driver_opts: { 'com.docker.network.bridge.name': 'br-edge' } } });
  assert.deepEqual(file.volumes.data, { name: 'edge_data', driver: 'local', driver_opts: { device: '/srv/data', o: 'bind', type: 'none' } });
  assert.deepEqual(file.volumes.plugin, { name: 'edge_plugin', driver: 'local-persist' });
  assert.deepEqual(file.configs, { site: { name: 'edge-site-config', file: '/home/ops/site.conf' } });
});

test('deterministic: the same model gives the same bytes, whatever the order of its records', () => {
  const project = loadShop();
  const reversed = <T>(record: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(record).reverse());
  const shuffled: ComposeProject = {
    ...project,
    services: [...project.services].reverse().map((service) => ({ ...service, environment: reversed(service.environment), labels: reversed(service.labels), networks: reversed(service.networks) })),
    networks: reversed(project.networks),
    volumes: reversed(project.volumes),
  };
  const first = exportCompose(project, SHOP_PINS);
  assert.equal(exportCompose(project, SHOP_PINS), first);
  assert.equal(exportCompose(shuffled, reversed(SHOP_PINS)), first);
  assert.ok(!/\d{4}-\d\d-\d\dT/.test(first), 'no time in the header unless one is given');
});

test('a small project: the whole file', () => {
  const project = load('services:\n  app:\n    image: redis:7\n    ports: ["6379:6379"]\n    volumes: [data:/data]\nvolumes:\n  data:\n');
  assert.equal(
    exportCompose(project, { app: { reference: 'redis:7', digest: digest('a') } }),
    [
      '# Exported by Tagkeeper from project shop.',
      '# Start it as that project: docker compose -p shop up -d (or docker-compose -p shop up -d).',
      '# Every image is pinned to the digest Tagkeeper latched (repository:tag@sha256:…): `docker compose up` runs exactly that content.',
      '# Every $ in a value is written $$, so no environment variable or .env file changes what this file says.',
      '',
      'services:',
      '  app:',
      `    image: "docker.io/library/redis:7@${digest('a')}"`,
      '    ports:',
      '      - target: 6379',
      '        published: 6379',
      '        protocol: "tcp"',
      '    volumes:',
      '      - type: "volume"',
      '        source: "data"',
      '        target: "/data"',
      '    networks:',
      '      default: {}',
      '    restart: "no"',
      'networks:',
      '  default:',
      '    name: "shop_default"',
      '    driver: "bridge"',
      'volumes:',
      '  data:',
      '    name: "shop_data"',
      '    driver: "local"',
      '',
    ].join('\n'),
  );
});

test('pins: the reference as typed or canonical; a digest in it is not doubled', () => {
  const project = load('services:\n  app:\n    image: redis:7\n');
  const image = (pin: ExportPin) => reload(exportCompose(project, { app: pin })).services[0].image;
  assert.equal(image({ reference: 'redis:7', digest: digest('a') }), `docker.io/library/redis:7@${digest('a')}`);
  assert.equal(image({ reference: 'docker.io/library/redis:7', digest: digest('a') }), `docker.io/library/redis:7@${digest('a')}`);
  assert.equal(image({ reference: `redis:7@${digest('a')}`, digest: digest('a') }), `docker.io/library/redis:7@${digest('a')}`);
  assert.equal(image({ reference: `redis@${digest('a')}`, digest: digest('a') }), `docker.io/library/redis@${digest('a')}`);
  assert.equal(image({ reference: 'redis:7.2', digest: digest('a') }), `docker.io/library/redis:7.2@${digest('a')}`, "the pin's tag is the latched one");
});

test('pins that do not fit the project are refused, with what to do', () => {
  const project = load('services:\n  app:\n    image: redis:7\n  db:\n    image: postgres:16\n');
  const pins = { app: { reference: 'redis:7', digest: digest('a') }, db: { reference: 'postgres:16', digest: digest('b') } };
  const refused = (given: Record<string, ExportPin>, message: string) => {
    assert.throws(
      () => exportCompose(project, given),
      (error: unknown) => error instanceof TagkeeperError && error.message === message && (error.hint ?? '') !== '',
    );
  };
  refused({ app: pins.app }, 'service db has no recorded digest to pin its image docker.io/library/postgres:16 to');
  refused({ ...pins, web: pins.app }, 'pins name services that project shop does not have: web');
  refused({ ...pins, db: { reference: 'mysql:8', digest: digest('b') } }, "service db: the pin's reference mysql:8 is not of the service's image docker.io/library/postgres:16");
  refused({ ...pins, db: { reference: `postgres:16@${digest('c')}`, digest: digest('b') } }, `service db: postgres:16@${digest('c')} is pinned to ${digest('c')}, but the digest it runs is ${digest('b')}`);
  refused({ ...pins, db: { reference: 'postgres:16', digest: 'sha256:abc' } }, 'service db: sha256:abc is not a valid digest: digest sha256:abc has 3 hex characters, expected 64');
  refused({ ...pins, db: { reference: 'Postgres:16', digest: digest('b') } }, 'service db: "Postgres:16" is not a valid image reference: repository name must be lowercase');
});
