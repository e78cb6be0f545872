/**
 * `app create` under each pull policy, against a real engine and registry (PRODUCT.md
 * behaviour 1): image absent / present / registry down. The registry's own log proves
 * what was (not) downloaded; the engine proves what runs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { before } from '../helpers/hooks';
import type { BuiltImage } from '../helpers/image-builder';
import { publish } from '../helpers/lifecycle';
import { classify, useSite } from '../helpers/site';

const site = useSite();
let v1: BuiltImage;
let ref: string;

before(async () => {
  v1 = await publish(site, 'busy', '1', 'policies-v1');
  ref = `${site.registry.host}/busy:1`;
});

const create = (name: string, ...extra: string[]) => site.cli(['app', 'create', name, '--image', ref, '--network', 'none', '--json', ...extra]);

describe('image absent', () => {
  test('policy always (the default) pulls it and runs exactly that content', async () => {
    site.registry.clearRequests();
    const result = await create('first');
    assert.equal(result.code, 0, result.stderr);
    const app = result.json();
    assert.equal(app.state, 'running');
    assert.equal(app.pullPolicy, 'always');
    assert.equal(app.pullPolicySource, 'device');
    const s = app.services[0];
    assert.equal(s.name, 'main');
    assert.equal(s.canonical, `${site.registry.host}/busy:1`);
    assert.equal(s.latched.manifestDigest, v1.manifestDigest);
    assert.equal(s.latched.indexDigest, v1.manifestDigest, 'single-platform image: the tag points at the manifest itself');
    assert.equal(s.latched.imageId, v1.configDigest);
    assert.equal(s.updateAvailable, false);

    const container = await site.docker.getContainer(s.containerId).inspect();
    assert.equal(container.State.Running, true);
    assert.equal(container.Image, v1.configDigest);
    assert.equal(container.Config.Image, v1.configDigest, 'created from the image id, never from the tag');
    assert.equal(container.Config.Labels['tagkeeper.app'], 'first');
    assert.equal(container.Config.Labels['tagkeeper.manifest-digest'], v1.manifestDigest);

    const traffic = classify(await site.registry.settledRequests());
    assert.equal(traffic.blobGets.length, v1.layers.length + 1, 'layers and config were downloaded once');
  });

  test('policy never refuses, names the policy, and starts nothing', async () => {
    await publish(site, 'never', '1', 'never-absent');
    const result = await site.cli(['app', 'create', 'nev', '--image', `${site.registry.host}/never:1`, '--pull-policy', 'never', '--network', 'none']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^tagkeeper: app nev was not created: service main: .* is not on this box and pull policy "never" forbids pulling it/);
    assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
    const show = await site.cli(['app', 'show', 'nev', '--json']);
    assert.equal(show.code, 2, 'nothing was recorded: the name is free');
    assert.match(show.stderr, /no app named "nev"/);
  });

  test('registry down with nothing on disk: the app fails with the registry named', async () => {
    await site.registry.pause();
    try {
      const result = await site.cli(['app', 'create', 'down', '--image', `${site.registry.host}/other:1`, '--network', 'none']);
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`${site.registry.host.replace(/\./g, '\\.')}`));
      assert.match(result.stderr, /unreachable|refused/i);
    } finally {
      await site.registry.resume();
    }
  });
});

describe('a create that fails', () => {
  test('a tag the registry does not know: not created, nothing recorded, the name stays free', async () => {
    const result = await site.cli(['app', 'create', 'typo', '--image', `${site.registry.host}/busy:nope`, '--network', 'none']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^tagkeeper: app typo was not created: service main: /);
    assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
    assert.equal((await site.cli(['app', 'show', 'typo'])).code, 2, 'no app holds the name');
    assert.deepEqual((await site.cli(['ledger', '--json'])).json<{ app: string }[]>().filter((e) => e.app === 'typo'), [], 'nothing recorded');
    const fixed = await site.cli(['app', 'create', 'typo', '--image', ref, '--network', 'none', '--json']);
    assert.equal(fixed.code, 0, fixed.stderr);
  });

  test('a container that cannot start: "created, but it failed to start", naming the app and how to free the name', async () => {
    const result = await site.cli(['app', 'create', 'broken', '--image', ref, '--network', 'no-such-net']);
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
    assert.match(result.stderr, /^tagkeeper: app broken was created, but it failed to start: /);
    assert.match(result.stderr, /see it with tagkeeper app show broken; tagkeeper app delete broken frees the name/);
    const show = (await site.cli(['app', 'show', 'broken', '--json'])).json();
    assert.equal(show.state, 'failed');
    assert.match(show.error.message, /^app broken was created, but it failed to start/);
    assert.equal((await site.cli(['app', 'delete', 'broken'])).code, 0);
    assert.equal((await site.cli(['app', 'show', 'broken'])).code, 2);
  });
});

describe('image present', () => {
  test('policy always asks the registry (one HEAD) and downloads nothing when the digest is the same', async () => {
    site.registry.clearRequests();
    const result = await create('second');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.json().services[0].latched.manifestDigest, v1.manifestDigest);
    const traffic = classify(await site.registry.settledRequests());
    assert.equal(traffic.manifestHeads.length, 1);
    assert.equal(traffic.manifestGets.length, 0);
    assert.equal(traffic.blobGets.length, 0);
  });

  test('policy always with the registry down fails even though the image is on disk, and says why', async () => {
    await site.registry.pause();
    try {
      const result = await create('strict');
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^tagkeeper: app strict was not created: service main: cannot resolve .*pull policy "always" forbids falling back to the image on disk/);
      assert.match(result.stderr, /if-not-present/);
      const show = await site.cli(['app', 'show', 'strict', '--json']);
      assert.equal(show.code, 2, 'nothing was recorded: the name is free');
      const containers = await site.docker.listContainers({ all: true, filters: { label: ['tagkeeper.app=strict'] } });
      assert.equal(containers.length, 0, 'nothing was started');
    } finally {
      await site.registry.resume();
    }
  });

  test('policy if-not-present uses the image on disk with zero registry requests', async () => {
    site.registry.clearRequests();
    const result = await create('relaxed', '--pull-policy', 'if-not-present');
    assert.equal(result.code, 0, result.stderr);
    const app = result.json();
    assert.equal(app.pullPolicy, 'if-not-present');
    assert.equal(app.pullPolicySource, 'app');
    assert.equal(app.services[0].latched.imageId, v1.configDigest);
    assert.equal(app.services[0].latched.manifestDigest, v1.manifestDigest, 'digests known from the earlier resolution');
    assert.deepEqual(await site.registry.settledRequests(), []);
  });

  test('policy never runs what is on disk with zero registry requests, even with the registry down', async () => {
    await site.registry.pause();
    try {
      const result = await create('offline', '--pull-policy', 'never');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.json().services[0].latched.imageId, v1.configDigest);
    } finally {
      await site.registry.resume();
    }
  });

  test('the device default applies to apps without a policy', async () => {
    assert.equal((await site.cli(['settings', 'set', 'pull-policy', 'if-not-present'])).code, 0);
    site.registry.clearRequests();
    try {
      const result = await create('defaulted');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.json().pullPolicy, 'if-not-present');
      assert.equal(result.json().pullPolicySource, 'device');
      assert.deepEqual(await site.registry.settledRequests(), []);
    } finally {
      await site.cli(['settings', 'set', 'pull-policy', 'always']);
    }
  });
});

test('a moved tag: a new app gets the new content while the old app keeps its own digest', async () => {
  const before = (await site.cli(['app', 'show', 'first', '--json'])).json();
  const v2 = await publish(site, 'busy', '1', 'policies-v2');
  const result = await create('later');
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.json().services[0].latched.manifestDigest, v2.manifestDigest);
  const first = (await site.cli(['app', 'show', 'first', '--json'])).json();
  assert.equal(first.services[0].latched.manifestDigest, v1.manifestDigest);
  assert.equal(first.services[0].containerId, before.services[0].containerId, 'the first app was not touched');
  const container = await site.docker.getContainer(first.services[0].containerId).inspect();
  assert.equal(container.Image, v1.configDigest);
});

test('the ledger records resolutions and downloads with the actor', async () => {
  const result = await site.cli(['ledger', 'first', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const entries = result.json();
  const actions = entries.map((e: { action: string }) => e.action);
  assert.deepEqual(actions, ['resolve', 'download', 'create']);
  assert.equal(entries[0].to.manifestDigest, v1.manifestDigest);
  assert.equal(entries[0].source, 'registry');
  assert.ok(entries.every((e: { actor: string }) => e.actor.length > 0));
});
