/**
 * exportCompose: the normalized project back to a Compose file, every image pinned. The
 * round trip `loadCompose(exportCompose(p, pins))` gives back `p` with each image pinned,
 * also from another folder, under another project name and in an environment whose
 * variables would change an unescaped `$`; and the file's text is checked where its form
 * matters (quoting, `$$`, long syntax, names). (docker-compose 1.29.2 reads the exported
 * file in test/integration/compose-export.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { exportCompose, type ExportPin } from '../../main/core/compose/compose-export';
import type { ComposeProject } from '../../main/core/compose/compose-types';
import { loadCompose } from '../../main/core/compose/load-compose';
import { TagkeeperError } from '../../main/api/errors';
import { fakeReadFile, HOME, load } from '../helpers/compose';

const digest = (char: string) => `sha256:${char.repeat(64)}`;

/** Every key the loader supports, most in both forms; a `$` in values and commands; profiles. */
const FULL = `
name: shop
x-base: &base
  restart: unless-stopped
  labels: {com.example.tier: back}
services:
  web:
    image: "nginx:\${TAG:-1.27}"
    pull_policy: missing
    command: ["sh", "-c", "echo $$HOME \${GREETING} && exec nginx -g 'daemon off;'"]
    entrypoint: /docker-entrypoint.sh --verbose "two words"
    environment:
      PRICE: "5$$ or $\${PRICE}"
      FROM_VAR: \${GREETING}
      EMPTY: ""
      "NO": "no"
      TIME: "1:30"
      OCTAL: "0777"
      FLOAT: "1e3"
      TILDE: "~"
      MULTI: "line one\\nline two\\ttab é"
      QUOTES: "say \\"hi\\" \\\\ back"
    env_file: [./web.env]
    labels: [com.example.role=front, "com.example.cost=$$5", com.example.empty]
    ports:
      - "8080:80"
      - "127.0.0.1:9000-9001:9000-9001/udp"
      - "[::1]:5353:53/udp"
      - "127.0.0.1::7000"
      - 8600
      - {target: 443, published: "8443", protocol: tcp}
      - "132:132/sctp"
    volumes:
      - ./site:/usr/share/nginx/html:ro,z
      - ~/conf:/etc/nginx/conf.d:rshared
      - "/var/$$data:/money"
      - data:/data:ro
      - data:/nocopy:nocopy
      - /cache
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
      - {type: tmpfs, target: /t2, tmpfs: {size: 1000}}
    tmpfs: ["/run", "/tmp:size=64m,mode=1777"]
    secrets: [token, {source: token, target: /etc/token}, {source: token, target: relative.txt}]
    configs: [site, {source: site, target: /etc/nginx/conf.d/site.conf}]
    networks:
      front:
        aliases: [www, shop]
      default:
      lan:
    depends_on:
      db: {condition: service_healthy, restart: true}
      cache: {condition: service_completed_successfully, required: false}
      vpn: {condition: service_started}
    healthcheck:
      test: curl -f http://localhost/$$health
      interval: 1m30s
      timeout: 500ms
      retries: 3
      start_period: 1h2m3.5s
      start_interval: 1.5s
    restart: on-failure:5
    user: "1000:1000"
    working_dir: /app/
    hostname: shop-web
    extra_hosts: ["db.local:10.0.0.5", "v6=::1", "multi.local=10.0.0.7,[::1]", "gateway:host-gateway"]
    logging:
      driver: json-file
      options: {max-size: 10m, max-file: 3, tag: "$\${NAME}", empty: }
    privileged: true
    read_only: true
    init: false
    cap_add: [NET_ADMIN, sys_time]
    cap_drop: [ALL]
    devices: [/dev/ttyUSB0, "/dev/ttyUSB1:/dev/ttyACM0:wr", "/dev/sda:/dev/xvda:r"]
    security_opt: [no-new-privileges:true, apparmor=unconfined]
    sysctls: {net.core.somaxconn: 1024, net.ipv4.tcp_syncookies: 0}
    ulimits:
      nproc: 65535
      nofile: {soft: 20000, hard: 40000}
      core: -1
    stop_signal: SIGINT
    stop_grace_period: 2d
    shm_size: 1000
    mem_limit: 1.5g
    cpus: 0.333
  db:
    <<: *base
    image: postgres@${digest('d')}
    environment: [POSTGRES_DB=shop, FROM_SHELL]
    healthcheck:
      test: ["CMD", "pg_isready", "-U", "postgres"]
      interval: 10s
    networks: [back]
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
  debugger:
    image: busybox
    profiles: [debug]
    depends_on: [db]
  tools:
    image: alpine
    profiles: [tools]
networks:
  front:
    name: shop-front
    driver_opts: {com.docker.network.bridge.name: br-front}
    labels: {com.example.net: front}
  back:
    internal: true
  lan:
    external: true
    name: site-lan
volumes:
  data:
    driver_opts: {type: none, o: bind, device: /srv/data}
    labels: [com.example.backup=nightly]
  archive:
    external: true
  other:
    name: "cost-$$"
secrets:
  token:
    file: ./token.txt
configs:
  site:
    file: ~/site.conf
    name: shop-site-config
`;

