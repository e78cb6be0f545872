/** @jsxRuntime automatic */
// Key screens rendered in happy-dom with Testing Library, on stores over a fake client:
// the apps list (digests, update state, disabled-with-reason buttons, actions and their
// outcome, delete), the create form (normalized reference, errors beside the field), the
// engine-unreachable screen, activity (pulls, cancel), settings and images.
import '../../renderer/test-support/dom';
import { describe, test, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { TagkeeperError } from '../../main/api/errors';
import { CreateScreen } from '../../renderer/src/components/create/CreateScreen';
import { StoresProvider } from '../../renderer/src/components/StoresContext';
import { createStores } from '../../renderer/src/stores/create-stores';
import { closeDom } from '../../renderer/test-support/dom';
import { baseHandlers, gone, mountApp, openActions, text, WAITING, webWaiting } from '../../renderer/test-support/mount-app';
import { deferred, fakeClient, type Handlers } from '../../renderer/test-support/fake-client';
import { app, DIGEST_A, DIGEST_B, IMAGE_A, image, operation, pendingUpdate, refreshPreview, result, service, settings } from '../../renderer/test-support/fixtures';

const SETTINGS = settings();

/** The whole App over the fake client; the tests wait for what they look at. */
const mount = (overrides: Handlers = {}) => mountApp(overrides, { ready: false });

const byTestId = (id: string) => screen.getByTestId(id);

afterEach(() => cleanup());
after(() => closeDom());

describe('apps screen', () => {
  test('shows each service\'s short digest (full one in data-digest), reference, update state, and the badge', async () => {
    const { stop } = await mount({
      'apps:list': () => [
        app('web', {
          pendingUpdates: [pendingUpdate({ service: 'front' })],
          services: [
            service({ name: 'front', reference: 'nginx:dev', updateAvailable: true, available: { indexDigest: null, manifestDigest: DIGEST_B, checkedAt: new Date().toISOString() } }),
            service({ name: 'cache', available: { indexDigest: null, manifestDigest: DIGEST_A, checkedAt: new Date().toISOString() } }),
          ],
        }),
        app('db', { state: 'stopped' }),
      ],
    });
    await waitFor(() => byTestId('app-row-web'));
    const digest = byTestId('digest-web-front');
    assert.equal(digest.textContent, 'aaaaaaaaaaaa');
    assert.equal(digest.getAttribute('data-digest'), DIGEST_A);
    assert.equal(byTestId('reference-web-front').textContent, 'nginx:dev');
    assert.match(byTestId('update-web-front').textContent ?? '', /update available, waiting for approval/);
    assert.match(byTestId('update-web-cache').textContent ?? '', /up to date/);
    assert.match(byTestId('update-db-main').textContent ?? '', /not checked/);
    assert.equal(byTestId('app-state-web').textContent, 'running');
    assert.equal(byTestId('app-state-db').textContent, 'stopped');
    assert.equal(byTestId('nav-updates-badge').textContent, '1');
    assert.equal(byTestId('app-pending-web').textContent, '1 update waiting for approval');
    stop();
  });

  test('one action per app as its button (Stop, or Start when stopped); the rest in a menu; why one cannot apply is its tooltip and description', async () => {
    const { stop } = await mount({ 'apps:list': () => [app('web'), app('db', { state: 'stopped' })] });
    await waitFor(() => byTestId('app-row-web'));
    assert.equal(byTestId('action-stop-web').closest('[role="menu"]'), null, 'Stop is the running app\'s button');
    assert.equal(byTestId('action-start-db').closest('[role="menu"]'), null, 'Start is the stopped app\'s button');
    const menu = byTestId('actions-menu-web');
    assert.equal(menu.getAttribute('aria-haspopup'), 'menu');
    assert.equal(menu.getAttribute('aria-expanded'), 'false');
    assert.equal(document.querySelectorAll('[role="menuitem"]').length, 0, 'no menu item in the DOM while every menu is closed');
    await openActions('web');
    await openActions('db');
    const start = byTestId('action-start-web');
    assert.equal(start.getAttribute('role'), 'menuitem');
    assert.equal(start.getAttribute('aria-disabled'), 'true');
    assert.equal(start.title, 'the app is already running');
    assert.equal(document.getElementById(start.getAttribute('aria-describedby') ?? '')?.textContent, 'the app is already running');
    assert.equal(byTestId('action-stop-db').getAttribute('aria-disabled'), 'true');
    assert.equal(byTestId('action-start-db').getAttribute('aria-disabled'), null);
    const items = [...document.querySelectorAll('[data-testid="app-row-web"] [role="menuitem"]')].map((e) => e.getAttribute('data-testid'));
    assert.deepEqual(items, ['action-check-web', 'action-refresh-web', 'action-restart-web', 'action-purge-web', 'action-start-web', 'action-delete-web']);
    assert.equal(document.querySelectorAll('[data-testid="app-row-web"] button:not([role="menuitem"]), [data-testid="app-row-web"] a').length, 3, 'Tab stops: the name, Stop, Actions');
    stop();
  });

  test('the Actions menu opens with a click or ↓ on its first item, moves with ↑ ↓ Home End, and Esc closes it back on its button', async () => {
    const { stop } = await mount({ 'apps:list': () => [app('web')] });
    await waitFor(() => byTestId('app-row-web'));
    const menu = byTestId('actions-menu-web');
    const list = document.getElementById(menu.getAttribute('aria-controls') ?? '') ?? menu.nextElementSibling;
    assert.equal((list as HTMLElement).hidden, true);
    fireEvent.keyDown(menu, { key: 'ArrowDown' });
    await waitFor(() => assert.equal(document.activeElement?.getAttribute('data-testid'), 'action-check-web'));
    assert.equal(menu.getAttribute('aria-expanded'), 'true');
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowDown' });
    assert.equal(document.activeElement?.getAttribute('data-testid'), 'action-refresh-web');
    fireEvent.keyDown(document.activeElement as Element, { key: 'End' });
    assert.equal(document.activeElement?.getAttribute('data-testid'), 'action-delete-web');
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowDown' });
    assert.equal(document.activeElement?.getAttribute('data-testid'), 'action-check-web', 'wraps around');
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowUp' });
    assert.equal(document.activeElement?.getAttribute('data-testid'), 'action-delete-web');
    fireEvent.keyDown(document.activeElement as Element, { key: 'Home' });
    assert.equal(document.activeElement?.getAttribute('data-testid'), 'action-check-web');
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    await waitFor(() => assert.equal(menu.getAttribute('aria-expanded'), 'false'));
    assert.equal(document.activeElement, menu, 'the focus is back on the menu button');
    stop();
  });

  test('while an update waits for approval, the app\'s button is Update…, which opens the approve dialog', async () => {
    const { stop } = await mount({ 'apps:list': () => [webWaiting()], 'updates:list': () => WAITING });
    await waitFor(() => byTestId('action-update-web'));
    await openActions('web');
    assert.equal(byTestId('action-stop-web').getAttribute('role'), 'menuitem', 'Stop moved into the menu');
    fireEvent.click(byTestId('action-update-web'));
    await waitFor(() => byTestId('approve-dialog'));
    await waitFor(() => assert.equal(text('approve-dialog-size-main'), '23.4 MB in 2 of 5 layers'));
    stop();
  });

  test('Update to latest from the menu, with "also restart", shows progress, then the outcome, and refetches the app', async () => {
    const answer = deferred<ReturnType<typeof result>>();
    let refreshed = false;
    const { client, stop } = await mount({
      'apps:list': () => [app('web')],
      'apps:refresh-preview': ({ name }) => refreshPreview(name),
      'apps:refresh': () => answer.promise,
      'apps:show': ({ name }) => app(name, { services: [service({ latched: { indexDigest: null, manifestDigest: refreshed ? DIGEST_B : DIGEST_A, imageId: IMAGE_A, source: 'registry', at: '' } })] }),
    });
    await waitFor(() => byTestId('app-row-web'));
    fireEvent.click(byTestId('actions-menu-web'));
    fireEvent.click(byTestId('action-refresh-web'));
    await waitFor(() => byTestId('update-restart'));
    fireEvent.click(byTestId('update-restart'));
    fireEvent.click(byTestId('confirm-update'));
    await waitFor(() => assert.equal(byTestId('outcome-web').textContent, 'refresh: working…'));
    assert.equal(byTestId('actions-menu-web').getAttribute('aria-expanded'), 'false', 'choosing closes the menu');
    await openActions('web');
    assert.equal(byTestId('action-restart-web').getAttribute('aria-disabled'), 'true');
    assert.equal(byTestId('action-restart-web').title, 'waiting for refresh to finish');
    assert.equal(byTestId('action-stop-web').getAttribute('aria-disabled'), 'true');
    fireEvent.click(byTestId('action-restart-web'));
    refreshed = true;
    await act(async () => answer.resolve(result({ changed: true, restarted: true })));
    await waitFor(() => assert.equal(byTestId('outcome-web').textContent, 'refresh: done, changed, restarted'));
    assert.deepEqual(client.callsOf('apps:refresh'), [{ name: 'web', restart: true, purge: false, services: ['main'] }]);
    assert.equal(client.callsOf('apps:restart').length, 0, 'a disabled item does nothing');
    await waitFor(() => assert.equal(byTestId('digest-web-main').getAttribute('data-digest'), DIGEST_B));
    stop();
  });

  test('unfinished operations and containers in words: what is under way, a stopped app\'s container is no alarm, a new app is "not checked yet"', async () => {
    const { stop } = await mount({
      'apps:list': () => [
        app('web', { openOperations: [{ id: 4, kind: 'stop', state: 'pending', phase: 'queued', interrupted: false }, { id: 5, kind: 'refresh', state: 'running', phase: 'downloading', interrupted: false }] }),
        app('db', { state: 'stopped', services: [service({ containerStatus: 'exited' })] }),
        app('api', { state: 'running', services: [service({ containerStatus: 'exited' })] }),
      ],
    });
    await waitFor(() => byTestId('open-operations-web'));
    assert.equal(text('open-operations-web'), 'Stopping: waiting for its turnRefreshing: downloading');
    assert.doesNotMatch(text('app-row-web'), /operation \d|queued/);
    assert.equal(text('container-db-main'), 'stopped');
    assert.match(byTestId('container-db-main').className, /status-quiet/);
    assert.equal(text('container-api-main'), 'exited');
    assert.match(byTestId('container-api-main').className, /status-bad/);
    assert.match(text('service-db-main'), /not checked yet/);
    assert.doesNotMatch(text('service-db-main'), /checked never/);
    stop();
  });

  test('an error from the core is shown in words under the app', async () => {
    const { stop } = await mount({
      'apps:list': () => [app('web', { state: 'stopped' })],
      'apps:start': () => {
        throw new TagkeeperError('policy-forbids', 'pull of docker.io/library/redis:7 failed: registry unreachable', { hint: 'set the pull policy to if-not-present' });
      },
    });
    await waitFor(() => byTestId('app-row-web'));
    fireEvent.click(byTestId('action-start-web'));
    await waitFor(() => assert.match(byTestId('outcome-web').textContent ?? '', /start: pull of docker.io\/library\/redis:7 failed: registry unreachable — set the pull policy/));
    stop();
  });

  test('Delete asks first; confirming deletes and the row goes', async () => {
    const { client, stop } = await mount({ 'apps:list': () => [app('web')], 'apps:delete': ({ name }) => ({ deleted: name }) });
    await waitFor(() => byTestId('app-row-web'));
    fireEvent.click(byTestId('actions-menu-web'));
    fireEvent.click(byTestId('action-delete-web'));
    await waitFor(() => byTestId('delete-dialog'));
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => gone('delete-dialog'));
    assert.equal(client.callsOf('apps:delete').length, 0, 'Esc keeps it');
    fireEvent.click(byTestId('actions-menu-web'));
    fireEvent.click(byTestId('action-delete-web'));
    assert.equal(client.callsOf('apps:delete').length, 0);
    fireEvent.click(byTestId('confirm-delete'));
    await waitFor(() => assert.equal(screen.queryByTestId('app-row-web') === null, true));
    assert.deepEqual(client.callsOf('apps:delete'), [{ name: 'web', volumes: false }]);
    stop();
  });

  test('the filter narrows the list', async () => {
    const { stop } = await mount({ 'apps:list': () => [app('web'), app('db', { services: [service({ reference: 'postgres:16' })] })] });
    await waitFor(() => byTestId('app-row-db'));
    fireEvent.change(byTestId('apps-filter'), { target: { value: 'postgres' } });
    await waitFor(() => assert.equal(screen.queryByTestId('app-row-web') === null, true));
    assert.ok(byTestId('app-row-db'));
    stop();
  });

  test('the compact table shows one line per app with its actions; the choice is the UI store\'s, remembered where it keeps preferences', async () => {
    const { stores, stop } = await mount({ 'apps:list': () => [app('web'), app('db', { state: 'stopped' })] });
    await waitFor(() => byTestId('app-row-web'));
    assert.equal(byTestId('app-list').getAttribute('data-view'), 'cards');
    fireEvent.click(byTestId('apps-view-table'));
    await waitFor(() => assert.equal(byTestId('app-list').getAttribute('data-view'), 'table'));
    assert.equal(byTestId('apps-view-table').getAttribute('aria-pressed'), 'true');
    assert.equal(byTestId('app-row-web').className, 'app-line');
    assert.ok(byTestId('action-stop-web') && byTestId('actions-menu-web') && byTestId('action-start-db'));
    assert.equal(stores.ui.getState().appsView, 'table');
    stop();
  });

  test('with 1,000 apps only a window of rows is in the DOM', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => app(`app${String(i).padStart(4, '0')}`));
    const { stop } = await mount({ 'apps:list': () => many });
    await waitFor(() => byTestId('app-row-app0000'));
    const rows = document.querySelectorAll('[data-testid^="app-row-"]').length;
    assert.ok(rows > 0 && rows < 50, `${rows} rows rendered`);
    assert.match(byTestId('apps-count').textContent ?? '', /^1000 apps/);
    stop();
  });
});

