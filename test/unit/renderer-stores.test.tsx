// The renderer's stores with a fake client: refetch on events (debounced, per app), per-app
// pending and outcome, pull progress, cancels, settings saved key by key, the engine status.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TagkeeperError, type ErrorCode } from '../../main/api/errors';
import { meansDisconnected } from '../../renderer/src/lib/errors';
import type { PullProgress } from '../../main/api/types/events';
import type { RegistryView } from '../../main/api/types/settings';
import { createAppsStore } from '../../renderer/src/stores/apps-store';
import { createEngineStore } from '../../renderer/src/stores/engine-store';
import { createOperationsStore, PULLS_KEPT } from '../../renderer/src/stores/operations-store';
import { createSettingsStore } from '../../renderer/src/stores/settings-store';
import { createImagesStore } from '../../renderer/src/stores/images-store';
import { createStores } from '../../renderer/src/stores/create-stores';
import { createUpdatesStore } from '../../renderer/src/stores/updates-store';
import { isCoreEvent } from '../../renderer/src/client/ipc-client';
import { deferred, eventually, fakeClient } from '../../renderer/test-support/fake-client';
import { app, image, operation, pendingUpdate, pendingView, result, service, settings } from '../../renderer/test-support/fixtures';

const progress = (bytesDone: number): PullProgress => ({
  reference: 'docker.io/library/redis:7', layers: [], layersTotal: 2, layersDone: 1, bytesDone, bytesTotal: 100, startedAt: 0, bytesPerSecond: 10,
});

describe('apps store', () => {
  test('loads the list sorted by name', async () => {
    const client = fakeClient({ 'apps:list': () => [app('web'), app('db')] });
    const store = createAppsStore(client);
    await store.getState().load();
    assert.deepEqual(store.getState().apps.map((a) => a.name), ['db', 'web']);
    assert.equal(store.getState().loaded, true);
  });

  test('a burst of events for a few apps fetches each once, with apps:show', async () => {
    let version = 0;
    const client = fakeClient({
      'apps:list': () => [app('web'), app('db')],
      'apps:show': ({ name }) => app(name, { state: version > 0 ? 'stopped' : 'running' }),
    });
    const store = createAppsStore(client, { debounceMs: 1 });
    await store.getState().load();
    version = 1;
    for (let i = 0; i < 5; i++) store.getState().changed('web');
    store.getState().changed('new');
    await store.batcher.flush();
    assert.deepEqual(client.callsOf('apps:show'), [{ name: 'web' }, { name: 'new' }]);
    assert.equal(client.callsOf('apps:list').length, 1);
    assert.equal(store.getState().apps.find((a) => a.name === 'web')?.state, 'stopped');
    assert.deepEqual(store.getState().apps.map((a) => a.name), ['db', 'new', 'web']);
  });

  test('many changed apps at once fetch the whole list instead', async () => {
    const client = fakeClient({ 'apps:list': () => [app('a')], 'apps:show': ({ name }) => app(name) });
    const store = createAppsStore(client, { debounceMs: 1 });
    await store.getState().load();
    for (let i = 0; i < 20; i++) store.getState().changed(`app${i}`);
    await store.batcher.flush();
    assert.equal(client.callsOf('apps:show').length, 0);
    assert.equal(client.callsOf('apps:list').length, 2);
  });

  test('an app deleted elsewhere disappears when its event arrives', async () => {
    const client = fakeClient({
      'apps:list': () => [app('web'), app('db')],
      'apps:show': ({ name }) => {
        throw new TagkeeperError('unknown-app', `there is no app named "${name}"`);
      },
    });
    const store = createAppsStore(client, { debounceMs: 1 });
    await store.getState().load();
    store.getState().changed('web');
    await store.batcher.flush();
    assert.deepEqual(store.getState().apps.map((a) => a.name), ['db']);
  });

  test('an action is pending until its answer, then shows its outcome; other apps are untouched', async () => {
    const answer = deferred<ReturnType<typeof result>>();
    const client = fakeClient({ 'apps:list': () => [app('web'), app('db')], 'apps:show': ({ name }) => app(name), 'apps:refresh': () => answer.promise });
    const store = createAppsStore(client, { debounceMs: 1 });
    await store.getState().load();
    const running = store.getState().run('web', 'refresh', { restart: true });
    assert.equal(store.getState().items.web.pending, 'refresh');
    assert.equal(store.getState().items.db, undefined);
    // A second click while waiting sends nothing.
    await store.getState().run('web', 'refresh');
    answer.resolve(result({ kind: 'refresh', changed: true, restarted: true }));
    await running;
    assert.deepEqual(client.callsOf('apps:refresh'), [{ name: 'web', restart: true, purge: false }]);
    assert.deepEqual(store.getState().items.web, { pending: null, outcome: 'refresh: done, changed, restarted', error: null });
  });

  test('a failed operation and a refused request both keep their error per app', async () => {
    const client = fakeClient({
      'apps:list': () => [app('web'), app('db')],
      'apps:show': ({ name }) => app(name),
      'apps:restart': () => result({ kind: 'restart', outcome: 'failed', changed: false, restarted: false, error: { code: 'pull-failed', message: 'pull of redis:7 failed', hint: 'check the registry' } }),
      'apps:start': () => {
        throw new TagkeeperError('busy', 'app db is busy', { hint: 'wait' });
      },
    });
    const store = createAppsStore(client, { debounceMs: 1 });
    await store.getState().load();
    await store.getState().run('web', 'restart');
    await store.getState().run('db', 'start');
    assert.equal(store.getState().items.web.outcome, 'restart: failed: pull of redis:7 failed');
    assert.equal(store.getState().items.web.error?.hint, 'check the registry');
    assert.equal(store.getState().items.db.outcome, 'start: app db is busy');
    assert.equal(store.getState().items.db.error?.code, 'busy');
  });

  test('check reports updates found; delete removes the app', async () => {
    const client = fakeClient({
      'apps:list': () => [app('web')],
      'apps:show': ({ name }) => app(name),
      'images:check': () => ({
        checkedAt: 'now', references: 1,
        services: [{ app: 'web', service: 'main', reference: 'redis:7', latched: null, available: null, status: 'update-available', error: null, source: null }],
        pending: [pendingUpdate()],
        rateLimits: [],
        followUp: { applied: [], prefetched: [], errors: [] },
      }),
      'apps:delete': ({ name }) => ({ deleted: name }),
    });
    const store = createAppsStore(client, { debounceMs: 1 });
    await store.getState().load();
    await store.getState().run('web', 'check');
    assert.deepEqual(client.callsOf('images:check'), [{ apps: ['web'] }]);
    assert.equal(store.getState().items.web.outcome, 'check: 1 update available, 1 waiting for approval');
    await store.getState().run('web', 'delete', { volumes: true });
    assert.deepEqual(client.callsOf('apps:delete'), [{ name: 'web', volumes: true }]);
    assert.deepEqual(store.getState().apps, []);
  });
});

