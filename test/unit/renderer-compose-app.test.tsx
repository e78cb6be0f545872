/** @jsxRuntime automatic */
// A Compose app's page in happy-dom over a fake client: where the definition came from, the
// services with their digests and a summary of each, the model as JSON; "Update from a
// Compose file…" (the plan shown before anything changes, Apply sends exactly the source
// planned, the outcomes, a hidden update that goes on); and "Export pinned Compose file"
// (the download gets the core's text and file name). Plus the pure helpers behind them.
import '../../renderer/test-support/dom';
import { describe, test, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, waitFor } from '@testing-library/react';
import { TagkeeperError } from '../../main/api/errors';
import { describeComposeUpdate, hasChanges } from '../../renderer/src/lib/compose-outcome';
import { dependencyTexts, mountTexts, networkTexts, portText } from '../../renderer/src/lib/compose-summary';
import { BUILD_REFUSED, COMPOSE_FILE, HASH_1, HASH_2, shopExport, shopListed, shopPlan, shopProject, shopShown, shopUpdated } from '../../renderer/test-support/compose-fixtures';
import { closeDom } from '../../renderer/test-support/dom';
import { catchDownloads } from '../../renderer/test-support/downloads';
import { deferred, type Handlers } from '../../renderer/test-support/fake-client';
import { app, DIGEST_A, DIGEST_B, result } from '../../renderer/test-support/fixtures';
import { button, byTestId, gone, mountApp, text } from '../../renderer/test-support/mount-app';

afterEach(() => cleanup());
after(() => closeDom());

const value = (id: string) => (byTestId(id) as HTMLInputElement | HTMLTextAreaElement).value;
const type = (id: string, v: string) => fireEvent.change(byTestId(id), { target: { value: v } });
const NEW_FILE = '/srv/shop-v2/compose.yaml';

/** The app list has shop (without its definition, as apps:list sends it); its page is open. */
async function openShop(overrides: Handlers = {}) {
  const mounted = await mountApp({ 'apps:list': () => [shopListed()], 'apps:show': () => shopShown(), ...overrides });
  await waitFor(() => byTestId('open-app-shop'));
  fireEvent.click(byTestId('open-app-shop'));
  await waitFor(() => byTestId('compose-definition-shop'));
  return mounted;
}

/** Opens the update dialog, types `file` and asks for the plan; waits for `shown` (the plan by default). */
async function openDialogAndPlan(file = NEW_FILE, shown = 'compose-plan') {
  fireEvent.click(byTestId('compose-update-open-shop'));
  await waitFor(() => byTestId('compose-update-dialog'));
  type('compose-update-file', file);
  fireEvent.click(byTestId('compose-plan-show'));
  await waitFor(() => byTestId(shown));
}

describe('the page of an app made from a Compose file', () => {
  test('where the definition came from, the services with their digests and a summary of each, the model as JSON', async () => {
    const { client, stop } = await openShop({ 'apps:show': () => shopShown({ adopted: true }) });
    assert.ok(client.callsOf('apps:show').some((r) => JSON.stringify(r) === '{"name":"shop"}'), 'apps:list has no definition: the page asks apps:show');
    assert.equal(text('compose-file-shop'), COMPOSE_FILE);
    assert.equal(byTestId('compose-hash-shop').getAttribute('data-digest'), HASH_1);
    assert.equal(text('compose-hash-shop'), '333333333333', 'the hash is shown short');
    assert.ok(byTestId('copy-compose-hash-shop'), 'and can be copied');
    assert.equal(text('compose-adopted-shop'), 'adopted');
    assert.equal(text('compose-env-files-shop'), '/srv/shop/prod.env');
    assert.equal(text('compose-profiles-shop'), 'none enabled');
    // The digests, as on the list.
    assert.equal(byTestId('digest-shop-web').getAttribute('data-digest'), DIGEST_B);
    assert.equal(byTestId('digest-shop-db').getAttribute('data-digest'), DIGEST_A);
    // The summary.
    assert.equal(text('compose-image-shop-web'), 'registry.example.com/shop/web:2');
    assert.deepEqual(lines('compose-ports-shop-web'), ['127.0.0.1:8080→80/tcp', '53/udp']);
    assert.deepEqual(lines('compose-mounts-shop-web'), ['bind /srv/shop/site → /usr/share/nginx/html (ro)', 'volume data → /data (ro)', 'tmpfs → /run']);
    assert.deepEqual(lines('compose-networks-shop-web'), ['default', 'front (aliases shop, www)']);
    assert.deepEqual(lines('compose-depends-shop-web'), ['db (healthy)']);
    assert.equal(text('compose-depends-shop-db'), '—');
    gone('compose-model-json-shop');
    fireEvent.click(byTestId('compose-model-toggle-shop'));
    assert.deepEqual(JSON.parse(text('compose-model-json-shop')), shopProject());
    stop();
  });

  test('an app made with flags has no Compose section', async () => {
    const { stop } = await mountApp({ 'apps:list': () => [app('web')] });
    await waitFor(() => byTestId('open-app-web'));
    fireEvent.click(byTestId('open-app-web'));
    await waitFor(() => byTestId('app-page-web'));
    gone('compose-definition-web');
    gone('compose-update-open-web');
    stop();
  });
});