describe('create screen', () => {
  function mountCreate(overrides: Handlers = {}) {
    const client = fakeClient(baseHandlers(overrides));
    const stores = createStores(client, { debounceMs: 1, retryMs: 0 });
    render(
      <StoresProvider stores={stores}>
        <CreateScreen parseDelayMs={1} />
      </StoresProvider>,
    );
    return { client, stores };
  }

  test('shows the normalized reference as it is typed, or why it is wrong', async () => {
    mountCreate({
      'references:parse': ({ reference }) => {
        if (reference.includes('UPPER')) throw new TagkeeperError('invalid-reference', `"${reference}" is not a valid image reference: repository name must be lowercase`);
        return { domain: 'docker.io', path: 'library/redis', tag: '7', digest: null, repository: 'docker.io/library/redis', canonical: 'docker.io/library/redis:7', familiar: 'redis:7' };
      },
    });
    fireEvent.change(byTestId('create-image'), { target: { value: 'redis:7' } });
    await waitFor(() => assert.equal(byTestId('create-normalized').textContent, 'docker.io/library/redis:7'));
    fireEvent.change(byTestId('create-image'), { target: { value: 'UPPER/x' } });
    await waitFor(() => assert.match(byTestId('create-image-error').textContent ?? '', /must be lowercase/));
    assert.equal(screen.queryByTestId('create-normalized') === null, true);
  });

  test('network is empty by default (the engine\'s default); submit needs a name and an image', () => {
    mountCreate({ 'references:parse': () => { throw new TagkeeperError('invalid-reference', 'x'); } });
    assert.equal((byTestId('create-network') as HTMLInputElement).value, '');
    const submit = byTestId('create-submit') as HTMLButtonElement;
    assert.equal(submit.disabled, true);
    assert.equal(submit.title, 'give the app a name');
  });

  test('a refused create shows the core\'s error beside the field and in full', async () => {
    const { client } = mountCreate({
      'references:parse': () => ({ domain: 'docker.io', path: 'library/redis', tag: '7', digest: null, repository: 'docker.io/library/redis', canonical: 'docker.io/library/redis:7', familiar: 'redis:7' }),
      'apps:create': () => {
        throw new TagkeeperError('invalid-input', 'environment entry "oops" is not KEY=VALUE', { hint: 'write it as NAME=value' });
      },
    });
    fireEvent.change(byTestId('create-name'), { target: { value: 'web' } });
    fireEvent.change(byTestId('create-image'), { target: { value: 'redis:7' } });
    fireEvent.change(byTestId('create-env'), { target: { value: 'oops' } });
    fireEvent.change(byTestId('create-pull-policy'), { target: { value: 'if-not-present' } });
    fireEvent.click(byTestId('create-submit'));
    await waitFor(() => assert.match(byTestId('create-error').textContent ?? '', /environment entry "oops" is not KEY=VALUE — write it as NAME=value/));
    const request = client.callsOf('apps:create')[0] as { pullPolicy: string; services: { env: string[]; network?: string }[] };
    assert.equal(request.pullPolicy, 'if-not-present');
    assert.deepEqual(request.services[0].env, ['oops']);
    assert.equal('network' in request.services[0], false);
    // Beside the environment field too.
    assert.ok(screen.getByLabelText(/Environment/).parentElement?.textContent?.includes('is not KEY=VALUE'));
  });
});