describe('operations store', () => {
  test('keeps the latest progress of each pull, and only the newest pulls', () => {
    let clock = 0;
    const store = createOperationsStore(fakeClient(), { now: () => ++clock });
    store.getState().pullProgress('web', 'main', progress(10));
    store.getState().pullProgress('web', 'main', progress(60));
    assert.equal(Object.keys(store.getState().pulls).length, 1);
    assert.equal(store.getState().pulls['web/main'].progress.bytesDone, 60);
    for (let i = 0; i < PULLS_KEPT + 5; i++) store.getState().pullProgress(`app${i}`, 'main', progress(1));
    assert.equal(Object.keys(store.getState().pulls).length, PULLS_KEPT);
    assert.equal(store.getState().pulls['web/main'], undefined);
  });

  test('cancel shows the core\'s answer and refetches the list', async () => {
    const client = fakeClient({
      'operations:list': () => [operation({ id: 7 })],
      'operations:cancel': () => ({ cancelled: false, reason: 'operation 7 is switching: it always completes' }),
    });
    const store = createOperationsStore(client, { debounceMs: 1 });
    await store.getState().cancel(7);
    assert.equal(store.getState().cancels[7].message, 'not cancelled: operation 7 is switching: it always completes');
    await store.batcher.flush();
    assert.deepEqual(store.getState().operations.map((o) => o.id), [7]);
  });
});

