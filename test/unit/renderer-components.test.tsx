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
import { baseHandlers, mountApp } from '../../renderer/test-support/mount-app';
import { deferred, fakeClient, type Handlers } from '../../renderer/test-support/fake-client';
import { app, DIGEST_A, DIGEST_B, IMAGE_A, image, operation, pendingUpdate, result, service, settings } from '../../renderer/test-support/fixtures';

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

  test('a button that cannot apply is disabled with its reason in the title and on screen', async () => {
    const { stop } = await mount({ 'apps:list': () => [app('web'), app('db', { state: 'stopped' })] });
    await waitFor(() => byTestId('app-row-web'));
    const start = byTestId('action-start-web') as HTMLButtonElement;
    assert.equal(start.disabled, true);
    assert.equal(start.title, 'the app is already running');
    assert.match(byTestId('hints-web').textContent ?? '', /Start: the app is already running/);
    assert.equal((byTestId('action-stop-web') as HTMLButtonElement).disabled, false);
    assert.equal((byTestId('action-stop-db') as HTMLButtonElement).disabled, true);
    assert.equal((byTestId('action-start-db') as HTMLButtonElement).disabled, false);
    stop();
  });

  test('Refresh with "also restart" shows progress, then the outcome, and refetches the app', async () => {
    const answer = deferred<ReturnType<typeof result>>();
    let refreshed = false;
    const { client, stop } = await mount({
      'apps:list': () => [app('web')],
      'apps:refresh': () => answer.promise,
      'apps:show': ({ name }) => app(name, { services: [service({ latched: { indexDigest: null, manifestDigest: refreshed ? DIGEST_B : DIGEST_A, imageId: IMAGE_A, source: 'registry', at: '' } })] }),
    });
    await waitFor(() => byTestId('app-row-web'));
    fireEvent.click(byTestId('refresh-restart-web'));
    fireEvent.click(byTestId('action-refresh-web'));
    await waitFor(() => assert.equal(byTestId('outcome-web').textContent, 'refresh: working…'));
    assert.equal((byTestId('action-restart-web') as HTMLButtonElement).disabled, true);
    assert.equal((byTestId('action-restart-web') as HTMLButtonElement).title, 'waiting for refresh to finish');
    refreshed = true;
    await act(async () => answer.resolve(result({ changed: true, restarted: true })));
    await waitFor(() => assert.equal(byTestId('outcome-web').textContent, 'refresh: done, changed, restarted'));
    assert.deepEqual(client.callsOf('apps:refresh'), [{ name: 'web', restart: true, purge: false }]);
    await waitFor(() => assert.equal(byTestId('digest-web-main').getAttribute('data-digest'), DIGEST_B));
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
      'registries:list': () => [{ host: 'ghcr.io', username: 'me', password: '••••••' }],
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
