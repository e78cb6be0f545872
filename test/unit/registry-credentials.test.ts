/**
 * Which credentials a pull uses and how they are listed, on the fake box through the real
 * handlers: Tagkeeper's saved ones first, then the docker CLI's, then none; the engine gets
 * the same login (an identity token as such, Docker Hub under its v1 address); the listing
 * masks every secret and says which source is in use. The same runs against a real registry
 * and engine in test/integration/docker-credentials.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeBox } from '../helpers/fake-deps';

const REF = 'registry.test/team/app:1';

test("a pull sends the engine the Docker login when Tagkeeper has none, and Tagkeeper's once saved", async (t) => {
  const box = FakeBox.for(t);
  box.publish(REF);
  box.publish('redis:7');
  box.dockerLogins.found.set('registry.test', { username: 'docker-user', password: 'docker-pass', source: 'docker config.json' });
  box.dockerLogins.found.set('docker.io', { username: '<token>', password: '', identityToken: 'refresh-1', source: 'helper: pass' });
  const { client } = box.start();

  await client.call('apps:create', { name: 'one', services: [{ name: 'main', image: REF }] });
  await client.call('apps:create', { name: 'hub', services: [{ name: 'main', image: 'redis:7' }] });
  await client.call('registries:set', { host: 'registry.test', username: 'saved-user', password: 'saved-pass' });
  box.publish(REF);
  await client.call('apps:refresh', { name: 'one' });

  assert.deepEqual(
    box.engine.pullAuths.map((p) => p.auth),
    [
      { username: 'docker-user', password: 'docker-pass', serveraddress: 'registry.test' },
      { username: '', password: '', identitytoken: 'refresh-1', serveraddress: 'https://index.docker.io/v1/' },
      { username: 'saved-user', password: 'saved-pass', serveraddress: 'registry.test' },
    ],
  );
});

test('no credentials anywhere: the engine pulls anonymously', async (t) => {
  const box = FakeBox.for(t);
  box.publish(REF);
  const { client } = box.start();
  await client.call('apps:create', { name: 'one', services: [{ name: 'main', image: REF }] });
  assert.deepEqual(box.engine.pullAuths.map((p) => p.auth), [null]);
});

test("the listing: Tagkeeper's first, Docker's after; a Docker login shadowed by Tagkeeper's or whose helper failed is not in use", async (t) => {
  const box = FakeBox.for(t);
  box.dockerLogins.entries.push(
    { host: 'registry.test', username: 'docker-user', source: 'docker config.json', problem: null },
    { host: 'docker.io', username: 'hubber', source: 'helper: pass', problem: null },
    { host: 'fail.lan', username: null, source: 'helper: tkfail', problem: 'credential helper docker-credential-tkfail failed (exit 1) for registry fail.lan' },
  );
  const { client } = box.start();
  await client.call('registries:set', { host: 'registry.test', username: 'saved-user', password: 'saved-pass' });
  const listed = await client.call('registries:list', {});
  assert.deepEqual(listed, [
    { host: 'registry.test', username: 'saved-user', password: '••••••', source: 'Tagkeeper', inUse: true, problem: null },
    { host: 'registry.test', username: 'docker-user', password: '••••••', source: 'docker config.json', inUse: false, problem: null },
    { host: 'docker.io', username: 'hubber', password: '••••••', source: 'helper: pass', inUse: true, problem: null },
    { host: 'fail.lan', username: '-', password: '-', source: 'helper: tkfail', inUse: false, problem: 'credential helper docker-credential-tkfail failed (exit 1) for registry fail.lan' },
  ]);
  assert.ok(!JSON.stringify(listed).includes('saved-pass'));
});

test("registries:status: the engine's mirrors and insecure registries, Docker's config file, the rate limits kept", async (t) => {
  const box = FakeBox.for(t);
  box.engine.registry = { mirrors: ['http://127.0.0.1:5001/'], insecureRegistries: ['reg.lan:5000'], insecureCidrs: ['127.0.0.0/8'] };
  const { client, store } = box.start();
  store.saveRateLimit({ registry: 'docker.io', limit: 100, remaining: 0, windowSeconds: 21600, seenAt: '2026-01-01T00:00:00.000Z' });
  assert.deepEqual(await client.call('registries:status', {}), {
    dockerConfig: '/fake/.docker/config.json',
    mirrors: ['http://127.0.0.1:5001/'],
    engineInsecureRegistries: ['reg.lan:5000', '127.0.0.0/8'],
    engineError: null,
    rateLimits: [{ registry: 'docker.io', limit: 100, remaining: 0, windowSeconds: 21600, seenAt: '2026-01-01T00:00:00.000Z' }],
  });
  box.engine.reachable = false;
  const down = await client.call('registries:status', {});
  assert.deepEqual([down.mirrors, down.engineInsecureRegistries], [[], []]);
  assert.match(down.engineError ?? '', /./);
});