describe('engine unreachable', () => {
  test('a clear screen naming the endpoint, with Retry that brings the UI back', async () => {
    let up = false;
    const { stop } = await mount({
      'engine:status': () =>
        up
          ? { reachable: true, endpoint: 'unix:///var/run/docker.sock', source: 'default socket', platform: null, identity: { id: 'E1', root: '/var/lib/docker', name: 'box' }, error: null }
          : {
              reachable: false, endpoint: 'unix:///var/run/docker.sock', source: 'from the current context "lab" in ~/.docker/config.json', platform: null, identity: null,
              error: { code: 'engine-unreachable', message: 'Docker Engine not reachable at unix:///var/run/docker.sock (connect ENOENT)', hint: 'start the Docker daemon, or choose the engine to manage (--host, DOCKER_HOST, DOCKER_CONTEXT or docker context use)' },
            },
    });
    const panel = await waitFor(() => byTestId('engine-unreachable'));
    assert.match(panel.textContent ?? '', /unix:\/\/\/var\/run\/docker\.sock/);
    assert.equal(byTestId('engine-source').textContent, ' (from the current context "lab" in ~/.docker/config.json)');
    assert.match(panel.textContent ?? '', /start the Docker daemon/);
    assert.equal(screen.queryByTestId('nav-apps') === null, true);
    up = true;
    fireEvent.click(byTestId('engine-retry'));
    await waitFor(() => byTestId('nav-apps'));
    stop();
  });

  test('an engine the data directory does not belong to: its own screen naming both and the way out, nothing else', async () => {
    const message = 'the data directory /d belongs to the Docker Engine "a" (ID A), first reached at unix:///a.sock on 2025-01-02; the engine at tcp://b:2376 (from DOCKER_HOST) is another one: "b" (ID B)';
    const { stop } = await mount({
      'engine:status': () => ({
        reachable: false, endpoint: 'tcp://b:2376', source: 'from DOCKER_HOST', platform: null, identity: null,
        error: { code: 'engine-mismatch', message, hint: 'give each engine a data directory of its own (--data-dir DIR or TAGKEEPER_DATA_DIR=DIR), or …: tagkeeper engine accept' },
      }),
    });
    const panel = await waitFor(() => byTestId('engine-mismatch'));
    assert.match(panel.textContent ?? '', /This data directory belongs to another Docker Engine/);
    assert.match(panel.textContent ?? '', /Reached: tcp:\/\/b:2376 \(from DOCKER_HOST\)/);
    assert.ok((panel.textContent ?? '').includes(message));
    assert.match(panel.textContent ?? '', /tagkeeper engine accept\./);
    assert.equal(screen.queryByTestId('nav-apps'), null);
    stop();
  });
});

