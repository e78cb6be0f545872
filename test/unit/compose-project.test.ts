/**
 * loadCompose at the project level: the project name, profiles, the implicit default
 * network, names of networks and volumes, file secrets and configs, the definition hash,
 * and the layering rule (the Compose model reads no file itself).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, definitionHash } from '../../main/core/compose/definition-hash';
import { normalizeProjectName } from '../../main/core/compose/project-environment';
import { HOME, load } from '../helpers/compose';

const ONE = 'services:\n  api:\n    image: nginx\n';

test('project name: given (as -p) > COMPOSE_PROJECT_NAME (also from .env) > name: > the folder', () => {
  const named = `name: "\${STAGE:-Dev} Shop!"\n${ONE}`;
  assert.equal(load(named, { projectName: 'given' }).name, 'given');
  assert.equal(load(named, { projectName: undefined, environment: { COMPOSE_PROJECT_NAME: 'from-env' } }).name, 'from-env');
  assert.equal(load(named, { projectName: undefined, files: { '/srv/shop/.env': 'COMPOSE_PROJECT_NAME=from-dotenv\n' } }).name, 'from-dotenv');
  assert.equal(load(named, { projectName: undefined }).name, 'devshop');
  assert.equal(load(named, { projectName: undefined, environment: { STAGE: 'QA' } }).name, 'qashop');
  assert.equal(load(ONE, { projectName: undefined }).name, 'shop', 'the folder /srv/shop');
  assert.equal(load(ONE, { projectName: undefined, file: '/srv/My.Web_App-2/compose.yaml' }).name, 'myweb_app-2');
});

test('normalizeProjectName is compose-go\'s: lower case, [a-z0-9_-] only, no leading _ or -', () => {
  assert.equal(normalizeProjectName('My.Web_App-2'), 'myweb_app-2');
  assert.equal(normalizeProjectName('__-Shop'), 'shop');
  assert.equal(normalizeProjectName('Ünïcode Shop'), 'ncodeshop');
});

test('COMPOSE_PROJECT_NAME is set for interpolation', () => {
  const project = load(`${ONE}    labels: {project: "\${COMPOSE_PROJECT_NAME}"}\n`, { projectName: 'shop' });
  assert.deepEqual(project.services[0].labels, { project: 'shop' });
});

test('profiles: services without profiles always run; others when a profile is active (given, or COMPOSE_PROFILES, or *)', () => {
  const text = 'services:\n  api:\n    image: nginx\n  debug:\n    image: busybox\n    profiles: [debug]\n  tools:\n    image: alpine\n    profiles: [tools, debug]\n';
  const names = (options: Parameters<typeof load>[1]) => load(text, options).services.map((s) => s.name);
  assert.deepEqual(names({}), ['api']);
  assert.deepEqual(names({ profiles: ['tools'] }), ['api', 'tools']);
  assert.deepEqual(names({ profiles: ['debug'] }), ['api', 'debug', 'tools']);
  assert.deepEqual(names({ environment: { COMPOSE_PROFILES: 'tools' } }), ['api', 'tools']);
  assert.deepEqual(names({ profiles: ['*'] }), ['api', 'debug', 'tools']);
  const optional = 'services:\n  api:\n    image: nginx\n    depends_on:\n      debug: {condition: service_started, required: false}\n  debug:\n    image: busybox\n    profiles: [debug]\n';
  assert.deepEqual(load(optional).services[0].dependsOn, {}, 'an optional dependency on a disabled service is dropped');
  assert.deepEqual(Object.keys(load(optional, { profiles: ['debug'] }).services[0].dependsOn), ['debug']);
});

test('the default network: added when a service uses it, named {project}_default; not added when none does', () => {
  const project = load('services:\n  api:\n    image: nginx\n  db:\n    image: postgres\n    networks: [back]\nnetworks:\n  back:\n');
  assert.deepEqual(project.networks, {
    back: { name: 'shop_back', external: false, driver: 'bridge', driverOpts: {}, internal: false, labels: {} },
    default: { name: 'shop_default', external: false, driver: 'bridge', driverOpts: {}, internal: false, labels: {} },
  });
  assert.deepEqual(project.services.map((s) => Object.keys(s.networks)), [['default'], ['back']]);
  const hostOnly = load('services:\n  api:\n    image: nginx\n    network_mode: host\n');
  assert.deepEqual(hostOnly.networks, {});
  const declared = load('services:\n  api:\n    image: nginx\nnetworks:\n  default:\n    name: shared-lan\n    external: true\n');
  assert.deepEqual(declared.networks.default, { name: 'shared-lan', external: true, driver: null, driverOpts: {}, internal: false, labels: {} });
});

test('top-level networks and volumes: names, drivers, options, labels, external', () => {
  const project = load(
    [
      'services:',
      '  api:',
      '    image: nginx',
      '    networks: [front, lan, legacy]',
      '    volumes: [data:/data, cache:/cache, shared:/shared]',
      'networks:',
      '  front:',
      '    driver: bridge',
      '    driver_opts: {com.docker.network.bridge.name: br-front, mtu: 1400}',
      '    internal: true',
      '    labels: [tier=front]',
      '  lan:',
      '    external: true',
      '  legacy:',
      '    external:',
      '      name: old-lan',
      'volumes:',
      '  data:',
      '    name: shop-data',
      '    labels: {backup: nightly}',
      '  cache:',
      '    driver: local',
      '    driver_opts: {type: tmpfs, device: tmpfs, o: size=100m}',
      '  shared:',
      '    external: true',
      '    name: nfs-shared',
      '',
    ].join('\n'),
  );
  assert.deepEqual(project.networks, {
    front: { name: 'shop_front', external: false, driver: 'bridge', driverOpts: { 'com.docker.network.bridge.name': 'br-front', mtu: '1400' }, internal: true, labels: { tier: 'front' } },
    lan: { name: 'lan', external: true, driver: null, driverOpts: {}, internal: false, labels: {} },
    legacy: { name: 'old-lan', external: true, driver: null, driverOpts: {}, internal: false, labels: {} },
  });
  assert.deepEqual(project.volumes, {
    cache: { name: 'shop_cache', external: false, driver: 'local', driverOpts: { device: 'tmpfs', o: 'size=100m', type: 'tmpfs' }, labels: {} },
    data: { name: 'shop-data', external: false, driver: 'local', driverOpts: {}, labels: { backup: 'nightly' } },
    shared: { name: 'nfs-shared', external: true, driver: null, driverOpts: {}, labels: {} },
  });
});

test('top-level secrets and configs from files, relative to the project folder or HOME', () => {
  const project = load(`${ONE}secrets:\n  token:\n    file: ./secrets/token.txt\n  cert:\n    file: ~/certs/site.pem\n    name: site-cert\nconfigs:\n  nginx:\n    file: /etc/shop/nginx.conf\n`);
  assert.deepEqual(project.secrets, {
    cert: { name: 'site-cert', file: `${HOME}/certs/site.pem` },
    token: { name: 'shop_token', file: '/srv/shop/secrets/token.txt' },
  });
  assert.deepEqual(project.configs, { nginx: { name: 'shop_nginx', file: '/etc/shop/nginx.conf' } });
});

test('version is accepted and ignored', () => {
  assert.deepEqual(load(`version: "3.8"\n${ONE}`), load(ONE));
});

test('definition hash: equal definitions written differently hash equal; any change changes it', () => {
  const a = load('services:\n  web:\n    image: nginx\n    ports: ["80:80", "443:443"]\n    environment: {B: "2", A: "1"}\n  db:\n    image: postgres:16\n');
  const b = load('services:\n  db:\n    image: docker.io/library/postgres:16\n  web:\n    environment: [A=1, B=2]\n    ports: [{target: 443, published: 443}, "80:80"]\n    image: nginx:latest\n');
  assert.deepEqual(a, b);
  assert.equal(definitionHash(a), definitionHash(b));
  assert.match(definitionHash(a), /^sha256:[0-9a-f]{64}$/);
  const changed = load('services:\n  web:\n    image: nginx\n    ports: ["80:80", "443:443"]\n    environment: {B: "2", A: "x"}\n  db:\n    image: postgres:16\n');
  assert.notEqual(definitionHash(changed), definitionHash(a));
  assert.equal(canonicalJson({ b: [2, { d: null, c: 'x' }], a: true }), '{"a":true,"b":[2,{"c":"x","d":null}]}');
  assert.deepEqual(JSON.parse(JSON.stringify(a)), a, 'the model is plain JSON');
});

test('layering: the Compose model imports no file system, engine, store or Electron code', () => {
  const folder = join(__dirname, '..', '..', 'main', 'core', 'compose');
  const allowed = new Set(['node:path', 'node:crypto', 'yaml']);
  const files = readdirSync(folder).filter((name) => name.endsWith('.ts'));
  assert.ok(files.length > 10);
  for (const name of files) {
    const source = readFileSync(join(folder, name), 'utf8');
    const imports = [...source.matchAll(/^(?:import|export)[^'"]*?from\s+'([^']+)'/gm)].map((match) => match[1]);
    for (const specifier of imports) {
      const ok = allowed.has(specifier) || specifier.startsWith('./') || ['../../api/errors', '../model/reference', '../../api/types/apps', '../../api/types/compose'].includes(specifier);
      assert.ok(ok, `${name} imports ${specifier}`);
    }
    assert.equal(source.split('\n').length <= 300, true, `${name} stays under 300 lines`);
  }
});
