/**
 * Registry credentials (stored once, used by the registry client and by the engine's pulls,
 * never shown back) against a real registry that requires them; and offline mode, which
 * sends nothing to any registry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { before } from '../helpers/hooks';
import type { BuiltImage } from '../helpers/image-builder';
import { publish } from '../helpers/lifecycle';
import { useSite } from '../helpers/site';

const site = useSite({ registry: { auth: 'basic', username: 'tech', password: 's3cret' } });
let image: BuiltImage;

before(async () => {
  image = await publish(site, 'private', '1', 'private');
});

const ref = () => `${site.registry.host}/private:1`;

test('without credentials a private registry refuses, and the error says so', async () => {
  const result = await site.cli(['app', 'create', 'denied', '--image', ref(), '--network', 'none']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /credentials|unauthori[sz]ed|auth/i);
  assert.match(result.stderr, /^tagkeeper: app denied was not created: /, 'refused at its reference: nothing recorded');
  assert.equal((await site.cli(['app', 'show', 'denied'])).code, 2, 'the name is free');
});

test('stored credentials are used for the manifest check and for the pull, and never shown back', async () => {
  const instance = site.open();
  try {
    const saved = await instance.client.call('registries:set', { host: site.registry.host, username: 'tech', password: 's3cret' });
    const masked = { host: site.registry.host, username: 'tech', password: '••••••', source: 'Tagkeeper', inUse: true, problem: null };
    assert.deepEqual(saved, masked);
    assert.deepEqual(await instance.client.call('registries:list', {}), [masked]);
    const view = await instance.client.call('apps:create', { name: 'private', services: [{ name: 'main', image: ref(), network: 'none' }] });
    assert.equal(view.state, 'running');
    assert.equal(view.services[0].latched?.manifestDigest, image.manifestDigest);
    assert.equal(view.services[0].latched?.imageId, image.configDigest, 'the engine pulled it with the credentials');
    const check = await instance.client.call('images:check', { apps: ['private'] });
    assert.equal(check.services[0].status, 'up-to-date');
  } finally {
    await instance.close();
  }
});

test('offline mode: zero registry requests, plain errors, apps keep running', async () => {
  assert.equal((await site.cli(['settings', 'set', 'offline', 'on'])).code, 0);
  try {
    site.registry.clearRequests();
    const check = await site.cli(['check', '--json']);
    assert.equal(check.code, 1);
    const services = check.json().services;
    assert.equal(services.some((x: { app: string }) => x.app === 'denied'), false, 'the refused create left no app');
    const s = services.find((x: { app: string }) => x.app === 'private');
    assert.equal(s.error.code, 'offline');
    assert.match(s.error.message, /offline mode is on/);

    const refresh = await site.cli(['app', 'refresh', 'private', '--json']);
    assert.equal(refresh.code, 1);
    assert.equal(refresh.json().error.code, 'offline');

    const create = await site.cli(['app', 'create', 'offline-new', '--image', ref(), '--network', 'none']);
    assert.equal(create.code, 1);
    assert.match(create.stderr, /offline mode is on/);

    const relaxed = await site.cli(['app', 'create', 'offline-ok', '--image', ref(), '--network', 'none', '--pull-policy', 'if-not-present', '--json']);
    assert.equal(relaxed.code, 0, relaxed.stderr);

    const show = (await site.cli(['app', 'show', 'private', '--json'])).json();
    assert.equal(show.state, 'running');
    assert.deepEqual(await site.registry.settledRequests(), [], 'not one request reached the registry');
  } finally {
    await site.cli(['settings', 'set', 'offline', 'off']);
  }
});
