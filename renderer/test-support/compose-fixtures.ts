/**
 * An app made from a Compose file, as the core sends it: app shop with services web (ports,
 * a volume and a bind mount, two networks, waits for db to be healthy) and db; its
 * definition (apps:show only), a plan of a changed file, an update's answer, the pinned
 * export, and the core's refusal of a file with `build:`.
 */
import type { ResponseOf } from '../../main/api/contract';
import type { ComposeDefinition } from '../../main/api/types/apps';
import type { AppView } from '../../main/api/types/app-view';
import type { ComposeChanges, ComposeExport, ComposeProject, ComposeService } from '../../main/api/types/compose';
import { TagkeeperError } from '../../main/api/errors';
import { app, DIGEST_A, DIGEST_B, result, service } from './fixtures';

export const COMPOSE_FILE = '/srv/shop/compose.yaml';
export const HASH_1 = `sha256:${'3'.repeat(64)}`;
export const HASH_2 = `sha256:${'4'.repeat(64)}`;

function composeService(name: string, overrides: Partial<ComposeService> = {}): ComposeService {
  return {
    name, image: `docker.io/library/${name}:1`, pullPolicy: null, command: null, entrypoint: null, environment: {}, labels: {},
    ports: [], mounts: [], tmpfs: {}, secrets: [], configs: [], networkMode: null, networks: { default: { aliases: [] } }, dependsOn: {},
    healthcheck: null, restart: { policy: 'no', maxRetries: 0 }, user: null, workingDir: null, hostname: null, extraHosts: {}, logging: null,
    privileged: false, readOnly: false, init: null, capAdd: [], capDrop: [], devices: [], securityOpt: [], sysctls: {}, ulimits: {},
    stopSignal: null, stopGracePeriodNs: null, shmSizeBytes: null, memoryLimitBytes: null, nanoCpus: null,
    ...overrides,
  };
}

export function shopProject(): ComposeProject {
  return {
    name: 'shop',
    services: [
      composeService('db', { image: 'docker.io/library/postgres:16', mounts: [{ type: 'volume', source: 'data', target: '/var/lib/postgresql/data', readOnly: false, noCopy: false, subpath: null }] }),
      composeService('web', {
        image: 'registry.example.com/shop/web:2',
        environment: { GREETING: 'hello' },
        ports: [
          { target: 80, published: 8080, hostIp: '127.0.0.1', protocol: 'tcp' },
          { target: 53, published: null, hostIp: null, protocol: 'udp' },
        ],
        mounts: [
          { type: 'bind', source: '/srv/shop/site', target: '/usr/share/nginx/html', readOnly: true, createHostPath: true, propagation: null, selinux: null },
          { type: 'volume', source: 'data', target: '/data', readOnly: true, noCopy: false, subpath: null },
        ],
        tmpfs: { '/run': '' },
        networks: { default: { aliases: [] }, front: { aliases: ['shop', 'www'] } },
        dependsOn: { db: { condition: 'service_healthy', required: true, restart: false } },
      }),
    ],
    networks: {
      default: { name: 'shop_default', external: false, driver: 'bridge', driverOpts: {}, internal: false, labels: {} },
      front: { name: 'shop_front', external: false, driver: 'bridge', driverOpts: {}, internal: false, labels: {} },
    },
    volumes: { data: { name: 'shop_data', external: false, driver: 'local', driverOpts: {}, labels: {} } },
    secrets: {},
    configs: {},
  };
}

export function shopDefinition(overrides: Partial<ComposeDefinition> = {}): ComposeDefinition {
  return { project: shopProject(), hash: HASH_1, file: COMPOSE_FILE, envFiles: ['/srv/shop/prod.env'], profiles: [], adopted: false, ...overrides };
}

/** As `apps:list` sends it: no definition. */
export function shopListed(overrides: Partial<AppView> = {}): AppView {
  return app('shop', {
    definedBy: 'compose',
    services: [
      service({ name: 'db', reference: 'postgres:16', canonical: 'docker.io/library/postgres:16', containerId: 'c-db' }),
      service({ name: 'web', reference: 'registry.example.com/shop/web:2', canonical: 'registry.example.com/shop/web:2', containerId: 'c-web',
        latched: { indexDigest: null, manifestDigest: DIGEST_B, imageId: `sha256:${'d'.repeat(64)}`, source: 'registry', at: '2024-05-01T10:00:00.000Z' } }),
    ],
    ...overrides,
  });
}

/** As `apps:show` (and `compose:create`) send it: with its definition. */
export function shopShown(definition: Partial<ComposeDefinition> = {}, overrides: Partial<AppView> = {}): AppView {
  return { ...shopListed(overrides), definition: shopDefinition(definition) };
}

/** web changed (image, environment), db unchanged; network front dropped, volume cache added. */
export function shopPlan(overrides: Partial<ComposeChanges> = {}): ComposeChanges {
  return {
    app: 'shop',
    from: HASH_1,
    to: HASH_2,
    services: [
      { name: 'db', change: 'unchanged', reasons: [] },
      { name: 'web', change: 'changed', reasons: ['image', 'environment'] },
    ],
    networks: { added: [], removed: ['shop_front'] },
    volumes: { added: ['shop_cache'], removed: [] },
    ...overrides,
  };
}

export function shopUpdated(overrides: Partial<ResponseOf<'compose:update'>> = {}): ResponseOf<'compose:update'> {
  return { changes: shopPlan(), result: result({ app: 'shop', kind: 'update', changed: true, restarted: true }), ...overrides };
}

export function shopExport(): ComposeExport {
  return {
    app: 'shop',
    fileName: 'shop.compose.yaml',
    text: `# docker compose -p shop -f shop.compose.yaml up -d\nservices:\n  db:\n    image: postgres:16@${DIGEST_A}\n  web:\n    image: registry.example.com/shop/web:2@${DIGEST_B}\n`,
    pins: { db: { reference: 'postgres:16', digest: DIGEST_A }, web: { reference: 'registry.example.com/shop/web:2', digest: DIGEST_B } },
  };
}

export const BUILD_REFUSED = () =>
  new TagkeeperError('invalid-input', 'compose.yaml:4: service api: build is not supported: Tagkeeper runs images from a registry or a bundle', {
    hint: 'build and push the image, then name it with image: (e.g. registry.example.com/api:1.4), or bring it in a bundle',
  });