const FILES = { '/srv/shop/web.env': 'FROM_FILE=file value\nGREETING=overridden-by-environment\n' };
const ENVIRONMENT = { HOME, TAG: '1.26', GREETING: 'hello', FROM_SHELL: 'shell' };

function loadFull(): ComposeProject {
  return load(FULL, { projectName: undefined, environment: ENVIRONMENT, files: FILES, profiles: ['tools'] });
}

const PINS: Record<string, ExportPin> = {
  web: { reference: 'nginx:1.26', digest: digest('1') },
  db: { reference: `docker.io/library/postgres@${digest('d')}`, digest: digest('d') },
  cache: { reference: 'redis:7', digest: digest('3') },
  vpn: { reference: 'ghcr.io/org/vpn', digest: digest('4') },
  sidecar: { reference: 'localhost:5000/tools/sidecar:dev', digest: digest('5') },
  tools: { reference: 'docker.io/library/alpine:latest', digest: digest('6') },
};

const PINNED: Record<string, string> = {
  web: `docker.io/library/nginx:1.26@${digest('1')}`,
  db: `docker.io/library/postgres@${digest('d')}`,
  cache: `docker.io/library/redis:7@${digest('3')}`,
  vpn: `ghcr.io/org/vpn:latest@${digest('4')}`,
  sidecar: `localhost:5000/tools/sidecar:dev@${digest('5')}`,
  tools: `docker.io/library/alpine:latest@${digest('6')}`,
};

function pinned(project: ComposeProject): ComposeProject {
  return { ...project, services: project.services.map((service) => ({ ...service, image: PINNED[service.name] })) };
}

/** Loads an exported file as `docker compose` would: no -p, from another folder, in an environment of its own. */
function reload(text: string, options: { file?: string; projectName?: string; environment?: Record<string, string> } = {}): ComposeProject {
  return loadCompose({ file: options.file ?? '/elsewhere/exported/compose.yaml', text, projectName: options.projectName, environment: options.environment ?? { HOME: '/home/else' }, readFile: fakeReadFile({}) });
}

test('the fixture exercises what it should: every supported key, profiles, env_file, interpolation', () => {
  const project = loadFull();
  assert.equal(project.name, 'shop');
  assert.deepEqual(project.services.map((s) => s.name), ['cache', 'db', 'sidecar', 'tools', 'vpn', 'web'], 'debugger is disabled (profile debug), tools enabled');
  const web = project.services.find((s) => s.name === 'web');
  assert.ok(web);
  assert.equal(web.image, 'docker.io/library/nginx:1.26');
  assert.deepEqual(web.command, ['sh', '-c', "echo $HOME hello && exec nginx -g 'daemon off;'"]);
  assert.equal(web.environment.PRICE, '5$ or ${PRICE}');
  assert.equal(web.environment.FROM_FILE, 'file value');
  assert.equal(web.environment.FROM_VAR, 'hello');
  assert.deepEqual(web.dependsOn.vpn, { condition: 'service_started', required: true, restart: false });
  assert.deepEqual(project.services.find((s) => s.name === 'sidecar')?.dependsOn, { vpn: { condition: 'service_started', required: true, restart: true } });
});

test('round trip: loading the exported file gives the project back, each image pinned', () => {
  const project = loadFull();
  const text = exportCompose(project, PINS);
  assert.deepEqual(reload(text), pinned(project));
});

test('round trip under another project name (-p) and with hostile variables: engine names and values stay', () => {
  const project = loadFull();
  const text = exportCompose(project, PINS);
  const hostile = { HOME: '/root', PRICE: 'X', GREETING: 'evil', NAME: 'evil', health: 'evil', data: 'evil', TAG: 'evil', COMPOSE_PROJECT_NAME: 'other' };
  const other = reload(text, { environment: hostile });
  assert.equal(other.name, 'other', 'COMPOSE_PROJECT_NAME wins over name:, as in Compose');
  assert.deepEqual({ ...other, name: 'shop' }, pinned(project), 'only the project name differs');
  const given = reload(text, { projectName: 'given' });
  assert.deepEqual(given.networks, project.networks);
  assert.deepEqual(given.volumes, project.volumes);
  assert.deepEqual(given.secrets, project.secrets);
  assert.deepEqual(given.configs, project.configs);
  assert.equal(given.networks.default.name, 'shop_default');
});

