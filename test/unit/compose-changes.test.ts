/**
 * composeChanges, the pure plan of a definition change: every service of either definition
 * is added, removed, changed (with the settings of its container that differ, its image
 * reference, or what runs now) or unchanged; the engine names of networks and volumes that
 * come and go. Against containers given as data: no engine, no store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppRecord, ComposeDefinition } from '../../main/api/types/apps';
import { COMPOSE_LABEL, composeServiceConfig } from '../../main/core/apps/app-topology';
import { definitionHash } from '../../main/core/compose/definition-hash';
import { composeChanges } from '../../main/core/compose-apps/compose-changes';
import type { ContainerInfo } from '../../main/core/ports/engine-port';
import { FILE, load } from '../helpers/compose';

const BASE = `
services:
  web:
    image: nginx:1.27
    command: [nginx, -g, daemon off;]
    environment: {MODE: one}
    ports: ["8080:80"]
    volumes: [data:/data]
    networks: [front]
    labels: {team: edge}
    restart: unless-stopped
    healthcheck: {test: [CMD, "true"], interval: 5s}
    depends_on: [db]
  db:
    image: postgres:16
    networks: [back]
networks: {front: {}, back: {}}
volumes: {data: {}}
secrets:
  token: {file: ./token.txt}
`;

const imageOf = (service: string) => `sha256:${Buffer.from(service).toString('hex').padEnd(64, '0')}`;

function definition(yaml: string): ComposeDefinition {
  const project = load(yaml, { files: { '/srv/shop/token.txt': 'secret' } });
  return { project, hash: definitionHash(project), file: FILE, envFiles: [], profiles: [], adopted: false };
}

/** App shop on `yaml`, each service latched to imageOf(its name). */
function appOn(yaml: string): AppRecord {
  const compose = definition(yaml);
  return {
    name: 'shop', compose, pullPolicy: null, checkOnStart: null, autoApply: null, intent: 'running', error: null, createdAt: '', updatedAt: '',
    services: compose.project.services.map((s, position) => ({
      app: 'shop', name: s.name, position, reference: s.image, canonical: s.image, pinnedDigest: null,
      settings: { env: [], volumes: [], ports: [], restartPolicy: 'no' },
      latched: { indexDigest: null, manifestDigest: null, imageId: imageOf(s.name), source: 'registry', at: '' },
      previous: null, available: null, checkError: null, containerId: null, error: null,
    })),
  };
}

function container(service: string, options: { project?: string; image?: string } = {}): ContainerInfo {
  return {
    id: `${options.project ?? 'shop'}-${service}`, name: `${options.project ?? 'shop'}-${service}-1`, imageId: options.image ?? imageOf(service),
    labels: { [COMPOSE_LABEL.project]: options.project ?? 'shop', [COMPOSE_LABEL.service]: service },
    status: 'running', startedAt: null, finishedAt: null, exitCode: null, health: null,
    config: composeServiceConfig(definition(BASE), definition(BASE).project.services.find((s) => s.name === service) ?? definition(BASE).project.services[0]),
  };
}

const RUNNING = [container('web'), container('db')];
let base: AppRecord | undefined;
const changes = (target: string, observed = RUNNING) => composeChanges((base ??= appOn(BASE)), definition(target), observed);
const of = (result: ReturnType<typeof changes>, service: string) => result.services.find((s) => s.name === service);

test('the same definition, running as latched: everything unchanged, the same hash', () => {
  const result = changes(BASE);
  assert.deepEqual(result.services, [{ name: 'db', change: 'unchanged', reasons: [] }, { name: 'web', change: 'unchanged', reasons: [] }]);
  assert.equal(result.from, result.to);
  assert.deepEqual([result.app, result.networks, result.volumes], ['shop', { added: [], removed: [] }, { added: [], removed: [] }]);
});

test('each setting that differs is named as a reason; the other service stays unchanged', () => {
  const cases: [string, string, string, string[]][] = [
    ['image', 'image: nginx:1.27', 'image: nginx:1.28', ['image']],
    ['labels', 'team: edge', 'team: core', ['labels']],
    ['command', 'command: [nginx, -g, daemon off;]', 'command: [nginx]', ['command']],
    ['environment', 'MODE: one', 'MODE: two', ['environment']],
    ['ports', '"8080:80"', '"8081:80"', ['ports']],
    ['mounts', 'volumes: [data:/data]', 'volumes: [data:/srv]', ['mounts']],
    ['a secret (a read-only bind)', 'volumes: [data:/data]', 'volumes: [data:/data]\n    secrets: [token]', ['mounts']],
    ['networks', 'networks: [front]', 'networks: {front: {aliases: [www]}}', ['networks']],
    ['network mode', 'networks: [front]', 'network_mode: host', ['networkMode', 'networks']],
    ['healthcheck', 'interval: 5s', 'interval: 9s', ['healthcheck']],
    ['restart', 'restart: unless-stopped', 'restart: always', ['restart']],
    ['user', 'restart: unless-stopped', 'restart: unless-stopped\n    user: "1000"', ['user']],
    ['several at once', 'MODE: one}\n    ports: ["8080:80"]', 'MODE: two}\n    ports: ["8081:80"]', ['environment', 'ports']],
  ];
  for (const [what, from, to, reasons] of cases) {
    assert.ok(BASE.includes(from), `${what}: the base has "${from}"`);
    const result = changes(BASE.replace(from, to));
    assert.deepEqual(of(result, 'web'), { name: 'web', change: 'changed', reasons }, what);
    assert.deepEqual(of(result, 'db'), { name: 'db', change: 'unchanged', reasons: [] }, `${what}: db unchanged`);
    assert.notEqual(result.to, result.from, `${what}: another definition hash`);
  }
});