describe('update from a Compose file', () => {
  test('the plan is shown before anything changes; Apply sends compose:update with the source planned; the app is fetched again', async () => {
    const { client, stop } = await openShop({ 'compose:plan': () => shopPlan(), 'compose:update': () => shopUpdated() });
    fireEvent.click(byTestId('compose-update-open-shop'));
    await waitFor(() => byTestId('compose-update-dialog'));
    assert.equal(value('compose-update-file'), COMPOSE_FILE, 'prefilled with the current file');
    assert.equal(value('compose-update-env-files'), '/srv/shop/prod.env');
    assert.equal(button('compose-apply').disabled, true);
    assert.equal(text('compose-apply-reason'), 'show the plan first: nothing changes before you have seen it');
    type('compose-update-file', NEW_FILE);
    type('compose-update-profiles', 'debug');
    fireEvent.click(byTestId('compose-plan-show'));
    await waitFor(() => byTestId('compose-plan'));
    assert.deepEqual(client.callsOf('compose:plan'), [{ name: 'shop', file: NEW_FILE, envFiles: ['/srv/shop/prod.env'], profiles: ['debug'] }]);
    assert.deepEqual(client.callsOf('compose:update'), [], 'the plan changes nothing');
    assert.equal(byTestId('compose-plan-service-web').getAttribute('data-change'), 'changed');
    assert.equal(text('compose-plan-reasons-web'), 'image, environment');
    assert.equal(byTestId('compose-plan-service-db').getAttribute('data-change'), 'unchanged');
    assert.equal(text('compose-plan-summary'), '1 changed, 0 added, 0 removed, 1 unchanged');
    assert.equal(text('compose-plan-networks'), 'Networks: − shop_front (removed)');
    assert.equal(text('compose-plan-volumes'), 'Volumes: + shop_cache (made)');
    assert.equal(byTestId('compose-plan').getAttribute('data-to'), HASH_2);
    gone('compose-apply-reason');
    const shows = client.callsOf('apps:show').length;
    fireEvent.click(byTestId('compose-apply'));
    await waitFor(() => byTestId('compose-update-outcome'));
    assert.deepEqual(client.callsOf('compose:update'), [{ name: 'shop', file: NEW_FILE, envFiles: ['/srv/shop/prod.env'], profiles: ['debug'], wait: true }]);
    assert.equal(byTestId('compose-update-outcome').getAttribute('data-tone'), 'done');
    assert.equal(text('compose-update-outcome'), 'done: shop runs definition 444444444444; recreated web; kept running db');
    assert.ok(byTestId('compose-plan'), 'the plan applied stays on screen');
    assert.equal((byTestId('compose-update-file') as HTMLInputElement).disabled, true);
    await waitFor(() => assert.ok(client.callsOf('apps:show').length > shows, 'the app is fetched again'));
    fireEvent.click(byTestId('compose-update-close'));
    gone('compose-update-dialog');
    gone('compose-update-note-shop');
    stop();
  });

  test('editing the source after the plan drops the plan: Apply waits for a plan of what is in the fields', async () => {
    const { client, stop } = await openShop({ 'compose:plan': () => shopPlan(), 'compose:update': () => shopUpdated() });
    await openDialogAndPlan();
    assert.equal(button('compose-apply').disabled, false);
    type('compose-update-env-files', '/srv/shop/other.env');
    gone('compose-plan');
    assert.equal(button('compose-apply').disabled, true);
    assert.equal(text('compose-apply-reason'), 'show the plan first: nothing changes before you have seen it');
    fireEvent.click(byTestId('compose-apply'));
    assert.deepEqual(client.callsOf('compose:update'), []);
    fireEvent.click(byTestId('compose-plan-show'));
    await waitFor(() => byTestId('compose-plan'));
    assert.deepEqual(client.callsOf('compose:plan')[1], { name: 'shop', file: NEW_FILE, envFiles: ['/srv/shop/other.env'] });
    stop();
  });

  test('the store itself applies nothing without a plan shown', async () => {
    const { client, stores, stop } = await openShop({ 'compose:update': () => shopUpdated() });
    await stores.composeUpdates.getState().apply('shop');
    assert.deepEqual(client.callsOf('compose:update'), []);
    stop();
  });

  test('a plan with nothing to change offers no Apply', async () => {
    const { stop } = await openShop({ 'compose:plan': () => shopPlan({ to: HASH_1, services: [{ name: 'db', change: 'unchanged', reasons: [] }, { name: 'web', change: 'unchanged', reasons: [] }], networks: { added: [], removed: [] }, volumes: { added: [], removed: [] } }) });
    await openDialogAndPlan(COMPOSE_FILE);
    assert.match(text('compose-plan-nothing'), /^Nothing to change/);
    assert.equal(button('compose-apply').disabled, true);
    assert.equal(text('compose-apply-reason'), 'nothing to change');
    stop();
  });

  test('a refused file: no plan, the core\'s message whole with its hint and line, and no Apply', async () => {
    const { client, stop } = await openShop({ 'compose:plan': () => { throw BUILD_REFUSED(); } });
    await openDialogAndPlan(NEW_FILE, 'compose-plan-error');
    gone('compose-plan');
    assert.match(text('compose-plan-error'), /^No plan: compose\.yaml:4: service api: build is not supported: .* — build and push the image/);
    assert.equal(byTestId('compose-plan-error').getAttribute('data-line'), '4');
    assert.equal(button('compose-apply').disabled, true);
    assert.deepEqual(client.callsOf('compose:update'), []);
    stop();
  });

  test('outcomes: rolled back with the error and its hint; refused at apply time', async () => {
    let refuse = false;
    const { stop } = await openShop({
      'compose:plan': () => shopPlan(),
      'compose:update': () => {
        if (refuse) throw new TagkeeperError('busy', 'app shop is busy: operation 7 is running', { hint: 'try again when it ends' });
        return shopUpdated({ result: result({ app: 'shop', kind: 'update', outcome: 'rolled-back', error: { code: 'container-failed', message: 'service web exited at once (exit code 1)', hint: 'see its logs' } }) });
      },
    });
    await openDialogAndPlan();
    fireEvent.click(byTestId('compose-apply'));
    await waitFor(() => byTestId('compose-update-outcome'));
    assert.equal(byTestId('compose-update-outcome').getAttribute('data-tone'), 'rolled-back');
    assert.equal(text('compose-update-outcome'), 'rolled back: service web exited at once (exit code 1); shop runs definition 333333333333 again — see its logs');
    fireEvent.click(byTestId('compose-update-close'));
    refuse = true;
    await openDialogAndPlan();
    fireEvent.click(byTestId('compose-apply'));
    await waitFor(() => byTestId('compose-update-outcome'));
    assert.equal(byTestId('compose-update-outcome').getAttribute('data-tone'), 'failed');
    assert.equal(text('compose-update-outcome'), 'not applied: app shop is busy: operation 7 is running — try again when it ends');
    stop();
  });

  test('a hidden update goes on; the page says it is working, then how it ended', async () => {
    const held = deferred<ReturnType<typeof shopUpdated>>();
    const { stop } = await openShop({ 'compose:plan': () => shopPlan(), 'compose:update': () => held.promise });
    await openDialogAndPlan();
    fireEvent.click(byTestId('compose-apply'));
    await waitFor(() => byTestId('compose-update-progress'));
    assert.equal(text('compose-update-close'), 'Hide (it goes on)');
    fireEvent.click(byTestId('compose-update-close'));
    gone('compose-update-dialog');
    assert.equal(text('compose-update-note-shop'), `update from ${NEW_FILE}: working…`);
    held.resolve(shopUpdated());
    await waitFor(() => assert.equal(text('compose-update-note-shop'), 'update from a Compose file: done: shop runs definition 444444444444; recreated web; kept running db'));
    fireEvent.click(byTestId('compose-update-open-shop'));
    await waitFor(() => byTestId('compose-update-dialog'));
    gone('compose-update-outcome');
    assert.equal(value('compose-update-file'), COMPOSE_FILE, 'a new update starts from the definition');
    stop();
  });
});

