/**
 * The real UI in real Chromium against `tagkeeper serve` on a private engine and registry:
 * create an app from a tag, see its digest; the tag moves, Check shows it, Update to latest
 * shows from → to and the size, then switches and restarts; with no change it offers nothing;
 * a malformed reference is refused beside its field; Restart asks. Then (issue 14) a rejected
 * digest is named and left unticked and Update applies only the ticked service, Purge names
 * the volume it discards, and a failed create says whether the app was created (with a link).
 * Screenshots of the main screens go to docs/screenshots/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { httpClient } from '../../main/api/http-client';
import { formatBytes } from '../../main/api/format';
import { byTestId, screenshot } from '../helpers/browser';
import { buildImage, pushImage, type BuiltImage } from '../helpers/image-builder';
import { hasDataFile, writeDataFile } from '../helpers/lifecycle';
import { appAction, attributeEquals, containersOf, onlyContainerOf, startUiSite, textMatching, type ContainerFacts, type UiSite } from './fixture';

const APP = 'web';
const BAD_APP = 'badref';

describe('apps in the browser', () => {
  let s: UiSite;
  let first: BuiltImage;
  let reference: string;
  let beforeRefresh: ContainerFacts;
  let afterRefresh: ContainerFacts;

  before(async () => {
    first = await buildImage({ marker: 'e2e-one' });
    s = await startUiSite(async (site) => {
      reference = `${site.registry.host}/busy:1`;
      await pushImage(site.registry.url, 'busy', '1', first);
    });
  });
  after(async () => {
    await s?.stop();
  });

  test('an app created from a tag in the Create screen runs, and its digest is shown', async () => {
    const { page } = s;
    await byTestId(page, 'nav-create').click();
    await byTestId(page, 'create-name').fill(APP);
    await byTestId(page, 'create-image').fill(reference);
    await byTestId(page, 'create-network').fill('none');
    assert.equal(await textMatching(page, 'create-normalized', /\S/), reference, 'the normalized form is shown as the user types');
    await screenshot(page, 'create');

    await byTestId(page, 'create-submit').click();
    await textMatching(page, `app-state-${APP}`, /^running$/);
    await attributeEquals(page, `digest-${APP}-main`, 'data-digest', first.manifestDigest);
    assert.equal(await byTestId(page, `digest-${APP}-main`).textContent(), first.manifestDigest.slice('sha256:'.length, 'sha256:'.length + 12));
    assert.match((await byTestId(page, `reference-${APP}-main`).textContent()) ?? '', /busy:1$/);

    const container = await onlyContainerOf(s.site.docker, APP);
    assert.equal(container.running, true, 'the engine runs the container');
    assert.equal(container.image, first.configDigest, 'the container runs the pushed image');
  });

  test('the tag moves: Check shows an update, Update to latest shows from → to, then the new digest, and restarts the container', async () => {
    const { page } = s;
    beforeRefresh = await onlyContainerOf(s.site.docker, APP);
    const second = await buildImage({ marker: 'e2e-two' });
    await pushImage(s.site.registry.url, 'busy', '1', second);

    await appAction(page, APP, 'check');
    await textMatching(page, `update-${APP}-main`, /update available/);
    assert.equal(await byTestId(page, `digest-${APP}-main`).getAttribute('data-digest'), first.manifestDigest, 'Check alone switches nothing');
    await screenshot(page, 'apps-update-available');

    // Update to latest… asks first, with from → to and the size (the base layer is on the box already).
    await byTestId(page, `actions-menu-${APP}`).click();
    assert.equal(await byTestId(page, `action-refresh-${APP}`).textContent(), 'Update to latest…');
    await appAction(page, APP, 'refresh');
    await attributeEquals(page, 'update-dialog-from-main', 'data-digest', first.manifestDigest);
    await attributeEquals(page, 'update-dialog-to-main', 'data-digest', second.manifestDigest);
    assert.equal(await byTestId(page, 'update-dialog-size-main').textContent(), `${formatBytes(second.layers[1].size)} in 1 of 2 layers`);
    assert.equal(await byTestId(page, 'update-dialog-choose-main').isChecked(), true);
    assert.equal((await onlyContainerOf(s.site.docker, APP)).image, first.configDigest, 'the dialog changes nothing by itself');
    await byTestId(page, 'confirm-update').click();
    const outcome = await textMatching(page, `outcome-${APP}`, /^refresh: (done|failed)/);
    assert.match(outcome, /^refresh: done, changed, restarted/);
    await attributeEquals(page, `digest-${APP}-main`, 'data-digest', second.manifestDigest);
    await textMatching(page, `update-${APP}-main`, /up to date/);

    afterRefresh = await onlyContainerOf(s.site.docker, APP);
    assert.equal(afterRefresh.running, true);
    assert.equal(afterRefresh.image, second.configDigest, 'the container runs the new build');
    assert.ok(afterRefresh.id !== beforeRefresh.id || afterRefresh.startedAt !== beforeRefresh.startedAt, 'the container was restarted');
    assert.ok(Date.parse(afterRefresh.startedAt) > Date.parse(beforeRefresh.startedAt), 'it started after the first one');
  });

  test('Update to latest with no change offers nothing to update and restarts nothing', async () => {
    const { page } = s;
    await appAction(page, APP, 'refresh');
    await byTestId(page, 'update-dialog-nothing').waitFor();
    assert.match((await byTestId(page, `update-dialog-unmoved-main`).textContent()) ?? '', /runs what its tag points at/);
    assert.equal(await byTestId(page, 'confirm-update').isDisabled(), true);
    assert.equal(await byTestId(page, 'update-reason').textContent(), 'every service runs what its tag points at: nothing to update');
    await byTestId(page, 'cancel-update').click();
    await byTestId(page, 'update-dialog').waitFor({ state: 'detached' });
    const now = await onlyContainerOf(s.site.docker, APP);
    assert.equal(now.id, afterRefresh.id, 'same container');
    assert.equal(now.startedAt, afterRefresh.startedAt, 'not restarted');
    assert.equal(now.running, true);
  });

  test('a malformed reference shows a clear error beside the field and creates nothing', async () => {
    const { page } = s;
    await byTestId(page, 'nav-create').click();
    await byTestId(page, 'create-name').fill(BAD_APP);
    await byTestId(page, 'create-image').fill('Busy:1');
    await byTestId(page, 'create-network').fill('none');
    const live = await textMatching(page, 'create-image-error', /\S/);
    assert.match(live, /"Busy:1" is not a valid image reference/);
    assert.match(live, /lowercase/);
    assert.equal(await byTestId(page, 'create-normalized').count(), 0, 'no normalized form for a malformed reference');

    await byTestId(page, 'create-submit').click();
    await textMatching(page, 'create-error', /Busy:1/);
    assert.match((await byTestId(page, 'create-image-error').textContent()) ?? '', /not a valid image reference/, 'the error stays beside the field');

    const apps = await httpClient(s.served.baseUrl, s.served.token).call('apps:list', {});
    assert.deepEqual(apps.map((a) => a.name), [APP], 'nothing was created');
    const cli = await s.site.cli(['app', 'list', '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(JSON.stringify(cli.json()).includes(BAD_APP), false, 'the CLI sees no such app');
    assert.deepEqual(await containersOf(s.site.docker, BAD_APP), [], 'no container');
  });

  test('Images, Activity and Settings show what happened', async () => {
    const { page } = s;
    await byTestId(page, 'nav-images').click();
    const second = afterRefresh.image;
    await byTestId(page, `image-row-${second.slice('sha256:'.length, 'sha256:'.length + 12)}`).waitFor();
    await byTestId(page, `image-row-${first.configDigest.slice('sha256:'.length, 'sha256:'.length + 12)}`).waitFor();
    await screenshot(page, 'images');

    await byTestId(page, 'nav-activity').click();
    const operations = await httpClient(s.served.baseUrl, s.served.token).call('operations:list', {});
    const refreshes = operations.filter((op) => op.app === APP && op.result?.kind === 'refresh');
    assert.deepEqual(refreshes.map((op) => op.result?.changed), [true], 'the update was recorded (the one with nothing to update was not sent)');
    for (const op of operations) await byTestId(page, `operation-row-${op.id}`).waitFor();
    await textMatching(page, `pull-progress-${APP}-main`, /complete/);
    await screenshot(page, 'activity');

    await byTestId(page, 'nav-settings').click();
    await byTestId(page, 'setting-pull-policy').waitFor();
    await byTestId(page, 'setting-offline').waitFor();
    await byTestId(page, 'settings-save').waitFor();
    // The registries part: Docker's config file and the engine's registry configuration, from the real serve.
    await textMatching(page, 'engine-registries', /Engine insecure registries \(plain HTTP\): .*127\.0\.0\.0\/8/);
    await screenshot(page, 'settings');

  });

  test('the filter narrows the list, and every action is offered on the row: Stop as its button, the rest in its menu', async () => {
    const { page } = s;
    await byTestId(page, 'nav-apps').click();
    await byTestId(page, 'apps-filter').fill('no-such-app');
    await byTestId(page, `app-row-${APP}`).waitFor({ state: 'detached' });
    await byTestId(page, 'apps-filter').fill('busy:1');
    await byTestId(page, `app-row-${APP}`).waitFor();
    assert.equal(await byTestId(page, `action-stop-${APP}`).isVisible(), true, 'Stop is the running app\'s button');
    await byTestId(page, `actions-menu-${APP}`).click();
    for (const action of ['check', 'refresh', 'restart', 'purge', 'start', 'delete']) {
      assert.equal(await byTestId(page, `action-${action}-${APP}`).isVisible(), true, `action-${action}-${APP} in the open menu`);
    }
    assert.equal(await byTestId(page, `action-start-${APP}`).isDisabled(), true, 'Start is disabled while the app runs');
    assert.equal(await byTestId(page, `action-start-${APP}`).getAttribute('title'), 'the app is already running');
    await page.keyboard.press('Escape');
    await byTestId(page, `action-check-${APP}`).waitFor({ state: 'detached' });
  });

  test('Restart asks first; confirming restarts the container', async () => {
    const { page } = s;
    const before = await onlyContainerOf(s.site.docker, APP);
    await appAction(page, APP, 'restart');
    await byTestId(page, 'restart-dialog').waitFor();
    assert.match((await byTestId(page, 'restart-dialog').textContent()) ?? '', /its\s+volumes are kept/);
    assert.equal((await onlyContainerOf(s.site.docker, APP)).startedAt, before.startedAt, 'nothing happens before the confirmation');
    await byTestId(page, 'confirm-restart').click();
    assert.match(await textMatching(page, `outcome-${APP}`, /^restart: (done|failed)/), /^restart: done, restarted/);
    const after = await onlyContainerOf(s.site.docker, APP);
    assert.ok(after.id !== before.id || after.startedAt !== before.startedAt, 'restarted');
  });

  test('Delete asks first, then removes the app and its container', async () => {
    const { page } = s;
    await appAction(page, APP, 'delete');
    await byTestId(page, 'confirm-delete').click();
    await byTestId(page, `app-row-${APP}`).waitFor({ state: 'detached', timeout: 60_000 });
    assert.deepEqual(await containersOf(s.site.docker, APP), [], 'its container is gone');
    const apps = await httpClient(s.served.baseUrl, s.served.token).call('apps:list', {});
    assert.deepEqual(apps, []);
    assert.deepEqual(s.ui.pageErrors, [], 'the page threw nothing and every request it made succeeded');
  });
});

describe('asking before an app moves, loses its data, or is left failed (issue 14)', () => {
  let s: UiSite;
  let api: ReturnType<typeof httpClient>;
  let a1: BuiltImage;
  let b1: BuiltImage;

  before(async () => {
    [a1, b1] = await Promise.all([buildImage({ marker: 'e2e-shop-a1' }), buildImage({ marker: 'e2e-shop-b1' })]);
    s = await startUiSite(async (site) => {
      await pushImage(site.registry.url, 'shop-a', '1', a1);
      await pushImage(site.registry.url, 'shop-b', '1', b1);
    });
    api = httpClient(s.served.baseUrl, s.served.token);
    const image = (repo: string) => `${s.site.registry.host}/${repo}:1`;
    await api.call('apps:create', {
      name: 'shop',
      services: [
        { name: 'a', image: image('shop-a'), network: 'none' },
        { name: 'b', image: image('shop-b'), network: 'none', volumes: ['data:/data'] },
      ],
    });
    await textMatching(s.page, 'app-state-shop', /^running$/);
  });
  after(async () => {
    await s?.stop();
  });

  const imageOf = async (service: string) => {
    const list = await s.site.docker.listContainers({ all: true, filters: { label: ['tagkeeper.app=shop', `tagkeeper.service=${service}`] } });
    assert.equal(list.length, 1, `one container of shop/${service}`);
    return (await s.site.docker.getContainer(list[0].Id).inspect()).Image;
  };

  test('Update to latest: the rejected digest is named and unticked; Update applies only the ticked service', async () => {
    const { page } = s;
    const [a2, b2] = await Promise.all([buildImage({ marker: 'e2e-shop-a2' }), buildImage({ marker: 'e2e-shop-b2' })]);
    await pushImage(s.site.registry.url, 'shop-a', '1', a2);
    await pushImage(s.site.registry.url, 'shop-b', '1', b2);
    await api.call('images:check', { apps: ['shop'] });
    await api.call('updates:reject', { app: 'shop', service: 'a' });

    await appAction(page, 'shop', 'refresh');
    await byTestId(page, 'update-dialog-row-a').waitFor();
    await attributeEquals(page, 'update-dialog-from-a', 'data-digest', a1.manifestDigest);
    await attributeEquals(page, 'update-dialog-to-a', 'data-digest', a2.manifestDigest);
    await attributeEquals(page, 'update-dialog-to-b', 'data-digest', b2.manifestDigest);
    assert.equal(await byTestId(page, 'update-dialog-rejected-a').textContent(), 'rejected');
    assert.equal(await byTestId(page, 'update-dialog-choose-a').isChecked(), false, 'the rejected digest is left out unless ticked');
    assert.equal(await byTestId(page, 'update-dialog-choose-b').isChecked(), true);
    assert.equal(await byTestId(page, 'update-dialog-size-b').textContent(), `${formatBytes(b2.layers[1].size)} in 1 of 2 layers`);
    await screenshot(page, 'update-to-latest');

    await byTestId(page, 'confirm-update').click();
    assert.match(await textMatching(page, 'outcome-shop', /^refresh: (done|failed)/), /^refresh: done, changed, restarted/);
    assert.equal(await imageOf('a'), a1.configDigest, 'a keeps its digest: the rejected one was not ticked');
    assert.equal(await imageOf('b'), b2.configDigest, 'b runs the new build');
    await attributeEquals(page, 'digest-shop-a', 'data-digest', a1.manifestDigest);
    await attributeEquals(page, 'digest-shop-b', 'data-digest', b2.manifestDigest);
  });

  test('Purge names the volume whose data is lost; Keep its data changes nothing; Purge discards it', async () => {
    const { page } = s;
    await writeDataFile(s.site, 'shop', 'f', 'b');
    await appAction(page, 'shop', 'purge');
    await byTestId(page, 'purge-volumes-tagkeeper-shop-data').waitFor();
    assert.match((await byTestId(page, 'purge-dialog').textContent()) ?? '', /This volume is removed with everything in it:\s*tagkeeper-shop-data/);
    await screenshot(page, 'purge-dialog');
    await byTestId(page, 'cancel-purge').click();
    await byTestId(page, 'purge-dialog').waitFor({ state: 'detached' });
    assert.equal(await hasDataFile(s.site, 'shop', 'f', 'b'), true, 'nothing purged before the confirmation');

    await appAction(page, 'shop', 'purge');
    await byTestId(page, 'confirm-purge').click();
    assert.match(await textMatching(page, 'outcome-shop', /^purge: (done|failed)/), /^purge: done, restarted, state purged/);
    assert.equal(await hasDataFile(s.site, 'shop', 'f', 'b'), false, 'the volume was discarded');
  });

  test('a create refused at its reference says "Not created"; one whose container cannot start says "Created, but it failed to start" and links to the app', async () => {
    const { page } = s;
    await byTestId(page, 'nav-create').click();
    await byTestId(page, 'create-name').fill('typo');
    await byTestId(page, 'create-image').fill(`${s.site.registry.host}/shop-a:nope`);
    await byTestId(page, 'create-network').fill('none');
    await textMatching(page, 'create-normalized', /shop-a:nope$/);
    await byTestId(page, 'create-submit').click();
    assert.match(await textMatching(page, 'create-error', /\S/), /^Not created: service main: /);
    assert.equal(await byTestId(page, 'create-error-open').count(), 0, 'nothing to open');
    assert.equal((await api.call('apps:list', {})).some((a) => a.name === 'typo'), false, 'nothing was recorded');

    await byTestId(page, 'create-name').fill('broken');
    await byTestId(page, 'create-image').fill(`${s.site.registry.host}/shop-a:1`);
    await byTestId(page, 'create-network').fill('no-such-net');
    await byTestId(page, 'create-submit').click();
    assert.match(await textMatching(page, 'create-error', /Created, but/), /^Created, but it failed to start: .+ — .*tagkeeper app delete broken frees the name/);
    await byTestId(page, 'create-error-open').click();
    await byTestId(page, 'app-page-broken').waitFor();
    await textMatching(page, 'app-state-broken', /^failed$/);
    assert.deepEqual(s.ui.pageErrors, [], 'the page threw nothing and every request it made succeeded');
  });
});
