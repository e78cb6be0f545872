/**
 * compose:create on the fake engine, through the real handlers and the real store: what the
 * engine is asked to make (Compose's names and labels, the service's settings, the latched
 * image id), the start order of depends_on, and its conditions on the fake clock —
 * service_healthy waits for healthy and fails when the dependency turns unhealthy or never
 * does, service_completed_successfully waits for exit 0 and fails on another code; a failed
 * create leaves no container behind. The same scenarios run on a real engine in
 * test/integration/compose-apps.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TagkeeperError } from '../../main/api/errors';
import { COMPOSE_LABEL, LABEL, composeServiceConfig } from '../../main/core/apps/app-topology';
import { DEPENDENCY_WAIT_MS } from '../../main/core/apps/app-resources';
import { definitionLabel } from '../../main/core/apps/definition-label';
import { FakeBox } from '../helpers/fake-deps';
import { FILE, assertConsistent, containersBy, createComposeApp } from '../helpers/fake-compose-app';

const SHOP = `
services:
  web:
    image: registry.test/shop/web:1
    environment: {MODE: one}
    ports: ["8080:80"]
    labels: {team: edge}
    depends_on: [api]
    networks: [front]
  api:
    image: registry.test/shop/api:1
    depends_on: [db]
    networks: [front, back]
    volumes: [data:/data, ./conf:/conf:ro, cache:/cache]
  db:
    image: registry.test/shop/db:1
    networks:
      back: {aliases: [database]}
    volumes: [data:/var/lib/db]
networks:
  front: {}
  back: {labels: {tier: back}}
volumes:
  data: {}
  cache: {name: shared-cache}
`;

function shopBox(t: Parameters<typeof FakeBox.for>[0]) {
  const box = FakeBox.for(t);
  const images = {
    web: box.publish('registry.test/shop/web:1'),
    api: box.publish('registry.test/shop/api:1'),
    db: box.publish('registry.test/shop/db:1'),
  };
  return { box, proc: box.start(), images };
}

const rejectsWith = async (promise: Promise<unknown>, message: string) => {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof TagkeeperError);
    assert.equal(e.code, 'container-failed');
    assert.equal(e.message, message);
    return true;
  });
};

test("networks and volumes are made with Compose's names and labels", async (t) => {
  const { box, proc } = shopBox(t);
  await createComposeApp(box, proc, SHOP);
  const owned = { [LABEL.app]: 'shop', [COMPOSE_LABEL.project]: 'shop' };
  assert.deepEqual(box.engine.network('shop_front')?.labels, { ...owned, [COMPOSE_LABEL.network]: 'front' });
  assert.deepEqual(box.engine.network('shop_back')?.labels, { tier: 'back', ...owned, [COMPOSE_LABEL.network]: 'back' });
  assert.equal(box.engine.network('shop_back')?.driver, 'bridge');
  assert.deepEqual(box.engine.volume('shop_data')?.labels, { ...owned, [COMPOSE_LABEL.volume]: 'data' });
  assert.deepEqual(box.engine.volume('shared-cache')?.labels, { ...owned, [COMPOSE_LABEL.volume]: 'cache' }, 'name: is the engine name');
  assert.deepEqual(await proc.deps.engine.listVolumes({ [LABEL.app]: 'shop' }), ['shared-cache', 'shop_data']);
});

test('containers are named {project}-{service}-1, carry both label sets, run the latched image with the service settings', async (t) => {
  const { box, proc, images } = shopBox(t);
  const view = await createComposeApp(box, proc, SHOP);
  assert.equal(view.state, 'running');
  const app = proc.store.getApp('shop')!;
  const containers = containersBy(box);
  assert.deepEqual(Object.values(containers).map((c) => c.name).sort(), ['shop-api-1', 'shop-db-1', 'shop-web-1']);
  for (const [service, c] of Object.entries(containers)) {
    const latched = app.services.find((s) => s.name === service)!.latched!;
    assert.equal(c.image, images[service as keyof typeof images].imageId, `${service} runs the image id, never the tag`);
    assert.equal(latched.manifestDigest, images[service as keyof typeof images].manifestDigest);
    assert.deepEqual(
      Object.fromEntries(Object.entries(c.labels).filter(([k]) => k !== 'team')),
      {
        [LABEL.app]: 'shop', [LABEL.service]: service,
        [COMPOSE_LABEL.project]: 'shop', [COMPOSE_LABEL.service]: service, [COMPOSE_LABEL.containerNumber]: '1', [COMPOSE_LABEL.oneoff]: 'False',
        [COMPOSE_LABEL.configFiles]: FILE, [COMPOSE_LABEL.workingDir]: '/srv/shop',
        [LABEL.reference]: `registry.test/shop/${service}:1`, [LABEL.indexDigest]: latched.indexDigest, [LABEL.manifestDigest]: latched.manifestDigest, [LABEL.imageId]: latched.imageId,
        [LABEL.definition]: definitionLabel(app),
      },
      `${service}: Compose's labels and Tagkeeper's (the definition too), no operation label on a create`,
    );
    assert.deepEqual(c.config, composeServiceConfig(app.compose!, app.compose!.project.services.find((s) => s.name === service)!));
  }
  assert.equal(containers.web.labels.team, 'edge', "the service's own labels too");
  assert.deepEqual(containers.web.config.environment, { MODE: 'one' });
  assert.deepEqual(containers.web.config.ports, [{ target: 80, published: 8080, hostIp: null, protocol: 'tcp' }]);
  assert.deepEqual(containers.db.config.networks, { shop_back: { aliases: ['database', 'db'] } }, 'engine network names, the service name as an alias');
  assert.deepEqual(
    containers.api.config.mounts.map((m) => [m.type, 'source' in m ? m.source : null, m.target]),
    [['volume', 'shared-cache', '/cache'], ['bind', '/srv/shop/conf', '/conf'], ['volume', 'shop_data', '/data']],
    'volume sources are engine names, a relative bind is relative to the Compose file',
  );
  assertConsistent(box, app);
  const ledger = proc.store.listLedger({ app: 'shop' });
  assert.equal(ledger.at(-1)?.action, 'create');
  assert.equal(ledger.at(-1)?.detail, `compose definition ${app.compose!.hash} from ${FILE}`);
});

test('services are created and started in depends_on order, not by name', async (t) => {
  const { box, proc } = shopBox(t);
  await createComposeApp(box, proc, SHOP);
  const names = (method: string) => box.engine.calls.filter((c) => c.method === method).map((c) => c.name);
  assert.deepEqual(names('createContainer'), ['shop-db-1', 'shop-api-1', 'shop-web-1']);
  assert.deepEqual(names('startContainer'), ['shop-db-1', 'shop-api-1', 'shop-web-1']);
  const made = box.engine.calls.map((c) => c.method);
  assert.ok(made.lastIndexOf('createNetwork') < made.indexOf('createContainer') && made.lastIndexOf('createVolume') < made.indexOf('createContainer'), 'networks and volumes first');
});

const HEALTHY = (condition: string) => `
services:
  web:
    image: registry.test/shop/web:1
    depends_on: {db: {condition: ${condition}}}
  db:
    image: registry.test/shop/db:1
`;

test('service_healthy: the dependent starts only once its dependency reports healthy (fake clock)', async (t) => {
  const { box, proc, images } = shopBox(t);
  box.engine.script({ image: images.db.imageId }, { health: { afterMs: 7000, status: 'healthy' } });
  await createComposeApp(box, proc, HEALTHY('service_healthy'));
  const starts = box.engine.calls.filter((c) => c.method === 'startContainer').map((c) => [c.name, c.at]);
  assert.deepEqual(starts, [['shop-db-1', 0], ['shop-web-1', 7000]]);
  assert.equal(box.engine.container('shop-db-1')?.health(box.clock.elapsed), 'healthy');
  assertConsistent(box, proc.store.getApp('shop')!);
});

test('a health check in the service (none scripted) turns healthy after its interval', async (t) => {
  const { box, proc } = shopBox(t);
  const yaml = HEALTHY('service_healthy').replace('    image: registry.test/shop/db:1\n', '    image: registry.test/shop/db:1\n    healthcheck: {test: ["CMD", "true"], interval: 3s}\n');
  await createComposeApp(box, proc, yaml);
  assert.equal(box.engine.calls.find((c) => c.name === 'shop-web-1' && c.method === 'startContainer')?.at, 3000);
});

test('a dependency that turns unhealthy fails the create, naming both services, and leaves no container', async (t) => {
  const { box, proc, images } = shopBox(t);
  box.engine.script({ image: images.db.imageId }, { health: { afterMs: 4000, status: 'unhealthy' } });
  await rejectsWith(createComposeApp(box, proc, HEALTHY('service_healthy')), 'app shop was created, but it failed to start: service web of app shop was not started: its dependency db turned unhealthy');
  assert.deepEqual(box.engine.allContainers(), [], 'what was made is removed');
  assert.equal(box.engine.calls.some((c) => c.name === 'shop-web-1'), false, 'web was never created');
  const app = proc.store.getApp('shop')!;
  assert.equal(app.intent, 'failed');
  assert.ok(app.services.every((s) => s.containerId === null));
  assert.deepEqual(proc.store.listLedger({ app: 'shop' }).map((e) => [e.action, e.outcome]).at(-1), ['create', 'failed']);
});

test('a dependency that never turns healthy, or has no health check, fails the create', async (t) => {
  const { box, proc, images } = shopBox(t);
  box.engine.script({ image: images.db.imageId }, { health: { afterMs: 10 * DEPENDENCY_WAIT_MS, status: 'healthy' } });
  await rejectsWith(createComposeApp(box, proc, HEALTHY('service_healthy')), `app shop was created, but it failed to start: service web of app shop was not started: its dependency db did not turn healthy within ${DEPENDENCY_WAIT_MS / 1000} s`);
  assert.equal(box.clock.elapsed, DEPENDENCY_WAIT_MS, 'waited exactly as long as allowed');

  const other = shopBox(t);
  await rejectsWith(createComposeApp(other.box, other.proc, HEALTHY('service_healthy')), 'app shop was created, but it failed to start: service web of app shop was not started: its dependency db has no health check, so it can never be healthy');
  assert.deepEqual(other.box.engine.allContainers(), []);
});

test('service_completed_successfully: the dependent starts once its dependency exits 0', async (t) => {
  const { box, proc, images } = shopBox(t);
  box.engine.script({ image: images.db.imageId }, { exit: { afterMs: 4500, code: 0 } });
  await createComposeApp(box, proc, HEALTHY('service_completed_successfully'));
  assert.equal(box.engine.calls.find((c) => c.name === 'shop-web-1' && c.method === 'startContainer')?.at, 4500);
  const db = box.engine.container('shop-db-1')!;
  assert.deepEqual([db.status, db.exitCode], ['exited', 0], 'the finished one stays, exited');
  assert.equal(box.engine.container('shop-web-1')?.status, 'running');
});

test('service_completed_successfully: another exit code fails the create and leaves no container', async (t) => {
  const { box, proc, images } = shopBox(t);
  box.engine.script({ image: images.db.imageId }, { exit: { afterMs: 1200, code: 3 } });
  await rejectsWith(createComposeApp(box, proc, HEALTHY('service_completed_successfully')), 'app shop was created, but it failed to start: service web of app shop was not started: its dependency db exited with code 3');
  assert.deepEqual(box.engine.allContainers(), []);
});