describe('export pinned Compose file', () => {
  test('the download gets the core\'s text and file name; the pins and the text are shown', async () => {
    const caught = catchDownloads();
    try {
      const { client, stop } = await openShop({ 'compose:export': () => shopExport() });
      fireEvent.click(byTestId('compose-export-shop'));
      await waitFor(() => byTestId('compose-export-status-shop'));
      assert.deepEqual(client.callsOf('compose:export'), [{ name: 'shop' }]);
      assert.deepEqual(caught.links, [{ href: 'blob:http://127.0.0.1:3000/download-1', download: 'shop.compose.yaml' }]);
      assert.equal(await caught.blobs[0].text(), shopExport().text);
      assert.equal(caught.blobs[0].type, 'application/yaml');
      assert.equal(text('compose-export-status-shop'), 'Saved shop.compose.yaml: 2 services pinned');
      assert.equal(byTestId('compose-export-pin-shop-web').getAttribute('data-digest'), DIGEST_B);
      assert.equal(byTestId('compose-export-pin-shop-db').getAttribute('data-digest'), DIGEST_A);
      gone('compose-export-text-shop');
      fireEvent.click(byTestId('compose-export-show-shop'));
      const area = byTestId('compose-export-text-shop') as HTMLTextAreaElement;
      assert.equal(area.value, shopExport().text);
      assert.equal(area.readOnly, true);
      assert.equal(document.querySelector('a[download]'), null, 'the temporary link is gone');
      stop();
    } finally {
      caught.restore();
    }
  });

  test('a refused export says why and offers nothing', async () => {
    const caught = catchDownloads();
    try {
      const { stop } = await openShop({
        'compose:export': () => { throw new TagkeeperError('invalid-input', 'service web of app shop has no digest to pin', { hint: 'refresh the app, then export again' }); },
      });
      fireEvent.click(byTestId('compose-export-shop'));
      await waitFor(() => assert.equal(text('compose-export-error-shop'), 'service web of app shop has no digest to pin — refresh the app, then export again'));
      assert.deepEqual(caught.links, []);
      gone('compose-export-status-shop');
      stop();
    } finally {
      caught.restore();
    }
  });
});