describe('updates store', () => {
  test('app events refetch the list only once someone looked; an older answer never replaces a newer one', async () => {
    const answers = [deferred<ReturnType<typeof pendingView>[]>(), deferred<ReturnType<typeof pendingView>[]>()];
    let call = 0;
    const client = fakeClient({ 'updates:list': (request) => (request.sizes === false ? [] : answers[call++].promise) });
    const store = createUpdatesStore(client, { debounceMs: 1 });
    store.getState().changed();
    await store.batcher.flush();
    assert.equal(client.callsOf('updates:list').length, 0, 'nobody looked yet');
    const first = store.getState().load();
    const second = store.getState().load();
    answers[1].resolve([pendingView({ id: 2 })]);
    await second;
    answers[0].resolve([pendingView({ id: 1 })]);
    await first;
    assert.deepEqual(store.getState().updates.map((u) => u.id), [2]);
    assert.equal(store.getState().loaded, true);
  });

  test('approve and reject record their outcome per app, refetch, and tell the app changed', async () => {
    const changedApps: string[] = [];
    const client = fakeClient({
      'updates:list': () => [],
      'updates:approve': () => ({ approved: [pendingUpdate({ state: 'approved', decidedBy: 'ana' })], result: result({ kind: 'apply' }) }),
      'updates:reject': () => {
        throw new TagkeeperError('invalid-input', 'there is no pending update to reject for app db');
      },
    });
    const store = createUpdatesStore(client, { afterDecision: (name) => changedApps.push(name), now: () => 42 });
    await store.getState().approve('web', null);
    await store.getState().reject('db', 'main');
    assert.deepEqual(client.callsOf('updates:approve'), [{ app: 'web' }]);
    assert.deepEqual(client.callsOf('updates:reject'), [{ app: 'db', service: 'main' }]);
    assert.equal(store.getState().decisions.web.outcome?.tone, 'done');
    assert.equal(store.getState().decisions.web.startedAt, 42);
    assert.equal(store.getState().decisions.db.error?.message, 'there is no pending update to reject for app db');
    assert.deepEqual(changedApps, ['web', 'db']);
    assert.deepEqual(client.callsOf('updates:list'), [{ sizes: false }, {}, {}], 'the first load in two steps (without sizes, then with), the second in one');
    store.getState().forget('web');
    assert.equal(store.getState().decisions.web, undefined);
  });
});

describe('settings store', () => {
  test('saves changed keys one by one and keeps the error of each refused one', async () => {
    let saved = settings();
    const client = fakeClient({
      'settings:get': () => saved,
      'registries:list': () => [],
      'settings:set': ({ key, value }) => {
        if (key === 'insecure-registries') throw new TagkeeperError('invalid-settings', `insecure-registries: "${value}" is not a registry host`);
        if (key === 'offline') saved = { ...saved, offline: value === 'on' };
        return saved;
      },
    });
    const store = createSettingsStore(client);
    await store.getState().load();
    const ok = await store.getState().save({ offline: 'on', 'insecure-registries': 'bad host' });
    assert.equal(ok, false);
    assert.equal(store.getState().settings?.offline, true);
    assert.match(store.getState().errors['insecure-registries']?.message ?? '', /not a registry host/);
    assert.equal(store.getState().errors.offline, undefined);
  });

  test('registry credentials: the list is refetched after a save; errors stay with the form', async () => {
    const stored: RegistryView[] = [];
    const client = fakeClient({
      'registries:list': () => stored,
      'registries:set': ({ host, username }) => {
        if (!username) throw new TagkeeperError('invalid-input', `registry ${host}: the username is empty`);
        const view: RegistryView = { host, username, password: '••••••', source: 'Tagkeeper', inUse: true, problem: null };
        stored.push(view);
        return view;
      },
    });
    const store = createSettingsStore(client);
    assert.equal(await store.getState().setRegistry('ghcr.io', 'me', 'secret'), true);
    assert.deepEqual(store.getState().registries, [{ host: 'ghcr.io', username: 'me', password: '••••••', source: 'Tagkeeper', inUse: true, problem: null }]);
    assert.equal(await store.getState().setRegistry('ghcr.io', '', 'secret'), false);
    assert.match(store.getState().registryStatus[''].error?.message ?? '', /username is empty/);
  });
});

