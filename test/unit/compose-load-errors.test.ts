/**
 * loadCompose refuses, never drops: each problem is one TagkeeperError('invalid-input')
 * whose message names the file, the exact line and the field, with a hint.
 * Files are written as arrays of lines so the line numbers can be read off the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rejects } from '../helpers/compose';

const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

test('build: is refused with the line of the key', () => {
  const error = rejects(
    lines(
      'services:', //          1
      '  web:', //             2
      '    image: nginx', //   3
      '  api:', //             4
      '    build: .', //       5
      '    ports: ["80:80"]', // 6
    ),
    'compose.yaml:5: service api: build is not supported: Tagkeeper runs images from a registry or a bundle',
  );
  assert.match(error.hint ?? '', /image:/);
});

test('unknown keys, with a guess; keys of the specification that Tagkeeper does not handle, with the reason', () => {
  const unknown = rejects(lines('services:', '  api:', '    image: nginx', '    contaner_name: x'), 'compose.yaml:4: service api: unknown key "contaner_name"');
  assert.equal(unknown.hint, 'did you mean "container_name"?');
  rejects(lines('services:', '  api:', '    image: nginx', '    container_name: x'), 'compose.yaml:4: service api: container_name is not supported: Tagkeeper names the containers of an app itself');
  rejects(lines('services:', '  api:', '    image: nginx', '    expose: ["80"]'), 'compose.yaml:4: service api: expose is not supported: Tagkeeper does not handle it yet');
  rejects(lines('services:', '  api:', '    image: nginx', '    healthcheck:', '      test: ["CMD", "true"]', '      intervall: 5s'), 'compose.yaml:6: service api: healthcheck: unknown key "intervall"');
  rejects(lines('servics:', '  api:', '    image: nginx'), 'compose.yaml:1: unknown key "servics"');
  rejects(lines('services:', '  api:', '    image: nginx', 'include:', '  - other.yaml'), 'compose.yaml:4: include is not supported: Tagkeeper reads one Compose file');
  rejects(lines('services:', '  api:', '    image: nginx', 'networks:', '  front:', '    ipam: {}'), 'compose.yaml:6: network front: ipam is not supported: Tagkeeper does not handle it yet');
  rejects(lines('services:', '  api:', '    image: nginx', '    ports:', '      - target: 80', '        app_protocol: http'), 'compose.yaml:6: service api: ports[0]: app_protocol is not supported: Tagkeeper does not handle it yet');
  rejects(lines('services:', '  api:', '    image: nginx', '    deploy:', '      replicas: 3'), 'compose.yaml:5: service api: deploy: replicas is not supported: Tagkeeper runs one container per service');
});

test('a service without an image, or with a bad reference', () => {
  rejects(lines('services:', '  web:', '    image: nginx', '  api:', '    ports: ["80:80"]'), 'compose.yaml:4: service api: has no image');
  rejects(lines('services:', '  api:', '    image: Nginx:1'), 'compose.yaml:3: service api: image: "Nginx:1" is not a valid image reference: repository name must be lowercase');
  rejects(lines('services:', '  api:', '    image: "nginx@sha256:abc"'), /^compose\.yaml:3: service api: image: "nginx@sha256:abc" is not a valid image reference: /);
  rejects(lines('services:', '  api:'), 'compose.yaml:2: service api: has no definition');
});

test('bad ports', () => {
  const service = (port: string) => lines('services:', '  api:', '    image: nginx', '    ports:', '      - "8080:80"', `      - ${port}`);
  rejects(service('"99999:80"'), 'compose.yaml:6: service api: ports[1]: "99999:80" is not a valid port: invalid host port "99999"');
  rejects(service('"80:80/tcpx"'), 'compose.yaml:6: service api: ports[1]: "80:80/tcpx" is not a valid port: unknown protocol "tcpx" (tcp, udp or sctp)');
  rejects(service('"1.2.3:80:80"'), 'compose.yaml:6: service api: ports[1]: "1.2.3:80:80" is not a valid port: invalid IP address 1.2.3');
  rejects(service('"8000-8001:80-82"'), 'compose.yaml:6: service api: ports[1]: "8000-8001:80-82" is not a valid port: the host and container port ranges differ in length');
  rejects(service('"8000-8010:80"'), /^compose\.yaml:6: service api: ports\[1\]: "8000-8010:80" is not a valid port: a host port range for one container port/);
  rejects(service('"abc"'), 'compose.yaml:6: service api: ports[1]: "abc" is not a valid port: invalid container port "abc"');
  rejects(service('{published: 80}'), 'compose.yaml:6: service api: ports[1]: target is missing');
});

test('bad volumes and mounts', () => {
  const service = (volume: string) => lines('services:', '  api:', '    image: nginx', '    volumes:', `      - ${volume}`, 'volumes:', '  data:');
  rejects(service('data:relative/path'), 'compose.yaml:5: service api: volumes[0]: "data:relative/path" is not a valid volume: the container path "relative/path" is not absolute');
  rejects(service('./a:/b:ro:extra'), 'compose.yaml:5: service api: volumes[0]: "./a:/b:ro:extra" is not a valid volume: it has too many colons');
  rejects(service('logs:/var/log'), 'compose.yaml:5: service api: volumes[0]: refers to undefined volume "logs"');
  rejects(service('./a:/b:rox'), 'compose.yaml:5: service api: volumes[0]: "./a:/b:rox" is not a valid volume: unknown option "rox"');
  rejects(service('{type: bind, target: /b}'), 'compose.yaml:5: service api: volumes[0]: a bind mount needs a source');
  rejects(service('{type: npipe, source: x, target: /b}'), 'compose.yaml:5: service api: volumes[0].type: npipe mounts are not supported');
  rejects(service('{type: volume, source: data, target: /b, bind: {propagation: shared}}'), 'compose.yaml:5: service api: volumes[0]: bind options do not apply to a volume mount');
  rejects(lines('services:', '  api:', '    image: nginx', '    volumes: [data:/d]', '    tmpfs: /d', 'volumes:', '  data:'), 'compose.yaml:4: service api: /d is mounted twice');
});

test('~ needs HOME in the environment given (a HOME in .env does not count); ~user and Windows paths are refused', () => {
  const text = lines('services:', '  api:', '    image: nginx', '    volumes: ["~/conf:/etc/app"]');
  rejects(text, 'compose.yaml:4: service api: volumes[0]: ~/conf starts with ~ but HOME is not set', { environment: {}, files: { '/srv/shop/.env': 'HOME=/elsewhere\n' } });
  rejects(lines('services:', '  api:', '    image: nginx', '    volumes: ["~ops/conf:/etc/app"]'), 'compose.yaml:4: service api: volumes[0]: ~ops/conf: ~user paths are not supported');
  rejects(lines('services:', '  api:', '    image: nginx', '    volumes: [{type: bind, source: "C:\\\\data", target: /d}]'), /^compose\.yaml:4: service api: volumes\[0\]\.source: C:\\data is a Windows path$/);
});

test('bad durations, sizes, numbers and booleans', () => {
  const service = (...rows: string[]) => lines('services:', '  api:', '    image: nginx', ...rows);
  rejects(service('    healthcheck:', '      test: true', '      interval: 10'), 'compose.yaml:5: service api: healthcheck.test: must be a list of strings');
  rejects(service('    healthcheck:', '      test: ["CMD", "true"]', '      interval: 10'), 'compose.yaml:6: service api: healthcheck.interval: 10 is not a duration');
  rejects(service('    stop_grace_period: 1x'), 'compose.yaml:4: service api: stop_grace_period: "1x" is not a duration');
  rejects(service('    shm_size: 12x'), 'compose.yaml:4: service api: shm_size: "12x" is not a size');
  rejects(service('    mem_limit: -1'), 'compose.yaml:4: service api: mem_limit: -1 is not a size');
  rejects(service('    privileged: maybe'), 'compose.yaml:4: service api: privileged: must be true or false, not "maybe"');
  rejects(service('    healthcheck:', '      retries: lots'), 'compose.yaml:5: service api: healthcheck.retries: must be a whole number, not "lots"');
  rejects(service('    cpus: many'), 'compose.yaml:4: service api: cpus: is not a number of CPUs');
  rejects(service('    restart: sometimes'), 'compose.yaml:4: service api: restart: "sometimes" is not a restart policy');
  rejects(service('    user: 1000'), 'compose.yaml:4: service api: user: must be a string, not 1000');
});

test('conflicting limits, network_mode with networks, container network mode, pull policies', () => {
  const service = (...rows: string[]) => lines('services:', '  api:', '    image: nginx', ...rows);
  rejects(service('    cpus: 1', '    deploy:', '      resources:', '        limits:', '          cpus: "2"'), 'compose.yaml:8: service api: deploy.resources.limits.cpus: differs from cpus');
  rejects(service('    mem_limit: 1g', '    deploy:', '      resources:', '        limits:', '          memory: 512m'), 'compose.yaml:8: service api: deploy.resources.limits.memory: differs from mem_limit');
  rejects(service('    network_mode: host', '    networks: [default]'), 'compose.yaml:5: service api: network_mode and networks cannot be used together');
  rejects(service('    network_mode: "container:abc"'), 'compose.yaml:4: service api: network_mode: container:abc is not supported: Tagkeeper manages only the containers of its apps');
  rejects(service('    pull_policy: build'), 'compose.yaml:4: service api: pull_policy: pull_policy build is not supported: Tagkeeper runs images from a registry or a bundle');
  rejects(service('    pull_policy: daily'), /^compose\.yaml:4: service api: pull_policy: pull_policy daily is not supported/);
  rejects(service('    pull_policy: sometimes'), 'compose.yaml:4: service api: pull_policy: "sometimes" is not a pull policy');
  rejects(service('    command: echo a && echo b'), /^compose\.yaml:4: service api: command: cannot split "echo a && echo b" into words: the shell operator '&'/);
  rejects(service('    healthcheck:', '      disable: true', '      interval: 5s'), 'compose.yaml:6: service api: healthcheck: interval does nothing when disable is true');
});

test('references to undefined networks, volumes, secrets, configs and services', () => {
  rejects(lines('services:', '  api:', '    image: nginx', '    networks:', '      - front'), 'compose.yaml:5: service api: refers to undefined network "front"');
  rejects(lines('services:', '  api:', '    image: nginx', '    secrets: [token]'), 'compose.yaml:4: service api: secrets[0]: refers to undefined secret "token"');
  rejects(lines('services:', '  api:', '    image: nginx', '    configs:', '      - source: site'), 'compose.yaml:5: service api: configs[0]: refers to undefined config "site"');
  rejects(lines('services:', '  api:', '    image: nginx', '    depends_on:', '      - db'), 'compose.yaml:5: service api: depends_on refers to undefined service "db"');
  rejects(lines('services:', '  api:', '    image: nginx', '    network_mode: service:vpn'), 'compose.yaml:4: service api: network_mode refers to undefined service "vpn"');
  rejects(lines('services:', '  api:', '    image: nginx', 'secrets:', '  token:', '    environment: TOKEN'), 'compose.yaml:6: secret token: environment is not supported: Tagkeeper mounts secrets and configs from files');
  rejects(lines('services:', '  api:', '    image: nginx', 'secrets:', '  token: {}'), 'compose.yaml:5: secret token: has no file');
});

test('a dependency cycle names the cycle', () => {
  const error = rejects(
    lines('services:', '  a:', '    image: nginx', '    depends_on: [b]', '  b:', '    image: nginx', '    depends_on: [c]', '  c:', '    image: nginx', '    depends_on:', '      a:', '        condition: service_healthy'),
    'compose.yaml:4: service a: services depend on each other in a cycle: a → b → c → a',
  );
  assert.match(error.hint ?? '', /depends_on/);
  rejects(lines('services:', '  a:', '    image: nginx', '    depends_on: [a]'), 'compose.yaml:4: service a: services depend on each other in a cycle: a → a');
});

test('bad YAML: line and column; duplicate keys; tags; several documents', () => {
  rejects(lines('services:', '  api:', '    image: nginx', '    ports: [80:80', '  db:'), /^compose\.yaml:5:\d+: bad YAML: /);
  rejects(lines('services:', '  api:', '    image: nginx', '    image: redis'), 'compose.yaml:4:5: bad YAML: Map keys must be unique');
  rejects(lines('services:', '  api:', '    image: nginx', '    ports: !reset []'), 'compose.yaml:4:12: bad YAML: Unresolved tag: !reset');
  rejects(lines('services:', '  api:', '    image: nginx', '---', 'services: {}'), /^compose\.yaml:4:1: bad YAML: Source contains multiple documents/);
  rejects(lines('services:', '  api:', '    image: nginx', '    labels:', '      8080: web'), 'compose.yaml:5: key 8080 is not a string');
  rejects(lines('- services'), 'compose.yaml:1: must be a mapping (services:, networks:, volumes: …)');
  rejects('# nothing here\n', 'compose.yaml: the Compose file is empty');
  rejects(lines('name: shop', 'volumes: {}'), 'compose.yaml: the Compose file has no services');
});

test('missing required variables give their message and the place', () => {
  rejects(
    lines('services:', '  api:', '    image: nginx', '    environment:', '      DB_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}'),
    'compose.yaml:5: service api: environment.DB_PASSWORD: required variable DB_PASSWORD is missing a value: set DB_PASSWORD in .env',
  );
  rejects(lines('services:', '  api:', '    image: "nginx:${TAG?}"'), 'compose.yaml:3: service api: image: required variable TAG is missing a value');
  rejects(lines('services:', '  api:', '    image: nginx', '    ports:', '      - "${PORT:?}:80"'), 'compose.yaml:5: service api: ports[0]: required variable PORT is missing a value');
  rejects(lines('services:', '  api:', '    image: nginx', '    command: echo ${ oops}'), 'compose.yaml:4: service api: command: invalid interpolation format in "echo ${ oops}"');
  rejects(lines('name: ${PROJECT:?name the project}', 'services:', '  api:', '    image: nginx'), 'compose.yaml:1: name: required variable PROJECT is missing a value: name the project', { projectName: '' });
  rejects(lines('services:', '  api:', '    image: nginx', 'x-meta:', '  owner: ${OWNER:?}'), 'compose.yaml:5: x-meta.owner: required variable OWNER is missing a value');
});

test('env files: a missing required env_file and a bad line', () => {
  rejects(lines('services:', '  api:', '    image: nginx', '    env_file: ./api.env'), 'compose.yaml:4: service api: env_file: env file /srv/shop/api.env not found');
  rejects(lines('services:', '  api:', '    image: nginx', '    env_file: [./api.env]'), 'api.env:2: unexpected character "$" in variable name "bad$name=1"', { files: { '/srv/shop/api.env': 'OK=1\nbad$name=1\n' } });
  rejects(lines('services:', '  api:', '    image: nginx'), '.env:1: unterminated quoted value "open', { files: { '/srv/shop/.env': 'A="open\n' } });
});

test('profiles: an enabled service that depends on a disabled one is an error', () => {
  const text = lines('services:', '  api:', '    image: nginx', '    depends_on: [debug]', '  debug:', '    image: busybox', '    profiles: [debug]');
  const error = rejects(text, 'compose.yaml:4: service api: depends on service debug, which is not enabled (its profiles: debug)');
  assert.match(error.hint ?? '', /--profile debug/);
});

test('project names: a given name must be normal; a name that normalizes to nothing is refused', () => {
  rejects(lines('services:', '  api:', '    image: nginx'), 'compose.yaml: invalid project name "My App" (the project name given)', { projectName: 'My App' });
  rejects(lines('services:', '  api:', '    image: nginx'), 'compose.yaml: invalid project name "Shop" (COMPOSE_PROJECT_NAME)', { projectName: '', environment: { COMPOSE_PROJECT_NAME: 'Shop' } });
  rejects(lines('name: "!!!"', 'services:', '  api:', '    image: nginx'), 'compose.yaml:1: name: "!!!" has no letters or digits to name the project with', { projectName: undefined });
});