test('the exported text: header, name, pinned images, $$, quoting, long syntax, names', () => {
  const text = exportCompose(loadFull(), PINS, { exportedAt: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)) });
  const lines = text.split('\n');
  assert.deepEqual(lines.slice(0, 4), [
    '# Exported by Tagkeeper from project shop at 2025-01-02T03:04:05.000Z.',
    '# Every image is pinned to the digest Tagkeeper latched (repository:tag@sha256:…): `docker compose up` runs exactly that content.',
    '# Every $ in a value is written $$, so no environment variable or .env file changes what this file says.',
    '',
  ]);
  assert.equal(lines[4], 'name: "shop"');
  for (const image of Object.values(PINNED)) {
    assert.equal(lines.filter((line) => line === `    image: "${image}"`).length, 1, image);
  }
  assert.equal((text.match(/@sha256:[0-9a-f]{64}/g) ?? []).length, 6, 'one digest per image, none doubled');
  const expectedLines = [
    `    command: ["sh", "-c", "echo $$HOME hello && exec nginx -g 'daemon off;'"]`,
    '      PRICE: "5$$ or $${PRICE}"',
    '      "NO": "no"',
    '      TIME: "1:30"',
    '      OCTAL: "0777"',
    '      FLOAT: "1e3"',
    '      TILDE: "~"',
    '      MULTI: "line one\\nline two\\ttab é"',
    '      com.example.cost: "$$5"',
    '      test: ["CMD-SHELL", "curl -f http://localhost/$$health"]',
    '      - "/var/$$data:/money"',
    '      - "/srv/shop/site:/usr/share/nginx/html:ro,z"',
    '      - "/home/ops/conf:/etc/nginx/conf.d:rshared"',
    '      - "127.0.0.1:9000:9000/udp"',
    '      - "[::1]:5353:53/udp"',
    '      - "127.0.0.1::7000/tcp"',
    '      - "multi.local:10.0.0.7"',
    '      - "multi.local:::1"',
    '      - "/dev/ttyUSB1:/dev/ttyACM0:rw"',
    '    pull_policy: "if_not_present"',
    '    restart: "on-failure:5"',
    '    restart: "no"',
    '    stop_grace_period: "48h"',
    '    stop_grace_period: "0s"',
    '    shm_size: 1000',
    '    shm_size: "64m"',
    '    mem_limit: "1536m"',
    '    mem_limit: "512m"',
    '    cpus: 0.333',
    '    cpus: 2',
    '      interval: "1m30s"',
    '      timeout: "500ms"',
    '      start_period: "1h2m3s500ms"',
    '      start_interval: "1s500ms"',
    '      disable: true',
    '      nproc: 65535',
    '      core: -1',
    '    name: "site-lan"',
    '    external: true',
    '    name: "shop_back"',
    '    internal: true',
    '    name: "cost-$$"',
    '    name: "archive"',
    '    file: "/srv/shop/token.txt"',
    '    file: "/home/ops/site.conf"',
    '    name: "shop-site-config"',
  ];
  for (const line of expectedLines) assert.ok(lines.includes(line), `the file has the line ${JSON.stringify(line)}`);
  assert.ok(!text.includes('profiles'), 'profiles are not written: the model has only the enabled services');
  assert.ok(!text.includes('debugger'));
  assert.ok(!text.includes('version:'), 'no obsolete version:');
});