describe('engine store', () => {
  test('reachable, unreachable (with the endpoint), or disconnected from the instance', async () => {
    let answer: 'up' | 'down' | 'gone' | 'token' = 'down';
    const client = fakeClient({
      'engine:status': () => {
        if (answer === 'gone') throw new TagkeeperError('instance-unreachable', 'the Tagkeeper instance did not answer', { hint: 'is serve running?' });
        if (answer === 'token') throw new TagkeeperError('unauthorized', 'refused this page\'s token', { hint: 'open the URL' });
        return answer === 'up'
          ? { reachable: true, endpoint: 'unix:///run/d.sock', source: 'default socket', platform: { os: 'linux', architecture: 'amd64' }, identity: { id: 'E1', root: '/var/lib/docker', name: 'box' }, error: null }
          : { reachable: false, endpoint: 'unix:///run/d.sock', source: 'from DOCKER_CONTEXT=lab', platform: null, identity: null, error: { code: 'engine-unreachable', message: 'Docker Engine not reachable at unix:///run/d.sock (connect ENOENT)' } };
      },
    });
    const store = createEngineStore(client);
    assert.equal(store.getState().status.kind, 'checking');
    assert.equal(await store.getState().check(), false);
    assert.deepEqual(store.getState().status, {
      kind: 'unreachable', endpoint: 'unix:///run/d.sock', source: 'from DOCKER_CONTEXT=lab', error: { code: 'engine-unreachable', message: 'Docker Engine not reachable at unix:///run/d.sock (connect ENOENT)' },
    });
    answer = 'up';
    assert.equal(await store.getState().check(), true);
    assert.deepEqual(store.getState().status, { kind: 'reachable', endpoint: 'unix:///run/d.sock', source: 'default socket', platform: { os: 'linux', architecture: 'amd64' } });
    answer = 'token';
    await store.getState().check();
    assert.deepEqual(store.getState().status.kind === 'disconnected' && store.getState().status, { kind: 'disconnected', error: { code: 'unauthorized', message: 'refused this page\'s token', hint: 'open the URL' } });
    answer = 'gone';
    await store.getState().check();
    assert.deepEqual(store.getState().status, { kind: 'disconnected', error: { code: 'instance-unreachable', message: 'the Tagkeeper instance did not answer', hint: 'is serve running?' } });
  });

  test('what sends a failed request to the engine check: the engine or the instance gone, or the token refused; not one bad answer', () => {
    const disconnected = (code: ErrorCode) => meansDisconnected(new TagkeeperError(code, 'x'));
    assert.deepEqual((['engine-unreachable', 'engine-mismatch', 'instance-unreachable', 'unauthorized'] as const).map(disconnected), [true, true, true, true]);
    assert.deepEqual((['instance-error', 'internal', 'registry-unreachable', 'unknown-app'] as const).map(disconnected), [false, false, false, false]);
    assert.equal(meansDisconnected(new Error('boom')), false);
  });
});

