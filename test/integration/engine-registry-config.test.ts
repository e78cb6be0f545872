/**
 * The engine's registry configuration, against a private engine whose daemon.json has
 * `registry-mirrors` (a second registry holding `library/…` copies) and `insecure-registries`:
 * check and pull of a docker.io reference go to the mirror only (its access log shows them),
 * Docker Hub is asked last — here a loopback recorder in its place, so a fallback is seen,
 * never sent off the machine; the engine's insecure registry is spoken to in plain HTTP.
 * Rate limits: a header-adding proxy in front of the registry states them; a check shows
 * them, says plainly when none is left, and a 429 saying so is not retried.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, useStarted } from '../helpers/hooks';
import { publishTo, type BuiltImage } from '../helpers/image-builder';
import { publish } from '../helpers/lifecycle';
import { startFaultProxy, type FaultProxy } from '../helpers/registry-fault-proxy';
import { startRegistry, type TestRegistry } from '../helpers/registry';
import { classify, startSite, type TestSite } from '../helpers/site';

/** A loopback server in Docker Hub's place: records every request, has no manifest. */
interface HubRecorder {
  url: string;
  hits: { method: string; path: string }[];
  /** Called at each hit (to see what the mirror had been asked by then). */
  onHit: () => void;
  close(): Promise<void>;
}

