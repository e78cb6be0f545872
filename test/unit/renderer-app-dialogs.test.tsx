/** @jsxRuntime automatic */
// The dialogs that ask before an action on an app (issue 14), in happy-dom over a fake client:
// "Update to latest…" shows from → to and the size per service, leaves a rejected digest
// unticked (named), and refreshes exactly the ticked services; Purge names the volumes that
// are lost (also when "also purge" is ticked in the update); Restart asks; nothing is called
// before the confirmation. A create that failed after the app was recorded says so and links
// to the app.
import '../../renderer/test-support/dom';
import { describe, test, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, waitFor } from '@testing-library/react';
import { TagkeeperError } from '../../main/api/errors';
import { closeDom } from '../../renderer/test-support/dom';
import { app, DIGEST_A, DIGEST_B, DIGEST_C, previewService, refreshPreview, result, service } from '../../renderer/test-support/fixtures';
import { button, byTestId, gone, mountApp, openActions, text } from '../../renderer/test-support/mount-app';
import { createFailure } from '../../renderer/src/lib/create-failure';
import { initialChoice, updateBlocked, updateRequest } from '../../renderer/src/lib/update-choices';

afterEach(() => cleanup());
after(() => closeDom());

const checked = (id: string) => (byTestId(id) as HTMLInputElement).checked;

/** web: api has a rejected digest on offer, front a new one, cache is pinned, db up to date. */
const PREVIEW = refreshPreview('web', [
  previewService({ service: 'api', to: { indexDigest: DIGEST_C, manifestDigest: DIGEST_C }, rejected: true, downloadSize: '5.0 MB in 1 of 2 layers' }),
  previewService({ service: 'front' }),
  previewService({ service: 'cache', status: 'pinned', to: null, downloadSize: null }),
  previewService({ service: 'db', status: 'up-to-date', to: { indexDigest: DIGEST_A, manifestDigest: DIGEST_A }, downloadSize: null }),
]);

const webApp = () => app('web', { services: ['api', 'front', 'cache', 'db'].map((name) => service({ name })) });