describe('stores wired to events', () => {
  function wiredClient() {
    let engineUp = true;
    const client = fakeClient({
      'engine:status': () => ({ reachable: engineUp, endpoint: 'unix:///e.sock', source: 'default socket', platform: null, identity: null, error: null }),
      'apps:list': () => {
        if (!engineUp) throw new TagkeeperError('engine-unreachable', 'Docker Engine not reachable at unix:///e.sock');
        return [app('web', { services: [service({ updateAvailable: true })] })];
      },
      'apps:show': ({ name }) => app(name),
      'operations:list': () => [operation()],
      'settings:get': () => settings(),
      'registries:list': () => [],
      'images:list': () => [image()],
    });
    return { client, setEngine: (up: boolean) => (engineUp = up) };
  }

  test('start checks the engine and loads everything; events refetch what they name', async () => {
    const { client } = wiredClient();
    const stores = createStores(client, { debounceMs: 1, retryMs: 0 });
    const stop = stores.start();
    await eventually(() => assert.equal(stores.apps.getState().loaded, true));
    await eventually(() => assert.equal(stores.operations.getState().loaded, true));
    await stores.images.getState().load();
    const before = client.calls.length;
    client.emit({ type: 'operation-changed', id: 1, app: 'web' });
    client.emit({ type: 'app-changed', app: 'web' });
    client.emit({ type: 'pull-progress', app: 'web', service: 'main', progress: progress(5) });
    await eventually(() => {
      const later = client.calls.slice(before).map((c) => c.operation).sort();
      assert.deepEqual(later, ['apps:show', 'images:list', 'operations:list']);
    });
    assert.equal(stores.operations.getState().pulls['web/main'].progress.bytesDone, 5);
    stop();
  });

  test('the first loads go out with the engine check, not after it, and are not sent again on first contact', async () => {
    const { client } = wiredClient();
    const answer = deferred<void>();
    const status = client.handlers['engine:status']!;
    client.handlers['engine:status'] = async (request) => {
      await answer.promise;
      return status(request);
    };
    const stores = createStores(client, { debounceMs: 1, retryMs: 0 });
    const stop = stores.start();
    await eventually(() => assert.equal(stores.apps.getState().loaded, true));
    assert.equal(stores.engine.getState().status.kind, 'checking', 'the apps came while the engine check was still out');
    answer.resolve();
    await eventually(() => assert.equal(stores.engine.getState().status.kind, 'reachable'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(client.callsOf('apps:list').length, 1, 'one apps:list for the first screen');
    stop();
  });

  test('what the Apps screen does not show is asked for once the apps are drawn, not with them', async () => {
    const { client } = wiredClient();
    const drawn = deferred<void>();
    let asked = 0;
    const stores = createStores(client, {
      debounceMs: 1,
      retryMs: 0,
      drawn: () => {
        asked++;
        return drawn.promise;
      },
    });
    const stop = stores.start();
    await eventually(() => assert.equal(stores.apps.getState().loaded, true));
    await eventually(() => assert.equal(asked, 1, 'waits for the apps to be drawn once they came'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const first = client.calls.map((c) => c.operation).sort();
    assert.deepEqual(first, ['apps:list', 'engine:status'], 'only the first screen\'s calls before it is drawn');
    drawn.resolve();
    await eventually(() => assert.equal(stores.operations.getState().loaded, true));
    await eventually(() => assert.notEqual(stores.settings.getState().settings, null));
    assert.deepEqual(client.callsOf('registries:list').length, 1);
    stop();
  });

  test('first contact after a failed first load (the engine was not up yet) loads again', async () => {
    const { client, setEngine } = wiredClient();
    setEngine(false);
    const stores = createStores(client, { debounceMs: 1, retryMs: 0 });
    const stop = stores.start();
    await eventually(() => assert.equal(stores.engine.getState().status.kind, 'unreachable'));
    setEngine(true);
    await stores.engine.getState().check();
    await eventually(() => assert.equal(stores.apps.getState().loaded, true));
    assert.equal(stores.apps.getState().loadError, null);
    stop();
  });

  test('an engine-unreachable answer sends the UI to the engine screen; back, everything reloads', async () => {
    const { client, setEngine } = wiredClient();
    const stores = createStores(client, { debounceMs: 1, retryMs: 0 });
    const stop = stores.start();
    await eventually(() => assert.equal(stores.apps.getState().loaded, true));
    setEngine(false);
    await stores.apps.getState().load();
    await eventually(() => assert.equal(stores.engine.getState().status.kind, 'unreachable'));
    setEngine(true);
    const lists = client.callsOf('apps:list').length;
    await stores.engine.getState().check();
    await eventually(() => assert.equal(client.callsOf('apps:list').length, lists + 1));
    assert.equal(stores.apps.getState().loadError, null);
    stop();
  });

  test('engine-changed (the engine stopped, then came back) shows the engine screen, then reloads everything', async () => {
    const { client, setEngine } = wiredClient();
    const stores = createStores(client, { debounceMs: 1, retryMs: 0 });
    const stop = stores.start();
    await eventually(() => assert.equal(stores.apps.getState().loaded, true));
    setEngine(false);
    client.emit({ type: 'engine-changed', reachable: false });
    await eventually(() => assert.equal(stores.engine.getState().status.kind, 'unreachable'));
    setEngine(true);
    const lists = client.callsOf('apps:list').length;
    client.emit({ type: 'engine-changed', reachable: true });
    await eventually(() => assert.equal(stores.engine.getState().status.kind, 'reachable'));
    await eventually(() => assert.equal(client.callsOf('apps:list').length, lists + 1));
    stop();
    assert.equal(isCoreEvent({ type: 'engine-changed', reachable: true }), true, 'it passes the desktop client\'s filter');
    assert.equal(isCoreEvent({ type: 'engine-changed', reachable: 'yes' }), false);
  });

  test('resync (a re-opened event stream) reloads every store', async () => {
    const { client } = wiredClient();
    const stores = createStores(client, { debounceMs: 1, retryMs: 0 });
    const stop = stores.start();
    await eventually(() => assert.equal(stores.apps.getState().loaded, true));
    const lists = client.callsOf('apps:list').length;
    client.emit({ type: 'resync' });
    await eventually(() => assert.equal(client.callsOf('apps:list').length, lists + 1));
    stop();
  });

  test('the images store refetches on app changes only once someone looked at images', async () => {
    const client = fakeClient({ 'images:list': () => [image()] });
    const store = createImagesStore(client, { debounceMs: 1 });
    store.getState().changed();
    await store.batcher.flush();
    assert.equal(client.callsOf('images:list').length, 0);
    await store.getState().load();
    store.getState().changed();
    await store.batcher.flush();
    assert.equal(client.callsOf('images:list').length, 2);
  });
});