async function startHubRecorder(): Promise<HubRecorder> {
  const recorder: HubRecorder = { url: '', hits: [], onHit: () => undefined, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    recorder.hits.push({ method: req.method ?? '', path: req.url ?? '' });
    recorder.onHit();
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  recorder.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  recorder.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return recorder;
}

const INSECURE = 'registry.tk-test.invalid:5000';
const world = useStarted(
  'a mirror registry, a recorder in Docker Hub\'s place, and a site whose engine uses the mirror',
  async () => {
    const [mirror, hub] = await Promise.all([startRegistry(), startHubRecorder()]);
    const site = await startSite({ engine: { daemon: { 'registry-mirrors': [mirror.url], 'insecure-registries': [INSECURE] } } });
    return { mirror, hub, site };
  },
  async ({ mirror, hub, site }: { mirror: TestRegistry; hub: HubRecorder; site: TestSite }) => {
    await site.stop();
    await Promise.all([mirror.stop(), hub.close()]);
  },
);
let copy: BuiltImage;

before(async () => {
  copy = await publishTo(world.mirror, 'library/tkmirror', '1', 'mirror-copy');
});

const cli = (args: string[]) => world.site.cli(args, { TAGKEEPER_DOCKER_HUB_URL: world.hub.url });

test('check and pull of a docker.io reference go to the mirror only', async () => {
  world.mirror.clearRequests();
  const created = await cli(['app', 'create', 'mirrored', '--image', 'tkmirror:1', '--network', 'none', '--json']);
  assert.equal(created.code, 0, created.stderr);
  const service = created.json().services[0];
  assert.equal(service.canonical, 'docker.io/library/tkmirror:1');
  assert.equal(service.latched.manifestDigest, copy.manifestDigest);
  assert.equal(service.latched.imageId, copy.configDigest);
  const seen = classify(await world.mirror.settledRequests());
  assert.ok(seen.manifestHeads.some((r) => r.path === '/v2/library/tkmirror/manifests/1'), 'Tagkeeper resolved the tag at the mirror');
  assert.ok(seen.blobGets.length > 0, 'the engine pulled the layers from the mirror');

  const check = await cli(['check', 'mirrored', '--json']);
  assert.equal(check.code, 0, check.stderr);
  const [checked] = check.json().services;
  assert.equal(checked.status, 'up-to-date');
  assert.deepEqual(checked.source, { origin: world.mirror.url, mirror: true });
  const text = await cli(['check', 'mirrored']);
  assert.match(text.stdout, new RegExp(`up-to-date \\(via mirror ${world.mirror.url.replace(/\./g, '\\.')}\\)`));
  assert.deepEqual(world.hub.hits, [], 'nothing went to Docker Hub');
});

test('a reference the mirror lacks is asked of Docker Hub last (the loopback recorder here)', async () => {
  let mirrorAskedFirst = false;
  world.hub.onHit = () => {
    mirrorAskedFirst ||= world.mirror.requests().some((r) => r.method === 'HEAD' && r.path === '/v2/library/tkabsent/manifests/1' && r.status === 404);
  };
  const created = await cli(['app', 'create', 'absent', '--image', 'tkabsent:1', '--network', 'none']);
  assert.equal(created.code, 1);
  assert.match(created.stderr, /no manifest for docker\.io\/library\/tkabsent:1/);
  assert.deepEqual(world.hub.hits.filter((h) => h.path.includes('tkabsent')), [{ method: 'HEAD', path: '/v2/library/tkabsent/manifests/1' }]);
  assert.ok(mirrorAskedFirst, 'the mirror had answered 404 before Docker Hub was asked');
});

test("the engine's mirrors and insecure registries are shown, and its insecure registry is reached in plain HTTP", async () => {
  const listed = (await cli(['registries', '--json'])).json();
  assert.deepEqual(listed.status.mirrors, [`${world.mirror.url}/`]);
  assert.ok(listed.status.engineInsecureRegistries.includes(INSECURE), listed.status.engineInsecureRegistries.join(', '));
  const shown = await cli(['settings', 'show']);
  assert.match(shown.stdout, new RegExp(`Engine mirrors for docker\\.io: ${world.mirror.url.replace(/\./g, '\\.')}/`));

  // `.invalid` never resolves: the attempt fails at once, after the URL (and its scheme) was chosen.
  const insecure = await cli(['app', 'create', 'plain', '--image', `${INSECURE}/team/app:1`, '--network', 'none']);
  assert.equal(insecure.code, 1);
  assert.match(insecure.stderr, /HEAD http:\/\/registry\.tk-test\.invalid:5000\/v2\/team\/app\/manifests\/1 failed/);
  const secure = await cli(['app', 'create', 'tls', '--image', 'other.tk-test.invalid:5000/team/app:1', '--network', 'none']);
  assert.equal(secure.code, 1);
  assert.match(secure.stderr, /HEAD https:\/\/other\.tk-test\.invalid:5000\/v2\/team\/app\/manifests\/1 failed/);
});

test('rate limits: kept from the answers and shown; none left is said plainly; a 429 saying so is not retried', async () => {
  await publish(world.site, 'limited', '1', 'rate-limited');
  const proxy: FaultProxy = await startFaultProxy(world.site.registry);
  try {
    proxy.addHeaders = { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '76;w=21600' };
    const created = await cli(['app', 'create', 'limited', '--image', `${proxy.host}/limited:1`, '--network', 'none']);
    assert.equal(created.code, 0, created.stderr);
    const check = await cli(['check', 'limited', '--json']);
    assert.equal(check.code, 0, check.stderr);
    assert.deepEqual(
      check.json().rateLimits.map((r: Record<string, unknown>) => ({ ...r, seenAt: typeof r.seenAt })),
      [{ registry: proxy.host, limit: 100, remaining: 76, windowSeconds: 21600, seenAt: 'string' }],
    );
    const text = await cli(['check', 'limited']);
    assert.match(text.stdout, new RegExp(`rate limit of ${proxy.host.replace(/\./g, '\\.')}: 76 of 100 left per 6h$`, 'm'));
    const shown = await cli(['settings', 'show']);
    assert.match(shown.stdout, /rate limit of .*: 76 of 100 left per 6h \(as of /);

    proxy.addHeaders = { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600' };
    const usedUp = await cli(['check', 'limited']);
    assert.equal(usedUp.code, 0, usedUp.stderr);
    assert.match(usedUp.stdout, /: 0 of 100 left per 6h — used up: pulls from .* are refused until the window has passed/);

    proxy.filter = (method, path) => method === 'HEAD' && path.includes('/manifests/');
    proxy.faults.push({ status: 429, headers: { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600' } });
    proxy.hits.length = 0;
    const refused = await cli(['check', 'limited', '--json']);
    assert.equal(refused.code, 1);
    const [service] = refused.json().services;
    assert.equal(service.error.code, 'registry-rate-limited');
    assert.match(service.error.message, /its pull rate limit is used up \(0 of 100 left per 6h\)/);
    assert.equal(proxy.hits.filter((h) => h.method === 'HEAD').length, 1, 'not retried: the window lasts hours');
  } finally {
    await world.site.cli(['app', 'delete', 'limited']);
    await proxy.close();
  }
});