describe('update to latest', () => {
  test('shows from → to and the size; the rejected digest is named and unticked; Update refreshes only the ticked', async () => {
    const { client, stop } = await mountApp({
      'apps:list': () => [webApp()],
      'apps:refresh-preview': () => PREVIEW,
      'apps:refresh': () => result({ changed: true }),
    });
    await openActions('web');
    assert.equal(text('action-refresh-web'), 'Update to latest…');
    fireEvent.click(byTestId('action-refresh-web'));
    await waitFor(() => byTestId('update-dialog-row-front'));
    assert.deepEqual(client.callsOf('apps:refresh-preview'), [{ name: 'web' }]);
    assert.equal(byTestId('update-dialog-from-front').getAttribute('data-digest'), DIGEST_A);
    assert.equal(byTestId('update-dialog-to-front').getAttribute('data-digest'), DIGEST_B);
    assert.equal(text('update-dialog-size-front'), '23.4 MB in 2 of 5 layers');
    assert.equal(byTestId('update-dialog-to-api').getAttribute('data-digest'), DIGEST_C);
    assert.equal(text('update-dialog-rejected-api'), 'rejected');
    assert.equal(checked('update-dialog-choose-api'), false, 'a rejected digest is left out unless ticked');
    assert.equal(checked('update-dialog-choose-front'), true);
    assert.match(text('update-dialog-unmoved-cache'), /pinned/);
    assert.match(text('update-dialog-unmoved-db'), /runs what its tag points at/);
    gone('update-dialog-row-db');
    assert.deepEqual(client.callsOf('apps:refresh'), [], 'nothing moves before the confirmation');

    fireEvent.click(byTestId('confirm-update'));
    gone('update-dialog');
    await waitFor(() => assert.equal(text('outcome-web'), 'refresh: done, changed, restarted'));
    assert.deepEqual(client.callsOf('apps:refresh'), [{ name: 'web', restart: false, purge: false, services: ['front'] }]);
    stop();
  });

  test('ticking the rejected digest takes it; unticking everything holds Update back; Cancel calls nothing', async () => {
    const { client, stop } = await mountApp({
      'apps:list': () => [webApp()],
      'apps:refresh-preview': () => PREVIEW,
      'apps:refresh': () => result({ changed: true }),
    });
    await openActions('web');
    fireEvent.click(byTestId('action-refresh-web'));
    await waitFor(() => byTestId('update-dialog-choose-front'));
    fireEvent.click(byTestId('update-dialog-choose-front'));
    assert.equal(button('confirm-update').disabled, true);
    assert.equal(text('update-reason'), 'tick a service to update');
    fireEvent.click(byTestId('cancel-update'));
    gone('update-dialog');
    assert.deepEqual(client.callsOf('apps:refresh'), []);

    await openActions('web');
    fireEvent.click(byTestId('action-refresh-web'));
    await waitFor(() => byTestId('update-dialog-choose-api'));
    fireEvent.click(byTestId('update-dialog-choose-api'));
    fireEvent.click(byTestId('confirm-update'));
    await waitFor(() => assert.equal(client.callsOf('apps:refresh').length, 1));
    assert.deepEqual(client.callsOf('apps:refresh'), [{ name: 'web', restart: false, purge: false, services: ['api', 'front'], includeRejected: true }]);
    stop();
  });

  test('"also purge" names the volumes that will be lost before Update can be confirmed', async () => {
    const { client, stop } = await mountApp({
      'apps:list': () => [app('web')],
      'apps:show': ({ name }) => ({ ...app(name), volumes: ['tagkeeper-web-data', 'tagkeeper-web-cache'] }),
      'apps:refresh-preview': () => refreshPreview('web'),
      'apps:refresh': () => result({ changed: true, purged: true }),
    });
    await openActions('web');
    fireEvent.click(byTestId('action-refresh-web'));
    await waitFor(() => byTestId('update-purge'));
    fireEvent.click(byTestId('update-purge'));
    await waitFor(() => byTestId('update-purge-volumes-tagkeeper-web-data'));
    assert.equal(byTestId('update-purge-volumes').getAttribute('data-volumes'), 'tagkeeper-web-data tagkeeper-web-cache');
    fireEvent.click(byTestId('confirm-update'));
    await waitFor(() => assert.equal(client.callsOf('apps:refresh').length, 1));
    assert.deepEqual(client.callsOf('apps:refresh'), [{ name: 'web', restart: false, purge: true, services: ['main'] }]);
    stop();
  });

  test('a preview the registry could not give is shown, and Update stays held back', async () => {
    const { client, stop } = await mountApp({
      'apps:list': () => [app('web')],
      'apps:refresh-preview': () => {
        throw new TagkeeperError('registry-unreachable', 'registry 127.0.0.1:5000 did not answer', { hint: 'is it running?' });
      },
    });
    await openActions('web');
    fireEvent.click(byTestId('action-refresh-web'));
    await waitFor(() => byTestId('update-dialog-error'));
    assert.equal(text('update-dialog-error'), 'registry 127.0.0.1:5000 did not answer — is it running?');
    assert.equal(button('confirm-update').disabled, true);
    assert.deepEqual(client.callsOf('apps:refresh'), []);
    stop();
  });

  test('the choices as a pure function: ticked at first, the request, why Update waits', () => {
    assert.deepEqual(initialChoice(PREVIEW), ['front']);
    assert.deepEqual(updateRequest(PREVIEW, ['front'], { restart: true, purge: false }), { action: 'refresh', options: { restart: true, purge: false, services: ['front'], includeRejected: false } });
    assert.deepEqual(updateRequest(PREVIEW, [], { restart: true, purge: false }), { action: 'restart', options: {} });
    assert.deepEqual(updateRequest(PREVIEW, [], { restart: true, purge: true }), { action: 'purge', options: {} });
    assert.equal(updateRequest(PREVIEW, [], { restart: false, purge: false }), null);
    const upToDate = refreshPreview('web', [previewService({ status: 'up-to-date' })]);
    assert.equal(updateBlocked(upToDate, initialChoice(upToDate), { restart: false, purge: false }), 'every service runs what its tag points at: nothing to update');
  });
});