test('what does not make a container differ is no reason: the spelling of the image, depends_on, pull_policy', () => {
  const same = BASE.replace('image: nginx:1.27', 'image: docker.io/library/nginx:1.27').replace('    depends_on: [db]\n', '    pull_policy: missing\n');
  const result = changes(same);
  assert.ok(result.services.every((s) => s.change === 'unchanged'), JSON.stringify(result.services));
});

test('a volume or network renamed changes the services that use it (their engine names differ)', () => {
  const result = changes(BASE.replace('volumes: {data: {}}', 'volumes: {data: {name: shop-data-2}}').replace('networks: {front: {}, back: {}}', 'networks: {front: {}, back: {name: backend}}'));
  assert.deepEqual(of(result, 'web'), { name: 'web', change: 'changed', reasons: ['mounts'] });
  assert.deepEqual(of(result, 'db'), { name: 'db', change: 'changed', reasons: ['networks'] });
  assert.deepEqual(result.volumes, { added: ['shop-data-2'], removed: ['shop_data'] });
  assert.deepEqual(result.networks, { added: ['backend'], removed: ['shop_back'] });
});

test('a service restarts with a changed or added dependency when it says restart: true (network_mode: service: implies it), transitively', () => {
  const project = `
services:
  db: {image: postgres:16, environment: {V: "1"}}
  api: {image: api:1, depends_on: {db: {condition: service_healthy, restart: true}}}
  proxy: {image: proxy:1, network_mode: "service:api"}
  worker: {image: worker:1, depends_on: [db]}
`;
  const app = appOn(project);
  const observed = ['db', 'api', 'proxy', 'worker'].map((s) => container(s));
  const result = composeChanges(app, definition(project.replace('V: "1"', 'V: "2"')), observed);
  assert.deepEqual(result.services, [
    { name: 'api', change: 'changed', reasons: ['restarts with db'] },
    { name: 'db', change: 'changed', reasons: ['environment'] },
    { name: 'proxy', change: 'changed', reasons: ['restarts with api'] },
    { name: 'worker', change: 'unchanged', reasons: [] },
  ]);
  const added = composeChanges(app, definition(`${project}  cache: {image: redis:7}\n`.replace('depends_on: [db]', 'depends_on: {db: {condition: service_started}, cache: {condition: service_started, restart: true}}')), observed);
  assert.deepEqual(added.services.map((s) => [s.name, s.change, s.reasons]), [
    ['api', 'unchanged', []], ['cache', 'added', []], ['db', 'unchanged', []], ['proxy', 'unchanged', []], ['worker', 'changed', ['restarts with cache']],
  ]);
});

test('services added and removed', () => {
  const result = changes(BASE.replace('  db:\n    image: postgres:16', '  cache:\n    image: redis:7').replace('depends_on: [db]', 'depends_on: [cache]'));
  assert.deepEqual(result.services.map((s) => [s.name, s.change, s.reasons]), [['cache', 'added', []], ['db', 'removed', []], ['web', 'unchanged', []]]);
});

test('networks and volumes added and removed, by engine name', () => {
  const target = BASE.replace('networks: [back]', 'networks: [back, extra]').replace('networks: {front: {}, back: {}}', 'networks: {back: {}, extra: {}}')
    .replace('networks: [front]', 'networks: [back]').replace('volumes: [data:/data]', 'volumes: [logs:/logs]').replace('volumes: {data: {}}', 'volumes: {logs: {}}');
  const result = changes(target);
  assert.deepEqual(result.networks, { added: ['shop_extra'], removed: ['shop_front'] });
  assert.deepEqual(result.volumes, { added: ['shop_logs'], removed: ['shop_data'] });
  assert.deepEqual([of(result, 'web')?.reasons, of(result, 'db')?.reasons], [['mounts', 'networks'], ['networks']]);
});

test('what runs now: a missing container, or one on other content than latched, is changed', () => {
  assert.deepEqual(of(changes(BASE, [container('web')]), 'db'), { name: 'db', change: 'changed', reasons: ['container missing'] });
  assert.deepEqual(of(changes(BASE, [container('web'), container('db', { image: imageOf('other') })]), 'db'), { name: 'db', change: 'changed', reasons: ['runs other content than its recorded digest'] });
  const both = changes(BASE.replace('MODE: one', 'MODE: two'), [container('db')]);
  assert.deepEqual(of(both, 'web')?.reasons, ['environment', 'container missing'], 'settings first, then what runs');
});

test("another project's containers are not the app's", () => {
  const observed = [container('web', { project: 'other' }), container('db'), container('db', { project: 'other', image: imageOf('x') })];
  const result = changes(BASE, observed);
  assert.deepEqual(of(result, 'web'), { name: 'web', change: 'changed', reasons: ['container missing'] });
  assert.deepEqual(of(result, 'db'), { name: 'db', change: 'unchanged', reasons: [] });
});