test('the long forms in the file, as YAML reads them', () => {
  const file = parse(exportCompose(loadFull(), PINS)) as Record<string, any>;
  const web = file.services.web;
  assert.deepEqual(web.ports.filter((port: unknown) => typeof port === 'object'), [
    { target: 80, published: 8080, protocol: 'tcp' },
    { target: 132, published: 132, protocol: 'sctp' },
    { target: 443, published: 8443, protocol: 'tcp' },
    { target: 8600, protocol: 'tcp' },
  ]);
  assert.deepEqual(web.volumes.filter((mount: unknown) => typeof mount === 'object'), [
    { type: 'volume', target: '/cache' },
    { type: 'bind', source: '/srv/with:colon', target: '/colon', bind: { create_host_path: true } },
    { type: 'volume', source: 'data', target: '/data', read_only: true },
    { type: 'volume', source: 'data', target: '/nocopy', volume: { nocopy: true } },
    { type: 'tmpfs', target: '/scratch', read_only: true, tmpfs: { size: 64 * 1024 ** 2, mode: 0o1777 } },
    { type: 'bind', source: '/srv/shared', target: '/shared', read_only: true, bind: { create_host_path: false } },
    { type: 'bind', source: '/etc/ssl', target: '/ssl', bind: { create_host_path: false, propagation: 'rslave', selinux: 'Z' } },
    { type: 'volume', source: 'data', target: '/sub', volume: { subpath: 'sub/dir' } },
    { type: 'tmpfs', target: '/t2', tmpfs: { size: 1000 } },
  ]);
  assert.deepEqual(web.depends_on, {
    cache: { condition: 'service_completed_successfully', required: false },
    db: { condition: 'service_healthy', restart: true },
    vpn: { condition: 'service_started' },
  });
  assert.equal(file.services.sidecar.depends_on, undefined, 'the dependency network_mode: service:vpn implies is left to it');
  assert.deepEqual(file.services.sidecar.healthcheck, { test: ['NONE'], retries: 2 }, '["NONE"] with a setting stays a test');
  assert.deepEqual(file.services.cache.healthcheck, { disable: true });
  assert.deepEqual(file.services.vpn.healthcheck, { interval: '30s' });
  assert.deepEqual(web.secrets, [
    { source: 'token', target: '/etc/token' },
    { source: 'token', target: '/run/secrets/relative.txt' },
    { source: 'token', target: '/run/secrets/token' },
  ]);
  assert.deepEqual(web.networks, { default: {}, front: { aliases: ['shop', 'www'] }, lan: {} });
  assert.deepEqual(file.networks.default, { name: 'shop_default', driver: 'bridge' });
  assert.deepEqual(file.networks.front, { name: 'shop-front', driver: 'bridge', driver_opts: { 'com.docker.network.bridge.name': 'br-front' }, labels: { 'com.example.net': 'front' } });
  assert.deepEqual(file.volumes.archive, { name: 'archive', external: true });
  assert.deepEqual(file.volumes.data, { name: 'shop_data', driver: 'local', driver_opts: { device: '/srv/data', o: 'bind', type: 'none' }, labels: { 'com.example.backup': 'nightly' } });
  assert.deepEqual(file.secrets, { token: { name: 'shop_token', file: '/srv/shop/token.txt' } });
  assert.deepEqual(web.ulimits, { core: -1, nofile: { soft: 20000, hard: 40000 }, nproc: 65535 });
  assert.deepEqual(web.logging, { driver: 'json-file', options: { empty: '', 'max-file': '3', 'max-size': '10m', tag: '$${NAME}' } });
  assert.deepEqual(file.services.cache.command, []);
  assert.equal(file.services.db.init, true);
  assert.equal(web.init, false);
  assert.equal(web.privileged, true);
  assert.equal(file.services.db.privileged, undefined, 'false is the default and is not written');
});

test('deterministic: the same model gives the same bytes, whatever the order of its records', () => {
  const project = loadFull();
  const reversed = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).reverse());
  const shuffled: ComposeProject = {
    ...project,
    services: [...project.services].reverse().map((service) => ({ ...service, environment: reversed(service.environment) as Record<string, string>, labels: reversed(service.labels) as Record<string, string> })),
    networks: reversed(project.networks) as ComposeProject['networks'],
    volumes: reversed(project.volumes) as ComposeProject['volumes'],
  };
  const first = exportCompose(project, PINS);
  assert.equal(exportCompose(project, PINS), first);
  assert.equal(exportCompose(shuffled, reversed(PINS) as Record<string, ExportPin>), first);
  assert.ok(!/\d{4}-\d\d-\d\dT/.test(first), 'no time in the header unless one is given');
});

test('a small project: the whole file', () => {
  const project = load('services:\n  app:\n    image: redis:7\n    ports: ["6379:6379"]\n    volumes: [data:/data]\nvolumes:\n  data:\n');
  assert.equal(
    exportCompose(project, { app: { reference: 'redis:7', digest: digest('a') } }),
    [
      '# Exported by Tagkeeper from project shop.',
      '# Every image is pinned to the digest Tagkeeper latched (repository:tag@sha256:…): `docker compose up` runs exactly that content.',
      '# Every $ in a value is written $$, so no environment variable or .env file changes what this file says.',
      '',
      'name: "shop"',
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
  assert.equal(image({ reference: 'redis:7.2', digest: digest('a') }), `docker.io/library/redis:7.2@${digest('a')}`, 'the pin\'s tag is the latched one');
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
  refused({ app: pins.app }, 'service db has no latched digest to pin its image docker.io/library/postgres:16 to');
  refused({ ...pins, web: pins.app }, 'pins name services that project shop does not have: web');
  refused({ ...pins, db: { reference: 'mysql:8', digest: digest('b') } }, "service db: the pin's reference mysql:8 is not of the service's image docker.io/library/postgres:16");
  refused({ ...pins, db: { reference: `postgres:16@${digest('c')}`, digest: digest('b') } }, `service db: postgres:16@${digest('c')} is pinned to ${digest('c')}, but the latched digest is ${digest('b')}`);
  refused({ ...pins, db: { reference: 'postgres:16', digest: 'sha256:abc' } }, 'service db: sha256:abc is not a valid digest: digest sha256:abc has 3 hex characters, expected 64');
});