describe('the page cannot talk to Tagkeeper (headless mode)', () => {
  test('gone or answering an unexpected HTTP status: "does not answer", tried again; a refused token: its own screen', async () => {
    const failures: [TagkeeperError, string, RegExp, boolean][] = [
      [new TagkeeperError('instance-unreachable', 'this Tagkeeper instance did not answer engine:status (Failed to fetch)', { hint: 'is `tagkeeper serve` still running?' }), 'instance-unreachable', /Tagkeeper does not answer/, true],
      [new TagkeeperError('instance-error', 'this Tagkeeper instance answered HTTP 404 to engine:status', { hint: 'reload the page' }), 'instance-unreachable', /Tagkeeper does not answer/, true],
      [new TagkeeperError('unauthorized', 'this Tagkeeper instance refused this page\'s token', { hint: 'open the URL' }), 'token-refused', /This page's token was refused/, false],
    ];
    for (const [error, testId, title, triesAgain] of failures) {
      const { stop } = await mount({
        'engine:status': () => {
          throw error;
        },
      });
      const panel = await waitFor(() => byTestId(testId));
      assert.match(panel.textContent ?? '', title);
      assert.ok((panel.textContent ?? '').includes(`${error.message}${error.hint}.`), panel.textContent ?? '');
      assert.equal(/tries again every few seconds/.test(panel.textContent ?? ''), triesAgain, error.code);
      assert.equal(screen.queryByTestId('engine-unreachable'), null, 'not the engine screen');
      stop();
      cleanup();
    }
  });
});

describe('activity, settings, images', () => {
  test('activity: pull progress from events, and Cancel on open operations', async () => {
    const { client, stores, stop } = await mount({
      'operations:list': () => [operation({ id: 3 }), operation({ id: 2, state: 'done', phase: 'finished', result: result({ operation: 2 }) })],
      'operations:cancel': () => ({ cancelled: true, reason: 'cancelled before anything was switched' }),
    });
    fireEvent.click(byTestId('nav-activity'));
    await waitFor(() => byTestId('operation-row-3'));
    act(() => {
      client.emit({
        type: 'pull-progress', app: 'web', service: 'main',
        progress: { reference: 'docker.io/library/redis:7', layers: [{ id: 'abc123', status: 'downloading', current: 500, total: 1000 }], layersTotal: 1, layersDone: 0, bytesDone: 500, bytesTotal: 1000, startedAt: 0, bytesPerSecond: 250 },
      });
    });
    const pull = byTestId('pull-progress-web-main');
    assert.match(pull.textContent ?? '', /0\/1 layers · 500 B \/ 1\.0 kB · 250 B\/s/);
    assert.equal(pull.querySelector('progress')?.getAttribute('value'), '50');
    assert.equal(screen.queryByTestId('cancel-operation-2') === null, true);
    fireEvent.click(byTestId('cancel-operation-3'));
    await waitFor(() => assert.equal(byTestId('cancel-outcome-3').textContent, 'cancelled'));
    assert.deepEqual(client.callsOf('operations:cancel'), [{ id: 3 }]);
    assert.ok(stores.operations.getState().loaded);
    stop();
  });

  test('settings: only changed keys are saved; the password is never filled in', async () => {
    let saved = { ...SETTINGS };
    const { client, stop } = await mount({
      'settings:set': ({ key, value }) => {
        if (key === 'offline') saved = { ...saved, offline: value === 'on' };
        return saved;
      },
      'registries:list': () => [{ host: 'ghcr.io', username: 'me', password: '••••••', source: 'Tagkeeper', inUse: true, problem: null }],
    });
    fireEvent.click(byTestId('nav-settings'));
    await waitFor(() => byTestId('setting-offline'));
    assert.equal((byTestId('settings-save') as HTMLButtonElement).disabled, true);
    fireEvent.click(byTestId('setting-offline'));
    fireEvent.click(byTestId('settings-save'));
    await waitFor(() => assert.deepEqual(client.callsOf('settings:set'), [{ key: 'offline', value: 'on' }]));
    await waitFor(() => byTestId('offline-flag'));
    assert.equal((byTestId('registry-password') as HTMLInputElement).value, '');
    assert.match(byTestId('registry-row-ghcr.io').textContent ?? '', /••••••/);
    // Which engine, and why that one.
    assert.equal(byTestId('engine-about').textContent, 'Docker Engine at unix:///var/run/docker.sock (linux/amd64) — default socket');
    stop();
  });

  test("settings: Docker's logins with their source (no remove button), why one is not used, the engine's mirrors and a used-up rate limit", async () => {
    const { stop } = await mount({
      'registries:list': () => [
        { host: 'ghcr.io', username: 'me', password: '••••••', source: 'Tagkeeper', inUse: true, problem: null },
        { host: 'ghcr.io', username: 'docker-me', password: '••••••', source: 'docker config.json', inUse: false, problem: null },
        { host: 'reg.lan', username: '-', password: '-', source: 'helper: pass', inUse: false, problem: 'credential helper docker-credential-pass failed (exit 1) for registry reg.lan' },
      ],
      'registries:status': () => ({
        dockerConfig: '/root/.docker/config.json',
        mirrors: ['https://mirror.example.com/'],
        engineInsecureRegistries: ['127.0.0.0/8'],
        engineError: null,
        rateLimits: [{ registry: 'docker.io', limit: 100, remaining: 0, windowSeconds: 21600, seenAt: '2026-01-01T00:00:00.000Z' }],
      }),
    });
    fireEvent.click(byTestId('nav-settings'));
    await waitFor(() => byTestId('engine-registries'));
    assert.match(byTestId('docker-login-ghcr.io').textContent ?? '', /docker-me.*••••••.*docker config\.json.*not used: the credentials saved here win/);
    assert.equal(byTestId('docker-login-ghcr.io').querySelector('button'), null, "Docker's logins are not removed here");
    assert.match(byTestId('docker-login-reg.lan').textContent ?? '', /helper: pass.*docker-credential-pass failed/);
    assert.ok(byTestId('registry-remove-ghcr.io'));
    assert.match(byTestId('engine-registries').textContent ?? '', /\/root\/\.docker\/config\.json.*mirrors for docker\.io: https:\/\/mirror\.example\.com\/.*127\.0\.0\.0\/8/);
    assert.match(byTestId('rate-limits').textContent ?? '', /Rate limit of docker\.io: 0 of 100 left per 6h — used up/);
    stop();
  });

  test('images: one row per image by short id, with who uses it and unused ones marked', async () => {
    const unusedId = `sha256:${'d'.repeat(64)}`;
    const { stop } = await mount({ 'images:list': () => [image(), image({ id: unusedId, uses: [], unused: true, repoTags: [] })] });
    fireEvent.click(byTestId('nav-images'));
    await waitFor(() => byTestId('image-row-cccccccccccc'));
    assert.match(byTestId('image-row-cccccccccccc').textContent ?? '', /web\/main/);
    assert.ok(byTestId('image-unused-dddddddddddd'));
    stop();
  });
});
