/**
 * The real UI in real Chromium against `tagkeeper serve` on a private engine and registry:
 * create an app from a tag, see its digest; the tag moves, Check shows it, Refresh switches
 * and restarts; a second Refresh changes nothing; a malformed reference is refused beside
 * its field. Screenshots of the main screens go to docs/screenshots/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { httpClient } from '../../main/api/http-client';
import { byTestId, screenshot } from '../helpers/browser';
import { buildImage, pushImage, type BuiltImage } from '../helpers/image-builder';
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

  test('the tag moves: Check shows an update, Refresh shows the new digest and restarts the container', async () => {
    const { page } = s;
    beforeRefresh = await onlyContainerOf(s.site.docker, APP);
    const second = await buildImage({ marker: 'e2e-two' });
    await pushImage(s.site.registry.url, 'busy', '1', second);

    await appAction(page, APP, 'check');
    await textMatching(page, `update-${APP}-main`, /update available/);
    assert.equal(await byTestId(page, `digest-${APP}-main`).getAttribute('data-digest'), first.manifestDigest, 'Check alone switches nothing');
    await screenshot(page, 'apps-update-available');

    await appAction(page, APP, 'refresh');
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

  test('a second Refresh with no change restarts nothing', async () => {
    const { page } = s;
    await appAction(page, APP, 'refresh');
    const outcome = await textMatching(page, `outcome-${APP}`, /^refresh: (done|failed).*no change/);
    assert.match(outcome, /^refresh: done, no change, no restart/);
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
    assert.deepEqual(refreshes.map((op) => op.result?.changed), [false, true], 'both refreshes were recorded, newest first');
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
    await byTestId(page, `action-check-${APP}`).waitFor({ state: 'hidden' });
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