describe('the Compose summary and outcome helpers', () => {
  test('ports, mounts, networks, start order', () => {
    assert.equal(portText({ target: 53, published: 5353, hostIp: '::1', protocol: 'udp' }), '[::1]:5353→53/udp');
    assert.deepEqual(mountTexts({ mounts: [{ type: 'volume', source: null, target: '/cache', readOnly: false, noCopy: false, subpath: null }, { type: 'tmpfs', target: '/scratch', readOnly: false, sizeBytes: 1, mode: null }], tmpfs: { '/tmp': 'size=64m' } }),
      ['anonymous volume → /cache', 'tmpfs → /scratch', 'tmpfs → /tmp (size=64m)']);
    assert.deepEqual(networkTexts({ networkMode: 'service:vpn', networks: {} }), ['mode service:vpn']);
    assert.deepEqual(dependencyTexts({ dependsOn: { vpn: { condition: 'service_started', required: false, restart: true }, init: { condition: 'service_completed_successfully', required: true, restart: false } } }),
      ['vpn (started, optional, restarts with it)', 'init (completed successfully)']);
  });

  test('an update\'s outcome says when the file changed after the plan was shown', () => {
    const planned = shopPlan({ to: `sha256:${'5'.repeat(64)}` });
    assert.equal(describeComposeUpdate('shop', planned, shopUpdated()).text,
      'done: shop runs definition 444444444444; recreated web; kept running db (the file changed after the plan was shown: definition 444444444444 was applied, not 555555555555)');
    assert.deepEqual(describeComposeUpdate('shop', shopPlan(), shopUpdated({ result: null })), { tone: 'unchanged', text: 'nothing to change: shop already runs definition 444444444444' });
    assert.deepEqual(describeComposeUpdate('shop', shopPlan(), shopUpdated({ result: { operation: 9, app: 'shop', state: 'pending', worker: true } })),
      { tone: 'queued', text: 'queued: shop moves to definition 444444444444 when the work under way on it ends' });
    assert.equal(hasChanges(shopPlan({ to: HASH_1, services: [] })), false);
    assert.equal(hasChanges(shopPlan({ to: HASH_1 })), true);
  });
});

function lines(testId: string): string[] {
  return [...byTestId(testId).querySelectorAll('div')].map((d) => d.textContent ?? '');
}