describe('purge and restart ask first', () => {
  test('Purge names the volumes whose data is lost; Keep its data calls nothing; confirming purges', async () => {
    const { client, stop } = await mountApp({
      'apps:list': () => [app('web')],
      'apps:show': ({ name }) => ({ ...app(name), volumes: ['tagkeeper-web-data'] }),
      'apps:purge': () => result({ kind: 'purge', changed: false, purged: true }),
    });
    await openActions('web');
    assert.equal(text('action-purge-web'), 'Purge…');
    fireEvent.click(byTestId('action-purge-web'));
    await waitFor(() => byTestId('purge-volumes-tagkeeper-web-data'));
    assert.match(text('purge-dialog'), /^Purge app web\?Its state is discarded/);
    fireEvent.click(byTestId('cancel-purge'));
    gone('purge-dialog');
    assert.deepEqual(client.callsOf('apps:purge'), []);

    await openActions('web');
    fireEvent.click(byTestId('action-purge-web'));
    await waitFor(() => assert.equal(button('confirm-purge').disabled, false));
    fireEvent.click(byTestId('confirm-purge'));
    await waitFor(() => assert.equal(text('outcome-web'), 'purge: done, restarted, state purged'));
    assert.deepEqual(client.callsOf('apps:purge'), [{ name: 'web' }]);
    stop();
  });

  test('an app without volumes: Purge says no data is lost', async () => {
    const { stop } = await mountApp({ 'apps:list': () => [app('web')], 'apps:show': ({ name }) => ({ ...app(name), volumes: [] }) });
    await openActions('web');
    fireEvent.click(byTestId('action-purge-web'));
    await waitFor(() => byTestId('purge-volumes'));
    assert.match(text('purge-volumes'), /no volumes of its own: no data is lost/);
    stop();
  });

  test('Restart of a running app asks first', async () => {
    const { client, stop } = await mountApp({ 'apps:list': () => [app('web')], 'apps:restart': () => result({ kind: 'restart', changed: false }) });
    await openActions('web');
    fireEvent.click(byTestId('action-restart-web'));
    await waitFor(() => byTestId('restart-dialog'));
    assert.deepEqual(client.callsOf('apps:restart'), []);
    assert.match(text('restart-dialog'), /made anew on the digests it runs now; its volumes are kept/);
    fireEvent.click(byTestId('confirm-restart'));
    await waitFor(() => assert.equal(text('outcome-web'), 'restart: done, restarted'));
    assert.deepEqual(client.callsOf('apps:restart'), [{ name: 'web' }]);
    stop();
  });
});

describe('a create that failed', () => {
  test('after the app was recorded: "Created, but it failed to start" with a link to the app', async () => {
    const { client, stop } = await mountApp({
      'apps:list': () => [],
      'apps:show': ({ name }) => app(name, { state: 'failed', error: { code: 'container-failed', message: 'network no-such-net not found' } }),
      'references:parse': () => ({ domain: 'docker.io', path: 'library/redis', tag: '7', digest: null, canonical: 'docker.io/library/redis:7', familiar: 'redis:7', repository: 'docker.io/library/redis' }),
      'apps:create': () => {
        throw new TagkeeperError('container-failed', 'app web was created, but it failed to start: network no-such-net not found', {
          hint: 'it is recorded as failed: see it with tagkeeper app show web; tagkeeper app delete web frees the name',
          createdApp: 'web',
        });
      },
    });
    fireEvent.click(byTestId('nav-create'));
    fireEvent.change(byTestId('create-name'), { target: { value: 'web' } });
    fireEvent.change(byTestId('create-image'), { target: { value: 'redis:7' } });
    fireEvent.click(byTestId('create-submit'));
    await waitFor(() => byTestId('create-error-open'));
    assert.match(text('create-error'), /^Created, but it failed to start: network no-such-net not found — it is recorded as failed/);
    assert.equal(byTestId('create-error').getAttribute('data-created'), 'web');
    fireEvent.click(byTestId('create-error-open'));
    await waitFor(() => byTestId('app-page-web'));
    assert.equal(client.callsOf('apps:create').length, 1);
    stop();
  });

  test('in words: "Not created" when nothing was recorded, the core\'s lead not repeated', () => {
    assert.deepEqual(createFailure({ code: 'manifest-unknown', message: 'app web was not created: service main: tag 9 of x is unknown' }), {
      lead: 'Not created:', detail: 'service main: tag 9 of x is unknown', app: null,
    });
    assert.deepEqual(createFailure({ code: 'pull-failed', message: 'app web was created, but it failed to start: service main: pull failed', createdApp: 'web' }), {
      lead: 'Created, but it failed to start:', detail: 'service main: pull failed', app: 'web',
    });
  });
});
